// Package executortest is the one contract test suite every
// backend.Executor must pass. It runs against the embedded simulator
// directly and against the remote executor talking to ocpserver over HTTP,
// so the two cannot drift apart.
//
// Each subtest builds a fresh Env: the executor under test, the embedded
// executor that holds the truth behind it, and the fake clock that drives
// the simulation. The suite advances the clock instead of sleeping, and
// compares what the executor answers with what the embedded one says.
package executortest

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
)

// Start is the fake clock's start time in NewEmbedded.
var Start = time.Date(2024, 4, 15, 9, 25, 2, 0, time.UTC)

// Env is one subtest's world.
type Env struct {
	// Executor is the executor under test.
	Executor backend.Executor
	// Reference is the embedded executor behind it (Executor itself when
	// testing the embedded executor directly).
	Reference *embedded.Executor
	// Clock drives Reference's simulated time.
	Clock *embedded.FakeClock
}

// Setup is what a subtest needs of the embedded executor behind the one
// under test.
type Setup struct {
	// Scenario is the embedded drill ("" is healthy).
	Scenario string
	// Fleet replaces the demo fleet when set.
	Fleet *embedded.Fleet
}

// NewEmbedded builds the setup's fleet (the demo fleet by default) on a
// fake clock with its scenario; it is closed when t ends.
func NewEmbedded(t *testing.T, setup Setup) (*embedded.Executor, *embedded.FakeClock) {
	t.Helper()
	clock := embedded.NewFakeClock(Start)
	ex, err := embedded.New(embedded.Options{Clock: clock, Scenario: setup.Scenario, Fleet: setup.Fleet, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ex.Close)
	return ex, clock
}

// The demo fleet's targets the suite works on.
const (
	cluster  = embedded.DemoPrimaryClusterID
	server   = int64(13000001) // protoss zone1, RUNNING
	server2  = int64(13000002) // protoss zone2
	zoneName = "zone3"
	// pollStep is how far simulated time moves between two polls.
	pollStep = 5 * time.Second
	// finePoll is the step when watching one step's short-lived states
	// (a skip runs for 0.1-0.4 s, a cancel passes through CANCELING and
	// RUNNING for 0.3-1 s each).
	finePoll = 50 * time.Millisecond
	// maxPolls bounds a poll loop: far more than any restart needs.
	maxPolls = 2000
)

// Run runs the contract suite; newEnv builds a fresh Env for the setup.
func Run(t *testing.T, newEnv func(t *testing.T, setup Setup) Env) {
	s := func(name string, scenario string, f func(t *testing.T, env Env)) {
		t.Run(name, func(t *testing.T) {
			f(t, newEnv(t, Setup{Scenario: scenario}))
		})
	}
	t.Run("NoNewStepAfterAFailure", func(t *testing.T) {
		testNoNewStepAfterAFailure(t, newEnv(t, Setup{Fleet: bigZoneFleet()}))
	})
	s("ListsMatchTheFleet", "", testLists)
	s("RestartPollsToSuccessful", "", testRestart)
	s("FreezeServerReachesTheEngine", "", testFreezeServer)
	s("SecondRestartConflicts", "", testConflict)
	s("NotFound", "", testNotFound)
	s("RetryTaskAfterAFailure", "fail-once:start-server", testRetryTask)
	s("RetrySubtaskAfterAFailure", "fail-once:start-server", testRetrySubtask)
	s("SkipFailedStep", "fail-once:start-server", testSkip)
	s("CancelRunningStep", "", testCancel)
	s("RollbackFailedTask", "fail-once:start-server", testRollback)
	s("FailedRollback", "fail-once:start-server,rollback-fail:stop-server", testFailedRollback)
	s("ZoneRestart", "", testZoneRestart)
	s("PrecheckFailure", "precheck-fail", testPrecheckFail)
	s("ListTasksFilters", "", testListTasks)
	s("CanceledContext", "", testCanceledContext)
}

func ctx(t *testing.T) context.Context { return t.Context() }

// sameJSON fails when got and want encode differently: the executor under
// test must answer exactly what the embedded one holds.
func sameJSON(t *testing.T, what string, got, want any) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if string(g) != string(w) {
		t.Errorf("%s differs from the embedded executor's:\n got %s\nwant %s", what, g, w)
	}
}

