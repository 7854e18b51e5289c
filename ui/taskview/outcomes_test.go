package taskview_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common/commontest"
)

// onEngine is the console watching a restart on the embedded engine that
// fails once at scenario's step, run until it failed.
func onEngine(t *testing.T, scenario string, w, h int, th *theme.Theme) (*console, int64) {
	t.Helper()
	clock := embedded.NewFakeClock(commontest.Epoch)
	exec, err := embedded.New(embedded.Options{Clock: clock, Seed: 1, Scenario: scenario})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(exec.Close)
	task := startTask(t, exec, false, false)
	c := newConsoleOn(t, exec, clock.Advance, task.ID, th, w, h)
	c.runUntil(t, task.ID, func(task *ocp.Task) bool { return task.Status == ocp.TaskFailed })
	return c, task.ID
}

// runUntil moves the engine a second a tick until done holds for the task.
func (c *console) runUntil(t *testing.T, id int64, done func(*ocp.Task) bool) {
	t.Helper()
	for i := 0; i < 600; i++ {
		c.tick(time.Second)
		if task, err := c.exec.GetTask(context.Background(), id); err == nil && done(task) {
			c.tick(time.Second) // the view sees it (a tick may go to a log)
			c.tick(time.Second)
			return
		}
	}
	t.Fatalf("the task never got there:\n%s", c.view())
}

// After B y the task is rolled back: OCP says SUCCESSFUL with operation
// ROLLBACK, the Task view says ROLLED BACK with its own icon, and what
// was undone, never "✓ SUCCESSFUL".
func TestRolledBackTaskReadsRolledBack(t *testing.T) {
	c, id := onEngine(t, "fail-once:start-observer-process", 120, 40, theme.New(theme.Options{Mode: theme.Dark}))
	c.keys("By")
	c.runUntil(t, id, func(task *ocp.Task) bool { return task.Status == ocp.TaskSuccessful })
	v := ansi.Strip(c.view())
	for _, want := range []string{"↺ ROLLED BACK", "↺ Task ROLLED BACK: 4 of 4 steps rolled back", "4 of 4 steps rolled back",
		"↺ ROLLED BACK Start observer process"} {
		if !strings.Contains(v, want) {
			t.Errorf("lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "SUCCESSFUL") {
		t.Errorf("a rolled-back task reads SUCCESSFUL somewhere:\n%s", v)
	}
}

// After S y on the failed step the scheduler passes it: the step reads
// SKIPPED with its own icon, and the task "10 of 11 steps done, 1 skipped",
// not 11 of 11.
func TestSkippedStepReadsSkipped(t *testing.T) {
	c, id := onEngine(t, "fail-once:start-observer-process", 120, 40, theme.New(theme.Options{Mode: theme.Dark}))
	c.keys("Sy")
	c.runUntil(t, id, func(task *ocp.Task) bool { return task.Status == ocp.TaskSuccessful })
	v := ansi.Strip(c.view())
	for _, want := range []string{"✓ SUCCESSFUL", "✓ Task SUCCESSFUL: 10 of 11 steps done, 1 skipped", "» SKIPPED    Start observer process"} {
		if !strings.Contains(v, want) {
			t.Errorf("lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "11 of 11") {
		t.Errorf("a skipped step counts as done:\n%s", v)
	}
}

// NO_COLOR keeps emphasis: on the termenv Ascii profile (what NO_COLOR in
// the environment gives), the selected row is still drawn in reverse video
// and the column header in bold, with no colour anywhere.
func TestNoColorSelectedRowIsReversed(t *testing.T) {
	c, _ := onEngine(t, "fail-once:start-observer-process", 80, 24, theme.New(theme.Options{Mode: theme.Dark, NoColor: true}))
	v := c.view()
	var sel string
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(ansi.Strip(l), "▸") {
			sel = l
		}
	}
	if !strings.Contains(sel, "\x1b[7m") {
		t.Errorf("the selected row is not reversed under NO_COLOR: %q", sel)
	}
	if !strings.Contains(v, "\x1b[1") {
		t.Errorf("no bold anywhere under NO_COLOR:\n%q", v)
	}
	for _, colour := range []string{"[38;", "[48;", "[31m", "[32m", "[33m"} {
		if strings.Contains(v, colour) {
			t.Errorf("colour under NO_COLOR: %q", colour)
		}
	}
}

// One source of truth for staleness: after the backend went away, the
// Task view's banner and the status bar say the same age, and the view's
// clocks stand still at its last good answer.
func TestStaleBannerAgreesWithTheStatusBar(t *testing.T) {
	fake := commontest.New()
	task, err := embedded.BuildTask(embedded.RestartServerTemplate, embedded.TaskSpec{TaskID: 77, Start: commontest.Epoch,
		ClusterID: 1, ClusterName: "protoss", ZoneName: "zone2", ServerIDs: []int64{1003}})
	if err != nil {
		t.Fatal(err)
	}
	first := &task.Subtasks[0]
	for i := range task.Subtasks {
		if len(task.Subtasks[i].Upstreams) == 0 {
			first = &task.Subtasks[i]
		}
	}
	first.Status, first.StartTime = ocp.SubtaskRunning, ocp.NewTime(commontest.Epoch)
	fake.AddTask(*task)
	fake.SetNow(commontest.Epoch.Add(20 * time.Second))
	c := newConsole(t, fake, task.ID, false, 120, 40)
	c.tick(time.Second)
	before := ansi.Strip(c.view())
	if !strings.Contains(before, "elapsed 0:21") || !strings.Contains(before, "server 198.51.100.13:2882") {
		t.Fatalf("before:\n%s", before)
	}
	fake.SetListErr(backend.Errorf(backend.Unavailable, "get task", "connection refused"))
	for i := 0; i < 26; i++ {
		c.tick(time.Second)
	}
	v := ansi.Strip(c.view())
	lines := strings.Split(v, "\n")
	bar := lines[len(lines)-1]
	if !strings.Contains(bar, "updated 26s ago") {
		t.Fatalf("status bar: %q", bar)
	}
	if !strings.Contains(v, "STALE  showing the last good answer, updated 26s ago; refresh failed") {
		t.Errorf("banner does not say the status bar's age:\n%s", v)
	}
	if !strings.Contains(v, "elapsed 0:21") || !strings.Contains(v, "0:21") {
		t.Errorf("the stale view's clocks moved:\n%s", v)
	}
}
