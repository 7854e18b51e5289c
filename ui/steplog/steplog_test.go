package steplog

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/common/commontest"
	"github.com/obconsole/obconsole/ui/common/commontest/screens"
	"github.com/obconsole/obconsole/ui/keys"
)

// counting wraps an executor, counting the reads this view makes and
// failing them on demand.
type counting struct {
	backend.Executor
	mu      sync.Mutex
	logs    int
	gets    int
	failErr error
}

func (c *counting) SubtaskLog(ctx context.Context, taskID, subID int64) (string, error) {
	c.mu.Lock()
	c.logs++
	err := c.failErr
	c.mu.Unlock()
	if err != nil {
		return "", err
	}
	return c.Executor.SubtaskLog(ctx, taskID, subID)
}

func (c *counting) GetTask(ctx context.Context, id int64) (*ocp.Task, error) {
	c.mu.Lock()
	c.gets++
	err := c.failErr
	c.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return c.Executor.GetTask(ctx, id)
}

func (c *counting) counts() (logs, gets int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.logs, c.gets
}

func (c *counting) fail(err error) { c.mu.Lock(); c.failErr = err; c.mu.Unlock() }

// env is a restart on the embedded simulator, on a fake clock.
type env struct {
	t      *testing.T
	clock  *embedded.FakeClock
	emb    *embedded.Executor
	exec   *counting
	ctx    *common.Context
	task   *ocp.Task
	toasts []common.ToastMsg
	h      *screens.Harness // drives the view opened last
}

func newEnv(t *testing.T, scenario string) *env {
	t.Helper()
	clock := embedded.NewFakeClock(commontest.Epoch)
	emb, err := embedded.New(embedded.Options{Clock: clock, Seed: 1, Scenario: scenario})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	task, err := emb.RestartServer(context.Background(), 12000001, 13000001, backend.RestartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, clock: clock, emb: emb, exec: &counting{Executor: emb}, task: task}
	th := theme.New(theme.Options{Mode: theme.Dark})
	e.ctx = common.NewContext(e.exec, th, keys.New(false), false, time.Second)
	return e
}

