package taskview

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/common/commontest"
	"github.com/obconsole/obconsole/ui/common/commontest/screens"
	"github.com/obconsole/obconsole/ui/keys"
)

// fakeExec serves one scripted task and counts every request the view
// makes. The embedded commontest.Fake answers the calls the view never
// makes (clusters, servers, restart).
type fakeExec struct {
	*commontest.Fake

	mu      sync.Mutex
	task    *ocp.Task
	getErr  error
	logs    map[int64]string
	logErr  error
	gets    int
	logGets []int64
	ops     []string
}

func newFake(t *ocp.Task) *fakeExec {
	return &fakeExec{Fake: commontest.New(), task: t, logs: map[int64]string{}}
}

// set replaces the task the backend reports.
func (f *fakeExec) set(t *ocp.Task) { f.mu.Lock(); f.task = t; f.mu.Unlock() }

func (f *fakeExec) setErr(err error) { f.mu.Lock(); f.getErr = err; f.mu.Unlock() }

func (f *fakeExec) getCount() int { f.mu.Lock(); defer f.mu.Unlock(); return f.gets }

func (f *fakeExec) logCalls() []int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]int64(nil), f.logGets...)
}

func (f *fakeExec) opCalls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.ops...)
}

func (f *fakeExec) GetTask(ctx context.Context, id int64) (*ocp.Task, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gets++
	if f.getErr != nil {
		return nil, f.getErr
	}
	if f.task == nil || f.task.ID != id {
		return nil, backend.Errorf(backend.NotFound, fmt.Sprintf("get task %d", id), "task %d not found", id)
	}
	return cloneTask(f.task), nil
}

func (f *fakeExec) SubtaskLog(ctx context.Context, taskID, subtaskID int64) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.logGets = append(f.logGets, subtaskID)
	if f.logErr != nil {
		return "", f.logErr
	}
	return f.logs[subtaskID], nil
}

func (f *fakeExec) op(name string) {
	f.mu.Lock()
	f.ops = append(f.ops, name)
	f.mu.Unlock()
}

func (f *fakeExec) RetryTask(ctx context.Context, id int64) (*ocp.Task, error) {
	f.op(fmt.Sprintf("RetryTask %d", id))
	f.mu.Lock()
	defer f.mu.Unlock()
	t := cloneTask(f.task)
	t.Status = ocp.TaskRunning
	f.task = t
	return cloneTask(t), nil
}

func (f *fakeExec) RollbackTask(ctx context.Context, id int64) (*ocp.Task, error) {
	f.op(fmt.Sprintf("RollbackTask %d", id))
	return nil, nil
}

func (f *fakeExec) SkipSubtask(ctx context.Context, t, s int64) error {
	f.op(fmt.Sprintf("SkipSubtask %d %d", t, s))
	return nil
}

func (f *fakeExec) RetrySubtask(ctx context.Context, t, s int64) (*ocp.Subtask, error) {
	f.op(fmt.Sprintf("RetrySubtask %d %d", t, s))
	return &ocp.Subtask{ID: s, Status: ocp.SubtaskRunning}, nil
}

func (f *fakeExec) CancelSubtask(ctx context.Context, t, s int64) error {
	f.op(fmt.Sprintf("CancelSubtask %d %d", t, s))
	return nil
}

func cloneTask(t *ocp.Task) *ocp.Task {
	c := *t
	c.Subtasks = append([]ocp.Subtask(nil), t.Subtasks...)
	return &c
}

// restartTask is the documented sample task (testdata/restart.json), a
// copy each time.
func restartTask(t testing.TB) *ocp.Task {
	t.Helper()
	b, err := os.ReadFile("testdata/restart.json")
	if err != nil {
		t.Fatal(err)
	}
	var env ocp.Envelope[ocp.Task]
	if err := json.Unmarshal(b, &env); err != nil {
		t.Fatal(err)
	}
	return &env.Data
}

// restartOrder is the sample's steps in execution order.
var restartOrder = []string{
	"Prepare restart observer", "Stop server", "Stop observer process", "Start observer process",
	"Wait observer active", "Start ocp agent service", "Start server", "Update observer status",
	"Update zone status", "Sync cluster info", "Update OB cluster status",
}

// epoch is the fake backend's time zero.
var epoch = commontest.Epoch

