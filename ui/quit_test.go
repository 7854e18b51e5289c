package ui

import (
	"strings"
	"testing"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// q while a task started here runs asks once, and says where the task goes
// on; n keeps the console, y quits; ctrl+c quits at once.
func TestQuitAsksWhileATaskStartedHereRuns(t *testing.T) {
	for _, tc := range []struct {
		kind, where string
	}{
		{"embedded", "it stops with this process: the embedded fleet lives in it"},
		{"remote", "it goes on in OCP"},
	} {
		d := newDriver(t, driverOpts{w: 100, h: 24})
		d.fake.SetTarget(backend.Target{Kind: tc.kind, Label: "test fleet"})
		d.m.ctx.Target = d.fake.Describe()
		d.keys("enter", "down", "enter", "r", "y", "y") // task 101 on 198.51.100.13
		d.keys("esc", "q")
		if d.quit {
			t.Fatalf("%s: q quit while task 101 runs", tc.kind)
		}
		d.requireView("task 101 (Restart observer, 198.51.100.13:2882, protoss) is running: quit anyway? y/N", tc.where)
		d.keys("n")
		if d.quit || strings.Contains(d.view(), "quit anyway") {
			t.Fatalf("%s: n should keep the console and close the question", tc.kind)
		}
		d.keys("q", "y")
		if !d.quit {
			t.Fatalf("%s: y should quit", tc.kind)
		}
	}

	d := newDriver(t, driverOpts{})
	d.keys("enter", "down", "enter", "r", "y", "y", "esc", "q")
	d.keys("ctrl+c")
	if !d.quit {
		t.Fatal("ctrl+c quits at once, question or not")
	}
}

// Tasks not started here, or started here and seen to end, let q quit.
func TestQuitAtOnceWithoutRunningTasksStartedHere(t *testing.T) {
	d := newDriver(t, driverOpts{})
	d.fake.AddTask(runningTask()) // started elsewhere
	d.keys("t", "enter", "esc", "q")
	if !d.quit {
		t.Fatal("a task started elsewhere held q")
	}

	d = newDriver(t, driverOpts{})
	d.keys("enter", "down", "enter", "r", "y", "y")
	d.fake.SetTaskStatus(101, ocp.TaskSuccessful)
	d.keys("esc")
	d.tick() // the root polls the task it watches: SUCCESSFUL
	d.keys("q")
	if !d.quit {
		t.Fatalf("q after the task ended should quit:\n%s", d.view())
	}
}

// Narrower, the question drops details, never its y/N.
func TestQuitQuestionFitsNarrow(t *testing.T) {
	d := newDriver(t, driverOpts{w: 80, h: 24})
	d.keys("enter", "down", "enter", "r", "y", "y", "esc", "q")
	d.requireView("task 101 on 198.51.100.13:2882 is running: quit anyway? y/N")
	d.send(resize(40, 12))
	d.requireView("task 101 is running: quit anyway? y/N")
}
