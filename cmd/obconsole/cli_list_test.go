package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
)

// checkAligned checks that every row's columns start where the header's
// do, and returns the rows.
func checkAligned(t *testing.T, out string, header ...string) []string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) < 2 {
		t.Fatalf("no rows:\n%s", out)
	}
	starts := make([]int, len(header))
	from := 0
	for i, h := range header {
		at := strings.Index(lines[0][from:], h)
		if at < 0 {
			t.Fatalf("header %q missing:\n%s", h, out)
		}
		starts[i] = from + at
		from = starts[i] + len(h)
	}
	for _, l := range lines[1:] {
		for i, s := range starts[1:] {
			if s > len(l) || l[s-1] != ' ' || l[s] == ' ' {
				t.Fatalf("column %q not aligned in %q:\n%s", header[i+1], l, out)
			}
		}
	}
	return lines[1:]
}

func TestClustersCommand(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{})
	code, out, errOut := c.run("", "clusters")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rows := checkAligned(t, out, "ID", "NAME", "TYPE", "STATUS", "VERSION")
	if len(rows) != 3 || !strings.HasPrefix(rows[0], "12000001  protoss  PRIMARY  RUNNING") ||
		!strings.Contains(rows[1], "zerg") || !strings.Contains(rows[1], "STANDBY") {
		t.Fatalf("rows:\n%s", out)
	}

	code, out, _ = c.run("", "clusters", "-o", "json")
	var clusters []ocp.Cluster
	if code != 0 || json.Unmarshal([]byte(out), &clusters) != nil || len(clusters) != 3 ||
		clusters[2].Name != "terran" || clusters[2].ID != embedded.DemoDegradedClusterID {
		t.Fatalf("json exit %d: %s", code, out)
	}
}

func TestZonesCommand(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{})
	for _, arg := range []string{"protoss", "12000001", "PROTOSS"} {
		code, out, errOut := c.run("", "zones", arg)
		if code != 0 {
			t.Fatalf("zones %s: exit %d: %s", arg, code, errOut)
		}
		rows := checkAligned(t, out, "NAME", "STATUS", "REGION", "IDC", "SERVERS", "ROOT SERVER")
		if len(rows) != 3 || !strings.Contains(rows[0], "zone1") || !strings.Contains(rows[0], "192.0.2.11:2882") {
			t.Fatalf("zones %s:\n%s", arg, out)
		}
	}
	code, out, _ := c.run("", "zones", "zerg", "-o", "json")
	var zones []ocp.Zone
	if code != 0 || json.Unmarshal([]byte(out), &zones) != nil || len(zones) != 3 || zones[0].ClusterID != embedded.DemoStandbyClusterID {
		t.Fatalf("json exit %d: %s", code, out)
	}
	code, _, errOut := c.run("", "zones", "protos")
	if code != exitUsage || !strings.Contains(errOut, `no cluster "protos"; candidates:`) ||
		!strings.Contains(errOut, "protoss (id 12000001, PRIMARY)") || !strings.Contains(errOut, "terran (id 12000003, PRIMARY)") {
		t.Fatalf("unknown cluster: exit %d: %s", code, errOut)
	}
	if code, _, errOut := c.run("", "zones"); code != exitUsage || !strings.Contains(errOut, "accepts 1 arg") {
		t.Fatalf("no argument: exit %d: %s", code, errOut)
	}
}

func TestServersCommand(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{})
	code, out, errOut := c.run("", "servers", "terran")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rows := checkAligned(t, out, "ID", "ADDRESS", "SQL PORT", "ZONE", "STATUS", "ROOT")
	if len(rows) != 9 {
		t.Fatalf("want 9 servers:\n%s", out)
	}
	code, out, _ = c.run("", "servers", "terran", "--zone", "ZONE2")
	rows = checkAligned(t, out, "ID", "ADDRESS", "SQL PORT", "ZONE", "STATUS", "ROOT")
	if code != 0 || len(rows) != 3 || !strings.Contains(rows[0], "203.0.113.32:2882") || !strings.Contains(rows[0], "UNAVAILABLE") {
		t.Fatalf("zone2 exit %d:\n%s", code, out)
	}
	code, out, _ = c.run("", "servers", "12000003", "--zone", "zone1", "-o", "json")
	var servers []ocp.Server
	if code != 0 || json.Unmarshal([]byte(out), &servers) != nil || len(servers) != 3 {
		t.Fatalf("json exit %d: %s", code, out)
	}
	for _, s := range servers {
		if s.ZoneName != "zone1" || s.ClusterID != embedded.DemoDegradedClusterID {
			t.Fatalf("server %+v", s)
		}
	}
	code, _, errOut = c.run("", "servers", "terran", "--zone", "zone9")
	if code != exitUsage || !strings.Contains(errOut, `"zone9"`) || !strings.Contains(errOut, "zone3") {
		t.Fatalf("unknown zone: exit %d: %s", code, errOut)
	}
}

