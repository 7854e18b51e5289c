package ocp

import (
	"slices"
	"testing"
	"time"
)

func TestEnumClasses(t *testing.T) {
	cluster := map[ClusterStatus]StatusClass{
		ClusterRunning: ClassOK, ClusterUnavailable: ClassError, ClusterUpgrading: ClassInProgress,
		ClusterStartingInReadOnly: ClassInProgress, ClusterStopped: ClassStopped, ClusterDeleting: ClassAttention,
		ClusterFailover: ClassAttention, ClusterSwitchover: ClassInProgress, ClusterOperating: ClassInProgress,
		"HIBERNATING": ClassUnknown,
	}
	for s, want := range cluster {
		if s.Class() != want || s.Known() != (want != ClassUnknown) {
			t.Errorf("cluster %s: class %s known %v", s, s.Class(), s.Known())
		}
	}
	server := map[ServerStatus]StatusClass{
		ServerRunning: ClassOK, ServerServiceStopped: ClassStopped, ServerProcessStopped: ClassStopped,
		ServerServiceStopping: ClassInProgress, ServerProcessStopping: ClassInProgress, ServerStopped: ClassStopped,
		ServerUnavailable: ClassError, ServerDeleting: ClassAttention, ServerDeleted: ClassStopped, "X": ClassUnknown,
	}
	for s, want := range server {
		if s.Class() != want || s.Known() != (want != ClassUnknown) {
			t.Errorf("server %s: class %s known %v", s, s.Class(), s.Known())
		}
	}
	for _, z := range []ZoneStatus{ZoneRunning, ZoneServiceStopped, ZoneStopped, ZoneStopping, ZoneOperating, ZoneUnavailable} {
		if !ZoneStatusKnown(z) || z.Class() == ClassUnknown {
			t.Errorf("zone %s unknown", z)
		}
	}
	for _, notZone := range []ZoneStatus{ServerProcessStopped, ServerProcessStopping, ServerServiceStopping, "X"} {
		if ZoneStatusKnown(notZone) {
			t.Errorf("%s is not a zone status", notZone)
		}
	}
	inner := map[InnerStatus][2]StatusClass{
		InnerActive: {ClassOK, ClassOK}, InnerInactive: {ClassError, ClassStopped},
		InnerDeleting: {ClassAttention, ClassUnknown}, InnerTakeoverByRS: {ClassInProgress, ClassUnknown}, "x": {},
	}
	for s, want := range inner {
		if s.ServerClass() != want[0] || s.ZoneClass() != want[1] || s.Known() != (want[0] != ClassUnknown) {
			t.Errorf("inner %s: %s/%s", s, s.ServerClass(), s.ZoneClass())
		}
	}
	if !OpRollbackSkip.Known() || !TenantMySQL.Known() || TenantMode("DB2").Known() {
		t.Error("operation or tenant mode")
	}
	// PENDING is obdiag's, not OCP's: decoded and known, never a filter.
	if !TaskPending.Known() || slices.Contains(FilterableTaskStatuses(), TaskPending) ||
		!slices.Equal(FilterableTaskStatuses(), []TaskStatus{TaskRunning, TaskFailed, TaskSuccessful}) {
		t.Errorf("filterable task statuses = %v", FilterableTaskStatuses())
	}
	if SubtaskCanceling.Class() != ClassAttention || SubtaskReady.Class() != ClassWaiting || SubtaskStatus("x").Class() != ClassUnknown {
		t.Error("subtask classes")
	}
	if ClassInProgress.String() != "in progress" || StatusClass(99).String() != "unknown" {
		t.Error("class names")
	}
}

