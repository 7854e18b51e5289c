package taskview

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
)

// rowData is what a row shows that does not change with the clock,
// prepared once per answer so a frame only formats times.
type rowData struct {
	status   *styledStatus
	name     string // cut to nothing yet: the width decides
	nameW    int
	attempts string
	attW     int
	limit    string
}

// styledStatus is a status's icon and word in its tone, with widths.
type styledStatus struct {
	word, icon   string
	wordW, iconW int
}

func (m *Model) buildRows() []rowData {
	rows := make([]rowData, len(m.graph.Rows))
	m.nameW = 0
	for r := range m.graph.Rows {
		s := m.step(r)
		d := &rows[r]
		d.status = m.subtaskStatus(s.Status)
		d.name = safetext.Line(s.Name)
		d.nameW = textWidth(d.name)
		d.attempts = attempts(m.ctx.Theme, s)
		d.attW = textWidth(d.attempts)
		d.limit = timeoutText(s)
		m.nameW = max(m.nameW, d.nameW)
	}
	return rows
}

// subtaskStatus styles a status once per view: there are few of them.
func (m *Model) subtaskStatus(st ocp.SubtaskStatus) *styledStatus {
	if c, ok := m.statuses[st]; ok {
		return c
	}
	th := m.ctx.Theme
	ts := th.Subtask(st)
	word := ts.Icon + " " + ts.Word
	if !ts.Known {
		// An unknown word from OCP may be long: cut to the column every
		// known status fits, so the row keeps its columns.
		word = th.Truncate(word, th.StatusWidth(theme.SubjectSubtask))
	}
	c := &styledStatus{word: m.tonePaint(ts.Tone).s(word), icon: m.tonePaint(ts.Tone).s(ts.Icon),
		wordW: textWidth(word), iconW: textWidth(ts.Icon)}
	m.statuses[st] = c
	return c
}

// gauge is theme.Gauge for whole seconds, remembered: finished steps draw
// the same bar on every frame. A timeout past ocp.MaxShownDuration is far
// from any elapsed time: the bar reads nearly empty, never wrapped.
func (m *Model) gauge(elapsed time.Duration, timeoutSec int64, width int) string {
	k := gaugeKey{int64(elapsed / time.Second), timeoutSec, width}
	if g, ok := m.gauges[k]; ok {
		return g
	}
	if len(m.gauges) > 4096 {
		clear(m.gauges)
	}
	limit, _ := ocp.SecondsDuration(timeoutSec)
	g := m.ctx.Theme.Gauge(time.Duration(k.sec)*time.Second, limit, width)
	m.gauges[k] = g
	return g
}

type gaugeKey struct {
	sec, limit int64
	width      int
}

// textWidth is ansi.StringWidth with a fast path for plain ASCII.
func textWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// now is the backend's time: the latest tick, or the latest answer when
// that is newer (before the first tick, or when ticks lag).
func (m *Model) now() time.Time {
	if m.ctx.Now.Before(m.at) {
		return m.at
	}
	return m.ctx.Now
}

// banner is an optional full-width line under the header.
type banner int

const (
	bannerConfirm   banner = iota // an operation waits for y
	bannerOutcome                 // the task ended: SUCCESSFUL or FAILED, and where
	bannerStale                   // the last refresh failed
	bannerMalformed               // the graph has cycles, dangling edges…
)

func (m *Model) banners() []banner {
	var b []banner
	if m.confirm != nil {
		b = append(b, bannerConfirm)
	}
	if m.task != nil && m.task.Status.Ended() {
		b = append(b, bannerOutcome)
	}
	if m.Stale() {
		b = append(b, bannerStale)
	}
	if m.graph != nil && !m.graph.Problems.Empty() {
		b = append(b, bannerMalformed)
	}
	return b
}

// plan splits the height: header, banners, the column header, the graph
// rows and the detail pane. The graph gets every row it needs while the
// detail pane keeps about a third of what is left (at most 8 lines); with
// the log enlarged (l) the graph keeps three rows around the selection.
type plan struct {
	header, banners, colHeader, graph, detail int
}

