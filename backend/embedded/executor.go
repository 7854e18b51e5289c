package embedded

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/obconsole/obconsole/backend"
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
	// Background makes New return before the fleet is read and laid out
	// (a file of 100,000 servers takes a tenth of a second or more): every
	// call waits for it, and Ready says when it is there. A console can so
	// draw its first frame at once.
	Background bool
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
	// loaded is closed once the fleet is laid out, or loadErr says why
	// it could not be (Options.Background).
	loaded  chan struct{}
	loadErr error
}

// idKey is a task's or subtask's id as the drill's randomness reads it:
// relative to the run's first, so the same seed replays the same drill
// whatever the first id.
func (e *Executor) idKey(id int64) uint64 { return uint64(id - e.idShift) }

var _ backend.Executor = (*Executor)(nil)

// New builds an executor. A bad fleet file or scenario is an error of kind
// BadRequest whose message names the problem; with Options.Background a
// fleet that cannot be loaded is that error from every call instead.
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
	fleet := func() (*Fleet, error) { f := DemoFleet(); return f, f.normalize("") }
	var gen *FleetSize
	given := 0
	for _, set := range []bool{opts.Fleet != nil, opts.FleetFile != "", opts.Generate != nil} {
		given += boolInt(set)
	}
	switch {
	case given > 1:
		return nil, &backend.Error{Kind: backend.BadRequest, Op: "start embedded executor", Message: errFleetConflict.Error(), Err: errFleetConflict}
	case opts.Generate != nil:
		size := *opts.Generate
		if err := size.check(); err != nil {
			return nil, &backend.Error{Kind: backend.BadRequest, Op: "load fleet", Message: err.Error(), Err: err}
		}
		label = fmt.Sprintf("embedded generated fleet (%v)", size)
		fleet = nil
		gen = &size
	case opts.FleetFile != "":
		fleet = func() (*Fleet, error) { return LoadFleetFile(opts.FleetFile) }
		label = "embedded fleet " + opts.FleetFile
	case opts.Fleet != nil:
		given := opts.Fleet.clone() // now: the caller may change theirs once New returns
		fleet = func() (*Fleet, error) { return given, given.normalize("") }
		label = "embedded fleet"
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
		loaded:      make(chan struct{}),
	}
	now := clock.Now()
	e.epoch = now.Round(0)
	if opts.Background {
		go e.load(fleet, gen, now)
		return e, nil
	}
	e.load(fleet, gen, now)
	if e.loadErr != nil {
		return nil, e.loadErr
	}
	return e, nil
}

// load reads, checks and lays out the fleet: generated when gen is set,
// else the one fleet returns; ages are counted back from now.
func (e *Executor) load(fleet func() (*Fleet, error), gen *FleetSize, now time.Time) {
	defer close(e.loaded)
	if gen != nil {
		e.generate(*gen, now)
		return
	}
	f, err := fleet()
	if err != nil {
		e.loadErr = &backend.Error{Kind: backend.BadRequest, Op: "load fleet", Message: err.Error(), Err: err}
		return
	}
	e.build(f, now)
}

// Ready waits until the fleet is loaded (at once without
// Options.Background) and returns the error of a fleet that could not be.
func (e *Executor) Ready(ctx context.Context) error { return e.enter(ctx, "load fleet") }

// enter is how every call begins: the caller's context must still be
// live, and the fleet loaded.
func (e *Executor) enter(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return &backend.Error{Kind: backend.Canceled, Op: op, Err: err}
	}
	select {
	case <-e.loaded:
		return e.loadErr
	default:
	}
	select {
	case <-e.loaded:
		return e.loadErr
	case <-ctx.Done():
		return &backend.Error{Kind: backend.Canceled, Op: op, Message: "while the fleet was loading", Err: ctx.Err()}
	}
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

func errClosed(op string) error {
	return backend.Errorf(backend.Unavailable, op, "the embedded executor is closed")
}
