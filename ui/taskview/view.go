package taskview

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
)

// rowData is what a row shows that does not change with the clock,
// prepared once per answer so a frame only formats times.
type rowData struct {
	tone     theme.Tone
	word     string // "icon WORD", styled
	icon     string // the icon alone, styled
	attempts string
	limit    string
}

func (m *Model) buildRows() []rowData {
	th := m.ctx.Theme
	rows := make([]rowData, len(m.graph.Rows))
	m.nameW = 0
	// Few distinct statuses: style each once.
	type styled struct {
		tone       theme.Tone
		word, icon string
	}
	cache := map[ocp.SubtaskStatus]styled{}
	for r := range m.graph.Rows {
		s := m.step(r)
		st, ok := cache[s.Status]
		if !ok {
			ts := th.Subtask(s.Status)
			st = styled{ts.Tone, th.Render(ts), th.RenderIcon(ts)}
			cache[s.Status] = st
		}
		m.nameW = max(m.nameW, ansi.StringWidth(s.Name))
		rows[r] = rowData{tone: st.tone, word: st.word, icon: st.icon,
			attempts: attempts(th, s.RunTime), limit: timeoutText(s.Timeout)}
	}
	return rows
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
// detail pane keeps about a third of what is left (at most 8 lines).
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

// View renders the view into exactly its area. Pure: reads the model, the
// size and ctx.Now only.
func (m *Model) View() string {
	w, h := m.width, m.height
	if w <= 0 || h <= 0 {
		return ""
	}
	th := m.ctx.Theme
	st := &th.Styles
	if m.task == nil {
		lines := []string{st.Title.Render(th.Truncate("Task "+strconv.FormatInt(m.taskID, 10), w))}
		if m.err != nil {
			lines = append(lines, st.Error.Render(th.Truncate(th.Icon(theme.ToneError)+" "+common.ErrorText(m.err), w)))
		} else {
			lines = append(lines, st.Muted.Render(th.Truncate("loading task "+strconv.FormatInt(m.taskID, 10)+th.Glyphs.Ellipsis, w)))
		}
		return common.Fit(strings.Join(lines, "\n"), w, h)
	}
	now := m.now()
	p := m.plan()
	lines := make([]string, 0, h)
	lines = append(lines, m.header(w, p.header, now)...)
	for _, b := range m.banners() {
		lines = append(lines, m.bannerLine(b, w, now))
	}
	cols := layoutColumns(th, w, m.graph.Width, m.nameW)
	if p.colHeader > 0 {
		lines = append(lines, m.columnHeader(cols, w))
	}
	sel := m.selectedRow()
	off := clampOffset(m.offset, sel, p.graph, len(m.rows))
	for r := off; r < off+p.graph && r < len(m.rows); r++ {
		lines = append(lines, m.rowLine(r, r == sel, cols, w, now))
	}
	if p.detail > 0 {
		lines = append(lines, m.detail(w, p.detail, off, p.graph, now)...)
	}
	return common.Fit(strings.Join(lines, "\n"), w, h)
}

// header: the task's name, id, force mark and status; then elapsed, steps
// done/total and where it runs.
func (m *Model) header(w, n int, now time.Time) []string {
	th := m.ctx.Theme
	st := &th.Styles
	t := m.task
	name := st.Title.Render(t.Name)
	if t.Force() {
		name += " " + st.BadgeWarn.Render("FORCE")
	}
	status := th.Render(th.Task(t.Status))
	// The id goes first when narrow: the breadcrumb names the task too.
	left := name + " " + st.Muted.Render("#"+strconv.FormatInt(t.ID, 10))
	if ansi.StringWidth(left)+1+ansi.StringWidth(status) > w {
		left = name
	}
	elapsed := "-"
	if d, ok := taskElapsed(t, now); ok {
		elapsed = common.Elapsed(d)
	}
	steps := strconv.Itoa(m.done) + "/" + strconv.Itoa(len(t.Subtasks)) + " done"
	if n < 2 {
		right := status + " " + elapsed + " " + steps
		return []string{fitEnds(th, left, right, w)}
	}
	facts := []string{"elapsed " + elapsed, "steps " + steps}
	if c := t.Context.Get("cluster_name"); c != "" {
		facts = append(facts, "cluster "+c)
	}
	if z := t.Context.Get("zone_name"); z != "" {
		facts = append(facts, "zone "+z)
	}
	if s := t.Context.Get("server_id"); s != "" {
		facts = append(facts, "server "+s)
	}
	if t.Operation != "" && t.Operation != ocp.OpExecute {
		facts = append(facts, "operation "+string(t.Operation))
	}
	second := st.Muted.Render(th.Truncate(strings.Join(facts, th.Glyphs.Bullet), w))
	return []string{fitEnds(th, left, status, w), second}
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
	st := &th.Styles
	switch b {
	case bannerConfirm:
		return st.Warning.Render(th.Truncate(th.Icon(theme.ToneWarn)+" "+m.confirm.prompt+" y confirm, n cancel", w))
	case bannerOutcome:
		return m.outcome(w)
	case bannerStale:
		text := " showing the last graph"
		if d := now.Sub(m.at); !m.at.IsZero() && d > 0 {
			text = " showing " + common.Elapsed(d) + " old graph"
		}
		text += "; refresh failed: " + shortError(m.err)
		badge := st.BadgeWarn.Render("STALE")
		return badge + st.Warning.Render(th.Truncate(text, w-ansi.StringWidth(badge)))
	case bannerMalformed:
		return st.Warning.Render(th.Truncate(th.Icon(theme.ToneWarn)+" malformed graph, ordered as far as possible: "+m.graph.Problems.String(), w))
	}
	return ""
}

// outcome says how the task ended and, when it failed, at which step.
func (m *Model) outcome(w int) string {
	th := m.ctx.Theme
	st := &th.Styles
	t := m.task
	s := th.Task(t.Status)
	if t.Status != ocp.TaskFailed {
		text := s.Icon + " Task " + s.Word + ": " + strconv.Itoa(m.done) + " of " + strconv.Itoa(len(t.Subtasks)) + " steps done"
		if t.Operation == ocp.OpRollback {
			text += " (rolled back)"
		}
		return st.OK.Render(th.Truncate(text, w))
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
		text += " at step " + strconv.Itoa(failed[0]+1) + "/" + strconv.Itoa(len(m.rows)) + " \"" + f.Name + "\""
		if d, ok := stepElapsed(f, time.Time{}); ok && f.Timeout > 0 && timeoutRatio(d, f.Timeout) >= 1 {
			text += ", past its " + timeoutText(f.Timeout) + " timeout"
		}
		if len(failed) > 1 {
			text += " and " + strconv.Itoa(len(failed)-1) + " more"
		}
	}
	return st.Error.Render(th.Truncate(text, w))
}

func (m *Model) columnHeader(c columns, w int) string {
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", cursorW+2*c.graph-1+1))
	b.WriteString(padTo("STATUS", c.statusW))
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
	if !c.words {
		// The status column is an icon wide: the title would not fit.
		return m.ctx.Theme.Styles.Header.Render(common.PadRight(strings.Replace(b.String(), "STATUS", "", 1), w))
	}
	return m.ctx.Theme.Styles.Header.Render(common.PadRight(b.String(), w))
}

// rowLine draws graph row r.
func (m *Model) rowLine(r int, selected bool, c columns, w int, now time.Time) string {
	th := m.ctx.Theme
	st := &th.Styles
	s := m.step(r)
	d := m.rows[r]
	var b strings.Builder
	b.Grow(w * 2)
	if selected {
		b.WriteString(common.PadRight(th.Glyphs.Cursor, cursorW))
	} else {
		b.WriteString("  ")
	}
	b.WriteString(st.Muted.Render(m.lanes.lanes(&m.graph.Rows[r], c.graph)))
	b.WriteByte(' ')
	if c.words {
		b.WriteString(common.PadRight(d.word, c.statusW))
	} else {
		b.WriteString(common.PadRight(d.icon, c.statusW))
	}
	b.WriteByte(' ')
	b.WriteString(common.PadRight(th.Truncate(s.Name, c.name), c.name))
	b.WriteByte(' ')
	el, ok := stepElapsed(s, now)
	if ok {
		b.WriteString(padLeft(common.Elapsed(el), elapsedW))
	} else {
		b.WriteString(padLeft("-", elapsedW))
	}
	b.WriteByte(' ')
	b.WriteString(st.Warning.Render(padTo(d.attempts, attemptsW)))
	b.WriteByte(' ')
	switch {
	case ok && s.Timeout > 0:
		ratio := timeoutRatio(el, s.Timeout)
		if c.gaugeBar > 0 {
			b.WriteString(th.Gauge(el, time.Duration(s.Timeout)*time.Second, c.gaugeBar))
			b.WriteByte(' ')
		}
		b.WriteString(pctStyle(th, ratio).Render(percent(ratio)))
	case c.gaugeBar > 0:
		b.WriteString(strings.Repeat(" ", c.gaugeBar+1+pctW))
	default:
		b.WriteString(strings.Repeat(" ", pctW))
	}
	if c.limit {
		b.WriteByte(' ')
		b.WriteString(st.Muted.Render(padLeft(d.limit, limitW)))
	}
	line := common.PadRight(b.String(), w)
	switch {
	case selected:
		return st.SelectedRow.Render(ansi.Strip(line))
	case m.Stale():
		return st.Stale.Render(ansi.Strip(line))
	}
	return line
}

// pctStyle colours the timeout percentage like the gauge; it is bold from
// the warning threshold so the state shows without colour too.
func pctStyle(th *theme.Theme, ratio float64) lipgloss.Style {
	switch theme.GaugeTone(ratio) {
	case theme.ToneWarn:
		return th.Styles.Warning
	case theme.ToneError:
		return th.Styles.Error
	}
	return th.Styles.Muted
}

// detail is the selected step's pane: a rule with its name and the scroll
// position, then description, class, times and attempts, then its log tail.
func (m *Model) detail(w, h, off, gh int, now time.Time) []string {
	th := m.ctx.Theme
	st := &th.Styles
	lines := make([]string, 0, h)
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
		f := m.ctx.Keys.Follow.Help()
		hints = append(hints, f.Key+" "+f.Desc)
	}
	title := "no steps"
	if r >= 0 {
		title = "step " + strconv.Itoa(r+1) + "/" + strconv.Itoa(n) + ": " + m.step(r).Name
	}
	lines = append(lines, m.rule(title, strings.Join(hints, " "), w))
	if r < 0 {
		return lines
	}
	s := m.step(r)
	const labelW = 12
	label := func(l string) string { return st.Muted.Render(padTo(l, labelW)) }
	value := func(v string) string { return th.Truncate(v, w-labelW) }
	// OCP's descriptions usually repeat the name, already in the rule.
	if d := strings.TrimSpace(s.Description); d != "" && d != s.Name {
		lines = append(lines, label("description")+value(d))
	}
	lines = append(lines, label("class")+truncLeft(th, orDash(s.ClassName), w-labelW))
	times := common.Stamp(s.StartTime) + "  finished " + common.Stamp(s.FinishTime)
	if el, ok := stepElapsed(s, now); ok {
		times += "  elapsed " + common.Elapsed(el)
	}
	runs := strconv.Itoa(s.RunTime) + "  timeout " + timeoutText(s.Timeout)
	if el, ok := stepElapsed(s, now); ok && s.Timeout > 0 {
		runs += " (" + strings.TrimSpace(percent(timeoutRatio(el, s.Timeout))) + " used)"
	}
	if s.Operation != "" && s.Operation != ocp.OpExecute {
		runs += "  operation " + string(s.Operation)
	}
	// One line when it fits, else started/finished and attempts/timeout apart.
	if one := "started " + times + "  attempts " + runs; labelW+ansi.StringWidth(one) <= w {
		lines = append(lines, label("run")+one)
	} else {
		lines = append(lines, label("started")+value(times), label("attempts")+value(runs))
	}

	room := h - len(lines)
	if room <= 0 {
		return lines[:h]
	}
	var logLines []string
	switch {
	case m.log.subtaskID != m.sel || !m.log.loaded:
		logLines = []string{st.Muted.Render("loading" + th.Glyphs.Ellipsis)}
	case m.log.err != nil:
		logLines = []string{st.Warning.Render(th.Truncate("unavailable: "+common.ErrorText(m.log.err), w-labelW))}
	default:
		logLines = logTail(th, m.log.text, room, w-labelW)
		if len(logLines) == 0 {
			logLines = []string{st.Muted.Render("(empty)")}
		}
	}
	for i, l := range logLines {
		if i == 0 {
			lines = append(lines, label("log")+l)
		} else {
			lines = append(lines, strings.Repeat(" ", labelW)+l)
		}
	}
	return lines
}

