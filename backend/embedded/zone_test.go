package embedded

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

func restartZone(t *testing.T, e *Executor, clusterID int64, zone string, force bool) *ocp.Task {
	t.Helper()
	task, err := e.RestartZone(ctx, clusterID, zone, backend.RestartOptions{Force: force})
	if err != nil {
		t.Fatalf("restart zone %s: %v", zone, err)
	}
	return task
}

func TestZoneRestartFansOutAndIn(t *testing.T) {
	e, clk := newTestExecutor(t, Options{Seed: 2})
	task := restartZone(t, e, DemoPrimaryClusterID, "zone3", false)
	if task.Name != "Restart OB zone" || task.Status != ocp.TaskRunning || task.Force() || !task.Context.Parallel ||
		task.Context.Get("zone_name") != "zone3" || task.Context.Get("server_id") != "" ||
		!slices.Equal(task.Context.ListMap["server_ids"], []string{"13000003", "13000006"}) {
		t.Errorf("zone task header %+v", task)
	}

	// The graph: pre-check, stop zone, one 4-step branch per server, then
	// start zone and the updates.
	branch := []string{"Stop observer process", "Start observer process", "Wait observer active", "Start ocp agent service"}
	want := append([]string{"Prepare restart zone", "Stop zone"}, branch...)
	want = append(want, branch...)
	want = append(want, "Start zone", "Update observer status", "Update zone status", "Sync cluster info", "Update OB cluster status")
	order := executionOrder(t, task)
	got := names(order)
	slices.Sort(got)
	sorted := slices.Clone(want)
	slices.Sort(sorted)
	if !slices.Equal(got, sorted) {
		t.Fatalf("steps %v\nwant %v", names(order), want)
	}
	stop, start := mustStep(t, task, "Stop zone"), mustStep(t, task, "Start zone")
	if len(stop.Downstreams) != 2 || len(start.Upstreams) != 2 {
		t.Errorf("fan-out %d, fan-in %d; want 2 and 2", len(stop.Downstreams), len(start.Upstreams))
	}
	branchOf := map[int]string{}
	for _, s := range task.Subtasks {
		if slices.Contains(branch, s.Name) {
			if s.ParallelIdx < 0 || s.ParallelIdx > 1 || !strings.HasPrefix(s.Description, s.Name+" on 192.0.2.") {
				t.Errorf("branch step %s idx %d desc %q", s.Name, s.ParallelIdx, s.Description)
			}
			if prev, ok := branchOf[s.ParallelIdx]; ok && !strings.HasSuffix(s.Description, prev[strings.LastIndex(prev, " "):]) {
				t.Errorf("branch %d mixes servers: %q and %q", s.ParallelIdx, prev, s.Description)
			}
			branchOf[s.ParallelIdx] = s.Description
		} else if s.ParallelIdx != -1 {
			t.Errorf("%s has parallelIdx %d", s.Name, s.ParallelIdx)
		}
	}
	// Listed out of execution order, like OCP.
	if slices.Equal(names(task.Subtasks), names(order)) {
		t.Error("subtasks listed in execution order")
	}

	clk.Advance(20 * time.Second)
	zones, _ := e.ListZones(ctx, DemoPrimaryClusterID)
	if zones[2].Status != ocp.ServerRestarting || zones[2].Servers[0].Status != ocp.ServerRestarting {
		t.Errorf("zone3 %s, server %s during the restart", zones[2].Status, zones[2].Servers[0].Status)
	}
	_, err := e.RestartServer(ctx, DemoPrimaryClusterID, 13000006, backend.RestartOptions{})
	wantKind(t, err, backend.Conflict, fmt.Sprint(task.ID))
	_, err = e.RestartZone(ctx, DemoPrimaryClusterID, "zone3", backend.RestartOptions{Force: true})
	wantKind(t, err, backend.Conflict, fmt.Sprint(task.ID))

	done := runToEnd(t, e, clk, task.ID)
	if done.Status != ocp.TaskSuccessful {
		t.Fatalf("zone restart %s", done.Status)
	}
	checkTimes(t, done)
	// The branches really ran side by side.
	var waits []ocp.Subtask
	for _, s := range done.Subtasks {
		if s.Name == "Wait observer active" {
			waits = append(waits, s)
		}
	}
	if !waits[0].StartTime.Before(waits[1].FinishTime.Time) || !waits[1].StartTime.Before(waits[0].FinishTime.Time) {
		t.Errorf("branches did not overlap: %v-%v and %v-%v", waits[0].StartTime, waits[0].FinishTime, waits[1].StartTime, waits[1].FinishTime)
	}
	zones, _ = e.ListZones(ctx, DemoPrimaryClusterID)
	for _, s := range zones[2].Servers {
		if s.Status != ocp.ServerRunning || !s.StartTime.After(testStart) {
			t.Errorf("server %s: %s started %v", s.Address(), s.Status, s.StartTime)
		}
	}
	if zones[2].Status != ocp.ServerRunning {
		t.Errorf("zone3 %s after its restart", zones[2].Status)
	}
}

