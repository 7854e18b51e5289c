package store

import (
	"context"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common/commontest"
)

// user is a screen that uses a fixed set of entries.
type user struct{ uses Uses }

func (u user) Uses() Uses { return u.uses }

// taskExec answers one task, counting GetTask and actions.
type taskExec struct {
	*commontest.Fake
	mu     sync.Mutex
	status ocp.TaskStatus
	gets   int
}

func (e *taskExec) GetTask(context.Context, int64) (*ocp.Task, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.gets++
	return &ocp.Task{ID: 7, Status: e.status}, nil
}

func (e *taskExec) RetryTask(context.Context, int64) (*ocp.Task, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.status = ocp.TaskRunning
	return nil, nil
}

func (e *taskExec) count() int { e.mu.Lock(); defer e.mu.Unlock(); return e.gets }

// run executes cmd and files every answer, as the root does.
func run(s *Store, cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case Msg:
			s.Apply(msg)
			queue = append(queue, s.Sync(true))
		case ActionMsg:
			queue = append(queue, s.Done(msg))
		}
	}
}

// One entry, one poller: a task two screens use is read once per tick,
// never twice at once, not again when shown within the interval, not at
// all once it ended, and again after an action set it running.
func TestOneReadPerEntryPerTick(t *testing.T) {
	exec := &taskExec{Fake: commontest.New(), status: ocp.TaskRunning}
	exec.SetLog("starting\n")
	s := New(Options{Read: exec, Refresh: time.Second})
	view := user{Uses{List: []Use{{Key: TaskKey(7), Every: 1}}}}
	log := user{Uses{List: []Use{{Key: TaskKey(7), Every: 3}, {Key: LogKey(7, 1), Every: 1}}, OnePerTick: true}}
	s.SetStack([]User{view, log}, 1)
	s.Watch(7)
	run(s, s.Show(true))
	if n := exec.count(); n != 1 {
		t.Fatalf("shown: %d GetTask, want 1", n)
	}
	tick := func() {
		cmd, _ := s.Tick(commontest.Epoch)
		run(s, cmd)
	}
	for i := 0; i < 6; i++ {
		tick()
	}
	if n := exec.count(); n != 3 {
		t.Fatalf("6 ticks under the log (the task every 3): %d GetTask, want 3", n)
	}
	s.SetStack([]User{view}, 0)
	run(s, s.Show(false))
	if n := exec.count(); n != 3 {
		t.Fatalf("uncovered within the interval: %d GetTask, want 3", n)
	}
	cmd, _ := s.Tick(commontest.Epoch)
	if again, _ := s.Tick(commontest.Epoch); again != nil {
		t.Fatal("a second read while one is on its way")
	}
	run(s, cmd)
	exec.mu.Lock()
	exec.status = ocp.TaskSuccessful
	exec.mu.Unlock()
	tick()
	ended := exec.count()
	for i := 0; i < 5; i++ {
		tick()
	}
	if n := exec.count(); n != ended {
		t.Fatalf("after the end: %d more GetTask", n-ended)
	}
	run(s, s.Do(Action{Kind: RetryTask, Task: 7}))
	if n := exec.count(); n != ended+1 {
		t.Fatalf("after a retry: %d GetTask, want one more", n-ended)
	}
	tick()
	if n := exec.count(); n != ended+2 {
		t.Fatalf("running again: %d GetTask, want polling again", n-ended)
	}
	if exec.status != ocp.TaskRunning {
		t.Fatal("the retry did not reach the executor")
	}
}

// A denial stops every poll until a probe works; the probe is the main
// read only.
func TestDenialStopsPollingUntilAProbeWorks(t *testing.T) {
	f := commontest.New()
	s := New(Options{Read: f, Refresh: time.Second})
	s.SetStack([]User{user{Uses{List: []Use{{Key: ClustersKey(), Every: 1}, {Key: ZonesKey(1), Every: 1}}}}}, 0)
	run(s, s.Show(true))
	f.SetListErr(&backend.Error{Kind: backend.Unauthorized, Op: "list clusters"})
	cmd, _ := s.Tick(commontest.Epoch)
	run(s, cmd)
	if s.Denial() == nil {
		t.Fatal("a 401 must stop polling")
	}
	reads := f.Reads()
	for i := 0; i < 10; i++ {
		cmd, due := s.Tick(commontest.Epoch)
		if due || cmd != nil {
			t.Fatal("a tick polled while denied")
		}
	}
	f.SetListErr(nil)
	run(s, s.Refresh())
	if got := f.Reads() - reads; got != 1 || s.Denial() != nil {
		t.Fatalf("the probe: %d reads (want 1), denial %v", got, s.Denial())
	}
}
