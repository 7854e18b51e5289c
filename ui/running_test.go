package ui

import (
	"strings"
	"testing"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common/commontest"
)

// A task started elsewhere runs on 198.51.100.13 (RESTARTING): r does not
// invite a second restart, o finds the task and opens it, from the list
// and from the detail, which shows the task instead of "Press r".
func TestRunningTaskInsteadOfASecondRestart(t *testing.T) {
	fake := commontest.New()
	fake.SetServerStatus(1003, ocp.ServerRestarting)
	task := runningTask()
	task.Name = "Restart OB server"
	task.Context = ocp.TaskContext{StringMap: map[string]string{"server_id": "1003"}}
	fake.AddTask(task)
	d := newDriver(t, driverOpts{fake: fake, w: 120, h: 30})
	d.keys("enter", "down", "enter") // protoss › zone2: 198.51.100.13 first
	d.requireView("198.51.100.13:2882", "RESTARTING", "o open task")
	if strings.Contains(d.view(), "r restart") {
		t.Error("the footer offers r on a restarting server")
	}
	d.keys("r")
	if d.m.Depth() != 3 || len(d.fake.Calls()) != 0 {
		t.Fatalf("r on a restarting server opened something (depth %d)", d.m.Depth())
	}
	d.requireView("198.51.100.13:2882 is RESTARTING: a task is running on it; o opens it")
	d.keys("o")
	if len(d.opens) != 1 || d.opens[0] != 500 {
		t.Fatalf("o opened %v, want task 500", d.opens)
	}
	d.keys("esc", "enter") // the detail
	d.send(toastExpiredMsg{seq: d.m.toastSeq})
	d.requireView("task      500 Restart OB server ◐ RUNNING 1:00 (o opens it)",
		"A task is running on this server: press o to open it in the Task view.", "o open task")
	if strings.Contains(d.view(), "Press r to restart") {
		t.Fatal("the detail invites a second restart")
	}
	d.keys("r")
	d.requireView("task 500 (Restart OB server) is running on 198.51.100.13:2882: o opens it")
	if d.m.Depth() != 4 {
		t.Fatalf("r on the detail opened a dialog (depth %d)", d.m.Depth())
	}
	d.keys("o")
	if len(d.opens) != 2 || d.opens[1] != 500 {
		t.Fatalf("o on the detail opened %v", d.opens)
	}
}

// A restart started from the console is known at once: the server need not
// be RESTARTING yet for r to say so.
func TestRestartStartedHereBlocksASecond(t *testing.T) {
	d := newDriver(t, driverOpts{})
	d.keys("enter", "down", "enter", "r", "y", "y") // task 101 on 198.51.100.13
	if len(d.opens) != 1 {
		t.Fatalf("opens %v", d.opens)
	}
	d.keys("esc", "r")
	if n := len(d.fake.Calls()); n != 1 || d.m.Depth() != 3 {
		t.Fatalf("a second restart was offered: %d calls, depth %d", n, d.m.Depth())
	}
	d.requireView("task 101 (Restart observer) is running on 198.51.100.13:2882: o opens it")
	d.keys("o")
	if len(d.opens) != 2 || d.opens[1] != 101 {
		t.Fatalf("o opened %v", d.opens)
	}
	// Another server of the zone is free to restart.
	d.keys("esc", "down", "r")
	d.requireView("Restart OBServer 198.51.100.14:2882")
}
