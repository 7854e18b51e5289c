// Package taskview is the Task view: one task's subtask graph, live. Steps
// are listed in execution order (backend/dag), one per row, with lanes for
// parallel branches drawn git-log style; each row shows the status icon
// and word, the step name, elapsed runtime, attempts and a timeout gauge. A
// header sums the task up and a detail pane shows the selected step with
// the tail of its log.
//
// Data: the view uses three store entries (Uses): the task, polled every
// refresh while the view is shown and not at all once it has ended (an
// action sets it running again, ctrl+r reads it anyway); the selected
// step's log, read when the selection moves to it or the step changes
// status or attempt (its Stamp), and every logEvery ticks while it runs;
// and, once, its cluster's servers, for their addresses. They share one
// request per tick (OnePerTick), and a log read made between ticks skips
// the next tick's, so watching costs at most one request per interval. A
// failed refresh keeps the last graph on screen, marked stale.
package taskview

import (
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/dag"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/keys"
	"github.com/obconsole/obconsole/ui/presence"
	"github.com/obconsole/obconsole/ui/steplog"
	"github.com/obconsole/obconsole/ui/store"
)

// logEvery is how many ticks pass between log reads of a running selected
// step: the log grows while a step runs, but the task itself is what the
// operator watches.
const logEvery = 5

// stepCounts is what the task has done: steps done (skipped ones apart) of
// the total while it runs forward; steps undone of those that ran while it
// rolls back (ocp.Task.Progress).
type stepCounts struct {
	done, skipped, total int
	undo                 bool
}

// Model is the Task view. It implements common.Screen.
type Model struct {
	ctx    *common.Context
	taskID int64
	lanes  *laneGlyphs

	task    *ocp.Task  // the last good answer; nil before the first
	version uint64     // the store's version of it
	graph   *dag.Graph // its order and lanes
	noEdges bool       // the answer sent no edges (a task-list shape): no lanes drawn
	rows    []rowData  // per row, what does not change with the clock
	prog    stepCounts
	nameW   int       // the longest step name (with its server)
	serverW int       // the widest server label of a row, separator included
	statusW int       // the widest status drawn
	at      time.Time // backend time of the last good answer

	err  error // the last answer's error; nil when it worked
	gone bool  // the backend answered NotFound for a task it had shown

	// Addresses of the task's servers, by id (see servers.go).
	addrs map[int64]string

	sel    int64 // selected subtask id; 0 before the first answer
	follow bool  // the selection follows the running step
	offset int   // first graph row shown
	bigLog bool  // l: the detail pane takes most of the height for the log

	log      logState
	logShown bool // some step's log has been shown since the view opened

	confirm *pending // an operation waiting for y

	width, height int

	// Rendering aids, built once: styles taken apart, styled statuses,
	// drawn gauges and the wrapped log tail (see paint.go and view.go).
	p        paints
	tone     [16]*paint // per theme.Tone, built on first use
	statuses map[string]*styledStatus
	gauges   map[gaugeKey]string
	tailMemo tailMemo
}

// logState is the detail pane's log: one step's, as last read.
type logState struct {
	subtaskID int64  // whose log text holds; 0 = none
	raw       string // as read
	text      string // as shown
	err       error
	loaded    bool
}

var _ common.Screen = (*Model)(nil)

// New builds the Task view on a task, from what the store already holds.
// It does no I/O: the store reads what it uses.
func New(ctx *common.Context, taskID int64) *Model {
	m := &Model{ctx: ctx, taskID: taskID, lanes: newLaneGlyphs(ctx.Theme), follow: true,
		statuses: map[string]*styledStatus{}, gauges: map[gaugeKey]string{}}
	st := &ctx.Theme.Styles
	m.p = paints{
		title: newPaint(st.Title), muted: newPaint(st.Muted), warning: newPaint(st.Warning),
		error: newPaint(st.Error), ok: newPaint(st.OK), lanes: newPaint(st.Muted),
		selected: newPaint(st.SelectedRow), stale: newPaint(st.Stale),
	}
	m.syncTask()
	m.syncServers()
	m.syncLog()
	return m
}

