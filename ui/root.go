// Package ui is the console's root bubbletea model: the screen stack,
// breadcrumbs, status bar, toasts, global keys and the help overlay. The
// screens live in ui/<screen>; they share ui/common.
//
// Layout, top to bottom: one breadcrumb line, the shown screen, one footer
// line (the screen's keys, or a toast while one shows) and one status bar
// line (target, user, badges, refresh age, connection health). The view
// is exactly the terminal's size, never taller.
package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/clusters"
	"github.com/obconsole/obconsole/ui/common"
	helpview "github.com/obconsole/obconsole/ui/help"
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

// Model is the root model; it implements tea.Model.
type Model struct {
	ctx      *common.Context
	opts     Options
	stack    []common.Screen
	taskOf   []int64 // per stack entry: the task a Task view shows, or 0
	help     *helpview.Model
	toast    *common.ToastMsg
	toastSeq int
	// waiting is an info toast held back while a warning or error shows:
	// routine news must not wipe a problem off the screen.
	waiting *common.ToastMsg

	// status bar state
	fetched  bool  // a fetch has ever been reported
	lastErr  error // the last fetch's error
	quitting bool
	quitAsk  *quitPrompt // q asked whether to quit while a task started here runs
	cmd      *cmdline    // the open command line (:), nil when closed
	cmdSeq   int64

	// polling state (see poll.go)
	denied   error // the 401/403 that stopped all polling; nil while polling
	probing  bool  // ctrl+r sent one read while denied: its answer is said
	failures int   // consecutive failed reads: polls back off
	pollIn   int   // ticks until the next poll while backing off
	tick     int   // ticks so far
	failTick int   // the tick the last failure was counted in

	// tasks opened in the Task view (see watch.go)
	watched    map[int64]*watched
	watchOrder []int64

	// the status bar's task counts (see poll.go)
	counts         taskCounts
	countsInflight bool
}

// New builds the root model on ctx.
func New(ctx *common.Context, opts Options) *Model {
	if opts.Schedule == nil {
		opts.Schedule = realSchedule
	}
	first := opts.First
	if first == nil {
		first = clusters.New(ctx)
	}
	return &Model{ctx: ctx, opts: opts, stack: []common.Screen{first}, taskOf: []int64{0}}
}

// Context returns the shared context.
func (m *Model) Context() *common.Context { return m.ctx }

// Top is the shown screen.
func (m *Model) Top() common.Screen { return m.stack[len(m.stack)-1] }

// Depth is the number of screens on the stack.
func (m *Model) Depth() int { return len(m.stack) }

// HelpShown reports whether the ? overlay is open.
func (m *Model) HelpShown() bool { return m.help != nil }

