package embedded

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// failedAt runs a restart with fail-once at step and returns the FAILED task.
func failedAt(t *testing.T, step string) (*Executor, *FakeClock, *ocp.Task) {
	t.Helper()
	e, clk := newTestExecutor(t, Options{Scenario: "fail-once:" + step})
	task := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)
	got := runToEnd(t, e, clk, task.ID)
	if got.Status != ocp.TaskFailed {
		t.Fatalf("task %s, want FAILED", got.Status)
	}
	return e, clk, got
}

// stateOf is a step's status and operation, as the trace below records it.
func stateOf(s *ocp.Subtask) string { return string(s.Status) + "/" + string(s.Operation) }

// trace fires timers one by one until the task ends (or nothing is left)
// and returns every distinct state the step went through, starting with
// the one it is in now.
func trace(t *testing.T, e *Executor, clk *FakeClock, taskID, subID int64) []string {
	t.Helper()
	var out []string
	for {
		got := getTask(t, e, taskID)
		if st := stateOf(got.Subtask(subID)); len(out) == 0 || out[len(out)-1] != st {
			out = append(out, st)
		}
		if got.Status != ocp.TaskRunning || !clk.Step() {
			return out
		}
	}
}

func TestSkipGoesThroughTheScheduler(t *testing.T) {
	e, clk, task := failedAt(t, "Start ocp agent service")
	agent := mustStep(t, task, "Start ocp agent service")
	if err := e.SkipSubtask(ctx, task.ID, agent.ID); err != nil {
		t.Fatal(err)
	}
	// Skip is accepted at once; the step is READY with operation SKIP and
	// the task RUNNING again with its operation unchanged.
	now := getTask(t, e, task.ID)
	if s := mustStep(t, now, agent.Name); s.Status != ocp.SubtaskReady || s.Operation != ocp.OpSkip || s.RunTime != 1 {
		t.Errorf("skipped step: %s runTime %d", stateOf(s), s.RunTime)
	}
	if now.Status != ocp.TaskRunning || now.Operation != ocp.OpExecute || mustStep(t, now, "Start server").Status != ocp.SubtaskPending {
		t.Errorf("after skip: task %s/%s, next step %s; want RUNNING/EXECUTE and PENDING", now.Status, now.Operation, mustStep(t, now, "Start server").Status)
	}
	states := trace(t, e, clk, task.ID, agent.ID)
	if want := []string{"READY/SKIP", "RUNNING/SKIP", "SUCCESSFUL/SKIP"}; !slices.Equal(states, want) {
		t.Errorf("skipped step went %v, want %v", states, want)
	}
	got := runToEnd(t, e, clk, task.ID)
	if got.Status != ocp.TaskSuccessful || got.Operation != ocp.OpExecute {
		t.Errorf("task after skip: %s/%s", got.Status, got.Operation)
	}
	log := logOf(t, e, got.ID, agent.ID)
	if !strings.Contains(log, "############{SKIP}{") || !strings.Contains(log, "Operation is SKIP, do nothing") ||
		!strings.Contains(log, "skipped by admin") || !strings.HasSuffix(log, fmt.Sprintf("Set state for subtask: %d, operation:SKIP, state: SUCCESSFUL", agent.ID)) {
		t.Errorf("skip not logged:\n%s", log)
	}
	if s := serverStatus(t, e, DemoPrimaryClusterID, DemoSampleServerID); s.Status != ocp.ServerRunning {
		t.Errorf("server %s", s.Status)
	}
}