func (m *Model) plan() plan {
	h := m.height
	p := plan{header: 1, banners: len(m.banners())}
	if h >= 8 {
		p.header = 2
	}
	rest := max(h-p.header-p.banners, 0)
	if rest >= 10 {
		p.colHeader = 1
		rest--
	}
	n := len(m.rows)
	p.graph = min(n, rest-min(rest/3, 8))
	if m.bigLog {
		p.graph = min(n, 3, rest)
	}
	if rest > 0 && n > 0 {
		p.graph = max(p.graph, 1)
	}
	p.detail = rest - p.graph
	return p
}

func (m *Model) graphHeight() int { return m.plan().graph }

// clampOffset keeps row sel inside a window of h rows starting at off.
func clampOffset(off, sel, h, n int) int {
	if h <= 0 || n <= h {
		return 0
	}
	if sel >= 0 {
		if sel < off {
			off = sel
		}
		if sel >= off+h {
			off = sel - h + 1
		}
	}
	return min(max(off, 0), n-h)
}

func (m *Model) scrollToSelection() {
	m.offset = clampOffset(m.offset, m.selectedRow(), m.graphHeight(), len(m.rows))
}

// frame collects a view's lines with their widths where known, so
// assembling the frame measures only the lines built without one.
type frame struct {
	lines  []string
	widths []int // -1: unknown, measured when assembled
}

func (f *frame) add(s string, width int) {
	f.lines = append(f.lines, s)
	f.widths = append(f.widths, width)
}

// string is exactly h lines of exactly w columns.
func (f *frame) string(w, h int) string {
	var b strings.Builder
	b.Grow(h * (w + 24))
	for i := 0; i < h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i >= len(f.lines) {
			writeSpaces(&b, w)
			continue
		}
		s, sw := f.lines[i], f.widths[i]
		if sw < 0 {
			sw = ansi.StringWidth(s)
		}
		if sw > w {
			s = ansi.Truncate(s, w, "")
			sw = ansi.StringWidth(s)
		}
		b.WriteString(s)
		writeSpaces(&b, w-sw)
	}
	return b.String()
}

const spaces = "                                                                                "

func writeSpaces(b *strings.Builder, n int) {
	for n > len(spaces) {
		b.WriteString(spaces)
		n -= len(spaces)
	}
	if n > 0 {
		b.WriteString(spaces[:n])
	}
}

// View renders the view into exactly its area. Pure: reads the model, the
// size and ctx.Now only.
func (m *Model) View() string {
	w, h := m.width, m.height
	if w <= 0 || h <= 0 {
		return ""
	}
	th := m.ctx.Theme
	f := &frame{lines: make([]string, 0, h), widths: make([]int, 0, h)}
	id := strconv.FormatInt(m.taskID, 10)
	if m.task == nil {
		f.add(m.p.title.s(th.Truncate("Task "+id, w)), -1)
		if m.err != nil {
			f.add(m.p.error.s(th.Truncate(th.Icon(theme.ToneError)+" "+m.ctx.ErrorText(m.err), w)), -1)
		} else {
			f.add(m.p.muted.s(th.Truncate("loading task "+id+th.Glyphs.Ellipsis, w)), -1)
		}
		return f.string(w, h)
	}
	now := m.now()
	p := m.plan()
	m.header(f, w, p.header, now)
	for _, b := range m.banners() {
		f.add(m.bannerLine(b, w, now), -1)
	}
	cols := layoutColumns(th, w, m.graph.Width, m.nameW)
	if p.colHeader > 0 {
		f.add(m.columnHeader(cols), -1)
	}
	sel := m.selectedRow()
	off := clampOffset(m.offset, sel, p.graph, len(m.rows))
	stale := m.Stale()
	var b strings.Builder
	for r := off; r < off+p.graph && r < len(m.rows); r++ {
		b.Reset()
		lw := m.rowLine(&b, r, r == sel, stale, cols, w, now)
		f.add(b.String(), lw)
	}
	if p.detail > 0 {
		m.detail(f, w, p.detail, off, p.graph, now)
	}
	return f.string(w, h)
}