// Init starts the first screen and the refresh tick.
func (m *Model) Init() tea.Cmd {
	// The first background tick comes one refresh in: the first screen's
	// first read has answered by then.
	cmds := []tea.Cmd{m.Top().Init(), common.NowCmd(m.ctx.Exec), m.scheduleBackground(m.ctx.Refresh)}
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

func (m *Model) push(s common.Screen) tea.Cmd { return m.pushTask(s, 0) }

// pushTask pushes s, the Task view of taskID when taskID != 0.
func (m *Model) pushTask(s common.Screen, taskID int64) tea.Cmd {
	m.stack = append(m.stack, s)
	m.taskOf = append(m.taskOf[:len(m.stack)-1], taskID)
	m.syncWatch()
	m.sizeScreen(s)
	return tea.Batch(s.Init(), m.toTop(common.ShownMsg{}))
}

// openTask opens the Task view on a task (see common.OpenTaskMsg).
func (m *Model) openTask(msg common.OpenTaskMsg) tea.Cmd {
	var cmds []tea.Cmd
	if msg.ReplaceTop && len(m.stack) > 1 {
		m.stack = m.stack[:len(m.stack)-1]
		m.taskOf = m.taskOf[:len(m.stack)]
	}
	if m.opts.TaskView == nil {
		cmds = append(cmds, common.Toast(common.ToastWarn, "task %d: the Task view is not available in this build", msg.TaskID))
		if msg.ReplaceTop {
			cmds = append(cmds, m.toTop(common.ShownMsg{}))
		}
		return tea.Batch(cmds...)
	}
	m.watch(msg.TaskID)
	if msg.ReplaceTop {
		// A dialog started it: the status bar's counts follow at once.
		cmds = append(cmds, m.recount())
	}
	return tea.Batch(append(cmds, m.pushTask(m.opts.TaskView(m.ctx, msg.TaskID), msg.TaskID))...)
}

func (m *Model) pop() tea.Cmd {
	if len(m.stack) <= 1 {
		return nil
	}
	m.stack[len(m.stack)-1] = nil
	m.stack = m.stack[:len(m.stack)-1]
	m.taskOf = m.taskOf[:len(m.stack)]
	m.syncWatch()
	if m.denied != nil {
		// Going back shows the last data: no request while denied.
		return nil
	}
	return m.toTop(common.ShownMsg{})
}

// toTop delivers msg to the shown screen.
func (m *Model) toTop(msg tea.Msg) tea.Cmd {
	i := len(m.stack) - 1
	s, cmd := m.stack[i].Update(msg)
	m.stack[i] = s
	return cmd
}

// Update routes messages: see common.Screen for what each screen receives.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.ctx.Width, m.ctx.Height = msg.Width, msg.Height
		for _, s := range m.stack {
			m.sizeScreen(s)
		}
		if m.help != nil {
			m.help.SetSize(m.contentSize())
		}
		return m, nil

	case common.TickMsg:
		if m.quitting {
			return m, nil
		}
		m.ctx.Now = msg.Now
		m.ctx.Fresh.Tick()
		m.tick++
		exec := m.ctx.Exec
		next := m.opts.Schedule(m.ctx.Refresh, func() tea.Msg { return common.TickMsg{Now: exec.Now()} })
		if !m.pollDue() {
			return m, next
		}
		return m, tea.Batch(m.toTop(msg), next, m.pollWatched())

	case watchMsg:
		return m, m.watchDone(msg)

	case backgroundTickMsg:
		return m, m.background()

	case countsMsg:
		return m, m.countsDone(msg)

	case copyMsg:
		return m, m.copyDone(msg)

	case common.FetchedMsg:
		m.fetched = true
		m.lastErr = msg.Err
		if msg.Err == nil {
			m.ctx.Fresh.Fetched()
			if msg.At.After(m.ctx.Now) {
				m.ctx.Now = msg.At
			}
		}
		return m, m.readDone(msg.Err)

	case common.ToastMsg:
		if m.toast != nil && m.toast.Level != common.ToastInfo && msg.Level == common.ToastInfo {
			t := msg
			m.waiting = &t
			return m, nil
		}
		return m, m.showToast(msg)

	case toastExpiredMsg:
		if msg.seq == m.toastSeq {
			m.toast = nil
			if w := m.waiting; w != nil {
				m.waiting = nil
				return m, m.showToast(*w)
			}
		}
		return m, nil

	case common.PushMsg:
		return m, m.push(msg.Screen)

	case common.PopMsg:
		return m, m.pop()

	case common.OpenTaskMsg:
		return m, m.openTask(msg)

	case jumpMsg:
		return m, m.jumpDone(msg)

	case common.RefreshMsg, common.ShownMsg:
		return m, m.toTop(msg)

	case tea.KeyMsg:
		return m, m.key(msg)

	case tea.MouseMsg:
		return m, m.mouse(msg)
	}

	// Everything else is a screen's own result: every screen gets it and
	// keeps only its own (they carry ids from ctx.NewID).
	var cmds []tea.Cmd
	for i, s := range m.stack {
		ns, cmd := s.Update(msg)
		m.stack[i] = ns
		cmds = append(cmds, cmd)
	}
	return m, tea.Batch(cmds...)
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
	if m.help != nil {
		if key.Matches(msg, km.Quit) {
			return m.quit()
		}
		if m.help.Update(msg) {
			m.help = nil
		}
		return nil
	}
	top := m.Top()
	if key.Matches(msg, km.Refresh) {
		return m.toTop(m.refreshMsg())
	}
	if !top.Capturing() && !common.IsModal(top) {
		switch {
		case key.Matches(msg, km.Quit):
			return m.quit()
		case key.Matches(msg, km.Help):
			sections, note := m.helpSections()
			m.help = helpNew(m, sections, note)
			return nil
		case key.Matches(msg, km.Command):
			m.openCmdline()
			return nil
		case key.Matches(msg, km.Tasks):
			if top.Title() == "tasks" {
				return nil
			}
			return m.push(tasks.New(m.ctx))
		case key.Matches(msg, km.Copy):
			return m.copy()
		}
	}
	return m.toTop(msg)
}

// allowed drops the mutating keys from hints in --readonly (k9s-style: the
// actions are gone; pressing one still explains why).
func (m *Model) allowed(bindings []key.Binding) []key.Binding {
	if !m.ctx.ReadOnly {
		return bindings
	}
	mutating := map[string]bool{}
	for _, b := range m.ctx.Keys.Mutating() {
		for _, k := range b.Keys() {
			mutating[k] = true
		}
	}
	out := make([]key.Binding, 0, len(bindings))
	for _, b := range bindings {
		keep := true
		for _, k := range b.Keys() {
			if mutating[k] {
				keep = false
			}
		}
		if keep {
			out = append(out, b)
		}
	}
	return out
}

