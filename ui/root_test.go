package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/common/commontest"
)

func TestDrillDownBreadcrumbAndBack(t *testing.T) {
	d := newDriver(t, driverOpts{})
	d.requireView("clusters", "protoss", "zerg", "terran", "PRIMARY", "STANDBY", "connected")
	d.keys("enter")
	d.requireView("clusters › protoss", "Zones of protoss", "zone1", "zone2", "zone3")
	d.keys("down", "enter")
	d.requireView("protoss › zone2", "Servers of zone2 in protoss", "198.51.100.13:2882", "198.51.100.15:2882")
	d.keys("enter")
	d.requireView("protoss › zone2 › 198.51.100.13:2882", "Server 198.51.100.13:2882", "root server")
	d.keys("esc", "esc", "esc")
	if d.m.Depth() != 1 {
		t.Fatalf("depth %d after three esc", d.m.Depth())
	}
	d.keys("esc") // never pops the last screen
	if d.m.Depth() != 1 || d.quit {
		t.Fatal("esc on the first screen must do nothing")
	}
}

func TestRestartFromServersOpensTaskView(t *testing.T) {
	d := newDriver(t, driverOpts{})
	d.keys("enter", "down", "enter", "r")
	d.requireView("Restart OBServer 198.51.100.13:2882", "zone2", "RUNNING", "root server")
	if !strings.Contains(d.view(), "› restart 198.51.100.13:2882") {
		t.Errorf("breadcrumb should name the dialog:\n%s", d.view())
	}
	d.keys("y", "y")
	if n := len(d.fake.Calls()); n != 1 {
		t.Fatalf("%d restart calls", n)
	}
	if len(d.opens) != 1 || d.opens[0] != 101 {
		t.Fatalf("task view opened on %v", d.opens)
	}
	d.requireView("zone2 › task 101", "stub task view")
	// esc from the task view goes back to the servers, not the dialog.
	d.keys("esc")
	d.requireView("Servers of zone2")
}

func TestReadOnlyRefusesRestart(t *testing.T) {
	d := newDriver(t, driverOpts{readOnly: true})
	d.requireView("READ-ONLY")
	d.keys("enter", "enter", "r")
	if d.m.Depth() != 3 {
		t.Fatalf("r must not open the dialog in read-only (depth %d)", d.m.Depth())
	}
	d.requireView("read-only: restart is disabled")
	d.keys("enter", "r")
	if d.m.Depth() != 4 || len(d.fake.Calls()) != 0 {
		t.Fatalf("detail: depth %d calls %v", d.m.Depth(), d.fake.Calls())
	}
}

func TestFilterAndGlobalKeysWhileTyping(t *testing.T) {
	d := newDriver(t, driverOpts{})
	d.keys("s") // all servers of protoss
	d.requireView("All servers of protoss", "6 servers")
	d.keys("/")
	d.typeText("ZONE2") // case-insensitive; q, t, ? typed later are text
	d.requireView("3 of 6 match", "/ ZONE2")
	d.typeText("q?t")
	if d.quit || d.m.HelpShown() || d.m.Depth() != 2 {
		t.Fatal("q, ? and t while typing a filter must be text")
	}
	d.requireView("0 of 6 match", `Nothing matches "ZONE2q?t"`)
	d.keys("backspace", "backspace", "backspace", "enter")
	d.requireView("filter: ZONE2", "3 of 6")
	d.keys("esc") // clears the filter, stays
	d.requireView("6 servers")
	if strings.Contains(d.view(), "filter:") || d.m.Depth() != 2 {
		t.Fatalf("esc should clear the filter only:\n%s", d.view())
	}
	d.keys("esc")
	if d.m.Depth() != 1 {
		t.Fatal("second esc goes back")
	}
}

