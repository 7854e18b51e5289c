// Package ui is the console's root bubbletea model: the screen stack,
// breadcrumbs, status bar, toasts and global keys. The screens live in
// ui/<screen>; they share ui/common, and their data lives in ui/store.
//
// Data flows one way. The root owns the console's store (ctx.Store) and
// is its stack listener: on every push and pop it tells the store which
// screens are on the stack and which one is shown; the store polls what
// the shown screen uses (store.Use) on the root's ticks, and each answer
// comes back here as a store message, which the root files (Store.Apply)
// before handing a store.ChangedMsg to the screens that use that entry.
// Keys go the other way: the root hands a key to the shown screen, which
// asks the store (an action, a new entry it now uses), and the store asks
// the executor.
//
// Layout, top to bottom: one breadcrumb line, the shown screen, one footer
// line (the screen's keys, or a toast while one shows) and one status bar
// line (target, user, badges, refresh age, connection health). The view
// is exactly the terminal's size, never taller.
package ui

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/ui/clusters"
	"github.com/obconsole/obconsole/ui/common"
	helpview "github.com/obconsole/obconsole/ui/help"
	"github.com/obconsole/obconsole/ui/presence"
	"github.com/obconsole/obconsole/ui/store"
	"github.com/obconsole/obconsole/ui/tasks"
)

// TaskViewFunc builds the Task view on a task (taskview.New).
type TaskViewFunc func(ctx *common.Context, taskID int64) common.Screen

// Options configure the root model.
type Options struct {
	// TaskView opens the Task view. Nil: opening a task shows a toast.
	TaskView TaskViewFunc
	// First is the first screen; nil means the clusters list.
	First common.Screen
	// Schedule runs fn after d of wall time and delivers its message: the
	// refresh tick and toast expiry go through it. Nil means tea.Tick.
	// Tests pass one that returns nil and send TickMsg themselves.
	Schedule func(d time.Duration, fn func() tea.Msg) tea.Cmd
	// Bell rings the terminal bell when a watched task ends while the
	// operator is elsewhere (--bell); nil: no bell. It runs inside a Cmd.
	Bell func()
	// Mouse turns on mouse reporting (click selects, the wheel moves, a
	// click on a column title sorts); off with --no-mouse. The root asks
	// the terminal for it in Init.
	Mouse bool
	// Copy puts text on the operator's clipboard (c; see Clipboard); nil:
	// c says NoCopy instead.
	Copy   func(text string) error
	NoCopy string
	// Presence is this console's place among the operators of one
	// obconsole ssh server: the status bar says who else is here, their
	// actions on what the operator looks at are toasts (presence.Event
	// messages, which the server delivers), restart dialogs warn of
	// theirs (see others.go). Nil, as for a local console: none of it,
	// at no cost.
	Presence *presence.Member
}

func realSchedule(d time.Duration, fn func() tea.Msg) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return fn() })
}

// How long toasts stay (real time, via a tea.Tick; no clock reads).
const (
	toastInfoFor  = 4 * time.Second
	toastErrorFor = 8 * time.Second
)

// chrome is the lines around the screen: breadcrumb, footer, status bar.
const chrome = 3

type toastExpiredMsg struct{ seq int }

// nowMsg is the backend's time at start, before the first tick.
type nowMsg struct{ now time.Time }

// Model is the root model; it implements tea.Model.
type Model struct {
	ctx      *common.Context
	store    *store.Store
	opts     Options
	stack    []common.Screen
	toast    *common.ToastMsg
	toastSeq int
	// waiting is an info toast held back while a warning or error shows:
	// routine news must not wipe a problem off the screen.
	waiting *common.ToastMsg

	quitting bool
	quitAsk  *quitPrompt // q asked whether to quit while a task started here runs
	cmd      *cmdline    // the open command line (:), nil when closed
	cmdSeq   int64

	others others // the other operators (Options.Presence)
}

