package embedded

import (
	"strconv"
	"time"

	"github.com/obconsole/obconsole/backend/ocp"
)

// Scheduling: OCP's running-task worker and each run of a step, as the
// clock reaches it.

// schedule is OCP's running-task worker, run after every change instead of
// once a second: it makes steps READY and ends the task when nothing is
// left to run.
func (e *Executor) schedule(t *task, at time.Time) {
	if t.w.Status != ocp.TaskRunning {
		return
	}
	rollback := t.w.Operation == ocp.OpRollback
	active, failed := 0, false
	for i := range t.w.Subtasks {
		switch t.w.Subtasks[i].Status {
		case ocp.SubtaskReady, ocp.SubtaskRunning:
			active++
		case ocp.SubtaskFailed:
			failed = true
		}
	}
	if !failed {
		if rollback {
			// Backwards: a step that ran is rolled back once every step
			// after it has been (AbstractTaskWorker.doMarkRollbackSubtasks).
			for k := len(t.order) - 1; k >= 0 && active < maxActive; k-- {
				i := t.order[k]
				switch t.w.Subtasks[i].Status {
				case ocp.SubtaskPending, ocp.SubtaskReady, ocp.SubtaskRunning, ocp.SubtaskCanceling:
					continue
				}
				if t.allDowns(i, ocp.SubtaskPending) {
					e.makeReady(t, i, at)
					active++
				}
			}
		} else {
			for _, i := range t.order {
				if active >= maxActive {
					break
				}
				if t.w.Subtasks[i].Status == ocp.SubtaskPending && t.allUps(i, ocp.SubtaskSuccessful) {
					e.makeReady(t, i, at)
					active++
				}
			}
		}
	}

	done := true
	for i := range t.w.Subtasks {
		switch st := t.w.Subtasks[i].Status; {
		case st == ocp.SubtaskReady, st == ocp.SubtaskRunning, st == ocp.SubtaskCanceling:
			return // something still runs
		case rollback && st != ocp.SubtaskPending, !rollback && st != ocp.SubtaskSuccessful:
			done = false
		}
	}
	switch {
	case failed:
		e.endTask(t, ocp.TaskFailed, at)
	case done && rollback:
		e.finishRollback(t, at)
	case done:
		e.endTask(t, ocp.TaskSuccessful, at)
	}
}

func (t *task) allUps(i int, st ocp.SubtaskStatus) bool {
	for _, u := range t.steps[i].ups {
		if t.w.Subtasks[u].Status != st {
			return false
		}
	}
	return true
}

func (t *task) allDowns(i int, st ocp.SubtaskStatus) bool {
	for _, d := range t.steps[i].downs {
		if t.w.Subtasks[d].Status != st {
			return false
		}
	}
	return true
}

// makeReady queues a step; OCP's scheduler picks it up a moment later
// (its ready-subtask worker polls every second).
func (e *Executor) makeReady(t *task, i int, at time.Time) {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	w.Status = ocp.SubtaskReady
	var n uint64
	switch w.Operation {
	case ocp.OpRollback:
		n = uint64(s.rollbacks+1)<<1 | 1
	case ocp.OpSkip, ocp.OpRollbackSkip:
		n = uint64(s.skips+1)<<32 | 1
	default:
		n = uint64(s.execs+1) << 1
	}
	delay := 200*time.Millisecond + time.Duration(e.rand(e.idKey(w.ID), n, saltDispatch)*float64(800*time.Millisecond))
	e.after(t, i, at.Add(delay), e.startStep)
}

// startStep runs a READY step according to its operation.
func (e *Executor) startStep(t *task, i int, at time.Time) {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	w.Status = ocp.SubtaskRunning
	w.StartTime = ocp.NewTime(at)
	w.FinishTime = ocp.Time{}
	w.Executor = executorAddress
	s.separator(at, w.Operation)
	switch w.Operation {
	case ocp.OpRollback:
		s.rollbacks++
		first := s.rollbacks == 1
		d := time.Second + time.Duration(e.rand(e.idKey(w.ID), uint64(98+s.rollbacks), saltDuration)*float64(2*time.Second))
		ok := !(first && e.scenarioFor(t, i).rollbackFail.has(s.def.kind))
		e.writeRollback(t, i, at, d, ok)
		if ok {
			e.after(t, i, at.Add(d), e.rolledBack)
		} else {
			e.after(t, i, at.Add(d), e.fail)
		}
	case ocp.OpSkip, ocp.OpRollbackSkip:
		s.skips++
		d := 100*time.Millisecond + time.Duration(e.rand(e.idKey(w.ID), uint64(s.skips)<<32, saltDuration)*float64(300*time.Millisecond))
		e.writeSkip(t, i, at)
		e.after(t, i, at.Add(d), e.skipped)
	default: // EXECUTE, RETRY
		s.execs++
		a := e.plan(t, i)
		e.writeAttempt(t, i, at, a)
		timeout := time.Duration(w.Timeout) * time.Second
		switch {
		case a.hang || a.d >= timeout:
			e.after(t, i, at.Add(timeout), e.timeOut)
		case a.ok:
			e.after(t, i, at.Add(a.d), e.succeed)
		default:
			e.after(t, i, at.Add(a.d), e.fail)
		}
	}
}