func TestGlobalKeys(t *testing.T) {
	d := newDriver(t, driverOpts{})
	d.keys("enter", "enter", "?")
	if !d.m.HelpShown() {
		t.Fatal("? opens help")
	}
	d.requireView("Keys", "filter", "restart", "refresh now", "tasks", "quit", "zone1 › help")
	d.keys("esc")
	if d.m.HelpShown() {
		t.Fatal("esc closes help")
	}
	d.keys("esc", "esc")
	d.keys("t")
	d.requireView("Recent tasks", "SUCCESSFUL", "FAILED", "protoss", "terran")
	d.keys("t")
	if d.m.Depth() != 2 {
		t.Fatal("t on the tasks screen must not stack another")
	}
	d.keys("enter")
	if len(d.opens) != 1 || d.opens[0] != 7 {
		t.Fatalf("enter on a task opens it: %v", d.opens)
	}
	d.keys("q")
	if !d.quit {
		t.Fatal("q quits")
	}
}

func TestCtrlCAlwaysQuits(t *testing.T) {
	d := newDriver(t, driverOpts{})
	d.keys("enter", "enter", "r", "f")
	d.typeText("198")
	d.keys("ctrl+c")
	if !d.quit {
		t.Fatal("ctrl+c must quit from inside a typed confirmation")
	}
	if len(d.fake.Calls()) != 0 {
		t.Fatal("nothing may be sent")
	}
}

func TestFailedRefreshKeepsDataMarkedStale(t *testing.T) {
	d := newDriver(t, driverOpts{})
	d.requireView("protoss", "connected", "live")
	d.fake.SetListErr(&backend.Error{Kind: backend.Unavailable, Op: "list clusters", Message: "connection refused"})
	d.tick()
	d.tick()
	d.keys("ctrl+r")
	d.requireView("protoss", "STALE", "unreachable")
	var errs int
	for _, ts := range d.toasts() {
		if ts.Level == common.ToastError && strings.Contains(ts.Text, "refresh failed") {
			errs++
		}
	}
	if errs != 1 {
		t.Fatalf("one toast per outage, got %d", errs)
	}
	d.requireView("refresh failed, showing the last clusters")
	d.tick()
	d.requireView("updated 3s ago")
	d.fake.SetListErr(nil)
	// Reads back off while they fail: the next poll comes within the cap.
	for i := 0; i < 8 && !strings.Contains(d.view(), "connected"); i++ {
		d.tick()
	}
	d.requireView("connected", "live")
	if strings.Contains(d.view(), "STALE") {
		t.Fatal("STALE must go once a refresh works")
	}
}

// Lists refresh only while shown: ticks go to the top screen only.
func TestOnlyTheShownListPolls(t *testing.T) {
	d := newDriver(t, driverOpts{})
	d.keys("enter", "enter", "r") // dialog on top of clusters, zones, servers
	before := d.fake.Reads()
	for i := 0; i < 5; i++ {
		d.tick()
	}
	if got := d.fake.Reads(); got != before {
		t.Fatalf("hidden lists polled: %d reads while the dialog showed", got-before)
	}
	d.keys("esc")
	d.tick()
	if got := d.fake.Reads(); got != before+2 { // shown again + tick
		t.Fatalf("servers list should refresh when shown again and on each tick: %d", got-before)
	}
}

func TestRestartConflictShowsInDialog(t *testing.T) {
	d := newDriver(t, driverOpts{})
	d.fake.SetRestartErr(&backend.Error{Kind: backend.Conflict, Op: "restart server 1003",
		Message: "task 42 (Restart observer) is already running on this server"})
	d.keys("enter", "down", "enter", "r", "y", "y")
	d.requireView("Restart failed", "task 42", "Conflict")
	if len(d.fake.Calls()) != 1 || len(d.opens) != 0 {
		t.Fatalf("calls %v opens %v", d.fake.Calls(), d.opens)
	}
}

func TestInsecureTLSWarning(t *testing.T) {
	d := newDriver(t, driverOpts{})
	d.m.ctx.Target = backend.Target{Kind: "remote", Label: "https://ocp.example:8080", User: "admin", Insecure: true}
	d.requireView("INSECURE TLS", "https://ocp.example:8080 as admin")
	d.send(resize(40, 12))
	d.requireView("INSECURE TLS")
}