func TestCancelPassesThroughCanceling(t *testing.T) {
	e, clk := newTestExecutor(t, Options{Scenario: "hang:start-process"})
	task := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)
	start := mustStep(t, task, "Start observer process")
	clk.AdvanceUntil(func() bool { return mustStep(t, getTask(t, e, task.ID), start.Name).Status == ocp.SubtaskRunning }, time.Hour)
	clk.Advance(time.Minute)

	// Only a RUNNING step can be cancelled: not a PENDING one, not a READY one.
	pending := mustStep(t, task, "Wait observer active")
	wantKind(t, e.CancelSubtask(ctx, task.ID, pending.ID), backend.Conflict, "is PENDING; only a RUNNING subtask can be cancelled")

	if err := e.CancelSubtask(ctx, task.ID, start.ID); err != nil {
		t.Fatal(err)
	}
	canceledAt := clk.Now()
	got := getTask(t, e, task.ID)
	if s := mustStep(t, got, start.Name); s.Status != ocp.SubtaskCanceling || got.Status != ocp.TaskRunning {
		t.Fatalf("right after cancel: step %s, task %s; want CANCELING, RUNNING", stateOf(s), got.Status)
	}
	wantKind(t, e.CancelSubtask(ctx, task.ID, start.ID), backend.Conflict, "is CANCELING")
	states := trace(t, e, clk, task.ID, start.ID)
	if want := []string{"CANCELING/EXECUTE", "RUNNING/CANCEL", "FAILED/CANCEL"}; !slices.Equal(states, want) {
		t.Errorf("cancelled step went %v, want %v", states, want)
	}
	got = getTask(t, e, task.ID)
	s := mustStep(t, got, start.Name)
	if took := s.FinishTime.Sub(canceledAt); took <= 0 || took > 2*time.Second {
		t.Errorf("cancel took %v of simulated time, want a moment", took)
	}
	if got.Status != ocp.TaskFailed {
		t.Errorf("task %s after its only running step was cancelled, want FAILED", got.Status)
	}
	log := logOf(t, e, task.ID, start.ID)
	if !strings.Contains(log, "############{CANCEL}{") || !strings.Contains(log, "cancelled by admin") ||
		!strings.HasSuffix(log, fmt.Sprintf("Set state for subtask: %d, operation:CANCEL, state: FAILED", start.ID)) {
		t.Errorf("cancel not logged:\n%s", log)
	}
	// Lines the hang had planned for later never show up.
	clk.Advance(time.Hour)
	if after := logOf(t, e, task.ID, start.ID); after != log {
		t.Errorf("log changed after the cancel:\n%s", after)
	}
	if s := serverStatus(t, e, DemoPrimaryClusterID, DemoSampleServerID); s.Status != ocp.ServerStopped {
		t.Errorf("server %s after cancelling its start, want STOPPED", s.Status)
	}
	// The cancelled step can be retried alone: READY with operation RETRY,
	// runTime unchanged (a subtask retry does not count in OCP), the
	// task's operation unchanged.
	sub, err := e.RetrySubtask(ctx, task.ID, start.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sub.Status != ocp.SubtaskReady || sub.RunTime != 1 || sub.Operation != ocp.OpRetry {
		t.Errorf("retried subtask: %s runTime %d", stateOf(sub), sub.RunTime)
	}
	if got := getTask(t, e, task.ID); got.Status != ocp.TaskRunning || got.Operation != ocp.OpExecute {
		t.Errorf("task after a subtask retry: %s/%s, want RUNNING/EXECUTE", got.Status, got.Operation)
	}
	if got = runToEnd(t, e, clk, task.ID); got.Status != ocp.TaskSuccessful || got.Operation != ocp.OpExecute {
		t.Errorf("after retrying the cancelled step: %s/%s", got.Status, got.Operation)
	}
	if s := mustStep(t, got, start.Name); s.RunTime != 1 || s.Operation != ocp.OpRetry {
		t.Errorf("retried step at the end: %s runTime %d", stateOf(s), s.RunTime)
	}
}

