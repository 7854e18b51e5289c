package remote

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

func id(n int64) string { return strconv.FormatInt(n, 10) }

func get(ctx context.Context, e *Executor, op, path string, q url.Values, out any) error {
	return e.do(ctx, call{op: op, method: http.MethodGet, path: path, query: q}, out)
}

func post(ctx context.Context, e *Executor, op, path string, q url.Values, body any, out any) error {
	c := call{op: op, method: http.MethodPost, path: path, query: q}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return &backend.Error{Kind: backend.Internal, Op: op, Err: err}
		}
		c.body = b
	}
	return e.do(ctx, c, out)
}

func clusterPath(clusterID int64) string { return "/api/v2/ob/clusters/" + id(clusterID) }

func taskPath(taskID int64) string { return "/api/v2/tasks/instances/" + id(taskID) }

func subtaskPath(taskID, subtaskID int64) string {
	return taskPath(taskID) + "/subtasks/" + id(subtaskID)
}

func (e *Executor) ListClusters(ctx context.Context) ([]ocp.Cluster, error) {
	clusters, err := listAll[ocp.Cluster](ctx, e, "list clusters", "/api/v2/ob/clusters", nil, true, 0, 0, MaxClusterBytes)
	if err == nil {
		e.sizes.record(clusters)
	}
	return clusters, err
}

// restartParams carries the parameters both ways OCP builds read them: as
// query parameters and as JSON body members. OCP's pages call them
// "request parameters" without saying which, and their sample request
// shows neither.
func restartParams(params map[string]bool) (url.Values, map[string]bool) {
	q := url.Values{}
	for k, v := range params {
		q.Set(k, strconv.FormatBool(v))
	}
	return q, params
}

// RestartServer sends exactly one POST; it is never retried. When the
// answer is lost the error has OutcomeUnknown set. freezeServer is always
// sent, true or false: the newer documentation marks it required (an OCP
// that binds it as a required parameter refuses a restart without it),
// and sending it to a build before it is harmless: Spring ignores query
// parameters a handler does not bind, and OCP's JSON reader ignores
// unknown members (FAIL_ON_UNKNOWN_PROPERTIES is off).
func (e *Executor) RestartServer(ctx context.Context, clusterID, serverID int64, opts backend.RestartOptions) (*ocp.Task, error) {
	op := fmt.Sprintf("restart server %d", serverID)
	q, body := restartParams(map[string]bool{"force": opts.Force, "freezeServer": opts.FreezeServer})
	var t ocp.Task
	if err := post(ctx, e, op, clusterPath(clusterID)+"/servers/"+id(serverID)+"/restart", q, body, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// RestartZone sends exactly one POST to …/zones/{zoneName}/restart. OCP's
// zone restart takes no freezeServer, so it is not sent.
func (e *Executor) RestartZone(ctx context.Context, clusterID int64, zoneName string, opts backend.RestartOptions) (*ocp.Task, error) {
	op := fmt.Sprintf("restart zone %s", zoneName)
	q, body := restartParams(map[string]bool{"force": opts.Force})
	var t ocp.Task
	if err := post(ctx, e, op, clusterPath(clusterID)+"/zones/"+url.PathEscape(zoneName)+"/restart", q, body, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// ListTasks asks for id,desc order and sorts newest first (highest id)
// anyway, so a server that ignores sort still gives the contract's order.
func (e *Executor) ListTasks(ctx context.Context, f backend.TaskFilter) ([]ocp.Task, error) {
	q := url.Values{"sort": {"id,desc"}}
	if f.ClusterID != 0 {
		q.Set("clusterId", id(f.ClusterID))
	}
	if len(f.Status) > 0 {
		s := make([]string, len(f.Status))
		for i, st := range f.Status {
			s[i] = string(st)
		}
		q.Set("status", strings.Join(s, ","))
	}
	if f.Name != "" {
		q.Set("name", f.Name)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultTaskLimit
	}
	tasks, err := listAll[ocp.Task](ctx, e, "list tasks", "/api/v2/tasks/instances", q, true, limit, 0, MaxTaskBytes)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(tasks, func(a, b ocp.Task) int {
		switch {
		case a.ID > b.ID:
			return -1
		case a.ID < b.ID:
			return 1
		}
		return 0
	})
	return tasks, nil
}

func (e *Executor) GetTask(ctx context.Context, taskID int64) (*ocp.Task, error) {
	var t ocp.Task
	if err := get(ctx, e, fmt.Sprintf("get task %d", taskID), taskPath(taskID), nil, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

func (e *Executor) SubtaskLog(ctx context.Context, taskID, subtaskID int64) (string, error) {
	var l ocp.Log
	op := fmt.Sprintf("get log of subtask %d", subtaskID)
	if err := get(ctx, e, op, subtaskPath(taskID, subtaskID)+"/log", nil, &l); err != nil {
		return "", err
	}
	return l.Log, nil
}

func (e *Executor) RetryTask(ctx context.Context, taskID int64) (*ocp.Task, error) {
	var t ocp.Task
	if err := post(ctx, e, fmt.Sprintf("retry task %d", taskID), taskPath(taskID)+"/retry", nil, nil, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

func (e *Executor) RollbackTask(ctx context.Context, taskID int64) (*ocp.Task, error) {
	var t ocp.Task
	if err := post(ctx, e, fmt.Sprintf("roll back task %d", taskID), taskPath(taskID)+"/rollback", nil, nil, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

func (e *Executor) RetrySubtask(ctx context.Context, taskID, subtaskID int64) (*ocp.Subtask, error) {
	var s ocp.Subtask
	if err := post(ctx, e, fmt.Sprintf("retry subtask %d", subtaskID), subtaskPath(taskID, subtaskID)+"/retry", nil, nil, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

func (e *Executor) SkipSubtask(ctx context.Context, taskID, subtaskID int64) error {
	return post(ctx, e, fmt.Sprintf("skip subtask %d", subtaskID), subtaskPath(taskID, subtaskID)+"/skip", nil, nil, nil)
}

func (e *Executor) CancelSubtask(ctx context.Context, taskID, subtaskID int64) error {
	return post(ctx, e, fmt.Sprintf("cancel subtask %d", subtaskID), subtaskPath(taskID, subtaskID)+"/cancel", nil, nil, nil)
}
