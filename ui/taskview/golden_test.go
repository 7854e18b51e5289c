package taskview_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/common/commontest"
	"github.com/obconsole/obconsole/ui/keys"
	"github.com/obconsole/obconsole/ui/store"
	"github.com/obconsole/obconsole/ui/taskview"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// goldenCase is a task on the embedded simulator, on a fake clock, shown
// in the whole console (breadcrumb, footer and status bar included).
type goldenCase struct {
	name     string
	ascii    bool
	scenario string
	zone     bool // restart a whole zone (parallel branches) instead of one server
	force    bool
	// advance runs the simulator until the moment to show.
	advance func(clock *embedded.FakeClock, exec backend.Executor, taskID int64)
}

func advanceBy(d time.Duration) func(*embedded.FakeClock, backend.Executor, int64) {
	return func(c *embedded.FakeClock, _ backend.Executor, _ int64) { c.Advance(d) }
}

// untilEnded runs the task to its end.
func untilEnded(c *embedded.FakeClock, exec backend.Executor, id int64) {
	c.AdvanceUntil(func() bool {
		t, err := exec.GetTask(context.Background(), id)
		return err == nil && t.Status.Ended()
	}, time.Hour)
}

var goldenCases = []goldenCase{
	{name: "restart-midway", advance: advanceBy(15 * time.Second)},
	{name: "restart-failed", scenario: "fail-once:start-observer-process", advance: untilEnded},
	{name: "zone-force-midway", zone: true, force: true, advance: advanceBy(16 * time.Second)},
	{name: "ascii-restart-midway", ascii: true, advance: advanceBy(15 * time.Second)},
	{name: "ascii-zone-force-midway", ascii: true, zone: true, force: true, advance: advanceBy(16 * time.Second)},
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s_%dx%d", tc.name, size[0], size[1]), func(t *testing.T) {
				runGolden(t, tc, size[0], size[1])
			})
		}
	}
}

// logShown matches a frame whose log line holds text rather than the
// loading placeholder, the last thing to arrive.
var logShown = regexp.MustCompile(`log {9}(?:[^l]|l[^o])`)

func runGolden(t *testing.T, tc goldenCase, w, h int) {
	clock := embedded.NewFakeClock(commontest.Epoch)
	exec, err := embedded.New(embedded.Options{Clock: clock, Seed: 1, Scenario: tc.scenario})
	if err != nil {
		t.Fatal(err)
	}
	defer exec.Close()
	task := startTask(t, exec, tc.zone, tc.force)
	tc.advance(clock, exec, task.ID)

	th := theme.New(theme.Options{Mode: theme.Dark, ASCII: tc.ascii})
	ctx := common.NewContext(exec, th, keys.New(tc.ascii), false, time.Second)
	m := ui.New(ctx, ui.Options{
		First: taskview.New(ctx, task.ID),
		// No timers: the frame is the same on every run.
		Schedule: func(time.Duration, func() tea.Msg) tea.Cmd { return nil },
	})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return logShown.Match(b) && bytes.Contains(b, []byte("connected"))
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(time.Millisecond))
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*ui.Model)
	view := final.View()
	if got := strings.Count(view, "\n") + 1; got != h {
		t.Errorf("view is %d lines, want %d", got, h)
	}
	if tc.ascii {
		for i, r := range view {
			if r > 0x7e || (r < 0x20 && r != '\n') {
				t.Fatalf("--ascii frame has %q at %d", r, i)
			}
		}
	}
	golden.RequireEqual(t, []byte(view))
}

// startTask restarts the first server of protoss, or its zone2.
func startTask(t *testing.T, exec backend.Executor, zone, force bool) *ocp.Task {
	t.Helper()
	bg := context.Background()
	clusters, err := exec.ListClusters(bg)
	if err != nil {
		t.Fatal(err)
	}
	c := clusters[0]
	var task *ocp.Task
	if zone {
		task, err = exec.RestartZone(bg, c.ID, "zone2", backend.RestartOptions{Force: force})
	} else {
		var servers []ocp.Server
		servers, err = exec.ListServers(bg, c.ID, "zone2")
		if err != nil {
			t.Fatal(err)
		}
		task, err = exec.RestartServer(bg, c.ID, servers[0].ID, backend.RestartOptions{Force: force})
	}
	if err != nil {
		t.Fatal(err)
	}
	return task
}

// countingExec counts the view's requests, GetTask and SubtaskLog, on top
// of the embedded simulator.
type countingExec struct {
	*embedded.Executor
	gets chan struct{}
}

func (c *countingExec) GetTask(ctx context.Context, id int64) (*ocp.Task, error) {
	c.gets <- struct{}{}
	return c.Executor.GetTask(ctx, id)
}

func (c *countingExec) SubtaskLog(ctx context.Context, taskID, subtaskID int64) (string, error) {
	c.gets <- struct{}{}
	return c.Executor.SubtaskLog(ctx, taskID, subtaskID)
}

// coverScreen is a screen pushed over the task view.
type coverScreen struct{}

func (coverScreen) Init() tea.Cmd                             { return nil }
func (s coverScreen) Update(tea.Msg) (common.Screen, tea.Cmd) { return s, nil }
func (coverScreen) View() string                              { return "cover" }
func (coverScreen) SetSize(int, int)                          {}
func (coverScreen) Title() string                             { return "cover" }
func (coverScreen) ShortHelp() []key.Binding                  { return nil }
func (coverScreen) FullHelp() [][]key.Binding                 { return nil }
func (coverScreen) Capturing() bool                           { return false }
func (coverScreen) Uses() store.Uses                          { return store.Uses{} }

