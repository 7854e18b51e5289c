package main

import (
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestEndToEndRestartThroughServe is the console's end-to-end restart once
// more, but on a real OCP API: `obconsole serve` runs the embedded fleet
// (in this process), and the built binary's console talks to it through
// --ocp-url with Basic auth, the password only in the environment.
func TestEndToEndRestartThroughServe(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	c := newCLIFlags(t)
	const password = "e2e-Serve-pw"
	c.setenv("OCP_USERNAME", "admin")
	c.setenv("OCP_PASSWORD", password)
	srv := c.startServe("--speed", "100")
	defer srv.stop(t)

	bin := buildBinary(t)
	cmd := exec.Command(bin, "--ocp-url", srv.url, "--user", "admin", "--refresh", "100ms", "--theme", "dark")
	cmd.Env = consoleEnv(t.TempDir(), "OCP_USERNAME=", "OCP_PASSWORD="+password)
	scr, exited := runInPTY(t, cmd, 120, 24)

	// The status bar names the OCP and the user.
	host := strings.TrimPrefix(srv.url, "http://")
	scr.waitFor(t, 0, 15*time.Second, "protoss", "terran", host, "admin")
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
	scr.press(t, "y")
	scr.waitFor(t, m, 5*time.Second, "Restart OB server #", "Stop observer process")
	scr.waitFor(t, m, 30*time.Second, "Task SUCCESSFUL")
	if strings.Contains(scr.Raw(), password) {
		t.Fatal("the password reached the screen")
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
}
