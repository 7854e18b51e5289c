package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common/commontest"
)

var errDenied = &backend.Error{Kind: backend.Unauthorized, Op: "list clusters", HTTP: 401, Message: "bad credentials"}

// runningTask is a task with two steps, the second running, for the Task
// view and the step log.
func runningTask() ocp.Task {
	start := ocp.NewTime(commontest.Epoch.Add(-time.Minute))
	return ocp.Task{ID: 500, Name: "Restart observer", Status: ocp.TaskRunning, ClusterID: 1, StartTime: start,
		Subtasks: []ocp.Subtask{
			{ID: 1, Name: "Pre-check", Status: ocp.SubtaskSuccessful, Timeout: 60, RunTime: 1, StartTime: start,
				FinishTime: ocp.NewTime(commontest.Epoch.Add(-50 * time.Second))},
			{ID: 2, Name: "Stop server", Status: ocp.SubtaskRunning, Timeout: 600, RunTime: 1, Upstreams: []int64{1},
				StartTime: ocp.NewTime(commontest.Epoch.Add(-50 * time.Second))},
		}}
}

func (d *driver) toastsWith(s string) int {
	n := 0
	for _, ts := range d.toasts() {
		if strings.Contains(ts.Text, s) {
			n++
		}
	}
	return n
}

// A real OCP locks an account after repeated failed logins: a 401 or 403
// from any read stops every background poll (lists, server detail, Task
// view, step log, watched tasks) until the operator presses ctrl+r, which
// sends exactly one request. It is said once.
func TestDenialStopsAllPolling(t *testing.T) {
	for _, c := range []struct {
		name string
		keys []string
	}{
		{"clusters", nil},
		{"server detail", []string{"enter", "enter", "enter"}},
		{"task view", []string{"t", "enter"}},
		{"step log", []string{"t", "enter", "enter"}},
		{"tasks and a watched task", []string{"t", "enter", "esc"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			fake := commontest.New()
			fake.AddTask(runningTask())
			fake.SetLog("starting\nstopping\n")
			d := newDriver(t, driverOpts{fake: fake, taskView: true})
			d.keys(c.keys...)
			d.tick()
			before := fake.Reads()
			fake.SetListErr(errDenied)
			d.tick()
			failed := fake.Reads()
			if failed == before {
				t.Fatal("the tick polled nothing: the test shows nothing")
			}
			if d.m.Denied() == nil {
				t.Fatal("a 401 must stop polling")
			}
			for i := 0; i < 30; i++ {
				d.tick()
			}
			if got := fake.Reads() - failed; got != 0 {
				t.Fatalf("%d requests in 30 ticks after a 401", got)
			}
			if n := d.toastsWith("access denied"); n != 1 {
				t.Fatalf("said %d times, want once", n)
			}
			if n := d.toastsWith("refresh failed"); n != 0 {
				t.Fatalf("screens toasted the denial too (%d)", n)
			}
			d.requireView("denied · ctrl+r to try again")

			d.keys("ctrl+r")
			if got := fake.Reads() - failed; got != 1 {
				t.Fatalf("ctrl+r sent %d requests, want 1", got)
			}
			for i := 0; i < 30; i++ {
				d.tick()
			}
			if got := fake.Reads() - failed; got != 1 {
				t.Fatalf("%d requests after a ctrl+r that was denied again", got-1)
			}
			if n := d.toastsWith("still denied"); n != 1 {
				t.Fatalf("a ctrl+r denied again is said %d times", n)
			}

			fake.SetListErr(nil)
			d.keys("ctrl+r")
			if d.m.Denied() != nil {
				t.Fatal("a ctrl+r that works must end the denial")
			}
			d.requireView("polling resumed")
			resumed := fake.Reads()
			d.tick()
			if fake.Reads() == resumed {
				t.Fatal("polling must resume once a read works")
			}
		})
	}
}

