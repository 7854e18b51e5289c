// Package taskview is the Task view: one task's subtask graph, live. Steps
// are listed in execution order (backend/dag), one per row, with lanes for
// parallel branches drawn git-log style; each row shows the status icon
// and word, the step name, elapsed runtime, attempts and a timeout gauge. A
// header sums the task up and a detail pane shows the selected step with
// the tail of its log.
//
// Polling: GetTask once per refresh tick, only while the view is shown (the
// root sends ticks to the shown screen only), never two at once, and not
// at all once the task has ended, until an operator action (retry, roll
// back, skip, cancel) or ctrl+r. The selected step's log is fetched when
// the selection moves to it or its status or attempt count changes, and
// every logEvery ticks while it runs. A failed refresh keeps the last graph
// on screen, marked stale.
package taskview

import (
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/dag"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/keys"
	"github.com/obconsole/obconsole/ui/steplog"
)

// logEvery is how many ticks pass between log refreshes of a running
// selected step: the log grows while a step runs, but the task itself is
// what the operator watches. Each tick sends one request, the task or the
// log, never both: watching costs at most one request per interval.
const logEvery = 5

// taskMsg carries one GetTask result to the view that asked (id).
type taskMsg struct {
	id   int64
	task *ocp.Task
	err  error
	at   time.Time // backend time of the answer
}

// logMsg carries one SubtaskLog result.
type logMsg struct {
	id, subtaskID int64
	text          string
	err           error
}

// actionMsg carries the result of a confirmed operation.
type actionMsg struct {
	id  int64
	act action
	err error
}

// stepState is what decides whether a step's log needs fetching again.
type stepState struct {
	status  ocp.SubtaskStatus
	runTime int
}

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
	id     int64 // tags this view's messages
	taskID int64
	lanes  *laneGlyphs

	task    *ocp.Task  // the last good answer; nil before the first
	graph   *dag.Graph // its order and lanes
	noEdges bool       // the answer sent no edges (a task-list shape): no lanes drawn
	rows    []rowData  // per row, what does not change with the clock
	prog    stepCounts
	nameW   int       // the longest step name (with its server)
	serverW int       // the widest server label of a row, separator included
	statusW int       // the widest status drawn
	at      time.Time // backend time of the last good answer

	err      error // the last fetch's error; nil when it worked
	gone     bool  // the backend answered NotFound for a task it had shown
	inflight bool
	ended    bool // the task ended: no more polling
	ticks    int

	// Addresses of the task's servers, by id (see servers.go).
	addrs       map[int64]string
	addrsAsked  bool
	addrsFailed bool

	sel    int64 // selected subtask id; 0 before the first answer
	follow bool  // the selection follows the running step
	offset int   // first graph row shown
	bigLog bool  // l: the detail pane takes most of the height for the log

	log      logState
	logShown bool // some step's log has been shown since the view opened
	owed     int  // ticks to skip: log requests sent between ticks

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

// logState is the detail pane's log: one step's, fetched at most one at a time.
type logState struct {
	subtaskID int64 // whose log text holds; 0 = none
	text      string
	err       error
	loaded    bool
	inflight  int64     // subtask whose log is being fetched; 0 = none
	seen      stepState // the step's state when its log was fetched
}

var _ common.Screen = (*Model)(nil)

// New builds the Task view on a task. It does no I/O: Init fetches.
func New(ctx *common.Context, taskID int64) *Model {
	m := &Model{ctx: ctx, id: ctx.NewID(), taskID: taskID, lanes: newLaneGlyphs(ctx.Theme), follow: true,
		statuses: map[string]*styledStatus{}, gauges: map[gaugeKey]string{}}
	st := &ctx.Theme.Styles
	m.p = paints{
		title: newPaint(st.Title), muted: newPaint(st.Muted), warning: newPaint(st.Warning),
		error: newPaint(st.Error), ok: newPaint(st.OK), lanes: newPaint(st.Muted),
		selected: newPaint(st.SelectedRow), stale: newPaint(st.Stale),
	}
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

// Title is the breadcrumb part: "task 42".
func (m *Model) Title() string { return "task " + strconv.FormatInt(m.taskID, 10) }

// SetSize gives the view its area.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(w, 0), max(h, 0)
	m.scrollToSelection()
}

// Capturing is always false: the view takes no text.
func (m *Model) Capturing() bool { return false }

// Init fetches the task.
func (m *Model) Init() tea.Cmd { return m.fetch() }

// Stale reports that the graph shown is from before a failed refresh.
func (m *Model) Stale() bool { return m.task != nil && m.err != nil }