func TestZoneRestartRefusedWhenAnotherZoneIsDegraded(t *testing.T) {
	e, clk := newTestExecutor(t, Options{})
	task := restartZone(t, e, DemoDegradedClusterID, "zone1", false)
	got := runToEnd(t, e, clk, task.ID)
	pre := mustStep(t, got, "Prepare restart zone")
	if got.Status != ocp.TaskFailed || pre.Status != ocp.SubtaskFailed {
		t.Fatalf("task %s pre-check %s", got.Status, pre.Status)
	}
	if log := logOf(t, e, got.ID, pre.ID); !strings.Contains(log, "pre-check failed: zone zone2 is not fully RUNNING (203.0.113.32:2882 UNAVAILABLE)") {
		t.Errorf("log:\n%s", log)
	}
	zones, _ := e.ListZones(ctx, DemoDegradedClusterID)
	if zones[0].Status != ocp.ServerRunning || zones[0].Servers[0].Status != ocp.ServerRunning {
		t.Errorf("zone1 %s, server %s after a refused zone restart", zones[0].Status, zones[0].Servers[0].Status)
	}

	// Forced, it goes, without the graceful Stop zone.
	forced := restartZone(t, e, DemoDegradedClusterID, "zone1", true)
	if !forced.Force() || byName(forced, "Stop zone") != nil || len(forced.Subtasks) != 1+3*4+5 {
		t.Errorf("force zone task: force %v, %d steps %v", forced.Force(), len(forced.Subtasks), names(forced.Subtasks))
	}
	if pre := mustStep(t, forced, "Prepare restart zone"); len(pre.Downstreams) != 3 {
		t.Errorf("force fans out from the pre-check to %d branches", len(pre.Downstreams))
	}
	if got := runToEnd(t, e, clk, forced.ID); got.Status != ocp.TaskSuccessful {
		t.Errorf("forced zone restart %s", got.Status)
	}

	// Restarting the degraded zone itself is allowed and heals it.
	heal := restartZone(t, e, DemoDegradedClusterID, "zone2", false)
	if got := runToEnd(t, e, clk, heal.ID); got.Status != ocp.TaskSuccessful {
		t.Fatalf("restart of the degraded zone %s", got.Status)
	}
	if s := serverStatus(t, e, DemoDegradedClusterID, DemoUnavailableServerID); s.Status != ocp.ServerRunning {
		t.Errorf("the UNAVAILABLE server is %s after its zone restart", s.Status)
	}
}