// Going back while denied shows the last data and sends nothing.
func TestDenialGoingBackSendsNothing(t *testing.T) {
	d := newDriver(t, driverOpts{})
	d.keys("enter")
	d.fake.SetListErr(errDenied)
	d.tick()
	reads := d.fake.Reads()
	d.keys("esc")
	if got := d.fake.Reads() - reads; got != 0 {
		t.Fatalf("going back sent %d requests while denied", got)
	}
	d.requireView("protoss", "denied")
}

// A 403 stops polling like a 401, and the list says it is not retrying.
func TestForbiddenBeforeAnyData(t *testing.T) {
	fake := commontest.New()
	fake.SetListErr(&backend.Error{Kind: backend.Forbidden, Op: "list clusters", HTTP: 403, Message: "no access"})
	d := newDriver(t, driverOpts{fake: fake})
	for i := 0; i < 30; i++ {
		d.tick()
	}
	if got := fake.Reads(); got != 1 {
		t.Fatalf("%d requests, want the one that was refused", got)
	}
	d.requireView("Could not load clusters", "Not retrying while access is denied", "denied · ctrl+r to try again")
}

// Failed reads other than denials back off: the interval doubles after each
// consecutive failure, up to 8 ticks (or 30 s of ticks, whichever is
// less), and the first read that works resets it.
func TestFailedReadsBackOff(t *testing.T) {
	for _, c := range []struct {
		refresh time.Duration
		polls   []int // ticks (1-based) that poll while reads fail
	}{
		{time.Second, []int{2, 6, 14, 22, 30}},
		{5 * time.Second, []int{2, 6, 12, 18, 24, 30}}, // capped at 30 s: 6 ticks
		{30 * time.Second, nil},                        // every tick: 30 s is the cap
	} {
		fake := commontest.New()
		fake.SetListErr(&backend.Error{Kind: backend.Unavailable, Op: "list clusters", Message: "connection refused"})
		d := newDriver(t, driverOpts{fake: fake, refresh: c.refresh})
		var polled []int
		for i := 1; i <= 30; i++ {
			reads := fake.Reads()
			d.tick()
			if fake.Reads() > reads {
				polled = append(polled, i)
			}
		}
		want := c.polls
		if want == nil {
			for i := 1; i <= 30; i++ {
				want = append(want, i)
			}
		}
		if !equalInts(polled, want) {
			t.Errorf("refresh %v: polled on ticks %v, want %v", c.refresh, polled, want)
		}
		if n := d.toastsWith("refresh failed"); n > 1 {
			t.Errorf("refresh %v: %d toasts for one outage", c.refresh, n)
		}
		// ctrl+r still reads at once; once a read works, every tick polls.
		fake.SetListErr(nil)
		reads := fake.Reads()
		d.keys("ctrl+r")
		if fake.Reads() != reads+1 {
			t.Fatalf("refresh %v: ctrl+r while backing off", c.refresh)
		}
		for i := 0; i < 3; i++ {
			reads := fake.Reads()
			d.tick()
			if fake.Reads() != reads+1 {
				t.Fatalf("refresh %v: tick %d after recovery did not poll", c.refresh, i+1)
			}
		}
	}
}

// Watched tasks back off with the shown screen: one failure per tick, not
// one per request.
func TestWatchedTasksBackOffToo(t *testing.T) {
	fake := commontest.New()
	fake.AddTask(runningTask())
	d := newDriver(t, driverOpts{fake: fake})
	d.keys("t", "enter", "esc", "esc") // task 500 watched; back on the clusters list
	fake.SetListErr(&backend.Error{Kind: backend.Unavailable, Op: "get task", Message: "connection refused"})
	start := fake.Reads()
	for i := 0; i < 30; i++ {
		d.tick()
	}
	// Each poll is the list and the watched task: 5 polls, as one screen.
	if got := fake.Reads() - start; got != 10 {
		t.Fatalf("%d requests in 30 ticks while failing, want 10", got)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
