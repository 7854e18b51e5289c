package store

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/obconsole/obconsole/backend/ocp"
)

// Shared is the layer several consoles read through when they share one
// executor (obconsole ssh runs a console per session): a goroutine-safe
// cache with one fetch per resource at a time (single flight) and a
// maximum age, the refresh interval. Twenty sessions watching one task
// then cost about one GetTask per interval, not twenty: the first session
// whose poll comes due asks OCP, the others read its answer (or wait for
// it while it is on its way).
//
// Build one per process with NewShared and give it to every console
// (common.Context.UseShared); each console's Store keeps its own entries,
// polling and screens, and reads through it. Mutations are never cached:
// they go to the executor and forget what they change.
type Shared struct {
	maxAge time.Duration
	now    func() time.Time // wall time (answers age in it)

	clusters cache[[]ocp.Cluster]
	zones    cache[[]ocp.Zone]
	servers  cache[[]ocp.Server]
	tasks    cache[[]ocp.Task]
	task     cache[*ocp.Task]
	logs     cache[string]

	fetches atomic.Int64
}

// NewShared builds the shared layer; give maxAge the consoles' refresh
// interval. An answer is served from the cache while younger than nine
// tenths of it, counted from when its fetch began: a console polling
// alone then reads anew on every tick, however long the answer took and
// however its ticks jitter (served an answer one tick old, it would show
// data up to two intervals old); many consoles cost one read per
// interval, a little more at most.
func NewShared(maxAge time.Duration) *Shared {
	return &Shared{maxAge: maxAge - maxAge/10, now: time.Now}
}

// SetClock replaces the wall clock answers age in (tests).
func (s *Shared) SetClock(now func() time.Time) { s.now = now }

// Fetches counts the reads that went to the executor.
func (s *Shared) Fetches() int64 { return s.fetches.Load() }

// Forget drops the cached answers whose key match reports, so the next
// read asks OCP: a mutation forgets what it changes.
func (s *Shared) Forget(match func(Key) bool) {
	s.clusters.forget(match)
	s.zones.forget(match)
	s.servers.forget(match)
	s.tasks.forget(match)
	s.task.forget(match)
	s.logs.forget(match)
}

// Changed forgets what a mutation changes, before anyone hears of it: a
// task's action (task not 0) changes the task and every task list; a
// restart of cluster's server or zone changes its zones and servers, every
// task list and the cluster list. The console's store calls it when an
// action's answer comes; obconsole ssh's session executor calls it before
// the other sessions are told, so a dialog that checks again on hearing
// of it reads the new task, not the cached list without it.
func (s *Shared) Changed(cluster, task int64) {
	if task != 0 {
		s.Forget(func(k Key) bool { return k.Task == task || k.Kind == KindTasks })
		return
	}
	s.Forget(func(k Key) bool {
		return (k.Kind == KindServers || k.Kind == KindZones) && k.Cluster == cluster || k.Kind == KindTasks || k.Kind == KindClusters
	})
}

// cache is one resource type's answers by key.
type cache[T any] struct {
	mu      sync.Mutex
	m       map[Key]*cached[T]
	inserts int
}

// cached is one answer, or one fetch on its way (done not closed yet).
type cached[T any] struct {
	done chan struct{}
	at   time.Time // when its fetch began
	val  T
	err  error
}

// sweepEvery is how many new entries pass between sweeps of the expired.
const sweepEvery = 256

// get returns key's answer: the cached one while younger than the maximum
// age, the one on its way, or a new fetch's. The fetch runs detached from
// the caller's context (other sessions may wait for it); a caller whose
// context ends stops waiting.
func (c *cache[T]) get(ctx context.Context, s *Shared, key Key, fetch func(context.Context) (T, error)) (T, error) {
	c.mu.Lock()
	if e, ok := c.m[key]; ok {
		select {
		case <-e.done:
			if s.now().Sub(e.at) < s.maxAge {
				c.mu.Unlock()
				return e.val, e.err
			}
		default:
			c.mu.Unlock()
			select {
			case <-e.done:
				return e.val, e.err
			case <-ctx.Done():
				var zero T
				return zero, ctx.Err()
			}
		}
	}
	if c.m == nil {
		c.m = map[Key]*cached[T]{}
	}
	e := &cached[T]{done: make(chan struct{})}
	c.m[key] = e
	c.inserts++
	if c.inserts%sweepEvery == 0 {
		c.sweep(s)
	}
	c.mu.Unlock()
	s.fetches.Add(1)
	began := s.now()
	e.val, e.err = fetch(context.WithoutCancel(ctx))
	e.at = began
	close(e.done)
	return e.val, e.err
}

// sweep drops expired answers (c.mu held).
func (c *cache[T]) sweep(s *Shared) {
	now := s.now()
	for k, e := range c.m {
		select {
		case <-e.done:
			if now.Sub(e.at) >= s.maxAge {
				delete(c.m, k)
			}
		default:
		}
	}
}

func (c *cache[T]) forget(match func(Key) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.m {
		if match(k) {
			delete(c.m, k)
		}
	}
}
