package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common/commontest"
)

func (d *driver) command(line string) {
	d.keys(":")
	d.typeText(line)
	d.keys("enter")
}

// : jumps anywhere, rebuilding the path as the operator would have walked
// it, so esc goes back up.
func TestCommandLineJumps(t *testing.T) {
	d := newDriver(t, driverOpts{w: 100, h: 24})
	d.command("zone protoss/zone2")
	d.requireView("clusters › protoss › zone2", "Servers of zone2 in protoss")
	d.keys("esc")
	d.requireView("clusters › protoss", "Zones of protoss")

	d.command("server 198.51.100.13")
	d.requireView("clusters › protoss › zone2 › 198.51.100.13:2882", "Server 198.51.100.13:2882")
	if d.m.Depth() != 4 {
		t.Fatalf("depth %d", d.m.Depth())
	}

	d.command("cluster TERRAN") // names match regardless of case
	d.requireView("clusters › terran", "Zones of terran")

	d.command("tasks failed")
	d.requireView("clusters › tasks", "Recent tasks, FAILED only")

	d.command("task 7")
	if len(d.opens) != 1 || d.opens[0] != 7 {
		t.Fatalf("opens %v", d.opens)
	}
	d.requireView("clusters › tasks › task 7")

	d.command("clusters")
	if d.m.Depth() != 1 {
		t.Fatalf("clusters: depth %d", d.m.Depth())
	}
}

// A name that does not resolve is said on the line, which stays open;
// esc closes it. Keys typed there are text, not commands.
func TestCommandLineErrorsInline(t *testing.T) {
	d := newDriver(t, driverOpts{w: 100, h: 24})
	for _, tc := range []struct{ line, want string }{
		{"cluster protos", `no cluster "protos"`},
		{"zone protoss", "write CLUSTER/ZONE"},
		{"zone protoss/zone9", `no zone "zone9" in protoss`},
		{"server 10.9.9.9", `no server "10.9.9.9" on this target`},
		{"server nope", "give an IP or IP:PORT"},
		{"task 999", "no task 999 on this target"},
		{"tasks pending", "the statuses are running, failed, successful"},
		{"frobnicate", `unknown command "frobnicate"`},
	} {
		d.command(tc.line)
		d.requireView(":"+tc.line, tc.want)
		if d.m.Depth() != 1 || d.quit {
			t.Fatalf("%s: moved or quit", tc.line)
		}
		d.keys("esc")
		if strings.Contains(d.view(), ":"+tc.line) {
			t.Fatalf("esc should close the line")
		}
	}
	d.command("q") // :quit quits
	if !d.quit {
		t.Fatal(":q should quit")
	}
}

// tab completes command words, and names the console has read.
func TestCommandLineCompletes(t *testing.T) {
	d := newDriver(t, driverOpts{w: 100, h: 24})
	d.keys("enter", "down", "enter") // protoss › zone2: its servers are known now
	d.keys(":")
	d.typeText("clu")
	d.keys("tab")
	d.requireView(":clusters")
	d.keys("esc", ":")
	d.typeText("server 198.51.100.14")
	d.keys("tab", "enter")
	d.requireView("Server 198.51.100.14:2882")
	d.keys(":")
	d.typeText("zone ter")
	d.keys("tab")
	d.requireView(":zone terran/zone1")
}

// hostileClusters lists a cluster whose name holds an escape sequence.
type hostileClusters struct{ *commontest.Fake }

func (h hostileClusters) ListClusters(ctx context.Context) ([]ocp.Cluster, error) {
	cs, err := h.Fake.ListClusters(ctx)
	return append(cs, ocp.Cluster{ID: 66, Name: "evil\x1b]52;c;ZXZpbA==\a", Status: ocp.ClusterRunning}), err
}

// A name holding a control is never offered to tab.
func TestCommandLineOffersNoHostileName(t *testing.T) {
	d := newDriver(t, driverOpts{exec: func(f *commontest.Fake) backend.Executor { return hostileClusters{f} }})
	d.keys(":")
	d.typeText("cluster e")
	d.keys("tab")
	if line := rowOf(d.view(), ":cluster"); strings.TrimSpace(line) != ":cluster e" {
		t.Fatalf("the hostile name was offered: %q", line)
	}
}
