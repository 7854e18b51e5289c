package main

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/cmd/obconsole/internal/sshd/sshdtest"
)

// countingExecutor counts GetTask calls, signalling each.
type countingExecutor struct {
	*embedded.Executor
	gets   atomic.Int64
	notify chan struct{}
}

func (c *countingExecutor) GetTask(ctx context.Context, id int64) (*ocp.Task, error) {
	c.gets.Add(1)
	select {
	case c.notify <- struct{}{}:
	default:
	}
	return c.Executor.GetTask(ctx, id)
}

// waitGets waits until at least n GetTask calls were made.
func (c *countingExecutor) waitGets(t *testing.T, n int64) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for c.gets.Load() < n {
		select {
		case <-c.notify:
		case <-deadline:
			t.Fatalf("%d GetTask calls, waited for %d", c.gets.Load(), n)
		}
	}
}

// Twenty sessions watching one task read it through the server's one
// shared layer: about one GetTask per refresh interval in all, not one per
// session. The shared layer serves an answer younger than nine tenths of
// the interval, so k calls take at least k-1 such spans; twenty sessions
// reading alone would make k calls in a twentieth of an interval each.
func TestSSHTwentySessionsCostOneReadPerInterval(t *testing.T) {
	t.Parallel()
	clock := embedded.NewFakeClock(cliStart)
	emb, err := embedded.New(embedded.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	cnt := &countingExecutor{Executor: emb, notify: make(chan struct{}, 1)}
	e := startSSH(t, cnt) // --refresh 100ms
	e.emb, e.clock = emb, clock
	const refresh = 100 * time.Millisecond
	// The fake clock stands still: the task runs as long as the test.
	task, err := emb.RestartServer(context.Background(), 12000001, embedded.DemoSampleServerID, backend.RestartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(task.ID, 10)

	const sessions = 20
	var wg sync.WaitGroup
	for i := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := e.alice
			if i%2 == 1 {
				k = e.bob
			}
			tm := sshdtest.Open(t, e.dial(k), "xterm-256color", 120, 40, nil, "")
			tm.WaitFor(t, 0, 20*time.Second, "3 clusters")
			m := tm.Mark()
			tm.Press(t, "t")
			// The row, not the id alone: the status bar names the task
			// the others watch.
			tm.WaitFor(t, m, 20*time.Second, id+"  Restart OB server")
			m = tm.Mark()
			tm.Press(t, "\r")
			tm.WaitFor(t, m, 20*time.Second, "Restart OB server #"+id, "RUNNING")
		}()
	}
	wg.Wait()

	const calls = 10
	from := cnt.gets.Load()
	began := time.Now()
	cnt.waitGets(t, from+calls)
	took := time.Since(began)
	perInterval := float64(cnt.gets.Load()-from) / (float64(took) / float64(refresh))
	t.Logf("%d sessions watching task %s: %d GetTask in %v, %.2f per %v", sessions, id, cnt.gets.Load()-from, took.Round(time.Millisecond), perInterval, refresh)
	if took < (calls-1)*(refresh-refresh/10) {
		t.Fatalf("%d sessions made %d GetTask in %v: more than one per %v", sessions, calls, took, refresh)
	}
}

// On call together: each operator's status bar names who else is here
// and what they look at; a restart dialog warns of another operator's
// dialog on the same server and, once they restart it, of their task
// running there; their restart of the cluster the operator looks at is a
// toast, and so is its end. An operator never hears of their own action.
func TestSSHOnCallTogether(t *testing.T) {
	t.Parallel()
	e := startSSH(t, nil)
	a := sshdtest.Open(t, e.dial(e.alice), "xterm-256color", 120, 40, nil, "")
	a.WaitFor(t, 0, 10*time.Second, "protoss", "connected")
	c := sshdtest.Open(t, e.dial(e.carol), "xterm-256color", 120, 40, nil, "")
	c.WaitFor(t, 0, 10*time.Second, "protoss", "1 other here · alice@laptop on clusters")
	a.WaitFor(t, 0, 10*time.Second, "1 other here · carol@desk on clusters")

	// Alice opens the restart dialog of 192.0.2.12:2882; carol sees her
	// there.
	openDialog := func(tm *sshdtest.Term) {
		t.Helper()
		m := tm.Mark()
		tm.Press(t, "\r")
		tm.WaitFor(t, m, 5*time.Second, "Zones of protoss")
		m = tm.Mark()
		tm.Press(t, "j\r")
		tm.WaitFor(t, m, 5*time.Second, "192.0.2.12:2882")
		m = tm.Mark()
		tm.Press(t, "r")
		tm.WaitFor(t, m, 5*time.Second, "Restart OBServer 192.0.2.12:2882", "Cancel")
	}
	mc := c.Mark()
	openDialog(a)
	c.WaitFor(t, mc, 5*time.Second, "1 other here · alice@laptop in a restart dialog for 192.0.2.12:2882")

	// Carol opens the same: her dialog warns.
	mc = c.Mark()
	openDialog(c)
	c.WaitFor(t, mc, 5*time.Second, "alice@laptop has a restart dialog open on 192.0.2.12:2882")
	a.WaitFor(t, 0, 5*time.Second, "carol@desk has a restart dialog open on 192.0.2.12:2882")

	// Alice restarts: carol, looking at protoss, hears of it, and her
	// dialog checks again and names alice's task.
	mc, ma := c.Mark(), a.Mark()
	a.Press(t, "y")
	a.WaitFor(t, ma, 5*time.Second, "Restart OB server #", "RUNNING")
	task := e.restartedTask()
	id := strconv.FormatInt(task.ID, 10)
	c.WaitFor(t, mc, 5*time.Second, "alice@laptop's restart of 192.0.2.12:2882 (protoss) was accepted: task "+id)
	c.WaitFor(t, mc, 5*time.Second, "alice@laptop's restart of 192.0.2.12:2882 is running", // (task N) wraps
		"A restart is refused while task "+id)

	// Its end is news too.
	mc = c.Mark()
	e.runToEnd(task.ID)
	c.WaitFor(t, mc, 10*time.Second, "alice@laptop's restart of 192.0.2.12:2882 (protoss) finished: SUCCESSFUL (task "+id+")")
	a.WaitFor(t, ma, 10*time.Second, "Task SUCCESSFUL")
	if strings.Contains(a.Text(0), "alice@laptop's") || strings.Contains(a.Text(0), "alice@laptop started") {
		t.Errorf("alice heard of her own action:\n%s", a.Text(0))
	}

	// The journal names the operator, their key and the server restarted.
	r := e.sshRecord(audit.OpRestartServer, "obconsole console", e.alice, "alice@laptop")
	if got, want := r.Entry().Subject, (audit.Subject{Cluster: "protoss", Zone: "zone2", Server: "192.0.2.12:2882"}); got != want {
		t.Errorf("journaled subject %+v, want %+v", got, want)
	}

	a.Press(t, "q")
	if code := a.Wait(t); code != 0 {
		t.Errorf("alice's console exit %d", code)
	}
}