// A fleet where names collide: a cluster named like another's id, two
// clusters whose names differ only in case, two observers on one host.
func ambiguousFleet() *embedded.Fleet {
	f := embedded.DemoFleet()
	f.Clusters[1].Name = "12000001"
	f.Clusters = append(f.Clusters,
		embedded.FleetCluster{ID: 12000004, Name: "Zerg", Zones: []embedded.FleetZone{{Name: "z1", Servers: []embedded.FleetServer{
			{ID: 13000101, IP: "198.51.100.50", Port: 2882},
			{ID: 13000102, IP: "198.51.100.50", Port: 2892},
		}}}},
		embedded.FleetCluster{ID: 12000005, Name: "ZERG", Zones: []embedded.FleetZone{{Name: "z1", Servers: []embedded.FleetServer{
			{ID: 13000103, IP: "198.51.100.51", Port: 2882},
		}}}},
	)
	return f
}

func TestAmbiguousNamesListTheCandidates(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{Fleet: ambiguousFleet()})
	code, _, errOut := c.run("", "zones", "12000001")
	if code != exitUsage || !strings.Contains(errOut, `cluster "12000001" is ambiguous`) ||
		!strings.Contains(errOut, "protoss (id 12000001") || !strings.Contains(errOut, "12000001 (id 12000002") {
		t.Fatalf("name vs id: exit %d: %s", code, errOut)
	}
	code, _, errOut = c.run("", "zones", "zerg")
	if code != exitUsage || !strings.Contains(errOut, "Zerg (id 12000004") || !strings.Contains(errOut, "ZERG (id 12000005") {
		t.Fatalf("case: exit %d: %s", code, errOut)
	}
	if code, out, _ := c.run("", "zones", "ZERG"); code != 0 || !strings.Contains(out, "z1") {
		t.Fatalf("an exact name wins: exit %d: %s", code, out)
	}
	code, _, errOut = c.run("", "restart", "--cluster", "Zerg", "--server", "198.51.100.50", "--yes")
	if code != exitUsage || !strings.Contains(errOut, "ambiguous") ||
		!strings.Contains(errOut, "198.51.100.50:2882 (id 13000101") || !strings.Contains(errOut, "198.51.100.50:2892 (id 13000102") {
		t.Fatalf("server on two ports: exit %d: %s", code, errOut)
	}
	if len(c.tasks()) != 0 || len(c.journal().Records) != 0 {
		t.Fatal("an ambiguous server was restarted or journaled")
	}
	code, out, errOut := c.run("", "restart", "--cluster", "Zerg", "--server", "198.51.100.50:2892", "--yes")
	if code != 0 || !strings.Contains(out, "198.51.100.50:2892") {
		t.Fatalf("ip:port: exit %d: %s %s", code, out, errOut)
	}
	code, _, errOut = c.run("", "restart", "--cluster", "Zerg", "--server", "198.51.100.99", "--yes")
	if code != exitUsage || !strings.Contains(errOut, "candidates") || !strings.Contains(errOut, "198.51.100.50:2882") {
		t.Fatalf("unknown server: exit %d: %s", code, errOut)
	}
}

