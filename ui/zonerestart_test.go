package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common/commontest"
)

// zoneRestarts is the test fake with a RestartZone that starts task 555
// and counts its calls (the driver runs Cmds on its own goroutine).
type zoneRestarts struct {
	*commontest.Fake
	calls []string
}

func (z *zoneRestarts) RestartZone(_ context.Context, _ int64, zone string, opts backend.RestartOptions) (*ocp.Task, error) {
	z.calls = append(z.calls, zone)
	return &ocp.Task{ID: 555, Name: "Restart OB zone", Status: ocp.TaskRunning}, nil
}

func TestZoneRestartFromZonesOpensTaskView(t *testing.T) {
	var exec *zoneRestarts
	d := newDriver(t, driverOpts{exec: func(f *commontest.Fake) backend.Executor {
		exec = &zoneRestarts{Fake: f}
		return exec
	}})
	d.keys("enter", "r")
	d.requireView("protoss › restart zone1", "Restart zone zone1", "3 of 3 serve now", "198.51.100.11:2882")
	// Focus starts in the name field, where globals are text: nothing
	// quits, helps, lists tasks or confirms.
	d.keys("q", "?", "t", "y")
	if d.quit || d.m.HelpShown() || d.m.Depth() != 3 || len(exec.calls) != 0 {
		t.Fatalf("quit %v help %v depth %d calls %v", d.quit, d.m.HelpShown(), d.m.Depth(), exec.calls)
	}
	d.requireView("confirm: q?ty")
	d.keys("ctrl+u")
	d.typeText("zone1")
	d.keys("enter", "enter")
	if len(exec.calls) != 1 || exec.calls[0] != "zone1" {
		t.Fatalf("calls %v", exec.calls)
	}
	if len(d.opens) != 1 || d.opens[0] != 555 {
		t.Fatalf("task view opened on %v", d.opens)
	}
	d.requireView("protoss › task 555", "stub task view")
	d.keys("esc") // back to the zones, not the dialog
	d.requireView("Zones of protoss")
}

func TestZoneRestartErrorStaysInTheDialog(t *testing.T) {
	d := newDriver(t, driverOpts{})
	d.keys("enter", "down", "r")
	d.typeText("zone2")
	d.keys("enter")
	// The test fake refuses zone restarts: the error shows in the dialog.
	d.requireView("protoss › restart zone2", "Restart failed: restart zone: BadRequest")
	d.keys("y", "enter") // y explains, enter closes; nothing is resent
	if n := len(d.fake.Calls()); n != 1 {
		t.Fatalf("%d calls", n)
	}
	d.requireView("Zones of protoss")
}

func TestClustersRSaysRestartsArePerZoneOrServer(t *testing.T) {
	d := newDriver(t, driverOpts{})
	d.keys("r")
	d.requireView("restarts are per zone or per server")
	if d.m.Depth() != 1 || len(d.fake.Calls()) != 0 {
		t.Fatalf("depth %d calls %v", d.m.Depth(), d.fake.Calls())
	}
}

func TestReadOnlyRefusesZoneRestart(t *testing.T) {
	d := newDriver(t, driverOpts{readOnly: true})
	d.keys("enter", "r")
	if d.m.Depth() != 2 || len(d.fake.Calls()) != 0 {
		t.Fatalf("read-only r on a zone: depth %d calls %v", d.m.Depth(), d.fake.Calls())
	}
	d.requireView("read-only: restart is disabled")
	if strings.Contains(strings.Split(d.view(), "\n")[22], "restart zone") {
		t.Errorf("read-only footer offers restart zone:\n%s", d.view())
	}
}

// The zone dialog in every state fits any size, and in --ascii is pure ASCII.
func TestZoneDialogFitsAndASCII(t *testing.T) {
	for _, ascii := range []bool{false, true} {
		d := newDriver(t, driverOpts{ascii: ascii})
		steps := [][]string{{"down", "down", "enter"}, {"r"}, {"ctrl+f", "z"}, {"esc", "down", "down", "r"}, {"z", "o", "n", "e", "3", "enter"}}
		for _, ks := range steps {
			d.keys(ks...)
			for _, sz := range [][2]int{{80, 24}, {40, 12}, {1, 1}, {20, 5}, {120, 40}, {41, 13}, {80, 24}} {
				d.send(resize(sz[0], sz[1]))
				v := d.m.View()
				lines := strings.Split(v, "\n")
				if len(lines) > sz[1] {
					t.Fatalf("%v at %dx%d: %d lines", ks, sz[0], sz[1], len(lines))
				}
				for _, l := range lines {
					if w := ansi.StringWidth(l); w > sz[0] {
						t.Fatalf("%v at %dx%d: line of %d columns: %q", ks, sz[0], sz[1], w, ansi.Strip(l))
					}
				}
				if ascii {
					for i, r := range ansi.Strip(v) {
						if r > 127 {
							t.Fatalf("after %v at %dx%d: %q at %d:\n%s", ks, sz[0], sz[1], r, i, d.view())
						}
					}
				}
			}
		}
		d.requireView("Restart failed") // terran zone3, sent to the fake, refused
	}
}
