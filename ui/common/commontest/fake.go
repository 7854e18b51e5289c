// Package commontest holds a small, deterministic in-memory Executor for
// the console's tests: a fixed fleet, a settable clock, injectable errors,
// and a record of every mutating call so tests can count requests.
package commontest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// Epoch is the fake backend's default time.
var Epoch = time.Date(2025, 3, 1, 3, 0, 0, 0, time.UTC)

// Call records one mutating request.
type Call struct {
	Op        string // "RestartServer", …
	ClusterID int64
	ServerID  int64
	Force     bool
}

// Fake is an in-memory backend.Executor. The zero value is not usable;
// build one with New or NewFleet. Safe for concurrent use.
type Fake struct {
	mu       sync.Mutex
	now      time.Time
	target   backend.Target
	clusters []ocp.Cluster
	zones    map[int64][]ocp.Zone
	servers  map[int64][]ocp.Server
	tasks    []ocp.Task
	calls    []Call
	reads    int
	nextTask int64

	listErr    error
	restartErr error
	block      chan struct{}
	log        *string // SubtaskLog's answer; nil: NotFound
}

// SetLog makes SubtaskLog answer text for every step.
func (f *Fake) SetLog(text string) { f.mu.Lock(); f.log = &text; f.mu.Unlock() }

// AddTask puts t first in the task list (newest first), as a task started
// elsewhere would be.
func (f *Fake) AddTask(t ocp.Task) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tasks = append([]ocp.Task{t}, f.tasks...)
}

// SetListErr makes every read fail with err (an unreachable backend);
// nil heals it.
func (f *Fake) SetListErr(err error) { f.mu.Lock(); f.listErr = err; f.mu.Unlock() }

// SetRestartErr makes RestartServer fail with err, after recording the call.
func (f *Fake) SetRestartErr(err error) { f.mu.Lock(); f.restartErr = err; f.mu.Unlock() }

// SetBlock makes RestartServer wait until ch is closed, so a test can press
// keys while the request is in flight.
func (f *Fake) SetBlock(ch chan struct{}) { f.mu.Lock(); f.block = ch; f.mu.Unlock() }

// New returns the demo fleet: protoss (PRIMARY), zerg (its STANDBY) and
// terran, whose zone3 server is UNAVAILABLE; three zones each, one to
// three servers per zone, addresses from the documentation ranges.
func New() *Fake {
	f := &Fake{now: Epoch, target: backend.Target{Kind: "embedded", Label: "test fleet"},
		zones: map[int64][]ocp.Zone{}, servers: map[int64][]ocp.Server{}, nextTask: 100}
	type spec struct {
		name   string
		typ    ocp.ClusterType
		net    string
		counts [3]int
	}
	specs := []spec{
		{"protoss", ocp.ClusterPrimary, "198.51.100.", [3]int{2, 3, 1}},
		{"zerg", ocp.ClusterStandby, "203.0.113.", [3]int{1, 1, 1}},
		{"terran", ocp.ClusterPrimary, "192.0.2.", [3]int{1, 2, 1}},
	}
	sid := int64(1000)
	for ci, sp := range specs {
		cid := int64(ci + 1)
		c := ocp.Cluster{ID: cid, Name: sp.name, ObClusterID: cid * 10, ObVersion: "4.2.1.2", Type: sp.typ,
			Status: ocp.ClusterRunning, RegionCount: 1}
		host := 10
		for zi := 0; zi < 3; zi++ {
			zname := "zone" + strconv.Itoa(zi+1)
			z := ocp.Zone{Name: zname, ClusterID: cid, RegionName: "cn-east", IDCName: "idc" + strconv.Itoa(zi+1),
				Status: ocp.ServerRunning, ServerCount: sp.counts[zi]}
			for k := 0; k < sp.counts[zi]; k++ {
				sid++
				host++
				s := ocp.Server{ID: sid, IP: sp.net + strconv.Itoa(host), Port: 2882, SQLPort: 2881,
					Version: "4.2.1.2", Status: ocp.ServerRunning, ClusterID: cid, ZoneName: zname,
					RegionName: z.RegionName, IDCName: z.IDCName,
					StartTime: ocp.NewTime(Epoch.Add(-time.Duration(sid%7+1) * 26 * time.Hour))}
				if k == 0 {
					s.WithRootserver = true
				}
				if sp.name == "terran" && zi == 2 {
					s.Status = ocp.ServerUnavailable
					z.Status = ocp.ServerUnavailable
				}
				f.servers[cid] = append(f.servers[cid], s)
			}
			f.zones[cid] = append(f.zones[cid], z)
			c.ServerCount += sp.counts[zi]
		}
		c.Zones = f.zones[cid]
		f.clusters = append(f.clusters, c)
	}
	f.tasks = []ocp.Task{
		doneTask(7, "Restart observer", ocp.TaskSuccessful, Epoch.Add(-3*time.Hour), 95*time.Second, "protoss"),
		doneTask(8, "Restart observer", ocp.TaskFailed, Epoch.Add(-time.Hour), 42*time.Second, "terran"),
	}
	return f
}

