package common

import (
	"cmp"
	"context"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/backend/ocp"
)

// Subject names what an action is on the way operators do (cluster and
// zone names, server ip:port, step name); the journal records it beside
// the ids.
type Subject = audit.Subject

type subjectKey struct{}

// ActionContext attaches s to ctx for the next mutating call, for the
// journal. The console's executor names every action from what the console
// has read (see Names); fields set here win over those it would derive.
func ActionContext(ctx context.Context, s Subject) context.Context {
	return audit.WithSubject(context.WithValue(ctx, subjectKey{}, s), s)
}

func explicitSubject(ctx context.Context) Subject {
	s, _ := ctx.Value(subjectKey{}).(Subject)
	return s
}

// ServerSubject names server s of cluster c.
func ServerSubject(c ocp.Cluster, s ocp.Server) Subject {
	return Subject{Cluster: c.Name, Zone: s.ZoneName, Server: s.Address()}
}

// ZoneSubject names zone of cluster c.
func ZoneSubject(c ocp.Cluster, zone string) Subject {
	return Subject{Cluster: c.Name, Zone: zone}
}

// Wrap returns exec with every answer feeding n and every mutating call
// carrying its subject (ActionContext's, completed from n) for the
// journal.
func (n *Names) Wrap(exec backend.Executor) backend.Executor {
	return &namingExecutor{Executor: exec, names: n}
}

// namingExecutor is the console's executor: exec, with names learnt and
// actions named. Describe, Now and SubtaskLog pass through.
type namingExecutor struct {
	backend.Executor
	names *Names
}

// Unwrap is the executor being named.
func (e *namingExecutor) Unwrap() backend.Executor { return e.Executor }

func (e *namingExecutor) ListClusters(ctx context.Context) ([]ocp.Cluster, error) {
	cs, err := e.Executor.ListClusters(ctx)
	if err == nil {
		e.names.LearnClusters(cs)
	}
	return cs, err
}

func (e *namingExecutor) ListZones(ctx context.Context, clusterID int64) ([]ocp.Zone, error) {
	zs, err := e.Executor.ListZones(ctx, clusterID)
	if err == nil {
		e.names.LearnZones(clusterID, zs)
	}
	return zs, err
}

func (e *namingExecutor) ListServers(ctx context.Context, clusterID int64, zone string) ([]ocp.Server, error) {
	ss, err := e.Executor.ListServers(ctx, clusterID, zone)
	if err == nil {
		e.names.LearnServers(ss)
	}
	return ss, err
}

func (e *namingExecutor) ListTasks(ctx context.Context, f backend.TaskFilter) ([]ocp.Task, error) {
	ts, err := e.Executor.ListTasks(ctx, f)
	if err == nil {
		e.names.LearnTasks(ts, false)
	}
	return ts, err
}

func (e *namingExecutor) GetTask(ctx context.Context, id int64) (*ocp.Task, error) {
	t, err := e.Executor.GetTask(ctx, id)
	if err == nil && t != nil {
		e.names.LearnTasks([]ocp.Task{*t}, true)
	}
	return t, err
}

// named is ctx carrying the subject for the journal: the caller's, its
// empty fields filled from what was read.
func named(ctx context.Context, derived Subject) (context.Context, Subject) {
	s := explicitSubject(ctx)
	s.Cluster = cmp.Or(s.Cluster, derived.Cluster)
	s.Zone = cmp.Or(s.Zone, derived.Zone)
	s.Server = cmp.Or(s.Server, derived.Server)
	s.Step = cmp.Or(s.Step, derived.Step)
	return audit.WithSubject(ctx, s), s
}

func (e *namingExecutor) RestartServer(ctx context.Context, clusterID, serverID int64, opts backend.RestartOptions) (*ocp.Task, error) {
	ctx, subj := named(ctx, e.names.serverSubject(clusterID, serverID))
	t, err := e.Executor.RestartServer(ctx, clusterID, serverID, opts)
	if err == nil && t != nil {
		e.names.started(t, t.ID, clusterID, subj.Zone, serverID, subj)
	}
	return t, err
}

func (e *namingExecutor) RestartZone(ctx context.Context, clusterID int64, zone string, opts backend.RestartOptions) (*ocp.Task, error) {
	ctx, subj := named(ctx, Subject{Cluster: e.names.ClusterName(clusterID), Zone: zone})
	t, err := e.Executor.RestartZone(ctx, clusterID, zone, opts)
	if err == nil && t != nil {
		e.names.started(t, t.ID, clusterID, zone, 0, subj)
	}
	return t, err
}

// again makes call, an operation on task id (its step sub, when not 0)
// that sets it running again, named for the journal; when it works the
// task counts as started here.
func (e *namingExecutor) again(ctx context.Context, id, sub int64, call func(context.Context) (*ocp.Task, error)) (*ocp.Task, error) {
	ctx, _ = named(ctx, e.names.TaskSubject(id, sub))
	t, err := call(ctx)
	if err == nil {
		e.names.started(t, id, 0, "", 0, Subject{})
	}
	return t, err
}

func (e *namingExecutor) RetryTask(ctx context.Context, id int64) (*ocp.Task, error) {
	return e.again(ctx, id, 0, func(ctx context.Context) (*ocp.Task, error) { return e.Executor.RetryTask(ctx, id) })
}

func (e *namingExecutor) RollbackTask(ctx context.Context, id int64) (*ocp.Task, error) {
	return e.again(ctx, id, 0, func(ctx context.Context) (*ocp.Task, error) { return e.Executor.RollbackTask(ctx, id) })
}

func (e *namingExecutor) RetrySubtask(ctx context.Context, id, sub int64) (*ocp.Subtask, error) {
	var s *ocp.Subtask
	_, err := e.again(ctx, id, sub, func(ctx context.Context) (*ocp.Task, error) {
		var err error
		s, err = e.Executor.RetrySubtask(ctx, id, sub)
		return nil, err
	})
	return s, err
}

func (e *namingExecutor) SkipSubtask(ctx context.Context, id, sub int64) error {
	_, err := e.again(ctx, id, sub, func(ctx context.Context) (*ocp.Task, error) {
		return nil, e.Executor.SkipSubtask(ctx, id, sub)
	})
	return err
}

// CancelSubtask is named but starts nothing: the task fails once the step
// stops.
func (e *namingExecutor) CancelSubtask(ctx context.Context, id, sub int64) error {
	ctx, _ = named(ctx, e.names.TaskSubject(id, sub))
	return e.Executor.CancelSubtask(ctx, id, sub)
}

var _ backend.Executor = (*namingExecutor)(nil)