// tonePaint is the status colour of a tone.
func (m *Model) tonePaint(t theme.Tone) paint {
	if t < 0 || int(t) >= len(m.tone) {
		t = theme.ToneUnknown
	}
	if m.tone[t] == nil {
		p := newPaint(m.ctx.Theme.ToneStyle(t))
		m.tone[t] = &p
	}
	return *m.tone[t]
}

// Place is the task watched, and its cluster once known, for the other
// operators (presence).
func (m *Model) Place() presence.Place { return common.TaskPlace(m.ctx, m.taskID, m.task) }

// Title is the breadcrumb part: "task 42".
func (m *Model) Title() string { return "task " + strconv.FormatInt(m.taskID, 10) }

// SetSize gives the view its area.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(w, 0), max(h, 0)
	m.scrollToSelection()
}

// Capturing is always false: the view takes no text.
func (m *Model) Capturing() bool { return false }

// Init does nothing: the store reads what the view uses.
func (m *Model) Init() tea.Cmd { return nil }

// CopyText is the task's id.
func (m *Model) CopyText() (string, bool) { return strconv.FormatInt(m.taskID, 10), true }

// Stale reports that the graph shown is from before a failed refresh.
func (m *Model) Stale() bool { return m.task != nil && m.err != nil }

// Gone reports that the backend no longer knows the task it had shown
// (NotFound): its last known graph stays, with its clocks stopped.
func (m *Model) Gone() bool { return m.Stale() && m.gone }

// Ended reports that the task has ended and polling stopped.
func (m *Model) Ended() bool { return m.task != nil && m.task.Outcome().Ended() }

// Following reports whether the selection follows the running step.
func (m *Model) Following() bool { return m.follow }

// Selected is the selected subtask's id, 0 when none.
func (m *Model) Selected() int64 { return m.sel }

// Uses is the task, the selected step's log (read again when the step
// changes status or attempt) and, once, the addresses of its servers; one
// request per tick among them.
func (m *Model) Uses() store.Uses {
	uses := []store.Use{{Key: store.TaskKey(m.taskID), Every: 1}}
	if s := m.selectedStep(); s != nil {
		every := 0
		if s.Active() {
			every = logEvery
		}
		// A log read after an answer is paid for by the next tick while
		// the task runs; the first log and the last (ticks have stopped)
		// cost nothing.
		uses = append(uses, store.Use{Key: store.LogKey(m.taskID, s.ID), Every: every,
			Stamp: string(s.Status) + "/" + strconv.Itoa(s.RunTime), Owed: m.logShown && !m.Ended(), Quiet: true})
	}
	if m.task != nil && wantsAddresses(m.task) {
		uses = append(uses, store.Use{Key: m.serversKey(), Quiet: true})
	}
	return store.Uses{List: uses, OnePerTick: true}
}

// Update handles one message; see common.Screen.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return m, m.key(msg)
	case common.ShownMsg:
		// Uncovered: what the store read while the view was covered.
		m.syncTask()
		m.syncLog()
	case store.ChangedMsg:
		switch msg.Key.Kind {
		case store.KindTask:
			return m, m.taskChanged(msg)
		case store.KindLog:
			m.syncLog()
		case store.KindServers:
			m.syncServers()
		}
	}
	return m, nil
}

// taskChanged takes the task's new answer, saying once what went wrong.
func (m *Model) taskChanged(msg store.ChangedMsg) tea.Cmd {
	wasGone := m.gone
	m.syncTask()
	st := msg.State
	switch {
	case st.Err == nil:
	case m.gone && !wasGone:
		return common.Toast(common.ToastError, "task %d is gone from the backend (NotFound): showing its last known graph", m.taskID)
	case msg.Failed:
		what := "showing the last known graph"
		if m.task == nil {
			what = "nothing to show yet"
		}
		return common.Toast(common.ToastError, "task %d: refresh failed, %s: %s", m.taskID, what, m.ctx.ErrorText(st.Err))
	}
	return nil
}