// NewFleet returns a fleet of one cluster "big" with n servers spread over
// three zones, for benchmarks.
func NewFleet(n int) *Fake {
	f := &Fake{now: Epoch, target: backend.Target{Kind: "embedded", Label: "big fleet"},
		zones: map[int64][]ocp.Zone{}, servers: map[int64][]ocp.Server{}, nextTask: 100}
	c := ocp.Cluster{ID: 1, Name: "big", ObVersion: "4.2.1.2", Type: ocp.ClusterPrimary, Status: ocp.ClusterRunning, ServerCount: n}
	for i := 0; i < n; i++ {
		z := "zone" + strconv.Itoa(i%3+1)
		f.servers[1] = append(f.servers[1], ocp.Server{ID: int64(i + 1),
			IP: fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255), Port: 2882, SQLPort: 2881,
			Version: "4.2.1.2", Status: ocp.ServerRunning, ClusterID: 1, ZoneName: z,
			StartTime: ocp.NewTime(Epoch.Add(-time.Hour))})
	}
	f.clusters = []ocp.Cluster{c}
	return f
}

func doneTask(id int64, name string, st ocp.TaskStatus, start time.Time, d time.Duration, cluster string) ocp.Task {
	return ocp.Task{ID: id, Name: name, Status: st, Type: ocp.TaskManual, ClusterID: 1,
		Context:   ocp.TaskContext{StringMap: map[string]string{"cluster_name": cluster}},
		StartTime: ocp.NewTime(start), FinishTime: ocp.NewTime(start.Add(d)), Subtasks: []ocp.Subtask{}}
}

// SetTaskStatus changes a task's status (a task ending).
func (f *Fake) SetTaskStatus(id int64, st ocp.TaskStatus) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.tasks {
		if f.tasks[i].ID == id {
			f.tasks[i].Status = st
		}
	}
}

// LastTaskID is the id of the last task a restart made.
func (f *Fake) LastTaskID() int64 { f.mu.Lock(); defer f.mu.Unlock(); return f.nextTask }

// SetNow moves the fake clock.
func (f *Fake) SetNow(t time.Time) { f.mu.Lock(); f.now = t; f.mu.Unlock() }

// Calls returns the mutating requests made so far.
func (f *Fake) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Call(nil), f.calls...)
}

// Reads counts read calls: lists, gets and logs.
func (f *Fake) Reads() int { f.mu.Lock(); defer f.mu.Unlock(); return f.reads }

// SetTarget replaces what Describe returns.
func (f *Fake) SetTarget(t backend.Target) { f.mu.Lock(); f.target = t; f.mu.Unlock() }

// SetServerStatus changes one server's status.
func (f *Fake) SetServerStatus(id int64, st ocp.ServerStatus) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for cid := range f.servers {
		for i := range f.servers[cid] {
			if f.servers[cid][i].ID == id {
				f.servers[cid][i].Status = st
			}
		}
	}
}

func (f *Fake) Describe() backend.Target { f.mu.Lock(); defer f.mu.Unlock(); return f.target }
func (f *Fake) Now() time.Time           { f.mu.Lock(); defer f.mu.Unlock(); return f.now }

func (f *Fake) read(ctx context.Context, op string) error {
	f.reads++
	if err := ctx.Err(); err != nil {
		return &backend.Error{Kind: backend.Canceled, Op: op, Err: err}
	}
	return f.listErr
}

func (f *Fake) ListClusters(ctx context.Context) ([]ocp.Cluster, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.read(ctx, "list clusters"); err != nil {
		return nil, err
	}
	return append([]ocp.Cluster{}, f.clusters...), nil
}

func (f *Fake) ListZones(ctx context.Context, clusterID int64) ([]ocp.Zone, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.read(ctx, "list zones"); err != nil {
		return nil, err
	}
	if _, ok := f.zones[clusterID]; !ok && f.servers[clusterID] == nil {
		return nil, backend.Errorf(backend.NotFound, "list zones", "cluster %d not found", clusterID)
	}
	// Each zone with its servers, as OCP's zone list carries them.
	out := append([]ocp.Zone{}, f.zones[clusterID]...)
	for i := range out {
		out[i].Servers = nil
		for _, s := range f.servers[clusterID] {
			if s.ZoneName == out[i].Name {
				out[i].Servers = append(out[i].Servers, s)
			}
		}
	}
	return out, nil
}