func TestCancelARollbackStep(t *testing.T) {
	e, clk, task := failedAt(t, "Start observer process")
	if _, err := e.RollbackTask(ctx, task.ID); err != nil {
		t.Fatal(err)
	}
	running := func() *ocp.Subtask {
		for _, s := range getTask(t, e, task.ID).Subtasks {
			if s.Status == ocp.SubtaskRunning {
				return &s
			}
		}
		return nil
	}
	clk.AdvanceUntil(func() bool { return running() != nil }, time.Hour)
	s := running()
	if err := e.CancelSubtask(ctx, task.ID, s.ID); err != nil {
		t.Fatal(err)
	}
	got := runToEnd(t, e, clk, task.ID)
	if got.Status != ocp.TaskFailed || got.Operation != ocp.OpRollback || stateOf(got.Subtask(s.ID)) != "FAILED/CANCEL" {
		t.Fatalf("after cancelling rollback step %s: task %s/%s, step %s", s.Name, got.Status, got.Operation, stateOf(got.Subtask(s.ID)))
	}
	// Retrying it would run it forward in the middle of a rollback.
	_, err := e.RetrySubtask(ctx, task.ID, s.ID)
	wantKind(t, err, backend.Conflict, "FAILED with operation ROLLBACK")
	if _, err := e.RollbackTask(ctx, task.ID); err != nil {
		t.Fatal(err)
	}
	if got = runToEnd(t, e, clk, task.ID); got.Status != ocp.TaskSuccessful || got.Operation != ocp.OpRollback {
		t.Errorf("rolled back again: %s/%s", got.Status, got.Operation)
	}
}

