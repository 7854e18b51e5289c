package store

import (
	"fmt"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// Kind is what sort of resource a Key names.
type Kind uint8

// The resources the console reads.
const (
	KindClusters Kind = iota + 1 // every cluster
	KindZones                    // the zones of a cluster, with their servers
	KindServers                  // the servers of a cluster, or of one zone
	KindTasks                    // a task list by query
	KindTask                     // one task with its subtasks
	KindLog                      // one subtask's log
	KindHealth                   // a cluster's servers, counted: how many are down
)

// Key names one resource: an entry of the Store and of the Shared cache.
// Keys are comparable values; build them with the functions below.
type Key struct {
	Kind    Kind
	Cluster int64
	Zone    string
	Task    int64
	Step    int64
	Query   TaskQuery
}

// TaskQuery is a task list's filter, comparable (backend.TaskFilter is
// not). Named asks the store to name the servers the listed tasks work on
// (a few reads of their clusters' servers, once per entry).
type TaskQuery struct {
	Cluster int64
	Status  ocp.TaskStatus // "" for every status
	Limit   int
	Named   bool
}

// Filter is the executor's filter for q.
func (q TaskQuery) Filter() backend.TaskFilter {
	f := backend.TaskFilter{ClusterID: q.Cluster, Limit: q.Limit}
	if q.Status != "" {
		f.Status = []ocp.TaskStatus{q.Status}
	}
	return f
}

// ClustersKey is the cluster list.
func ClustersKey() Key { return Key{Kind: KindClusters} }

// ZonesKey is the zone list of a cluster.
func ZonesKey(cluster int64) Key { return Key{Kind: KindZones, Cluster: cluster} }

// ServersKey is the server list of a cluster (zone "") or of one zone.
func ServersKey(cluster int64, zone string) Key {
	return Key{Kind: KindServers, Cluster: cluster, Zone: zone}
}

// TasksKey is a task list.
func TasksKey(q TaskQuery) Key { return Key{Kind: KindTasks, Query: q} }

// TaskKey is one task.
func TaskKey(id int64) Key { return Key{Kind: KindTask, Task: id} }

// LogKey is one subtask's log.
func LogKey(task, step int64) Key { return Key{Kind: KindLog, Task: task, Step: step} }

// HealthKey is a cluster's servers counted (a roll-up).
func HealthKey(cluster int64) Key { return Key{Kind: KindHealth, Cluster: cluster} }

// String names the key for tests and errors.
func (k Key) String() string {
	switch k.Kind {
	case KindClusters:
		return "clusters"
	case KindZones:
		return fmt.Sprintf("zones of cluster %d", k.Cluster)
	case KindServers:
		if k.Zone == "" {
			return fmt.Sprintf("servers of cluster %d", k.Cluster)
		}
		return fmt.Sprintf("servers of cluster %d zone %q", k.Cluster, k.Zone)
	case KindTasks:
		return fmt.Sprintf("tasks %+v", k.Query)
	case KindTask:
		return fmt.Sprintf("task %d", k.Task)
	case KindLog:
		return fmt.Sprintf("log of task %d step %d", k.Task, k.Step)
	case KindHealth:
		return fmt.Sprintf("health of cluster %d", k.Cluster)
	}
	return "unknown"
}
