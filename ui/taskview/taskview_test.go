package taskview

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/common/commontest/screens"
)

func TestShowsTheGraphInExecutionOrder(t *testing.T) {
	h := newHarness(t, progress(restartTask(t), 2))
	lines := strings.Split(h.view(), "\n")
	var names []string
	for _, l := range lines {
		for _, n := range restartOrder {
			if strings.Contains(l, "●") && strings.Contains(l, " "+n+" ") {
				names = append(names, n)
			}
		}
	}
	if !reflect.DeepEqual(names, restartOrder) {
		t.Fatalf("rows in order %q, want %q\n%s", names, restartOrder, h.view())
	}
	h.requireView("Restart OB server", "#89027028", "RUNNING", "2 of 11 steps done", "zone zone2", "server 13000002")
	h.m.SetSize(100, 21)
	h.requireView("cluster protoss")
	h.refuseView("FORCE")
}

func TestHeaderMarksForce(t *testing.T) {
	task := progress(restartTask(t), 2)
	task.Context.StringMap["force"] = "true"
	h := newHarness(t, task)
	h.requireView("Restart OB server  FORCE  #89027028")
}

func TestPollsOncePerTickAndStopsWhenTheTaskEnds(t *testing.T) {
	task := progress(restartTask(t), 2)
	h := newHarness(t, task)
	if got := h.fake.getCount(); got != 1 {
		t.Fatalf("Init made %d GetTask calls, want 1", got)
	}
	h.send(common.ShownMsg{}) // shown again, read this interval: no fetch
	if got := h.fake.getCount(); got != 1 {
		t.Fatalf("shown again within the interval: %d GetTask calls, want 1", got)
	}
	requests := func() int { return h.fake.getCount() + len(h.fake.logCalls()) }
	// Each tick sends exactly one request: the task, or (every logEvery
	// ticks while the selected step runs) its log instead.
	for i := 0; i < 2*logEvery; i++ {
		before := requests()
		h.tick(time.Second)
		if got := requests() - before; got != 1 {
			t.Fatalf("tick %d sent %d requests, want 1", i+1, got)
		}
	}
	gets := h.fake.getCount()
	if want := 1 + 2*logEvery - 2; gets != want {
		t.Fatalf("after Init, ShownMsg and %d ticks: %d GetTask calls, want %d (two ticks fetch the log)", 2*logEvery, gets, want)
	}
	done := progress(restartTask(t), 11)
	done.Status = ocp.TaskSuccessful
	done.FinishTime = ocp.NewTime(epoch.Add(11 * time.Minute))
	h.fake.set(done)
	h.tick(time.Second) // sees the end
	if !h.m.Ended() {
		t.Fatal("the view did not notice the task ended")
	}
	for i := 0; i < 10; i++ {
		h.tick(time.Second)
	}
	h.send(common.ShownMsg{})
	if got := h.fake.getCount(); got != gets+1 {
		t.Fatalf("polling went on after the task ended: %d GetTask calls, want %d", got, gets+1)
	}
	h.send(common.RefreshMsg{}) // ctrl+r still asks
	if got := h.fake.getCount(); got != gets+2 {
		t.Fatalf("ctrl+r on an ended task: %d GetTask calls, want %d", got, gets+2)
	}
	h.requireView("Task SUCCESSFUL: 11 of 11 steps done", "elapsed 11:00")
}

func TestNeverTwoFetchesAtOnce(t *testing.T) {
	h := newHarness(t, progress(restartTask(t), 2))
	// Take the tick's Cmd without running it: the fetch is in flight.
	h.fake.SetNow(epoch.Add(time.Minute))
	cmd, _ := h.ctx.Store.Tick(h.fake.Now())
	if cmd == nil {
		t.Fatal("a tick must fetch")
	}
	for i := 0; i < 3; i++ {
		if again, _ := h.ctx.Store.Tick(h.fake.Now()); again != nil {
			t.Fatalf("tick %d fetched again while a fetch was in flight", i)
		}
	}
	h.run(cmd)
	if got := h.fake.getCount(); got != 2 {
		t.Fatalf("%d GetTask calls, want 2", got)
	}
}

