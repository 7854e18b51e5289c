package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/common/commontest"
	"github.com/obconsole/obconsole/ui/keys"
)

// getCounter counts GetTask calls (the root's watch polls: the stub Task
// view makes none).
type getCounter struct {
	backend.Executor
	mu   sync.Mutex
	gets int
}

func (g *getCounter) GetTask(ctx context.Context, id int64) (*ocp.Task, error) {
	g.mu.Lock()
	g.gets++
	g.mu.Unlock()
	return g.Executor.GetTask(ctx, id)
}

func (g *getCounter) count() int { g.mu.Lock(); defer g.mu.Unlock(); return g.gets }

type watchEnv struct {
	*driver
	clock *embedded.FakeClock
	emb   *embedded.Executor
	exec  *getCounter
	bells int
	task  *ocp.Task
}

// newWatchEnv runs the root on the embedded simulator (fake clock) with a
// restart of 192.0.2.11 started, its Task view (the stub) not yet open.
func newWatchEnv(t *testing.T, scenario string) *watchEnv {
	t.Helper()
	clock := embedded.NewFakeClock(commontest.Epoch)
	emb, err := embedded.New(embedded.Options{Clock: clock, Seed: 1, Scenario: scenario})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	e := &watchEnv{driver: &driver{t: t}, clock: clock, emb: emb, exec: &getCounter{Executor: emb}}
	th := theme.New(theme.Options{Mode: theme.Dark})
	ctx := common.NewContext(e.exec, th, keys.New(false), false, time.Second)
	e.m = New(ctx, Options{
		Schedule: func(time.Duration, func() tea.Msg) tea.Cmd { return nil },
		TaskView: func(ctx *common.Context, id int64) common.Screen { return newStubTaskView(ctx, id) },
		Bell:     func() { e.bells++ },
	})
	e.send(resize(80, 24))
	e.run(e.m.Init())
	e.task, err = emb.RestartServer(context.Background(), 12000001, 13000001, backend.RestartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *watchEnv) tick() { e.send(common.TickMsg{Now: e.clock.Now()}) }

func (e *watchEnv) finish() {
	e.t.Helper()
	e.clock.RunUntilIdle()
	if t, _ := e.emb.GetTask(context.Background(), e.task.ID); !t.Status.Ended() {
		e.t.Fatalf("task did not end: %s", t.Status)
	}
}

func (e *watchEnv) finishedToasts() []common.ToastMsg {
	var out []common.ToastMsg
	for _, t := range e.toasts() {
		if strings.Contains(t.Text, "finished") {
			out = append(out, t)
		}
	}
	return out
}

// The operator leaves a running task's view; when the task ends, a toast
// says so and the bell rings, once. Shown or not, the task costs one
// GetTask per tick (one store entry, one poller); none after it ended.
func TestWatchedTaskEndsWhileElsewhere(t *testing.T) {
	e := newWatchEnv(t, "")
	e.send(common.OpenTaskMsg{TaskID: e.task.ID})
	if n := e.exec.count(); n != 1 {
		t.Fatalf("opening the view: %d GetTask, want 1", n)
	}
	e.tick()
	e.tick()
	if n := e.exec.count(); n != 3 {
		t.Fatalf("shown, the task is polled once per tick: %d GetTask after 2 ticks, want 3", n)
	}
	e.keys("esc")
	e.tick()
	e.tick()
	if n := e.exec.count(); n != 5 {
		t.Fatalf("elsewhere, still once per tick: %d GetTask after 2 more ticks, want 5", n)
	}
	if len(e.finishedToasts()) != 0 {
		t.Fatal("a toast before the task ended")
	}
	e.finish()
	e.tick()
	toasts := e.finishedToasts()
	if len(toasts) != 1 || toasts[0].Level != common.ToastInfo ||
		!strings.Contains(toasts[0].Text, "finished: SUCCESSFUL") || !strings.Contains(toasts[0].Text, "Restart OB server") {
		t.Fatalf("want one info toast naming the task and SUCCESSFUL: %+v", toasts)
	}
	if e.bells != 1 {
		t.Errorf("bell rang %d times, want 1", e.bells)
	}
	e.requireView("finished: SUCCESSFUL")
	n := e.exec.count()
	for i := 0; i < 5; i++ {
		e.tick()
	}
	if e.exec.count() != n || len(e.finishedToasts()) != 1 {
		t.Errorf("after the end: %d more GetTask, %d toasts", e.exec.count()-n, len(e.finishedToasts()))
	}
}

// Covered by another screen counts as elsewhere; coming back, the view's
// own use of the task polls it: one GetTask per tick either way.
func TestWatchedTaskCoveredAndUncovered(t *testing.T) {
	e := newWatchEnv(t, "fail-once:stop-server")
	e.send(common.OpenTaskMsg{TaskID: e.task.ID})
	e.keys("t") // the tasks list over the Task view
	start := e.exec.count()
	e.tick()
	if n := e.exec.count() - start; n != 1 {
		t.Fatalf("covered: %d GetTask after a tick, want 1", n)
	}
	e.keys("esc") // back to the Task view: read this interval already
	e.tick()
	if n := e.exec.count() - start; n != 2 {
		t.Fatalf("shown again and a tick: %d GetTask, want 2", n)
	}
	e.keys("t")
	e.finish()
	e.tick()
	toasts := e.finishedToasts()
	if len(toasts) != 1 || toasts[0].Level != common.ToastError || !strings.Contains(toasts[0].Text, "FAILED") {
		t.Fatalf("want one error toast saying FAILED: %+v", toasts)
	}
}

// A task that ended while its view was shown ends quietly: the operator
// saw it. The poll that saw it end is the last.
func TestWatchedTaskEndedWhileShownIsQuiet(t *testing.T) {
	e := newWatchEnv(t, "")
	e.send(common.OpenTaskMsg{TaskID: e.task.ID})
	e.finish()
	e.tick()
	e.clock.Advance(time.Minute)
	e.tick()
	e.keys("esc")
	e.tick()
	e.tick()
	if len(e.finishedToasts()) != 0 || e.bells != 0 {
		t.Errorf("toasts %+v, bells %d: want none", e.finishedToasts(), e.bells)
	}
	if n := e.exec.count(); n != 2 {
		t.Errorf("opening and one poll learn it ended; then none: %d GetTask", n)
	}
}

// logStub stands in for the step log view: a screen of one task, which
// it uses.
type logStub struct {
	stubTaskView
}

// The step log of the watched task, on top of its Task view, uses the
// same entry: one GetTask per tick in all. Another task's screen on top
// leaves the first one to the background poll, once per tick too.
func TestWatchedTaskStepLogCountsAsShown(t *testing.T) {
	e := newWatchEnv(t, "")
	e.send(common.OpenTaskMsg{TaskID: e.task.ID})
	e.send(common.PushMsg{Screen: &logStub{stubTaskView{ctx: e.m.ctx, id: e.task.ID}}})
	start := e.exec.count()
	e.tick()
	e.tick()
	if n := e.exec.count() - start; n != 2 {
		t.Fatalf("the task view and its log: %d GetTask in 2 ticks, want 2", n)
	}
	e.keys("esc", "t")
	start = e.exec.count()
	e.tick()
	if n := e.exec.count() - start; n != 1 {
		t.Fatalf("elsewhere: %d GetTask in a tick, want 1", n)
	}
}

// The toast of a task that ended elsewhere names its server and cluster,
// read once as it ended when the console had not seen the server.
func TestFinishedToastNamesTheServer(t *testing.T) {
	e := newWatchEnv(t, "")
	e.send(common.OpenTaskMsg{TaskID: e.task.ID})
	e.keys("esc")
	e.finish()
	e.tick()
	toasts := e.finishedToasts()
	want := "finished: SUCCESSFUL · 192.0.2.11:2882 · protoss · Restart OB server"
	if len(toasts) != 1 || !strings.Contains(toasts[0].Text, want) {
		t.Fatalf("want a toast with %q: %+v", want, toasts)
	}
}
