package embedded

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

func TestRestartReturnsTheDocumentedTask(t *testing.T) {
	e, _ := newTestExecutor(t, Options{})
	got := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)

	// The sample response, compared field by field on what the simulator
	// promises to reproduce: ids, names, descriptions, classes, timeouts,
	// edges, seriesIds, list order, statuses, context.
	raw, err := os.ReadFile("../../../shared/reference/restart-observer-api.md")
	if err != nil {
		t.Skipf("reference sample not available: %v", err)
	}
	text := string(raw)
	text = text[strings.Index(text, "```sql")+len("```sql"):]
	text = text[:strings.Index(text, "```")]
	var env ocp.Envelope[ocp.Task]
	if err := json.Unmarshal([]byte(text), &env); err != nil {
		t.Fatal(err)
	}
	want := env.Data
	if got.ID != want.ID || got.Name != want.Name || got.Status != want.Status || got.Type != want.Type ||
		got.Operation != want.Operation || got.Creator.String() != want.Creator.String() || got.ClusterID != want.ClusterID ||
		got.TaskDefinitionID != want.TaskDefinitionID {
		t.Errorf("task header\n got %d %q %s %s %s %s %d %d\nwant %d %q %s %s %s %s %d %d",
			got.ID, got.Name, got.Status, got.Type, got.Operation, got.Creator, got.ClusterID, got.TaskDefinitionID,
			want.ID, want.Name, want.Status, want.Type, want.Operation, want.Creator, want.ClusterID, want.TaskDefinitionID)
	}
	if !mapsEqual(got.Context.StringMap, want.Context.StringMap) {
		t.Errorf("stringMap\n got %v\nwant %v", got.Context.StringMap, want.Context.StringMap)
	}
	if !slices.Equal(got.Context.ListMap["server_ids"], want.Context.ListMap["server_ids"]) || got.Context.ParallelIdx != -1 || got.Context.Parallel {
		t.Errorf("context %+v, want %+v", got.Context, want.Context)
	}
	if got.Force() {
		t.Error("a normal restart says force")
	}
	if len(got.Subtasks) != len(want.Subtasks) {
		t.Fatalf("%d subtasks, want %d", len(got.Subtasks), len(want.Subtasks))
	}
	for i, w := range want.Subtasks {
		g := got.Subtasks[i]
		if g.ID != w.ID || g.Name != w.Name || g.Description != w.Description || g.ClassName != w.ClassName ||
			g.NodeType != w.NodeType || g.Operation != w.Operation || g.Timeout != w.Timeout || g.RunTime != w.RunTime ||
			g.SeriesID != w.SeriesID || g.ParallelIdx != w.ParallelIdx || g.ProhibitRollback != w.ProhibitRollback ||
			g.Status != w.Status || !slices.Equal(g.Upstreams, w.Upstreams) || !slices.Equal(g.Downstreams, w.Downstreams) {
			t.Errorf("subtask %d\n got %+v\nwant %+v", i, g, w)
		}
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if bv, ok := b[k]; !ok || bv != v {
			return false
		}
	}
	return true
}

func TestHealthyRestartSucceedsInDocumentedOrder(t *testing.T) {
	e, clk := newTestExecutor(t, Options{Seed: 7})
	task := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)
	before := serverStatus(t, e, DemoPrimaryClusterID, DemoSampleServerID)
	if before.Status != ocp.ServerRestarting {
		t.Errorf("server %s while its restart runs, want RESTARTING", before.Status)
	}

	got := runToEnd(t, e, clk, task.ID)
	if got.Status != ocp.TaskSuccessful || got.FinishTime.IsZero() {
		t.Fatalf("task %s finished %v, want SUCCESSFUL", got.Status, got.FinishTime)
	}
	order := executionOrder(t, got)
	if !slices.Equal(names(order), documentedOrder) {
		t.Errorf("order %v\nwant %v", names(order), documentedOrder)
	}
	for _, s := range got.Subtasks {
		if s.Status != ocp.SubtaskSuccessful || s.RunTime != 1 || s.Operation != ocp.OpExecute {
			t.Errorf("%s: %s runTime %d op %s", s.Name, s.Status, s.RunTime, s.Operation)
		}
		log := logOf(t, e, got.ID, s.ID)
		if !strings.Contains(log, "finished: SUCCESSFUL") {
			t.Errorf("%s log lacks its finish line", s.Name)
		}
		checkLogLines(t, s, log)
	}
	checkTimes(t, got)

	after := serverStatus(t, e, DemoPrimaryClusterID, DemoSampleServerID)
	start := mustStep(t, got, "Start observer process")
	if after.Status != ocp.ServerRunning || !after.StartTime.Equal(start.FinishTime.Time) || !after.StartTime.After(before.StartTime.Time) {
		t.Errorf("server after restart: %s started %v; want RUNNING, started when the process started (%v)", after.Status, after.StartTime, start.FinishTime)
	}
}