func TestFailedRefreshKeepsTheGraphMarkedStale(t *testing.T) {
	h := newHarness(t, progress(restartTask(t), 3))
	h.toasts()
	h.fake.setErr(&backend.Error{Kind: backend.Unavailable, Op: "get task 89027028", Message: "connection refused"})
	h.m.SetSize(120, 21)
	for i := 0; i < 10; i++ {
		h.tick(time.Second)
	}
	// The age is the status bar's (ticks since a fetch last worked), in
	// its words.
	h.requireView("STALE", "showing the last good answer, updated 10s ago; refresh failed: Unavailable: connection refused")
	h.requireView(restartOrder...)
	if ts := h.toasts(); len(ts) != 1 || ts[0].Level != common.ToastError {
		t.Fatalf("failed refreshes gave toasts %+v, want one error toast", ts)
	}
	// The store counts the failures for the status bar and backs off.
	if _, err := h.ctx.Store.Connection(); err == nil {
		t.Fatal("the status bar was not told the refresh failed")
	}
	if n := h.fake.getCount() - 1; n < 2 || n > 4 {
		t.Fatalf("%d failed GetTask in 10 ticks, want 2 to 4 (backing off)", n)
	}
	if !h.m.Stale() || h.m.Gone() {
		t.Fatal("Stale() = false or Gone() = true")
	}
	h.fake.setErr(nil)
	for i := 0; i < 8 && h.m.Stale(); i++ {
		h.tick(time.Second)
	}
	h.refuseView("STALE")
}

// A stale view stops its clocks at its last good answer: the task's
// elapsed time, a running step's and its gauge do not move while nothing
// is known, and do not go backwards when answers return.
func TestStaleViewFreezesItsClocks(t *testing.T) {
	h := newHarness(t, progress(restartTask(t), 3)) // step 4 runs since epoch+3m; now is +3m30s
	h.tick(time.Second)
	h.requireView("elapsed 3:31")
	running := h.line("Start observer process")
	if !strings.Contains(running, "0:31") {
		t.Fatalf("running step: %q", running)
	}
	h.fake.setErr(&backend.Error{Kind: backend.Unavailable, Op: "get task", Message: "connection refused"})
	for i := 0; i < 30; i++ {
		h.tick(time.Second)
	}
	h.requireView("elapsed 3:31", "STALE")
	if got := h.line("Start observer process"); got != running {
		t.Fatalf("a stale running step's clock moved:\n%q\n%q", running, got)
	}
	h.fake.setErr(nil)
	h.tick(time.Second)
	h.send(common.RefreshMsg{}) // the tick may be one the back-off skips
	h.requireView("elapsed 4:02")
	h.refuseView("STALE")
}

// NotFound after the task was shown: the backend no longer knows it (an
// OCP restored, a simulator restarted). The view says so, keeps the last
// graph with its clocks stopped, and no step reads RUNNING any more.
func TestTaskGoneFromTheBackend(t *testing.T) {
	h := newHarness(t, progress(restartTask(t), 3))
	h.toasts()
	h.m.SetSize(120, 24)
	before := h.line("elapsed")
	h.fake.set(nil) // the fake answers NotFound for every id
	for i := 0; i < 5; i++ {
		h.tick(time.Second)
	}
	if !h.m.Gone() {
		t.Fatal("Gone() = false after NotFound")
	}
	h.requireView("? GONE", "GONE  task 89027028 is no longer on the backend (NotFound); its last known graph, updated 5s ago",
		"? UNKNOWN    Start observer process")
	h.refuseView("RUNNING", "STALE")
	if got := h.line("elapsed"); !strings.HasPrefix(strings.TrimSpace(got), strings.Fields(before)[0]) || !strings.Contains(got, "elapsed 3:30") {
		t.Fatalf("elapsed moved while gone: %q then %q", before, got)
	}
	ts := h.toasts()
	if len(ts) != 1 || !strings.Contains(ts[0].Text, "gone from the backend") {
		t.Fatalf("toasts %+v, want one saying the task is gone", ts)
	}
	// Nothing to act on: no action offered, and none sent.
	for _, b := range h.m.ShortHelp() {
		if d := b.Help().Desc; d == "cancel step" || d == "retry task" {
			t.Errorf("a gone task offers %q", d)
		}
	}
	h.key("C")
	if ops := h.fake.opCalls(); len(ops) != 0 {
		t.Errorf("sent %v for a gone task", ops)
	}
}