// syncTask takes the task from the store when it is newer than the one
// drawn, and its error.
func (m *Model) syncTask() {
	t, st := m.ctx.Store.Task(m.taskID)
	gone := st.Gone && m.task != nil
	if gone != m.gone {
		m.gone = gone
		if m.task != nil {
			m.rows = m.buildRows() // its running steps are not known to run now
		}
	}
	m.err = st.Err
	if !st.Loaded || st.Err != nil || (m.task != nil && st.Version == m.version) {
		return
	}
	m.version, m.at = st.Version, st.At
	m.setTask(t)
	if m.addrs == nil {
		// The servers may be in the store already (the list the restart
		// was started from): no news of them will come.
		m.syncServers()
	}
	m.syncLog()
}

// syncLog takes the selected step's log from the store. The log is drawn
// as text, never as controls, and without secrets: made safe once per
// answer, so wrapping measures what is shown.
func (m *Model) syncLog() {
	if m.sel == 0 {
		return
	}
	text, st := m.ctx.Store.Log(m.taskID, m.sel)
	if !st.Loaded && st.Err == nil {
		return
	}
	if m.log.subtaskID != m.sel || !m.log.loaded || text != m.log.raw {
		m.log = logState{subtaskID: m.sel, raw: text, text: m.ctx.Redactor.Safe(text), loaded: true}
	}
	m.log.err = st.Err
	m.logShown = true
}

// setTask takes a new answer: rebuilds the graph and per-row text, keeps
// the selection on the same step (or follows the running one).
func (m *Model) setTask(t *ocp.Task) {
	m.task = t
	m.graph = dag.OfTask(t)
	m.noEdges = false
	for i := range t.Subtasks {
		if !t.Subtasks[i].EdgesKnown() {
			m.noEdges = true
			break
		}
	}
	m.rows = m.buildRows()
	m.prog = taskProgress(t)
	if m.follow || m.graph.Position(m.sel) < 0 {
		m.setSelection(m.followRow(), false)
	}
	m.scrollToSelection()
}

// taskProgress is ocp.Task.Progress with the skipped steps counted apart:
// a skipped step is not one done.
func taskProgress(t *ocp.Task) stepCounts {
	p := stepCounts{}
	p.done, p.total = t.Progress()
	switch t.Outcome() {
	case ocp.OutcomeRollingBack, ocp.OutcomeRolledBack, ocp.OutcomeRollbackFailed:
		p.undo = true
		return p
	}
	for i := range t.Subtasks {
		if t.Subtasks[i].Skipped() {
			p.skipped++
		}
	}
	p.done -= p.skipped
	return p
}

// followRank is how much a step in each status draws the selection: a
// running step most (ocp.Subtask.Active), then a failed one, then the
// next to run.
var followRank = map[ocp.SubtaskStatus]int{ocp.SubtaskFailed: 1, ocp.SubtaskReady: 2, ocp.SubtaskPending: 3}

// followRow is the row the selection follows: the first running step, else
// the first failed one, else the first waiting one, else the last step.
func (m *Model) followRow() int {
	if m.graph == nil || len(m.graph.Rows) == 0 {
		return -1
	}
	best, rank := len(m.graph.Rows)-1, 99
	for r := range m.graph.Rows {
		s := m.step(r)
		if s.RolledBack() {
			continue // undone: waits for nothing
		}
		k, ok := followRank[s.Status]
		switch {
		case s.Active():
			k = 0
		case !ok:
			continue
		}
		if k < rank {
			best, rank = r, k
		}
		if k == 0 {
			break
		}
	}
	return best
}

// step is the subtask drawn on row r.
func (m *Model) step(r int) *ocp.Subtask { return &m.task.Subtasks[m.graph.Rows[r].Index] }