func TestHealthyRestartTakes40To90Seconds(t *testing.T) {
	for seed := int64(0); seed < 50; seed++ {
		for _, force := range []bool{false, true} {
			e, clk := newTestExecutor(t, Options{Seed: seed})
			server := DemoSampleServerID
			task := restart(t, e, DemoPrimaryClusterID, server, force)
			got := runToEnd(t, e, clk, task.ID)
			took := got.FinishTime.Sub(got.StartTime.Time)
			if got.Status != ocp.TaskSuccessful || took < 40*time.Second || took > 90*time.Second {
				t.Errorf("seed %d force %v: %s in %v, want SUCCESSFUL in 40-90s", seed, force, got.Status, took)
			}
		}
	}
}

func TestSameSeedSameDrill(t *testing.T) {
	run := func(seed int64) []string {
		e, clk := newTestExecutor(t, Options{Seed: seed, Scenario: "fail-once:wait-active"})
		task := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)
		got := runToEnd(t, e, clk, task.ID)
		var out []string
		for _, s := range got.Subtasks {
			out = append(out, s.Name+" "+string(s.Status)+" "+s.StartTime.String()+" "+s.FinishTime.String()+"\n"+logOf(t, e, got.ID, s.ID))
		}
		return out
	}
	a, b, c := run(3), run(3), run(4)
	if !slices.Equal(a, b) {
		t.Error("the same seed gave a different drill")
	}
	if slices.Equal(a, c) {
		t.Error("different seeds gave the same timings")
	}
}

// checkLogLines asserts a log is timestamped lines, in time order, inside
// the step's run, opened by OCP's run separator and closed by its state line.
func checkLogLines(t *testing.T, s ocp.Subtask, log string) {
	t.Helper()
	lines := strings.Split(log, "\n")
	if len(lines) < 5 {
		t.Errorf("%s: only %d log lines", s.Name, len(lines))
	}
	if want := "############{EXECUTE}{" + javaTime(s.StartTime.Time) + "}############"; lines[0] != want {
		t.Errorf("%s: first line %q, want %q", s.Name, lines[0], want)
	}
	if want := fmt.Sprintf("Set state for subtask: %d, operation:%s, state: %s", s.ID, s.Operation, s.Status); lines[len(lines)-1] != want {
		t.Errorf("%s: last line %q, want %q", s.Name, lines[len(lines)-1], want)
	}
	var prev time.Time
	for _, l := range lines[1 : len(lines)-1] {
		if len(l) < len(logTimeLayout)+7 {
			t.Fatalf("%s: short log line %q", s.Name, l)
		}
		at, err := time.ParseInLocation(logTimeLayout, l[:len(logTimeLayout)], testStart.Location())
		if err != nil {
			t.Fatalf("%s: line without a timestamp: %q", s.Name, l)
		}
		if at.Before(prev) || at.Before(s.StartTime.Time.Truncate(time.Millisecond)) || at.After(s.FinishTime.Time) {
			t.Errorf("%s: line at %v outside %v..%v or out of order", s.Name, at, s.StartTime, s.FinishTime)
		}
		prev = at
		if lvl := l[len(logTimeLayout)+1 : len(logTimeLayout)+6]; lvl != "INFO " && lvl != "WARN " && lvl != "ERROR" {
			t.Errorf("%s: level %q", s.Name, lvl)
		}
	}
}