func TestRollbackLeavesEveryStepPending(t *testing.T) {
	e, clk, task := failedAt(t, "Start observer process")
	before := serverStatus(t, e, DemoPrimaryClusterID, DemoSampleServerID)
	if before.Status != ocp.ServerStopped {
		t.Fatalf("server %s before rollback, want STOPPED", before.Status)
	}
	rb, err := e.RollbackTask(ctx, task.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Every step that ran is marked ROLLBACK and keeps its state; only
	// the failed step, the last to run, is READY at once.
	ran := documentedOrder[:4] // up to the failed Start observer process
	if rb.Status != ocp.TaskRunning || rb.Operation != ocp.OpRollback {
		t.Errorf("rollback returned %s/%s", rb.Status, rb.Operation)
	}
	for _, s := range rb.Subtasks {
		want := "PENDING/EXECUTE"
		switch {
		case s.Name == "Start observer process":
			want = "READY/ROLLBACK"
		case slices.Contains(ran, s.Name):
			want = "SUCCESSFUL/ROLLBACK"
		}
		if stateOf(&s) != want {
			t.Errorf("right after rollback %s is %s, want %s", s.Name, stateOf(&s), want)
		}
	}
	stop := mustStep(t, rb, "Stop server")
	if states := trace(t, e, clk, task.ID, stop.ID); !slices.Equal(states, []string{"SUCCESSFUL/ROLLBACK", "READY/ROLLBACK", "RUNNING/ROLLBACK", "PENDING/ROLLBACK"}) {
		t.Errorf("Stop server went %v while rolled back", states)
	}
	got := runToEnd(t, e, clk, task.ID)
	if got.Status != ocp.TaskSuccessful || got.Operation != ocp.OpRollback {
		t.Fatalf("after rollback: %s/%s, want SUCCESSFUL/ROLLBACK", got.Status, got.Operation)
	}
	var rolled []ocp.Subtask
	for _, s := range got.Subtasks {
		if slices.Contains(ran, s.Name) {
			if stateOf(&s) != "PENDING/ROLLBACK" {
				t.Errorf("%s: %s, want PENDING/ROLLBACK", s.Name, stateOf(&s))
			}
			rolled = append(rolled, s)
		} else if stateOf(&s) != "PENDING/EXECUTE" {
			t.Errorf("%s never ran but is %s", s.Name, stateOf(&s))
		}
	}
	slices.SortFunc(rolled, func(a, b ocp.Subtask) int { return a.StartTime.Compare(b.StartTime.Time) })
	if want := []string{"Start observer process", "Stop observer process", "Stop server", "Prepare restart observer"}; !slices.Equal(names(rolled), want) {
		t.Errorf("rolled back in order %v, want %v", names(rolled), want)
	}
	for i := 1; i < len(rolled); i++ {
		if rolled[i].StartTime.Before(rolled[i-1].FinishTime.Time) {
			t.Errorf("%s rolled back before %s finished", rolled[i].Name, rolled[i-1].Name)
		}
	}
	log := logOf(t, e, got.ID, stop.ID)
	if !strings.Contains(log, "############{ROLLBACK}{") || !strings.Contains(log, "rollback: ALTER SYSTEM START SERVER") ||
		!strings.HasSuffix(log, fmt.Sprintf("Set state for subtask: %d, operation:ROLLBACK, state: PENDING", stop.ID)) {
		t.Errorf("rollback not logged:\n%s", log)
	}
	after := serverStatus(t, e, DemoPrimaryClusterID, DemoSampleServerID)
	if after.Status != ocp.ServerRunning || !after.StartTime.After(before.StartTime.Time) {
		t.Errorf("server after rollback: %s started %v; want RUNNING, process started again", after.Status, after.StartTime)
	}
	// Done is done: a SUCCESSFUL task takes no retry or rollback, and no
	// step is FAILED any more.
	_, err = e.RetryTask(ctx, task.ID)
	wantKind(t, err, backend.Conflict, "is SUCCESSFUL (rolled back)")
	_, err = e.RollbackTask(ctx, task.ID)
	wantKind(t, err, backend.Conflict, "is SUCCESSFUL (rolled back)")
	wantKind(t, e.SkipSubtask(ctx, task.ID, stop.ID), backend.Conflict, "is PENDING")
}

func TestAFailedRollback(t *testing.T) {
	e, clk := newTestExecutor(t, Options{Scenario: "fail-once:start-process,rollback-fail:stop-server"})
	task := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)
	if got := runToEnd(t, e, clk, task.ID); got.Status != ocp.TaskFailed {
		t.Fatalf("task %s", got.Status)
	}
	if _, err := e.RollbackTask(ctx, task.ID); err != nil {
		t.Fatal(err)
	}
	got := runToEnd(t, e, clk, task.ID)
	stop, pre := mustStep(t, got, "Stop server"), mustStep(t, got, "Prepare restart observer")
	if got.Status != ocp.TaskFailed || got.Operation != ocp.OpRollback || stateOf(stop) != "FAILED/ROLLBACK" || stateOf(pre) != "SUCCESSFUL/ROLLBACK" {
		t.Fatalf("failed rollback: task %s/%s, Stop server %s, pre-check %s", got.Status, got.Operation, stateOf(stop), stateOf(pre))
	}
	if log := logOf(t, e, got.ID, stop.ID); !strings.HasSuffix(log, fmt.Sprintf("Set state for subtask: %d, operation:ROLLBACK, state: FAILED", stop.ID)) {
		t.Errorf("failed rollback log:\n%s", log)
	}
	// Out of service but up again: the failed undo of Stop server left it so.
	if s := serverStatus(t, e, DemoPrimaryClusterID, DemoSampleServerID); s.Status != ocp.ServerUnavailable {
		t.Errorf("server %s after a failed rollback, want UNAVAILABLE", s.Status)
	}
	// Only a rollback or a skip applies now.
	_, err := e.RetryTask(ctx, task.ID)
	wantKind(t, err, backend.Conflict, "is FAILED with operation ROLLBACK")
	_, err = e.RetrySubtask(ctx, task.ID, stop.ID)
	wantKind(t, err, backend.Conflict, "FAILED with operation ROLLBACK")
	if err := e.SkipSubtask(ctx, task.ID, stop.ID); err != nil {
		t.Fatal(err)
	}
	if states := trace(t, e, clk, task.ID, stop.ID); !slices.Equal(states, []string{"READY/ROLLBACK_SKIP", "RUNNING/ROLLBACK_SKIP", "PENDING/ROLLBACK_SKIP"}) {
		t.Errorf("rollback-skipped step went %v", states)
	}
	got = runToEnd(t, e, clk, task.ID)
	if got.Status != ocp.TaskSuccessful || got.Operation != ocp.OpRollback || stateOf(got.Subtask(pre.ID)) != "PENDING/ROLLBACK" {
		t.Errorf("after skipping the failed rollback step: task %s/%s, pre-check %s", got.Status, got.Operation, stateOf(got.Subtask(pre.ID)))
	}
	if log := logOf(t, e, got.ID, stop.ID); !strings.Contains(log, "Operation is ROLLBACK_SKIP, do nothing") {
		t.Errorf("rollback skip not logged:\n%s", log)
	}
}