// progress sets the sample task as if its first done steps succeeded, one
// minute each from epoch, and the next one runs since (epoch + done min).
func progress(t *ocp.Task, done int) *ocp.Task {
	t = cloneTask(t)
	t.StartTime = ocp.NewTime(epoch)
	at := epoch
	for i, name := range restartOrder {
		s := subtaskNamed(t, name)
		switch {
		case i < done:
			s.Status = ocp.SubtaskSuccessful
			s.StartTime = ocp.NewTime(at)
			at = at.Add(time.Minute)
			s.FinishTime = ocp.NewTime(at)
		case i == done:
			s.Status = ocp.SubtaskRunning
			s.StartTime = ocp.NewTime(at)
			s.FinishTime = ocp.Time{}
		default:
			s.Status = ocp.SubtaskPending
			s.StartTime, s.FinishTime = ocp.Time{}, ocp.Time{}
		}
	}
	return t
}

// latest is the task's last start or finish time.
func latest(t *ocp.Task) time.Time {
	at := t.StartTime.Time
	for _, s := range t.Subtasks {
		for _, x := range []ocp.Time{s.StartTime, s.FinishTime} {
			if x.After(at) {
				at = x.Time
			}
		}
	}
	return at
}

func subtaskNamed(t *ocp.Task, name string) *ocp.Subtask {
	for i := range t.Subtasks {
		if t.Subtasks[i].Name == name {
			return &t.Subtasks[i]
		}
	}
	panic("no step " + name)
}

// harness drives one Model the way the root does (commontest/screens),
// running Cmds inline.
type harness struct {
	t    testing.TB
	fake *fakeExec
	ctx  *common.Context
	m    *Model
	drv  *screens.Harness
	out  []tea.Msg // messages for the root: toasts, pop, actions' outcomes
}

func newHarness(t testing.TB, task *ocp.Task, opts ...func(*harness)) *harness {
	return newHarnessOn(t, newFake(task), task, opts...)
}

// newHarnessOn is newHarness over the backend f.
func newHarnessOn(t testing.TB, f *fakeExec, task *ocp.Task, opts ...func(*harness)) *harness {
	t.Helper()
	h := &harness{t: t, fake: f}
	h.fake.SetNow(latest(task).Add(30 * time.Second))
	th := theme.New(theme.Options{Mode: theme.Dark, NoColor: true})
	h.ctx = common.NewContext(h.fake, th, keys.New(false), false, time.Second)
	for _, o := range opts {
		o(h)
	}
	h.m = New(h.ctx, task.ID)
	h.m.SetSize(80, 21)
	h.drv = screens.New(t, h.ctx, h.m)
	h.collect()
	return h
}

func withTheme(th *theme.Theme) func(*harness) {
	return func(h *harness) { h.ctx.Theme = th; h.ctx.Keys = keys.New(th.ASCII()) }
}

func readOnly(h *harness) { h.ctx.ReadOnly = true }

// collect keeps what the driver gave the root.
func (h *harness) collect() {
	h.out = append(h.out, h.drv.Out...)
	h.drv.Out = nil
}

// run executes cmd and everything it leads to.
func (h *harness) run(cmd tea.Cmd) {
	h.drv.Run(cmd)
	h.collect()
}

// send delivers msg as the root would and runs what it leads to.
func (h *harness) send(msg tea.Msg) {
	h.drv.Send(msg)
	h.collect()
}

// tick moves the backend clock by d and sends the root's tick.
func (h *harness) tick(d time.Duration) {
	h.fake.SetNow(h.fake.Now().Add(d))
	h.send(common.TickMsg{Now: h.fake.Now()})
}

func (h *harness) key(k string) {
	var msg tea.KeyMsg
	switch k {
	case "up", "down", "esc", "pgdown", "pgup", "home", "end":
		msg = map[string]tea.KeyMsg{
			"up": {Type: tea.KeyUp}, "down": {Type: tea.KeyDown}, "esc": {Type: tea.KeyEsc},
			"pgdown": {Type: tea.KeyPgDown}, "pgup": {Type: tea.KeyPgUp},
			"home": {Type: tea.KeyHome}, "end": {Type: tea.KeyEnd},
		}[k]
	default:
		msg = keyMsg(k)
	}
	h.send(msg)
}

func (h *harness) view() string { return ansi.Strip(h.m.View()) }

func (h *harness) requireView(want ...string) {
	h.t.Helper()
	v := h.view()
	for _, w := range want {
		if !strings.Contains(v, w) {
			h.t.Fatalf("view lacks %q:\n%s", w, v)
		}
	}
}