func TestStepRules(t *testing.T) {
	cases := []struct {
		st                                     SubtaskStatus
		op                                     Operation
		active, skipped, rolledBack, rbSkipped bool
		outcome                                StepOutcome
		class                                  StatusClass
	}{
		{SubtaskRunning, OpExecute, true, false, false, false, "RUNNING", ClassInProgress},
		{SubtaskCanceling, OpExecute, true, false, false, false, "CANCELING", ClassAttention},
		{SubtaskSuccessful, OpSkip, false, true, false, false, StepSkipped, ClassOK},
		{SubtaskReady, OpSkip, false, false, false, false, "READY", ClassWaiting},
		{SubtaskPending, OpRollback, false, false, true, false, StepRolledBack, ClassOK},
		{SubtaskPending, OpRollbackSkip, false, false, true, true, StepRollbackSkipped, ClassAttention},
		{SubtaskRunning, OpRollback, true, false, false, false, "RUNNING", ClassInProgress},
		{SubtaskFailed, OpRollback, false, false, false, false, "FAILED", ClassError},
		{SubtaskPending, OpExecute, false, false, false, false, "PENDING", ClassWaiting},
		{SubtaskSuccessful, OpRetry, false, false, false, false, "SUCCESSFUL", ClassOK},
	}
	for _, c := range cases {
		s := Subtask{Status: c.st, Operation: c.op}
		if s.Active() != c.active || s.Skipped() != c.skipped || s.RolledBack() != c.rolledBack ||
			s.RollbackSkipped() != c.rbSkipped || s.Outcome() != c.outcome || s.Outcome().Class() != c.class {
			t.Errorf("%s/%s: active %v skipped %v rolled back %v rb-skipped %v outcome %s %s", c.st, c.op,
				s.Active(), s.Skipped(), s.RolledBack(), s.RollbackSkipped(), s.Outcome(), s.Outcome().Class())
		}
	}
}

func TestTaskOutcomeAndProgress(t *testing.T) {
	step := func(st SubtaskStatus, op Operation) Subtask { return Subtask{Status: st, Operation: op} }
	cases := []struct {
		name        string
		task        Task
		outcome     TaskOutcome
		done, total int
	}{
		{"executing", Task{Status: TaskRunning, Operation: OpExecute, Subtasks: []Subtask{
			step(SubtaskSuccessful, OpExecute), step(SubtaskSuccessful, OpSkip), step(SubtaskRunning, OpExecute), step(SubtaskPending, OpExecute)}},
			OutcomeRunning, 2, 4},
		{"rolling back", Task{Status: TaskRunning, Operation: OpRollback, Subtasks: []Subtask{
			step(SubtaskPending, OpRollback), step(SubtaskRunning, OpRollback), step(SubtaskFailed, OpRollback), step(SubtaskPending, OpExecute)}},
			OutcomeRollingBack, 1, 3},
		{"rolled back", Task{Status: TaskSuccessful, Operation: OpRollback, Subtasks: []Subtask{
			step(SubtaskPending, OpRollback), step(SubtaskPending, OpRollbackSkip), step(SubtaskPending, OpRollback), step(SubtaskPending, OpExecute)}},
			OutcomeRolledBack, 3, 3},
		{"rollback failed", Task{Status: TaskFailed, Operation: OpRollback, Subtasks: []Subtask{
			step(SubtaskPending, OpRollback), step(SubtaskFailed, OpRollback)}},
			OutcomeRollbackFailed, 1, 2},
		{"failed", Task{Status: TaskFailed, Operation: OpRetry, Subtasks: []Subtask{
			step(SubtaskSuccessful, OpExecute), step(SubtaskFailed, OpRetry)}},
			OutcomeFailed, 1, 2},
		{"list item rolled back (no operation sent)", Task{Status: TaskSuccessful, Subtasks: []Subtask{
			step(SubtaskPending, OpExecute), step(SubtaskPending, OpRollback)}},
			OutcomeRolledBack, 1, 1},
		{"list item successful", Task{Status: TaskSuccessful, Subtasks: []Subtask{step(SubtaskSuccessful, OpExecute)}},
			OutcomeSuccessful, 1, 1},
		{"unknown status", Task{Status: "SUSPENDED"}, "SUSPENDED", 0, 0},
	}
	for _, c := range cases {
		if got := c.task.Outcome(); got != c.outcome {
			t.Errorf("%s: outcome %s, want %s", c.name, got, c.outcome)
		}
		if done, total := c.task.Progress(); done != c.done || total != c.total {
			t.Errorf("%s: progress %d/%d, want %d/%d", c.name, done, total, c.done, c.total)
		}
		rolledBack := c.outcome == OutcomeRolledBack
		if c.task.RolledBack() != rolledBack || c.task.Succeeded() != (c.outcome == OutcomeSuccessful) {
			t.Errorf("%s: rolled back %v succeeded %v", c.name, c.task.RolledBack(), c.task.Succeeded())
		}
	}
	classes := map[TaskOutcome]StatusClass{
		OutcomeRunning: ClassInProgress, OutcomeRollingBack: ClassInProgress, OutcomeSuccessful: ClassOK,
		OutcomeRolledBack: ClassAttention, OutcomeFailed: ClassError, OutcomeRollbackFailed: ClassError, "X": ClassUnknown,
	}
	for o, want := range classes {
		if o.Class() != want {
			t.Errorf("%s: class %s", o, o.Class())
		}
		ended := o != OutcomeRunning && o != OutcomeRollingBack && o != "X"
		if o.Ended() != ended {
			t.Errorf("%s: ended %v", o, o.Ended())
		}
	}
}

