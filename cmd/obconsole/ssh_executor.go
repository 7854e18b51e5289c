package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/presence"
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
//     (presence), once the journal has its intent.
//
// Its methods are spelled out, as audit.Executor's are, so that a method
// added to backend.Executor must be classified here.
type sessionExecutor struct {
	exec     backend.Executor
	readOnly bool
	member   *presence.Member // nil: nobody to tell
	journal  *audit.Journal   // the server's; nil when the server is --readonly
	actor    audit.Actor      // the server's user and host, the session's SSH identity
}

var _ backend.Executor = (*sessionExecutor)(nil)

// audited is the session's executor journaled as actor via the named
// console or command; an outcome line that cannot be written is said on
// stderr (nil: not said here, the caller hooks OnOutcomeError).
func (s *sessionExecutor) audited(via string, stderr io.Writer) *audit.Executor {
	a := s.actor
	a.Via = via
	w := audit.Wrap(s, s.journal, a)
	if stderr != nil {
		w.OnOutcomeError(func(err error) {
			fmt.Fprintln(stderr, "obconsole: warning: the audit journal is missing an outcome:", err)
		})
	}
	return w
}

// mutate runs one mutating call: refused for a read-only key, detached from
// the session's cancellation, announced to the others.
func (s *sessionExecutor) mutate(ctx context.Context, op string, a presence.Action, call func(context.Context) (int64, error)) error {
	if s.readOnly {
		return backend.Errorf(backend.Forbidden, op, "this SSH key is read-only (obconsole-readonly in the server's authorized keys); nothing was sent")
	}
	subj := audit.SubjectFrom(ctx)
	a.Op = op
	a.Cluster, a.Server, a.Zone = subj.Cluster, subj.Server, cmp.Or(a.Zone, subj.Zone)
	var finish func(int64, error)
	if s.member != nil {
		finish = s.member.Start(a)
	}
	taskID, err := call(context.WithoutCancel(ctx))
	if finish != nil {
		finish(taskID, err)
	}
	return err
}

func taskIDOf(t *ocp.Task) int64 {
	if t == nil {
		return 0
	}
	return t.ID
}

// Reads: the session's context, so they end with it.

func (s *sessionExecutor) Describe() backend.Target { return s.exec.Describe() }
func (s *sessionExecutor) Now() time.Time           { return s.exec.Now() }

func (s *sessionExecutor) ListClusters(ctx context.Context) ([]ocp.Cluster, error) {
	return s.exec.ListClusters(ctx)
}

func (s *sessionExecutor) ListZones(ctx context.Context, clusterID int64) ([]ocp.Zone, error) {
	return s.exec.ListZones(ctx, clusterID)
}

func (s *sessionExecutor) ListServers(ctx context.Context, clusterID int64, zoneName string) ([]ocp.Server, error) {
	return s.exec.ListServers(ctx, clusterID, zoneName)
}

func (s *sessionExecutor) ListTasks(ctx context.Context, filter backend.TaskFilter) ([]ocp.Task, error) {
	return s.exec.ListTasks(ctx, filter)
}

func (s *sessionExecutor) GetTask(ctx context.Context, taskID int64) (*ocp.Task, error) {
	return s.exec.GetTask(ctx, taskID)
}

func (s *sessionExecutor) SubtaskLog(ctx context.Context, taskID, subtaskID int64) (string, error) {
	return s.exec.SubtaskLog(ctx, taskID, subtaskID)
}

// Mutations.

func (s *sessionExecutor) RestartServer(ctx context.Context, clusterID, serverID int64, opts backend.RestartOptions) (*ocp.Task, error) {
	var t *ocp.Task
	err := s.mutate(ctx, audit.OpRestartServer, presence.Action{ClusterID: clusterID, ServerID: serverID, Force: opts.Force}, func(ctx context.Context) (int64, error) {
		var err error
		t, err = s.exec.RestartServer(ctx, clusterID, serverID, opts)
		return taskIDOf(t), err
	})
	return t, err
}

func (s *sessionExecutor) RestartZone(ctx context.Context, clusterID int64, zoneName string, opts backend.RestartOptions) (*ocp.Task, error) {
	var t *ocp.Task
	err := s.mutate(ctx, audit.OpRestartZone, presence.Action{ClusterID: clusterID, Zone: zoneName, Force: opts.Force}, func(ctx context.Context) (int64, error) {
		var err error
		t, err = s.exec.RestartZone(ctx, clusterID, zoneName, opts)
		return taskIDOf(t), err
	})
	return t, err
}

func (s *sessionExecutor) RetryTask(ctx context.Context, taskID int64) (*ocp.Task, error) {
	var t *ocp.Task
	err := s.mutate(ctx, audit.OpRetryTask, presence.Action{TaskID: taskID}, func(ctx context.Context) (int64, error) {
		var err error
		t, err = s.exec.RetryTask(ctx, taskID)
		return taskID, err
	})
	return t, err
}

func (s *sessionExecutor) RollbackTask(ctx context.Context, taskID int64) (*ocp.Task, error) {
	var t *ocp.Task
	err := s.mutate(ctx, audit.OpRollbackTask, presence.Action{TaskID: taskID}, func(ctx context.Context) (int64, error) {
		var err error
		t, err = s.exec.RollbackTask(ctx, taskID)
		return taskID, err
	})
	return t, err
}

func (s *sessionExecutor) RetrySubtask(ctx context.Context, taskID, subtaskID int64) (*ocp.Subtask, error) {
	var st *ocp.Subtask
	err := s.mutate(ctx, audit.OpRetrySubtask, presence.Action{TaskID: taskID, SubtaskID: subtaskID}, func(ctx context.Context) (int64, error) {
		var err error
		st, err = s.exec.RetrySubtask(ctx, taskID, subtaskID)
		return taskID, err
	})
	return st, err
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
