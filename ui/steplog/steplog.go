package steplog

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/store"
)

// statusEvery: until the step has ended, every statusEvery-th tick reads
// the task (for the step's status) instead of the log. The log is what the
// operator reads, the status only says when to stop polling; one request
// per tick either way.
const statusEvery = 3

// Model is the step log view. It implements common.Screen.
type Model struct {
	ctx    *common.Context
	taskID int64
	step   ocp.Subtask // as last known
	gone   bool        // the task no longer lists the step

	lines  []string // the log, one entry per line
	raw    string   // the log as read
	loaded bool
	err    error  // the last log read's error
	stamp  string // the step's state the log shown was read for

	follow bool // keep the bottom in view as lines arrive
	vp     viewport.Model
	starts []int // wrapped line where each log line starts
	width  int
	height int

	typing  bool
	search  common.Prompt
	matches []int // log lines holding the query
	current int   // index into matches
}

// New builds the log view of step of task taskID, from what the store
// holds. The store reads what it uses.
func New(ctx *common.Context, taskID int64, step ocp.Subtask) *Model {
	m := &Model{ctx: ctx, taskID: taskID, step: step, follow: true, search: common.NewPrompt(0)}
	m.vp = viewport.New(0, 0)
	m.syncStep()
	m.syncLog()
	return m
}

// Following reports whether new lines scroll into view.
func (m *Model) Following() bool { return m.follow }

// Polling reports whether the view still polls: the step has not ended,
// or its last log has not been read since it did.
func (m *Model) Polling() bool { return !m.final() }

// final reports that the log shown is the step's last: read after it
// ended (or the task stopped listing it).
func (m *Model) final() bool { return m.ended() && m.loaded && m.stamp == m.stepStamp() }

// ended reports that the step's log cannot grow any more.
func (m *Model) ended() bool { return m.gone || m.step.Status.Ended() }

// stepStamp is the step's state: a log read for another is read again.
func (m *Model) stepStamp() string {
	if m.gone {
		return "gone"
	}
	return string(m.step.Status) + "/" + strconv.Itoa(m.step.RunTime)
}

// Lines is the number of log lines loaded.
func (m *Model) Lines() int { return len(m.lines) }

// Matches is the number of lines matching the search.
func (m *Model) Matches() int { return len(m.matches) }

// YOffset is the first wrapped line shown.
func (m *Model) YOffset() int { return m.vp.YOffset }

func (m *Model) Init() tea.Cmd   { return nil }
func (m *Model) Title() string   { return "log " + safetext.Line(m.step.Name) }
func (m *Model) Capturing() bool { return m.typing }

// CopyText is the task's id: the log belongs to it.
func (m *Model) CopyText() (string, bool) { return strconv.FormatInt(m.taskID, 10), true }

// Uses is the log (every tick while the step runs; once more when its
// state changes) and the task, for the step's status (every statusEvery
// ticks until the step ended), one request per tick between them.
func (m *Model) Uses() store.Uses {
	logEvery, taskEvery := 0, 0
	if m.step.Active() && !m.gone {
		logEvery = 1
	}
	if !m.ended() {
		taskEvery = statusEvery
	}
	return store.Uses{OnePerTick: true, List: []store.Use{
		{Key: store.LogKey(m.taskID, m.step.ID), Every: logEvery, Stamp: m.stepStamp()},
		{Key: store.TaskKey(m.taskID), Every: taskEvery},
	}}
}

func (m *Model) ShortHelp() []key.Binding {
	km := m.ctx.Keys
	if m.typing {
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep search")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear search")),
		}
	}
	hints := []key.Binding{km.Up, km.Down, km.Top, km.Bottom, key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search"))}
	if m.search.Value() != "" {
		hints = append(hints, km.SearchNext, km.SearchPrev)
	}
	if !m.follow && !m.ended() {
		hints = append(hints, km.Follow)
	}
	return append(hints, km.Back)
}