// helpNew builds the ? overlay in the content area.
func helpNew(m *Model, sections []helpview.Section, note string) *helpview.Model {
	h := helpview.New(m.ctx, sections, note)
	h.SetSize(m.contentSize())
	return h
}

// navHelper is a list: its moving, filtering and sorting keys go in
// help's Moving section. Other screens list their own moves.
type navHelper interface{ NavHelp() []key.Binding }

// copier is a screen with something to copy (c): the selected row's id or
// address.
type copier interface{ CopyText() (string, bool) }

// helpSections are the ? overlay's sections for the shown screen: only
// keys that work there, a read-only note naming what is refused, and the
// legend of every mark.
func (m *Model) helpSections() ([]helpview.Section, string) {
	km := m.ctx.Keys
	top := m.Top()
	var screenKeys []key.Binding
	for _, col := range top.FullHelp() {
		screenKeys = append(screenKeys, m.allowed(col)...)
	}
	sections := []helpview.Section{{Title: "This screen", Keys: screenKeys}}
	if nav, ok := top.(navHelper); ok {
		sections = append(sections, helpview.Section{Title: "Moving", Keys: nav.NavHelp()})
	}
	var global []key.Binding
	for _, b := range km.Global() {
		if key.Matches(keyOf(b), km.Copy) && !m.canCopy() {
			continue
		}
		global = append(global, b)
	}
	sections = append(sections, helpview.Section{Title: "Everywhere", Keys: global})
	if m.opts.Mouse {
		sections = append(sections, helpview.Section{Title: "Mouse", Legend: []helpview.LegendItem{
			{Mark: "click", Meaning: "select a row; on a title: sort"},
			{Mark: "wheel", Meaning: "move the selection, scroll"},
		}})
	}
	for _, g := range m.ctx.Theme.Legend() {
		items := make([]helpview.LegendItem, len(g.Items))
		for i, it := range g.Items {
			items[i] = helpview.LegendItem{Mark: it.Mark, Meaning: it.Meaning}
		}
		sections = append(sections, helpview.Section{Title: g.Title, Legend: items})
	}
	if _, ok := top.(navHelper); ok {
		sections = append(sections, helpview.Section{Title: "This list", Legend: helpview.ListMarks(m.ctx.Theme)})
	}
	note := ""
	if m.ctx.ReadOnly {
		var refused []string
		for _, b := range km.Mutating() {
			refused = append(refused, b.Help().Key)
		}
		note = "read-only: " + strings.Join(refused, " ") + " are refused (started with --readonly)"
	}
	return sections, note
}

// keyOf is a key press of b's first key, to compare bindings.
func keyOf(b key.Binding) tea.KeyMsg {
	if len(b.Keys()) == 0 {
		return tea.KeyMsg{}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(b.Keys()[0])}
}

// View draws breadcrumb, screen, footer and status bar in exactly the
// terminal's size. The whole frame passes a safety net last (see net.go):
// every secret is removed and nothing but the console's own colours can
// reach the terminal, whatever a screen let through.
func (m *Model) View() string {
	return safeFrame(m.ctx.Redactor.String(m.frame()))
}

// frame is the View before the safety net.
func (m *Model) frame() string {
	w, h := m.ctx.Width, m.ctx.Height
	if w <= 0 || h <= 0 {
		return ""
	}
	_, ch := m.contentSize()
	var body string
	if m.help != nil {
		body = m.help.View()
	} else {
		body = m.Top().View()
	}
	body = common.Fit(body, w, ch)
	if h <= chrome {
		return trimTrailingSpaces(body)
	}
	footer, status := m.footer(w), m.statusBar(w)
	switch {
	case m.quitAsk != nil:
		footer, status = m.quitLines(w)
	case m.cmd != nil:
		footer, status = m.cmdLines(w)
	}
	return trimTrailingSpaces(strings.Join([]string{m.breadcrumb(w), body, footer, status}, "\n"))
}