func TestFirstFetchFailingSaysSo(t *testing.T) {
	f := newFake(progress(restartTask(t), 1))
	f.setErr(&backend.Error{Kind: backend.NotFound, Op: "get task 89027028", Message: "task 89027028 not found"})
	h := &harness{t: t, fake: f}
	h.ctx = common.NewContext(f, theme.New(theme.Options{Mode: theme.Dark, NoColor: true}), nil, false, time.Second)
	h.m = New(h.ctx, 89027028)
	h.m.SetSize(80, 21)
	h.requireView("loading task 89027028")
	h.drv = screens.New(t, h.ctx, h.m)
	h.collect()
	h.requireView("Task 89027028", "task 89027028 not found")
}

func TestRunningStepElapsedAttemptsAndGauge(t *testing.T) {
	task := progress(restartTask(t), 4) // Wait observer active runs, timeout 1800 s
	s := subtaskNamed(task, "Wait observer active")
	s.RunTime = 3
	h := newHarness(t, task)
	start := s.StartTime.Time
	h.fake.SetNow(start.Add(25*time.Minute + 30*time.Second))
	h.send(common.TickMsg{Now: h.fake.Now()})
	row := h.line("Wait observer active")
	for _, want := range []string{"RUNNING", "25:30", "×3", " 85%", "30:00"} {
		if !strings.Contains(row, want) {
			t.Fatalf("row %q lacks %q", row, want)
		}
	}
	// View reads no clock: the backend moving on changes nothing until
	// the next tick brings its time.
	before := h.m.View()
	h.fake.SetNow(start.Add(40 * time.Minute))
	if h.m.View() != before {
		t.Fatal("View changed without a message: it must not read a clock")
	}
	h.send(common.TickMsg{Now: h.fake.Now()})
	row = h.line("Wait observer active")
	if !strings.Contains(row, "40:00") || !strings.Contains(row, "133%") {
		t.Fatalf("after the tick the row is %q, want 40:00 and 133%%", row)
	}
	// Done steps show their measured runtime, waiting ones nothing.
	if row := h.line("Stop server"); !strings.Contains(row, "1:00") {
		t.Fatalf("finished step row %q lacks 1:00", row)
	}
	if row := h.line("Start server"); !strings.Contains(row, "     -") || strings.Contains(row, "%") {
		t.Fatalf("waiting step row %q", row)
	}
	// One attempt shows no count.
	if row := h.line("Stop server"); strings.Contains(row, "×") {
		t.Fatalf("single attempt shows a count: %q", row)
	}
}

func TestGaugeWarnsAt80AndErrsPast100(t *testing.T) {
	withProfile(t, termenv.ANSI256)
	m := New(common.NewContext(newFake(restartTask(t)), theme.Default(), nil, false, 0), 1)
	for _, c := range []struct {
		ratio float64
		want  paint
	}{{0.5, m.p.muted}, {0.79, m.p.muted}, {0.8, m.p.warning}, {1.0, m.p.warning}, {1.01, m.p.error}} {
		if got := m.pct(c.ratio); got != c.want {
			t.Errorf("ratio %.2f: %q, want %q", c.ratio, got, c.want)
		}
	}
	if m.p.muted == m.p.warning || m.p.warning == m.p.error {
		t.Fatal("the three tones must look different")
	}
}

