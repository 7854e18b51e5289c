package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/obconsole/obconsole/backend/audit"
)

// built is the binary the end-to-end tests run, built once for all of
// them (buildBinary) and removed when they are done (TestMain).
var built struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// buildBinary builds obconsole, once, into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "obconsole-test-")
		if built.err != nil {
			return
		}
		goTool := filepath.Join(os.Getenv("GOROOT"), "bin", "go")
		if _, err := os.Stat(goTool); err != nil {
			goTool = "go"
		}
		built.path = filepath.Join(built.dir, "obconsole")
		if out, err := exec.Command(goTool, "build", "-o", built.path, ".").CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

// consoleEnv is the environment a built console runs in under test: a
// terminal, colour allowed, the embedded executor unless extra says
// otherwise, and its audit journal under state.
func consoleEnv(state string, extra ...string) []string {
	env := append(os.Environ(), "TERM=xterm-256color", "NO_COLOR=", "OCP_URL=", "XDG_STATE_HOME="+state)
	return append(env, extra...)
}

// runInPTY starts cmd in a cols×rows pseudo-terminal, or skips the test
// where there is none. It returns what cmd draws and its exit; a process
// still running when the test ends is killed.
func runInPTY(t *testing.T, cmd *exec.Cmd, cols, rows uint16) (*screen, <-chan error) {
	t.Helper()
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: rows, Cols: cols})
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill() // an error once it has exited: nothing to do
		ptmx.Close()
	})
	return newScreen(ptmx), exited
}

// TestEndToEndRestart builds the binary and drives it through a
// pseudo-terminal on the embedded fleet: open, drill down to a server,
// r, y, watch the Task view follow the restart to SUCCESSFUL, quit, and
// check the alternate screen was left.
func TestEndToEndRestart(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	cmd := exec.Command(bin, "--speed", "100", "--refresh", "100ms", "--theme", "dark")
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
	scr.waitFor(t, m, 5*time.Second, "Restart OBServer 192.0.2.11:2882", "Cancel")
	m = scr.mark()
	scr.press(t, "yy") // a repeated key sends one request
	// The Task view opens on the new task and follows it to the end.
	scr.waitFor(t, m, 5*time.Second, "Restart OB server #", "Stop observer process")
	scr.waitFor(t, m, 20*time.Second, "Task SUCCESSFUL")
	if strings.Contains(scr.text(m), "Conflict") {
		t.Fatalf("a second request was sent:\n%s", scr.text(m))
	}
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
	raw := scr.Raw()
	on, off := strings.LastIndex(raw, altScreenOn), strings.LastIndex(raw, altScreenOff)
	if on < 0 || off < on {
		t.Fatalf("alternate screen not left (on at %d, off at %d); tail %q", on, off, raw[max(len(raw)-120, 0):])
	}
	// The console journals its restart: one intent, one outcome, one task.
	log, err := audit.ReadFile(filepath.Join(state, "obconsole", "audit.jsonl"))
	if err != nil {
		t.Fatalf("audit journal: %v", err)
	}
	if len(log.Records) != 1 {
		t.Fatalf("want one journaled restart, got %d records", len(log.Records))
	}
	rec := log.Records[0]
	if e := rec.Entry(); e.Operation != "restart-server" || e.Via != "obconsole console" || rec.Outcome == nil || rec.Outcome.TaskID == 0 {
		t.Fatalf("journal record = %+v", rec)
	}
}
