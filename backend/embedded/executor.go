package embedded

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
)

// Options configure New. The zero value is the demo fleet, healthy, on the
// real clock at speed 1, seed 0.
type Options struct {
	// Clock drives all simulated time; nil means a real clock at Speed.
	Clock Clock
	// Speed is how many times faster than wall time the real clock runs
	// (0 means 1): from MinSpeed to MaxSpeed, checked even when Clock is
	// set and it is not used.
	Speed float64
	// Scenario is the drill for every restart (see Scenario); a server's
	// own scenario in the fleet overrides it.
	Scenario string
	// FleetFile is a YAML or JSON fleet replacing the demo fleet.
	FleetFile string
	// Fleet is a fleet given in code (copied, never modified).
	Fleet *Fleet
	// Generate replaces the demo fleet with the healthy fleet
	// GenerateFleet describes, built directly: 100,000 servers are up in
	// a few tens of milliseconds (for drills and measurements at scale).
	Generate *FleetSize
	// Seed makes step durations and details reproducible.
	Seed int64
	// FirstTaskID numbers the run's first task; later tasks follow it, and
	// subtasks follow FirstTaskID+3444 as in OCP's sample. 0 means the
	// documented sample's 89027028 (tests and goldens match the sample).
	// Processes that share a journal give each run its own (RunTaskIDs),
	// so ids of different runs do not collide. Durations, pids and other
	// details depend on ids relative to it, so a seed replays the same
	// drill whatever the first id.
	FirstTaskID int64
}

// The documented sample's ids: its task, and its first subtask.
const (
	sampleTaskID    = 89027028
	sampleSubtaskID = 89030472
)

// maxFirstTaskID keeps every id of a run below 2^53, where JSON readers
// that hold numbers as doubles (JavaScript, jq) still read them exactly.
const maxFirstTaskID = 1<<53 - 1<<40

// RunTaskIDs is the FirstTaskID for a run started at start: its Unix time
// in milliseconds (1764362865123 for 2025-11-28 20:47:45.123 UTC). Runs
// started a millisecond apart differ; a run would have to start more
// tasks than the milliseconds between the two starts to meet the next
// run's ids.
func RunTaskIDs(start time.Time) int64 { return start.UnixMilli() }

// executorAddress is the simulated OCP server that runs the tasks.
const executorAddress = "198.51.100.200"

// Executor is the simulated OCP. It is safe for concurrent use.
type Executor struct {
	clock    Clock
	seed     uint64
	scenario Scenario
	label    string

	mu          sync.Mutex
	closed      bool
	clusters    []*cluster
	clusterByID map[int64]*cluster
	byID        []*server // every server, by id
	tasks       []*task   // creation order
	taskByID    map[int64]*task
	nextTaskID  int64
	nextSubID   int64
	// idShift is how far this run's ids are from the sample's: the drill's
	// randomness reads ids less it (idKey).
	idShift int64
	// epoch is the time server stamps count from.
	epoch time.Time
}

// idKey is a task's or subtask's id as the drill's randomness reads it:
// relative to the run's first, so the same seed replays the same drill
// whatever the first id.
func (e *Executor) idKey(id int64) uint64 { return uint64(id - e.idShift) }

var _ backend.Executor = (*Executor)(nil)

// New builds an executor. A bad fleet file or scenario is an error of kind
// BadRequest whose message names the problem.
func New(opts Options) (*Executor, error) {
	if err := CheckSpeed(opts.Speed); err != nil {
		return nil, &backend.Error{Kind: backend.BadRequest, Op: "start embedded executor", Message: err.Error(), Err: err}
	}
	first := opts.FirstTaskID
	if first == 0 {
		first = sampleTaskID
	}
	if first < 0 || first > maxFirstTaskID {
		return nil, backend.Errorf(backend.BadRequest, "start embedded executor", "first task id %d: want 1 to %d", first, int64(maxFirstTaskID))
	}
	sc, err := ParseScenario(opts.Scenario)
	if err != nil {
		return nil, &backend.Error{Kind: backend.BadRequest, Op: "start embedded executor", Message: err.Error(), Err: err}
	}
	label := "embedded demo fleet"
	var fleet *Fleet
	given := 0
	for _, set := range []bool{opts.Fleet != nil, opts.FleetFile != "", opts.Generate != nil} {
		given += boolInt(set)
	}
	switch {
	case given > 1:
		return nil, &backend.Error{Kind: backend.BadRequest, Op: "start embedded executor", Message: errFleetConflict.Error(), Err: errFleetConflict}
	case opts.Generate != nil:
		err = opts.Generate.check()
		label = fmt.Sprintf("embedded generated fleet (%v)", *opts.Generate)
	case opts.FleetFile != "":
		fleet, err = LoadFleetFile(opts.FleetFile)
		label = "embedded fleet " + opts.FleetFile
	case opts.Fleet != nil:
		fleet = opts.Fleet.clone()
		err = fleet.normalize("")
		label = "embedded fleet"
	default:
		fleet = DemoFleet()
		err = fleet.normalize("")
	}
	if err != nil {
		return nil, &backend.Error{Kind: backend.BadRequest, Op: "load fleet", Message: err.Error(), Err: err}
	}
	if !sc.Healthy() {
		label += " (scenario " + sc.String() + ")"
	}
	clock := opts.Clock
	if clock == nil {
		clock = NewRealClock(time.Time{}, opts.Speed)
	}
	e := &Executor{
		clock:       clock,
		seed:        uint64(opts.Seed),
		scenario:    sc,
		label:       label,
		clusterByID: map[int64]*cluster{},
		taskByID:    map[int64]*task{},
		nextTaskID:  first,
		nextSubID:   first + (sampleSubtaskID - sampleTaskID),
		idShift:     first - sampleTaskID,
	}
	now := clock.Now()
	e.epoch = now.Round(0)
	if opts.Generate != nil {
		e.generate(*opts.Generate, now)
	} else {
		e.build(fleet, now)
	}
	return e, nil
}

