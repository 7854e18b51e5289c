package steplog

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/ui/common"
)

// statusEvery: while the step runs, every statusEvery-th tick reads the
// step's status instead of the log. The log is what the operator reads, the
// status only says when to stop polling; one request per tick either way.
const statusEvery = 3

// logMsg carries one SubtaskLog result to the view that asked (id).
type logMsg struct {
	id   int64
	text string
	err  error
	at   time.Time
}

// statusMsg carries the step as one GetTask found it.
type statusMsg struct {
	id   int64
	step *ocp.Subtask // nil when the task no longer lists it
	err  error
	at   time.Time
}

// Model is the step log view. It implements common.Screen.
type Model struct {
	ctx    *common.Context
	id     int64
	taskID int64
	step   ocp.Subtask // as last known

	lines    []string // the log, one entry per line
	loaded   bool
	err      error // last log fetch's error
	inflight bool
	checking bool // a status fetch is in flight
	final    bool // the log was fetched after the step ended: no more polling
	ticks    int

	follow bool // keep the bottom in view as lines arrive
	vp     viewport.Model
	starts []int // wrapped line where each log line starts
	width  int
	height int

	typing  bool
	query   string
	matches []int // log lines holding the query
	current int   // index into matches
}

// New builds the log view of step of task taskID. It fetches nothing until
// Init.
func New(ctx *common.Context, taskID int64, step ocp.Subtask) *Model {
	m := &Model{ctx: ctx, id: ctx.NewID(), taskID: taskID, step: step, follow: true}
	m.vp = viewport.New(0, 0)
	return m
}

// ShowsTask is the task this view belongs to: the console's root counts the
// operator as watching that task while the log is shown.
func (m *Model) ShowsTask() int64 { return m.taskID }

// Following reports whether new lines scroll into view.
func (m *Model) Following() bool { return m.follow }

// Polling reports whether the view still polls (the step has not ended, or
// its final log has not arrived yet).
func (m *Model) Polling() bool { return !m.final }

// Lines is the number of log lines loaded.
func (m *Model) Lines() int { return len(m.lines) }

// Matches is the number of lines matching the search.
func (m *Model) Matches() int { return len(m.matches) }

// YOffset is the first wrapped line shown.
func (m *Model) YOffset() int { return m.vp.YOffset }

func (m *Model) Init() tea.Cmd   { return m.fetchLog() }
func (m *Model) Title() string   { return "log " + safetext.Line(m.step.Name) }
func (m *Model) Capturing() bool { return m.typing }

func (m *Model) ShortHelp() []key.Binding {
	km := m.ctx.Keys
	if m.typing {
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep search")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear search")),
		}
	}
	hints := []key.Binding{km.Up, km.Down, km.Top, km.Bottom, key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search"))}
	if m.query != "" {
		hints = append(hints, km.SearchNext, km.SearchPrev)
	}
	if !m.follow && m.running() {
		hints = append(hints, km.Follow)
	}
	return append(hints, km.Back)
}

func (m *Model) FullHelp() [][]key.Binding {
	km := m.ctx.Keys
	return [][]key.Binding{
		{km.Up, km.Down, km.PageUp, km.PageDown, km.Top, km.Bottom},
		{key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")), km.SearchNext, km.SearchPrev, km.Follow, km.Back},
	}
}

// running reports whether the step's log can still grow.
func (m *Model) running() bool {
	switch m.step.Status {
	case ocp.SubtaskSuccessful, ocp.SubtaskFailed:
		return false
	}
	return true
}

func (m *Model) fetchLog() tea.Cmd {
	if m.inflight {
		return nil
	}
	m.inflight = true
	id, exec, base, taskID, subID := m.id, m.ctx.Exec, m.ctx.Lifetime, m.taskID, m.step.ID
	return func() tea.Msg {
		text, err := exec.SubtaskLog(base, taskID, subID)
		return logMsg{id: id, text: text, err: err, at: exec.Now()}
	}
}

func (m *Model) fetchStatus() tea.Cmd {
	if m.checking {
		return nil
	}
	m.checking = true
	id, exec, base, taskID, subID := m.id, m.ctx.Exec, m.ctx.Lifetime, m.taskID, m.step.ID
	return func() tea.Msg {
		t, err := exec.GetTask(base, taskID)
		msg := statusMsg{id: id, err: err, at: exec.Now()}
		if err == nil {
			if s := t.Subtask(subID); s != nil {
				c := *s
				msg.step = &c
			}
		}
		return msg
	}
}

func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case logMsg:
		if msg.id != m.id {
			return m, nil
		}
		return m, m.gotLog(msg)
	case statusMsg:
		if msg.id != m.id {
			return m, nil
		}
		m.checking = false
		if msg.err != nil {
			return m, common.Fetched(msg.at, msg.err)
		}
		was := m.running()
		if msg.step != nil {
			m.step = *msg.step
		}
		var cmd tea.Cmd
		if was && (!m.running() || msg.step == nil) {
			// The step ended (or is gone): one last read for its last lines.
			if msg.step == nil {
				m.final = true
			}
			cmd = m.fetchLog()
		}
		return m, tea.Batch(common.Fetched(msg.at, nil), cmd)
	case common.TickMsg:
		if m.final {
			return m, nil
		}
		// One request per tick: the log, or every statusEvery-th tick the
		// step's status instead.
		m.ticks++
		if m.ticks%statusEvery == 0 {
			return m, m.fetchStatus()
		}
		return m, m.fetchLog()
	case common.ShownMsg:
		if m.final {
			return m, nil
		}
		return m, m.fetchLog()
	case common.RefreshMsg:
		m.final = false
		if msg.Probe {
			// After a denial: the log alone; the status follows on ticks.
			return m, m.fetchLog()
		}
		return m, tea.Batch(m.fetchLog(), m.fetchStatus())
	case tea.KeyMsg:
		return m, m.key(msg)
	}
	return m, nil
}

