package ui

import (
	"context"
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
	"github.com/obconsole/obconsole/ui/servers"
	"github.com/obconsole/obconsole/ui/store"
	"github.com/obconsole/obconsole/ui/taskview"
)

// restartOnEmbedded is the embedded simulator on a fake clock with a
// restart of 192.0.2.11 started, counting GetTask.
func restartOnEmbedded(t *testing.T) (*embedded.FakeClock, *getCounter, int64) {
	t.Helper()
	clock := embedded.NewFakeClock(commontest.Epoch)
	emb, err := embedded.New(embedded.Options{Clock: clock, Seed: 1, Scenario: "hang:wait-observer-active"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	task, err := emb.RestartServer(context.Background(), 12000001, 13000001, backend.RestartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return clock, &getCounter{Executor: emb}, task.ID
}

// console is one console over exec with the real Task view, its ticks
// sent by hand.
func console(t *testing.T, exec backend.Executor, shared *store.Shared) *driver {
	d := &driver{t: t}
	ctx := common.NewContext(exec, theme.New(theme.Options{Mode: theme.Dark}), keys.New(false), false, time.Second)
	ctx.UseShared(shared)
	d.m = New(ctx, Options{
		Schedule: func(time.Duration, func() tea.Msg) tea.Cmd { return nil },
		TaskView: func(ctx *common.Context, id int64) common.Screen { return taskview.New(ctx, id) },
	})
	d.send(resize(100, 30))
	d.run(d.m.Init())
	return d
}

// Watching a task with its step log open, the Task view under it and the
// task watched: one store entry, one poller, at most one GetTask a tick in
// all; back on the Task view, and elsewhere, the same; none once it ended.
func TestWatchingATaskWithItsStepLogIsOneGetTaskPerTick(t *testing.T) {
	clock, exec, id := restartOnEmbedded(t)
	d := console(t, exec, nil)
	d.send(common.OpenTaskMsg{TaskID: id})
	clock.Advance(40 * time.Second) // Wait observer active runs (and hangs)
	d.keys("ctrl+r", "enter")       // its whole log
	d.requireView("Log of Wait observer active")
	tick := func() int {
		before := exec.count()
		clock.Advance(time.Second)
		d.send(common.TickMsg{Now: clock.Now()})
		return exec.count() - before
	}
	for _, where := range []string{"step log", "task view", "tasks list"} {
		total := 0
		for i := 0; i < 12; i++ {
			n := tick()
			if n > 1 {
				t.Fatalf("%s, tick %d: %d GetTask, want at most 1", where, i+1, n)
			}
			total += n
		}
		t.Logf("%s: %d GetTask in 12 ticks", where, total)
		d.keys("esc")
		if where == "task view" {
			d.keys("t")
		}
	}
}

// Twenty consoles sharing one executor (obconsole ssh) and one shared
// layer, all watching one task, cost about one GetTask per interval, not
// twenty: the first console whose poll comes due reads, the others read
// its answer.
func TestTwentySessionsWatchingOneTaskShareItsReads(t *testing.T) {
	clock, exec, id := restartOnEmbedded(t)
	shared := store.NewShared(time.Second)
	wall := commontest.Epoch
	shared.SetClock(func() time.Time { return wall })
	var sessions []*driver
	for i := 0; i < 20; i++ {
		d := console(t, exec, shared)
		d.send(common.OpenTaskMsg{TaskID: id})
		sessions = append(sessions, d)
	}
	if n := exec.count(); n != 1 {
		t.Fatalf("20 sessions opening the task: %d GetTask, want 1", n)
	}
	const intervals = 10
	before := exec.count()
	for i := 0; i < intervals; i++ {
		wall = wall.Add(time.Second)
		clock.Advance(time.Second)
		for _, d := range sessions {
			d.send(common.TickMsg{Now: clock.Now()})
		}
	}
	n := exec.count() - before
	if n > intervals {
		t.Fatalf("20 sessions, %d intervals: %d GetTask, want at most %d", intervals, n, intervals)
	}
	t.Logf("20 sessions, %d intervals: %d GetTask", intervals, n)
	for _, d := range sessions {
		d.requireView("Restart OB server")
	}
}

// An idle 10,000-server list is read gently: once when shown, then about
// every 80 s (its size), not every second; a change brings the reads
// closer again; ctrl+r reads at once.
func TestIdleBigListIsReadGently(t *testing.T) {
	f := commontest.NewFleet(10000)
	clusters, _ := f.ListClusters(context.Background())
	ctx := common.NewContext(f, nil, nil, false, time.Second)
	d := &driver{t: t, fake: f}
	d.m = New(ctx, Options{First: servers.New(ctx, clusters[0], ""), Schedule: func(time.Duration, func() tea.Msg) tea.Cmd { return nil }})
	d.send(resize(120, 40))
	d.run(d.m.Init())
	start := f.Reads()
	for i := 0; i < 600; i++ {
		d.tick()
	}
	n := f.Reads() - start
	if n < 6 || n > 8 {
		t.Fatalf("600 idle ticks: %d reads of 10,000 servers, want 7 (every 80 s)", n)
	}
	t.Logf("600 idle ticks: %d reads of 10,000 servers", n)
	d.fake.SetServerStatus(5000, ocp.ServerRestarting)
	start = f.Reads()
	for i := 0; i < 200; i++ {
		d.tick()
	}
	if n := f.Reads() - start; n < 3 {
		t.Fatalf("a change: %d reads in 200 ticks, want more often than idle", n)
	}
	start = f.Reads()
	d.keys("ctrl+r")
	if f.Reads() != start+1 {
		t.Fatal("ctrl+r reads a big list at once")
	}
}
