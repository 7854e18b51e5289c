package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
)

func TestTaskCommandExitCodes(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{Scenario: "precheck-fail"})
	task := c.restartDirect(embedded.DemoPrimaryClusterID, embedded.DemoSampleServerID, false)
	id := jsonNumber(task.ID)

	code, out, errOut := c.run("", "task", id)
	if code != exitRunning || !strings.Contains(errOut, "not ended yet") || !strings.Contains(out, "RUNNING so far,") ||
		!strings.Contains(out, "1   Prepare restart observer") {
		t.Fatalf("running: exit %d: %s\n%s", code, errOut, out)
	}
	code, out, _ = c.run("", "task", id, "-o", "json")
	var got ocp.Task
	if code != exitRunning || strings.Count(out, "\n") != 1 || json.Unmarshal([]byte(out), &got) != nil ||
		got.ID != task.ID || len(got.Subtasks) != 11 {
		t.Fatalf("json: exit %d: %s", code, out)
	}

	code, out, errOut = c.run("", "task", id, "--wait")
	if code != exitFailed || !strings.Contains(out, "RUNNING → FAILED") || !strings.Contains(errOut, "task "+id+" FAILED") {
		t.Fatalf("wait on a failing task: exit %d: %s\n%s", code, errOut, out)
	}
	if code, _, _ := c.run("", "task", id); code != exitFailed {
		t.Fatalf("failed task: exit %d", code)
	}

	// Rolled back: SUCCESSFUL, but not what was asked.
	if _, err := c.ex.RollbackTask(context.Background(), task.ID); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = c.run("", "task", id, "--wait", "-o", "json")
	evs := parseJSONLines(t, out)
	last := evs[len(evs)-1]
	if code != exitFailed || last["status"] != "SUCCESSFUL" || last["outcome"] != "ROLLED_BACK" || last["rolledBack"] != true || !strings.Contains(errOut, "ROLLED BACK") {
		t.Fatalf("rolled back: exit %d: %s\n%s", code, errOut, out)
	}

	if code, _, errOut := c.run("", "task", "999"); code != exitUsage || !strings.Contains(errOut, "NotFound") {
		t.Fatalf("unknown task: exit %d: %s", code, errOut)
	}
	if code, _, errOut := c.run("", "task", "abc"); code != exitUsage || !strings.Contains(errOut, "positive number") {
		t.Fatalf("bad id: exit %d: %s", code, errOut)
	}
}

func TestTaskWaitSucceedsAndRetry(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{Scenario: "fail-once:wait-observer-active"})
	task := c.restartDirect(embedded.DemoPrimaryClusterID, embedded.DemoSampleServerID, false)
	ended := c.runToEnd(task.ID)
	if ended.Status != ocp.TaskFailed {
		t.Fatalf("scenario: %s", ended.Status)
	}
	if _, err := c.ex.RetryTask(context.Background(), task.ID); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := c.run("", "task", jsonNumber(task.ID), "--wait")
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errOut, out)
	}
	// The retried step shows its second attempt and the task its recovery.
	if !strings.Contains(out, "attempt 2") || !strings.Contains(out, "RUNNING → SUCCESSFUL") ||
		!strings.Contains(out, "11 of 11 steps done") {
		t.Fatalf("output:\n%s", out)
	}
	if code, _, _ := c.run("", "task", jsonNumber(task.ID)); code != 0 {
		t.Fatalf("successful task: exit %d", code)
	}
}

func TestTaskUnreachableBackend(t *testing.T) {
	t.Parallel()
	c := newCLIOn(t, downExecutor{})
	if code, _, errOut := c.run("", "task", "1", "--wait"); code != exitUnreachable || !strings.Contains(errOut, "Unavailable") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}