// header: the task's name, force mark, id and status; then elapsed, steps
// done/total and where it runs.
func (m *Model) header(f *frame, w, n int, now time.Time) {
	th := m.ctx.Theme
	st := &th.Styles
	t := m.task
	name := m.p.title.s(safetext.Line(t.Name))
	if t.Force() {
		name += " " + st.BadgeWarn.Render("FORCE")
	}
	ts := th.Task(t.Status)
	status := m.tonePaint(ts.Tone).s(ts.Icon + " " + ts.Word)
	// The id goes first when narrow: the breadcrumb names the task too.
	left := name + " " + m.p.muted.s("#"+strconv.FormatInt(t.ID, 10))
	if ansi.StringWidth(left)+1+ansi.StringWidth(status) > w {
		left = name
	}
	elapsed := "-"
	if d, ok := taskElapsed(t, now); ok {
		elapsed = common.Elapsed(d)
	}
	steps := strconv.Itoa(m.done) + "/" + strconv.Itoa(len(t.Subtasks)) + " done"
	if n < 2 {
		f.add(fitEnds(th, left, status+" "+elapsed+" "+steps, w), -1)
		return
	}
	facts := []string{"elapsed " + elapsed, "steps " + steps}
	if c := t.Context.Get("cluster_name"); c != "" {
		facts = append(facts, "cluster "+safetext.Line(c))
	}
	if z := t.Context.Get("zone_name"); z != "" {
		facts = append(facts, "zone "+safetext.Line(z))
	}
	if s := t.Context.Get("server_id"); s != "" {
		facts = append(facts, "server "+safetext.Line(s))
	}
	if t.Operation != "" && t.Operation != ocp.OpExecute {
		facts = append(facts, "operation "+safetext.Line(string(t.Operation)))
	}
	f.add(fitEnds(th, left, status, w), -1)
	f.add(m.p.muted.s(th.Truncate(strings.Join(facts, th.Glyphs.Bullet), w)), -1)
}

// fitEnds is common.JoinEnds, cutting left with an ellipsis when even
// alone it is too wide.
func fitEnds(th *theme.Theme, left, right string, w int) string {
	if ansi.StringWidth(left)+1+ansi.StringWidth(right) > w {
		if ansi.StringWidth(right)+12 <= w {
			left = th.Truncate(left, w-1-ansi.StringWidth(right))
		} else {
			return th.Truncate(left, w)
		}
	}
	return common.JoinEnds(left, right, w)
}

func (m *Model) bannerLine(b banner, w int, now time.Time) string {
	th := m.ctx.Theme
	switch b {
	case bannerConfirm:
		return m.p.warning.s(th.Truncate(th.Icon(theme.ToneWarn)+" "+m.confirm.prompt+" y confirm, n cancel", w))
	case bannerOutcome:
		return m.outcome(w)
	case bannerStale:
		text := " showing the last graph"
		if d := now.Sub(m.at); !m.at.IsZero() && d > 0 {
			text = " showing " + common.Elapsed(d) + " old graph"
		}
		text += "; refresh failed: " + m.shortError(m.err)
		badge := th.Styles.BadgeWarn.Render("STALE")
		return badge + m.p.warning.s(th.Truncate(text, w-ansi.StringWidth(badge)))
	case bannerMalformed:
		return m.p.warning.s(th.Truncate(th.Icon(theme.ToneWarn)+" malformed graph, ordered as far as possible: "+m.graph.Problems.String(), w))
	}
	return ""
}