// New builds the root model on ctx.
func New(ctx *common.Context, opts Options) *Model {
	if opts.Schedule == nil {
		opts.Schedule = realSchedule
	}
	ctx.Presence = opts.Presence // the screens' view of the others (a restart dialog's warning)
	first := opts.First
	if first == nil {
		first = clusters.New(ctx)
	}
	m := &Model{ctx: ctx, store: ctx.Store, opts: opts, stack: []common.Screen{first}}
	m.store.SetOwn(countsUses())
	m.stackChanged()
	m.look()
	if opts.Presence != nil {
		m.others.peers = opts.Presence.Others()
	}
	return m
}

// Context returns the shared context.
func (m *Model) Context() *common.Context { return m.ctx }

// Top is the shown screen.
func (m *Model) Top() common.Screen { return m.stack[len(m.stack)-1] }

// Depth is the number of screens on the stack.
func (m *Model) Depth() int { return len(m.stack) }

// HelpShown reports whether the help screen is shown.
func (m *Model) HelpShown() bool {
	_, ok := m.Top().(*helpview.Model)
	return ok
}

// Denied is the 401/403 that stopped polling, nil while polling.
func (m *Model) Denied() error { return m.store.Denial() }

// Init loads the first screen and starts the refresh and background
// ticks.
func (m *Model) Init() tea.Cmd {
	// The first background tick comes one refresh in: the first screen's
	// first read has answered by then.
	st := m.store
	now := func() tea.Msg { return nowMsg{now: st.Now()} }
	cmds := []tea.Cmd{m.store.Show(true), m.Top().Init(), now, m.scheduleBackground(m.ctx.Refresh)}
	if m.opts.Mouse {
		cmds = append(cmds, tea.EnableMouseCellMotion)
	}
	return tea.Batch(cmds...)
}

func (m *Model) contentSize() (int, int) {
	h := m.ctx.Height
	if h > chrome {
		h -= chrome
	}
	return m.ctx.Width, max(h, 0)
}

func (m *Model) sizeScreen(s common.Screen) {
	w, h := m.contentSize()
	s.SetSize(w, h)
}

// stackChanged tells the store what is on the stack and which screen is
// shown: the top, or the one under an overlay (help), whose data goes on
// refreshing.
func (m *Model) stackChanged() {
	users := make([]store.User, len(m.stack))
	for i, s := range m.stack {
		users[i] = s
	}
	m.store.SetStack(users, m.shownIndex())
}

// push puts s on top: the store loads what it lacks (the operator asked,
// even while OCP denies access), then it is shown.
func (m *Model) push(s common.Screen) tea.Cmd {
	m.stack = append(m.stack, s)
	m.stackChanged()
	m.sizeScreen(s)
	return tea.Batch(s.Init(), m.store.Show(true), m.toTop(common.ShownMsg{}))
}

// openTask opens the Task view on a task (see common.OpenTaskMsg) and
// watches the task from then on.
func (m *Model) openTask(msg common.OpenTaskMsg) tea.Cmd {
	var cmds []tea.Cmd
	if msg.ReplaceTop && len(m.stack) > 1 {
		m.stack = m.stack[:len(m.stack)-1]
		m.stackChanged()
	}
	if m.opts.TaskView == nil {
		cmds = append(cmds, common.Toast(common.ToastWarn, "task %d: the Task view is not available in this build", msg.TaskID))
		if msg.ReplaceTop {
			cmds = append(cmds, m.store.Show(false), m.toTop(common.ShownMsg{}))
		}
		return tea.Batch(cmds...)
	}
	m.store.Watch(msg.TaskID)
	if msg.ReplaceTop {
		// A dialog started it: the status bar's counts follow at once.
		cmds = append(cmds, m.recount())
	}
	return tea.Batch(append(cmds, m.push(m.opts.TaskView(m.ctx, msg.TaskID)))...)
}

// pop goes back: the uncovered screen shows what the store holds, read
// again when it is older than an interval (nothing while denied).
func (m *Model) pop() tea.Cmd {
	if len(m.stack) <= 1 {
		return nil
	}
	m.stack[len(m.stack)-1] = nil
	m.stack = m.stack[:len(m.stack)-1]
	m.stackChanged()
	return tea.Batch(m.store.Show(false), m.toTop(common.ShownMsg{}))
}

