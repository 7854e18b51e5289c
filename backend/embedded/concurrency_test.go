package embedded

import (
	"sync"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// firstServers picks one server (zone1's) of every cluster, so concurrent
// restarts never trip each other's majority pre-check.
func firstServers(t testing.TB, e *Executor) [][2]int64 {
	t.Helper()
	clusters, err := e.ListClusters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := make([][2]int64, 0, len(clusters))
	for _, c := range clusters {
		servers, err := e.ListServers(ctx, c.ID, "zone1")
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, [2]int64{c.ID, servers[0].ID})
	}
	return out
}

func TestTwoHundredConcurrentRestarts(t *testing.T) {
	e, clk := newTestExecutor(t, Options{Fleet: GenerateFleet(200, 3, 1), Seed: 9})
	targets := firstServers(t, e)

	// Restarts, pollers and the clock all move at once, as they do behind
	// the HTTP server.
	ids := make([]int64, len(targets))
	var wg sync.WaitGroup
	stopClock := make(chan struct{})
	clockDone := make(chan struct{})
	go func() {
		defer close(clockDone)
		for {
			select {
			case <-stopClock:
				return
			default:
				clk.Advance(100 * time.Millisecond)
			}
		}
	}()
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(targets); i += 8 {
				task, err := e.RestartServer(ctx, targets[i][0], targets[i][1], backend.RestartOptions{})
				if err != nil {
					t.Errorf("restart %v: %v", targets[i], err)
					return
				}
				ids[i] = task.ID
				if _, err := e.GetTask(ctx, task.ID); err != nil {
					t.Error(err)
				}
				if _, err := e.ListTasks(ctx, backend.TaskFilter{Limit: 10}); err != nil {
					t.Error(err)
				}
			}
		}(w)
	}
	wg.Wait()
	close(stopClock)
	<-clockDone
	clk.RunUntilIdle()

	seen := map[int64]bool{}
	for i, id := range ids {
		if seen[id] {
			t.Fatalf("task id %d handed out twice", id)
		}
		seen[id] = true
		got := getTask(t, e, id)
		if got.Status != ocp.TaskSuccessful {
			t.Errorf("restart of %v: %s", targets[i], got.Status)
			continue
		}
		checkTimes(t, got)
	}
	tasks, _ := e.ListTasks(ctx, backend.TaskFilter{Status: []ocp.TaskStatus{ocp.TaskSuccessful}})
	if len(tasks) != 200 {
		t.Errorf("%d successful tasks listed, want 200", len(tasks))
	}
}

// BenchmarkThousandConcurrentRestarts: 1,000 restarts in flight at once on
// a fake clock, run to completion (11,000 steps). Building the fleet is
// not timed.
func BenchmarkThousandConcurrentRestarts(b *testing.B) {
	fleet := GenerateFleet(1000, 3, 1)
	for b.Loop() {
		b.StopTimer()
		clk := NewFakeClock(testStart)
		e, err := New(Options{Clock: clk, Fleet: fleet, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		targets := firstServers(b, e)
		b.StartTimer()

		ids := make([]int64, len(targets))
		for i, tg := range targets {
			task, err := e.RestartServer(ctx, tg[0], tg[1], backend.RestartOptions{})
			if err != nil {
				b.Fatal(err)
			}
			ids[i] = task.ID
		}
		clk.RunUntilIdle()

		b.StopTimer()
		for _, id := range ids {
			if got := getTask(b, e, id); got.Status != ocp.TaskSuccessful {
				b.Fatalf("task %d %s", id, got.Status)
			}
		}
		e.Close()
		b.StartTimer()
	}
}

// BenchmarkGetTask is the cost of one poll of a running restart.
func BenchmarkGetTask(b *testing.B) {
	e, clk := newTestExecutor(b, Options{})
	task := restart(b, e, DemoPrimaryClusterID, DemoSampleServerID, false)
	clk.Advance(30 * time.Second)
	for b.Loop() {
		if _, err := e.GetTask(ctx, task.ID); err != nil {
			b.Fatal(err)
		}
	}
}