func TestRollbackAgainAfterAFailedRollback(t *testing.T) {
	e, clk := newTestExecutor(t, Options{Scenario: "fail-once:start-process,rollback-fail:stop-process"})
	task := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)
	runToEnd(t, e, clk, task.ID)
	if _, err := e.RollbackTask(ctx, task.ID); err != nil {
		t.Fatal(err)
	}
	if got := runToEnd(t, e, clk, task.ID); got.Status != ocp.TaskFailed || got.Operation != ocp.OpRollback {
		t.Fatalf("first rollback: %s/%s", got.Status, got.Operation)
	}
	if _, err := e.RollbackTask(ctx, task.ID); err != nil {
		t.Fatal(err)
	}
	got := runToEnd(t, e, clk, task.ID)
	if got.Status != ocp.TaskSuccessful || got.Operation != ocp.OpRollback {
		t.Fatalf("second rollback: %s/%s", got.Status, got.Operation)
	}
	for _, s := range got.Subtasks {
		if s.Status != ocp.SubtaskPending {
			t.Errorf("%s: %s", s.Name, stateOf(&s))
		}
	}
	if s := serverStatus(t, e, DemoPrimaryClusterID, DemoSampleServerID); s.Status != ocp.ServerRunning {
		t.Errorf("server %s after the rollback", s.Status)
	}
}

func TestRetryTaskCountsAttempts(t *testing.T) {
	e, clk, task := failedAt(t, "Start server")
	failed := mustStep(t, task, "Start server")
	retried, err := e.RetryTask(ctx, task.ID)
	if err != nil {
		t.Fatal(err)
	}
	if s := mustStep(t, retried, failed.Name); retried.Status != ocp.TaskRunning || retried.Operation != ocp.OpRetry || stateOf(s) != "READY/RETRY" || s.RunTime != 2 {
		t.Errorf("retry: task %s/%s, step %s runTime %d", retried.Status, retried.Operation, stateOf(s), s.RunTime)
	}
	got := runToEnd(t, e, clk, task.ID)
	if got.Status != ocp.TaskSuccessful || got.Operation != ocp.OpRetry {
		t.Errorf("after retry: %s/%s", got.Status, got.Operation)
	}
	if log := logOf(t, e, got.ID, failed.ID); !strings.Contains(log, "############{RETRY}{") || !strings.Contains(log, "Retry subtask, id=") {
		t.Errorf("retry not logged:\n%s", log)
	}
}

