package common

import (
	"cmp"
	"net"
	"slices"
	"strconv"
	"sync"

	"github.com/obconsole/obconsole/backend/ocp"
)

// Names remembers, for the session, the names of what the console has read
// through its executor (cluster names, server addresses and zones, tasks
// with their targets and step names) and which tasks this operator started
// or set running again. OCP's answers often carry ids only (a task's
// details name no cluster, a restart names a server by id), so the journal,
// toasts, the Tasks list and the quit prompt name things from here. It only
// learns from answers that went by; it never asks OCP anything itself.
// Safe for concurrent use (Cmds feed it from their goroutines).
type Names struct {
	mu       sync.Mutex
	clusters map[int64]string
	zones    map[int64]map[string]bool // zone names by cluster id
	servers  map[int64]serverName
	tasks    map[int64]*taskName
}

type serverName struct {
	ip        string
	port      int
	zone      string
	clusterID int64
	status    ocp.ServerStatus
}

type taskName struct {
	name      string
	clusterID int64
	cluster   string
	zone      string
	serverIDs []int64
	outcome   ocp.TaskOutcome
	started   bool
	steps     map[int64]string
}

// maxTasks bounds the tasks remembered; tasks this operator started are
// always kept.
const maxTasks = 20000

// NewNames returns an empty Names.
func NewNames() *Names {
	return &Names{clusters: map[int64]string{}, zones: map[int64]map[string]bool{}, servers: map[int64]serverName{}, tasks: map[int64]*taskName{}}
}

// TaskInfo is what the console knows of a task.
type TaskInfo struct {
	ID        int64
	Name      string
	ClusterID int64
	Cluster   string // "" when not known
	Zone      string // the zone a zone task works on, or the server's zone
	Servers   []string
	ServerIDs []int64
	Outcome   ocp.TaskOutcome // "" when not known
	// Started: this operator started it, or set it running again (retry,
	// roll back, skip), in this session.
	Started bool
}

// Running reports that the task was running when last seen (or that it
// was started here and has not been seen since).
func (t TaskInfo) Running() bool { return t.Outcome == "" || !t.Outcome.Ended() }

// Target names what the task works on: the server's ip:port, "zone NAME",
// or "" when not known.
func (t TaskInfo) Target() string {
	switch {
	case len(t.Servers) == 1:
		return t.Servers[0]
	case t.Zone != "" && len(t.ServerIDs) != 1:
		return "zone " + t.Zone
	case len(t.ServerIDs) == 1:
		return "server " + strconv.FormatInt(t.ServerIDs[0], 10)
	}
	return ""
}

// ClusterName is the name of cluster id, "" when not seen.
func (n *Names) ClusterName(id int64) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.clusters[id]
}

// ServerAddress is server id's ip:port, "" when not seen.
func (n *Names) ServerAddress(id int64) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.address(id)
}

func (n *Names) address(id int64) string {
	s, ok := n.servers[id]
	if !ok {
		return ""
	}
	return net.JoinHostPort(s.ip, strconv.Itoa(s.port))
}

// Task is what is known of task id.
func (n *Names) Task(id int64) (TaskInfo, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	t, ok := n.tasks[id]
	if !ok {
		return TaskInfo{ID: id}, false
	}
	return n.info(id, t), true
}

func (n *Names) info(id int64, t *taskName) TaskInfo {
	ti := TaskInfo{ID: id, Name: t.name, ClusterID: t.clusterID, Cluster: cmp.Or(t.cluster, n.clusters[t.clusterID]),
		Zone: t.zone, ServerIDs: t.serverIDs, Outcome: t.outcome, Started: t.started}
	for _, sid := range t.serverIDs {
		if a := n.address(sid); a != "" {
			ti.Servers = append(ti.Servers, a)
		}
		if ti.Zone == "" && len(t.serverIDs) == 1 {
			ti.Zone = n.servers[sid].zone
		}
	}
	return ti
}

// Unnamed is the cluster whose servers would name the one server task id
// works on, when the console has not read that server (store.Learner).
func (n *Names) Unnamed(id int64) (int64, bool) {
	ti, _ := n.Task(id)
	if ti.ClusterID == 0 || len(ti.ServerIDs) != 1 || len(ti.Servers) == 1 {
		return 0, false
	}
	return ti.ClusterID, true
}