// outcome says how the task ended and, when it failed, at which step.
func (m *Model) outcome(w int) string {
	th := m.ctx.Theme
	t := m.task
	s := th.Task(t.Status)
	if t.Status != ocp.TaskFailed {
		text := s.Icon + " Task " + s.Word + ": " + strconv.Itoa(m.done) + " of " + strconv.Itoa(len(t.Subtasks)) + " steps done"
		if t.Operation == ocp.OpRollback {
			text += " (rolled back)"
		}
		return m.p.ok.s(th.Truncate(text, w))
	}
	var failed []int
	for r := range m.rows {
		if m.step(r).Status == ocp.SubtaskFailed {
			failed = append(failed, r)
		}
	}
	text := s.Icon + " Task " + s.Word
	if len(failed) > 0 {
		f := m.step(failed[0])
		text += " at step " + strconv.Itoa(failed[0]+1) + "/" + strconv.Itoa(len(m.rows)) + " \"" + m.rows[failed[0]].name + "\""
		if d, ok := stepElapsed(f, time.Time{}); ok && f.Timeout > 0 && timeoutRatio(d, f.Timeout) >= 1 {
			text += ", past its " + timeoutText(f) + " timeout"
		}
		if len(failed) > 1 {
			text += " and " + strconv.Itoa(len(failed)-1) + " more"
		}
	}
	return m.p.error.s(th.Truncate(text, w))
}

func (m *Model) columnHeader(c columns) string {
	var b strings.Builder
	b.WriteString(spaces[:cursorW])
	b.WriteString(m.lanesCut(c.graph))
	b.WriteByte(' ')
	if c.words {
		b.WriteString(padTo("STATUS", c.statusW))
	} else {
		// The status column is an icon wide: no room for a title.
		b.WriteString(padTo("", c.statusW))
	}
	b.WriteByte(' ')
	b.WriteString(padTo("STEP", c.name))
	b.WriteByte(' ')
	b.WriteString(padLeft("ELAPSED", elapsedW))
	b.WriteByte(' ')
	b.WriteString(padTo("RUNS", attemptsW))
	b.WriteByte(' ')
	gw := pctW
	if c.gaugeBar > 0 {
		gw += c.gaugeBar + 1
	}
	b.WriteString(padLeft("USED", gw))
	if c.limit {
		b.WriteByte(' ')
		b.WriteString(padLeft("TIMEOUT", limitW))
	}
	return m.ctx.Theme.Styles.Header.Render(b.String())
}