func TestOperationsThatDoNotApplyAreConflicts(t *testing.T) {
	e, clk := newTestExecutor(t, Options{})
	task := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)
	pre := mustStep(t, task, "Prepare restart observer")
	if pre.Status != ocp.SubtaskReady {
		t.Fatalf("first step %s, want READY", pre.Status)
	}
	wantKind(t, e.CancelSubtask(ctx, task.ID, pre.ID), backend.Conflict, "is READY; only a RUNNING subtask can be cancelled")
	clk.AdvanceUntil(func() bool { return mustStep(t, getTask(t, e, task.ID), pre.Name).Status == ocp.SubtaskRunning }, time.Hour)

	_, err := e.RetryTask(ctx, task.ID)
	wantKind(t, err, backend.Conflict, "is RUNNING; only a FAILED task can be retried")
	_, err = e.RollbackTask(ctx, task.ID)
	wantKind(t, err, backend.Conflict, "is RUNNING; only a FAILED task can be rolled back")
	wantKind(t, e.SkipSubtask(ctx, task.ID, pre.ID), backend.Conflict, "is RUNNING; only a FAILED subtask can be skipped")
	_, err = e.RetrySubtask(ctx, task.ID, pre.ID)
	wantKind(t, err, backend.Conflict, "is RUNNING; only a FAILED subtask can be retried")

	got := runToEnd(t, e, clk, task.ID)
	_, err = e.RetryTask(ctx, got.ID)
	wantKind(t, err, backend.Conflict, "is SUCCESSFUL; only a FAILED task")
	_, err = e.RollbackTask(ctx, got.ID)
	wantKind(t, err, backend.Conflict, "is SUCCESSFUL; only a FAILED task")
	wantKind(t, e.CancelSubtask(ctx, got.ID, pre.ID), backend.Conflict, "is SUCCESSFUL")
	wantKind(t, e.SkipSubtask(ctx, got.ID, pre.ID), backend.Conflict, "is SUCCESSFUL")
}

func TestRetryRefusedWhenAnotherTaskTookTheServer(t *testing.T) {
	e, clk, failed := failedAt(t, "Prepare restart observer")
	other := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, true)
	_, err := e.RetryTask(ctx, failed.ID)
	wantKind(t, err, backend.Conflict, fmt.Sprint(other.ID))
	_, err = e.RollbackTask(ctx, failed.ID)
	wantKind(t, err, backend.Conflict, fmt.Sprint(other.ID))
	runToEnd(t, e, clk, other.ID)
	if _, err := e.RetryTask(ctx, failed.ID); err != nil {
		t.Errorf("retry once the server is free: %v", err)
	}
}

func TestForceVariant(t *testing.T) {
	e, clk := newTestExecutor(t, Options{})
	task := restart(t, e, DemoDegradedClusterID, DemoUnavailableServerID, true)
	if !task.Force() || task.Context.Get("server_id") != fmt.Sprint(DemoUnavailableServerID) {
		t.Errorf("force task context %v", task.Context.StringMap)
	}
	want := slices.DeleteFunc(slices.Clone(documentedOrder), func(s string) bool { return s == "Stop server" })
	got := runToEnd(t, e, clk, task.ID)
	if order := names(executionOrder(t, got)); !slices.Equal(order, want) {
		t.Errorf("force order %v\nwant %v", order, want)
	}
	if got.Status != ocp.TaskSuccessful {
		t.Fatalf("force restart of the UNAVAILABLE server: %s", got.Status)
	}
	checkTimes(t, got)
	if log := logOf(t, e, got.ID, mustStep(t, got, "Prepare restart observer").ID); !strings.Contains(log, "WARN  force restart: going on despite: server 203.0.113.32:2882 is UNAVAILABLE") {
		t.Errorf("force pre-check log:\n%s", log)
	}
	if log := logOf(t, e, got.ID, mustStep(t, got, "Stop observer process").ID); !strings.Contains(log, "SIGKILL") {
		t.Errorf("force stop does not kill:\n%s", log)
	}
	if s := serverStatus(t, e, DemoDegradedClusterID, DemoUnavailableServerID); s.Status != ocp.ServerRunning {
		t.Errorf("server %s after force restart, want RUNNING", s.Status)
	}
	// With all of terran running again, a normal restart of zone1 passes.
	normal := restart(t, e, DemoDegradedClusterID, 13000010, false)
	if got := runToEnd(t, e, clk, normal.ID); got.Status != ocp.TaskSuccessful {
		t.Errorf("normal restart once the cluster is healthy: %s", got.Status)
	}
}