// resetStack replaces the stack with screens (a jump from the command
// line); the top one loads and is shown.
func (m *Model) resetStack(screens ...common.Screen) tea.Cmd {
	m.stack = screens
	for _, s := range screens {
		m.sizeScreen(s)
	}
	m.stackChanged()
	return tea.Batch(m.Top().Init(), m.store.Show(true), m.toTop(common.ShownMsg{}))
}

// toTop delivers msg to the shown screen.
func (m *Model) toTop(msg tea.Msg) tea.Cmd { return m.to(len(m.stack)-1, msg) }

// to delivers msg to the screen at index i of the stack.
func (m *Model) to(i int, msg tea.Msg) tea.Cmd {
	s, cmd := m.stack[i].Update(msg)
	m.stack[i] = s
	return cmd
}

// Update routes messages: see common.Screen for what each screen
// receives. Then presence hears what the operator looks at, if that
// changed.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	m.look()
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.ctx.Width, m.ctx.Height = msg.Width, msg.Height
		for _, s := range m.stack {
			m.sizeScreen(s)
		}
		return nil

	case common.TickMsg:
		if m.quitting {
			return nil
		}
		m.ctx.Now = msg.Now
		st := m.store
		next := m.opts.Schedule(m.ctx.Refresh, func() tea.Msg { return common.TickMsg{Now: st.Now()} })
		poll, due := m.store.Tick(msg.Now)
		// The others are local news: read on every tick, due or not.
		others := m.othersTick()
		if !due {
			return tea.Batch(next, others)
		}
		return tea.Batch(poll, m.toTop(msg), others, next)

	case presence.Event:
		return m.othersActed(msg)

	case nowMsg:
		// The refresh ticks start here, one interval in.
		if msg.now.After(m.ctx.Now) {
			m.ctx.Now = msg.now
		}
		st := m.store
		return m.opts.Schedule(m.ctx.Refresh, func() tea.Msg { return common.TickMsg{Now: st.Now()} })

	case backgroundTickMsg:
		return m.background()

	case store.Msg:
		return m.answered(m.store.Apply(msg))

	case store.ActionMsg:
		return m.acted(msg)

	case copyMsg:
		return m.copyDone(msg)

	case common.ToastMsg:
		if m.toast != nil && m.toast.Level != common.ToastInfo && msg.Level == common.ToastInfo {
			t := msg
			m.waiting = &t
			return nil
		}
		return m.showToast(msg)

	case toastExpiredMsg:
		if msg.seq == m.toastSeq {
			m.toast = nil
			if w := m.waiting; w != nil {
				m.waiting = nil
				return m.showToast(*w)
			}
		}
		return nil

	case common.PushMsg:
		return m.push(msg.Screen)

	case common.PopMsg:
		return m.pop()

	case common.OpenTaskMsg:
		return m.openTask(msg)

	case common.QuitMsg:
		return m.quit()

	case jumpMsg:
		return m.jumpDone(msg)

	case tea.KeyMsg:
		cmd := m.key(msg)
		// The key may have changed what the shown screen uses (another
		// step selected, another filter): the store reads it now.
		return tea.Batch(cmd, m.store.Sync(false))

	case tea.MouseMsg:
		return tea.Batch(m.mouse(msg), m.store.Sync(false))
	}
	// A screen's own Cmd answered (a dialog's check): it is on top.
	return m.toTop(msg)
}

// answered hands an answer's ChangedMsg to the screens that use its entry
// (the shown one hears of a failure), says what the store says (access
// denied or granted again, a watched task that ended), and reads what
// the shown screen now lacks.
func (m *Model) answered(c store.Change) tea.Cmd {
	if c.Err == nil && c.At.After(m.ctx.Now) {
		m.ctx.Now = c.At
	}
	var cmds []tea.Cmd
	for _, i := range m.store.Users(c.Key) {
		cmds = append(cmds, m.to(i, c.Msg(m.store.Shown(i))))
	}
	cmds = append(cmds, m.access(c.Access, c.Err))
	switch {
	case c.Ended != nil:
		cmds = append(cmds, m.ended(c.Ended.Task))
	case c.Key.Kind == store.KindTask && c.Changed && m.running(c.Key.Task):
		// A task that ends before the operator's eyes: the status bar's
		// counts follow at once, not on the next slow tick.
		cmds = append(cmds, m.recount())
	}
	return tea.Batch(append(cmds, m.store.Sync(true))...)
}

