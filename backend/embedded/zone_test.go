package embedded

import (
	"encoding/json"
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

// zoneRestartOrder is the documented zone restart in execution order for
// a zone of n servers: per-server steps n times, side by side.
func zoneRestartOrder(n int) []string {
	var out []string
	for _, ts := range templates[RestartZoneTemplate].steps {
		k := 1
		if ts.perServer {
			k = n
		}
		for range k {
			out = append(out, stepDefs[ts.kind].name)
		}
	}
	return out
}

func TestZoneRestartFollowsTheDocumentedTemplate(t *testing.T) {
	e, clk := newTestExecutor(t, Options{Seed: 2})
	task := restartZone(t, e, DemoPrimaryClusterID, "zone3", false)
	if task.Name != "Restart OB zone" || task.Status != ocp.TaskRunning || task.Force() || task.Context.Parallel ||
		task.Context.ParallelIdx != -1 || task.Context.Get("zone_name") != "zone3" || task.Context.Get("server_id") != "" ||
		task.Context.Get("former_zone_status") != "" || task.Context.Get("target_zone_status") != "" ||
		!slices.Equal(task.Context.ListMap["server_ids"], []string{"13000003", "13000006"}) {
		t.Errorf("zone task header %+v", task)
	}
	if len(task.Subtasks) != 10+5*2 {
		t.Fatalf("%d steps for a two-server zone, want 20", len(task.Subtasks))
	}
	order := executionOrder(t, task)
	if got, want := names(order), zoneRestartOrder(2); !slices.Equal(got, want) {
		t.Fatalf("steps %v\nwant %v", got, want)
	}
	perServer := map[string]bool{"Prepare restart observer": true, "Stop observer process": true, "Start observer process": true,
		"Start ocp agent service": true, "Update observer status": true}
	for _, s := range task.Subtasks {
		if s.Description != s.Name {
			t.Errorf("%s: description %q, OCP's equals the name", s.Name, s.Description)
		}
		switch {
		case perServer[s.Name]:
			if s.ParallelIdx != 0 && s.ParallelIdx != 1 || len(s.Upstreams) != 1 || len(s.Downstreams) != 1 {
				t.Errorf("per-server %s: parallelIdx %d, %d up, %d down", s.Name, s.ParallelIdx, len(s.Upstreams), len(s.Downstreams))
			}
		case s.ParallelIdx != -1:
			t.Errorf("zone-level %s has parallelIdx %d", s.Name, s.ParallelIdx)
		case s.Name == "Wait node" || s.Name == "Wait observer active":
			// the barriers between phases join both servers
			if len(s.Upstreams) != 2 || len(s.Downstreams) != 2 || s.Name == "Wait node" && (s.Timeout != 30 || s.ClassName != classPrefix+"WaitNode") {
				t.Errorf("barrier %s: %d up, %d down, timeout %d, class %s", s.Name, len(s.Upstreams), len(s.Downstreams), s.Timeout, s.ClassName)
			}
		}
	}
	if pre := executionOrder(t, task)[0]; pre.Name != "Prepare restart OB zone" || pre.Timeout != 1800 || pre.Status != ocp.SubtaskReady {
		t.Errorf("first step %s timeout %d %s", pre.Name, pre.Timeout, pre.Status)
	}
	if slices.Equal(names(task.Subtasks), names(order)) {
		t.Error("subtasks listed in execution order; OCP's sample is not")
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
	// Phase by phase: both processes stop before either starts, and the
	// two servers' steps of one phase run side by side.
	byName := map[string][]ocp.Subtask{}
	for _, s := range done.Subtasks {
		byName[s.Name] = append(byName[s.Name], s)
	}
	for _, stop := range byName["Stop observer process"] {
		for _, start := range byName["Start observer process"] {
			if !stop.FinishTime.Before(start.StartTime.Time) {
				t.Errorf("a process started (%v) before another stopped (%v)", start.StartTime, stop.FinishTime)
			}
		}
	}
	a, b := byName["Start observer process"][0], byName["Start observer process"][1]
	if !a.StartTime.Before(b.FinishTime.Time) || !b.StartTime.Before(a.FinishTime.Time) {
		t.Errorf("the servers' starts did not overlap: %v-%v and %v-%v", a.StartTime, a.FinishTime, b.StartTime, b.FinishTime)
	}
	if log := logOf(t, e, done.ID, byName["Wait observer active"][0].ID); !strings.Contains(log, "wait for the 2 observers of zone zone3 to become active") {
		t.Errorf("zone-level wait log:\n%s", log)
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

// oneServerZones is a cluster whose zones have one server each, as in the
// documentation's zone samples (cluster protoss 12000001, zone2, server
// 13000001).
func oneServerZones() *Fleet {
	return &Fleet{Clusters: []FleetCluster{{ID: 12000001, Name: "protoss", Zones: []FleetZone{
		{Name: "zone1", Servers: []FleetServer{{ID: 13000002, IP: "192.0.2.11"}}},
		{Name: "zone2", Servers: []FleetServer{{ID: 13000001, IP: "192.0.2.12"}}},
		{Name: "zone3", Servers: []FleetServer{{ID: 13000003, IP: "192.0.2.13"}}},
	}}}}
}

func TestZoneRestartIsTheTemplateBuildTaskLaysOut(t *testing.T) {
	e, _ := newTestExecutor(t, Options{Fleet: oneServerZones()})
	got := restartZone(t, e, 12000001, "zone2", false)
	if len(got.Subtasks) != 15 {
		t.Fatalf("%d steps for a one-server zone, want the sample's 15", len(got.Subtasks))
	}
	first := got.Subtasks[0].ID
	for _, s := range got.Subtasks {
		first = min(first, s.ID)
	}
	want, err := BuildTask(RestartZoneTemplate, TaskSpec{TaskID: got.ID, FirstSubtaskID: first, Start: got.StartTime.Time,
		ClusterID: 12000001, ClusterName: "protoss", ZoneName: "zone2", ServerIDs: []int64{13000001}})
	if err != nil {
		t.Fatal(err)
	}
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("engine's zone restart differs from BuildTask's:\n got %s\nwant %s", g, w)
	}
}

func TestZoneRestartRefusedWhenAnotherZoneIsDegraded(t *testing.T) {
	e, clk := newTestExecutor(t, Options{})
	task := restartZone(t, e, DemoDegradedClusterID, "zone1", false)
	got := runToEnd(t, e, clk, task.ID)
	pre := mustStep(t, got, "Prepare restart OB zone")
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

	// Forced, it goes: the same steps (OCP's zone restart has no force),
	// the pre-check's findings only logged as warnings.
	forced := restartZone(t, e, DemoDegradedClusterID, "zone1", true)
	if !forced.Force() || !slices.Equal(names(executionOrder(t, forced)), zoneRestartOrder(len(zones[0].Servers))) {
		t.Errorf("force zone task: force %v, steps %v", forced.Force(), names(executionOrder(t, forced)))
	}
	got = runToEnd(t, e, clk, forced.ID)
	if got.Status != ocp.TaskSuccessful {
		t.Errorf("forced zone restart %s", got.Status)
	}
	if log := logOf(t, e, got.ID, mustStep(t, got, "Prepare restart OB zone").ID); !strings.Contains(log, "WARN  force restart: going on despite: zone zone2 is not fully RUNNING") {
		t.Errorf("forced pre-check log:\n%s", log)
	}
	if log := logOf(t, e, got.ID, mustStep(t, got, "Stop observer process").ID); !strings.Contains(log, "SIGTERM") || strings.Contains(log, "SIGKILL") {
		t.Errorf("a forced zone restart stops its observers as a normal one does:\n%s", log)
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

func TestZoneRestartWithAFailingServer(t *testing.T) {
	f := DemoFleet()
	f.Clusters[0].Zones[0].Servers[1].Scenario = "fail-once:start-process" // 13000004, parallelIdx 1 of zone1
	e, clk := newTestExecutor(t, Options{Fleet: f})
	task := restartZone(t, e, DemoPrimaryClusterID, "zone1", false)
	got := runToEnd(t, e, clk, task.ID)
	if got.Status != ocp.TaskFailed {
		t.Fatalf("task %s", got.Status)
	}
	// The other server's start, in the same phase, ran to its end; nothing
	// after the phase started.
	reached := false
	for _, s := range executionOrder(t, got) {
		want := ocp.SubtaskSuccessful
		switch {
		case s.Name == "Start observer process" && s.ParallelIdx == 1:
			want, reached = ocp.SubtaskFailed, true
		case s.Name == "Start observer process":
		case reached:
			want = ocp.SubtaskPending
		}
		if s.Status != want {
			t.Errorf("%s (parallelIdx %d): %s, want %s", s.Name, s.ParallelIdx, s.Status, want)
		}
	}
	zones, _ := e.ListZones(ctx, DemoPrimaryClusterID)
	z := zones[0]
	if z.Servers[0].Status != ocp.ServerUnavailable || z.Servers[1].Status != ocp.ServerStopped || z.Status != ocp.ServerUnavailable {
		t.Errorf("after the failed start: zone %s, servers %s %s; want UNAVAILABLE, UNAVAILABLE (up, not active), STOPPED",
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
	// Every step that ran is PENDING with operation ROLLBACK, and each was
	// undone only after everything after it.
	for _, s := range got.Subtasks {
		if s.Status != ocp.SubtaskPending {
			t.Errorf("%s: %s after the rollback", s.Name, stateOf(&s))
		}
		if ran := s.Name != "Update zone status" && s.Name != "Sync cluster info" && s.Name != "Update OB cluster status"; ran != (s.Operation == ocp.OpRollback) {
			t.Errorf("%s: operation %s", s.Name, s.Operation)
		}
		if s.Operation != ocp.OpRollback {
			continue
		}
		for _, d := range s.Downstreams {
			if down := got.Subtask(d); down.Operation == ocp.OpRollback && down.FinishTime.After(s.StartTime.Time) {
				t.Errorf("%s undone at %v, before %s after it was (%v)", s.Name, s.StartTime, down.Name, down.FinishTime)
			}
		}
	}
	zones, _ := e.ListZones(ctx, DemoPrimaryClusterID)
	if zones[1].Status != ocp.ServerRunning || zones[1].Servers[0].Status != ocp.ServerRunning {
		t.Errorf("zone2 %s after rollback", zones[1].Status)
	}
}

// activeSteps counts a task's READY and RUNNING steps.
func activeSteps(task *ocp.Task) int {
	n := 0
	for _, s := range task.Subtasks {
		if s.Status == ocp.SubtaskReady || s.Status == ocp.SubtaskRunning {
			n++
		}
	}
	return n
}

func TestAtMostTenStepsOfATaskAreActive(t *testing.T) {
	e, clk := newTestExecutor(t, Options{Fleet: GenerateFleet(1, 3, 14), Seed: 3})
	clusters, _ := e.ListClusters(ctx)
	task := restartZone(t, e, clusters[0].ID, "zone1", false)
	most := 0
	for {
		got := getTask(t, e, task.ID)
		most = max(most, activeSteps(got))
		if got.Status != ocp.TaskRunning {
			if got.Status != ocp.TaskSuccessful {
				t.Fatalf("14-server zone restart %s", got.Status)
			}
			break
		}
		if !clk.Step() {
			t.Fatal("the task stalled")
		}
	}
	if most != maxActive {
		t.Errorf("at most %d steps READY or RUNNING at once, want OCP's %d", most, maxActive)
	}
}

func TestNoStepIsMadeReadyAfterAFailure(t *testing.T) {
	f := GenerateFleet(1, 3, 14)
	f.Clusters[0].Zones[0].Servers[3].Scenario = "fail-once:prepare-restart-observer"
	e, clk := newTestExecutor(t, Options{Fleet: f, Seed: 3})
	clusters, _ := e.ListClusters(ctx)
	task := restartZone(t, e, clusters[0].ID, "zone1", false)
	prev := getTask(t, e, task.ID)
	failedSeen := false
	for prev.Status == ocp.TaskRunning {
		if !clk.Step() {
			t.Fatal("the task stalled")
		}
		got := getTask(t, e, task.ID)
		for i, s := range got.Subtasks {
			if failedSeen && prev.Subtasks[i].Status == ocp.SubtaskPending && s.Status != ocp.SubtaskPending {
				t.Errorf("%s (parallelIdx %d) made %s after a step had failed", s.Name, s.ParallelIdx, s.Status)
			}
		}
		for _, s := range got.Subtasks {
			failedSeen = failedSeen || s.Status == ocp.SubtaskFailed
		}
		prev = got
	}
	if prev.Status != ocp.TaskFailed {
		t.Fatalf("task %s", prev.Status)
	}
	// The steps READY or RUNNING when it failed finished; the two servers
	// beyond the limit of ten never started.
	var prepared, pending int
	for _, s := range prev.Subtasks {
		if s.Name != "Prepare restart observer" {
			continue
		}
		switch s.Status {
		case ocp.SubtaskSuccessful:
			prepared++
		case ocp.SubtaskPending:
			pending++
		}
	}
	if prepared == 0 || pending == 0 || prepared+pending != 13 {
		t.Errorf("after the failure: %d servers prepared, %d never started (of 13)", prepared, pending)
	}
}
