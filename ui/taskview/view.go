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
	server   string // the server a per-server step acts on ("" for none): never cut
	serverW  int
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
	th := m.ctx.Theme
	m.nameW, m.serverW = 0, 0
	m.statusW = th.StatusWidth(theme.SubjectSubtask)
	for r := range m.graph.Rows {
		s := m.step(r)
		d := &rows[r]
		d.status = m.stepStatus(s)
		m.statusW = max(m.statusW, d.status.wordW)
		d.name = safetext.Line(s.Name)
		d.nameW = textWidth(d.name)
		if id, ok := stepServer(m.task, s); ok {
			d.server = m.serverName(id)
			d.serverW = textWidth(d.server)
			m.serverW = max(m.serverW, textWidth(m.ctx.Theme.Glyphs.Bullet)+d.serverW)
		}
		d.attempts = attempts(th, s)
		d.attW = textWidth(d.attempts)
		d.limit = timeoutText(th, s)
		want := d.nameW
		if d.server != "" {
			want += textWidth(m.ctx.Theme.Glyphs.Bullet) + d.serverW
		}
		m.nameW = max(m.nameW, want)
	}
	return rows
}

// stepStatus styles a step's shown state (ocp.Subtask.Outcome: SKIPPED,
// ROLLED BACK… rather than SUCCESSFUL, PENDING) once per view: there are
// few. A step the backend last showed running, in a task now gone from
// it, is not known to run any more: UNKNOWN.
func (m *Model) stepStatus(s *ocp.Subtask) *styledStatus {
	key := string(s.Outcome())
	if m.gone && s.Active() {
		key = "\x00gone"
	}
	if c, ok := m.statuses[key]; ok {
		return c
	}
	th := m.ctx.Theme
	ts := th.StepOutcome(s)
	if key == "\x00gone" {
		ts = th.StepOutcomeOf("")
	}
	word := ts.Icon + " " + ts.Word
	if !ts.Known {
		// An unknown word from OCP may be long: cut to the column every
		// known status fits, so the row keeps its columns.
		word = th.Truncate(word, th.StatusWidth(theme.SubjectSubtask))
	}
	c := &styledStatus{word: m.tonePaint(ts.Tone).s(word), icon: m.tonePaint(ts.Tone).s(ts.Icon),
		wordW: textWidth(word), iconW: textWidth(ts.Icon)}
	m.statuses[key] = c
	return c
}

// gauge is theme.Gauge for whole seconds, remembered: finished steps draw
// the same bar on every frame. A timeout past ocp.MaxShownDuration is far
// from any elapsed time: the bar reads nearly empty, never wrapped.
func (m *Model) gauge(elapsed, limit time.Duration, width int) string {
	k := gaugeKey{int64(elapsed / time.Second), limit, width}
	if g, ok := m.gauges[k]; ok {
		return g
	}
	if len(m.gauges) > 4096 {
		clear(m.gauges)
	}
	g := m.ctx.Theme.Gauge(time.Duration(k.sec)*time.Second, limit, width)
	m.gauges[k] = g
	return g
}

