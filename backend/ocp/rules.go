package ocp

import "time"

// The rules of OCP's task engine that every view of a task needs: what a
// step or a task ended as, whether a clock is ticking, how long something
// took. The console and the commands read them here, so they agree.
//
// How OCP's engine moves (OCP Express's task engine, which OCP shares):
//   - a step that runs goes PENDING → READY → RUNNING → SUCCESSFUL or
//     FAILED; cancelling passes through CANCELING, then FAILED;
//   - skipping a FAILED step sets its operation to SKIP and it ends
//     SUCCESSFUL;
//   - rolling back a task sets every step that is not PENDING to operation
//     ROLLBACK; each one rolled back returns to PENDING, keeping operation
//     ROLLBACK (ROLLBACK_SKIP when its failed rollback was skipped); steps
//     that never ran keep EXECUTE and stay PENDING;
//   - a rolled-back task ends SUCCESSFUL with operation ROLLBACK; a
//     rollback that fails leaves the task FAILED with operation ROLLBACK.

// Active reports whether the step's clock is ticking: RUNNING or
// CANCELING.
func (s *Subtask) Active() bool {
	return s.Status == SubtaskRunning || s.Status == SubtaskCanceling
}

// Skipped reports whether the step was skipped: operation SKIP, and
// SUCCESSFUL.
func (s *Subtask) Skipped() bool { return s.Operation == OpSkip && s.Status == SubtaskSuccessful }

// RolledBack reports whether the step's work has been undone: back to
// PENDING with operation ROLLBACK, or ROLLBACK_SKIP (its failed rollback
// skipped). Only a step that had run gets either operation.
func (s *Subtask) RolledBack() bool {
	return s.Status == SubtaskPending && (s.Operation == OpRollback || s.Operation == OpRollbackSkip)
}

// RollbackSkipped reports whether the step's failed rollback was skipped:
// it counts as rolled back, but its work may not have been undone.
func (s *Subtask) RollbackSkipped() bool {
	return s.Status == SubtaskPending && s.Operation == OpRollbackSkip
}

// StepOutcome is what a step shows as: its status, or SKIPPED, ROLLED BACK
// or ROLLBACK SKIPPED when the operation changes what the status means.
type StepOutcome string

const (
	StepSkipped         StepOutcome = "SKIPPED"
	StepRolledBack      StepOutcome = "ROLLED BACK"
	StepRollbackSkipped StepOutcome = "ROLLBACK SKIPPED"
)

// Outcome is what the step shows as.
func (s *Subtask) Outcome() StepOutcome {
	switch {
	case s.Skipped():
		return StepSkipped
	case s.RollbackSkipped():
		return StepRollbackSkipped
	case s.RolledBack():
		return StepRolledBack
	}
	return StepOutcome(s.Status)
}

// Class says what the step's outcome means: a skipped or rolled-back step
// is done (ok), whatever its status says.
func (o StepOutcome) Class() StatusClass {
	switch o {
	case StepSkipped, StepRolledBack:
		return ClassOK
	case StepRollbackSkipped:
		return ClassAttention
	}
	return SubtaskStatus(o).Class()
}

// Elapsed is how long the step has run at now: now − start while it is
// Active, finish − start once it finished; ok is false when that is not
// known (never started, a start or finish that did not parse, or not
// active and no finish, as a step waiting again after a retry). A finish
// before the start reads 0.
func (s *Subtask) Elapsed(now time.Time) (time.Duration, bool) {
	if s.StartTime.IsZero() || !s.StartTime.Valid() {
		return 0, false
	}
	var end time.Time
	switch {
	case s.Active():
		end = now
	case s.Status == SubtaskReady:
		// Queued to run again (retry, skip, rollback): the times on it are
		// an earlier run's, not this one's.
		return 0, false
	case !s.FinishTime.IsZero() && s.FinishTime.Valid():
		end = s.FinishTime.Time
	default:
		return 0, false
	}
	return max(end.Sub(s.StartTime.Time), 0), true
}

// rollingBack reports whether the task is in, or came out of, a rollback:
// its operation says so, or (task lists send no operation) a step does.
func (t *Task) rollingBack() bool {
	if t.Operation != "" {
		return t.Operation == OpRollback
	}
	for i := range t.Subtasks {
		if op := t.Subtasks[i].Operation; op == OpRollback || op == OpRollbackSkip {
			return true
		}
	}
	return false
}