// rowLine writes graph row r into b and returns its width. Every part has
// a known width, so nothing is measured; a row wider than the screen (at
// the smallest sizes) is cut when the frame is assembled.
func (m *Model) rowLine(b *strings.Builder, r int, selected, stale bool, c columns, w int, now time.Time) int {
	th := m.ctx.Theme
	s := m.step(r)
	d := &m.rows[r]
	plainRow := selected || stale // styled as a whole: no inner colours
	style := func(p paint, text string) string {
		if plainRow {
			return text
		}
		return p.s(text)
	}
	start := b.Len()
	if selected {
		b.WriteString(th.Glyphs.Cursor)
		writeSpaces(b, cursorW-textWidth(th.Glyphs.Cursor))
	} else {
		b.WriteString(spaces[:cursorW])
	}
	b.WriteString(style(m.p.lanes, m.lanes.lanes(&m.graph.Rows[r], c.graph)))
	b.WriteByte(' ')
	width := cursorW + 2*c.graph - 1 + 1
	status, statusW := d.status.word, d.status.wordW
	if !c.words {
		status, statusW = d.status.icon, d.status.iconW
	}
	if plainRow {
		status = ansi.Strip(status)
	}
	b.WriteString(status)
	writeSpaces(b, c.statusW-statusW)
	b.WriteByte(' ')
	width += max(c.statusW, statusW) + 1
	if d.nameW <= c.name {
		b.WriteString(d.name)
		writeSpaces(b, c.name-d.nameW)
	} else {
		cut := th.Truncate(d.name, c.name)
		b.WriteString(cut)
		writeSpaces(b, c.name-textWidth(cut))
	}
	b.WriteByte(' ')
	width += c.name + 1
	el, ok := stepElapsed(s, now)
	elText := "-"
	if ok {
		elText = common.Elapsed(el)
	}
	b.WriteString(padLeft(elText, elapsedW))
	b.WriteByte(' ')
	b.WriteString(style(m.p.warning, d.attempts))
	writeSpaces(b, attemptsW-d.attW)
	b.WriteByte(' ')
	// A step that ran ten hours or more is wider than h:mm:ss: the width
	// counts what is written, so the frame cuts the row, never overflows.
	width += max(elapsedW, len(elText)) + 1 + max(attemptsW, d.attW) + 1
	switch {
	case ok && s.Timeout > 0:
		ratio := timeoutRatio(el.Truncate(time.Second), s.Timeout)
		if c.gaugeBar > 0 {
			g := m.gauge(el, s.Timeout, c.gaugeBar)
			if plainRow {
				g = ansi.Strip(g)
			}
			b.WriteString(g)
			b.WriteByte(' ')
		}
		b.WriteString(style(m.pct(ratio), percent(ratio)))
	case c.gaugeBar > 0:
		writeSpaces(b, c.gaugeBar+1+pctW)
	default:
		writeSpaces(b, pctW)
	}
	width += pctW
	if c.gaugeBar > 0 {
		width += c.gaugeBar + 1
	}
	if c.limit {
		b.WriteByte(' ')
		b.WriteString(style(m.p.muted, padLeft(d.limit, limitW)))
		width += 1 + max(limitW, len(d.limit))
	}
	if plainRow {
		// Styled as a whole, padded so the selection runs the full width.
		line := b.String()[start:]
		if width > w {
			line = ansi.Truncate(line, w, "")
		} else {
			var pad strings.Builder
			pad.WriteString(line)
			writeSpaces(&pad, w-width)
			line = pad.String()
		}
		row := m.p.stale
		if selected {
			row = m.p.selected
		}
		b.Reset()
		b.WriteString(row.s(line))
		return w
	}
	return width
}

// pct colours the timeout percentage like the gauge; it is bold from the
// warning threshold so the state shows without colour too.
func (m *Model) pct(ratio float64) paint {
	switch theme.GaugeTone(ratio) {
	case theme.ToneWarn:
		return m.p.warning
	case theme.ToneError:
		return m.p.error
	}
	return m.p.muted
}