// Clock is the executor's clock (a *FakeClock in tests).
func (e *Executor) Clock() Clock { return e.clock }

// Close stops all pending step timers; running tasks freeze where they are.
// Mutating calls after Close return Unavailable; reads keep working.
func (e *Executor) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.closed = true
	for _, t := range e.tasks {
		for i := range t.steps {
			if tm := t.steps[i].timer; tm != nil {
				tm.Stop()
				t.steps[i].timer = nil
			}
		}
	}
}

func (e *Executor) Describe() backend.Target {
	return backend.Target{Kind: "embedded", Label: e.label}
}

func (e *Executor) Now() time.Time { return e.clock.Now() }

func ctxErr(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return &backend.Error{Kind: backend.Canceled, Op: op, Err: err}
	}
	return nil
}

func (e *Executor) ListClusters(ctx context.Context) ([]ocp.Cluster, error) {
	if err := ctxErr(ctx, "list clusters"); err != nil {
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
	if err := ctxErr(ctx, op); err != nil {
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
	if err := ctxErr(ctx, op); err != nil {
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

func (e *Executor) RestartServer(ctx context.Context, clusterID, serverID int64, opts backend.RestartOptions) (*ocp.Task, error) {
	op := fmt.Sprintf("restart server %d", serverID)
	unlock, err := e.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer unlock()
	c, err := e.findCluster(op, clusterID)
	if err != nil {
		return nil, err
	}
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
}

func (e *Executor) RestartZone(ctx context.Context, clusterID int64, zoneName string, opts backend.RestartOptions) (*ocp.Task, error) {
	op := fmt.Sprintf("restart zone %s", zoneName)
	unlock, err := e.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer unlock()
	c, err := e.findCluster(op, clusterID)
	if err != nil {
		return nil, err
	}
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
}

// defaultTaskLimit bounds ListTasks when the filter sets no limit.
const defaultTaskLimit = 1000

func (e *Executor) ListTasks(ctx context.Context, f backend.TaskFilter) ([]ocp.Task, error) {
	if err := ctxErr(ctx, "list tasks"); err != nil {
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
	if err := ctxErr(ctx, op); err != nil {
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
	if err := ctxErr(ctx, op); err != nil {
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

func (e *Executor) RetryTask(ctx context.Context, taskID int64) (*ocp.Task, error) {
	return e.onTask(ctx, fmt.Sprintf("retry task %d", taskID), taskID, e.retryTask)
}

func (e *Executor) RollbackTask(ctx context.Context, taskID int64) (*ocp.Task, error) {
	return e.onTask(ctx, fmt.Sprintf("roll back task %d", taskID), taskID, e.rollbackTask)
}

func (e *Executor) RetrySubtask(ctx context.Context, taskID, subtaskID int64) (*ocp.Subtask, error) {
	return e.onSubtask(ctx, fmt.Sprintf("retry subtask %d", subtaskID), taskID, subtaskID, e.retrySubtask)
}

func (e *Executor) SkipSubtask(ctx context.Context, taskID, subtaskID int64) error {
	_, err := e.onSubtask(ctx, fmt.Sprintf("skip subtask %d", subtaskID), taskID, subtaskID, e.skipSubtask)
	return err
}

func (e *Executor) CancelSubtask(ctx context.Context, taskID, subtaskID int64) error {
	_, err := e.onSubtask(ctx, fmt.Sprintf("cancel subtask %d", subtaskID), taskID, subtaskID, e.cancelSubtask)
	return err
}

// onTask runs one operation on a task under the lock, after the checks
// every operation shares (the caller's context, a closed executor, an
// unknown task), and returns a copy of the task as it is afterwards.
func (e *Executor) onTask(ctx context.Context, op string, taskID int64, do func(op string, t *task, at time.Time) error) (*ocp.Task, error) {
	unlock, err := e.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer unlock()
	t, err := e.findTask(op, taskID)
	if err != nil {
		return nil, err
	}
	if err := do(op, t, e.clock.Now()); err != nil {
		return nil, err
	}
	out := taskCopy(&t.w, true)
	return &out, nil
}

// onSubtask is onTask for an operation on one subtask.
func (e *Executor) onSubtask(ctx context.Context, op string, taskID, subtaskID int64, do func(op string, t *task, i int, at time.Time) error) (*ocp.Subtask, error) {
	unlock, err := e.begin(ctx, op)
	if err != nil {
		return nil, err
	}
	defer unlock()
	t, i, err := e.findSubtask(op, taskID, subtaskID)
	if err != nil {
		return nil, err
	}
	if err := do(op, t, i, e.clock.Now()); err != nil {
		return nil, err
	}
	out := subtaskCopy(&t.w.Subtasks[i])
	return &out, nil
}

// begin starts a change: it checks the caller's context, takes the lock
// and refuses a closed executor. On success the caller must unlock.
func (e *Executor) begin(ctx context.Context, op string) (unlock func(), err error) {
	if err := ctxErr(ctx, op); err != nil {
		return nil, err
	}
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil, errClosed(op)
	}
	return e.mu.Unlock, nil
}

func errClosed(op string) error {
	return backend.Errorf(backend.Unavailable, op, "the embedded executor is closed")
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
