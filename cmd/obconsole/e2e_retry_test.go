package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend/audit"
)

// TestEndToEndRetryAfterFailure: a restart on the fail-once scenario fails
// at "Start observer process"; the operator reads the failed step's log
// (enter, then esc), and in the Task view presses R and
// y (twice: one request), and the retried task ends SUCCESSFUL. The journal
// holds the restart and exactly one retry.
func TestEndToEndRetryAfterFailure(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	cmd := exec.Command(bin, "--speed", "100", "--refresh", "100ms", "--theme", "dark",
		"--scenario", "fail-once:start-observer-process")
	state := t.TempDir()
	cmd.Env = consoleEnv(state)
	scr, exited := runInPTY(t, cmd, 80, 24)

	scr.waitFor(t, 0, 15*time.Second, "protoss", "terran", "connected")
	m := scr.mark()
	scr.press(t, "\r") // protoss
	scr.waitFor(t, m, 5*time.Second, "Zones of protoss")
	m = scr.mark()
	scr.press(t, "\r") // zone1
	scr.waitFor(t, m, 5*time.Second, "Servers of zone1", "192.0.2.11:2882")
	m = scr.mark()
	scr.press(t, "r")
	scr.waitFor(t, m, 5*time.Second, "Restart OBServer 192.0.2.11:2882")
	m = scr.mark()
	scr.press(t, "y")
	scr.waitFor(t, m, 20*time.Second, "Task FAILED", "Start observer process")
	// The failed step is selected; enter shows its whole log, esc goes back.
	m = scr.mark()
	scr.press(t, "\r")
	scr.waitFor(t, m, 5*time.Second, "Log of Start observer process", "ERROR")
	m = scr.mark()
	scr.press(t, "\x1b")
	scr.waitFor(t, m, 5*time.Second, "Task FAILED")
	m = scr.mark()
	scr.press(t, "R")
	scr.waitFor(t, m, 5*time.Second, "Retry task")
	m = scr.mark()
	scr.press(t, "yy") // a repeated key sends one request
	scr.waitFor(t, m, 20*time.Second, "Task SUCCESSFUL")
	scr.press(t, "q")
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("obconsole exited with %v\n%s", err, scr.text(0))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("q did not quit")
	}
	<-scr.done
	log, err := audit.ReadFile(filepath.Join(state, "obconsole", "audit.jsonl"))
	if err != nil {
		t.Fatalf("audit journal: %v", err)
	}
	var ops []string
	for _, rec := range log.Records {
		ops = append(ops, rec.Entry().Operation)
	}
	if got := strings.Join(ops, " "); len(ops) != 2 || !strings.HasPrefix(ops[0], "restart") || !strings.Contains(ops[1], "retry") {
		t.Fatalf("journal: want a restart then one retry, got %q", got)
	}
}