func TestPrecheckRefusesToRiskTheMajority(t *testing.T) {
	e, clk := newTestExecutor(t, Options{})
	// terran zone2 has an UNAVAILABLE server: restarting zone1 or zone3
	// would leave one zone of three.
	task := restart(t, e, DemoDegradedClusterID, 13000010, false) // zone1
	got := runToEnd(t, e, clk, task.ID)
	pre := mustStep(t, got, "Prepare restart observer")
	if got.Status != ocp.TaskFailed || pre.Status != ocp.SubtaskFailed {
		t.Fatalf("task %s pre-check %s, want FAILED", got.Status, pre.Status)
	}
	want := "zone zone2 has 203.0.113.32:2882 UNAVAILABLE; restarting a server of zone1 too would leave 1 of 3 zones serving, below the majority of 2"
	if log := logOf(t, e, got.ID, pre.ID); !strings.Contains(log, want) {
		t.Errorf("pre-check log:\n%s\nwant it to say %q", log, want)
	}
	// A RUNNING server in the degraded zone itself risks nothing more.
	same := restart(t, e, DemoDegradedClusterID, 13000014, false) // zone2
	if got := runToEnd(t, e, clk, same.ID); got.Status != ocp.TaskSuccessful {
		t.Errorf("restart inside the degraded zone: %s", got.Status)
	}
	// Force overrides.
	forced := restart(t, e, DemoDegradedClusterID, 13000010, true)
	if got := runToEnd(t, e, clk, forced.ID); got.Status != ocp.TaskSuccessful {
		t.Errorf("force restart across the majority: %s", got.Status)
	}
}

func TestListTasksNewestFirstAndFiltered(t *testing.T) {
	e, clk := newTestExecutor(t, Options{})
	a := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)
	clk.Advance(time.Second)
	b := restart(t, e, DemoDegradedClusterID, DemoUnavailableServerID, false) // fails its pre-check
	clk.Advance(time.Second)
	c := restart(t, e, DemoStandbyClusterID, 13000008, false)
	runToEnd(t, e, clk, b.ID)

	ids := func(f backend.TaskFilter) []int64 {
		tasks, err := e.ListTasks(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		out := []int64{}
		for _, t := range tasks {
			out = append(out, t.ID)
		}
		return out
	}
	checks := []struct {
		f    backend.TaskFilter
		want []int64
	}{
		{backend.TaskFilter{}, []int64{c.ID, b.ID, a.ID}},
		{backend.TaskFilter{ClusterID: DemoPrimaryClusterID}, []int64{a.ID}},
		{backend.TaskFilter{Status: []ocp.TaskStatus{ocp.TaskFailed}}, []int64{b.ID}},
		{backend.TaskFilter{Status: []ocp.TaskStatus{ocp.TaskRunning, ocp.TaskFailed}}, []int64{c.ID, b.ID, a.ID}},
		{backend.TaskFilter{ClusterID: DemoStandbyClusterID, Status: []ocp.TaskStatus{ocp.TaskFailed}}, []int64{}},
		{backend.TaskFilter{Name: "restart ob"}, []int64{c.ID, b.ID, a.ID}},
		{backend.TaskFilter{Name: "zone"}, []int64{}},
		{backend.TaskFilter{Limit: 2}, []int64{c.ID, b.ID}},
	}
	for _, ch := range checks {
		if got := ids(ch.f); !slices.Equal(got, ch.want) {
			t.Errorf("%+v: %v, want %v", ch.f, got, ch.want)
		}
	}
}