func TestResizeNeverPanicsOrOverflows(t *testing.T) {
	for _, ascii := range []bool{false, true} {
		d := newDriver(t, driverOpts{ascii: ascii})
		screens := [][]string{{}, {"enter"}, {"down", "enter"}, {"enter"}, {"r"}, {"f"}, {"esc", "?"}, {"esc", "t"}}
		for _, ks := range screens {
			d.keys(ks...)
			for _, sz := range [][2]int{{80, 24}, {40, 12}, {1, 1}, {20, 5}, {3, 3}, {120, 40}, {41, 13}, {80, 24}} {
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
			}
		}
	}
}

func TestReadOnlyHidesMutatingHints(t *testing.T) {
	d := newDriver(t, driverOpts{readOnly: true})
	d.keys("enter", "enter")
	footer := strings.Split(d.view(), "\n")[22]
	if strings.Contains(footer, "restart") || !strings.Contains(footer, "enter open") {
		t.Fatalf("read-only footer: %q", footer)
	}
	d.keys("?")
	d.requireView("read-only: r R B S T C are refused")
	if strings.Contains(d.view(), "r       restart") || strings.Contains(d.view(), "r      restart") {
		t.Fatalf("read-only help lists restart:\n%s", d.view())
	}
}

// --ascii: no byte outside ASCII on any screen, at any size.
func TestASCIIModeIsPureASCII(t *testing.T) {
	d := newDriver(t, driverOpts{ascii: true})
	d.fake.SetRestartErr(&backend.Error{Kind: backend.Conflict, Op: "restart server 1003", Message: "task 42 is running"})
	steps := [][]string{{}, {"?"}, {"esc", "enter"}, {"down", "enter"}, {"/", "z"}, {"esc", "enter"}, {"r"}, {"f"}, {"tab", "f", "y"},
		{"esc", "esc", "esc", "t"}, {"esc", "s"}, {"esc", "down", "down", "enter", "down", "down", "enter"}}
	for _, ks := range steps {
		d.keys(ks...)
		for _, sz := range [][2]int{{80, 24}, {40, 12}, {120, 40}} {
			d.send(resize(sz[0], sz[1]))
			for i, r := range ansi.Strip(d.m.View()) {
				if r > 127 {
					t.Fatalf("after %v at %dx%d: %q at %d:\n%s", ks, sz[0], sz[1], r, i, d.view())
				}
			}
		}
	}
}

// Keys that arrive together ("yy" over a slow link) are handled one by one.
func TestBurstOfKeysIsSplit(t *testing.T) {
	d := newDriver(t, driverOpts{})
	d.keys("enter", "enter", "jr") // j then r in one message
	d.requireView("Restart OBServer 198.51.100.12:2882")
	d.keys("yyy")
	if n := len(d.fake.Calls()); n != 1 {
		t.Fatalf("%d requests for a burst of y", n)
	}
	if len(d.opens) != 1 {
		t.Fatalf("task view opened %d times", len(d.opens))
	}
}

// The refresh ticks start by themselves: Init leads to the first tick
// being scheduled one interval in (and each tick schedules the next).
func TestInitStartsTheRefreshTicks(t *testing.T) {
	var ticks []time.Duration
	ctx := common.NewContext(commontest.New(), nil, nil, false, 3*time.Second)
	m := New(ctx, Options{Schedule: func(d time.Duration, fn func() tea.Msg) tea.Cmd {
		if _, ok := fn().(common.TickMsg); ok {
			ticks = append(ticks, d)
		}
		return nil
	}})
	settle(m, m.Init())
	if !slices.Equal(ticks, []time.Duration{3 * time.Second}) {
		t.Fatalf("Init scheduled refresh ticks %v, want one in 3s", ticks)
	}
	settle(m, func() tea.Msg { return common.TickMsg{} })
	if !slices.Equal(ticks, []time.Duration{3 * time.Second, 3 * time.Second}) {
		t.Fatalf("a tick scheduled %v, want the next in 3s", ticks)
	}
}
