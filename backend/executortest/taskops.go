package executortest

import (
	"testing"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// Operations on a failed task and its steps: retry, skip, cancel, roll
// back.

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
	wantStates(t, env, task.ID, step.ID, func(s *ocp.Subtask) bool { return s.Status.Ended() }, "skipped step", "READY/SKIP", "RUNNING/SKIP", "SUCCESSFUL/SKIP")
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
	wantStates(t, env, task.ID, running.ID, func(s *ocp.Subtask) bool { return s.Status.Ended() }, "cancelled step", "CANCELING/EXECUTE", "RUNNING/CANCEL", "FAILED/CANCEL")
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
	wantStates(t, env, task.ID, step.ID, func(s *ocp.Subtask) bool { return s.Status == ocp.SubtaskPending }, "rollback-skipped step", "READY/ROLLBACK_SKIP", "RUNNING/ROLLBACK_SKIP", "PENDING/ROLLBACK_SKIP")
	done := runToEnd(t, env, task.ID)
	if done.Status != ocp.TaskSuccessful || done.Operation != ocp.OpRollback {
		t.Errorf("after the rollback skip: %s/%s, want SUCCESSFUL/ROLLBACK", done.Status, done.Operation)
	}
}
