package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// taskSubject is what a task acts on, by name where the task or the
// backend says: the commands name a server by ip:port, never by an id
// alone when its address can be had.
type taskSubject struct {
	Cluster   string   // name; "" when unknown
	ClusterID int64    // 0 when unknown
	Zone      string   // the zone the task works on
	Servers   []string // ip:port, or "id N" when the address is unknown
	Tenant    string
	// ZoneTask: the task acts on the zone as a whole (no single server).
	ZoneTask bool
}

// text names the subject in a sentence: "cluster protoss (id 12000001),
// zone zone2, server 192.0.2.12:2882"; unknown when nothing is known.
func (s taskSubject) text(unknown string) string {
	var parts []string
	switch {
	case s.Cluster != "" && s.ClusterID != 0:
		parts = append(parts, fmt.Sprintf("cluster %s (id %d)", s.Cluster, s.ClusterID))
	case s.Cluster != "":
		parts = append(parts, "cluster "+s.Cluster)
	case s.ClusterID != 0:
		parts = append(parts, fmt.Sprintf("cluster id %d", s.ClusterID))
	}
	if s.Tenant != "" {
		parts = append(parts, "tenant "+s.Tenant)
	}
	if s.Zone != "" {
		parts = append(parts, "zone "+s.Zone)
	}
	switch len(s.Servers) {
	case 0:
	case 1:
		parts = append(parts, "server "+s.Servers[0])
	default:
		parts = append(parts, "servers "+strings.Join(s.Servers, ", "))
	}
	if len(parts) == 0 {
		return unknown
	}
	return strings.Join(parts, ", ")
}

// target is the TARGET column of `obconsole tasks`: the server's ip:port,
// "zone NAME" for a task on a whole zone, "tenant NAME"; "" when unknown.
func (s taskSubject) target() string {
	switch {
	case s.ZoneTask:
		return "zone " + s.Zone
	case len(s.Servers) > 0:
		return strings.Join(s.Servers, ",")
	case s.Tenant != "":
		return "tenant " + s.Tenant
	case s.Zone != "":
		return "zone " + s.Zone
	}
	return ""
}

// clusterText is the CLUSTER column: its name, else its id.
func (s taskSubject) clusterText() string {
	if s.Cluster == "" && s.ClusterID != 0 {
		return strconv.FormatInt(s.ClusterID, 10)
	}
	return s.Cluster
}

// subjects names the subjects of tasks from what they carry, asking the
// backend (once per list, once per cluster) for the names they do not:
// a task detail names no cluster, a context names servers by id. A
// lookup that fails leaves ids; it never fails the command.
type subjects struct {
	ctx      context.Context
	ex       backend.Executor
	clusters map[int64]string           // nil until listed
	servers  map[int64]map[int64]string // cluster id → server id → ip:port
}

func newSubjects(ctx context.Context, ex backend.Executor) *subjects {
	return &subjects{ctx: ctx, ex: ex, servers: map[int64]map[int64]string{}}
}

// knowCluster records a cluster's name the command already has.
func (r *subjects) knowCluster(id int64, name string) {
	if r.clusters == nil {
		r.clusters = map[int64]string{}
	}
	r.clusters[id] = name
}

func (r *subjects) clusterName(id int64) string {
	if name, ok := r.clusters[id]; ok || id == 0 {
		return name
	}
	if r.clusters == nil {
		r.clusters = map[int64]string{}
		if cs, err := r.ex.ListClusters(r.ctx); err == nil {
			for _, c := range cs {
				r.clusters[c.ID] = c.Name
			}
		}
	}
	return r.clusters[id]
}

func (r *subjects) serverAddress(clusterID, serverID int64) string {
	byID, ok := r.servers[clusterID]
	if !ok && clusterID != 0 {
		byID = map[int64]string{}
		if ss, err := r.ex.ListServers(r.ctx, clusterID, ""); err == nil {
			for _, s := range ss {
				byID[s.ID] = s.Address()
			}
		}
		r.servers[clusterID] = byID
	}
	if a := byID[serverID]; a != "" {
		return a
	}
	return fmt.Sprintf("id %d", serverID)
}

// of is t's subject. A task with a server_id acts on that server; one with
// a zone_name and no server_id on the zone (a zone restart names its
// servers in server_ids).
func (r *subjects) of(t *ocp.Task) taskSubject {
	s := taskSubject{Cluster: t.ClusterName(), ClusterID: t.ClusterID, Zone: t.ZoneName(), Tenant: t.TenantName()}
	if s.Cluster == "" {
		s.Cluster = r.clusterName(t.ClusterID)
	}
	s.ZoneTask = s.Zone != "" && t.Context.Get("server_id") == ""
	if !s.ZoneTask {
		for _, id := range t.ServerIDs() {
			s.Servers = append(s.Servers, r.serverAddress(t.ClusterID, id))
		}
	}
	return s
}

// serverSubject is the subject of a restart the command just sent.
func serverSubject(c ocp.Cluster, s ocp.Server) taskSubject {
	return taskSubject{Cluster: c.Name, ClusterID: c.ID, Zone: s.ZoneName, Servers: []string{s.Address()}}
}