type gaugeKey struct {
	sec   int64
	limit time.Duration
	width int
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
// that is newer (before the first tick, or when ticks lag). A stale view's
// clocks stop at its last good answer: what it shows is as of then, and a
// step it last saw running may not run any more.
func (m *Model) now() time.Time {
	if m.Stale() || m.ctx.Now.Before(m.at) {
		return m.at
	}
	return m.ctx.Now
}

// banner is an optional full-width line under the header.
type banner int

const (
	bannerConfirm   banner = iota // an operation waits for y
	bannerOutcome                 // the task ended: how, and where it failed
	bannerStale                   // the last refresh failed
	bannerGone                    // the backend no longer knows the task
	bannerNoEdges                 // the answer has no edges: steps as listed
	bannerMalformed               // the graph has cycles, dangling edges…
)

func (m *Model) banners() []banner {
	var b []banner
	if m.confirm != nil {
		b = append(b, bannerConfirm)
	}
	switch {
	case m.Gone():
		b = append(b, bannerGone)
	case m.task != nil && m.task.Outcome().Ended():
		b = append(b, bannerOutcome)
	}
	if m.Stale() && !m.gone {
		b = append(b, bannerStale)
	}
	if m.noEdges {
		b = append(b, bannerNoEdges)
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
	cols := layoutColumns(th, w, m.graphWidth(), m.nameW, m.serverW, m.statusW)
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

// graphWidth is the lane columns the graph needs: one (left blank) when
// the answer sent no edges.
func (m *Model) graphWidth() int {
	if m.noEdges {
		return 1
	}
	return m.graph.Width
}

// taskStatus is how the task is shown: its outcome (ROLLED BACK rather
// than SUCCESSFUL), or GONE once the backend no longer knows it.
func (m *Model) taskStatus() theme.Status {
	if m.Gone() {
		return m.ctx.Theme.Gone()
	}
	return m.ctx.Theme.TaskOutcome(m.task)
}

// progressText says what the task has done: "10 of 11 steps done, 1
// skipped" forward, "11 of 11 steps rolled back" backward; short, "10/11
// done +1 skipped", "11/11 rolled back".
func (m *Model) progressText(short bool) string {
	p := m.prog
	verb := "done"
	if p.undo {
		verb = "rolled back"
	}
	var text string
	if short {
		text = strconv.Itoa(p.done) + "/" + strconv.Itoa(p.total) + " " + verb
		if p.skipped > 0 {
			text += " +" + strconv.Itoa(p.skipped) + " skipped"
		}
		return text
	}
	text = strconv.Itoa(p.done) + " of " + strconv.Itoa(p.total) + " steps " + verb
	if p.skipped > 0 {
		text += ", " + strconv.Itoa(p.skipped) + " skipped"
	}
	return text
}

// header: the task's name, force mark, id and shown state; then elapsed,
// progress and where it runs (server by address, zone, cluster).
func (m *Model) header(f *frame, w, n int, now time.Time) {
	th := m.ctx.Theme
	st := &th.Styles
	t := m.task
	name := m.p.title.s(safetext.Line(t.Name))
	if t.Force() {
		name += " " + st.BadgeWarn.Render("FORCE")
	}
	ts := m.taskStatus()
	status := m.tonePaint(ts.Tone).s(ts.Icon + " " + ts.Word)
	// The id goes first when narrow: the breadcrumb names the task too.
	left := name + " " + m.p.muted.s("#"+strconv.FormatInt(t.ID, 10))
	if ansi.StringWidth(left)+1+ansi.StringWidth(status) > w {
		left = name
	}
	elapsed := th.Glyphs.NotSent
	if d, ok := t.Elapsed(now); ok {
		elapsed = common.Elapsed(d)
	}
	if n < 2 {
		f.add(fitEnds(th, left, status+" "+elapsed+" "+m.progressText(true), w), -1)
		return
	}
	f.add(fitEnds(th, left, status, w), -1)
	f.add(m.p.muted.s(fitFacts(th, m.facts(elapsed), w)), -1)
}

// fact is one item of the header's second line: the ways to say it, the
// longest first, and how soon it gives way when the line is too narrow
// (higher first).
type fact struct {
	says []string
	drop int
}

// facts are the header's facts in reading order.
func (m *Model) facts(elapsed string) []fact {
	t := m.task
	facts := []fact{
		{says: []string{"elapsed " + elapsed}},
		{says: []string{m.progressText(false), m.progressText(true)}, drop: 1},
	}
	switch ids := t.ServerIDs(); {
	case len(ids) == 1:
		facts = append(facts, fact{says: []string{"server " + strings.TrimPrefix(m.serverName(ids[0]), "server ")}, drop: 2})
	case len(ids) > 1:
		names := make([]string, len(ids))
		for i, id := range ids {
			names[i] = strings.TrimPrefix(m.serverName(id), "server ")
		}
		// Each row names its server: the list gives way first.
		facts = append(facts, fact{says: []string{"servers " + strings.Join(names, ", "),
			strconv.Itoa(len(ids)) + " servers"}, drop: 5})
	}
	if z := t.ZoneName(); z != "" {
		facts = append(facts, fact{says: []string{"zone " + safetext.Line(z)}, drop: 3})
	}
	if c := t.ClusterName(); c != "" {
		facts = append(facts, fact{says: []string{"cluster " + safetext.Line(c)}, drop: 4})
	}
	if tn := t.TenantName(); tn != "" {
		facts = append(facts, fact{says: []string{"tenant " + safetext.Line(tn)}, drop: 6})
	}
	// A rollback is said by the state and the progress already.
	if t.Operation != "" && t.Operation != ocp.OpExecute && !(t.Operation == ocp.OpRollback && m.prog.undo) {
		facts = append(facts, fact{says: []string{"operation " + safetext.Line(string(t.Operation))}, drop: 7})
	}
	return facts
}

// fitFacts joins facts with sep in at most w columns. When they do not fit,
// the first to give way (highest drop) says it shorter, then goes; a fact
// is never cut in the middle (an address cut is a wrong address), except
// the last one standing, cut with an ellipsis.
func fitFacts(th *theme.Theme, facts []fact, w int) string {
	sep := th.Glyphs.Bullet
	pick := make([]int, len(facts)) // the saying used; len(says) = dropped
	join := func() string {
		var parts []string
		for i, f := range facts {
			if pick[i] < len(f.says) {
				parts = append(parts, f.says[pick[i]])
			}
		}
		return strings.Join(parts, sep)
	}
	for line := join(); textWidth(line) > w; line = join() {
		worst := -1
		for i, f := range facts {
			if pick[i] < len(f.says) && (worst < 0 || f.drop >= facts[worst].drop) {
				worst = i
			}
		}
		if worst < 0 {
			break
		}
		left := 0
		for i, f := range facts {
			if pick[i] < len(f.says) {
				left++
			}
		}
		if left == 1 && pick[worst] == len(facts[worst].says)-1 {
			return th.Truncate(line, w)
		}
		pick[worst]++
	}
	return join()
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

// age is how old what the view shows is, in the status bar's words (one
// source: common.Freshness): ", updated 26s ago", or "" while it reads
// live or before anything arrived.
func (m *Model) age() string {
	if t := m.ctx.Fresh.Text(m.ctx.Refresh); t != "" && t != "live" {
		return ", " + t
	}
	return ""
}

func (m *Model) bannerLine(b banner, w int, now time.Time) string {
	th := m.ctx.Theme
	switch b {
	case bannerConfirm:
		// The keys that answer always show: the prompt is cut for them.
		icon, keys := th.Icon(theme.ToneWarn)+" ", " y confirm, n cancel"
		room := w - textWidth(icon) - textWidth(keys)
		if room < 8 {
			return m.p.warning.s(th.Truncate(icon+"y confirm, n cancel: "+m.confirm.prompt, w))
		}
		return m.p.warning.s(icon + th.Truncate(m.confirm.prompt, room) + keys)
	case bannerOutcome:
		return m.outcome(w)
	case bannerStale:
		text := " showing the last good answer" + m.age() + "; refresh failed: " + m.shortError(m.err)
		badge := th.Styles.BadgeWarn.Render("STALE")
		return badge + m.p.warning.s(th.Truncate(text, w-ansi.StringWidth(badge)))
	case bannerGone:
		text := " task " + strconv.FormatInt(m.taskID, 10) + " is no longer on the backend (NotFound); its last known graph" + m.age()
		badge := th.Styles.BadgeError.Render("GONE")
		return badge + m.p.error.s(th.Truncate(text, w-ansi.StringWidth(badge)))
	case bannerNoEdges:
		return m.p.warning.s(th.Truncate(th.Icon(theme.ToneWarn)+" steps as listed: this answer has no edges, so their order and branches are not known", w))
	case bannerMalformed:
		return m.p.warning.s(th.Truncate(th.Icon(theme.ToneWarn)+" malformed graph, ordered as far as possible: "+m.graph.Problems.String(), w))
	}
	return ""
}

// outcome says how the task ended and, when it failed, at which step.
func (m *Model) outcome(w int) string {
	th := m.ctx.Theme
	s := m.taskStatus()
	if s.Class != ocp.ClassError {
		text := s.Icon + " Task " + s.Word + ": " + m.progressText(false)
		return m.tonePaint(s.Tone).s(th.Truncate(text, w))
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
		if srv := m.rows[failed[0]].server; srv != "" {
			text += " on " + srv
		}
		if d, ok := f.Elapsed(time.Time{}); ok {
			if limit, ok := f.TimeoutDuration(); ok && d >= limit {
				text += ", past its " + timeoutText(th, f) + " timeout"
			}
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
	if m.noEdges {
		// No edges arrived: no lanes to draw, and none invented.
		writeSpaces(b, 2*c.graph-1)
	} else {
		b.WriteString(style(m.p.lanes, m.lanes.lanes(&m.graph.Rows[r], c.graph)))
	}
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
	nameCell := m.nameCell(d, c.name)
	b.WriteString(nameCell)
	writeSpaces(b, c.name-textWidth(nameCell))
	b.WriteByte(' ')
	width += c.name + 1
	el, ok := s.Elapsed(now)
	elText := "-"
	switch {
	case ok:
		elText = common.Elapsed(el)
	case s.Status.Ended() || s.Active() || s.RolledBack():
		elText = th.Glyphs.NotSent // it ran, but its times did not arrive
	}
	b.WriteString(padLeft(elText, elapsedW))
	b.WriteByte(' ')
	b.WriteString(style(m.p.warning, d.attempts))
	writeSpaces(b, attemptsW-d.attW)
	b.WriteByte(' ')
	// A step that ran ten hours or more is wider than h:mm:ss: the width
	// counts what is written, so the frame cuts the row, never overflows.
	width += max(elapsedW, len(elText)) + 1 + max(attemptsW, d.attW) + 1
	limit, hasLimit := s.TimeoutDuration()
	switch {
	case ok && hasLimit:
		ratio := float64(el.Truncate(time.Second)) / float64(limit)
		if c.gaugeBar > 0 {
			g := m.gauge(el, limit, c.gaugeBar)
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

// nameCell is a row's step name with the server it acts on, in at most w
// columns. The address is never cut (a cut address names another server):
// the name is cut first, then left out, then the address goes too and the
// name alone is cut.
func (m *Model) nameCell(d *rowData, w int) string {
	th := m.ctx.Theme
	if d.server == "" {
		if d.nameW <= w {
			return d.name
		}
		return th.Truncate(d.name, w)
	}
	sepW := textWidth(m.ctx.Theme.Glyphs.Bullet)
	switch {
	case d.nameW+sepW+d.serverW <= w:
		return d.name + m.ctx.Theme.Glyphs.Bullet + d.server
	case w-sepW-d.serverW >= min(d.nameW, 6):
		return th.Truncate(d.name, w-sepW-d.serverW) + m.ctx.Theme.Glyphs.Bullet + d.server
	case d.serverW <= w:
		return d.server
	}
	return th.Truncate(d.name, w)
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
		if srv := m.rows[r].server; srv != "" {
			title += m.ctx.Theme.Glyphs.Bullet + srv
		}
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
	class := safetext.Line(s.ClassName)
	if strings.TrimSpace(class) == "" {
		class = th.Glyphs.NotSent // task lists and older builds send none
	}
	plain("class", truncLeft(th, class, vw))
	el, elOK := s.Elapsed(now)
	// A running step's row already shows its live elapsed time and gauge;
	// repeating them here would rewrite this line every second too, bytes
	// a slow link pays for nothing. Finished steps keep the figures.
	elOK = elOK && !s.Active()
	runs := attemptCount(th, s) + "  timeout " + timeoutText(th, s)
	if limit, ok := s.TimeoutDuration(); elOK && ok {
		runs += " (" + strings.TrimSpace(percent(float64(el.Truncate(time.Second))/float64(limit))) + " used)"
	}
	if s.Operation != "" && s.Operation != ocp.OpExecute {
		runs += "  operation " + safetext.Line(string(s.Operation))
	}
	// Times carry their year and zone as the backend sent them; a finish on
	// its start's day reads as a time of day. One line when it fits, else
	// started/finished and attempts/timeout apart, else compact stamps.
	ran := s.Status.Ended() || s.Active() || s.RolledBack()
	// A time the step must have but that did not arrive reads as not sent;
	// one it does not have yet, "-".
	when := func(t ocp.Time, stamp func(ocp.Time) string, need bool) string {
		if t.IsZero() && t.Valid() && need {
			return th.Glyphs.NotSent
		}
		return stamp(t)
	}
	times := func(stamp func(ocp.Time) string) string {
		t := when(s.StartTime, stamp, ran) + "  finished " +
			when(s.FinishTime, func(f ocp.Time) string { return common.StampAfter(s.StartTime, f) }, ran && !s.Active())
		if elOK {
			t += "  elapsed " + common.Elapsed(el)
		}
		return t
	}
	full := times(common.StampZoned)
	if one := "started " + full + "  attempts " + runs; labelW+textWidth(one) <= w {
		plain("run", one)
	} else {
		if textWidth(full) > vw {
			full = times(common.StampCompact)
		}
		plain("started", full)
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
