package steplog

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/presence"
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

// Place is the task whose step's log is read, for the other operators
// (presence).
func (m *Model) Place() presence.Place { return common.TaskPlace(m.ctx, m.taskID, nil) }

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
