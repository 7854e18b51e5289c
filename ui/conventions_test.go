package ui

import (
	"encoding/base64"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common/commontest"
)

// c copies the selected address (or id) through OSC 52 and says so; where
// the terminal cannot, it says why; a name holding controls is not copied.
func TestCopySelectedAddress(t *testing.T) {
	var out strings.Builder
	d := newDriver(t, driverOpts{})
	d.m.opts.Copy, d.m.opts.NoCopy = Clipboard(&out, "xterm-256color", false)
	d.keys("enter", "down", "enter", "c") // 198.51.100.13 selected
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte("198.51.100.13:2882")) + "\a"
	if out.String() != want {
		t.Fatalf("wrote %q, want %q", out.String(), want)
	}
	d.requireView("copied 198.51.100.13:2882")
	d.keys("esc", "t", "c") // the tasks list: the task id
	if !strings.HasSuffix(out.String(), base64.StdEncoding.EncodeToString([]byte("7"))+"\a") {
		t.Errorf("tasks: wrote %q", out.String())
	}
	d.keys("enter", "c") // the Task view (stub): its task's id
	d.requireView("copied 7")

	for _, tc := range []struct {
		term     string
		disabled bool
		want     string
	}{
		{"dumb", false, "not copied: TERM=dumb takes no clipboard sequence (OSC 52)"},
		{"xterm", true, "not copied: started with --no-clipboard"},
	} {
		d := newDriver(t, driverOpts{})
		d.m.opts.Copy, d.m.opts.NoCopy = Clipboard(&out, tc.term, tc.disabled)
		d.keys("c")
		d.requireView(tc.want)
	}
}

func TestCopyRefusesHostileNames(t *testing.T) {
	fake := commontest.New()
	d := newDriver(t, driverOpts{fake: fake})
	var out strings.Builder
	d.m.opts.Copy = OSC52(&out)
	// A cluster named with an escape sequence: drawn safe, never copied.
	d.m.Top().(interface{ SetClusters([]ocp.Cluster) }).SetClusters([]ocp.Cluster{{ID: 9, Name: "evil\x1b]52;c;ZXZpbA==\arm -rf", Status: ocp.ClusterRunning}})
	d.keys("c")
	if out.Len() != 0 {
		t.Fatalf("copied %q", out.String())
	}
	d.requireView("not copied:")
}

// The mouse: a click selects a row, a click on a title sorts, the wheel
// moves; clicks on the footer do nothing.
func TestMouseSelectsSortsAndScrolls(t *testing.T) {
	d := newDriver(t, driverOpts{w: 100, h: 24})
	d.keys("s") // all servers of protoss: 6 rows; rows start at line 3
	click := func(x, y int) {
		d.send(tea.MouseMsg{X: x, Y: y, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	}
	click(5, 5) // the third row
	if got := selectedLine(d); !strings.Contains(got, "198.51.100.13") {
		t.Fatalf("click selected %q", got)
	}
	d.send(tea.MouseMsg{X: 5, Y: 5, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if got := selectedLine(d); !strings.Contains(got, "198.51.100.14") {
		t.Fatalf("wheel down selected %q", got)
	}
	// The ZONE title: sorted by zone, the selection stays.
	header := strings.Split(d.view(), "\n")[2]
	click(strings.Index(header, "ZONE")+1, 2)
	d.requireView("ZONE ↑")
	if got := selectedLine(d); !strings.Contains(got, "198.51.100.14") {
		t.Fatalf("sorting moved the selection to %q", got)
	}
	click(5, 22) // the footer
	if got := selectedLine(d); !strings.Contains(got, "198.51.100.14") {
		t.Fatalf("a footer click moved the selection to %q", got)
	}
}

func selectedLine(d *driver) string {
	for _, l := range strings.Split(d.view(), "\n") {
		if strings.HasPrefix(l, "▸") {
			return l
		}
	}
	return ""
}

// Footers keep esc, the screen's actions and ? as the width shrinks:
// movement and t go first, and no item is cut in the middle.
func TestFooterKeepsWhatMatters(t *testing.T) {
	d := newDriver(t, driverOpts{w: 60, h: 24})
	d.keys("enter") // zones
	footer := strings.Split(d.view(), "\n")[22]
	for _, want := range []string{"enter open", "r restart zone", "esc back", "? more keys"} {
		if !strings.Contains(footer, want) {
			t.Errorf("zones footer at 60 lacks %q: %q", want, footer)
		}
	}
	for _, w := range []int{40, 50, 60, 80, 100, 120} {
		d.send(resize(w, 24))
		footer := strings.Split(d.view(), "\n")[22]
		if ansi.StringWidth(footer) > w {
			t.Errorf("footer wider than %d", w)
		}
		for _, item := range strings.Split(strings.TrimSpace(footer), " · ") {
			if !knownHint(item) {
				t.Errorf("width %d: footer item %q is cut or unknown", w, item)
			}
		}
	}
}

func knownHint(item string) bool {
	for _, h := range []string{"enter open", "r restart zone", "s all servers", "/ filter", "esc back", "t tasks", "? help", "? more keys", "q quit"} {
		if item == h {
			return true
		}
	}
	return false
}

// Help lists only keys that work on the shown screen: no filter in the
// Task view, no copy where nothing is selected.
func TestHelpListsOnlyWorkingKeys(t *testing.T) {
	// Tall enough for the whole legend without scrolling.
	d := newDriver(t, driverOpts{taskView: true, w: 120, h: 120})
	d.fake.AddTask(runningTask())
	d.keys("t", "enter", "?")
	v := d.view()
	if strings.Contains(v, "/       filter") || strings.Contains(v, "Moving") {
		t.Errorf("the Task view's help lists the list keys:\n%s", v)
	}
	d.requireView("Tasks", "Steps", "Marks", "★", "holds a root service replica", "undone after a failure")
}

// A narrow Servers list never cuts an address in the middle (every row
// would read alike): the other columns give way first.
func TestNarrowServersKeepWholeAddresses(t *testing.T) {
	d := newDriver(t, driverOpts{w: 40, h: 12})
	d.keys("enter", "down", "enter")
	d.requireView("198.51.100.13:2882", "198.51.100.14:2882", "RUNNING")
}

// A restart started from a zone's Servers list opens a Task view whose
// header names the server by address at once: the servers are in the store
// already, so no news of them will come to tell the view.
func TestTaskViewNamesTheServerFromTheListBelow(t *testing.T) {
	d := newDriver(t, driverOpts{taskView: true, w: 120, h: 30})
	d.keys("enter", "down", "enter", "r", "y")
	d.requireView("server 198.51.100.13:2882")
}

// A task that fails before the operator's eyes leaves the status bar's
// running count at once, not on the next slow tick.
func TestStatusBarCountFollowsATaskEndingInView(t *testing.T) {
	d := newDriver(t, driverOpts{taskView: true, w: 120, h: 30})
	d.send(backgroundTickMsg{}) // the counts are read on the background tick
	d.keys("enter", "down", "enter", "r", "y")
	d.requireView("1 running")
	id := d.fake.LastTaskID()
	d.fake.SetTaskStatus(id, ocp.TaskFailed)
	d.tick()
	d.requireView("FAILED")
	if strings.Contains(d.view(), "1 running") {
		t.Fatalf("the status bar still counts the failed task as running:\n%s", d.view())
	}
}