func TestReturnedObjectsAreCopies(t *testing.T) {
	e, _ := newTestExecutor(t, Options{})
	task := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)
	task.Subtasks[0].Upstreams = append(task.Subtasks[0].Upstreams, 1)
	task.Subtasks[1].Downstreams[0] = 2
	task.Subtasks[2].Name = "mutated"
	task.Context.StringMap["cluster_name"] = "mutated"
	task.Context.ListMap["server_ids"][0] = "mutated"

	tasks, _ := e.ListTasks(ctx, backend.TaskFilter{})
	tasks[0].Subtasks[3].Status = "mutated"
	sub, _ := e.RetrySubtask(ctx, task.ID, task.Subtasks[0].ID) // a Conflict; nothing to mutate
	if sub != nil {
		t.Fatal("retry of a pending step returned a subtask")
	}
	clusters, _ := e.ListClusters(ctx)
	clusters[0].Zones[0].RootServer.Address = "mutated"
	clusters[0].RootServers[0].Address = "mutated"
	zones, _ := e.ListZones(ctx, DemoPrimaryClusterID)
	zones[0].Servers[0].IP = "mutated"
	servers, _ := e.ListServers(ctx, DemoPrimaryClusterID, "")
	servers[0].IP = "mutated"

	again := getTask(t, e, task.ID)
	if len(again.Subtasks[0].Upstreams) != 1 || again.Subtasks[1].Downstreams[0] == 2 || again.Subtasks[2].Name == "mutated" ||
		again.Subtasks[3].Status == "mutated" || again.Context.Get("cluster_name") != "protoss" || again.Context.ListMap["server_ids"][0] != "13000002" {
		t.Errorf("a caller's change reached the engine: %+v", again)
	}
	clusters, _ = e.ListClusters(ctx)
	zones, _ = e.ListZones(ctx, DemoPrimaryClusterID)
	servers, _ = e.ListServers(ctx, DemoPrimaryClusterID, "")
	if clusters[0].Zones[0].RootServer.Address == "mutated" || clusters[0].RootServers[0].Address == "mutated" ||
		zones[0].Servers[0].IP == "mutated" || servers[0].IP == "mutated" {
		t.Error("a caller's change reached the fleet")
	}
}

func TestCanceledContextAndClosedExecutor(t *testing.T) {
	e, clk := newTestExecutor(t, Options{})
	task := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)
	cctx, cancel := contextWithCancel()
	cancel()
	if _, err := e.ListClusters(cctx); backend.KindOf(err) != backend.Canceled {
		t.Errorf("list with a cancelled context: %v", err)
	}
	if _, err := e.RestartServer(cctx, DemoPrimaryClusterID, 13000001, backend.RestartOptions{}); backend.KindOf(err) != backend.Canceled {
		t.Errorf("restart with a cancelled context: %v", err)
	}

	e.Close()
	if clk.Pending() != 0 {
		t.Errorf("%d timers left after Close", clk.Pending())
	}
	_, err := e.RestartServer(ctx, DemoPrimaryClusterID, 13000001, backend.RestartOptions{})
	wantKind(t, err, backend.Unavailable, "closed")
	if got := getTask(t, e, task.ID); got.Status != ocp.TaskRunning {
		t.Errorf("reads after Close: task %s", got.Status)
	}
}

func TestDescribeAndNow(t *testing.T) {
	e, clk := newTestExecutor(t, Options{})
	if d := e.Describe(); d.Kind != "embedded" || d.String() != "embedded demo fleet" || d.URL != "" {
		t.Errorf("describe %+v", d)
	}
	clk.Advance(90 * time.Second)
	if !e.Now().Equal(testStart.Add(90*time.Second)) || e.Clock() != clk {
		t.Errorf("Now %v", e.Now())
	}
	drill, _ := newTestExecutor(t, Options{Scenario: "hang:wait-active"})
	if d := drill.Describe().String(); d != "embedded demo fleet (scenario hang:wait-active)" {
		t.Errorf("drill describes itself as %q", d)
	}
}

// A task that prohibits rollback is refused with OCP's own code (20004), so
// serve answers it as OCP does (HTTP 400, code 20004), not as a wrong state.
func TestProhibitedRollbackCarriesOCPsCode(t *testing.T) {
	e, _, task := failedAt(t, "Start observer process")
	e.mu.Lock()
	for _, tk := range e.tasks {
		if tk.w.ID == task.ID {
			tk.w.ProhibitRollback = true
		}
	}
	e.mu.Unlock()
	_, err := e.RollbackTask(ctx, task.ID)
	var be *backend.Error
	if !errors.As(err, &be) || be.Kind != backend.Conflict || be.Code != string(ocp.CodeTaskProhibitRollback) {
		t.Fatalf("rollback of a task that prohibits it: %#v", err)
	}
}