// In the real console: one GetTask per tick while shown, none while another
// screen covers the view, polling again when it is uncovered, none once
// the task ended.
func TestPollsOnlyWhileShownInTheConsole(t *testing.T) {
	clock := embedded.NewFakeClock(commontest.Epoch)
	emb, err := embedded.New(embedded.Options{Clock: clock, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer emb.Close()
	exec := &countingExec{Executor: emb, gets: make(chan struct{}, 1000)}
	task := startTask(t, exec, false, false)
	ctx := common.NewContext(exec, theme.Default(), nil, false, time.Second)
	root := ui.New(ctx, ui.Options{
		First:    taskview.New(ctx, task.ID),
		Schedule: func(time.Duration, func() tea.Msg) tea.Cmd { return nil },
	})
	var run func(tea.Cmd)
	run = func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		switch msg := cmd().(type) {
		case tea.BatchMsg:
			for _, c := range msg {
				run(c)
			}
		case nil:
		default:
			_, next := root.Update(msg)
			run(next)
		}
	}
	drive := func(msg tea.Msg) {
		_, cmd := root.Update(msg)
		run(cmd)
	}
	gets := func() int { return len(exec.gets) }
	drive(tea.WindowSizeMsg{Width: 80, Height: 24})
	run(root.Init())
	base := gets()
	if base < 1 {
		t.Fatal("no fetch at start")
	}
	tick := func() { clock.Advance(time.Second); drive(common.TickMsg{Now: clock.Now()}) }
	for i := 0; i < 3; i++ {
		tick()
	}
	if got := gets() - base; got != 3 {
		t.Fatalf("3 ticks while shown: %d requests, want one a tick", got)
	}
	drive(common.PushMsg{Screen: coverScreen{}})
	before := gets()
	for i := 0; i < 5; i++ {
		tick()
	}
	if got := gets() - before; got != 0 {
		t.Fatalf("covered view polled %d times", got)
	}
	drive(common.PopMsg{}) // uncovered: fetch at once (and the followed step's log)
	if got := gets() - before; got < 1 || got > 2 {
		t.Fatalf("uncovering sent %d requests, want the task and at most one log", got)
	}
	// A log fetched between ticks is paid for by skipping the next tick's
	// request: through step changes the view stays at one request per
	// tick (plus the uncovering fetch and at most one unpaid log).
	const ticks = 30
	for i := 0; i < ticks; i++ {
		tick()
	}
	if got := gets() - before; got > ticks+2 {
		t.Fatalf("uncover and %d ticks sent %d requests, want at most %d", ticks, got, ticks+2)
	}
	clock.AdvanceUntil(func() bool {
		t, err := emb.GetTask(context.Background(), task.ID)
		return err == nil && t.Status.Ended()
	}, time.Hour)
	// The end is seen within two ticks (one may be paying for a log).
	for i := 0; i < 2 && !strings.Contains(root.View(), "Task SUCCESSFUL"); i++ {
		tick()
	}
	ended := gets()
	for i := 0; i < 5; i++ {
		tick()
	}
	if got := gets() - ended; got != 0 {
		t.Fatalf("%d requests after the task ended", got)
	}
	if v := root.View(); !strings.Contains(v, "Task SUCCESSFUL") {
		t.Fatalf("the view does not say the task ended:\n%s", v)
	}
}

// Resizing the console down to 40×12 and back never panics, and every
// frame is exactly the terminal's size.
func TestResizeInTheConsole(t *testing.T) {
	clock := embedded.NewFakeClock(commontest.Epoch)
	exec, err := embedded.New(embedded.Options{Clock: clock, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer exec.Close()
	task := startTask(t, exec, true, true)
	clock.Advance(16 * time.Second)
	for _, ascii := range []bool{false, true} {
		th := theme.New(theme.Options{Mode: theme.Dark, ASCII: ascii})
		ctx := common.NewContext(exec, th, keys.New(ascii), false, time.Second)
		view := taskview.New(ctx, task.ID)
		root := ui.New(ctx, ui.Options{First: view, Schedule: func(time.Duration, func() tea.Msg) tea.Cmd { return nil }})
		root.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		settle(root, root.Init())
		for _, size := range [][2]int{{120, 40}, {80, 24}, {60, 16}, {40, 12}, {41, 13}, {39, 11}, {20, 6}, {80, 24}} {
			root.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			frame := root.View()
			lines := strings.Split(frame, "\n")
			if len(lines) != size[1] {
				t.Fatalf("%dx%d: %d lines", size[0], size[1], len(lines))
			}
			// The root trims the padding spaces it would send, so a line
			// may be narrower than the terminal; never wider.
			for i, l := range lines {
				if w := lipgloss.Width(l); w > size[0] {
					t.Fatalf("%dx%d: line %d is %d wide: %q", size[0], size[1], i, w, l)
				}
			}
			if size == [2]int{80, 24} && !strings.Contains(frame, "Start observer process") {
				t.Fatalf("80x24 frame lacks the running step:\n%s", frame)
			}
		}
	}
}

// settle runs cmd and every Cmd it leads to through root, synchronously.
func settle(root *ui.Model, cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			_, next := root.Update(msg)
			queue = append(queue, next)
		}
	}
}
