package taskview_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/dag"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/common/commontest"
	"github.com/obconsole/obconsole/ui/keys"
	"github.com/obconsole/obconsole/ui/taskview"
)

// The module's one copy of OCP's documentation samples (see SOURCES.md
// there): every one that is a task, or a list of tasks, is drawn.
const ocpdoc = "../../backend/ocp/testdata/ocpdoc"

// docTasks reads every task of the documentation samples: a task answer
// is one task, a task list gives each of its items (named by id).
func docTasks(t *testing.T) map[string]*ocp.Task {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(ocpdoc, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no samples in %s: %v", ocpdoc, err)
	}
	out := map[string]*ocp.Task{}
	for _, p := range paths {
		name := strings.TrimSuffix(filepath.Base(p), ".json")
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		switch kind := name[strings.LastIndexByte(name, '_')+1:]; kind {
		case "restart-observer", "start-observer", "stop-observer", "task-detail", "restart-zone", "stop-zone", "start-zone":
			var env ocp.Envelope[ocp.Task]
			if err := json.Unmarshal(b, &env); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			out[name] = &env.Data
		case "task-list":
			var env ocp.Envelope[ocp.List[ocp.Task]]
			if err := json.Unmarshal(b, &env); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			for i := range env.Data.Contents {
				task := &env.Data.Contents[i]
				out[fmt.Sprintf("%s-%d", name, task.ID)] = task
			}
		}
	}
	if len(out) < 15 {
		t.Fatalf("only %d task samples", len(out))
	}
	return out
}

// latestTime is the task's last start or finish time.
func latestTime(t *ocp.Task) time.Time {
	at := t.StartTime.Time
	for _, s := range t.Subtasks {
		for _, x := range []ocp.Time{s.StartTime, s.FinishTime} {
			if x.Valid() && x.After(at) {
				at = x.Time
			}
		}
	}
	return at
}

// console is the whole console on a fake backend, driven by hand: every
// Cmd runs inline and its message goes back to the root, so a frame is
// the same on every run.
type console struct {
	t       *testing.T
	root    *ui.Model
	exec    backend.Executor
	advance func(time.Duration) // moves the backend's clock
}

func newConsole(t *testing.T, fake *commontest.Fake, taskID int64, ascii bool, w, h int) *console {
	return newConsoleOn(t, fake, func(d time.Duration) { fake.SetNow(fake.Now().Add(d)) }, taskID,
		theme.New(theme.Options{Mode: theme.Dark, ASCII: ascii}), w, h)
}

func newConsoleOn(t *testing.T, exec backend.Executor, advance func(time.Duration), taskID int64, th *theme.Theme, w, h int) *console {
	ctx := common.NewContext(exec, th, keys.New(th.ASCII()), false, time.Second)
	c := &console{t: t, exec: exec, advance: advance, root: ui.New(ctx, ui.Options{
		First:    taskview.New(ctx, taskID),
		Schedule: func(time.Duration, func() tea.Msg) tea.Cmd { return nil },
	})}
	c.send(tea.WindowSizeMsg{Width: w, Height: h})
	c.run(c.root.Init())
	return c
}

func (c *console) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, sub := range msg {
			c.run(sub)
		}
	default:
		c.send(msg)
	}
}

func (c *console) send(msg tea.Msg) {
	_, cmd := c.root.Update(msg)
	c.run(cmd)
}

func (c *console) tick(d time.Duration) {
	c.advance(d)
	c.send(common.TickMsg{Now: c.exec.Now()})
}