// setState records a step's new state; terminal states and a rolled-back
// step's PENDING are logged as OCP logs them (SubtaskAccessor.setState).
func (e *Executor) setState(t *task, i int, st ocp.SubtaskStatus, at time.Time) {
	w := &t.w.Subtasks[i]
	w.Status = st
	w.FinishTime = ocp.NewTime(at)
	if st.Ended() || (st == ocp.SubtaskPending && w.Operation == ocp.OpRollback) {
		t.steps[i].add(at, "", "Set state for subtask: "+strconv.FormatInt(w.ID, 10)+", operation:"+string(w.Operation)+", state: "+string(st))
	}
}

func (e *Executor) succeed(t *task, i int, at time.Time) {
	e.setState(t, i, ocp.SubtaskSuccessful, at)
	e.apply(t, i, at)
	e.schedule(t, at)
}

func (e *Executor) fail(t *task, i int, at time.Time) {
	e.setState(t, i, ocp.SubtaskFailed, at)
	e.schedule(t, at)
}

func (e *Executor) timeOut(t *task, i int, at time.Time) {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	s.truncateAfter(at)
	s.logf(at, "ERROR", "subtask %s timed out: still running after %ds, its timeout; marked FAILED (retry it, or skip it once the server is checked by hand)",
		w.Name, w.Timeout)
	e.setState(t, i, ocp.SubtaskFailed, at)
	s.logf(at, "WARN ", "Receive timeout callback, id=%d, name=%s, elapsed=%d, timeout=%d", w.ID, w.Name, w.Timeout, w.Timeout)
	e.schedule(t, at)
}

func (e *Executor) rolledBack(t *task, i int, at time.Time) {
	e.undo(t, i, at)
	e.setState(t, i, ocp.SubtaskPending, at)
	e.schedule(t, at)
}

func (e *Executor) skipped(t *task, i int, at time.Time) {
	if t.w.Subtasks[i].Operation == ocp.OpRollbackSkip {
		e.setState(t, i, ocp.SubtaskPending, at)
	} else {
		e.setState(t, i, ocp.SubtaskSuccessful, at)
		e.apply(t, i, at)
	}
	e.schedule(t, at)
}

// cancelDelay is how long a step stays CANCELING, and then RUNNING with
// operation CANCEL: OCP's canceling and running subtask workers each poll
// once a second.
func (e *Executor) cancelDelay(t *task, i int, n uint64) time.Duration {
	return 300*time.Millisecond + time.Duration(e.rand(e.idKey(t.w.Subtasks[i].ID), n, saltDispatch)*float64(700*time.Millisecond))
}

// cancelRun is the canceling worker: the step's thread is interrupted and
// it runs again with operation CANCEL.
func (e *Executor) cancelRun(t *task, i int, at time.Time) {
	w := &t.w.Subtasks[i]
	w.Status = ocp.SubtaskRunning
	w.Operation = ocp.OpCancel
	e.after(t, i, at.Add(e.cancelDelay(t, i, 2)), e.cancelled)
}

// cancelled is the running worker finding operation CANCEL: the step is
// FAILED.
func (e *Executor) cancelled(t *task, i int, at time.Time) {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	s.separator(at, ocp.OpCancel)
	s.logf(at, "WARN ", "Cancel subtask, id=%d, name=%s, executor=%s", w.ID, w.Name, executorAddress)
	s.logf(at, "WARN ", "cancelled by admin: %s interrupted; marked FAILED", w.Name)
	e.setState(t, i, ocp.SubtaskFailed, at)
	e.schedule(t, at)
}
