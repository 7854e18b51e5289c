package embedded

import (
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// The operations on a task and its steps, as OCP's task and subtask
// managers allow them.

func conflict(op, format string, args ...any) error {
	return backend.Errorf(backend.Conflict, op, format, args...)
}

// taskState names a task's state for a refusal: its status, and its
// operation when that says more ("SUCCESSFUL (rolled back)").
func taskState(t *task) string {
	st := string(t.w.Status)
	switch {
	case t.w.Operation != ocp.OpRollback:
	case t.w.Status == ocp.TaskSuccessful:
		st += " (rolled back)"
	default:
		st += " with operation ROLLBACK"
	}
	return st
}

// retryTask is OCP's: only a FAILED task whose operation is not ROLLBACK;
// it runs again with operation RETRY, each FAILED step READY with
// operation RETRY and runTime + 1.
func (e *Executor) retryTask(op string, t *task, at time.Time) error {
	switch {
	case t.w.Status != ocp.TaskFailed:
		return conflict(op, "task %d is %s; only a FAILED task can be retried", t.w.ID, taskState(t))
	case t.w.Operation == ocp.OpRollback:
		return conflict(op, "task %d is %s: its rollback failed and cannot be retried; roll it back again, or skip the step that failed", t.w.ID, taskState(t))
	}
	if err := e.rerun(op, t, ocp.OpRetry); err != nil {
		return err
	}
	for i := range t.w.Subtasks {
		w := &t.w.Subtasks[i]
		if w.Status == ocp.SubtaskFailed {
			w.RunTime++
			w.Operation = ocp.OpRetry
			e.makeReady(t, i, at)
		}
	}
	e.schedule(t, at)
	return nil
}

// rerun holds a FAILED task's servers again and sets it RUNNING with the
// operation given (RETRY, ROLLBACK).
func (e *Executor) rerun(op string, t *task, operation ocp.Operation) error {
	if err := e.acquire(op, t); err != nil {
		return err
	}
	t.w.Status, t.w.Operation, t.w.FinishTime = ocp.TaskRunning, operation, ocp.Time{}
	return nil
}

// reopen puts a FAILED task back to RUNNING for a subtask operation; its
// operation stays what it was, as in OCP.
func (e *Executor) reopen(op string, t *task) error {
	if t.w.Status == ocp.TaskRunning {
		return nil
	}
	if err := e.acquire(op, t); err != nil {
		return err
	}
	t.w.Status, t.w.FinishTime = ocp.TaskRunning, ocp.Time{}
	return nil
}

func (e *Executor) onlyFailed(op string, t *task, i int, verb string) error {
	if w := &t.w.Subtasks[i]; w.Status != ocp.SubtaskFailed {
		return conflict(op, "subtask %d (%s) is %s; only a FAILED subtask can be %s", w.ID, w.Name, w.Status, verb)
	}
	return nil
}

// retrySubtask is OCP's: only a FAILED step whose operation is not
// ROLLBACK; it is READY again with operation RETRY, its runTime unchanged,
// and the task RUNNING with its operation unchanged. The simulator also
// refuses it while the task's operation is ROLLBACK (a cancelled rollback
// step): OCP would accept it and then run the step forward in the middle
// of a rollback, over and over.
func (e *Executor) retrySubtask(op string, t *task, i int, at time.Time) error {
	if err := e.onlyFailed(op, t, i, "retried"); err != nil {
		return err
	}
	w := &t.w.Subtasks[i]
	switch {
	case w.Operation == ocp.OpRollback:
		return conflict(op, "subtask %d (%s) is FAILED with operation ROLLBACK: its rollback failed; roll the task back again, or skip the step", w.ID, w.Name)
	case t.w.Operation == ocp.OpRollback:
		return conflict(op, "subtask %d (%s) cannot be retried: task %d is %s; roll it back again, or skip the step", w.ID, w.Name, t.w.ID, taskState(t))
	}
	if err := e.reopen(op, t); err != nil {
		return err
	}
	w.Operation = ocp.OpRetry
	e.makeReady(t, i, at)
	return nil
}

// skipSubtask is OCP's: only a FAILED step; it is READY again with
// operation SKIP, or ROLLBACK_SKIP during a rollback, and the scheduler
// then runs it: SKIP ends SUCCESSFUL (the task goes on as if it had
// succeeded), ROLLBACK_SKIP ends PENDING (the rollback goes on without
// undoing it).
func (e *Executor) skipSubtask(op string, t *task, i int, at time.Time) error {
	if err := e.onlyFailed(op, t, i, "skipped"); err != nil {
		return err
	}
	w := &t.w.Subtasks[i]
	if w.ProhibitSkip {
		return conflict(op, "subtask %d (%s) may not be skipped", w.ID, w.Name)
	}
	if err := e.reopen(op, t); err != nil {
		return err
	}
	w.Operation = ocp.OpSkip
	if t.w.Operation == ocp.OpRollback {
		w.Operation = ocp.OpRollbackSkip
	}
	e.makeReady(t, i, at)
	return nil
}

// cancelSubtask is OCP's: only a RUNNING step. It is CANCELING until the
// canceling worker interrupts it, RUNNING with operation CANCEL until the
// running worker sees that, then FAILED; the task then fails as usual.
func (e *Executor) cancelSubtask(op string, t *task, i int, at time.Time) error {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	if w.Status != ocp.SubtaskRunning {
		return conflict(op, "subtask %d (%s) is %s; only a RUNNING subtask can be cancelled", w.ID, w.Name, w.Status)
	}
	s.stopTimer()
	s.truncateAfter(at)
	w.Status = ocp.SubtaskCanceling
	e.after(t, i, at.Add(e.cancelDelay(t, i, 1)), e.cancelRun)
	return nil
}

// rollbackTask is OCP's: only a FAILED task that does not prohibit it. The
// task runs again with operation ROLLBACK; every step that ran gets
// operation ROLLBACK and keeps its state until the scheduler reaches it,
// backwards; those with nothing after them to undo are READY at once.
func (e *Executor) rollbackTask(op string, t *task, at time.Time) error {
	switch {
	case t.w.Status == ocp.TaskRunning:
		return conflict(op, "task %d is RUNNING; only a FAILED task can be rolled back (cancel its running step first)", t.w.ID)
	case t.w.Status != ocp.TaskFailed:
		return conflict(op, "task %d is %s; only a FAILED task can be rolled back", t.w.ID, taskState(t))
	case t.w.ProhibitRollback:
		// OCP's own code for this refusal (400/20004), so serve answers it as OCP does.
		err := backend.Errorf(backend.Conflict, op, "task %d prohibits rollback", t.w.ID)
		err.Code = string(ocp.CodeTaskProhibitRollback)
		return err
	}
	if err := e.rerun(op, t, ocp.OpRollback); err != nil {
		return err
	}
	for i := range t.w.Subtasks {
		w := &t.w.Subtasks[i]
		if w.Status == ocp.SubtaskPending {
			continue
		}
		w.Operation = ocp.OpRollback
		if t.allDowns(i, ocp.SubtaskPending) {
			e.makeReady(t, i, at)
		}
	}
	e.schedule(t, at)
	return nil
}