// Gone reports that the backend no longer knows the task it had shown
// (NotFound): its last known graph stays, with its clocks stopped.
func (m *Model) Gone() bool { return m.Stale() && m.gone }

// Ended reports that the task has ended and polling stopped.
func (m *Model) Ended() bool { return m.ended }

// Following reports whether the selection follows the running step.
func (m *Model) Following() bool { return m.follow }

// Selected is the selected subtask's id, 0 when none.
func (m *Model) Selected() int64 { return m.sel }

// fetch returns the GetTask Cmd, or nil while one is in flight.
func (m *Model) fetch() tea.Cmd {
	if m.inflight {
		return nil
	}
	m.inflight = true
	id, exec, taskID, base := m.id, m.ctx.Exec, m.taskID, m.ctx.Lifetime
	return func() tea.Msg {
		t, err := exec.GetTask(base, taskID)
		return taskMsg{id: id, task: t, err: err, at: exec.Now()}
	}
}

// fetchLog returns the SubtaskLog Cmd for the selected step, or nil when
// one is in flight (its answer triggers the next if the selection moved).
func (m *Model) fetchLog() tea.Cmd {
	if m.sel == 0 || m.log.inflight != 0 {
		return nil
	}
	m.log.inflight = m.sel
	if s := m.selectedStep(); s != nil {
		m.log.seen = stepState{s.Status, s.RunTime}
	}
	id, exec, taskID, sub, base := m.id, m.ctx.Exec, m.taskID, m.sel, m.ctx.Lifetime
	return func() tea.Msg {
		text, err := exec.SubtaskLog(base, taskID, sub)
		return logMsg{id: id, subtaskID: sub, text: text, err: err}
	}
}

// Update handles one message; see common.Screen.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.TickMsg:
		m.ticks++
		if m.ended {
			return m, nil
		}
		if m.owed > 0 {
			m.owed--
			return m, nil
		}
		if m.logDue() {
			if cmd := m.fetchLog(); cmd != nil {
				return m, cmd
			}
		}
		return m, m.fetch()
	case common.ShownMsg:
		if m.ended && m.err == nil {
			return m, nil
		}
		return m, m.fetch()
	case common.RefreshMsg:
		if msg.Probe {
			// After a denial: the task alone; its log follows if it works.
			return m, m.fetch()
		}
		return m, tea.Batch(m.fetch(), m.fetchLog(), m.fetchServers())
	case serversMsg:
		if msg.id == m.id {
			m.gotServers(msg)
		}
		return m, nil
	case taskMsg:
		if msg.id != m.id {
			return m, nil
		}
		return m, m.gotTask(msg)
	case logMsg:
		if msg.id != m.id {
			return m, nil
		}
		return m, m.gotLog(msg)
	case actionMsg:
		if msg.id != m.id {
			return m, nil
		}
		return m, m.actionDone(msg)
	case tea.KeyMsg:
		return m, m.key(msg)
	}
	return m, nil
}