func wantKind(t *testing.T, what string, err error, kind backend.Kind) *backend.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want %s", what, kind)
	}
	var be *backend.Error
	if !errors.As(err, &be) {
		t.Fatalf("%s: %T %v, want a *backend.Error", what, err, err)
	}
	if !errors.Is(err, kind) {
		t.Fatalf("%s: kind %s (%v), want %s", what, be.Kind, err, kind)
	}
	if kind == backend.Conflict {
		// OCP answers an operation the state does not allow (and a
		// restart of a busy server) with 400 and TASK_STATE_INVALID, a
		// prohibited rollback with 400 and TASK_PROHIBIT_ROLLBACK.
		wantOCP(t, what, be, 400, ocp.CodeTaskStateInvalid, ocp.CodeTaskProhibitRollback)
	}
	return be
}

// wantOCP checks, for an error that came over HTTP, the status and code
// OCP answers with; an embedded error has neither.
func wantOCP(t *testing.T, what string, be *backend.Error, status int, codes ...ocp.Code) {
	t.Helper()
	if be.HTTP == 0 {
		return
	}
	if be.HTTP != status || !slices.Contains(codes, ocp.Code(be.Code)) {
		t.Errorf("%s: HTTP %d code %q, want OCP's %d with one of %v", what, be.HTTP, be.Code, status, codes)
	}
}

// runToEnd polls the task, advancing simulated time between polls, until
// it has ended; it returns the last answer.
func runToEnd(t *testing.T, env Env, taskID int64) *ocp.Task {
	t.Helper()
	for range maxPolls {
		task, err := env.Executor.GetTask(ctx(t), taskID)
		if err != nil {
			t.Fatalf("poll task %d: %v", taskID, err)
		}
		if task.Status.Ended() {
			return task
		}
		env.Clock.Advance(pollStep)
	}
	t.Fatalf("task %d did not end after %d polls", taskID, maxPolls)
	return nil
}