// step returns the named step as the backend has it now.
func (e *env) step(name string) ocp.Subtask {
	e.t.Helper()
	task, err := e.emb.GetTask(context.Background(), e.task.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, s := range task.Subtasks {
		if s.Name == name {
			return s
		}
	}
	e.t.Fatalf("no step %q", name)
	return ocp.Subtask{}
}

// waitRunning advances the clock until the named step runs.
func (e *env) waitRunning(name string) ocp.Subtask {
	e.t.Helper()
	ok := e.clock.AdvanceUntil(func() bool { return e.step(name).Status == ocp.SubtaskRunning }, time.Hour)
	if !ok {
		e.t.Fatalf("step %q never ran", name)
	}
	return e.step(name)
}

// send delivers msg the way the root does (commontest/screens).
func (e *env) send(m *Model, msg tea.Msg) {
	e.h.Send(msg)
	e.collect()
}

// collect keeps the toasts the view sent.
func (e *env) collect() {
	for _, msg := range e.h.Out {
		if t, ok := msg.(common.ToastMsg); ok {
			e.toasts = append(e.toasts, t)
		}
	}
	e.h.Out = nil
}

func (e *env) tick(m *Model) { e.send(m, common.TickMsg{Now: e.clock.Now()}) }

func (e *env) press(m *Model, ks ...string) {
	for _, k := range ks {
		e.send(m, keyMsg(k))
	}
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

func (e *env) open(step ocp.Subtask, w, h int) *Model {
	m := New(e.ctx, e.task.ID, step)
	m.SetSize(w, h)
	e.h = screens.New(e.t, e.ctx, m)
	e.collect()
	return m
}

func view(m *Model) string { return ansi.Strip(m.View()) }

func checkFits(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) != h {
		t.Errorf("view is %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got > w {
			t.Errorf("line %d is %d columns, want at most %d: %q", i, got, w, l)
		}
	}
}

func TestFollowsNewLinesWhileTheStepRuns(t *testing.T) {
	e := newEnv(t, "")
	step := e.waitRunning("Wait observer active")
	m := e.open(step, 80, 8)
	first := m.Lines()
	if first == 0 || !m.Following() {
		t.Fatalf("lines %d, following %v", first, m.Following())
	}
	// More lines arrive on the next ticks; the bottom stays in view.
	e.clock.Advance(6 * time.Second)
	e.tick(m)
	if m.Lines() <= first {
		t.Fatalf("no new lines after a tick: %d then %d", first, m.Lines())
	}
	if !m.vp.AtBottom() {
		t.Errorf("following, but the bottom is not in view (offset %d of %d)", m.vp.YOffset, m.vp.TotalLineCount())
	}
	v := view(m)
	if !strings.Contains(v, "following") || !strings.Contains(v, "Log of Wait observer active") {
		t.Errorf("heading:\n%s", v)
	}
	checkFits(t, v, 80, 8)
}

func TestMovingUpStopsFollowingAndGResumes(t *testing.T) {
	e := newEnv(t, "")
	step := e.waitRunning("Wait observer active")
	e.clock.Advance(10 * time.Second)
	m := e.open(step, 80, 5)
	if m.vp.TotalLineCount() <= 4 {
		t.Skipf("log too short to scroll: %d lines", m.vp.TotalLineCount())
	}
	e.press(m, "up")
	if m.Following() {
		t.Fatal("moving up should stop following")
	}
	at := m.YOffset()
	e.clock.Advance(10 * time.Second)
	e.tick(m)
	if m.YOffset() != at {
		t.Errorf("new lines moved a paused view: offset %d, was %d", m.YOffset(), at)
	}
	if !strings.Contains(view(m), "paused") {
		t.Errorf("a paused view should say so:\n%s", view(m))
	}
	e.press(m, "g")
	if m.YOffset() != 0 {
		t.Errorf("g: offset %d, want 0", m.YOffset())
	}
	e.press(m, "G")
	if !m.Following() || !m.vp.AtBottom() {
		t.Errorf("G: following %v, at bottom %v", m.Following(), m.vp.AtBottom())
	}
}

// Once the step has ended the view reads its log one last time and polls
// no more: ticks then cost nothing.
func TestStopsPollingOnceTheStepEnded(t *testing.T) {
	e := newEnv(t, "")
	step := e.waitRunning("Start observer process")
	m := e.open(step, 80, 10)
	e.clock.AdvanceUntil(func() bool { return e.step("Start observer process").Status.Ended() }, time.Hour)
	for i := 0; i < statusEvery; i++ {
		e.tick(m)
	}
	if m.Polling() {
		t.Fatalf("still polling after the step ended (status %s)", m.step.Status)
	}
	if last := m.lines[len(m.lines)-1]; !strings.Contains(last, "state: SUCCESSFUL") {
		t.Errorf("the final log should end with the step's last line, ends with %q", last)
	}
	if v := view(m); !strings.Contains(v, "SUCCESSFUL in") || strings.Contains(v, "following") {
		t.Errorf("the end of the log should show, and the view no longer follow:\n%s", v)
	}
	logs, gets := e.exec.counts()
	for i := 0; i < 10; i++ {
		e.tick(m)
	}
	if l2, g2 := e.exec.counts(); l2 != logs || g2 != gets {
		t.Errorf("ticks after the end made requests: logs %d→%d, gets %d→%d", logs, l2, gets, g2)
	}
	// ctrl+r reads again.
	e.send(m, common.RefreshMsg{})
	if l2, _ := e.exec.counts(); l2 != logs+1 {
		t.Errorf("ctrl+r: %d log reads, want %d", l2, logs+1)
	}
}

// While the step runs: one request per tick, the log, or every
// statusEvery-th tick the step's status.
func TestRequestsPerTick(t *testing.T) {
	e := newEnv(t, "hang:wait-observer-active")
	step := e.waitRunning("Wait observer active")
	m := e.open(step, 80, 10)
	l0, g0 := e.exec.counts()
	const n = 6
	for i := 0; i < n; i++ {
		e.clock.Advance(time.Second)
		e.tick(m)
	}
	l, g := e.exec.counts()
	if l-l0 != n-n/statusEvery || g-g0 != n/statusEvery {
		t.Errorf("%d ticks: %d log and %d status reads, want %d and %d", n, l-l0, g-g0, n-n/statusEvery, n/statusEvery)
	}
}

func TestSearch(t *testing.T) {
	e := newEnv(t, "")
	e.clock.AdvanceUntil(func() bool { return e.step("Wait observer active").Status.Ended() }, time.Hour)
	m := e.open(e.step("Wait observer active"), 100, 6)
	e.press(m, "/")
	if !m.Capturing() {
		t.Fatal("/ should open the search prompt")
	}
	for _, r := range "EXECUTOR" {
		e.press(m, string(r))
	}
	if m.Matches() == 0 {
		t.Fatalf("no line matches \"executor\" (case-insensitive):\n%s", strings.Join(m.lines, "\n"))
	}
	e.press(m, "enter")
	if m.Capturing() {
		t.Fatal("enter keeps the search and leaves the prompt")
	}
	v := view(m)
	if !strings.Contains(v, "search: EXECUTOR") || !strings.Contains(v, "match 1 of") {
		t.Errorf("search line:\n%s", v)
	}
	line := m.lines[m.matches[m.current]]
	if !strings.Contains(v, ansi.Truncate(line, 40, "")) {
		t.Errorf("the current match %q is not in view:\n%s", line, v)
	}
	before := m.current
	e.press(m, "n")
	if m.Matches() > 1 && m.current != before+1 {
		t.Errorf("n: match %d, want %d", m.current, before+1)
	}
	e.press(m, "N")
	if m.current != before {
		t.Errorf("N: match %d, want %d", m.current, before)
	}
	e.press(m, "esc")
	if m.search.Value() != "" || m.Matches() != 0 {
		t.Errorf("esc should clear the search, query %q", m.search.Value())
	}
	_, cmd := m.Update(keyMsg("esc"))
	if cmd == nil {
		t.Fatal("esc without a search goes back")
	}
	if _, ok := cmd().(common.PopMsg); !ok {
		t.Error("esc without a search should pop the view")
	}
}

func TestStaleOnError(t *testing.T) {
	e := newEnv(t, "")
	step := e.waitRunning("Wait observer active")
	m := e.open(step, 80, 10)
	lines := m.Lines()
	e.exec.fail(&backend.Error{Kind: backend.Unavailable, Op: "subtask log", Message: "connection refused"})
	e.tick(m)
	e.tick(m)
	if m.Lines() != lines {
		t.Errorf("a failed read dropped the log: %d lines, had %d", m.Lines(), lines)
	}
	if !strings.Contains(view(m), "STALE") {
		t.Errorf("a failed refresh should mark the log stale:\n%s", view(m))
	}
	if len(e.toasts) != 1 {
		t.Errorf("want one toast for the failure, got %d: %+v", len(e.toasts), e.toasts)
	}
	e.exec.fail(nil)
	e.tick(m) // the status read (third tick)
	e.tick(m) // the log again
	if strings.Contains(view(m), "STALE") {
		t.Error("STALE should go once a read works")
	}
}

func TestLongLinesWrapAndSmallSizesFit(t *testing.T) {
	e := newEnv(t, "")
	e.clock.RunUntilIdle()
	m := e.open(e.step("Stop observer process"), 40, 12)
	if m.vp.TotalLineCount() <= m.Lines() {
		t.Errorf("lines longer than 40 columns should wrap: %d wrapped for %d lines", m.vp.TotalLineCount(), m.Lines())
	}
	for _, size := range [][2]int{{40, 12}, {1, 1}, {2, 3}, {80, 24}, {120, 40}, {10, 2}} {
		m.SetSize(size[0], size[1])
		checkFits(t, view(m), size[0], size[1])
		e.press(m, "/", "x")
		checkFits(t, view(m), size[0], size[1])
		e.press(m, "esc", "G", "up", "g")
	}
}

func TestEmptyAndFailedFirstLoad(t *testing.T) {
	e := newEnv(t, "")
	// A step that has not started has no log yet.
	m := e.open(e.step("Update OB cluster status"), 80, 5)
	if v := view(m); !strings.Contains(v, "The log is empty") {
		t.Errorf("empty log:\n%s", v)
	}
	// A console that has not read the log yet, and cannot.
	e = newEnv(t, "")
	e.exec.fail(&backend.Error{Kind: backend.Unavailable, Op: "subtask log", Message: "connection refused"})
	m = e.open(e.step("Update OB cluster status"), 80, 5)
	if v := view(m); !strings.Contains(v, "Could not load the log") {
		t.Errorf("failed first load:\n%s", v)
	}
}

// The current match stays current while the log grows: "match 2 of N"
// stays on the same line as more lines (and matches) arrive, and the
// count follows.
func TestSearchKeepsItsPlaceAcrossAppends(t *testing.T) {
	e := newEnv(t, "")
	step := e.waitRunning("Wait observer active")
	e.clock.Advance(8 * time.Second)
	m := e.open(step, 100, 12)
	e.press(m, "/", "I", "N", "F", "O", "enter")
	if m.Matches() < 3 {
		t.Fatalf("want at least three matches of INFO, got %d:\n%s", m.Matches(), strings.Join(m.lines, "\n"))
	}
	e.press(m, "n")
	if m.current != 1 {
		t.Fatalf("n: match %d", m.current+1)
	}
	line, text, before := m.matches[m.current], m.lines[m.matches[m.current]], m.Matches()
	for i := 0; i < 6; i++ {
		e.clock.Advance(3 * time.Second)
		e.tick(m)
	}
	if m.Matches() <= before {
		t.Fatalf("the log did not grow with matches: %d then %d", before, m.Matches())
	}
	if m.matches[m.current] != line || m.lines[line] != text {
		t.Fatalf("the current match moved from line %d (%q) to %d", line, text, m.matches[m.current])
	}
	want := fmt.Sprintf("match 2 of %d", m.Matches())
	if v := view(m); !strings.Contains(v, want) {
		t.Errorf("search line lacks %q:\n%s", want, v)
	}
}

// The heading says when the step ran, with the year and the zone the
// backend sent, compact when narrow; a skipped step reads SKIPPED.
func TestHeadingTimesCarryYearAndZone(t *testing.T) {
	e := newEnv(t, "")
	e.clock.AdvanceUntil(func() bool { return e.step("Wait observer active").Status.Ended() }, time.Hour)
	step := e.step("Wait observer active")
	m := e.open(step, 140, 8)
	want := "started " + step.StartTime.Format("2006-01-02 15:04:05") + " +00:00 finished " + step.FinishTime.Format("15:04:05")
	if v := view(m); !strings.Contains(v, want) {
		t.Errorf("heading lacks %q:\n%s", want, v)
	}
	m.SetSize(100, 8)
	if v := view(m); !strings.Contains(v, "started "+step.StartTime.Format("2006-01-02 15:04:05")+"+00") {
		t.Errorf("narrow heading lacks the compact stamp:\n%s", v)
	}
	// The step as the Task view passed it, before the store read the task.
	skipped := step
	skipped.Operation = ocp.OpSkip
	m = New(common.NewContext(e.exec, nil, nil, false, time.Second), e.task.ID, skipped)
	m.SetSize(140, 8)
	if v := view(m); !strings.Contains(v, "» SKIPPED") {
		t.Errorf("a skipped step's heading:\n%s", v)
	}
}