func TestSelectionFollowsTheRunningStepUntilMoved(t *testing.T) {
	task := restartTask(t)
	h := newHarness(t, progress(task, 2))
	sel := func() string { return h.m.selectedStep().Name }
	if sel() != "Stop observer process" || !h.m.Following() {
		t.Fatalf("selected %q, following %v", sel(), h.m.Following())
	}
	h.fake.set(progress(task, 3))
	h.tick(time.Second)
	if sel() != "Start observer process" {
		t.Fatalf("did not follow: %q", sel())
	}
	h.key("k") // the operator moves: following stops
	if sel() != "Stop observer process" || h.m.Following() {
		t.Fatalf("after k: %q following %v", sel(), h.m.Following())
	}
	h.fake.set(progress(task, 5))
	// Two ticks: the first may pay for the log fetched when the step changed.
	h.tick(time.Second)
	h.tick(time.Second)
	if sel() != "Stop observer process" {
		t.Fatalf("moved with the task although the operator chose a step: %q", sel())
	}
	h.requireView("f follow")
	h.key("f")
	if sel() != "Start ocp agent service" || !h.m.Following() {
		t.Fatalf("after f: %q following %v", sel(), h.m.Following())
	}
	// A failed task is followed to its failed step.
	failed := progress(task, 5)
	failed.Status = ocp.TaskFailed
	subtaskNamed(failed, "Start ocp agent service").Status = ocp.SubtaskFailed
	h.fake.set(failed)
	h.tick(time.Second)
	if sel() != "Start ocp agent service" {
		t.Fatalf("failed task: selected %q", sel())
	}
}

func TestMovementKeys(t *testing.T) {
	h := newHarness(t, progress(restartTask(t), 0))
	sel := func() string { return h.m.selectedStep().Name }
	for _, c := range []struct{ key, want string }{
		{"j", "Stop server"}, {"down", "Stop observer process"}, {"up", "Stop server"},
		{"end", "Update OB cluster status"}, {"home", "Prepare restart observer"},
		{"pgdown", "Update OB cluster status"}, {"k", "Sync cluster info"},
	} {
		h.key(c.key)
		if sel() != c.want {
			t.Fatalf("after %s: %q, want %q", c.key, sel(), c.want)
		}
	}
	h.key("esc")
	if _, ok := h.out[len(h.out)-1].(common.PopMsg); !ok {
		t.Fatalf("esc did not go back: %T", h.out[len(h.out)-1])
	}
}

func TestEndedTaskSaysWhichStepFailed(t *testing.T) {
	task := progress(restartTask(t), 3)
	task.Status = ocp.TaskFailed
	s := subtaskNamed(task, "Start observer process")
	s.Status = ocp.SubtaskFailed
	s.FinishTime = ocp.NewTime(s.StartTime.Add(20*time.Minute + time.Second))
	h := newHarness(t, task)
	h.requireView(`Task FAILED at step 4/11 "Start observer process", past its 20:00 timeout`)
	h.tick(time.Second)
	h.tick(time.Second)
	if got := h.fake.getCount(); got != 1 {
		t.Fatalf("a FAILED task was polled: %d GetTask calls", got)
	}
}