// running reports whether the status bar counts task id as running while
// the store now has it ended.
func (m *Model) running(id int64) bool {
	t, _ := m.store.Task(id)
	if t == nil || !t.Outcome().Ended() {
		return false
	}
	running, _ := m.store.Tasks(countKeys()[0].Query)
	for i := range running {
		if running[i].ID == id {
			return true
		}
	}
	return false
}

// acted takes an action's outcome: the store reads again what it changed,
// the root says how a task action went, and the shown screen (the dialog
// that sent a restart) hears of it.
func (m *Model) acted(msg store.ActionMsg) tea.Cmd {
	cmds := []tea.Cmd{m.store.Done(msg)}
	if a := msg.Action; a.Task != 0 {
		if msg.Err != nil {
			cmds = append(cmds, common.ErrorToast(msg.Err))
		} else {
			cmds = append(cmds, common.Toast(common.ToastInfo, "task %d: %s requested", a.Task, a.What), m.recount())
		}
	}
	return tea.Batch(append(cmds, m.toTop(msg))...)
}

// access says what changed in OCP's access: denied (polling stopped, said
// once), still denied after ctrl+r, granted again.
func (m *Model) access(a store.Access, err error) tea.Cmd {
	switch a {
	case store.AccessDenied:
		return common.Toast(common.ToastError, "access denied, polling stopped (ctrl+r tries again): %s", m.ctx.ErrorText(err))
	case store.AccessStillDenied:
		return common.Toast(common.ToastError, "still denied, polling stays stopped (ctrl+r tries again): %s", m.ctx.ErrorText(err))
	case store.AccessGranted:
		// Shown at once: it replaces the denial's toast, now stale.
		return m.showToast(common.ToastMsg{Level: common.ToastInfo, Text: "access granted again: polling resumed"})
	}
	return nil
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	// Keys typed quickly (or over a slow link) can arrive as one message
	// with several runes: handle them one by one, so "yy" is y then y
	// (and sends one request), and "jq" moves then quits. A bracketed
	// paste stays whole.
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
		var cmds []tea.Cmd
		for _, r := range msg.Runes {
			if m.quitting {
				break
			}
			cmds = append(cmds, m.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
		}
		return tea.Batch(cmds...)
	}
	km := m.ctx.Keys
	if key.Matches(msg, km.ForceQuit) {
		m.quitting = true
		return tea.Quit
	}
	if m.quitAsk != nil {
		return m.quitKey(msg)
	}
	if m.cmd != nil {
		return m.cmdKey(msg)
	}
	top := m.Top()
	if key.Matches(msg, km.Refresh) {
		// While OCP denies access, a probe: the main read only, and the
		// screen makes none of its own.
		probe := m.store.Denial() != nil
		return tea.Batch(m.store.Refresh(), m.toTop(common.RefreshMsg{Probe: probe}))
	}
	if !top.Capturing() && !common.IsModal(top) {
		switch {
		case key.Matches(msg, km.Quit):
			return m.quit()
		case key.Matches(msg, km.Help):
			return m.push(m.helpScreen())
		case key.Matches(msg, km.Command):
			m.openCmdline()
			return nil
		case key.Matches(msg, km.Tasks):
			if _, ok := top.(*tasks.Model); ok {
				return nil
			}
			return m.push(tasks.New(m.ctx))
		case key.Matches(msg, km.Copy):
			return m.copy()
		}
	}
	return m.toTop(msg)
}

// showToast puts t in the footer until it expires: errors and warnings
// stay longer than news. Toasts quote names and errors from OCP: the text
// is made safe and rid of secrets before it is cut to the width.
func (m *Model) showToast(t common.ToastMsg) tea.Cmd {
	t.Text = m.ctx.Line(t.Text)
	m.toastSeq++
	m.toast = &t
	d := toastInfoFor
	if t.Level != common.ToastInfo {
		d = toastErrorFor
	}
	seq := m.toastSeq
	return m.opts.Schedule(d, func() tea.Msg { return toastExpiredMsg{seq: seq} })
}
