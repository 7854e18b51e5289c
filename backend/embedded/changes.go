package embedded

import (
	"context"
	"fmt"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// Changes: each one request, under the lock, on a loaded fleet.

func (e *Executor) RestartServer(ctx context.Context, clusterID, serverID int64, opts backend.RestartOptions) (*ocp.Task, error) {
	op := fmt.Sprintf("restart server %d", serverID)
	return inCluster(e, ctx, op, true, clusterID, func(c *cluster) (*ocp.Task, error) {
		s := e.serverByID(serverID)
		if s == nil || s.zone.cluster != c {
			return nil, backend.Errorf(backend.NotFound, op, "cluster %s (%d) has no server %d", c.w.Name, c.w.ID, serverID)
		}
		if s.task != nil {
			return nil, backend.Errorf(backend.Conflict, op, "server %s already has a running task %d (%s); wait for it or act on that task",
				s.address(), s.task.w.ID, s.task.w.Name)
		}
		t := e.newServerTask(s, opts, e.clock.Now())
		out := taskCopy(&t.w, true)
		return &out, nil
	})
}

func (e *Executor) RestartZone(ctx context.Context, clusterID int64, zoneName string, opts backend.RestartOptions) (*ocp.Task, error) {
	op := fmt.Sprintf("restart zone %s", zoneName)
	return inCluster(e, ctx, op, true, clusterID, func(c *cluster) (*ocp.Task, error) {
		z, err := e.findZone(op, c, zoneName)
		if err != nil {
			return nil, err
		}
		for _, s := range z.servers {
			if s.task != nil {
				return nil, backend.Errorf(backend.Conflict, op, "server %s of zone %s already has a running task %d (%s); wait for it or act on that task",
					s.address(), z.w.Name, s.task.w.ID, s.task.w.Name)
			}
		}
		t := e.newZoneTask(z, opts.Force, e.clock.Now())
		out := taskCopy(&t.w, true)
		return &out, nil
	})
}

func (e *Executor) RetryTask(ctx context.Context, taskID int64) (*ocp.Task, error) {
	return onTask(e, ctx, fmt.Sprintf("retry task %d", taskID), true, taskID, e.retryTask)
}

func (e *Executor) RollbackTask(ctx context.Context, taskID int64) (*ocp.Task, error) {
	return onTask(e, ctx, fmt.Sprintf("roll back task %d", taskID), true, taskID, e.rollbackTask)
}

func (e *Executor) RetrySubtask(ctx context.Context, taskID, subtaskID int64) (*ocp.Subtask, error) {
	return e.stepChange(ctx, fmt.Sprintf("retry subtask %d", subtaskID), taskID, subtaskID, e.retrySubtask)
}

func (e *Executor) SkipSubtask(ctx context.Context, taskID, subtaskID int64) error {
	_, err := e.stepChange(ctx, fmt.Sprintf("skip subtask %d", subtaskID), taskID, subtaskID, e.skipSubtask)
	return err
}

func (e *Executor) CancelSubtask(ctx context.Context, taskID, subtaskID int64) error {
	_, err := e.stepChange(ctx, fmt.Sprintf("cancel subtask %d", subtaskID), taskID, subtaskID, e.cancelSubtask)
	return err
}

// stepChange runs an operation on one step at the current time and
// answers with a copy of the step as it is afterwards.
func (e *Executor) stepChange(ctx context.Context, op string, taskID, subtaskID int64, do func(op string, t *task, i int, at time.Time) error) (*ocp.Subtask, error) {
	return onSubtask(e, ctx, op, true, taskID, subtaskID, func(op string, t *task, i int) (*ocp.Subtask, error) {
		if err := do(op, t, i, e.clock.Now()); err != nil {
			return nil, err
		}
		out := subtaskCopy(&t.w.Subtasks[i])
		return &out, nil
	})
}
