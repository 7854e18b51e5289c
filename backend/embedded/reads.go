package embedded

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
)

// Reads: copies of the fleet and the tasks as they are now.

func (e *Executor) ListClusters(ctx context.Context) ([]ocp.Cluster, error) {
	return under(e, ctx, "list clusters", false, func() ([]ocp.Cluster, error) {
		out := make([]ocp.Cluster, 0, len(e.clusters))
		for _, c := range e.clusters {
			out = append(out, e.clusterCopy(c))
		}
		return out, nil
	})
}

func (e *Executor) ListZones(ctx context.Context, clusterID int64) ([]ocp.Zone, error) {
	op := fmt.Sprintf("list zones of cluster %d", clusterID)
	return inCluster(e, ctx, op, false, clusterID, func(c *cluster) ([]ocp.Zone, error) {
		out := make([]ocp.Zone, 0, len(c.zones))
		for _, z := range c.zones {
			zc := zoneCopy(z)
			zc.Servers = make([]ocp.Server, len(z.servers))
			for i, s := range z.servers {
				zc.Servers[i] = e.view(s)
			}
			out = append(out, zc)
		}
		return out, nil
	})
}

func (e *Executor) ListServers(ctx context.Context, clusterID int64, zoneName string) ([]ocp.Server, error) {
	op := fmt.Sprintf("list servers of cluster %d", clusterID)
	if zoneName != "" {
		op = fmt.Sprintf("list servers of zone %s in cluster %d", zoneName, clusterID)
	}
	return inCluster(e, ctx, op, false, clusterID, func(c *cluster) ([]ocp.Server, error) {
		zones := c.zones
		if zoneName != "" {
			z, err := e.findZone(op, c, zoneName)
			if err != nil {
				return nil, err
			}
			zones = []*zone{z}
		}
		n := 0
		for _, z := range zones {
			n += len(z.servers)
		}
		out := make([]ocp.Server, 0, n)
		for _, z := range zones {
			for _, s := range z.servers {
				out = append(out, e.view(s))
			}
		}
		return out, nil
	})
}

// defaultTaskLimit bounds ListTasks when the filter sets no limit.
const defaultTaskLimit = 1000

func (e *Executor) ListTasks(ctx context.Context, f backend.TaskFilter) ([]ocp.Task, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = defaultTaskLimit
	}
	name := strings.ToLower(f.Name)
	return under(e, ctx, "list tasks", false, func() ([]ocp.Task, error) {
		out := make([]ocp.Task, 0, min(limit, len(e.tasks)))
		for i := len(e.tasks) - 1; i >= 0 && len(out) < limit; i-- {
			t := e.tasks[i]
			if f.ClusterID != 0 && t.w.ClusterID != f.ClusterID ||
				len(f.Status) > 0 && !slices.Contains(f.Status, t.w.Status) ||
				name != "" && !strings.Contains(strings.ToLower(t.w.Name), name) {
				continue
			}
			out = append(out, taskCopy(&t.w, true))
		}
		return out, nil
	})
}

func (e *Executor) GetTask(ctx context.Context, taskID int64) (*ocp.Task, error) {
	return onTask(e, ctx, fmt.Sprintf("get task %d", taskID), false, taskID, nil)
}

func (e *Executor) SubtaskLog(ctx context.Context, taskID, subtaskID int64) (string, error) {
	return onSubtask(e, ctx, fmt.Sprintf("get log of subtask %d", subtaskID), false, taskID, subtaskID,
		func(_ string, t *task, i int) (string, error) { return t.steps[i].text(e.clock.Now()), nil })
}

// under runs f under the lock once the caller's context is live and the
// fleet loaded; a change is refused by a closed executor.
func under[T any](e *Executor, ctx context.Context, op string, change bool, f func() (T, error)) (T, error) {
	var none T
	if err := e.enter(ctx, op); err != nil {
		return none, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if change && e.closed {
		return none, errClosed(op)
	}
	return f()
}

// inCluster is under for a call about one cluster.
func inCluster[T any](e *Executor, ctx context.Context, op string, change bool, id int64, f func(*cluster) (T, error)) (T, error) {
	return under(e, ctx, op, change, func() (T, error) {
		c := e.clusterByID[id]
		if c == nil {
			var none T
			return none, backend.Errorf(backend.NotFound, op, "no cluster with id %d", id)
		}
		return f(c)
	})
}

// onTask is under for a call about one task: do (when given) acts on it
// at the current time, and the answer is a copy of the task as it is
// afterwards.
func onTask(e *Executor, ctx context.Context, op string, change bool, taskID int64, do func(op string, t *task, at time.Time) error) (*ocp.Task, error) {
	return under(e, ctx, op, change, func() (*ocp.Task, error) {
		t := e.taskByID[taskID]
		if t == nil {
			return nil, backend.Errorf(backend.NotFound, op, "no task with id %d", taskID)
		}
		if do != nil {
			if err := do(op, t, e.clock.Now()); err != nil {
				return nil, err
			}
		}
		out := taskCopy(&t.w, true)
		return &out, nil
	})
}

// onSubtask is under for a call about one step of a task: f answers with
// the task and the step's index.
func onSubtask[T any](e *Executor, ctx context.Context, op string, change bool, taskID, subtaskID int64, f func(op string, t *task, i int) (T, error)) (T, error) {
	return under(e, ctx, op, change, func() (T, error) {
		var none T
		t := e.taskByID[taskID]
		if t == nil {
			return none, backend.Errorf(backend.NotFound, op, "no task with id %d", taskID)
		}
		for i := range t.w.Subtasks {
			if t.w.Subtasks[i].ID == subtaskID {
				return f(op, t, i)
			}
		}
		return none, backend.Errorf(backend.NotFound, op, "task %d has no subtask %d", taskID, subtaskID)
	})
}

func (e *Executor) findZone(op string, c *cluster, name string) (*zone, error) {
	for _, z := range c.zones {
		if z.w.Name == name {
			return z, nil
		}
	}
	return nil, backend.Errorf(backend.NotFound, op, "cluster %s (%d) has no zone %s", safetext.Excerpt(c.w.Name), c.w.ID, safetext.Excerpt(name))
}
