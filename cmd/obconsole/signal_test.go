package main

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend/audit"
)

const cursorShow = "\x1b[?25h"

// TestSignalsRestoreTerminal sends real SIGINT, SIGTERM and SIGHUP (a
// dropped SSH connection whose pane survives, as under tmux) to the built
// console: each exits 130, leaves the alternate screen and shows the
// cursor again. SIGHUP to a command waiting on a restart stops the wait
// like the others, with the restart's outcome journaled.
func TestSignalsRestoreTerminal(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(bin, "--theme", "dark", "--readonly")
			cmd.Env = consoleEnv(t.TempDir())
			scr, exited := runInPTY(t, cmd, 80, 24)
			scr.waitFor(t, 0, 15*time.Second, "terran")
			m := len(scr.Raw())
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-exited:
				var ee *exec.ExitError
				if !errors.As(err, &ee) || ee.ExitCode() != 130 {
					t.Fatalf("after %v: %v, want exit 130", sig, err)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%v did not stop the console", sig)
			}
			scr.waitRaw(t, 5*time.Second, altScreenOff)
			if !strings.Contains(scr.Raw()[m:], cursorShow) {
				t.Fatalf("after %v the cursor was not shown again: %q", sig, scr.Raw()[m:])
			}
		})
	}
	t.Run("SIGHUP restart --wait", func(t *testing.T) {
		t.Parallel()
		state := t.TempDir()
		cmd := exec.Command(bin, "--speed", "0.01", "restart", "--cluster", "protoss", "--server", "192.0.2.12", "--yes", "--wait")
		cmd.Env = consoleEnv(state)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill() })
		lines := bufio.NewReader(stdout)
		if first, err := lines.ReadString('\n'); err != nil || !strings.Contains(first, "Restart OB server") {
			t.Fatalf("first line %q: %v", first, err)
		}
		if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() {
			_, _ = lines.WriteTo(io.Discard)
			exited <- cmd.Wait()
		}()
		select {
		case err := <-exited:
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted || !strings.Contains(stderr.String(), "stops here") {
				t.Fatalf("after SIGHUP: %v, want exit 130; stderr %q", err, stderr.String())
			}
		case <-time.After(10 * time.Second):
			t.Fatal("SIGHUP did not stop restart --wait")
		}
		log, err := audit.ReadFile(filepath.Join(state, "obconsole", audit.FileName))
		if err != nil || len(log.Records) != 1 || log.Records[0].Result() != audit.ResultOK {
			t.Fatalf("journal: %v %+v", err, log)
		}
	})
}

// Started with SIGHUP ignored (nohup obconsole serve), obconsole leaves it
// ignored rather than stop when the terminal goes. The disposition is the
// test's own: ignoring SIGHUP in the test process could not be undone
// (signal.Reset does not make signal.Ignored false again).
func TestStopSignalsKeepNohup(t *testing.T) {
	t.Parallel()
	ignored := map[os.Signal]bool{}
	isIgnored := func(s os.Signal) bool { return ignored[s] }
	if got := stopSignals(isIgnored); !slices.Contains(got, os.Signal(syscall.SIGHUP)) {
		t.Fatalf("SIGHUP is not a stop signal: %v", got)
	}
	ignored[syscall.SIGHUP] = true
	if got := stopSignals(isIgnored); slices.Contains(got, os.Signal(syscall.SIGHUP)) || !slices.Contains(got, os.Signal(syscall.SIGTERM)) {
		t.Fatalf("SIGHUP ignored, yet a stop signal: %v", got)
	}
}