func TestZoneRestartWithAFailingBranch(t *testing.T) {
	f := DemoFleet()
	f.Clusters[0].Zones[0].Servers[1].Scenario = "fail-once:start-process" // 13000004, branch 1 of zone1
	e, clk := newTestExecutor(t, Options{Fleet: f})
	task := restartZone(t, e, DemoPrimaryClusterID, "zone1", false)
	got := runToEnd(t, e, clk, task.ID)
	if got.Status != ocp.TaskFailed {
		t.Fatalf("task %s", got.Status)
	}
	for _, s := range got.Subtasks {
		switch {
		case s.ParallelIdx == 0 && s.Status != ocp.SubtaskSuccessful:
			t.Errorf("healthy branch %s: %s (it should run to its end)", s.Name, s.Status)
		case s.ParallelIdx == 1 && s.Name == "Start observer process" && s.Status != ocp.SubtaskFailed:
			t.Errorf("failing branch step %s", s.Status)
		case s.Name == "Start zone" && s.Status != ocp.SubtaskPending:
			t.Errorf("fan-in ran with a failed branch: %s", s.Status)
		}
	}
	zones, _ := e.ListZones(ctx, DemoPrimaryClusterID)
	z := zones[0]
	if z.Servers[0].Status != ocp.ServerUnavailable || z.Servers[1].Status != ocp.ServerStopped || z.Status != ocp.ServerUnavailable {
		t.Errorf("after the failed branch: zone %s, servers %s %s; want UNAVAILABLE, UNAVAILABLE (up, zone not started), STOPPED",
			z.Status, z.Servers[0].Status, z.Servers[1].Status)
	}
	retried, err := e.RetryTask(ctx, got.ID)
	if err != nil {
		t.Fatal(err)
	}
	if retried.Status != ocp.TaskRunning {
		t.Errorf("retry %s", retried.Status)
	}
	if got = runToEnd(t, e, clk, got.ID); got.Status != ocp.TaskSuccessful {
		t.Fatalf("after retry %s", got.Status)
	}
	zones, _ = e.ListZones(ctx, DemoPrimaryClusterID)
	if zones[0].Status != ocp.ServerRunning || zones[0].Servers[1].Status != ocp.ServerRunning {
		t.Errorf("zone %s server %s after the retry", zones[0].Status, zones[0].Servers[1].Status)
	}
}

func TestZoneRestartRollback(t *testing.T) {
	e, clk := newTestExecutor(t, Options{Scenario: "fail-once:start-zone"})
	task := restartZone(t, e, DemoPrimaryClusterID, "zone2", false)
	got := runToEnd(t, e, clk, task.ID)
	if got.Status != ocp.TaskFailed {
		t.Fatalf("task %s", got.Status)
	}
	if _, err := e.RollbackTask(ctx, got.ID); err != nil {
		t.Fatal(err)
	}
	got = runToEnd(t, e, clk, got.ID)
	if got.Status != ocp.TaskSuccessful || got.Operation != ocp.OpRollback {
		t.Fatalf("rollback ended %s/%s", got.Status, got.Operation)
	}
	// Every branch was undone before Stop zone, and Stop zone before the pre-check.
	stop, pre := mustStep(t, got, "Stop zone"), mustStep(t, got, "Prepare restart zone")
	for _, s := range got.Subtasks {
		if s.Operation != ocp.OpRollback {
			if s.Status != ocp.SubtaskPending {
				t.Errorf("%s ran but was not rolled back", s.Name)
			}
			continue
		}
		if s.ParallelIdx >= 0 && s.FinishTime.After(stop.StartTime.Time) {
			t.Errorf("branch step %s undone after Stop zone", s.Name)
		}
	}
	if stop.FinishTime.After(pre.StartTime.Time) {
		t.Error("the pre-check was undone before Stop zone")
	}
	zones, _ := e.ListZones(ctx, DemoPrimaryClusterID)
	if zones[1].Status != ocp.ServerRunning || zones[1].Servers[0].Status != ocp.ServerRunning {
		t.Errorf("zone2 %s after rollback", zones[1].Status)
	}
}
