package ui

import (
	"strings"
	"testing"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common/commontest"
)

// rowOf is the view's line holding s.
func rowOf(view, s string) string {
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// A RUNNING zone or cluster with a server down says so: the zone from its
// servers (in the zone list, no extra read), the cluster from its servers
// read on the background tick.
func TestRollupsShowServersDown(t *testing.T) {
	for _, ascii := range []bool{false, true} {
		fake := commontest.New()
		fake.SetServerStatus(1002, ocp.ServerUnavailable) // protoss zone1: 1 of 2
		d := newDriver(t, driverOpts{fake: fake, ascii: ascii, w: 100, h: 24})
		warn := "▲"
		if ascii {
			warn = "[! ]"
		}
		if row := rowOf(d.view(), "protoss"); strings.Contains(row, "down") {
			t.Fatalf("before the roll-up, protoss's zones all RUNNING: %q", row)
		}
		if row := rowOf(d.view(), "terran"); !strings.Contains(row, warn+" 1 of 3 zones down") {
			t.Errorf("terran's zone3 is UNAVAILABLE in the cluster list: %q", row)
		}
		reads := fake.Reads()
		d.send(backgroundTickMsg{})
		if got := fake.Reads() - reads; got != 3+2 { // servers of 3 clusters, 2 task counts
			t.Errorf("background tick: %d reads, want 5", got)
		}
		if row := rowOf(d.view(), "protoss"); !strings.Contains(row, "RUNNING  "+warn+" 1 of 6 servers down") {
			t.Errorf("protoss: %q", row)
		}
		if row := rowOf(d.view(), "terran"); !strings.Contains(row, warn+" 1 of 4 servers down") {
			t.Errorf("terran: %q", row)
		}
		if row := rowOf(d.view(), "zerg"); strings.Contains(row, warn) {
			t.Errorf("zerg is healthy: %q", row)
		}
		reads = fake.Reads()
		d.keys("enter")
		if got := fake.Reads() - reads; got != 1 {
			t.Errorf("the zones list and its roll-up cost %d reads, want 1", got)
		}
		if row := rowOf(d.view(), "zone1"); !strings.Contains(row, "RUNNING  "+warn+" 1 of 2 servers down") {
			t.Errorf("zone1: %q", row)
		}
		if row := rowOf(d.view(), "zone2"); strings.Contains(row, "down") {
			t.Errorf("zone2 is healthy: %q", row)
		}
		// The filter finds the degraded rows.
		d.keys("/")
		d.typeText("down")
		d.requireView("1 of 3 match")
	}
}

// At 40 columns the note shortens rather than cutting the status word.
func TestRollupNoteShortensWhenNarrow(t *testing.T) {
	fake := commontest.New()
	fake.SetServerStatus(1002, ocp.ServerUnavailable)
	d := newDriver(t, driverOpts{fake: fake, w: 40, h: 12})
	d.keys("enter")
	if row := rowOf(d.view(), "zone1"); !strings.Contains(row, "RUNNING  ▲ 1/2 down") {
		t.Errorf("zone1 at 40 columns: %q\n%s", row, d.view())
	}
}

// The status bar counts the target's running and failed tasks, on the
// background tick only, and not while reads fail.
func TestStatusBarCountsTasks(t *testing.T) {
	fake := commontest.New()
	fake.AddTask(runningTask())
	d := newDriver(t, driverOpts{fake: fake, w: 120, h: 24})
	if strings.Contains(d.view(), "running") {
		t.Fatal("counts before the first background tick")
	}
	d.send(backgroundTickMsg{})
	d.requireView("◐ 1 running · ✗ 1 failed  live  ✓ connected")
	// Narrow: the age goes first, then the counts; health stays.
	d.send(resize(44, 12))
	d.requireView("✓ connected")
	if strings.Contains(d.view(), "running") {
		t.Errorf("counts should give way at 44 columns:\n%s", d.view())
	}
	d.send(resize(120, 24))
	fake.SetListErr(&backend.Error{Kind: backend.Unavailable, Op: "list clusters", Message: "connection refused"})
	d.tick()
	reads := fake.Reads()
	d.send(backgroundTickMsg{})
	if fake.Reads() != reads {
		t.Error("the background tick read while reads were failing")
	}
}

// A restart started here counts at once, not at the next background tick.
func TestStatusBarCountsARestartStartedHere(t *testing.T) {
	d := newDriver(t, driverOpts{w: 120, h: 24})
	d.send(backgroundTickMsg{})
	d.requireView("0 running · ✗ 1 failed")
	d.keys("enter", "down", "enter", "r", "y", "y")
	d.requireView("◐ 1 running · ✗ 1 failed")
}