// StartedRunning lists the tasks this operator started or set running
// again that were not seen to end, oldest first.
func (n *Names) StartedRunning() []TaskInfo {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []TaskInfo
	for id, t := range n.tasks {
		if ti := n.info(id, t); t.started && ti.Running() {
			out = append(out, ti)
		}
	}
	slices.SortFunc(out, func(a, b TaskInfo) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// RunningOn is a task seen running on server s of cluster clusterID: one
// that works on it, or on its zone. The newest wins.
func (n *Names) RunningOn(clusterID int64, s ocp.Server) (TaskInfo, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	var best *TaskInfo
	for id, t := range n.tasks {
		if t.outcome == "" || t.outcome.Ended() || (best != nil && id < best.ID) {
			continue
		}
		on := slices.Contains(t.serverIDs, s.ID) ||
			(len(t.serverIDs) != 1 && t.zone != "" && t.zone == s.ZoneName && t.clusterID == clusterID && clusterID != 0)
		if on {
			ti := n.info(id, t)
			best = &ti
		}
	}
	if best == nil {
		return TaskInfo{}, false
	}
	return *best, true
}

// Completions are the command line's completions from what was read:
// "cluster NAME", "zone CLUSTER/ZONE", "server IP:PORT" (at most
// maxServers) and "task ID" for the newest maxTasksShown tasks, sorted.
func (n *Names) Completions(maxServers, maxTasksShown int) []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []string
	for id, name := range n.clusters {
		out = append(out, "cluster "+name)
		for z := range n.zones[id] {
			out = append(out, "zone "+name+"/"+z)
		}
	}
	servers := 0
	for id := range n.servers {
		if servers == maxServers {
			break
		}
		servers++
		out = append(out, "server "+n.address(id))
	}
	ids := make([]int64, 0, len(n.tasks))
	for id := range n.tasks {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for i := len(ids) - 1; i >= 0 && len(ids)-i <= maxTasksShown; i-- {
		out = append(out, "task "+strconv.FormatInt(ids[i], 10))
	}
	slices.SortFunc(out, naturalCompare)
	return out
}

// StepName is the name of a task's step, "" when not seen.
func (n *Names) StepName(taskID, stepID int64) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if t, ok := n.tasks[taskID]; ok {
		return t.steps[stepID]
	}
	return ""
}

// TaskSubject names task id (and its step, when stepID != 0) for the
// journal: cluster, zone, server and step by name where known.
func (n *Names) TaskSubject(id, stepID int64) Subject {
	ti, _ := n.Task(id)
	s := Subject{Cluster: ti.Cluster, Zone: ti.Zone}
	if len(ti.Servers) == 1 {
		s.Server = ti.Servers[0]
	}
	if stepID != 0 {
		s.Step = n.StepName(id, stepID)
	}
	return s
}

func (n *Names) serverSubject(clusterID, serverID int64) Subject {
	n.mu.Lock()
	defer n.mu.Unlock()
	return Subject{Cluster: n.clusters[clusterID], Zone: n.servers[serverID].zone, Server: n.address(serverID)}
}

// LearnClusters records the clusters read (store.Learner).
func (n *Names) LearnClusters(cs []ocp.Cluster) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, c := range cs {
		if c.Name != "" {
			n.clusters[c.ID] = c.Name
		}
		for _, z := range c.Zones {
			n.zone(c.ID, z.Name)
		}
	}
}

func (n *Names) zone(clusterID int64, name string) {
	if name == "" || clusterID == 0 {
		return
	}
	zs := n.zones[clusterID]
	if zs == nil {
		zs = map[string]bool{}
		n.zones[clusterID] = zs
	}
	zs[name] = true
}

// LearnServers records the servers read (store.Learner).
func (n *Names) LearnServers(ss []ocp.Server) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.learnServersLocked(ss)
}

func (n *Names) learnServersLocked(ss []ocp.Server) {
	for _, s := range ss {
		// Assigning the same value again is cheap; 10,000 servers a
		// refresh cost well under a millisecond.
		n.servers[s.ID] = serverName{ip: s.IP, port: s.Port, zone: s.ZoneName, clusterID: s.ClusterID, status: s.Status}
		n.zone(s.ClusterID, s.ZoneName)
	}
}

// LearnZones records a cluster's zones read, with their servers
// (store.Learner).
func (n *Names) LearnZones(clusterID int64, zs []ocp.Zone) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, z := range zs {
		n.zone(clusterID, z.Name)
		n.learnServersLocked(z.Servers)
	}
}

// learnTask records what t says, keeping what earlier answers said where
// this one is silent (task details carry neither cluster nor context).
func (n *Names) learnTask(t *ocp.Task, steps bool) *taskName {
	if t == nil || t.ID == 0 {
		return nil
	}
	e, ok := n.tasks[t.ID]
	if !ok {
		if len(n.tasks) >= maxTasks {
			n.forget()
		}
		e = &taskName{}
		n.tasks[t.ID] = e
	}
	e.name = cmp.Or(t.Name, e.name)
	e.clusterID = cmp.Or(t.ClusterID, e.clusterID)
	e.cluster = cmp.Or(t.ClusterName(), e.cluster)
	e.zone = cmp.Or(t.ZoneName(), e.zone)
	if ids := t.ServerIDs(); len(ids) > 0 {
		e.serverIDs = ids
	}
	if t.Status != "" {
		e.outcome = t.Outcome()
	}
	if steps && len(t.Subtasks) > 0 {
		e.steps = make(map[int64]string, len(t.Subtasks))
		for _, s := range t.Subtasks {
			e.steps[s.ID] = s.Name
		}
	}
	return e
}

// forget drops half of the tasks this operator did not start.
func (n *Names) forget() {
	drop := len(n.tasks) / 2
	for id, t := range n.tasks {
		if drop == 0 {
			return
		}
		if !t.started {
			delete(n.tasks, id)
			drop--
		}
	}
}

// LearnTasks records the tasks read, with their steps' names when steps
// (store.Learner).
func (n *Names) LearnTasks(ts []ocp.Task, steps bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for i := range ts {
		n.learnTask(&ts[i], steps)
	}
}

// started records a task this operator started (or set running again) on
// subj's target.
func (n *Names) started(t *ocp.Task, taskID, clusterID int64, zone string, serverID int64, subj Subject) {
	n.mu.Lock()
	defer n.mu.Unlock()
	var e *taskName
	if t != nil {
		e = n.learnTask(t, false)
	}
	if e == nil {
		if e = n.tasks[taskID]; e == nil {
			e = &taskName{}
			n.tasks[taskID] = e
		}
	}
	e.started = true
	e.clusterID = cmp.Or(e.clusterID, clusterID)
	e.cluster = cmp.Or(e.cluster, subj.Cluster)
	e.zone = cmp.Or(e.zone, zone)
	if len(e.serverIDs) == 0 && serverID != 0 {
		e.serverIDs = []int64{serverID}
	}
	if t == nil || t.Status == "" || t.Status.Ended() {
		// Asked to run again: running until a read says otherwise.
		e.outcome = ocp.OutcomeRunning
	}
}
