package ui

import (
	"strings"
	"testing"

	"github.com/obconsole/obconsole/backend/ocp"
)

// Tasks: the status filter walks OCP's statuses only (never PENDING) and
// asks OCP for them; OPERATION and TARGET columns; a rolled-back task
// reads ROLLED BACK; the cluster comes from the task's cluster object.
func TestTasksColumnsAndStatusFilter(t *testing.T) {
	d := newDriver(t, driverOpts{w: 140, h: 24})
	rb := runningTask()
	rb.ID, rb.Status, rb.Operation = 600, ocp.TaskSuccessful, ocp.OpRollback
	rb.Cluster = &ocp.TaskCluster{ID: 1, Name: "protoss"}
	rb.Context = ocp.TaskContext{StringMap: map[string]string{"zone_name": "zone2"}}
	d.fake.AddTask(rb)
	d.fake.AddTask(runningTask())
	d.keys("t")
	d.requireView("OPERATION", "TARGET", "ROLLED BACK", "ROLLBACK", "zone zone2", "protoss", "4 tasks", "f show RUNNING")
	if row := rowOf(d.view(), "600"); !strings.Contains(row, "↺ ROLLED BACK") {
		t.Errorf("rolled back row: %q", row)
	}
	for _, step := range []struct{ heading, has, hasNot string }{
		{"Recent tasks, RUNNING only", "500", "600"},
		{"Recent tasks, FAILED only", "  8 ", "500"},
		{"Recent tasks, SUCCESSFUL only", "600", "500"},
		{"Recent tasks ", "500", "PENDING"},
	} {
		d.keys("f")
		v := d.view()
		if !strings.Contains(v, step.heading) || !strings.Contains(v, step.has) || strings.Contains(v, step.hasNot) {
			t.Errorf("after f, want %q with %q and without %q:\n%s", step.heading, step.has, step.hasNot, v)
		}
	}
}
