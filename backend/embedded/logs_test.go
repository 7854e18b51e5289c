package embedded

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend/ocp"
)

// logEntry is one timestamped line of a step's log.
type logEntry struct {
	at    time.Time
	level string
	msg   string
}

func parseLog(t *testing.T, log string) []logEntry {
	t.Helper()
	var out []logEntry
	for _, l := range strings.Split(log, "\n") {
		if len(l) < len(logTimeLayout)+7 {
			continue // a run separator or a state line
		}
		at, err := time.ParseInLocation(logTimeLayout, l[:len(logTimeLayout)], testStart.Location())
		if err != nil {
			continue
		}
		out = append(out, logEntry{at: at, level: strings.TrimSpace(l[len(logTimeLayout)+1 : len(logTimeLayout)+6]), msg: l[len(logTimeLayout)+7:]})
	}
	return out
}

// workOf is what a step reported doing: its INFO lines but the run and
// finish lines.
func workOf(entries []logEntry) []string {
	var out []string
	for _, e := range entries {
		if e.level == "INFO" && !strings.HasPrefix(e.msg, "Run subtask") && !strings.HasPrefix(e.msg, "subtask ") {
			out = append(out, e.msg)
		}
	}
	return out
}

var (
	afterSignal = regexp.MustCompile(`still alive (\d+)s after (SIGTERM|SIGKILL)`)
	stalledAt   = regexp.MustCompile(`stalled at (\d+)% for (\d+)s`)
	timedOut    = regexp.MustCompile(`timed out after (\d+)s`)
	percent     = regexp.MustCompile(`\((\d+)%\)`)
)

// A drill's failed step tells one story: it reports only the work that
// was still true before it failed (a prefix of what the same step
// reports when it succeeds: never "exited, code 0" and then "still
// alive"), and the figures of its error are the log's own (the seconds
// since the signal, the percentage the replay was last seen at).
func TestFailOnceLogsTellOneStory(t *testing.T) {
	type restartKind struct {
		name string
		run  func(e *Executor) *ocp.Task
	}
	kinds := []restartKind{
		{"server", func(e *Executor) *ocp.Task { return restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false) }},
		{"force", func(e *Executor) *ocp.Task { return restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, true) }},
		{"zone", func(e *Executor) *ocp.Task { return restartZone(t, e, DemoPrimaryClusterID, "zone2", false) }},
	}
	for _, k := range kinds {
		healthy, hclk := newTestExecutor(t, Options{Seed: 3})
		ht := k.run(healthy)
		runToEnd(t, healthy, hclk, ht.ID)
		for _, step := range StepNames() {
			e, clk := newTestExecutor(t, Options{Seed: 3, Scenario: "fail-once:" + step})
			task := runToEnd(t, e, clk, k.run(e).ID)
			for _, s := range task.Subtasks {
				if s.Status != ocp.SubtaskFailed || s.Name != step {
					continue
				}
				what := k.name + " " + step
				log := logOf(t, e, task.ID, s.ID)
				entries := parseLog(t, log)
				work := workOf(entries)
				done := workOf(parseLog(t, logOf(t, healthy, ht.ID, s.ID)))
				if len(done) > 0 && (len(work) >= len(done) || !slices.Equal(work, done[:len(work)])) {
					t.Errorf("%s: the failed attempt reports %q, not a part of what a successful one does (%q)", what, work, done)
				}
				errAt := -1
				for i, en := range entries {
					if en.level == "ERROR" {
						errAt = i
						break
					}
				}
				if errAt < 1 {
					t.Errorf("%s: no error after the start:\n%s", what, log)
					continue
				}
				msg, at := entries[errAt].msg, entries[errAt].at
				last := entries[errAt-1]
				if m := afterSignal.FindStringSubmatch(msg); m != nil {
					sent := slices.IndexFunc(entries, func(en logEntry) bool { return strings.Contains(en.msg, "send "+m[2]) })
					if sent < 0 || at.Sub(entries[sent].at) != seconds(t, m[1]) {
						t.Errorf("%s: %q does not match the log:\n%s", what, msg, log)
					}
				}
				if m := stalledAt.FindStringSubmatch(msg); m != nil {
					p := percent.FindAllStringSubmatch(strings.Join(work, "\n"), -1)
					if len(p) == 0 || p[len(p)-1][1] != m[1] || at.Sub(last.at) != seconds(t, m[2]) {
						t.Errorf("%s: %q does not match the log:\n%s", what, msg, log)
					}
				}
				if m := timedOut.FindStringSubmatch(msg); m != nil && at.Sub(last.at) != seconds(t, m[1]) {
					t.Errorf("%s: %q does not match the log:\n%s", what, msg, log)
				}
			}
		}
	}
}

func seconds(t *testing.T, s string) time.Duration {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return time.Duration(n) * time.Second
}

// Rolling back a step says what there is to undo as things stand: an
// observer whose start failed is not "left running", one running again
// is not started again.
func TestRollbackLogsSayWhatIsThereToUndo(t *testing.T) {
	e, clk := newTestExecutor(t, Options{Seed: 3, Scenario: "fail-once:start-process"})
	task := runToEnd(t, e, clk, restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false).ID)
	if _, err := e.RollbackTask(ctx, task.ID); err != nil {
		t.Fatal(err)
	}
	task = runToEnd(t, e, clk, task.ID)
	start := logOf(t, e, task.ID, mustStep(t, task, "Start observer process").ID)
	stop := logOf(t, e, task.ID, mustStep(t, task, "Stop observer process").ID)
	if strings.Contains(start, "left running") || !strings.Contains(start, "did not stay up") || !strings.Contains(stop, "start the observer process on 192.0.2.12:2882 again") {
		t.Errorf("start:\n%s\nstop:\n%s", start, stop)
	}

	e, clk = newTestExecutor(t, Options{Seed: 3, Scenario: "fail-once:start-agent"})
	task = runToEnd(t, e, clk, restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false).ID)
	if _, err := e.RollbackTask(ctx, task.ID); err != nil {
		t.Fatal(err)
	}
	task = runToEnd(t, e, clk, task.ID)
	start = logOf(t, e, task.ID, mustStep(t, task, "Start observer process").ID)
	stop = logOf(t, e, task.ID, mustStep(t, task, "Stop observer process").ID)
	if !strings.Contains(start, "left running") || !strings.Contains(stop, "nothing to undo: the observer process on 192.0.2.12:2882 is running again") {
		t.Errorf("start:\n%s\nstop:\n%s", start, stop)
	}
}