func (m *Model) gotTask(msg taskMsg) tea.Cmd {
	m.inflight = false
	cmds := []tea.Cmd{common.Fetched(msg.at, msg.err)}
	if msg.err == nil && msg.task == nil {
		msg.err = &backend.Error{Kind: backend.BadResponse, Op: "get task " + strconv.FormatInt(m.taskID, 10), Message: "no task in the answer"}
	}
	if msg.err != nil {
		gone := m.task != nil && backend.KindOf(msg.err) == backend.NotFound
		// A denial is said once, by the root, which stops all polling.
		switch {
		case gone && !m.gone:
			cmds = append(cmds, common.Toast(common.ToastError, "task %d is gone from the backend (NotFound): showing its last known graph", m.taskID))
		case m.err == nil && !common.Denied(msg.err):
			what := "showing the last known graph"
			if m.task == nil {
				what = "nothing to show yet"
			}
			cmds = append(cmds, common.Toast(common.ToastError, "task %d: refresh failed, %s: %s", m.taskID, what, m.ctx.ErrorText(msg.err)))
		}
		if gone != m.gone {
			m.gone = gone
			m.rows = m.buildRows() // its running steps are not known to run now
		}
		m.err = msg.err
		return tea.Batch(cmds...)
	}
	m.err, m.gone = nil, false
	m.at = msg.at
	m.setTask(msg.task)
	m.ended = msg.task.Outcome().Ended()
	// A step that changed (or the one followed now) shows its log at once;
	// while the task runs, that request is paid for by skipping the next
	// tick's, so polling stays at one request per interval. The first log
	// and the last, once the task ended and ticks stop, cost nothing. So
	// does the one listing of the servers, for their addresses.
	for _, cmd := range []tea.Cmd{m.logCmd(), m.fetchServers()} {
		if cmd == nil {
			continue
		}
		if !m.ended && m.logShown {
			m.owed++
		}
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// logDue reports whether this tick's one request should be the selected
// step's log: it is not the log shown, the step changed status or attempt
// since, or it runs and logEvery ticks have passed.
func (m *Model) logDue() bool {
	s := m.selectedStep()
	if s == nil {
		return false
	}
	if m.log.subtaskID != m.sel || m.log.seen != (stepState{s.Status, s.RunTime}) {
		return true
	}
	return s.Active() && m.ticks%logEvery == 0
}

func (m *Model) gotLog(msg logMsg) tea.Cmd {
	if m.log.inflight == msg.subtaskID {
		m.log.inflight = 0
	}
	if msg.subtaskID == m.sel {
		// The log is drawn as text, never as controls, and without secrets:
		// made safe once per answer, so wrapping measures what is shown.
		text := m.ctx.Redactor.Safe(msg.text)
		m.log.subtaskID, m.log.text, m.log.err, m.log.loaded = msg.subtaskID, text, msg.err, true
		m.logShown = true
	}
	// The selection moved, or the step changed, while this was in flight.
	return m.logCmd()
}

// logCmd fetches the selected step's log unless the one shown is its own
// and the step has not changed status or attempt since it was fetched.
func (m *Model) logCmd() tea.Cmd {
	s := m.selectedStep()
	if s == nil || (m.log.subtaskID == m.sel && m.log.seen == (stepState{s.Status, s.RunTime})) {
		return nil
	}
	return m.fetchLog()
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

// followRow is the row the selection follows: the first running step, else
// the first failed one, else the first waiting one, else the last step.
func (m *Model) followRow() int {
	if m.graph == nil || len(m.graph.Rows) == 0 {
		return -1
	}
	best, rank := len(m.graph.Rows)-1, 99
	for r := range m.graph.Rows {
		var k int
		s := m.step(r)
		if s.RolledBack() {
			continue // undone: waits for nothing
		}
		switch s.Status {
		case ocp.SubtaskRunning, ocp.SubtaskCanceling:
			k = 0
		case ocp.SubtaskFailed:
			k = 1
		case ocp.SubtaskReady:
			k = 2
		case ocp.SubtaskPending:
			k = 3
		default:
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

// selectRow selects row r (clamped); moved says the operator did it,
// which stops following. It returns the Cmd fetching the step's log.
func (m *Model) selectRow(r int, moved bool) tea.Cmd {
	m.setSelection(r, moved)
	return m.logCmd()
}

// setSelection is selectRow without fetching: setTask uses it, and the
// answer's handler fetches the log once the whole answer is taken in.
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
			m.log = logState{inflight: m.log.inflight}
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
	r := m.selectedRow()
	switch {
	case key.Matches(msg, km.Back):
		return common.Pop()
	case key.Matches(msg, km.Up):
		return m.selectRow(r-1, true)
	case key.Matches(msg, km.Down):
		return m.selectRow(r+1, true)
	case key.Matches(msg, km.PageUp):
		return m.selectRow(r-max(m.graphHeight(), 1), true)
	case key.Matches(msg, km.PageDown):
		return m.selectRow(r+max(m.graphHeight(), 1), true)
	case key.Matches(msg, km.Top):
		return m.selectRow(0, true)
	case key.Matches(msg, km.Bottom):
		return m.selectRow(len(m.rows)-1, true)
	case key.Matches(msg, km.Follow):
		m.follow = true
		return m.selectRow(m.followRow(), false)
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

// FullHelp lists every key of the view for the ? overlay.
func (m *Model) FullHelp() [][]key.Binding {
	km := m.ctx.Keys
	return [][]key.Binding{
		{km.Up, km.Down, km.PageUp, km.PageDown, km.Top, km.Bottom},
		{km.Follow, km.Log, stepLogKey(km), km.Back},
		{km.RetryTask, km.RollbackTask, km.RetryStep, km.SkipStep, km.CancelStep},
	}
}

// stepLogKey is enter, described for the Task view: it opens the selected
// step's whole log.
func stepLogKey(km *keys.KeyMap) key.Binding {
	return key.NewBinding(key.WithKeys(km.Enter.Keys()...), key.WithHelp(km.Enter.Help().Key, "whole log"))
}
