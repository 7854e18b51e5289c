package embedded

import (
	"fmt"
	"strings"
	"testing"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

func TestSecondRestartOfAServerIsAConflictNamingTheRunningTask(t *testing.T) {
	e, clk := newTestExecutor(t, Options{})
	first := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)
	for _, force := range []bool{false, true} {
		_, err := e.RestartServer(ctx, DemoPrimaryClusterID, DemoSampleServerID, backend.RestartOptions{Force: force})
		wantKind(t, err, backend.Conflict, fmt.Sprint(first.ID), "192.0.2.12:2882")
	}
	_, err := e.RestartZone(ctx, DemoPrimaryClusterID, "zone2", backend.RestartOptions{})
	wantKind(t, err, backend.Conflict, fmt.Sprint(first.ID))

	// Once the task ends the server is free again.
	runToEnd(t, e, clk, first.ID)
	second := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)
	if second.ID == first.ID {
		t.Error("the second restart reused the first task's id")
	}
}

func TestUnknownThingsAreNotFound(t *testing.T) {
	e, _ := newTestExecutor(t, Options{})
	task := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)
	checks := []struct {
		name string
		err  error
	}{
		{"zones of unknown cluster", second(e.ListZones(ctx, 42))},
		{"servers of unknown cluster", second(e.ListServers(ctx, 42, ""))},
		{"servers of unknown zone", second(e.ListServers(ctx, DemoPrimaryClusterID, "zone9"))},
		{"restart in unknown cluster", second(e.RestartServer(ctx, 42, DemoSampleServerID, backend.RestartOptions{}))},
		{"restart unknown server", second(e.RestartServer(ctx, DemoPrimaryClusterID, 99, backend.RestartOptions{}))},
		{"restart server of another cluster", second(e.RestartServer(ctx, DemoStandbyClusterID, DemoSampleServerID, backend.RestartOptions{}))},
		{"restart unknown zone", second(e.RestartZone(ctx, DemoPrimaryClusterID, "zone9", backend.RestartOptions{}))},
		{"unknown task", second(e.GetTask(ctx, 7))},
		{"retry unknown task", second(e.RetryTask(ctx, 7))},
		{"roll back unknown task", second(e.RollbackTask(ctx, 7))},
		{"log of unknown subtask", second(e.SubtaskLog(ctx, task.ID, 7))},
		{"retry unknown subtask", second(e.RetrySubtask(ctx, task.ID, 7))},
		{"skip unknown subtask", e.SkipSubtask(ctx, task.ID, 7)},
		{"cancel unknown subtask", e.CancelSubtask(ctx, 7, task.Subtasks[0].ID)},
	}
	for _, c := range checks {
		if backend.KindOf(c.err) != backend.NotFound {
			t.Errorf("%s: %v, want NotFound", c.name, c.err)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestNormalRestartOfAnUnavailableServerFailsItsPrecheck(t *testing.T) {
	e, clk := newTestExecutor(t, Options{})
	task := restart(t, e, DemoDegradedClusterID, DemoUnavailableServerID, false)
	got := runToEnd(t, e, clk, task.ID)
	if got.Status != ocp.TaskFailed {
		t.Fatalf("task %s, want FAILED", got.Status)
	}
	first := executionOrder(t, got)[0]
	if first.Name != "Prepare restart observer" || first.Status != ocp.SubtaskFailed {
		t.Fatalf("first step %s %s, want Prepare restart observer FAILED", first.Name, first.Status)
	}
	for _, s := range got.Subtasks[1:] {
		if s.ID != first.ID && s.Status != ocp.SubtaskPending {
			t.Errorf("%s ran after a failed pre-check: %s", s.Name, s.Status)
		}
	}
	log := logOf(t, e, got.ID, first.ID)
	if !strings.Contains(log, "pre-check failed: server 203.0.113.32:2882 is UNAVAILABLE, not RUNNING") {
		t.Errorf("pre-check log does not give the reason:\n%s", log)
	}
	if s := serverStatus(t, e, DemoDegradedClusterID, DemoUnavailableServerID); s.Status != ocp.ServerUnavailable {
		t.Errorf("server %s after a refused restart, want it left UNAVAILABLE", s.Status)
	}
}
