package taskview

import (
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/theme"
)

// fanTask is one step fanning out to n parallel steps that join again.
func fanTask(n int) *ocp.Task {
	start := ocp.NewTime(epoch)
	t := &ocp.Task{ID: 7, Name: "Fan", Status: ocp.TaskRunning, StartTime: start}
	root := ocp.Subtask{ID: 1, Name: "root", Status: ocp.SubtaskSuccessful, Timeout: 60, RunTime: 1,
		StartTime: start, FinishTime: ocp.NewTime(epoch.Add(time.Second))}
	end := ocp.Subtask{ID: 2, Name: "end", Status: ocp.SubtaskPending, Timeout: 60}
	var branches []ocp.Subtask
	for i := 0; i < n; i++ {
		id := int64(10 + i)
		root.Downstreams = append(root.Downstreams, id)
		end.Upstreams = append(end.Upstreams, id)
		branches = append(branches, ocp.Subtask{ID: id, Name: "branch", Status: ocp.SubtaskRunning, Timeout: 60, RunTime: 1,
			StartTime: ocp.NewTime(epoch.Add(time.Second)), Upstreams: []int64{1}, Downstreams: []int64{2}})
	}
	t.Subtasks = append(append([]ocp.Subtask{root}, branches...), end)
	return t
}

// A graph wider than the lane area says so in the column header: an
// ellipsis and how many lanes are left out; a graph that fits says nothing.
func TestCutGraphIsMarked(t *testing.T) {
	for _, ascii := range []bool{false, true} {
		th := theme.New(theme.Options{Mode: theme.Dark, NoColor: true, ASCII: ascii})
		h := newHarness(t, fanTask(12), withTheme(th))
		h.m.SetSize(120, 30)
		if v := h.view(); strings.Contains(v, th.Glyphs.Ellipsis+"+") {
			t.Errorf("ascii=%v: 12 lanes fit at 120 columns, yet marked cut:\n%s", ascii, v)
		}
		h.m.SetSize(40, 30)
		header := ""
		for _, l := range strings.Split(h.view(), "\n") {
			if strings.Contains(l, "STEP") {
				header = l
			}
		}
		step := strings.Index(header, "STEP")
		if step < 0 {
			t.Fatalf("no column header:\n%s", h.view())
		}
		// The lane area is what precedes the status column: a narrow
		// one holds the shortest marker that fits.
		lanes := strings.Fields(header[:step])
		if len(lanes) == 0 || !(strings.Contains(lanes[0], th.Glyphs.Ellipsis) || strings.HasPrefix(lanes[0], "+")) {
			t.Errorf("ascii=%v: 12 lanes cut at 40 columns; the header should mark it:\n%s", ascii, h.view())
		}
		if !ascii && lanes[0] != "…+9" {
			t.Errorf("unicode: marker %q, want …+9 (3 of 12 lanes drawn)", lanes[0])
		}
	}
}

// Very wide terminals and very wide graphs: nothing panics and every line
// fits.
func TestHugeWidths(t *testing.T) {
	h := newHarness(t, fanTask(150))
	for _, w := range []int{400, 250, 120, 40, 1} {
		h.m.SetSize(w, 50)
		checkFits(t, h.view(), w, 50)
	}
}
