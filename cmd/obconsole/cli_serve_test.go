package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/obconsole/obconsole/backend/ocp"
)

// The README's recipe, in process and through the real flags: one
// `obconsole serve` holds the fleet, and separate command runs with
// --ocp-url restart a server, wait for it, and see the same task. This is
// the one command test on the real clock (the fleet at --speed 100, so a
// restart takes about 0.6 s); it asserts outcomes, never durations.
func TestSharingOneFleetThroughServe(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs a restart on the real clock")
	}
	c := newCLIFlags(t)
	c.pause = wallClock{}.Sleep // the real clock
	const password = "shared-Fleet-pw"
	c.setenv("OCP_PASSWORD", password)
	s := c.startServe("--user", "admin", "--speed", "100")
	defer s.stop(t)

	cli := func(args ...string) (int, string, string) {
		return c.run("", append([]string{"--ocp-url", s.url, "--user", "admin", "--refresh", "100ms"}, args...)...)
	}
	code, out, errOut := cli("restart", "--cluster", "protoss", "--server", "192.0.2.12", "--yes", "--wait")
	if code != 0 || !strings.Contains(out, "11 of 11 steps done") {
		t.Fatalf("restart over serve: exit %d: %s\n%s", code, errOut, out)
	}
	// Another run, another executor: the same fleet, the same task.
	code, out, errOut = cli("tasks", "-o", "json")
	var tasks []ocp.Task
	if code != 0 || json.Unmarshal([]byte(out), &tasks) != nil || len(tasks) != 1 || tasks[0].Status != ocp.TaskSuccessful {
		t.Fatalf("tasks over serve: exit %d: %s %s", code, errOut, out)
	}
	if code, _, errOut := cli("restart", "--cluster", "protoss", "--server", "192.0.2.12", "--yes"); code != 0 {
		t.Fatalf("second restart after the first ended: exit %d: %s", code, errOut)
	}
	if code, _, errOut := cli("restart", "--cluster", "protoss", "--server", "192.0.2.12", "--yes"); code != exitRefused || !strings.Contains(errOut, "Conflict") {
		t.Fatalf("third restart while the second runs: exit %d: %s", code, errOut)
	}
	code, out, _ = cli("audit")
	if code != 0 || strings.Count(out, s.url+" as admin") != 3 || strings.Contains(out, password) {
		t.Fatalf("audit: exit %d:\n%s", code, out)
	}
}