func TestDetailPaneShowsTheStepAndItsLogTail(t *testing.T) {
	task := progress(restartTask(t), 3)
	s := subtaskNamed(task, "Start observer process")
	s.RunTime = 2
	s.Description = "Start the observer process on 198.51.100.12"
	f := newFake(task)
	var log []string
	for i := 1; i <= 30; i++ {
		log = append(log, "line "+strings.Repeat("x", i%3)+string(rune('a'+i%26)))
	}
	log = append(log, "last line: observer pid 4242 started")
	f.logs[s.ID] = strings.Join(log, "\n") + "\n"
	f.logs[subtaskNamed(task, "Stop observer process").ID] = "stop log"
	h := newHarnessOn(t, f, task)
	h.m.SetSize(100, 30)
	h.requireView("step 4/11: Start observer process",
		"description Start the observer process on 198.51.100.12",
		"class       com.alipay.ocp.service.task.business.server.StartObServerProcessTask",
		"started 2025-03-01 03:03:00 +00:00", "finished -", "attempts 2", "timeout 20:00",
		"log         ", "last line: observer pid 4242 started")
	if calls := f.logCalls(); !reflect.DeepEqual(calls, []int64{s.ID}) {
		t.Fatalf("log requests %v, want one for the selected step", calls)
	}
	h.refuseView("line a") // only the tail fits
	h.key("k")
	h.requireView("step 3/11: Stop observer process", "stop log")
	h.refuseView("observer pid 4242")
	// A narrow screen cuts the class name at the front: the simple name stays.
	h.m.SetSize(50, 30)
	if class := h.line("class"); !strings.Contains(class, "…") || !strings.HasSuffix(strings.TrimSpace(class), "StopObServerProcessTask") {
		t.Fatalf("class line at 50 columns: %q", class)
	}
}

func TestLogOfTheSelectedStepOnly(t *testing.T) {
	task := progress(restartTask(t), 3)
	h := newHarness(t, task)
	running := subtaskNamed(task, "Start observer process").ID
	h.fake.logs[running] = "running log"
	// The log is fetched once for the selection, not on every tick...
	h.tick(time.Second)
	h.tick(time.Second)
	calls := h.fake.logCalls()
	if len(calls) != 1 || calls[0] != running {
		t.Fatalf("log requests %v after two ticks", calls)
	}
	// ...but again every logEvery ticks while its step runs.
	for i := 0; i < logEvery; i++ {
		h.tick(time.Second)
	}
	if n := len(h.fake.logCalls()); n != 2 {
		t.Fatalf("%d log requests after %d ticks, want 2", n, logEvery+2)
	}
	// And when the step changes state.
	next := progress(task, 4)
	h.fake.set(next)
	h.key("k") // stop following: stay on the step that just finished
	h.tick(time.Second)
	calls = h.fake.logCalls()
	if last := calls[len(calls)-1]; last != subtaskNamed(task, "Stop observer process").ID {
		t.Fatalf("moving did not fetch the new step's log: %v", calls)
	}
}

func TestLogAnswerForAnotherStepIsNotShown(t *testing.T) {
	task := progress(restartTask(t), 3)
	h := newHarness(t, task)
	h.fake.logs[subtaskNamed(task, "Stop server").ID] = "stop server log"
	h.fake.logs[subtaskNamed(task, "Stop observer process").ID] = "stop process log"
	// The log for "Stop observer process" is asked, then the operator
	// moves on before it arrives.
	h.m.Update(keyMsg("k"))
	c1 := h.ctx.Store.Sync(false)
	h.m.Update(keyMsg("k"))
	h.run(tea.Batch(c1, h.ctx.Store.Sync(false))) // the old answer arrives, then the new step's
	h.requireView("step 2/11: Stop server", "stop server log")
	h.refuseView("stop process log")
}

func TestScrollsAndNeverTallerThanTheScreen(t *testing.T) {
	task := bigTask(1000, 4)
	h := newHarness(t, task)
	for _, size := range [][2]int{{120, 37}, {80, 21}, {40, 9}, {20, 5}, {1, 1}, {3, 2}} {
		h.m.SetSize(size[0], size[1])
		checkFits(t, h.m.View(), size[0], size[1])
	}
	h.m.SetSize(80, 21)
	h.key("end")
	last := task.Subtasks[len(task.Subtasks)-1].Name
	h.requireView("step 1000/1000: "+last, "↑")
	if !strings.Contains(h.line(last), "▸") {
		t.Fatalf("the last row is not shown selected:\n%s", h.view())
	}
	h.key("home")
	h.requireView("step 1/1000", "↓")
	h.refuseView("↑")
	h.m.SetSize(0, 0)
	if h.m.View() != "" {
		t.Fatal("a 0×0 view must be empty")
	}
}