// trimTrailingSpaces drops the unstyled spaces that pad each line to the
// terminal's width: the renderer clears the rest of a short line itself,
// so the padding is only bytes on a slow link. Spaces inside a styled run
// (a highlighted row, the status bar) end before its reset and stay.
func trimTrailingSpaces(view string) string {
	lines := strings.Split(view, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// breadcrumb shows the stack's titles; when narrow, the oldest parts go
// first (the current screen stays).
func (m *Model) breadcrumb(w int) string {
	th := m.ctx.Theme
	st := &th.Styles
	sep := st.BreadcrumbSep.Render(th.Glyphs.BreadcrumbSep)
	titles := make([]string, len(m.stack))
	for i, s := range m.stack {
		// Titles name clusters, zones and servers as OCP spells them.
		titles[i] = safetext.Line(s.Title())
	}
	if m.help != nil {
		titles = append(titles, "help")
	}
	render := func(from int) string {
		parts := make([]string, 0, len(titles)-from+1)
		if from > 0 {
			parts = append(parts, st.Breadcrumb.Render(th.Glyphs.Ellipsis))
		}
		for i := from; i < len(titles); i++ {
			if i == len(titles)-1 {
				parts = append(parts, st.BreadcrumbLast.Render(titles[i]))
			} else {
				parts = append(parts, st.Breadcrumb.Render(titles[i]))
			}
		}
		return " " + strings.Join(parts, sep)
	}
	line := render(0)
	for from := 1; ansi.StringWidth(line) > w && from < len(titles); from++ {
		line = render(from)
	}
	return common.PadRight(line, w)
}

// footer shows a toast, or the screen's keys followed by ? and q (which
// always stay visible).
func (m *Model) footer(w int) string {
	th := m.ctx.Theme
	st := &th.Styles
	if m.toast != nil {
		style, icon := st.ToastInfo, ""
		switch m.toast.Level {
		case common.ToastWarn:
			style, icon = st.ToastWarn, th.Icon(theme.ToneWarn)+" "
		case common.ToastError:
			style, icon = st.ToastError, th.Icon(theme.ToneError)+" "
		}
		return common.PadRight(" "+style.Render(th.Truncate(icon+m.toast.Text, w-1)), w)
	}
	km := m.ctx.Keys
	top := m.Top()
	var keys []key.Binding
	switch {
	case m.help != nil:
		keys = []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc/?", "close help")), km.Quit}
	case common.IsModal(top) || top.Capturing():
		keys = append(m.allowed(top.ShortHelp()), km.ForceQuit)
	default:
		keys = append(m.allowed(top.ShortHelp()), km.Tasks, km.Help, km.Quit)
	}
	return common.PadRight(" "+m.keyHints(keys, w-1), w)
}

// hintPriority is how long a key stays in the footer as the width shrinks
// (higher stays longer): movement goes first (it is obvious and listed in
// ?), then t, then q; the screen's own keys stay, and esc, ?, y and n
// stay longest, so a narrow footer still says how to get out, confirm,
// cancel and find the rest.
func (m *Model) hintPriority(b key.Binding) int {
	km := m.ctx.Keys
	is := func(o key.Binding) bool { return b.Help() == o.Help() }
	switch {
	case is(km.Up), is(km.Down), is(km.PageUp), is(km.PageDown), is(km.Top), is(km.Bottom):
		return 0
	case is(km.Tasks):
		return 1
	case is(km.Quit), is(km.Filter):
		return 2
	case is(km.Back), is(km.Help), is(km.Confirm), is(km.Cancel), is(km.ForceQuit), slices.Contains(b.Keys(), "esc"):
		return 4
	}
	return 3
}

// keyHints renders "key desc" items separated by bullets in width: when
// they do not all fit, the least important go (see hintPriority) and ?
// says the rest are in help; an item is never cut.
func (m *Model) keyHints(bindings []key.Binding, width int) string {
	th := m.ctx.Theme
	st := &th.Styles
	sep := st.HelpSep.Render(th.Glyphs.Bullet)
	type hint struct {
		b    key.Binding
		prio int
	}
	var hints []hint
	for _, kb := range bindings {
		if !kb.Enabled() || kb.Help().Key == "" {
			continue
		}
		hints = append(hints, hint{b: kb, prio: m.hintPriority(kb)})
	}
	render := func(dropped bool) []string {
		out := make([]string, 0, len(hints))
		for _, h := range hints {
			desc := h.b.Help().Desc
			if dropped && h.b.Help() == m.ctx.Keys.Help.Help() {
				desc = "more keys"
			}
			out = append(out, st.HelpKey.Render(h.b.Help().Key)+" "+st.HelpDesc.Render(desc))
		}
		return out
	}
	total := func(items []string) int {
		w := 0
		for i, it := range items {
			if i > 0 {
				w += ansi.StringWidth(sep)
			}
			w += ansi.StringWidth(it)
		}
		return w
	}
	items := render(false)
	for total(items) > width && len(hints) > 0 {
		// Drop the last of the least important; movement keys go together
		// (↑ without ↓ would read oddly).
		low := 0
		for i, h := range hints {
			if h.prio <= hints[low].prio {
				low = i
			}
		}
		if hints[low].prio == 0 {
			hints = slices.DeleteFunc(hints, func(h hint) bool { return h.prio == 0 })
		} else {
			hints = append(hints[:low], hints[low+1:]...)
		}
		items = render(true)
	}
	return strings.Join(items, sep)
}

// statusBar: badges (read-only, insecure TLS) and the target on the left;
// the target's task counts, refresh age and connection health on the
// right. When narrow the age goes first, then the counts, then the target
// is cut; badges and health stay.
func (m *Model) statusBar(w int) string {
	th := m.ctx.Theme
	st := &th.Styles
	bar := st.StatusBar
	var badges []string
	if m.ctx.ReadOnly {
		badges = append(badges, st.BadgeInfo.Render("READ-ONLY"))
	}
	if m.ctx.Target.Insecure {
		badges = append(badges, st.BadgeError.Render("INSECURE TLS"))
	}
	left := bar.Render(" ")
	for _, b := range badges {
		left += b + bar.Render(" ")
	}
	// The target's label and user came from flags, the environment or a
	// fleet file: drawn as text, without secrets.
	target := m.ctx.Line(m.ctx.Target.String())
	if target == "" {
		target = m.ctx.Line(m.ctx.Target.Kind)
	}

	health := m.health()
	right := health + bar.Render(" ")
	// What gives way when narrow: the age first, then the task counts;
	// then the target is cut.
	fits := func(r string) bool { return ansi.StringWidth(left)+len(target)+ansi.StringWidth(r)+1 <= w }
	counts, age := m.countsText(), m.age()
	if age != "" {
		age = bar.Render(age + "  ")
	}
	if counts != "" {
		counts += bar.Render("  ")
	}
	switch {
	case fits(counts + age + right):
		right = counts + age + right
	case fits(counts + right):
		right = counts + right
	case fits(age + right):
		right = age + right
	}
	room := w - ansi.StringWidth(left) - ansi.StringWidth(right) - 1
	if room < 4 {
		target = ""
	} else {
		target = th.Truncate(target, room)
	}
	l := left + bar.Render(target)
	pad := w - ansi.StringWidth(l) - ansi.StringWidth(right)
	if pad < 0 {
		return common.PadRight(l+right, w)
	}
	return l + bar.Render(strings.Repeat(" ", pad)) + right
}

// countsText is the target's running and failed tasks, as last counted:
// "◐ 2 running · ✗ 1 failed"; "" before the first count.
func (m *Model) countsText() string {
	c := m.counts
	if !c.known {
		return ""
	}
	th := m.ctx.Theme
	bar := th.Styles.StatusBar
	n := func(v int) string {
		if v >= countLimit {
			return fmt.Sprintf("%d+", countLimit)
		}
		return fmt.Sprint(v)
	}
	running := bar.Foreground(th.ToneColor(theme.ToneBusy)).Render(th.Icon(theme.ToneBusy) + " " + n(c.running) + " running")
	if c.running == 0 {
		running = bar.Render("0 running")
	}
	if c.failed == 0 {
		return running
	}
	return running + bar.Render(th.Glyphs.Bullet) + bar.Foreground(th.ToneColor(theme.ToneError)).Render(th.Icon(theme.ToneError)+" "+n(c.failed)+" failed")
}

func (m *Model) health() string {
	th := m.ctx.Theme
	bar := th.Styles.StatusBar
	tone, word := theme.ToneWaiting, "connecting"
	switch {
	case m.denied != nil:
		tone, word = theme.ToneError, "denied"+th.Glyphs.Bullet+"ctrl+r to try again"
	case !m.fetched:
	case m.lastErr == nil:
		tone, word = theme.ToneOK, "connected"
	default:
		tone, word = theme.ToneError, "error"
		var be *backend.Error
		switch backend.KindOf(m.lastErr) {
		case backend.Unavailable, backend.Canceled:
			word = "unreachable"
		case backend.Unauthorized, backend.Forbidden:
			word = "denied"
		case backend.RateLimited:
			word = "rate-limited"
		}
		if !errors.As(m.lastErr, &be) {
			word = "unreachable"
		}
	}
	style := bar.Foreground(th.ToneColor(tone))
	if tone == theme.ToneError {
		style = style.Bold(true)
	}
	return style.Render(th.Icon(tone) + " " + word)
}

// age is the last refresh's age (common.Freshness, which a stale screen
// reads too, so both say the same): "live" while fresh.
func (m *Model) age() string { return m.ctx.Fresh.Text(m.ctx.Refresh) }

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
