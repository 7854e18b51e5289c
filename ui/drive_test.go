package ui

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/common/commontest"
	"github.com/obconsole/obconsole/ui/keys"
	"github.com/obconsole/obconsole/ui/presence"
	"github.com/obconsole/obconsole/ui/store"
	"github.com/obconsole/obconsole/ui/taskview"
)

// driver runs the root model synchronously: every Cmd runs at once
// against the in-memory fake, timers never fire (tests send ticks), so
// each step is deterministic.
type driver struct {
	t     *testing.T
	m     *Model
	fake  *commontest.Fake
	quit  bool
	msgs  []tea.Msg // every message delivered, in order
	opens []int64   // task ids the Task view was opened on
}

type driverOpts struct {
	readOnly bool
	ascii    bool
	w, h     int
	fake     *commontest.Fake                        // nil: commontest.New()
	redactor *safetext.Redactor                      // the process's redactor (Context.Redactor)
	taskView bool                                    // the real Task view instead of the stub
	refresh  time.Duration                           // 0: one second
	first    common.Screen                           // nil: the clusters list
	exec     func(*commontest.Fake) backend.Executor // wraps the fake (counting)
	presence *presence.Member                        // obconsole ssh's; nil: a console of its own
}

func newDriver(t *testing.T, o driverOpts) *driver {
	t.Helper()
	if o.w == 0 {
		o.w, o.h = 80, 24
	}
	if o.fake == nil {
		o.fake = commontest.New()
	}
	if o.refresh == 0 {
		o.refresh = time.Second
	}
	d := &driver{t: t, fake: o.fake}
	var exec backend.Executor = d.fake
	if o.exec != nil {
		exec = o.exec(d.fake)
	}
	th := theme.New(theme.Options{Mode: theme.Dark, ASCII: o.ascii})
	ctx := common.NewContext(exec, th, keys.New(o.ascii), o.readOnly, o.refresh)
	ctx.Redactor = o.redactor
	d.m = New(ctx, Options{
		Schedule: func(time.Duration, func() tea.Msg) tea.Cmd { return nil },
		First:    o.first,
		Presence: o.presence,
		TaskView: func(ctx *common.Context, id int64) common.Screen {
			d.opens = append(d.opens, id)
			if o.taskView {
				return taskview.New(ctx, id)
			}
			return newStubTaskView(ctx, id)
		},
	})
	d.send(tea.WindowSizeMsg{Width: o.w, Height: o.h})
	d.run(d.m.Init())
	return d
}

func (d *driver) run(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch msg := msg.(type) {
		case nil:
			continue
		case tea.BatchMsg:
			queue = append(queue, msg...)
			continue
		case tea.QuitMsg:
			d.quit = true
			continue
		}
		d.msgs = append(d.msgs, msg)
		_, next := d.m.Update(msg)
		queue = append(queue, next)
	}
}

func (d *driver) send(msg tea.Msg) {
	d.msgs = append(d.msgs, msg)
	_, cmd := d.m.Update(msg)
	d.run(cmd)
}

// keys presses each key in turn: "enter", "esc", "ctrl+c", "ctrl+r",
// "up", "down", "tab", "backspace", or runes.
func (d *driver) keys(ks ...string) {
	for _, k := range ks {
		d.send(keyMsg(k))
	}
}

// typeText types s one rune at a time.
func (d *driver) typeText(s string) {
	for _, r := range s {
		d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "ctrl+r":
		return tea.KeyMsg{Type: tea.KeyCtrlR}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "ctrl+f":
		return tea.KeyMsg{Type: tea.KeyCtrlF}
	case "ctrl+u":
		return tea.KeyMsg{Type: tea.KeyCtrlU}
	case "space":
		return tea.KeyMsg{Type: tea.KeySpace}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

func (d *driver) tick() { d.send(common.TickMsg{Now: d.fake.Now()}) }

func (d *driver) view() string { return ansi.Strip(d.m.View()) }

func (d *driver) requireView(want ...string) {
	d.t.Helper()
	v := d.view()
	for _, w := range want {
		if !strings.Contains(v, w) {
			d.t.Fatalf("view lacks %q:\n%s", w, v)
		}
	}
}

func (d *driver) toasts() []common.ToastMsg {
	var out []common.ToastMsg
	for _, m := range d.msgs {
		if t, ok := m.(common.ToastMsg); ok {
			out = append(out, t)
		}
	}
	return out
}

// stubTaskView stands in for ui/taskview in the root's own tests: the root
// only needs something that implements common.Screen.
type stubTaskView struct {
	ctx  *common.Context
	id   int64
	w, h int
}

func newStubTaskView(ctx *common.Context, id int64) *stubTaskView {
	return &stubTaskView{ctx: ctx, id: id}
}

func (s *stubTaskView) Init() tea.Cmd { return nil }
func (s *stubTaskView) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && k.Type == tea.KeyEsc {
		return s, common.Pop()
	}
	return s, nil
}
func (s *stubTaskView) View() string              { return common.Fit("stub task view", s.w, s.h) }
func (s *stubTaskView) SetSize(w, h int)          { s.w, s.h = w, h }
func (s *stubTaskView) Title() string             { return "task " + strconv.FormatInt(s.id, 10) }
func (s *stubTaskView) ShortHelp() []key.Binding  { return nil }
func (s *stubTaskView) FullHelp() [][]key.Binding { return nil }
func (s *stubTaskView) Capturing() bool           { return false }

// Uses is the task, polled every tick, as the Task view's.
func (s *stubTaskView) Uses() store.Uses {
	return store.Uses{List: []store.Use{{Key: store.TaskKey(s.id), Every: 1}}}
}

// CopyText is the task's id, as the Task view's.
func (s *stubTaskView) CopyText() (string, bool) { return strconv.FormatInt(s.id, 10), true }

func resize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }
