package store

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common/commontest"
)

// gate is an executor whose GetTask waits for a release, counting calls.
type gate struct {
	*commontest.Fake
	mu      sync.Mutex
	gets    int
	release chan struct{}
	entered chan struct{} // gets a value as each GetTask starts, when not nil
}

func (g *gate) GetTask(ctx context.Context, id int64) (*ocp.Task, error) {
	g.mu.Lock()
	g.gets++
	g.mu.Unlock()
	if g.entered != nil {
		g.entered <- struct{}{}
	}
	if g.release != nil {
		<-g.release
	}
	return &ocp.Task{ID: id, Status: ocp.TaskRunning}, nil
}

func (g *gate) count() int { g.mu.Lock(); defer g.mu.Unlock(); return g.gets }

// Twenty sessions asking for one task at once cost one GetTask: the others
// wait for its answer; within the maximum age they read it from the cache;
// after it, the next asks again.
func TestSharedSingleFlightAndMaxAge(t *testing.T) {
	g := &gate{Fake: commontest.New(), release: make(chan struct{})}
	sh := NewShared(time.Second)
	now := commontest.Epoch
	var mu sync.Mutex
	sh.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	readers := make([]*Reader, 20)
	for i := range readers {
		readers[i] = &Reader{exec: g, shared: sh}
	}
	var wg sync.WaitGroup
	started := make(chan struct{}, len(readers))
	for _, r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			started <- struct{}{}
			if _, err := r.Task(context.Background(), 7); err != nil {
				t.Error(err)
			}
		}()
	}
	for range readers {
		<-started
	}
	close(g.release)
	wg.Wait()
	if n := g.count(); n != 1 {
		t.Fatalf("20 sessions made %d GetTask, want 1", n)
	}
	if _, err := readers[3].Task(context.Background(), 7); err != nil || g.count() != 1 {
		t.Fatalf("within the maximum age: %d GetTask, err %v", g.count(), err)
	}
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	if _, _ = readers[5].Task(context.Background(), 7); g.count() != 2 {
		t.Fatalf("after the maximum age: %d GetTask, want 2", g.count())
	}
	sh.Forget(func(k Key) bool { return k == TaskKey(7) })
	if _, _ = readers[5].Task(context.Background(), 7); g.count() != 3 {
		t.Fatalf("after Forget: %d GetTask, want 3", g.count())
	}
	if sh.Fetches() != 3 {
		t.Errorf("Fetches %d, want 3", sh.Fetches())
	}
}

// A caller whose context ends stops waiting; the fetch goes on for the
// others.
func TestSharedWaiterGivesUp(t *testing.T) {
	g := &gate{Fake: commontest.New(), release: make(chan struct{}), entered: make(chan struct{}, 1)}
	sh := NewShared(time.Second)
	r := &Reader{exec: g, shared: sh}
	done := make(chan error, 1)
	go func() { _, err := r.Task(context.Background(), 7); done <- err }()
	<-g.entered
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Task(ctx, 7); err == nil {
		t.Fatal("a cancelled waiter got an answer")
	}
	close(g.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// A mutation forgets what it changes: a restart its cluster's zones and
// servers, every task list and the cluster list (not another cluster's
// servers); a task's action the task and every task list.
func TestSharedChangedForgetsWhatAMutationChanges(t *testing.T) {
	sh := NewShared(time.Hour)
	keys := []Key{ClustersKey(), ZonesKey(1), ServersKey(1, ""), ServersKey(1, "zone1"), ServersKey(2, ""),
		TasksKey(TaskQuery{Cluster: 2}), TaskKey(7), TaskKey(8), LogKey(7, 1)}
	fill := func() {
		for _, k := range keys {
			_, _ = sh.servers.get(context.Background(), sh, k, func(context.Context) ([]ocp.Server, error) { return nil, nil })
		}
	}
	left := func() []Key {
		var out []Key
		for _, k := range keys {
			if _, ok := sh.servers.m[k]; ok {
				out = append(out, k)
			}
		}
		return out
	}
	fill()
	sh.Changed(1, 0)
	if got, want := left(), []Key{ServersKey(2, ""), TaskKey(7), TaskKey(8), LogKey(7, 1)}; !slices.Equal(got, want) {
		t.Errorf("after a restart on cluster 1 kept %v, want %v", got, want)
	}
	fill()
	sh.Changed(0, 7)
	if got, want := left(), []Key{ClustersKey(), ZonesKey(1), ServersKey(1, ""), ServersKey(1, "zone1"), ServersKey(2, ""), TaskKey(8)}; !slices.Equal(got, want) {
		t.Errorf("after an action on task 7 kept %v, want %v", got, want)
	}
}

// A console polling alone reads anew on every tick, however long the
// answer took and however early its next tick comes: an answer one tick
// old is never served to it (it would show data two intervals old).
func TestSharedAloneReadsEveryTick(t *testing.T) {
	var mu sync.Mutex
	now := commontest.Epoch
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	slow := &slowTask{Fake: commontest.New(), took: func() { advance(300 * time.Millisecond) }}
	sh := NewShared(time.Second)
	sh.SetClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	r := &Reader{exec: slow, shared: sh}
	for tick := range 5 {
		if _, err := r.Task(context.Background(), 7); err != nil {
			t.Fatal(err)
		}
		if got := sh.Fetches(); got != int64(tick+1) {
			t.Fatalf("tick %d: %d fetches, want one a tick", tick, got)
		}
		// The next tick comes an interval after this one, a little early;
		// the answer took 300 ms of it.
		advance(time.Second - 300*time.Millisecond - 20*time.Millisecond)
	}
}

// slowTask's GetTask takes time on the test's clock.
type slowTask struct {
	*commontest.Fake
	took func()
}

func (s *slowTask) GetTask(ctx context.Context, id int64) (*ocp.Task, error) {
	s.took()
	return &ocp.Task{ID: id, Status: ocp.TaskRunning}, nil
}