func TestElapsedRules(t *testing.T) {
	t0 := time.Date(2024, 4, 15, 9, 0, 0, 0, time.UTC)
	at := func(d time.Duration) Time { return Time{Time: t0.Add(d)} }
	now := t0.Add(10 * time.Minute)
	bad := Time{Raw: "yesterday"}
	steps := []struct {
		name string
		s    Subtask
		d    time.Duration
		ok   bool
	}{
		{"running ticks", Subtask{Status: SubtaskRunning, StartTime: at(time.Minute)}, 9 * time.Minute, true},
		{"canceling ticks", Subtask{Status: SubtaskCanceling, StartTime: at(time.Minute), FinishTime: at(2 * time.Minute)}, 9 * time.Minute, true},
		{"finished", Subtask{Status: SubtaskSuccessful, StartTime: at(time.Minute), FinishTime: at(3 * time.Minute)}, 2 * time.Minute, true},
		{"failed", Subtask{Status: SubtaskFailed, StartTime: at(time.Minute), FinishTime: at(4 * time.Minute)}, 3 * time.Minute, true},
		{"rolled back keeps its finish", Subtask{Status: SubtaskPending, Operation: OpRollback, StartTime: at(time.Minute), FinishTime: at(5 * time.Minute)}, 4 * time.Minute, true},
		{"ready again after a retry: not ticking", Subtask{Status: SubtaskReady, StartTime: at(time.Minute)}, 0, false},
		{"ready for its undo: the earlier run's times are not this run's", Subtask{Status: SubtaskReady, Operation: OpRollback, StartTime: at(time.Minute), FinishTime: at(2 * time.Minute)}, 0, false},
		{"ended without a finish", Subtask{Status: SubtaskFailed, StartTime: at(time.Minute)}, 0, false},
		{"never started", Subtask{Status: SubtaskPending}, 0, false},
		{"start unparsed", Subtask{Status: SubtaskRunning, StartTime: bad}, 0, false},
		{"finish unparsed", Subtask{Status: SubtaskSuccessful, StartTime: at(0), FinishTime: bad}, 0, false},
		{"finish before start", Subtask{Status: SubtaskSuccessful, StartTime: at(time.Minute), FinishTime: at(0)}, 0, true},
	}
	for _, c := range steps {
		if d, ok := c.s.Elapsed(now); d != c.d || ok != c.ok {
			t.Errorf("step %s: %v %v, want %v %v", c.name, d, ok, c.d, c.ok)
		}
	}
	finished := []Subtask{{FinishTime: at(2 * time.Minute)}, {FinishTime: at(7 * time.Minute)}, {FinishTime: bad}}
	tasks := []struct {
		name string
		t    Task
		d    time.Duration
		ok   bool
	}{
		{"running ticks", Task{Status: TaskRunning, StartTime: at(0)}, 10 * time.Minute, true},
		{"running ticks past a stale finish", Task{Status: TaskRunning, StartTime: at(0), FinishTime: at(time.Minute)}, 10 * time.Minute, true},
		{"ended", Task{Status: TaskSuccessful, StartTime: at(0), FinishTime: at(5 * time.Minute)}, 5 * time.Minute, true},
		{"ended without a finish: last step", Task{Status: TaskFailed, StartTime: at(0), Subtasks: finished}, 7 * time.Minute, true},
		{"ended with nothing to end at", Task{Status: TaskFailed, StartTime: at(0)}, 0, false},
		{"unknown status ticks", Task{Status: "SUSPENDED", StartTime: at(0)}, 10 * time.Minute, true},
		{"no start: creation is not a start", Task{Status: TaskRunning, CreateTime: at(0)}, 0, false},
		{"start unparsed", Task{Status: TaskRunning, StartTime: bad}, 0, false},
	}
	for _, c := range tasks {
		if d, ok := c.t.Elapsed(now); d != c.d || ok != c.ok {
			t.Errorf("task %s: %v %v, want %v %v", c.name, d, ok, c.d, c.ok)
		}
	}
}