// advanceUntilStep advances until a step of the task has status st.
func advanceUntilStep(t *testing.T, env Env, taskID int64, st ocp.SubtaskStatus) ocp.Subtask {
	t.Helper()
	for range maxPolls {
		task, err := env.Executor.GetTask(ctx(t), taskID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range task.Subtasks {
			if s.Status == st {
				return s
			}
		}
		env.Clock.Advance(time.Second)
	}
	t.Fatalf("task %d never had a %s step", taskID, st)
	return ocp.Subtask{}
}

func failedStep(t *testing.T, task *ocp.Task) ocp.Subtask {
	t.Helper()
	for _, s := range task.Subtasks {
		if s.Status == ocp.SubtaskFailed {
			return s
		}
	}
	t.Fatalf("task %d (%s) has no FAILED step", task.ID, task.Status)
	return ocp.Subtask{}
}

// state is a step's status and operation, e.g. "READY/SKIP".
func state(s *ocp.Subtask) string { return string(s.Status) + "/" + string(s.Operation) }

// watch polls a step every finePoll of simulated time until done holds for
// it, and returns the distinct states it was seen in, the first being the
// one it is in before the clock moves.
func watch(t *testing.T, env Env, taskID, subID int64, done func(*ocp.Subtask) bool) []string {
	t.Helper()
	var seen []string
	for range maxPolls {
		task, err := env.Executor.GetTask(ctx(t), taskID)
		if err != nil {
			t.Fatal(err)
		}
		s := task.Subtask(subID)
		if st := state(s); len(seen) == 0 || seen[len(seen)-1] != st {
			seen = append(seen, st)
		}
		if done(s) {
			return seen
		}
		env.Clock.Advance(finePoll)
	}
	t.Fatalf("step %d never got there; seen %v", subID, seen)
	return nil
}

func restart(t *testing.T, env Env, serverID int64, force bool) *ocp.Task {
	t.Helper()
	task, err := env.Executor.RestartServer(ctx(t), cluster, serverID, backend.RestartOptions{Force: force})
	if err != nil {
		t.Fatalf("restart server %d: %v", serverID, err)
	}
	return task
}

func testLists(t *testing.T, env Env) {
	ex, ref := env.Executor, env.Reference
	clusters, err := ex.ListClusters(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ref.ListClusters(ctx(t))
	if len(clusters) < 3 {
		t.Fatalf("%d clusters, want the demo fleet's 3 or more", len(clusters))
	}
	sameJSON(t, "clusters", clusters, want)
	for _, c := range clusters {
		zones, err := ex.ListZones(ctx(t), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantZones, _ := ref.ListZones(ctx(t), c.ID)
		sameJSON(t, "zones of "+c.Name, zones, wantZones)
		servers, err := ex.ListServers(ctx(t), c.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		wantServers, _ := ref.ListServers(ctx(t), c.ID, "")
		sameJSON(t, "servers of "+c.Name, servers, wantServers)
		n := 0
		for _, z := range zones {
			zs, err := ex.ListServers(ctx(t), c.ID, z.Name)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range zs {
				if s.ZoneName != z.Name || s.ClusterID != c.ID {
					t.Errorf("server %s listed under zone %s of %d has zone %s, cluster %d", s.Address(), z.Name, c.ID, s.ZoneName, s.ClusterID)
				}
			}
			n += len(zs)
		}
		if n != len(servers) || n == 0 {
			t.Errorf("cluster %s: %d servers by zone, %d in all", c.Name, n, len(servers))
		}
	}
	if d := ex.Now().Sub(ref.Now()); d < -time.Minute || d > time.Minute {
		t.Errorf("Now() = %s, the backend's clock says %s", ex.Now(), ref.Now())
	}
}

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

// testNotFound: over HTTP, OCP's 404 with TASK_NOT_EXISTS for a task or
// subtask and COMMON_NOT_FOUND for the rest.
func testNotFound(t *testing.T, env Env) {
	ex := env.Executor
	notFound := func(what string, err error, code ocp.Code) {
		t.Helper()
		wantOCP(t, what, wantKind(t, what, err, backend.NotFound), 404, code)
	}
	_, err := ex.GetTask(ctx(t), 4242)
	notFound("get task 4242", err, ocp.CodeTaskNotExists)
	_, err = ex.ListZones(ctx(t), 777)
	notFound("zones of cluster 777", err, ocp.CodeNotFound)
	_, err = ex.ListServers(ctx(t), 777, "")
	notFound("servers of cluster 777", err, ocp.CodeNotFound)
	_, err = ex.ListServers(ctx(t), cluster, "zone9")
	notFound("servers of zone9", err, ocp.CodeNotFound)
	_, err = ex.RestartServer(ctx(t), cluster, 999, backend.RestartOptions{})
	notFound("restart server 999", err, ocp.CodeNotFound)
	_, err = ex.RestartZone(ctx(t), cluster, "zone9", backend.RestartOptions{})
	notFound("restart zone9", err, ocp.CodeNotFound)
	task := restart(t, env, server, false)
	_, err = ex.SubtaskLog(ctx(t), task.ID, 1)
	notFound("log of subtask 1", err, ocp.CodeTaskNotExists)
	notFound("skip subtask 1", ex.SkipSubtask(ctx(t), task.ID, 1), ocp.CodeTaskNotExists)
	_, err = ex.RetryTask(ctx(t), 4242)
	notFound("retry task 4242", err, ocp.CodeTaskNotExists)
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

func testRetryTask(t *testing.T, env Env) {
	task := restart(t, env, server, false)
	failed := runToEnd(t, env, task.ID)
	if failed.Status != ocp.TaskFailed {
		t.Fatalf("with fail-once the task ended %s, want FAILED", failed.Status)
	}
	step := failedStep(t, failed)
	if step.Name != "Start server" || step.RunTime != 1 {
		t.Errorf("failed step %q runTime %d, want Start server, 1", step.Name, step.RunTime)
	}
	retried, err := env.Executor.RetryTask(ctx(t), task.ID)
	if err != nil {
		t.Fatal(err)
	}
	if retried.Status != ocp.TaskRunning || retried.Operation != ocp.OpRetry {
		t.Errorf("task after retry is %s/%s, want RUNNING/RETRY", retried.Status, retried.Operation)
	}
	if s := retried.Subtask(step.ID); state(s) != "READY/RETRY" || s.RunTime != 2 {
		t.Errorf("retried step: %s runTime %d, want READY/RETRY and 2", state(s), s.RunTime)
	}
	done := runToEnd(t, env, task.ID)
	if done.Status != ocp.TaskSuccessful || done.Operation != ocp.OpRetry {
		t.Fatalf("after retry the task ended %s/%s", done.Status, done.Operation)
	}
	if s := done.Subtask(step.ID); s.RunTime != 2 || s.Operation != ocp.OpRetry {
		t.Errorf("retried step: runTime %d operation %s, want 2 RETRY", s.RunTime, s.Operation)
	}
	_, err = env.Executor.RetryTask(ctx(t), task.ID)
	wantKind(t, "retry a successful task", err, backend.Conflict)
}

// testRetrySubtask: retrying one step leaves its runTime and the task's
// operation as they were (OCP's SubtaskInstanceManagerImpl.retrySubtask).
func testRetrySubtask(t *testing.T, env Env) {
	task := restart(t, env, server, false)
	step := failedStep(t, runToEnd(t, env, task.ID))
	sub, err := env.Executor.RetrySubtask(ctx(t), task.ID, step.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sub.ID != step.ID || sub.RunTime != 1 || state(sub) != "READY/RETRY" {
		t.Errorf("retried subtask: id %d runTime %d %s, want runTime 1 READY/RETRY", sub.ID, sub.RunTime, state(sub))
	}
	if now, err := env.Executor.GetTask(ctx(t), task.ID); err != nil || now.Status != ocp.TaskRunning || now.Operation != ocp.OpExecute {
		t.Errorf("task after a subtask retry: %v %s/%s, want RUNNING/EXECUTE", err, now.Status, now.Operation)
	}
	done := runToEnd(t, env, task.ID)
	if done.Status != ocp.TaskSuccessful || done.Operation != ocp.OpExecute {
		t.Errorf("after a subtask retry the task ended %s/%s", done.Status, done.Operation)
	}
	if s := done.Subtask(step.ID); s.RunTime != 1 || state(s) != "SUCCESSFUL/RETRY" {
		t.Errorf("retried step at the end: %s runTime %d", state(s), s.RunTime)
	}
}

// testSkip: a skip goes FAILED → READY (SKIP) → RUNNING → SUCCESSFUL
// through the scheduler, not at once.
func testSkip(t *testing.T, env Env) {
	task := restart(t, env, server, false)
	step := failedStep(t, runToEnd(t, env, task.ID))
	if err := env.Executor.SkipSubtask(ctx(t), task.ID, step.ID); err != nil {
		t.Fatal(err)
	}
	seen := watch(t, env, task.ID, step.ID, func(s *ocp.Subtask) bool { return s.Status.Ended() })
	if want := []string{"READY/SKIP", "RUNNING/SKIP", "SUCCESSFUL/SKIP"}; strings.Join(seen, " ") != strings.Join(want, " ") {
		t.Errorf("skipped step went %v, want %v", seen, want)
	}
	done := runToEnd(t, env, task.ID)
	if done.Status != ocp.TaskSuccessful || done.Operation != ocp.OpExecute {
		t.Fatalf("after skip the task ended %s/%s, want SUCCESSFUL/EXECUTE", done.Status, done.Operation)
	}
	wantKind(t, "skip a successful step", env.Executor.SkipSubtask(ctx(t), task.ID, step.ID), backend.Conflict)
}

// testCancel: only a RUNNING step; it passes through CANCELING and
// RUNNING with operation CANCEL, then FAILED, and the task fails.
func testCancel(t *testing.T, env Env) {
	task := restart(t, env, server, false)
	ready := advanceUntilStep(t, env, task.ID, ocp.SubtaskReady)
	wantKind(t, "cancel a READY step", env.Executor.CancelSubtask(ctx(t), task.ID, ready.ID), backend.Conflict)
	running := advanceUntilStep(t, env, task.ID, ocp.SubtaskRunning)
	if err := env.Executor.CancelSubtask(ctx(t), task.ID, running.ID); err != nil {
		t.Fatal(err)
	}
	seen := watch(t, env, task.ID, running.ID, func(s *ocp.Subtask) bool { return s.Status.Ended() })
	if want := []string{"CANCELING/EXECUTE", "RUNNING/CANCEL", "FAILED/CANCEL"}; strings.Join(seen, " ") != strings.Join(want, " ") {
		t.Errorf("cancelled step went %v, want %v", seen, want)
	}
	done := runToEnd(t, env, task.ID)
	if done.Status != ocp.TaskFailed {
		t.Fatalf("after cancel the task ended %s, want FAILED", done.Status)
	}
	wantKind(t, "cancel a failed step", env.Executor.CancelSubtask(ctx(t), task.ID, running.ID), backend.Conflict)
}

// testRollback: every step that ran is rolled back to PENDING with
// operation ROLLBACK, and the task ends SUCCESSFUL with operation ROLLBACK.
func testRollback(t *testing.T, env Env) {
	task := restart(t, env, server, false)
	failed := runToEnd(t, env, task.ID)
	if failed.Status != ocp.TaskFailed {
		t.Fatalf("task ended %s, want FAILED", failed.Status)
	}
	ran := map[int64]bool{}
	for _, s := range failed.Subtasks {
		ran[s.ID] = s.Status != ocp.SubtaskPending
	}
	rb, err := env.Executor.RollbackTask(ctx(t), task.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rb.Status != ocp.TaskRunning || rb.Operation != ocp.OpRollback {
		t.Errorf("rollback answered %s/%s, want RUNNING/ROLLBACK", rb.Status, rb.Operation)
	}
	for _, s := range rb.Subtasks {
		// Each step keeps its state until the rollback reaches it.
		if ran[s.ID] != (s.Operation == ocp.OpRollback) || s.Status == ocp.SubtaskPending && ran[s.ID] {
			t.Errorf("right after rollback %q is %s", s.Name, state(&s))
		}
	}
	done := runToEnd(t, env, task.ID)
	if done.Status != ocp.TaskSuccessful || done.Operation != ocp.OpRollback {
		t.Errorf("rolled back task: %s %s, want SUCCESSFUL ROLLBACK", done.Status, done.Operation)
	}
	for _, s := range done.Subtasks {
		want := "PENDING/EXECUTE"
		if ran[s.ID] {
			want = "PENDING/ROLLBACK"
		}
		if state(&s) != want {
			t.Errorf("after the rollback %q is %s, want %s", s.Name, state(&s), want)
		}
	}
	servers, _ := env.Executor.ListServers(ctx(t), cluster, "zone1")
	for _, s := range servers {
		if s.ID == server && s.Status != ocp.ServerRunning {
			t.Errorf("server after rollback is %s, want RUNNING", s.Status)
		}
	}
	_, err = env.Executor.RetryTask(ctx(t), task.ID)
	wantKind(t, "retry a rolled-back task", err, backend.Conflict)
}

// testFailedRollback: a rollback step that fails leaves it and the task
// FAILED with operation ROLLBACK; retries are refused, a skip goes
// through ROLLBACK_SKIP to PENDING and the rollback goes on.
func testFailedRollback(t *testing.T, env Env) {
	task := restart(t, env, server, false)
	runToEnd(t, env, task.ID)
	if _, err := env.Executor.RollbackTask(ctx(t), task.ID); err != nil {
		t.Fatal(err)
	}
	failed := runToEnd(t, env, task.ID)
	step := failedStep(t, failed)
	if failed.Status != ocp.TaskFailed || failed.Operation != ocp.OpRollback || step.Name != "Stop server" || step.Operation != ocp.OpRollback {
		t.Fatalf("failed rollback: task %s/%s, step %q %s", failed.Status, failed.Operation, step.Name, state(&step))
	}
	_, err := env.Executor.RetryTask(ctx(t), task.ID)
	wantKind(t, "retry a task whose rollback failed", err, backend.Conflict)
	_, err = env.Executor.RetrySubtask(ctx(t), task.ID, step.ID)
	wantKind(t, "retry a step whose rollback failed", err, backend.Conflict)
	if err := env.Executor.SkipSubtask(ctx(t), task.ID, step.ID); err != nil {
		t.Fatal(err)
	}
	seen := watch(t, env, task.ID, step.ID, func(s *ocp.Subtask) bool { return s.Status == ocp.SubtaskPending })
	if want := []string{"READY/ROLLBACK_SKIP", "RUNNING/ROLLBACK_SKIP", "PENDING/ROLLBACK_SKIP"}; strings.Join(seen, " ") != strings.Join(want, " ") {
		t.Errorf("rollback-skipped step went %v, want %v", seen, want)
	}
	done := runToEnd(t, env, task.ID)
	if done.Status != ocp.TaskSuccessful || done.Operation != ocp.OpRollback {
		t.Errorf("after the rollback skip: %s/%s, want SUCCESSFUL/ROLLBACK", done.Status, done.Operation)
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

func testListTasks(t *testing.T, env Env) {
	a := restart(t, env, server, false)
	b := restart(t, env, server2, false)
	runToEnd(t, env, a.ID)
	runToEnd(t, env, b.ID)
	c := restart(t, env, server, false)
	all, err := env.Executor.ListTasks(ctx(t), backend.TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].ID != c.ID || all[2].ID != a.ID {
		t.Fatalf("ListTasks: %d tasks, want 3 newest first", len(all))
	}
	want, _ := env.Reference.ListTasks(ctx(t), backend.TaskFilter{})
	sameJSON(t, "task list", all, want)
	running, err := env.Executor.ListTasks(ctx(t), backend.TaskFilter{Status: []ocp.TaskStatus{ocp.TaskRunning}})
	if err != nil {
		t.Fatal(err)
	}
	if len(running) != 1 || running[0].ID != c.ID {
		t.Errorf("RUNNING tasks: %d, want only %d", len(running), c.ID)
	}
	limited, err := env.Executor.ListTasks(ctx(t), backend.TaskFilter{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(limited) != 2 || limited[0].ID != c.ID {
		t.Errorf("limit 2: %d tasks", len(limited))
	}
	other, err := env.Executor.ListTasks(ctx(t), backend.TaskFilter{ClusterID: embedded.DemoStandbyClusterID})
	if err != nil {
		t.Fatal(err)
	}
	if len(other) != 0 {
		t.Errorf("tasks of the standby cluster: %d, want 0", len(other))
	}
}

func testCanceledContext(t *testing.T, env Env) {
	c, cancel := context.WithCancel(ctx(t))
	cancel()
	_, err := env.Executor.ListClusters(c)
	wantKind(t, "list clusters with a cancelled context", err, backend.Canceled)
	_, err = env.Executor.RestartServer(c, cluster, server, backend.RestartOptions{})
	wantKind(t, "restart with a cancelled context", err, backend.Canceled)
	if tasks, _ := env.Reference.ListTasks(ctx(t), backend.TaskFilter{}); len(tasks) != 0 {
		t.Errorf("a cancelled restart left %d tasks", len(tasks))
	}
}
