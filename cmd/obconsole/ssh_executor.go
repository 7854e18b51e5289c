package main

import (
	"cmp"
	"context"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/presence"
	"github.com/obconsole/obconsole/ui/store"
)

// sessionExecutor is what one obconsole ssh session acts through: the
// server's one executor with the session's rules on top.
//   - A read-only key is refused every mutating call (Forbidden), whatever
//     a screen or command asks: the console's and commands' own read-only
//     checks come first, this is the floor.
//   - A mutating call outlives the session that sent it: a dropped
//     connection cancels the session's reads, never a request on its way,
//     so the journal gets the real outcome (an intent without one, "outcome
//     unknown", is left only when the server itself dies first). Nothing a
//     session does on its way out cancels a task.
//   - The other sessions hear of every mutating call, before and after
//     (presence), once the journal has its intent; by the time they hear
//     it was answered, the shared read layer has forgotten what it
//     changed, so what they read next shows it.
//
// Its reads pass through; its mutations are spelled out, as
// audit.Executor's are, so that a method added to backend.Executor must be
// classified here: a read in reads, or a mutation below.
type sessionExecutor struct {
	reads
	exec     backend.Executor
	readOnly bool
	member   *presence.Member // nil: nobody to tell
	// shared is the server's read layer: a mutation forgets what it
	// changed there before the others are told (nil: none).
	shared *store.Shared
}

// reads are backend.Executor's reads. A session's are made in its
// context, so they end with it.
type reads interface {
	Describe() backend.Target
	Now() time.Time
	ListClusters(ctx context.Context) ([]ocp.Cluster, error)
	ListZones(ctx context.Context, clusterID int64) ([]ocp.Zone, error)
	ListServers(ctx context.Context, clusterID int64, zoneName string) ([]ocp.Server, error)
	ListTasks(ctx context.Context, filter backend.TaskFilter) ([]ocp.Task, error)
	GetTask(ctx context.Context, taskID int64) (*ocp.Task, error)
	SubtaskLog(ctx context.Context, taskID, subtaskID int64) (string, error)
}

var _ backend.Executor = (*sessionExecutor)(nil)

func newSessionExecutor(exec backend.Executor, readOnly bool, member *presence.Member, shared *store.Shared) *sessionExecutor {
	return &sessionExecutor{reads: exec, exec: exec, readOnly: readOnly, member: member, shared: shared}
}

// mutate runs one mutating call: refused for a read-only key, detached from
// the session's cancellation, announced to the others. call returns the
// id of the task it acted on.
func (s *sessionExecutor) mutate(ctx context.Context, op string, a presence.Action, call func(context.Context) (int64, error)) error {
	if s.readOnly {
		return backend.Errorf(backend.Forbidden, op, "this SSH key is read-only (obconsole-readonly in the server's authorized keys); nothing was sent")
	}
	subj := audit.SubjectFrom(ctx)
	a.Op = op
	a.Cluster, a.Server, a.Zone, a.Step = subj.Cluster, subj.Server, cmp.Or(a.Zone, subj.Zone), subj.Step
	var finish func(int64, error)
	if s.member != nil {
		finish = s.member.Start(a)
	}
	taskID, err := call(context.WithoutCancel(ctx))
	if s.shared != nil {
		// Whatever came back (an error may hide a change): the task acted
		// on, or the cluster restarted.
		cluster := a.ClusterID
		if a.TaskID != 0 {
			cluster = 0
		}
		s.shared.Changed(cluster, a.TaskID)
	}
	if finish != nil {
		finish(taskID, err)
	}
	return err
}

// mutation is mutate of a call with a result; taskID is the task the call
// acted on, from its result or not.
func mutation[T any](ctx context.Context, s *sessionExecutor, op string, a presence.Action,
	call func(context.Context) (T, error), taskID func(T) int64) (T, error) {
	var result T
	err := s.mutate(ctx, op, a, func(ctx context.Context) (int64, error) {
		var err error
		result, err = call(ctx)
		return taskID(result), err
	})
	return result, err
}

// startedTask is the id of the task a restart started; 0 without one.
func startedTask(t *ocp.Task) int64 {
	if t == nil {
		return 0
	}
	return t.ID
}

// onTask is a call's task when the caller names it.
func onTask[T any](taskID int64) func(T) int64 { return func(T) int64 { return taskID } }

func (s *sessionExecutor) RestartServer(ctx context.Context, clusterID, serverID int64, opts backend.RestartOptions) (*ocp.Task, error) {
	return mutation(ctx, s, audit.OpRestartServer, presence.Action{ClusterID: clusterID, ServerID: serverID, Force: opts.Force},
		func(ctx context.Context) (*ocp.Task, error) {
			return s.exec.RestartServer(ctx, clusterID, serverID, opts)
		}, startedTask)
}

func (s *sessionExecutor) RestartZone(ctx context.Context, clusterID int64, zoneName string, opts backend.RestartOptions) (*ocp.Task, error) {
	return mutation(ctx, s, audit.OpRestartZone, presence.Action{ClusterID: clusterID, Zone: zoneName, Force: opts.Force},
		func(ctx context.Context) (*ocp.Task, error) {
			return s.exec.RestartZone(ctx, clusterID, zoneName, opts)
		}, startedTask)
}

func (s *sessionExecutor) RetryTask(ctx context.Context, taskID int64) (*ocp.Task, error) {
	return mutation(ctx, s, audit.OpRetryTask, presence.Action{TaskID: taskID},
		func(ctx context.Context) (*ocp.Task, error) { return s.exec.RetryTask(ctx, taskID) }, onTask[*ocp.Task](taskID))
}

func (s *sessionExecutor) RollbackTask(ctx context.Context, taskID int64) (*ocp.Task, error) {
	return mutation(ctx, s, audit.OpRollbackTask, presence.Action{TaskID: taskID},
		func(ctx context.Context) (*ocp.Task, error) { return s.exec.RollbackTask(ctx, taskID) }, onTask[*ocp.Task](taskID))
}

func (s *sessionExecutor) RetrySubtask(ctx context.Context, taskID, subtaskID int64) (*ocp.Subtask, error) {
	return mutation(ctx, s, audit.OpRetrySubtask, presence.Action{TaskID: taskID, SubtaskID: subtaskID},
		func(ctx context.Context) (*ocp.Subtask, error) { return s.exec.RetrySubtask(ctx, taskID, subtaskID) }, onTask[*ocp.Subtask](taskID))
}

func (s *sessionExecutor) SkipSubtask(ctx context.Context, taskID, subtaskID int64) error {
	return s.mutate(ctx, audit.OpSkipSubtask, presence.Action{TaskID: taskID, SubtaskID: subtaskID}, func(ctx context.Context) (int64, error) {
		return taskID, s.exec.SkipSubtask(ctx, taskID, subtaskID)
	})
}

func (s *sessionExecutor) CancelSubtask(ctx context.Context, taskID, subtaskID int64) error {
	return s.mutate(ctx, audit.OpCancelSubtask, presence.Action{TaskID: taskID, SubtaskID: subtaskID}, func(ctx context.Context) (int64, error) {
		return taskID, s.exec.CancelSubtask(ctx, taskID, subtaskID)
	})
}