// keys types each rune as a key.
func (c *console) keys(s string) {
	for _, r := range s {
		c.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func (c *console) view() string { return c.root.View() }

// Every documented task shape is drawn: names, ids from an older build's
// Java context, steps without edges, timeouts or run counts (task-list
// items: "—", never 0 or an invented branch), rolled-back and skipped
// steps as such. The fake knows none of the samples' clusters: servers
// read as ids.
func TestSamples(t *testing.T) {
	tasks := docTasks(t)
	for name, task := range tasks {
		for _, size := range [][2]int{{120, 40}, {80, 24}} {
			t.Run(fmt.Sprintf("%s_%dx%d", name, size[0], size[1]), func(t *testing.T) {
				fake := commontest.New()
				fake.AddTask(*task)
				fake.SetNow(latestTime(task).Add(30 * time.Second))
				c := newConsole(t, fake, task.ID, false, size[0], size[1])
				c.tick(time.Second)
				view := c.view()
				if got := strings.Count(view, "\n") + 1; got != size[1] {
					t.Errorf("view is %d lines, want %d", got, size[1])
				}
				golden.RequireEqual(t, []byte(view))
			})
		}
	}
}

// What each shape must say, whatever the goldens hold.
func TestSampleShapes(t *testing.T) {
	tasks := docTasks(t)
	show := func(name string, w, h int) string {
		t.Helper()
		task := tasks[name]
		if task == nil {
			t.Fatalf("no sample %s", name)
		}
		fake := commontest.New()
		fake.AddTask(*task)
		fake.SetNow(latestTime(task).Add(30 * time.Second))
		c := newConsole(t, fake, task.ID, false, w, h)
		c.tick(time.Second)
		return ansi.Strip(c.view())
	}
	// An older build's task: a cluster object and a Java toString context
	// name the cluster, zone and server.
	v := show("V3.1.1_en_start-observer", 120, 40)
	for _, want := range []string{"server 3", "zone zone2", "cluster ob_upgrade"} {
		if !strings.Contains(v, want) {
			t.Errorf("start-observer lacks %q:\n%s", want, v)
		}
	}
	// It sends no timeouts or run counts: "—", never 0:00 or ×0.
	if !strings.Contains(v, "—") || strings.Contains(v, "×0") || strings.Contains(v, " 0:00 ") {
		t.Errorf("start-observer: unknown timeouts and runs must read —:\n%s", v)
	}
	// A task-list item: no edges (no lanes invented, and it says so), no
	// timeouts, no run counts; rolled back from its steps' operations.
	v = show("V4.2.2_en_task-list-6202983", 120, 40)
	for _, want := range []string{"steps as listed: this answer has no edges", "↺ ROLLED BACK", "1 of 1 steps rolled back",
		"↺ ROLLED BACK Set super user password", "tenant zhiqiong", "cluster ob20daily.xiaojun.chengxj"} {
		if !strings.Contains(v, want) {
			t.Errorf("task-list item lacks %q:\n%s", want, v)
		}
	}
	for _, bad := range []string{"●", "parallel branch", "✓ SUCCESSFUL", "×0"} {
		if strings.Contains(v, bad) {
			t.Errorf("task-list item shows %q:\n%s", bad, v)
		}
	}
}

// A zone restart of three servers laid out by OCP's template
// (embedded.BuildTask), midway: the per-server steps share their names, so
// each row names its server by address; the header says where it runs.
func TestZoneOfThreeMidway(t *testing.T) {
	for _, c := range []struct {
		name  string
		ascii bool
		w, h  int
	}{
		{"zone3-midway_120x40", false, 120, 40},
		{"zone3-midway_80x24", false, 80, 24},
		{"ascii-zone3-midway_120x40", true, 120, 40},
		{"ascii-zone3-midway_80x24", true, 80, 24},
	} {
		t.Run(c.name, func(t *testing.T) {
			fake := commontest.New()
			task := zoneOfThree(t, fake)
			fake.AddTask(*task)
			con := newConsole(t, fake, task.ID, c.ascii, c.w, c.h)
			con.tick(time.Second)
			view := con.view()
			plain := ansi.Strip(view)
			for _, addr := range []string{"198.51.100.13:2882", "198.51.100.14:2882", "198.51.100.15:2882"} {
				if !strings.Contains(plain, "Stop observer process"+theme.New(theme.Options{ASCII: c.ascii}).Glyphs.Bullet+addr) && c.w >= 120 {
					t.Errorf("no row of %s names it:\n%s", addr, plain)
				}
				if strings.Contains(plain, addr[:len(addr)-2]+"…") || strings.Contains(plain, addr[:len(addr)-2]+"...") {
					t.Errorf("an address is cut:\n%s", plain)
				}
			}
			golden.RequireEqual(t, []byte(view))
		})
	}
}

// zoneOfThree is protoss's zone2 (three servers in the fake fleet) as
// OCP's zone restart template lays it out, run to midway: the first ten
// rows in execution order done 20 s apart, every step they freed
// running, one branch ahead of the others.
func zoneOfThree(t *testing.T, fake *commontest.Fake) *ocp.Task {
	t.Helper()
	servers, err := fake.ListServers(t.Context(), 1, "zone2")
	if err != nil || len(servers) != 3 {
		t.Fatalf("zone2 of protoss: %v %v", servers, err)
	}
	ids := []int64{servers[0].ID, servers[1].ID, servers[2].ID}
	start := commontest.Epoch
	task, err := embedded.BuildTask(embedded.RestartZoneTemplate, embedded.TaskSpec{TaskID: 4242, Start: start,
		ClusterID: 1, ClusterName: "protoss", ZoneName: "zone2", ServerIDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	g := dag.OfTask(task)
	done := map[int64]bool{}
	at := start
	for r := 0; r < 10; r++ {
		s := &task.Subtasks[g.Rows[r].Index]
		s.Status, s.StartTime = ocp.SubtaskSuccessful, ocp.NewTime(at)
		at = at.Add(20 * time.Second)
		s.FinishTime = ocp.NewTime(at)
		done[s.ID] = true
	}
	ran := 0
	for _, row := range g.Rows {
		s := &task.Subtasks[row.Index]
		if done[s.ID] {
			continue
		}
		free := true
		for _, up := range s.Upstreams {
			free = free && done[up]
		}
		if !free {
			s.Status = ocp.SubtaskPending
			continue
		}
		s.Status, s.StartTime = ocp.SubtaskRunning, ocp.NewTime(at)
		if ran == 0 {
			s.Status, s.FinishTime = ocp.SubtaskSuccessful, ocp.NewTime(at.Add(20*time.Second))
		}
		ran++
	}
	fake.SetNow(at.Add(45 * time.Second))
	return task
}