// detail is the selected step's pane: a rule with its name and the scroll
// position, then description, class, times and attempts, then its log tail.
func (m *Model) detail(f *frame, w, h, off, gh int, now time.Time) {
	th := m.ctx.Theme
	end := len(f.lines) + h
	r := m.selectedRow()
	n := len(m.rows)

	var hints []string
	if off > 0 {
		hints = append(hints, th.Glyphs.Up+strconv.Itoa(off))
	}
	if below := n - off - gh; below > 0 {
		hints = append(hints, th.Glyphs.Down+strconv.Itoa(below))
	}
	if !m.follow {
		k := m.ctx.Keys.Follow.Help()
		hints = append(hints, k.Key+" "+k.Desc)
	}
	// The step's own operation, where the operator reads why it failed.
	if r >= 0 && !m.ctx.ReadOnly && m.step(r).Status == ocp.SubtaskFailed {
		k := m.ctx.Keys.RetryStep.Help()
		hints = append(hints, k.Key+" "+k.Desc)
	}
	title := "no steps"
	if r >= 0 {
		title = "step " + strconv.Itoa(r+1) + "/" + strconv.Itoa(n) + ": " + m.rows[r].name
	}
	m.rule(f, title, strings.Join(hints, " "), w)
	if r < 0 {
		return
	}
	s := m.step(r)
	const labelW = 12
	vw := max(w-labelW, 0)
	add := func(label, value string, valueW int) {
		if len(f.lines) < end {
			f.add(m.p.muted.s(padTo(label, labelW))+value, labelW+valueW)
		}
	}
	plain := func(label, v string) {
		v = th.Truncate(v, vw)
		add(label, v, textWidth(v))
	}
	// OCP's descriptions usually repeat the name, already in the rule.
	if d := strings.TrimSpace(s.Description); d != "" && d != s.Name {
		plain("description", safetext.Line(d))
	}
	plain("class", truncLeft(th, orDash(safetext.Line(s.ClassName)), vw))
	el, elOK := stepElapsed(s, now)
	// A running step's row already shows its live elapsed time and gauge;
	// repeating them here would rewrite this line every second too, bytes
	// a slow link pays for nothing. Finished steps keep the figures.
	elOK = elOK && !s.FinishTime.IsZero()
	times := common.Stamp(s.StartTime) + "  finished " + common.Stamp(s.FinishTime)
	if elOK {
		times += "  elapsed " + common.Elapsed(el)
	}
	runs := attemptCount(s) + "  timeout " + timeoutText(s)
	if elOK && s.Timeout > 0 {
		runs += " (" + strings.TrimSpace(percent(timeoutRatio(el.Truncate(time.Second), s.Timeout))) + " used)"
	}
	if s.Operation != "" && s.Operation != ocp.OpExecute {
		runs += "  operation " + safetext.Line(string(s.Operation))
	}
	// One line when it fits, else started/finished and attempts/timeout apart.
	if one := "started " + times + "  attempts " + runs; labelW+textWidth(one) <= w {
		plain("run", one)
	} else {
		plain("started", times)
		plain("attempts", runs)
	}

	room := end - len(f.lines)
	if room <= 0 {
		return
	}
	note := func(p paint, text string) {
		text = th.Truncate(text, vw)
		add("log", p.s(text), textWidth(text))
	}
	switch {
	case m.log.subtaskID != m.sel || !m.log.loaded:
		note(m.p.muted, "loading"+th.Glyphs.Ellipsis)
	case m.log.err != nil:
		note(m.p.warning, "unavailable: "+m.shortError(m.log.err))
	default:
		lines := m.tail(room, vw)
		if len(lines) == 0 {
			note(m.p.muted, "(empty)")
		}
		for i, l := range lines {
			label := ""
			if i == 0 {
				label = "log"
			}
			add(label, l, textWidth(l))
		}
	}
}

// tail is logTail of the shown log, remembered for the same log and size:
// wrapping is the costly part of the pane and the log changes rarely.
func (m *Model) tail(n, w int) []string {
	t := &m.tailMemo
	if t.n != n || t.w != w || t.text != m.log.text || t.lines == nil {
		*t = tailMemo{text: m.log.text, n: n, w: w, lines: logTail(m.ctx.Theme, m.log.text, n, w)}
		if t.lines == nil {
			t.lines = []string{}
		}
	}
	return t.lines
}

// tailMemo is the last tail computed.
type tailMemo struct {
	text  string
	n, w  int
	lines []string
}

// rule is a horizontal line with a title on the left and hints on the right.
func (m *Model) rule(f *frame, title, hints string, w int) {
	th := m.ctx.Theme
	bar := th.Border().Top
	left := bar + bar + " " + title + " "
	right := ""
	if hints != "" {
		right = " " + hints + " " + bar
	}
	lw, rw := textWidth(left), textWidth(right)
	if lw+rw > w {
		right, rw = "", 0
	}
	if lw > w {
		left = th.Truncate(left, w)
		lw = textWidth(left)
	}
	fill := max(w-lw-rw, 0)
	f.add(m.p.muted.s(left+strings.Repeat(bar, fill)+right), lw+fill+rw)
}