func (h *harness) refuseView(bad ...string) {
	h.t.Helper()
	v := h.view()
	for _, b := range bad {
		if strings.Contains(v, b) {
			h.t.Fatalf("view shows %q:\n%s", b, v)
		}
	}
}

// toasts returns the toasts sent so far and forgets them.
func (h *harness) toasts() []common.ToastMsg {
	var out []common.ToastMsg
	rest := h.out[:0]
	for _, m := range h.out {
		if t, ok := m.(common.ToastMsg); ok {
			out = append(out, t)
		} else {
			rest = append(rest, m)
		}
	}
	h.out = rest
	return out
}

// line returns the view's line holding s, "" when none.
func (h *harness) line(s string) string {
	for _, l := range strings.Split(h.view(), "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

func keyMsg(k string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)} }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// zoneTask is a zone restart of n servers: prepare, stop zone, one branch
// of four steps per server, start zone, update. Edges are stated on the
// upstream side only, as a terse backend might. The stop steps are done;
// every branch is at "Start observer process".
func zoneTask(n int) *ocp.Task {
	t := &ocp.Task{ID: 7, Name: "Restart OB zone", Status: ocp.TaskRunning, StartTime: ocp.NewTime(epoch),
		Context: ocp.TaskContext{StringMap: map[string]string{"cluster_name": "protoss", "zone_name": "zone1"}}}
	id := int64(1000)
	add := func(name string, st ocp.SubtaskStatus, ups ...int64) int64 {
		id++
		s := ocp.Subtask{ID: id, Name: name, ClassName: "com.example.Step", Status: st, Timeout: 300, RunTime: 1, Upstreams: ups}
		if st != ocp.SubtaskPending {
			s.StartTime = ocp.NewTime(epoch)
		}
		if st == ocp.SubtaskSuccessful {
			s.FinishTime = ocp.NewTime(epoch.Add(10 * time.Second))
		}
		t.Subtasks = append(t.Subtasks, s)
		return id
	}
	prep := add("Prepare restart zone", ocp.SubtaskSuccessful)
	stop := add("Stop zone", ocp.SubtaskSuccessful, prep)
	var tails []int64
	for b := 1; b <= n; b++ {
		up := add(fmt.Sprintf("Stop observer process %d", b), ocp.SubtaskSuccessful, stop)
		up = add(fmt.Sprintf("Start observer process %d", b), ocp.SubtaskRunning, up)
		up = add(fmt.Sprintf("Wait observer active %d", b), ocp.SubtaskPending, up)
		up = add(fmt.Sprintf("Start ocp agent service %d", b), ocp.SubtaskPending, up)
		tails = append(tails, up)
	}
	start := add("Start zone", ocp.SubtaskPending, tails...)
	add("Update zone status", ocp.SubtaskPending, start)
	return t
}

// bigTask is n steps in blocks: a step that forks into `branches` chains
// of three steps which join into the next block's first step. The first
// half has succeeded and one step runs.
func bigTask(n, branches int) *ocp.Task {
	t := &ocp.Task{ID: 9, Name: "Generated task", Status: ocp.TaskRunning, StartTime: ocp.NewTime(epoch)}
	var prev []int64
	id := int64(1)
	for len(t.Subtasks) < n {
		head := id
		t.Subtasks = append(t.Subtasks, ocp.Subtask{ID: head, Upstreams: prev})
		id++
		prev = nil
		for b := 0; b < branches && len(t.Subtasks) < n; b++ {
			up := head
			for s := 0; s < 3 && len(t.Subtasks) < n; s++ {
				t.Subtasks = append(t.Subtasks, ocp.Subtask{ID: id, Upstreams: []int64{up}})
				up = id
				id++
			}
			prev = append(prev, up)
		}
	}
	for i := range t.Subtasks {
		s := &t.Subtasks[i]
		s.Name = fmt.Sprintf("Generated step %d", s.ID)
		s.ClassName = "com.example.GeneratedStep"
		s.Timeout, s.RunTime = 600, 1
		switch {
		case i < n/2:
			s.Status = ocp.SubtaskSuccessful
			s.StartTime = ocp.NewTime(epoch.Add(time.Duration(i) * time.Second))
			s.FinishTime = ocp.NewTime(epoch.Add(time.Duration(i+1) * time.Second))
		case i == n/2:
			s.Status = ocp.SubtaskRunning
			s.StartTime = ocp.NewTime(epoch.Add(time.Duration(i) * time.Second))
		default:
			s.Status = ocp.SubtaskPending
		}
	}
	return t
}