// selectedRow is the selected row, -1 when none.
func (m *Model) selectedRow() int {
	if m.graph == nil {
		return -1
	}
	return m.graph.Position(m.sel)
}

func (m *Model) selectedStep() *ocp.Subtask {
	if r := m.selectedRow(); r >= 0 {
		return m.step(r)
	}
	return nil
}

// setSelection selects row r (clamped).
func (m *Model) setSelection(r int, moved bool) {
	if m.graph == nil || len(m.graph.Rows) == 0 {
		return
	}
	r = min(max(r, 0), len(m.graph.Rows)-1)
	if moved {
		m.follow = false
	}
	if id := m.graph.Rows[r].ID; id != m.sel {
		m.sel = id
		if m.log.subtaskID != id {
			// Another step's log must not show under this one's name.
			m.log = logState{}
			m.syncLog()
		}
	}
	m.scrollToSelection()
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	km := m.ctx.Keys
	if m.confirm != nil {
		switch {
		case key.Matches(msg, km.Confirm):
			return m.run()
		case key.Matches(msg, km.Cancel):
			m.confirm = nil
		}
		return nil
	}
	if delta, ok := km.Move(msg, max(m.graphHeight(), 1)); ok {
		m.setSelection(min(max(m.selectedRow()+delta, 0), len(m.rows)-1), true)
		return nil
	}
	switch {
	case key.Matches(msg, km.Back):
		return common.Pop()
	case key.Matches(msg, km.Follow):
		m.follow = true
		m.setSelection(m.followRow(), false)
		return nil
	case key.Matches(msg, km.Enter):
		// The step's whole log in its own view (ui/steplog).
		if s := m.selectedStep(); s != nil {
			return common.Push(steplog.New(m.ctx, m.taskID, *s))
		}
		return nil
	case key.Matches(msg, km.Log):
		m.bigLog = !m.bigLog
		m.scrollToSelection()
		return nil
	case key.Matches(msg, km.RetryTask):
		return m.ask(actRetryTask)
	case key.Matches(msg, km.RollbackTask):
		return m.ask(actRollbackTask)
	case key.Matches(msg, km.SkipStep):
		return m.ask(actSkipStep)
	case key.Matches(msg, km.RetryStep):
		return m.ask(actRetryStep)
	case key.Matches(msg, km.CancelStep):
		return m.ask(actCancelStep)
	}
	return nil
}

// FullHelp lists every key of the view for the help screen.
func (m *Model) FullHelp() [][]key.Binding {
	km := m.ctx.Keys
	return [][]key.Binding{
		km.Moves(),
		{km.Follow, km.Log, stepLogKey(km), km.Back},
		{km.RetryTask, km.RollbackTask, km.RetryStep, km.SkipStep, km.CancelStep},
	}
}

// ShortHelp lists the footer keys.
func (m *Model) ShortHelp() []key.Binding {
	km := m.ctx.Keys
	if m.confirm != nil {
		return []key.Binding{km.Confirm, km.Cancel}
	}
	keys := []key.Binding{km.Up, km.Down, km.Follow}
	if m.task != nil && !m.Gone() {
		if m.task.Status == ocp.TaskFailed {
			keys = append(keys, km.RetryTask, km.RollbackTask)
		}
		if s := m.selectedStep(); s != nil {
			switch {
			case s.Status == ocp.SubtaskFailed:
				keys = append(keys, km.RetryStep, km.SkipStep)
			case s.Status == ocp.SubtaskRunning:
				// OCP cancels only a RUNNING step.
				keys = append(keys, km.CancelStep)
			}
		}
	}
	return append(keys, km.Back)
}

// stepLogKey is enter, described for the Task view: it opens the selected
// step's whole log.
func stepLogKey(km *keys.KeyMap) key.Binding {
	return key.NewBinding(key.WithKeys(km.Enter.Keys()...), key.WithHelp(km.Enter.Help().Key, "whole log"))
}