// gotLog records a log answer and says whether polling goes on.
func (m *Model) gotLog(msg logMsg) tea.Cmd {
	m.inflight = false
	cmds := []tea.Cmd{common.Fetched(msg.at, msg.err)}
	if msg.err != nil {
		// A denial is said once, by the root, which stops all polling.
		if m.err == nil && !common.Denied(msg.err) {
			cmds = append(cmds, common.Toast(common.ToastError, "log of %s: %s", safetext.Line(m.step.Name), m.ctx.ErrorText(msg.err)))
		}
		m.err = msg.err
		return tea.Batch(cmds...)
	}
	m.err = nil
	m.loaded = true
	// The log is kept as it is shown (control characters and escapes
	// spelled out, secrets removed), so wrapping measures and the search
	// finds exactly what the operator reads.
	// The current match stays current as the log grows: the operator is
	// reading it (match 2 of 4 becomes 2 of 5, not 1 of 5).
	var keepLine int
	var keepText string
	keep := len(m.matches) > 0
	if keep {
		keepLine = m.matches[m.current]
		keepText = m.lines[keepLine]
	}
	m.lines = splitLines(m.ctx.Redactor.Safe(msg.text))
	if !m.running() {
		m.final = true
	}
	m.search()
	if keep {
		m.keepMatch(keepLine, keepText)
	}
	m.layout()
	return tea.Batch(cmds...)
}

// splitLines splits a log into lines, dropping the empty line a final
// newline leaves.
func splitLines(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.TrimSuffix(text, "\n")
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	km := m.ctx.Keys
	if m.typing {
		switch msg.Type {
		case tea.KeyEsc:
			m.typing = false
			m.query = ""
		case tea.KeyEnter:
			m.typing = false
		case tea.KeyBackspace:
			if q := []rune(m.query); len(q) > 0 {
				m.query = string(q[:len(q)-1])
			} else {
				m.typing = false
			}
		case tea.KeyCtrlU:
			m.query = ""
		case tea.KeyRunes, tea.KeySpace:
			m.query += string(msg.Runes)
		default:
			return nil
		}
		m.search()
		m.layout()
		m.showMatch()
		return nil
	}
	switch {
	case key.Matches(msg, km.Up):
		m.vp.ScrollUp(1)
		m.follow = false
	case key.Matches(msg, km.Down):
		m.vp.ScrollDown(1)
		m.follow = m.follow || m.vp.AtBottom()
	case key.Matches(msg, km.PageUp):
		m.vp.PageUp()
		m.follow = false
	case key.Matches(msg, km.PageDown):
		m.vp.PageDown()
		m.follow = m.follow || m.vp.AtBottom()
	case key.Matches(msg, km.Top):
		m.vp.GotoTop()
		m.follow = false
	case key.Matches(msg, km.Bottom), key.Matches(msg, km.Follow):
		m.vp.GotoBottom()
		m.follow = true
	case key.Matches(msg, km.Filter):
		m.typing = true
	case key.Matches(msg, km.SearchNext):
		m.step1(1)
	case key.Matches(msg, km.SearchPrev):
		m.step1(-1)
	case key.Matches(msg, km.Back):
		if m.query != "" {
			m.query = ""
			m.search()
			m.layout()
			return nil
		}
		return common.Pop()
	}
	return nil
}