// logTail is the newest log entries that fit whole in n screen lines of
// width w, wrapped rather than cut, so a step's last message (often the
// error) reads in full. An entry too long for n lines alone shows its
// beginning, cut with an ellipsis.
func logTail(th *theme.Theme, text string, n, w int) []string {
	text = strings.TrimRight(text, "\n")
	if text == "" || n <= 0 || w <= 0 {
		return nil
	}
	var entries [][]string // newest first
	used := 0
	for end := len(text); end >= 0; {
		start := strings.LastIndexByte(text[:end], '\n') + 1
		// text is safetext.Text: no tab, carriage return or escape is left
		// to break the layout.
		line := text[start:end]
		var wrapped []string
		if textWidth(line) == len(line) {
			wrapped = wrapASCII(line, w)
		} else {
			wrapped = strings.Split(ansi.Wrap(line, w, ""), "\n")
		}
		if used+len(wrapped) > n {
			if len(entries) == 0 {
				wrapped = wrapped[:n]
				wrapped[n-1] = th.Truncate(wrapped[n-1]+" "+th.Glyphs.Ellipsis, w)
				entries = append(entries, wrapped)
			}
			break
		}
		entries = append(entries, wrapped)
		used += len(wrapped)
		end = start - 1
	}
	out := make([]string, 0, n)
	for i := len(entries) - 1; i >= 0; i-- {
		out = append(out, entries[i]...)
	}
	return out
}

// wrapASCII wraps printable ASCII text at spaces into lines of at most w
// columns, breaking words longer than a line: the common case of a log
// line, without ansi.Wrap's grapheme work.
func wrapASCII(s string, w int) []string {
	var out []string
	for len(s) > w {
		cut := strings.LastIndexByte(s[:w+1], ' ')
		if cut <= 0 {
			out = append(out, s[:w])
			s = s[w:]
			continue
		}
		out = append(out, strings.TrimRight(s[:cut], " "))
		s = strings.TrimLeft(s[cut+1:], " ")
	}
	return append(out, s)
}

// shortError is an error's kind and message without the operation (the
// toast names it): what fits in a banner. OCP's words are made safe and
// rid of secrets.
func (m *Model) shortError(err error) string {
	var be *backend.Error
	if errors.As(err, &be) {
		msg := be.Message
		if msg == "" && be.Err != nil {
			msg = be.Err.Error()
		}
		if msg == "" {
			return be.Kind.String()
		}
		return be.Kind.String() + ": " + m.ctx.Line(msg)
	}
	return m.ctx.ErrorText(err)
}

// truncLeft keeps the end of s (a class name's simple name matters most).
func truncLeft(th *theme.Theme, s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	ell := th.Glyphs.Ellipsis
	ew := ansi.StringWidth(ell)
	if w <= ew {
		return ansi.TruncateLeft(s, ansi.StringWidth(s)-w, "")
	}
	return ell + ansi.TruncateLeft(s, ansi.StringWidth(s)-(w-ew), "")
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

func padTo(s string, w int) string {
	if n := w - textWidth(s); n > 0 {
		return s + spaces[:min(n, len(spaces))]
	}
	return s
}

func padLeft(s string, w int) string {
	if n := w - textWidth(s); n > 0 {
		return spaces[:min(n, len(spaces))] + s
	}
	return s
}

// lanesCut fills the lane area of the column header (2*cols-1 columns):
// blank when every lane is drawn; when the graph is wider than the screen
// allows, an ellipsis and the number of lanes left out, right-aligned
// ("…+9"; in a narrower area "+9", "…" or "+"), so a cut graph never
// passes for a whole one.
func (m *Model) lanesCut(cols int) string {
	w := max(2*cols-1, 0)
	if m.graph == nil || m.graph.Width <= cols || w == 0 {
		return strings.Repeat(" ", w)
	}
	th := m.ctx.Theme
	more := "+" + strconv.Itoa(m.graph.Width-cols)
	mark := "+"
	for _, c := range []string{th.Glyphs.Ellipsis + more, more, th.Glyphs.Ellipsis} {
		if ansi.StringWidth(c) <= w {
			mark = c
			break
		}
	}
	return strings.Repeat(" ", w-ansi.StringWidth(mark)) + mark
}
