package store

import (
	"context"
	"reflect"
	"slices"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// Store is one console's data: an entry per resource it shows, each with
// its data, freshness, error and read in flight, and one poller per entry
// (see schedule.go). Screens declare what they use (User.Uses); the root
// tells the store which screens are on its stack (SetStack, on every push
// and pop); the store polls what the shown screen uses, and the root
// hands each answer back (Apply) and a ChangedMsg to the screens that use
// it. Keys go the other way: a screen asks the store (Reload, an action),
// the store asks the executor.
//
// The Store is not safe for concurrent use: like a screen, it lives in
// the bubbletea loop; only its Cmds run elsewhere (through the Reader,
// and the Shared layer when there is one).
type Store struct {
	reader  *Reader
	exec    backend.Executor // mutations go here (named for the journal)
	refresh time.Duration
	base    func() context.Context
	slow    chan struct{} // bounds the slow reads running at once

	clusters *table[[]ocp.Cluster]
	zones    *table[[]ocp.Zone]
	servers  *table[[]ocp.Server]
	tasks    *table[[]ocp.Task]
	task     *table[*ocp.Task]
	logs     *table[string]
	health   *table[Health]

	users []User // the root's stack, bottom first
	shown int    // index of the shown user in users; -1: none
	own   Uses   // what the root itself uses (the status bar's counts)

	now   time.Time // the backend's time as of the last tick or answer
	tick  int
	owed  int // ticks the shown screen skips: reads it made between ticks
	fresh Freshness
	poll  pollState

	watched    map[int64]*watched
	watchOrder []int64
}

// Options build a Store.
type Options struct {
	// Read is the executor reads go to; Act the one actions go to (the
	// console's names them for the journal). Act nil: Read.
	Read, Act backend.Executor
	// Shared is read through when not nil (obconsole ssh: one per server).
	Shared *Shared
	// Learn is told what every read returned (the console's Names).
	Learn Learner
	// Refresh is the polling interval: one tick.
	Refresh time.Duration
	// Base is the context reads and actions run in (the console's
	// lifetime); nil: context.Background.
	Base func() context.Context
}

// slowReads bounds the slow reads (roll-ups) running at once.
const slowReads = 4

// New builds an empty store: nothing is read until a screen uses it.
func New(o Options) *Store {
	base := o.Base
	if base == nil {
		base = context.Background
	}
	if o.Act == nil {
		o.Act = o.Read
	}
	s := &Store{reader: &Reader{exec: o.Read, shared: o.Shared, learn: o.Learn}, exec: o.Act, refresh: o.Refresh,
		base: base, slow: make(chan struct{}, slowReads), shown: -1}
	s.clusters = newTable(func(ctx context.Context, r *Reader, _ Key, _ *claims) ([]ocp.Cluster, error) {
		return r.Clusters(ctx)
	})
	s.clusters.same, s.clusters.size = deepEqual[[]ocp.Cluster], length[ocp.Cluster]
	s.zones = newTable(func(ctx context.Context, r *Reader, k Key, _ *claims) ([]ocp.Zone, error) {
		return r.Zones(ctx, k.Cluster)
	})
	s.zones.same, s.zones.size = deepEqual[[]ocp.Zone], length[ocp.Zone]
	s.servers = newTable(func(ctx context.Context, r *Reader, k Key, _ *claims) ([]ocp.Server, error) {
		return r.Servers(ctx, k.Cluster, k.Zone)
	})
	s.servers.same, s.servers.size = sameServers, length[ocp.Server]
	s.tasks = newTable(func(ctx context.Context, r *Reader, k Key, c *claims) ([]ocp.Task, error) {
		return r.Tasks(ctx, k.Query, c)
	})
	s.tasks.same = deepEqual[[]ocp.Task]
	s.task = newTable(func(ctx context.Context, r *Reader, k Key, _ *claims) (*ocp.Task, error) {
		return r.Task(ctx, k.Task)
	})
	s.task.ended = func(t *ocp.Task) bool { return t != nil && t.Outcome().Ended() }
	s.logs = newTable(func(ctx context.Context, r *Reader, k Key, _ *claims) (string, error) {
		return r.Log(ctx, k.Task, k.Step)
	})
	s.logs.same = func(a, b string) bool { return a == b }
	s.health = newTable(func(ctx context.Context, r *Reader, k Key, _ *claims) (Health, error) {
		return r.Health(ctx, k.Cluster)
	})
	s.health.same = func(a, b Health) bool { return a == b }
	return s
}

// UseShared makes the store read through sh (nil: straight to the
// executor).
func (s *Store) UseShared(sh *Shared) { s.reader.shared = sh }

// Reader is the store's reader, for a screen's one-off reads in its own
// Cmd (the command line's lookups, a restart dialog's check).
func (s *Store) Reader() *Reader { return s.reader }

// Base is the context reads and actions run in.
func (s *Store) Base() context.Context { return s.base() }

// Now is the backend's time (call it inside a Cmd).
func (s *Store) Now() time.Time { return s.reader.exec.Now() }

// Interval is the polling interval, one tick.
func (s *Store) Interval() time.Duration { return s.refresh }

// Fresh is how long ago a read last worked (the status bar's age; a stale
// screen says the same).
func (s *Store) Fresh() Freshness { return s.fresh }

// FreshOf is how long ago k's last read worked: what a screen's stale
// banner says about the data it shows.
func (s *Store) FreshOf(k Key) Freshness {
	loaded, good := s.ops(k).good(k)
	return Freshness{ever: loaded, ticks: s.tick - good}
}

// Clusters is the cluster list and its state.
func (s *Store) Clusters() ([]ocp.Cluster, State) { return s.clusters.get(ClustersKey()) }

// Zones is a cluster's zone list (with its servers) and its state.
func (s *Store) Zones(cluster int64) ([]ocp.Zone, State) { return s.zones.get(ZonesKey(cluster)) }

// Servers is the server list of a cluster (zone "") or of one zone.
func (s *Store) Servers(cluster int64, zone string) ([]ocp.Server, State) {
	return s.servers.get(ServersKey(cluster, zone))
}

// Tasks is a task list.
func (s *Store) Tasks(q TaskQuery) ([]ocp.Task, State) { return s.tasks.get(TasksKey(q)) }

// Task is one task (nil before the first answer).
func (s *Store) Task(id int64) (*ocp.Task, State) { return s.task.get(TaskKey(id)) }

// Log is one subtask's log.
func (s *Store) Log(task, step int64) (string, State) { return s.logs.get(LogKey(task, step)) }

// Health is a cluster's servers counted.
func (s *Store) Health(cluster int64) (Health, State) { return s.health.get(HealthKey(cluster)) }

// State is k's state.
func (s *Store) State(k Key) State { return s.ops(k).state(k) }

// ops is the table of k's kind, seen through what every table does.
func (s *Store) ops(k Key) tableOps {
	switch k.Kind {
	case KindClusters:
		return s.clusters
	case KindZones:
		return s.zones
	case KindServers:
		return s.servers
	case KindTasks:
		return s.tasks
	case KindTask:
		return s.task
	case KindHealth:
		return s.health
	}
	return s.logs
}

// tableOps is what the scheduler does with any table.
type tableOps interface {
	state(k Key) State
	info(k Key) (sent int, stamp string, every int, ended bool, ok bool)
	request(s *Store, u Use, slow bool) tea.Cmd
	drop(k Key)
	good(k Key) (loaded bool, tick int)
}

func (t *table[T]) good(k Key) (bool, int) {
	if e, ok := t.m[k]; ok {
		return e.st.Loaded, e.good
	}
	return false, 0
}

func (t *table[T]) state(k Key) State { _, st := t.get(k); return st }

func (t *table[T]) info(k Key) (sent int, stamp string, every int, ended bool, ok bool) {
	e, ok := t.m[k]
	if !ok {
		return -1, "", 0, false, false
	}
	return e.sent, e.stamp, e.every, !e.revived && t.ended != nil && e.st.Loaded && e.st.Err == nil && t.ended(e.data), true
}

func (t *table[T]) drop(k Key) { delete(t.m, k) }

func deepEqual[T any](a, b T) bool { return reflect.DeepEqual(a, b) }

func length[E any](s []E) int { return len(s) }

// sameServers compares what a server row and the server detail draw: a
// refresh that changes nothing shown costs a comparison, not a rebuild.
func sameServers(a, b []ocp.Server) bool {
	return slices.EqualFunc(a, b, func(x, y ocp.Server) bool {
		return x.ID == y.ID && x.IP == y.IP && x.Port == y.Port && x.SQLPort == y.SQLPort &&
			x.ZoneName == y.ZoneName && x.Status == y.Status && x.Version == y.Version &&
			x.WithRootserver == y.WithRootserver && x.StartTime.Equal(y.StartTime.Time) &&
			x.InnerStatus == y.InnerStatus && x.RegionName == y.RegionName && x.IDCName == y.IDCName
	})
}