// rule is a horizontal line with a title on the left and hints on the right.
func (m *Model) rule(title, hints string, w int) string {
	th := m.ctx.Theme
	st := &th.Styles
	bar := th.Border().Top
	left := bar + bar + " " + title + " "
	right := ""
	if hints != "" {
		right = " " + hints + " " + bar
	}
	if ansi.StringWidth(left)+ansi.StringWidth(right) > w {
		right = ""
	}
	left = th.Truncate(left, w)
	fill := w - ansi.StringWidth(left) - ansi.StringWidth(right)
	return st.Muted.Render(left + strings.Repeat(bar, max(fill, 0)) + right)
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
		// Tabs, carriage returns and escapes from the log would break the layout.
		line := ansi.Strip(logCleaner.Replace(text[start:end]))
		wrapped := strings.Split(ansi.Wrap(line, w, ""), "\n")
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

var logCleaner = strings.NewReplacer("\t", "    ", "\r", "")

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

// shortError is an error's kind and message without the operation (the
// toast names it): what fits in a banner.
func shortError(err error) string {
	var be *backend.Error
	if errors.As(err, &be) {
		msg := be.Message
		if msg == "" && be.Err != nil {
			msg = be.Err.Error()
		}
		if msg == "" {
			return be.Kind.String()
		}
		return be.Kind.String() + ": " + msg
	}
	return common.ErrorText(err)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

func padTo(s string, w int) string {
	if n := w - ansi.StringWidth(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

func padLeft(s string, w int) string {
	if n := w - ansi.StringWidth(s); n > 0 {
		return strings.Repeat(" ", n) + s
	}
	return s
}