func TestRestartFitsAt80x24(t *testing.T) {
	// The console gives the task view 80×21 at 80×24 (breadcrumb, footer
	// and status bar take three lines): every step, the outcome and some
	// log must still be on screen.
	task := progress(restartTask(t), 3)
	task.Status = ocp.TaskFailed
	s := subtaskNamed(task, "Start observer process")
	s.Status = ocp.SubtaskFailed
	s.FinishTime = ocp.NewTime(s.StartTime.Add(42 * time.Second))
	f := newFake(task)
	f.logs[s.ID] = "ERROR observer exited with code 1"
	h := newHarnessOn(t, f, task)
	checkFits(t, h.m.View(), 80, 21)
	h.requireView(restartOrder...)
	h.requireView("FAILED at step 4/11", "ERROR observer exited with code 1", "0:42", "StartObServerProcessTask")
	for _, st := range []string{"SUCCESSFUL", "FAILED", "PENDING"} {
		h.requireView(st)
	}
}

func TestMalformedGraphWarnsAndStillRenders(t *testing.T) {
	task := progress(restartTask(t), 1)
	a := subtaskNamed(task, "Sync cluster info")
	b := subtaskNamed(task, "Update zone status")
	a.Downstreams = append(a.Downstreams, b.ID) // a cycle: zone → sync → zone
	b.Upstreams = append(b.Upstreams, a.ID)
	subtaskNamed(task, "Start server").Upstreams = []int64{subtaskNamed(task, "Start ocp agent service").ID, 424242}
	h := newHarness(t, task)
	h.m.SetSize(200, 30)
	h.requireView("malformed graph", "cycle among steps", "424242")
	h.requireView(restartOrder...)
}

func TestReadOnlyRefusesEveryAction(t *testing.T) {
	task := progress(restartTask(t), 3)
	task.Status = ocp.TaskFailed
	subtaskNamed(task, "Start observer process").Status = ocp.SubtaskFailed
	h := newHarness(t, task, readOnly)
	for _, k := range []string{"R", "B", "S", "T", "C"} {
		h.key(k)
		ts := h.toasts()
		if len(ts) != 1 || !strings.Contains(ts[0].Text, "read-only") {
			t.Fatalf("%s in read-only: toasts %+v", k, ts)
		}
		h.key("y")
	}
	if ops := h.fake.opCalls(); len(ops) != 0 {
		t.Fatalf("read-only sent %v", ops)
	}
}

func TestActionsAskFirstAndSendOnce(t *testing.T) {
	task := progress(restartTask(t), 3)
	task.Status = ocp.TaskFailed
	failed := subtaskNamed(task, "Start observer process")
	failed.Status = ocp.SubtaskFailed
	h := newHarness(t, task)
	id := failed.ID

	h.key("R")
	h.requireView("Retry task 89027028? Its failed steps run again. y confirm, n cancel")
	if len(h.fake.opCalls()) != 0 {
		t.Fatal("R sent before y")
	}
	h.key("y")
	h.key("y")
	if ops := h.fake.opCalls(); !reflect.DeepEqual(ops, []string{"RetryTask 89027028"}) {
		t.Fatalf("R y y sent %v", ops)
	}
	if h.m.Ended() {
		t.Fatal("after a retry the view must poll again")
	}

	h.key("B")
	h.key("n")
	h.refuseView("Roll back task")
	h.key("S")
	h.key("y")
	h.key("C") // the selected step is FAILED: cancel does not apply
	ts := h.toasts()
	if ops := h.fake.opCalls(); !reflect.DeepEqual(ops, []string{"RetryTask 89027028", "SkipSubtask 89027028 " + itoa(id)}) {
		t.Fatalf("sent %v", ops)
	}
	if last := ts[len(ts)-1]; !strings.Contains(last.Text, "only a RUNNING step can be cancelled") {
		t.Fatalf("C on a failed step: %q", last.Text)
	}
}

