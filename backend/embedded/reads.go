package embedded

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
)

// Reads: copies of the fleet and the tasks as they are now.

func (e *Executor) ListClusters(ctx context.Context) ([]ocp.Cluster, error) {
	if err := e.enter(ctx, "list clusters"); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]ocp.Cluster, 0, len(e.clusters))
	for _, c := range e.clusters {
		out = append(out, e.clusterCopy(c))
	}
	return out, nil
}

func (e *Executor) ListZones(ctx context.Context, clusterID int64) ([]ocp.Zone, error) {
	op := fmt.Sprintf("list zones of cluster %d", clusterID)
	if err := e.enter(ctx, op); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c, err := e.findCluster(op, clusterID)
	if err != nil {
		return nil, err
	}
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
}

func (e *Executor) ListServers(ctx context.Context, clusterID int64, zoneName string) ([]ocp.Server, error) {
	op := fmt.Sprintf("list servers of cluster %d", clusterID)
	if zoneName != "" {
		op = fmt.Sprintf("list servers of zone %s in cluster %d", zoneName, clusterID)
	}
	if err := e.enter(ctx, op); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c, err := e.findCluster(op, clusterID)
	if err != nil {
		return nil, err
	}
	var zones []*zone
	if zoneName == "" {
		zones = c.zones
	} else {
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
}

// defaultTaskLimit bounds ListTasks when the filter sets no limit.
const defaultTaskLimit = 1000

func (e *Executor) ListTasks(ctx context.Context, f backend.TaskFilter) ([]ocp.Task, error) {
	if err := e.enter(ctx, "list tasks"); err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = defaultTaskLimit
	}
	name := strings.ToLower(f.Name)
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]ocp.Task, 0, min(limit, len(e.tasks)))
	for i := len(e.tasks) - 1; i >= 0 && len(out) < limit; i-- {
		t := e.tasks[i]
		if f.ClusterID != 0 && t.w.ClusterID != f.ClusterID {
			continue
		}
		if len(f.Status) > 0 && !slices.Contains(f.Status, t.w.Status) {
			continue
		}
		if name != "" && !strings.Contains(strings.ToLower(t.w.Name), name) {
			continue
		}
		out = append(out, taskCopy(&t.w, true))
	}
	return out, nil
}

func (e *Executor) GetTask(ctx context.Context, taskID int64) (*ocp.Task, error) {
	op := fmt.Sprintf("get task %d", taskID)
	if err := e.enter(ctx, op); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t, err := e.findTask(op, taskID)
	if err != nil {
		return nil, err
	}
	out := taskCopy(&t.w, true)
	return &out, nil
}

func (e *Executor) SubtaskLog(ctx context.Context, taskID, subtaskID int64) (string, error) {
	op := fmt.Sprintf("get log of subtask %d", subtaskID)
	if err := e.enter(ctx, op); err != nil {
		return "", err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	t, i, err := e.findSubtask(op, taskID, subtaskID)
	if err != nil {
		return "", err
	}
	return t.steps[i].text(e.clock.Now()), nil
}

func (e *Executor) findCluster(op string, id int64) (*cluster, error) {
	c := e.clusterByID[id]
	if c == nil {
		return nil, backend.Errorf(backend.NotFound, op, "no cluster with id %d", id)
	}
	return c, nil
}

func (e *Executor) findZone(op string, c *cluster, name string) (*zone, error) {
	for _, z := range c.zones {
		if z.w.Name == name {
			return z, nil
		}
	}
	return nil, backend.Errorf(backend.NotFound, op, "cluster %s (%d) has no zone %s", safetext.Excerpt(c.w.Name), c.w.ID, safetext.Excerpt(name))
}

func (e *Executor) findTask(op string, id int64) (*task, error) {
	t := e.taskByID[id]
	if t == nil {
		return nil, backend.Errorf(backend.NotFound, op, "no task with id %d", id)
	}
	return t, nil
}

func (e *Executor) findSubtask(op string, taskID, subtaskID int64) (*task, int, error) {
	t, err := e.findTask(op, taskID)
	if err != nil {
		return nil, 0, err
	}
	for i := range t.w.Subtasks {
		if t.w.Subtasks[i].ID == subtaskID {
			return t, i, nil
		}
	}
	return nil, 0, backend.Errorf(backend.NotFound, op, "task %d has no subtask %d", taskID, subtaskID)
}