// RolledBack reports whether the task was rolled back: it ended SUCCESSFUL
// undoing what it had done.
func (t *Task) RolledBack() bool { return t.Status == TaskSuccessful && t.rollingBack() }

// Succeeded reports whether the task did what it was asked: SUCCESSFUL and
// not rolled back.
func (t *Task) Succeeded() bool { return t.Status == TaskSuccessful && !t.rollingBack() }

// TaskOutcome is what a task shows as: its status, or ROLLING BACK, ROLLED
// BACK or ROLLBACK FAILED when it is, or was, rolling back.
type TaskOutcome string

const (
	OutcomeRunning        TaskOutcome = "RUNNING"
	OutcomeRollingBack    TaskOutcome = "ROLLING BACK"
	OutcomeSuccessful     TaskOutcome = "SUCCESSFUL"
	OutcomeRolledBack     TaskOutcome = "ROLLED BACK"
	OutcomeFailed         TaskOutcome = "FAILED"
	OutcomeRollbackFailed TaskOutcome = "ROLLBACK FAILED"
)

// Outcome is what the task shows as; a status this client does not know is
// shown as it came.
func (t *Task) Outcome() TaskOutcome {
	rb := t.rollingBack()
	switch t.Status {
	case TaskRunning:
		if rb {
			return OutcomeRollingBack
		}
		return OutcomeRunning
	case TaskSuccessful:
		if rb {
			return OutcomeRolledBack
		}
		return OutcomeSuccessful
	case TaskFailed:
		if rb {
			return OutcomeRollbackFailed
		}
		return OutcomeFailed
	}
	return TaskOutcome(t.Status)
}

// Ended reports whether a task with this outcome will change no more on its
// own.
func (o TaskOutcome) Ended() bool {
	switch o {
	case OutcomeSuccessful, OutcomeRolledBack, OutcomeFailed, OutcomeRollbackFailed:
		return true
	}
	return TaskStatus(o).Ended()
}

// Class says what the outcome means: a rolled-back task needs a look (what
// was asked was not done), a failed rollback is an error.
func (o TaskOutcome) Class() StatusClass {
	switch o {
	case OutcomeRollingBack:
		return ClassInProgress
	case OutcomeRolledBack:
		return ClassAttention
	case OutcomeRollbackFailed:
		return ClassError
	}
	return TaskStatus(o).Class()
}

// Progress counts the steps done and the steps to do. Executing, every
// step is to do and the SUCCESSFUL ones (skipped included) are done.
// Rolling back, the steps to undo are those that had run (operation
// ROLLBACK or ROLLBACK_SKIP) and the rolled-back ones are done; a
// rolled-back task reads n of n, not 0 of 11.
func (t *Task) Progress() (done, total int) {
	if t.rollingBack() {
		for i := range t.Subtasks {
			s := &t.Subtasks[i]
			if s.Operation == OpRollback || s.Operation == OpRollbackSkip {
				total++
				if s.RolledBack() {
					done++
				}
			}
		}
		return done, total
	}
	for i := range t.Subtasks {
		if t.Subtasks[i].Status == SubtaskSuccessful {
			done++
		}
	}
	return done, len(t.Subtasks)
}

// Elapsed is how long the task has run at now: now − start while it is
// RUNNING; finish − start once it has a finish; for a task that ended with
// no finish time, the latest step finish − start; now − start for a status
// this client does not know. ok is false without a valid start (the
// creation time is not a start) or with nothing to end it at.
func (t *Task) Elapsed(now time.Time) (time.Duration, bool) {
	if t.StartTime.IsZero() || !t.StartTime.Valid() {
		return 0, false
	}
	end := now
	switch {
	case t.Status == TaskRunning:
	case !t.FinishTime.IsZero() && t.FinishTime.Valid():
		end = t.FinishTime.Time
	case t.Status.Ended():
		end = time.Time{}
		for i := range t.Subtasks {
			if f := t.Subtasks[i].FinishTime; !f.IsZero() && f.Valid() && f.After(end) {
				end = f.Time
			}
		}
		if end.IsZero() {
			return 0, false
		}
	}
	return max(end.Sub(t.StartTime.Time), 0), true
}