func TestRetryOneFailedStep(t *testing.T) {
	task := progress(restartTask(t), 3)
	task.Status = ocp.TaskFailed
	failed := subtaskNamed(task, "Start observer process")
	failed.Status = ocp.SubtaskFailed
	h := newHarness(t, task)
	// The detail pane of the failed step offers it; the footer too.
	h.requireView("step 4/11: Start observer process", "T retry step")
	h.key("T")
	// OCP keeps runTime on a step retry: no attempt number is promised.
	h.m.SetSize(120, 21)
	h.requireView(`Retry "Start observer process" alone? It runs again; the task goes on if it succeeds. y confirm, n cancel`)
	h.refuseView("attempt 2")
	if len(h.fake.opCalls()) != 0 {
		t.Fatal("T sent before y")
	}
	h.key("y")
	h.key("y")
	if ops := h.fake.opCalls(); !reflect.DeepEqual(ops, []string{"RetrySubtask 89027028 " + itoa(failed.ID)}) {
		t.Fatalf("T y y sent %v", ops)
	}
	// A step that did not fail is not retried alone.
	h.key("k")
	h.refuseView("T retry step")
	h.key("T")
	if ts := h.toasts(); !strings.Contains(ts[len(ts)-1].Text, "only a FAILED step can be retried") {
		t.Fatalf("T on a successful step: %+v", ts)
	}
	if n := len(h.fake.opCalls()); n != 1 {
		t.Fatalf("%d operations sent, want 1", n)
	}
}

func TestCancelARunningStep(t *testing.T) {
	task := progress(restartTask(t), 3)
	h := newHarness(t, task)
	h.key("R") // the task is RUNNING: retry does not apply
	if ts := h.toasts(); len(ts) != 1 || !strings.Contains(ts[0].Text, "only a FAILED task") {
		t.Fatalf("R on a running task: %+v", ts)
	}
	h.m.SetSize(120, 21)
	h.key("C")
	h.requireView(`Cancel "Start observer process"? It stops through CANCELING and will be marked FAILED shortly. y confirm, n cancel`)
	h.key("y")
	if ops := h.fake.opCalls(); !reflect.DeepEqual(ops, []string{"CancelSubtask 89027028 " + itoa(subtaskNamed(task, "Start observer process").ID)}) {
		t.Fatalf("sent %v", ops)
	}
}

// OCP cancels only a RUNNING step: a READY one is refused before any
// request, and the footer offers cancel on RUNNING steps only.
func TestCancelIsOfferedOnRunningStepsOnly(t *testing.T) {
	task := progress(restartTask(t), 3)
	ready := subtaskNamed(task, "Start observer process")
	ready.Status, ready.StartTime = ocp.SubtaskReady, ocp.Time{}
	h := newHarness(t, task)
	for _, b := range h.m.ShortHelp() {
		if b.Help().Desc == "cancel step" {
			t.Fatalf("cancel offered on a READY step")
		}
	}
	h.key("C")
	if ts := h.toasts(); len(ts) != 1 || !strings.Contains(ts[0].Text, `only a RUNNING step can be cancelled; "Start observer process" is READY`) {
		t.Fatalf("C on a READY step: %+v", ts)
	}
	if ops := h.fake.opCalls(); len(ops) != 0 {
		t.Fatalf("sent %v", ops)
	}
}