func (m *Model) FullHelp() [][]key.Binding {
	km := m.ctx.Keys
	return [][]key.Binding{
		km.Moves(),
		{key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")), km.SearchNext, km.SearchPrev, km.Follow, km.Back},
	}
}

func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case store.ChangedMsg:
		if msg.Key.Kind == store.KindTask {
			m.syncStep()
			return m, nil
		}
		m.syncLog()
		if msg.Failed {
			return m, common.Toast(common.ToastError, "log of %s: %s", safetext.Line(m.step.Name), m.ctx.ErrorText(msg.State.Err))
		}
	case common.ShownMsg:
		m.syncStep()
		m.syncLog()
	case tea.KeyMsg:
		return m, m.key(msg)
	}
	return m, nil
}

// syncStep takes the step's status from the store's task.
func (m *Model) syncStep() {
	t, st := m.ctx.Store.Task(m.taskID)
	if !st.Loaded || st.Err != nil {
		return
	}
	if s := t.Subtask(m.step.ID); s != nil {
		m.step, m.gone = *s, false
	} else {
		m.gone = true
	}
}

// syncLog takes the log from the store. It is kept as it is shown
// (control characters and escapes spelled out, secrets removed), so
// wrapping measures and the search finds exactly what the operator reads.
// The current match stays current as the log grows: the operator is
// reading it (match 2 of 4 becomes 2 of 5, not 1 of 5).
func (m *Model) syncLog() {
	text, st := m.ctx.Store.Log(m.taskID, m.step.ID)
	m.err = st.Err
	if st.Loaded {
		m.stamp = st.Stamp
	}
	if !st.Loaded || (m.loaded && text == m.raw) {
		return
	}
	var keepLine int
	var keepText string
	keep := len(m.matches) > 0
	if keep {
		keepLine = m.matches[m.current]
		keepText = m.lines[keepLine]
	}
	m.raw, m.loaded = text, true
	m.lines = splitLines(m.ctx.Redactor.Safe(text))
	m.find()
	if keep {
		m.keepMatch(keepLine, keepText)
	}
	m.layout()
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
			m.search.SetValue("")
		case tea.KeyEnter:
			m.typing = false
		case tea.KeyBackspace:
			if m.search.Value() == "" {
				m.typing = false
				break
			}
			m.search.Edit(msg)
		default:
			if !m.search.Edit(msg) {
				return nil
			}
		}
		m.find()
		m.layout()
		m.showMatch()
		return nil
	}
	if delta, ok := km.Move(msg, m.vp.Height); ok {
		// Moving up stops following; reaching the bottom (G) follows.
		m.vp.SetYOffset(m.vp.YOffset + delta)
		m.follow = delta > 0 && (m.follow || m.vp.AtBottom())
		return nil
	}
	switch {
	case key.Matches(msg, km.Follow):
		m.vp.GotoBottom()
		m.follow = true
	case key.Matches(msg, km.Filter):
		m.typing = true
	case key.Matches(msg, km.SearchNext):
		m.step1(1)
	case key.Matches(msg, km.SearchPrev):
		m.step1(-1)
	case key.Matches(msg, km.Back):
		if m.search.Value() != "" {
			m.search.SetValue("")
			m.find()
			m.layout()
			return nil
		}
		return common.Pop()
	}
	return nil
}

// find finds the lines holding the query (case-insensitive); the current
// match is the first at or below the top of the view.
func (m *Model) find() {
	m.matches = m.matches[:0]
	m.current = 0
	if m.search.Value() == "" {
		return
	}
	q := strings.ToLower(m.search.Value())
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
	if m.typing || m.search.Value() != "" {
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
				part = highlight(part, m.search.Value(), st.SelectedRow.Render)
			case matched:
				part = highlight(part, m.search.Value(), st.Warning.Render)
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
	case m.follow && !m.final():
		right = append(right, st.Accent.Render("following"))
	case !m.final():
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
	if m.typing || m.search.Value() != "" {
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
		return st.FilterBar.Render("/ ") + m.search.View(st.FilterBar, st.SelectedRow) + "  " + st.MatchCount.Render(count) +
			st.Muted.Render("  enter keep  esc clear")
	}
	km := m.ctx.Keys
	hint := fmt.Sprintf("  %s next  %s previous  esc clears", km.SearchNext.Help().Key, km.SearchPrev.Help().Key)
	return st.FilterBar.Render("search: "+safetext.Line(m.search.Value())) + "  " + st.MatchCount.Render(count) + st.Muted.Render(hint)
}
