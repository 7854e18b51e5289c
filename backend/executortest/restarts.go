package executortest

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
)

// Restarts: a server's, a zone's, forced, frozen, refused by the
// pre-check, and what a failure stops.

func testRestart(t *testing.T, env Env) {
	task := restart(t, env, server, false)
	if task.ID == 0 || task.Status != ocp.TaskRunning || len(task.Subtasks) != 11 || task.Force() {
		t.Fatalf("restart answered task %d %s with %d subtasks, force %v", task.ID, task.Status, len(task.Subtasks), task.Force())
	}
	if task.Context.Get("server_id") != strconv.FormatInt(server, 10) {
		t.Errorf("context server_id = %q", task.Context.Get("server_id"))
	}
	servers, err := env.Executor.ListServers(ctx(t), cluster, "zone1")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range servers {
		if s.ID == server && s.Status != ocp.ServerRestarting {
			t.Errorf("server status during the restart = %s, want RESTARTING", s.Status)
		}
	}
	done := runToEnd(t, env, task.ID)
	if done.Status != ocp.TaskSuccessful {
		t.Fatalf("task ended %s", done.Status)
	}
	for _, s := range done.Subtasks {
		if s.Status != ocp.SubtaskSuccessful || s.StartTime.IsZero() || s.FinishTime.IsZero() {
			t.Errorf("step %q: %s, start %v, finish %v", s.Name, s.Status, s.StartTime, s.FinishTime)
		}
	}
	want, _ := env.Reference.GetTask(ctx(t), task.ID)
	sameJSON(t, "finished task", done, want)
	servers, _ = env.Executor.ListServers(ctx(t), cluster, "zone1")
	for _, s := range servers {
		if s.ID == server && s.Status != ocp.ServerRunning {
			t.Errorf("server status after the restart = %s, want RUNNING", s.Status)
		}
	}
	// logs of every step, as the embedded executor has them
	for _, s := range done.Subtasks {
		log, err := env.Executor.SubtaskLog(ctx(t), task.ID, s.ID)
		if err != nil {
			t.Fatalf("log of %q: %v", s.Name, err)
		}
		wantLog, _ := env.Reference.SubtaskLog(ctx(t), task.ID, s.ID)
		if log == "" || log != wantLog {
			t.Errorf("log of %q = %q, want %q", s.Name, log, wantLog)
		}
	}
	tasks, err := env.Executor.ListTasks(ctx(t), backend.TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 1 || tasks[0].ID != task.ID || tasks[0].Status != ocp.TaskSuccessful {
		t.Errorf("ListTasks = %d tasks, want the one SUCCESSFUL restart", len(tasks))
	}
}

// testFreezeServer: RestartOptions.FreezeServer reaches the engine (over
// HTTP as OCP's freezeServer), which records it in the task's context
// and runs a minor freeze before the observer stops; without it neither.
func testFreezeServer(t *testing.T, env Env) {
	for _, freeze := range []bool{true, false} {
		task, err := env.Executor.RestartServer(ctx(t), cluster, server, backend.RestartOptions{FreezeServer: freeze})
		if err != nil {
			t.Fatal(err)
		}
		if got := task.Context.Get("freeze_server") == "true"; got != freeze {
			t.Fatalf("freezeServer %v: the context says freeze_server %q", freeze, task.Context.Get("freeze_server"))
		}
		done := runToEnd(t, env, task.ID)
		if done.Status != ocp.TaskSuccessful {
			t.Fatalf("task %d ended %s", task.ID, done.Status)
		}
		var stop *ocp.Subtask
		for i := range done.Subtasks {
			if done.Subtasks[i].Name == "Stop server" {
				stop = &done.Subtasks[i]
			}
		}
		if stop == nil {
			t.Fatalf("task %d has no Stop server step", task.ID)
		}
		log, err := env.Executor.SubtaskLog(ctx(t), task.ID, stop.ID)
		if err != nil {
			t.Fatal(err)
		}
		if froze := strings.Contains(log, "MINOR FREEZE"); froze != freeze {
			t.Errorf("task %d: a minor freeze in the Stop server log: %v\n%s", task.ID, froze, log)
		}
	}
}

// bigZoneFleet is one cluster whose zone1 has 14 servers, the sixth of
// which fails its first "Prepare restart observer": with the suite's seed
// it is the first of the ten to end, so four servers are still PENDING then.
func bigZoneFleet() *embedded.Fleet {
	f := embedded.GenerateFleet(1, 3, 14)
	f.Clusters[0].Zones[0].Servers[5].Scenario = "fail-once:prepare-restart-observer"
	return f
}

// testNoNewStepAfterAFailure restarts a zone of 14 servers: at most 10
// steps are READY or RUNNING at once (OCP's per-task limit), and once a
// step has FAILED no step leaves PENDING; the steps still running finish,
// and only then the task is FAILED.
func testNoNewStepAfterAFailure(t *testing.T, env Env) {
	clusters, err := env.Executor.ListClusters(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	task, err := env.Executor.RestartZone(ctx(t), clusters[0].ID, "zone1", backend.RestartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var prev *ocp.Task
	failedSeen, ranOn, most := false, false, 0
	for range maxPolls {
		now, err := env.Executor.GetTask(ctx(t), task.ID)
		if err != nil {
			t.Fatal(err)
		}
		active := 0
		for i, s := range now.Subtasks {
			if failedSeen && prev.Subtasks[i].Status == ocp.SubtaskPending && s.Status != ocp.SubtaskPending {
				t.Errorf("%q (parallelIdx %d) became %s after a step had failed", s.Name, s.ParallelIdx, s.Status)
			}
			if s.Status == ocp.SubtaskReady || s.Status == ocp.SubtaskRunning {
				active++
			}
		}
		most = max(most, active)
		for _, s := range now.Subtasks {
			failedSeen = failedSeen || s.Status == ocp.SubtaskFailed
		}
		if failedSeen && active > 0 {
			ranOn = true
			if now.Status != ocp.TaskRunning {
				t.Errorf("task %s while %d steps still run", now.Status, active)
			}
		}
		if now.Status.Ended() {
			if now.Status != ocp.TaskFailed || !ranOn || most != 10 {
				t.Errorf("task ended %s; steps ran on after the failure: %v; at most %d active, want 10", now.Status, ranOn, most)
			}
			pending := 0
			for _, s := range now.Subtasks {
				if s.Name == "Prepare restart observer" && s.Status == ocp.SubtaskPending {
					pending++
				}
			}
			if pending != 4 {
				t.Errorf("%d servers never prepared, want the 4 the limit of 10 held back when the first failed", pending)
			}
			return
		}
		prev = now
		env.Clock.Advance(200 * time.Millisecond)
	}
	t.Fatal("the zone restart never ended")
}

// testZoneRestart: the documented template, 10 zone-level steps and 5
// per server, and the servers held while it runs.
func testZoneRestart(t *testing.T, env Env) {
	servers, err := env.Executor.ListServers(ctx(t), cluster, zoneName)
	if err != nil {
		t.Fatal(err)
	}
	task, err := env.Executor.RestartZone(ctx(t), cluster, zoneName, backend.RestartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if task.Name != "Restart OB zone" || len(task.Subtasks) != 10+5*len(servers) || task.Context.Parallel ||
		task.Context.Get("zone_name") != zoneName || task.Context.Get("target_zone_status") != "" {
		t.Fatalf("zone restart answered %q with %d steps for %d servers, context %+v", task.Name, len(task.Subtasks), len(servers), task.Context)
	}
	count := map[string]int{}
	for _, s := range task.Subtasks {
		count[s.Name]++
		switch {
		case s.Name == "Prepare restart OB zone" && (s.Status != ocp.SubtaskReady || s.Timeout != 1800):
			t.Errorf("first step %s, timeout %d", s.Status, s.Timeout)
		case s.Name == "Wait node" && (s.Timeout != 30 || !strings.HasSuffix(s.ClassName, ".WaitNode") || len(s.Upstreams) != len(servers)):
			t.Errorf("barrier %+v", s)
		case s.Name == "Wait observer active" && (s.ParallelIdx != -1 || len(s.Upstreams) != len(servers)):
			t.Errorf("the zone's wait %+v", s)
		}
	}
	if count["Wait node"] != 3 || count["Wait observer active"] != 1 || count["Prepare restart observer"] != len(servers) || count["Update observer status"] != len(servers) {
		t.Errorf("steps by name %v", count)
	}
	_, err = env.Executor.RestartServer(ctx(t), cluster, 13000006, backend.RestartOptions{})
	wantKind(t, "restart a server of the restarting zone", err, backend.Conflict)
	if done := runToEnd(t, env, task.ID); done.Status != ocp.TaskSuccessful {
		t.Errorf("zone restart ended %s", done.Status)
	}
}

func testPrecheckFail(t *testing.T, env Env) {
	task := restart(t, env, server2, false)
	failed := runToEnd(t, env, task.ID)
	if failed.Status != ocp.TaskFailed || failedStep(t, failed).Name != "Prepare restart observer" {
		t.Errorf("pre-check drill: task %s, want FAILED at Prepare restart observer", failed.Status)
	}
	forced := restart(t, env, server, true)
	if !forced.Force() {
		t.Error("force restart's context does not say force")
	}
	if done := runToEnd(t, env, forced.ID); done.Status != ocp.TaskSuccessful {
		t.Errorf("force restart under precheck-fail ended %s, want SUCCESSFUL", done.Status)
	}
}

func testConflict(t *testing.T, env Env) {
	first := restart(t, env, server, false)
	_, err := env.Executor.RestartServer(ctx(t), cluster, server, backend.RestartOptions{})
	be := wantKind(t, "second restart", err, backend.Conflict)
	if !strings.Contains(be.Error(), strconv.FormatInt(first.ID, 10)) {
		t.Errorf("conflict %q does not name the running task %d", be.Error(), first.ID)
	}
	_, err = env.Executor.RestartServer(ctx(t), cluster, server, backend.RestartOptions{Force: true})
	wantKind(t, "force restart while one runs", err, backend.Conflict)
	tasks, _ := env.Reference.ListTasks(ctx(t), backend.TaskFilter{})
	if len(tasks) != 1 {
		t.Errorf("the backend holds %d tasks, want 1", len(tasks))
	}
}