// Skipping goes through OCP's scheduler (FAILED → READY → SUCCESSFUL with
// operation SKIP): the prompt says the step will be marked SKIPPED
// shortly, not that it is done at once.
func TestSkipPromptSaysTheSchedulerMarksItSkipped(t *testing.T) {
	task := progress(restartTask(t), 3)
	task.Status = ocp.TaskFailed
	subtaskNamed(task, "Start observer process").Status = ocp.SubtaskFailed
	h := newHarness(t, task)
	h.m.SetSize(140, 21)
	h.key("S")
	h.requireView(`Skip "Start observer process"? The scheduler marks it SKIPPED shortly, without running it; the next steps go on.`)
	h.refuseView("marked SUCCESSFUL")
	// Narrower, the prompt is cut; the keys that answer it are not.
	for _, w := range []int{120, 100, 80, 40} {
		h.m.SetSize(w, 21)
		if line := h.line("Skip"); !strings.HasSuffix(strings.TrimRight(line, " "), "y confirm, n cancel") {
			t.Errorf("at %d columns the prompt hides its keys: %q", w, line)
		}
	}
}

func TestASCIIModeDrawsOnlyASCII(t *testing.T) {
	th := theme.New(theme.Options{Mode: theme.Dark, ASCII: true, NoColor: true})
	zone := zoneTask(3)
	h := newHarness(t, zone, withTheme(th))
	h.fake.logs[zone.Subtasks[1].ID] = "plain log"
	h.m.SetSize(120, 37)
	checkASCII(t, h.m.View())
	h.requireView("*-+-\\", "*-+-/", "[..] RUNNING")
	h.fake.setErr(&backend.Error{Kind: backend.Unavailable, Message: "down"})
	h.tick(time.Second)
	h.key("C")
	for _, size := range [][2]int{{120, 37}, {80, 21}, {40, 9}} {
		h.m.SetSize(size[0], size[1])
		checkASCII(t, h.m.View())
	}
}

func TestTitleAndHelp(t *testing.T) {
	h := newHarness(t, progress(restartTask(t), 3))
	if h.m.Title() != "task 89027028" || h.m.Capturing() {
		t.Fatalf("title %q capturing %v", h.m.Title(), h.m.Capturing())
	}
	names := func() []string {
		var out []string
		for _, b := range h.m.ShortHelp() {
			out = append(out, b.Help().Desc)
		}
		return out
	}
	if got := names(); !reflect.DeepEqual(got, []string{"up", "down", "follow", "cancel step", "back"}) {
		t.Fatalf("short help %v", got)
	}
	h.key("C")
	if got := names(); !reflect.DeepEqual(got, []string{"confirm", "cancel"}) {
		t.Fatalf("short help while confirming %v", got)
	}
	if n := len(h.m.FullHelp()); n != 3 {
		t.Fatalf("full help has %d columns", n)
	}
}

// checkFits fails unless view is at most h lines of at most w columns.
func checkFits(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > h {
		t.Fatalf("%d lines at height %d", len(lines), h)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Fatalf("line %d is %d wide at width %d: %q", i, lw, w, l)
		}
	}
}

func checkASCII(t *testing.T, view string) {
	t.Helper()
	plain := ansi.Strip(view)
	for i, r := range plain {
		if r > 0x7e || (r < 0x20 && r != '\n') {
			t.Fatalf("non-ASCII %q at byte %d:\n%s", r, i, plain)
		}
	}
}

func TestLogKeyEnlargesTheLog(t *testing.T) {
	task := progress(restartTask(t), 3)
	h := newHarness(t, task)
	var log []string
	for i := 1; i <= 30; i++ {
		log = append(log, fmt.Sprintf("entry %02d", i))
	}
	h.fake.logs[subtaskNamed(task, "Start observer process").ID] = strings.Join(log, "\n")
	h.send(common.RefreshMsg{})
	h.refuseView("entry 20")
	h.key("l")
	checkFits(t, h.m.View(), 80, 21)
	h.requireView("entry 20", "entry 30", "Start observer process")
	h.refuseView("Prepare restart observer") // the graph keeps three rows
	h.key("l")
	h.requireView(restartOrder...)
}
