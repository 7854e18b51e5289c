package embedded

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/dag"
	"github.com/obconsole/obconsole/backend/ocp"
)

var (
	ctx       = context.Background()
	testStart = time.Date(2021, 9, 5, 22, 46, 20, 0, time.FixedZone("CST", 8*3600))
)

// documentedOrder is the restart's execution order as OCP-API.md gives it.
var documentedOrder = []string{
	"Prepare restart observer", "Stop server", "Stop observer process", "Start observer process",
	"Wait observer active", "Start ocp agent service", "Start server", "Update observer status",
	"Update zone status", "Sync cluster info", "Update OB cluster status",
}

func newTestExecutor(t testing.TB, opts Options) (*Executor, *FakeClock) {
	t.Helper()
	clk := NewFakeClock(testStart)
	opts.Clock = clk
	e, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(e.Close)
	return e, clk
}

func restart(t testing.TB, e *Executor, clusterID, serverID int64, force bool) *ocp.Task {
	t.Helper()
	task, err := e.RestartServer(ctx, clusterID, serverID, backend.RestartOptions{Force: force})
	if err != nil {
		t.Fatalf("restart %d: %v", serverID, err)
	}
	return task
}

func getTask(t testing.TB, e *Executor, id int64) *ocp.Task {
	t.Helper()
	task, err := e.GetTask(ctx, id)
	if err != nil {
		t.Fatalf("get task %d: %v", id, err)
	}
	return task
}

// runToEnd fires timers until the task is no longer RUNNING.
func runToEnd(t testing.TB, e *Executor, clk *FakeClock, id int64) *ocp.Task {
	t.Helper()
	ok := clk.AdvanceUntil(func() bool { return getTask(t, e, id).Status != ocp.TaskRunning }, 24*time.Hour)
	if !ok {
		t.Fatalf("task %d still running after a simulated day", id)
	}
	return getTask(t, e, id)
}

func byName(task *ocp.Task, name string) *ocp.Subtask {
	for i := range task.Subtasks {
		if task.Subtasks[i].Name == name {
			return &task.Subtasks[i]
		}
	}
	return nil
}

func mustStep(t testing.TB, task *ocp.Task, name string) *ocp.Subtask {
	t.Helper()
	s := byName(task, name)
	if s == nil {
		t.Fatalf("task %d has no step %q", task.ID, name)
	}
	return s
}

// executionOrder orders subtasks the way the console does (backend/dag)
// and fails the test on a malformed graph or an edge stated on one side.
func executionOrder(t testing.TB, task *ocp.Task) []ocp.Subtask {
	t.Helper()
	byID := map[int64]ocp.Subtask{}
	for _, s := range task.Subtasks {
		byID[s.ID] = s
	}
	for _, s := range task.Subtasks {
		for _, u := range s.Upstreams {
			if !slices.Contains(byID[u].Downstreams, s.ID) {
				t.Fatalf("edge %d->%d missing from %d's downstreams", u, s.ID, u)
			}
		}
	}
	g := dag.OfTask(task)
	if !g.Problems.Empty() {
		t.Fatalf("task %d: %s", task.ID, g.Problems)
	}
	out := make([]ocp.Subtask, len(g.Rows))
	for i, r := range g.Rows {
		out[i] = task.Subtasks[r.Index]
	}
	return out
}

func names(subs []ocp.Subtask) []string {
	out := make([]string, len(subs))
	for i, s := range subs {
		out[i] = s.Name
	}
	return out
}

// checkTimes asserts every finished step started after all its upstreams
// finished and finished after it started.
func checkTimes(t testing.TB, task *ocp.Task) {
	t.Helper()
	for _, s := range task.Subtasks {
		if s.Status != ocp.SubtaskSuccessful && s.Status != ocp.SubtaskFailed {
			continue
		}
		if s.StartTime.IsZero() || s.FinishTime.IsZero() || s.FinishTime.Before(s.StartTime.Time) {
			t.Errorf("%s: start %v finish %v", s.Name, s.StartTime, s.FinishTime)
		}
		for _, u := range s.Upstreams {
			up := task.Subtask(u)
			if !s.StartTime.After(up.FinishTime.Time) {
				t.Errorf("%s started %v, not after upstream %s finished %v", s.Name, s.StartTime, up.Name, up.FinishTime)
			}
		}
	}
}

func serverStatus(t testing.TB, e *Executor, clusterID, serverID int64) ocp.Server {
	t.Helper()
	servers, err := e.ListServers(ctx, clusterID, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range servers {
		if s.ID == serverID {
			return s
		}
	}
	t.Fatalf("server %d not in cluster %d", serverID, clusterID)
	return ocp.Server{}
}

func wantKind(t testing.TB, err error, kind backend.Kind, contains ...string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("error %v, want kind %v", err, kind)
	}
	for _, c := range contains {
		if !strings.Contains(err.Error(), c) {
			t.Errorf("error %q does not mention %q", err, c)
		}
	}
}

func logOf(t testing.TB, e *Executor, taskID, subID int64) string {
	t.Helper()
	l, err := e.SubtaskLog(ctx, taskID, subID)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func contextWithCancel() (context.Context, context.CancelFunc) { return context.WithCancel(ctx) }
