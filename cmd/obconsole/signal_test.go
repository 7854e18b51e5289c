package main

import (
	"errors"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// TestSignalsRestoreTerminal sends real SIGINT and SIGTERM to the built
// console: each exits 130 and leaves the alternate screen.
func TestSignalsRestoreTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(bin, "--theme", "dark", "--readonly")
			cmd.Env = consoleEnv(t.TempDir())
			scr, exited := runInPTY(t, cmd, 80, 24)
			scr.waitFor(t, 0, 15*time.Second, "terran")
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
		})
	}
}