func TestFreezeServerRunsAMinorCompactionBeforeTheStop(t *testing.T) {
	stopTook := map[bool]time.Duration{}
	for _, freeze := range []bool{false, true} {
		e, clk := newTestExecutor(t, Options{Seed: 4})
		task, err := e.RestartServer(ctx, DemoPrimaryClusterID, DemoSampleServerID, backend.RestartOptions{FreezeServer: freeze})
		if err != nil {
			t.Fatal(err)
		}
		if got := task.Context.Get("freeze_server"); got != map[bool]string{true: "true"}[freeze] {
			t.Errorf("freeze %v: context freeze_server = %q", freeze, got)
		}
		got := runToEnd(t, e, clk, task.ID)
		if got.Status != ocp.TaskSuccessful {
			t.Fatalf("freeze %v: %s", freeze, got.Status)
		}
		stop := mustStep(t, got, "Stop server")
		stopTook[freeze] = stop.FinishTime.Sub(stop.StartTime.Time)
		log := logOf(t, e, got.ID, stop.ID)
		froze := strings.Contains(log, "ALTER SYSTEM MINOR FREEZE SERVER = ('192.0.2.12:2882')") && strings.Contains(log, "minor compaction on 192.0.2.12:2882 done in")
		if froze != freeze {
			t.Errorf("freeze %v: Stop server log:\n%s", freeze, log)
		}
		if freeze && strings.Index(log, "MINOR FREEZE") > strings.Index(log, "ALTER SYSTEM STOP SERVER") {
			t.Errorf("the minor freeze comes after the stop:\n%s", log)
		}
		checkLogLines(t, *stop, log)
	}
	if d := stopTook[true] - stopTook[false]; d < 3*time.Second || d > 8*time.Second {
		t.Errorf("the minor compaction added %v to Stop server, want a few seconds", d)
	}

	// A force restart has no Stop server: the observer process step freezes.
	e, clk := newTestExecutor(t, Options{})
	task, err := e.RestartServer(ctx, DemoPrimaryClusterID, DemoSampleServerID, backend.RestartOptions{Force: true, FreezeServer: true})
	if err != nil {
		t.Fatal(err)
	}
	got := runToEnd(t, e, clk, task.ID)
	if log := logOf(t, e, got.ID, mustStep(t, got, "Stop observer process").ID); !strings.Contains(log, "MINOR FREEZE") || strings.Index(log, "MINOR FREEZE") > strings.Index(log, "SIGKILL") {
		t.Errorf("force restart with freezeServer: Stop observer process log:\n%s", log)
	}
}

// Runs number their tasks from FirstTaskID (obconsole gives each run its
// own, from its start time), and the same seed replays the same drill
// whatever the first id: only the ids differ.
func TestFirstTaskIDNumbersTheRunWithoutChangingTheDrill(t *testing.T) {
	run := func(first int64) (ids []int64, drill []string) {
		e, clk := newTestExecutor(t, Options{Seed: 3, Scenario: "fail-once:stop-process", FirstTaskID: first})
		a := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)
		b := restart(t, e, DemoPrimaryClusterID, 13000004, false)
		firstSub := a.Subtasks[0].ID
		for _, s := range a.Subtasks {
			firstSub = min(firstSub, s.ID)
		}
		ids = []int64{a.ID, b.ID, firstSub}
		for _, id := range []int64{a.ID, b.ID} {
			got := runToEnd(t, e, clk, id)
			for _, s := range got.Subtasks {
				log := logOf(t, e, got.ID, s.ID)
				for _, n := range []int64{got.ID, s.ID} {
					log = strings.ReplaceAll(log, fmt.Sprint(n), "ID")
				}
				drill = append(drill, s.Name+" "+string(s.Status)+" "+s.StartTime.String()+" "+s.FinishTime.String()+"\n"+log)
			}
		}
		return ids, drill
	}
	sampleIDs, sample := run(0)
	if !slices.Equal(sampleIDs, []int64{89027028, 89027029, 89030472}) {
		t.Errorf("default ids %v, want the documented sample's 89027028 on", sampleIDs)
	}
	base := RunTaskIDs(time.Date(2026, 11, 28, 20, 47, 45, 123e6, time.UTC))
	runIDs, drill := run(base)
	if !slices.Equal(runIDs, []int64{base, base + 1, base + 3444}) || base != 1795898865123 {
		t.Errorf("ids %v from first %d", runIDs, base)
	}
	if !slices.Equal(sample, drill) {
		t.Errorf("another first id changed the drill:\n%s\n---\n%s", strings.Join(sample, "\n"), strings.Join(drill, "\n"))
	}
	for _, bad := range []int64{-1, 1 << 53} {
		if _, err := New(Options{FirstTaskID: bad}); !errors.Is(err, backend.BadRequest) {
			t.Errorf("FirstTaskID %d: %v", bad, err)
		}
	}
}
