package store

import (
	"context"
	"slices"
	"strconv"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// Learner is told what every read returned: the console's names of
// clusters, servers and tasks (common.Names), which toasts, the journal
// and the command line use. It is called from Cmds: safe for concurrent
// use.
type Learner interface {
	LearnClusters([]ocp.Cluster)
	LearnZones(clusterID int64, zones []ocp.Zone)
	LearnServers([]ocp.Server)
	LearnTasks(tasks []ocp.Task, withSteps bool)
	// Unnamed is the cluster whose servers would name the one server task
	// works on, when the console has not read that server yet.
	Unnamed(taskID int64) (clusterID int64, ok bool)
}

// Reader makes the console's reads: through the Shared layer when there
// is one, straight to the executor otherwise, teaching the Learner what
// came back. Its methods run inside Cmds; the Store polls through it, and
// a screen that needs a one-off read (the command line's lookups, a
// restart dialog's check) calls it in its own Cmd.
type Reader struct {
	exec   backend.Executor
	shared *Shared
	learn  Learner
}

// read is key's answer through the shared layer, or fetch's.
func read[T any](ctx context.Context, r *Reader, c func(*Shared) *cache[T], key Key, fetch func(context.Context) (T, error)) (T, error) {
	if r.shared == nil {
		return fetch(ctx)
	}
	return c(r.shared).get(ctx, r.shared, key, fetch)
}

// Clusters lists every cluster.
func (r *Reader) Clusters(ctx context.Context) ([]ocp.Cluster, error) {
	cs, err := read(ctx, r, func(s *Shared) *cache[[]ocp.Cluster] { return &s.clusters }, ClustersKey(), r.exec.ListClusters)
	if err == nil && r.learn != nil {
		r.learn.LearnClusters(cs)
	}
	return cs, err
}

// Zones lists a cluster's zones with their servers: OCP's zone list
// carries them; where a build leaves them out, one list of the cluster's
// servers fills them in, for the zones' health.
func (r *Reader) Zones(ctx context.Context, cluster int64) ([]ocp.Zone, error) {
	zs, err := read(ctx, r, func(s *Shared) *cache[[]ocp.Zone] { return &s.zones }, ZonesKey(cluster), func(ctx context.Context) ([]ocp.Zone, error) {
		zs, err := r.exec.ListZones(ctx, cluster)
		if err != nil {
			return nil, err
		}
		missing := false
		for _, z := range zs {
			missing = missing || (len(z.Servers) == 0 && z.ServerCount > 0)
		}
		if !missing {
			return zs, nil
		}
		servers, err := r.exec.ListServers(ctx, cluster, "")
		if err != nil {
			return nil, err
		}
		for i := range zs {
			if len(zs[i].Servers) > 0 {
				continue
			}
			for _, s := range servers {
				if s.ZoneName == zs[i].Name {
					zs[i].Servers = append(zs[i].Servers, s)
				}
			}
		}
		return zs, nil
	})
	if err == nil && r.learn != nil {
		r.learn.LearnZones(cluster, zs)
	}
	return zs, err
}

// Servers lists the servers of a cluster, or of one zone of it. What the
// console does not draw (fields it never reads, the answer's own shape)
// is dropped: a 100,000-server list is kept in memory.
func (r *Reader) Servers(ctx context.Context, cluster int64, zone string) ([]ocp.Server, error) {
	ss, err := read(ctx, r, func(s *Shared) *cache[[]ocp.Server] { return &s.servers }, ServersKey(cluster, zone), func(ctx context.Context) ([]ocp.Server, error) {
		ss, err := r.exec.ListServers(ctx, cluster, zone)
		return compact(ss), err
	})
	if err == nil && r.learn != nil {
		r.learn.LearnServers(ss)
	}
	return ss, err
}

// compact is ss without what the console never reads of a server (the
// fields OCP sent that this build does not know), copied when there is
// any: the executor's answer is never written to.
func compact(ss []ocp.Server) []ocp.Server {
	if !slices.ContainsFunc(ss, func(s ocp.Server) bool { return len(s.Extra) > 0 }) {
		return ss
	}
	out := make([]ocp.Server, len(ss))
	for i, s := range ss {
		out[i] = ocp.Server{ID: s.ID, IP: s.IP, Port: s.Port, SQLPort: s.SQLPort, Version: s.Version,
			WithRootserver: s.WithRootserver, Status: s.Status, InnerStatus: s.InnerStatus, ClusterID: s.ClusterID,
			ZoneName: s.ZoneName, RegionName: s.RegionName, IDCName: s.IDCName, StartTime: s.StartTime}
	}
	return out
}

// Tasks lists tasks; with q.Named it then reads the servers of up to
// maxNameReads clusters whose tasks work on a server the console has not
// named, each cluster once per claims.
func (r *Reader) Tasks(ctx context.Context, q TaskQuery, claims *claims) ([]ocp.Task, error) {
	ts, err := read(ctx, r, func(s *Shared) *cache[[]ocp.Task] { return &s.tasks }, TasksKey(q), func(ctx context.Context) ([]ocp.Task, error) {
		return r.exec.ListTasks(ctx, q.Filter())
	})
	if err != nil {
		return ts, err
	}
	if r.learn != nil {
		r.learn.LearnTasks(ts, false)
		if q.Named && claims != nil {
			reads := 0
			for i := range ts {
				if reads == maxNameReads {
					break
				}
				if c, ok := r.learn.Unnamed(ts[i].ID); ok && claims.claim(c) {
					reads++
					_, _ = r.Servers(ctx, c, "")
				}
			}
		}
	}
	return ts, nil
}

// maxNameReads bounds the server lists one task list's refresh reads to
// name the servers its tasks work on.
const maxNameReads = 3

// Task gets one task with its subtasks. A task that ended comes with its
// server named: when the console has not read the one server it worked
// on, one list of its cluster's servers (the toast saying it ended names
// the server by ip:port).
func (r *Reader) Task(ctx context.Context, id int64) (*ocp.Task, error) {
	t, err := read(ctx, r, func(s *Shared) *cache[*ocp.Task] { return &s.task }, TaskKey(id), func(ctx context.Context) (*ocp.Task, error) {
		return r.exec.GetTask(ctx, id)
	})
	if err == nil && t == nil {
		err = backend.Errorf(backend.BadResponse, "get task "+strconv.FormatInt(id, 10), "no task in the answer")
	}
	if err != nil {
		return nil, err
	}
	if r.learn != nil {
		r.learn.LearnTasks([]ocp.Task{*t}, true)
		if t.Outcome().Ended() {
			if c, ok := r.learn.Unnamed(id); ok {
				_, _ = r.Servers(ctx, c, "")
			}
		}
	}
	return t, nil
}

// Health is a cluster's servers, counted: a roll-up keeps the counts,
// not the list.
type Health struct {
	Servers, Down int
}

// HealthOf counts servers: those not in OCP's OK class are down.
func HealthOf(servers []ocp.Server) Health {
	h := Health{Servers: len(servers)}
	for i := range servers {
		if servers[i].Status.Class() != ocp.ClassOK {
			h.Down++
		}
	}
	return h
}

// Health reads a cluster's servers and counts them.
func (r *Reader) Health(ctx context.Context, cluster int64) (Health, error) {
	ss, err := r.Servers(ctx, cluster, "")
	return HealthOf(ss), err
}

// Log reads one subtask's whole log.
func (r *Reader) Log(ctx context.Context, task, step int64) (string, error) {
	return read(ctx, r, func(s *Shared) *cache[string] { return &s.logs }, LogKey(task, step), func(ctx context.Context) (string, error) {
		return r.exec.SubtaskLog(ctx, task, step)
	})
}