func TestTasksCommand(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{})
	done := c.restartDirect(embedded.DemoPrimaryClusterID, embedded.DemoSampleServerID, false)
	c.runToEnd(done.ID)
	running := c.restartDirect(embedded.DemoDegradedClusterID, 13000010, false)

	code, out, errOut := c.run("", "tasks")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rows := checkAligned(t, out, "ID", "STATUS", "NAME", "CLUSTER", "OPERATION", "TARGET", "CREATOR", "STARTED", "ELAPSED")
	if len(rows) != 2 || !strings.Contains(rows[0], "RUNNING") || !strings.Contains(rows[0], "terran") || !strings.Contains(rows[0], "203.0.113.") ||
		!strings.Contains(rows[1], "SUCCESSFUL") || !strings.Contains(rows[1], "protoss") || !strings.Contains(rows[1], " 192.0.2.12:2882 ") ||
		!strings.Contains(rows[1], " 2024-04-15 03:25:02 +00:00 ") {
		t.Fatalf("tasks:\n%s", out)
	}
	code, out, _ = c.run("", "tasks", "--status", "running", "-o", "json")
	var tasks []ocp.Task
	if code != 0 || json.Unmarshal([]byte(out), &tasks) != nil || len(tasks) != 1 || tasks[0].ID != running.ID {
		t.Fatalf("--status running: exit %d: %s", code, out)
	}
	code, out, _ = c.run("", "tasks", "--cluster", "protoss", "--status", "SUCCESSFUL,FAILED", "-o", "json")
	if code != 0 || json.Unmarshal([]byte(out), &tasks) != nil || len(tasks) != 1 || tasks[0].ID != done.ID {
		t.Fatalf("--cluster protoss: exit %d: %s", code, out)
	}
	if code, out, _ := c.run("", "tasks", "--cluster", "zerg"); code != 0 || strings.Count(out, "\n") != 1 {
		t.Fatalf("no tasks: exit %d:\n%s", code, out)
	}
	// A zone restart's target is its zone.
	if _, err := c.ex.RestartZone(context.Background(), embedded.DemoStandbyClusterID, "zone1", restartOpts(false)); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := c.run("", "tasks", "--cluster", "zerg"); code != 0 || !strings.Contains(out, "  Restart OB zone  zerg     EXECUTE    zone zone1  ") {
		t.Fatalf("zone restart: exit %d:\n%s", code, out)
	}
	// --status takes what OCP's engine has; PENDING is not OCP's.
	for _, bad := range []string{"DONE", "PENDING"} {
		if code, _, errOut := c.run("", "tasks", "--status", bad); code != exitUsage || !strings.Contains(errOut, "want one of RUNNING, FAILED, SUCCESSFUL") {
			t.Fatalf("bad status %s: exit %d: %s", bad, code, errOut)
		}
	}
	if _, out, _ := c.run("", "tasks", "--help"); !strings.Contains(out, "(RUNNING, FAILED, SUCCESSFUL; comma-separated)") || strings.Contains(out, "PENDING") {
		t.Fatalf("help:\n%s", out)
	}
	if code, _, errOut := c.run("", "tasks", "-o", "yaml"); code != exitUsage || !strings.Contains(errOut, "text or json") {
		t.Fatalf("bad output: exit %d: %s", code, errOut)
	}
	if code, _, errOut := c.run("", "tasks", "--bogus"); code != exitUsage || !strings.Contains(errOut, "unknown flag") {
		t.Fatalf("bad flag: exit %d: %s", code, errOut)
	}
}

// Everything an OCP sends is shown, but never as terminal control.
func TestTablesStripControlCharacters(t *testing.T) {
	t.Parallel()
	f := embedded.DemoFleet()
	f.Clusters[0].Name = "evil\x1b[2Jname\tx"
	c := newCLI(t, embedded.Options{Fleet: f})
	code, out, _ := c.run("", "clusters")
	if code != 0 || strings.Contains(out, "\x1b") || !strings.Contains(out, "evil^[[2Jname^Ix") {
		t.Fatalf("exit %d: %q", code, out)
	}
}

func TestListsWhenTheBackendIsDown(t *testing.T) {
	t.Parallel()
	c := newCLIOn(t, downExecutor{})
	for _, args := range [][]string{{"clusters"}, {"zones", "protoss"}, {"servers", "protoss"}, {"tasks"}, {"tasks", "--cluster", "x"}} {
		code, out, errOut := c.run("", args...)
		if code != exitUnreachable || out != "" || !strings.Contains(errOut, "connection refused") {
			t.Errorf("%v: exit %d: %q %q", args, code, out, errOut)
		}
	}
}