func (f *Fake) ListServers(ctx context.Context, clusterID int64, zone string) ([]ocp.Server, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.read(ctx, "list servers"); err != nil {
		return nil, err
	}
	out := []ocp.Server{}
	for _, s := range f.servers[clusterID] {
		if zone == "" || s.ZoneName == zone {
			out = append(out, s)
		}
	}
	return out, nil
}

func (f *Fake) RestartServer(ctx context.Context, clusterID, serverID int64, opts backend.RestartOptions) (*ocp.Task, error) {
	f.mu.Lock()
	f.calls = append(f.calls, Call{Op: "RestartServer", ClusterID: clusterID, ServerID: serverID, Force: opts.Force})
	block := f.block
	f.mu.Unlock()
	if block != nil {
		<-block
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.restartErr != nil {
		return nil, f.restartErr
	}
	f.nextTask++
	// As OCP's: the context names the server and its zone.
	zone := ""
	for _, s := range f.servers[clusterID] {
		if s.ID == serverID {
			zone = s.ZoneName
		}
	}
	t := ocp.Task{ID: f.nextTask, Name: "Restart observer", Status: ocp.TaskRunning, Type: ocp.TaskManual,
		ClusterID: clusterID, StartTime: ocp.NewTime(f.now), Subtasks: []ocp.Subtask{},
		Context: ocp.TaskContext{StringMap: map[string]string{"zone_name": zone,
			"server_id": strconv.FormatInt(serverID, 10), "force": strconv.FormatBool(opts.Force)},
			ListMap: map[string][]string{"server_ids": {strconv.FormatInt(serverID, 10)}}}}
	f.tasks = append([]ocp.Task{t}, f.tasks...)
	return &t, nil
}

func (f *Fake) RestartZone(ctx context.Context, clusterID int64, zone string, opts backend.RestartOptions) (*ocp.Task, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, Call{Op: "RestartZone", ClusterID: clusterID, Force: opts.Force})
	return nil, backend.Errorf(backend.BadRequest, "restart zone", "not supported by the test fake")
}

func (f *Fake) ListTasks(ctx context.Context, filter backend.TaskFilter) ([]ocp.Task, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.read(ctx, "list tasks"); err != nil {
		return nil, err
	}
	out := []ocp.Task{}
	for _, t := range f.tasks {
		if filter.Limit > 0 && len(out) == filter.Limit {
			break
		}
		if (filter.ClusterID == 0 || t.ClusterID == filter.ClusterID) &&
			(len(filter.Status) == 0 || slices.Contains(filter.Status, t.Status)) {
			out = append(out, t)
		}
	}
	return out, nil
}

func (f *Fake) GetTask(ctx context.Context, id int64) (*ocp.Task, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.read(ctx, "get task"); err != nil {
		return nil, err
	}
	for _, t := range f.tasks {
		if t.ID == id {
			return &t, nil
		}
	}
	return nil, backend.Errorf(backend.NotFound, "get task", "task %d not found", id)
}

func (f *Fake) SubtaskLog(ctx context.Context, taskID, subtaskID int64) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.read(ctx, "subtask log"); err != nil {
		return "", err
	}
	if f.log == nil {
		return "", backend.Errorf(backend.NotFound, "subtask log", "no log")
	}
	return *f.log, nil
}

func (f *Fake) mutate(op string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, Call{Op: op})
	return backend.Errorf(backend.BadRequest, op, "not supported by the test fake")
}

func (f *Fake) RetryTask(ctx context.Context, id int64) (*ocp.Task, error) {
	return nil, f.mutate("RetryTask")
}
func (f *Fake) RollbackTask(ctx context.Context, id int64) (*ocp.Task, error) {
	return nil, f.mutate("RollbackTask")
}
func (f *Fake) RetrySubtask(ctx context.Context, t, s int64) (*ocp.Subtask, error) {
	return nil, f.mutate("RetrySubtask")
}
func (f *Fake) SkipSubtask(ctx context.Context, t, s int64) error   { return f.mutate("SkipSubtask") }
func (f *Fake) CancelSubtask(ctx context.Context, t, s int64) error { return f.mutate("CancelSubtask") }

var _ backend.Executor = (*Fake)(nil)