// search finds the lines holding the query (case-insensitive); the
// current match is the first at or below the top of the view.
func (m *Model) search() {
	m.matches = m.matches[:0]
	m.current = 0
	if m.query == "" {
		return
	}
	q := strings.ToLower(m.query)
	for i, l := range m.lines {
		if strings.Contains(strings.ToLower(l), q) {
			m.matches = append(m.matches, i)
		}
	}
	top := m.lineAt(m.vp.YOffset)
	for i, l := range m.matches {
		if l >= top {
			m.current = i
			return
		}
	}
}

// keepMatch makes the match on log line line current again when that line
// still reads text (the log grew below it); when it changed (the log was
// rewritten), the first match at or after it.
func (m *Model) keepMatch(line int, text string) {
	if len(m.matches) == 0 {
		return
	}
	for i, l := range m.matches {
		if l == line && m.lines[l] == text {
			m.current = i
			return
		}
		if l > line {
			m.current = i
			return
		}
	}
	m.current = len(m.matches) - 1
}

// lineAt is the log line a wrapped line belongs to.
func (m *Model) lineAt(wrapped int) int {
	lo, hi := 0, len(m.starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if m.starts[mid] <= wrapped {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// step1 moves to the next (+1) or previous (-1) match, wrapping around.
func (m *Model) step1(dir int) {
	if len(m.matches) == 0 {
		return
	}
	m.current = (m.current + dir + len(m.matches)) % len(m.matches)
	m.layout()
	m.showMatch()
}

// showMatch scrolls the current match into view; scrolling away from
// the bottom stops following.
func (m *Model) showMatch() {
	if len(m.matches) == 0 || len(m.starts) == 0 {
		return
	}
	at := m.starts[m.matches[m.current]]
	if at < m.vp.YOffset || at >= m.vp.YOffset+m.vp.Height {
		m.vp.SetYOffset(at - m.vp.Height/3)
		m.follow = m.vp.AtBottom() && m.follow
	}
}

func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.layout()
}

// bodyHeight is the viewport's height: the area less the heading and,
// while a search is open or set, the search line.
func (m *Model) bodyHeight() int {
	h := m.height - 1
	if m.typing || m.query != "" {
		h--
	}
	return max(h, 0)
}

// layout wraps the log to the width and hands it to the viewport, keeping
// the bottom in view while following.
func (m *Model) layout() {
	w := max(m.width, 1)
	m.vp.Width, m.vp.Height = w, m.bodyHeight()
	st := m.ctx.Styles()
	m.starts = m.starts[:0]
	var b strings.Builder
	n := 0
	cur := -1
	if len(m.matches) > 0 {
		cur = m.matches[m.current]
	}
	mi := 0
	for i, line := range m.lines {
		m.starts = append(m.starts, n)
		matched := mi < len(m.matches) && m.matches[mi] == i
		if matched {
			mi++
		}
		for j, part := range wrap(line, w) {
			if n > 0 {
				b.WriteByte('\n')
			}
			n++
			if j > 0 {
				part = "  " + part
			}
			switch {
			case i == cur:
				part = highlight(part, m.query, st.SelectedRow.Render)
			case matched:
				part = highlight(part, m.query, st.Warning.Render)
			}
			b.WriteString(part)
		}
	}
	m.vp.SetContent(b.String())
	if m.follow {
		m.vp.GotoBottom()
	} else {
		m.vp.SetYOffset(m.vp.YOffset)
	}
}

// wrap breaks a line at spaces (or inside words longer than the width)
// into pieces that, with the two-column indent of continuation pieces, fit
// in width columns.
func wrap(line string, width int) []string {
	line = strings.ReplaceAll(line, "\t", "    ")
	if ansi.StringWidth(line) <= width || width < 8 {
		return []string{line}
	}
	return strings.Split(ansi.Wrap(line, width-2, ""), "\n")
}

// highlight styles every case-insensitive occurrence of q in s (plain
// text: log lines carry no styling of their own).
func highlight(s, q string, style func(...string) string) string {
	if q == "" {
		return s
	}
	lower, lq := strings.ToLower(s), strings.ToLower(q)
	if len(lower) != len(s) {
		return s // case folding changed byte offsets: leave the line plain
	}
	var b strings.Builder
	for {
		i := strings.Index(lower, lq)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(style(s[i : i+len(q)]))
		s, lower = s[i+len(q):], lower[i+len(q):]
	}
}

// View draws the heading, the log and the search line in the given area.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	th := m.ctx.Theme
	st := &th.Styles
	status := th.Render(th.StepOutcome(&m.step))
	left := st.Title.Render("Log of "+safetext.Line(m.step.Name)) + " " + st.Muted.Render("#"+strconv.FormatInt(m.step.ID, 10)) + "  " + status
	// The right side gives way from its end: the line count goes first,
	// then following/paused; STALE stays (the title is cut for it).
	var right []string
	stale := ""
	if m.err != nil && m.loaded {
		stale = st.BadgeWarn.Render("STALE")
	}
	switch {
	case m.follow && !m.final:
		right = append(right, st.Accent.Render("following"))
	case !m.final:
		right = append(right, st.Muted.Render("paused"))
	}
	if total := m.vp.TotalLineCount(); m.loaded && len(m.lines) > 0 {
		from := m.lineAt(m.vp.YOffset) + 1
		to := m.lineAt(min(m.vp.YOffset+m.vp.Height, total) - 1)
		right = append(right, st.Muted.Render(fmt.Sprintf("lines %d-%d of %d", from, to+1, len(m.lines))))
	}
	join := func(parts []string) string {
		if stale != "" {
			parts = append([]string{stale}, parts...)
		}
		return strings.Join(parts, " ")
	}
	// When the step ran, with the year and zone the backend sent, after its
	// state: compact when narrow; it gives way after the line count, before
	// following/paused.
	var stamps []string
	if start := m.step.StartTime; !start.IsZero() {
		finished := ""
		if !m.step.FinishTime.IsZero() && !m.step.Active() {
			finished = " finished " + common.StampAfter(start, m.step.FinishTime)
		}
		stamps = []string{"started " + common.StampZoned(start) + finished,
			"started " + common.StampCompact(start) + finished, "started " + common.StampCompact(start)}
	}
	fits := func(l, r string) bool { return ansi.StringWidth(l)+1+ansi.StringWidth(r) <= m.width }
	r := join(right)
	placed := false
	for keep := len(right); keep >= 0 && !placed; keep-- {
		if keep < len(right) && !strings.HasPrefix(ansi.Strip(right[keep]), "lines") {
			break // only the line count gives way to the times
		}
		for _, stamp := range stamps {
			with := left + "  " + st.Muted.Render(stamp)
			if fits(with, join(right[:keep])) {
				left, right, r, placed = with, right[:keep], join(right[:keep]), true
				break
			}
		}
	}
	for len(right) > 0 && !fits(left, r) {
		right = right[:len(right)-1]
		r = join(right)
	}
	if stale != "" {
		left = th.Truncate(left, m.width-1-ansi.StringWidth(r))
	}
	lines := []string{common.JoinEnds(th.Truncate(left, m.width), r, m.width)}

	var body string
	switch {
	case !m.loaded && m.err != nil:
		body = st.Error.Render(th.Truncate("Could not load the log: "+m.ctx.ErrorText(m.err), m.width)) + "\n" +
			st.Muted.Render(th.Truncate("ctrl+r retries.", m.width))
	case !m.loaded:
		body = st.Muted.Render("Loading the log" + th.Glyphs.Ellipsis)
	case len(m.lines) == 0:
		body = st.Muted.Render("The log is empty.")
	default:
		body = m.vp.View()
	}
	lines = append(lines, common.Fit(body, m.width, m.bodyHeight()))
	if m.typing || m.query != "" {
		lines = append(lines, m.searchLine())
	}
	return common.Fit(strings.Join(lines, "\n"), m.width, m.height)
}

func (m *Model) searchLine() string {
	st := m.ctx.Styles()
	count := "no match"
	if len(m.matches) > 0 {
		count = fmt.Sprintf("match %d of %d", m.current+1, len(m.matches))
	}
	if m.typing {
		return st.FilterBar.Render("/ "+safetext.Line(m.query)) + st.SelectedRow.Render(" ") + "  " + st.MatchCount.Render(count) +
			st.Muted.Render("  enter keep  esc clear")
	}
	km := m.ctx.Keys
	hint := fmt.Sprintf("  %s next  %s previous  esc clears", km.SearchNext.Help().Key, km.SearchPrev.Help().Key)
	return st.FilterBar.Render("search: "+safetext.Line(m.query)) + "  " + st.MatchCount.Render(count) + st.Muted.Render(hint)
}
