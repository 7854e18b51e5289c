package main

import (
	"context"
	"strings"
	"testing"

	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
)

// failedStep is the FAILED step of task.
func failedStep(t *testing.T, task *ocp.Task) ocp.Subtask {
	t.Helper()
	for _, s := range task.Subtasks {
		if s.Status == ocp.SubtaskFailed {
			return s
		}
	}
	t.Fatalf("task %d has no FAILED step", task.ID)
	return ocp.Subtask{}
}

// A rolled-back task is not a success: OCP ends it SUCCESSFUL with
// operation ROLLBACK, and every command says ROLLED BACK, counts the steps
// undone, and exits 1.
func TestRolledBackIsShownAsSuch(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{Scenario: "fail-once:start-process", Seed: 3})
	task := c.restartDirect(embedded.DemoPrimaryClusterID, embedded.DemoSampleServerID, false)
	c.runToEnd(task.ID)
	if _, err := c.ex.RollbackTask(context.Background(), task.ID); err != nil {
		t.Fatal(err)
	}
	id := jsonNumber(task.ID)
	code, out, errOut := c.run("", "task", id, "--wait")
	if code != exitFailed || !strings.Contains(errOut, "task "+id+" was ROLLED BACK") ||
		!strings.Contains(out, `task `+id+` "Restart OB server" ROLLED BACK after `) || !strings.Contains(out, ": 4 of 4 steps undone\n") ||
		!strings.Contains(out, "RUNNING → ROLLED BACK") || !strings.Contains(out, "task "+id+" ROLLING BACK → ROLLED BACK") ||
		strings.Contains(out, "SUCCESSFUL after") {
		t.Fatalf("task --wait: exit %d: %s\n%s", code, errOut, out)
	}
	if strings.Count(out, "  ROLLED BACK  ") != 4 {
		t.Errorf("want the four undone steps ROLLED BACK in the summary:\n%s", out)
	}

	code, out, _ = c.run("", "task", id, "--wait", "-o", "json")
	evs := parseJSONLines(t, out)
	sum := evs[len(evs)-1]
	if code != exitFailed || sum["status"] != "SUCCESSFUL" || sum["outcome"] != "ROLLED_BACK" {
		t.Fatalf("summary: exit %d: %v", code, sum)
	}
	if p := sum["progress"].(map[string]any); p["done"] != 4.0 || p["total"] != 4.0 {
		t.Errorf("progress %v", p)
	}
	undone := 0
	for _, s := range sum["steps"].([]any) {
		step := s.(map[string]any)
		if step["outcome"] == "ROLLED_BACK" && step["status"] == "PENDING" {
			undone++
		}
		if step["status"] == "PENDING" && step["outcome"] == "PENDING" && step["elapsedSeconds"] != nil {
			t.Errorf("a step that never ran has an elapsed time: %v", step)
		}
	}
	if undone != 4 {
		t.Errorf("%d steps ROLLED_BACK in the summary: %v", undone, sum["steps"])
	}

	code, out, _ = c.run("", "tasks")
	if code != 0 || !strings.Contains(out, id+"  ROLLED BACK  Restart OB server  protoss  ROLLBACK   192.0.2.12:2882") {
		t.Fatalf("tasks: exit %d:\n%s", code, out)
	}
}

// A skipped step is not one that ran: it shows as SKIPPED, and the task
// that went on says how many were skipped (and succeeded: exit 0).
func TestSkippedIsShownAsSuch(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{Scenario: "fail-once:wait-active", Seed: 3})
	task := c.restartDirect(embedded.DemoPrimaryClusterID, embedded.DemoSampleServerID, false)
	failed := failedStep(t, c.runToEnd(task.ID))
	if err := c.ex.SkipSubtask(context.Background(), task.ID, failed.ID); err != nil {
		t.Fatal(err)
	}
	id := jsonNumber(task.ID)
	code, out, errOut := c.run("", "task", id, "--wait")
	if code != 0 || !strings.Contains(out, "READY → SKIPPED") || !strings.Contains(out, "(SKIP)") ||
		!strings.Contains(out, "SUCCESSFUL after ") || !strings.Contains(out, ": 11 of 11 steps done (1 skipped)\n") ||
		!strings.Contains(out, "5   Wait observer active      SKIPPED     0s") {
		t.Fatalf("exit %d: %s\n%s", code, errOut, out)
	}
	_, out, _ = c.run("", "task", id, "--wait", "-o", "json")
	evs := parseJSONLines(t, out)
	sum := evs[len(evs)-1]
	if sum["outcome"] != "SUCCESSFUL" || sum["skipped"] != 1.0 {
		t.Fatalf("summary %v", sum)
	}
	var skipped int
	for _, s := range sum["steps"].([]any) {
		if step := s.(map[string]any); step["outcome"] == "SKIPPED" && step["status"] == "SUCCESSFUL" {
			skipped++
		}
	}
	if skipped != 1 {
		t.Errorf("summary steps %v", sum["steps"])
	}
	code, out, _ = c.run("", "task", id, "-o", "json")
	if code != 0 || !strings.Contains(out, `"outcome":"SKIPPED"`) || !strings.Contains(out, `"outcome":"SUCCESSFUL"`) {
		t.Fatalf("-o json: exit %d: %s", code, out)
	}
}

// A rollback that failed is an error, said as such.
func TestRollbackFailedIsShownAsSuch(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{Scenario: "fail-once:start-process,rollback-fail:stop-process", Seed: 3})
	task := c.restartDirect(embedded.DemoPrimaryClusterID, embedded.DemoSampleServerID, false)
	c.runToEnd(task.ID)
	if _, err := c.ex.RollbackTask(context.Background(), task.ID); err != nil {
		t.Fatal(err)
	}
	id := jsonNumber(task.ID)
	code, out, errOut := c.run("", "task", id, "--wait")
	if code != exitFailed || !strings.Contains(errOut, "task "+id+" ROLLBACK FAILED") || !strings.Contains(out, " ROLLBACK FAILED after ") ||
		!strings.Contains(out, "steps undone; failed: Stop observer process") {
		t.Fatalf("exit %d: %s\n%s", code, errOut, out)
	}
}
