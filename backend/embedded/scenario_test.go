package embedded

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

func TestParseScenario(t *testing.T) {
	good := map[string]string{
		"":                                "healthy",
		"healthy":                         "healthy",
		"fail-once:Wait observer active":  "fail-once:Wait observer active",
		"FAIL-ONCE:wait_observer_active":  "FAIL-ONCE:wait_observer_active",
		"hang:start-server":               "hang:start-server",
		"precheck-fail":                   "precheck-fail",
		"slow":                            "slow",
		"slow, fail-once:sync":            "slow, fail-once:sync",
		"hang:Update OB cluster status":   "hang:Update OB cluster status",
		"fail-once:prepare-restart-zone":  "fail-once:prepare-restart-zone",
		"fail-once:stop-observer-process": "fail-once:stop-observer-process",
		"rollback-fail:stop-server":       "rollback-fail:stop-server",
		"hang:wait-node":                  "hang:wait-node",
	}
	for in, str := range good {
		sc, err := ParseScenario(in)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if sc.String() != str {
			t.Errorf("%q prints as %q", in, sc.String())
		}
	}
	if sc := MustParseScenario("fail-once:wait-active"); !sc.failOnce.has(kWaitActive) || sc.failOnce.has(kStartAgent) {
		t.Error("the wait-active alias names the wrong step")
	}
	if sc := MustParseScenario("hang:precheck"); !sc.hang.has(kPrepare) || !sc.hang.has(kPrepareZone) {
		t.Error("precheck names both pre-check steps")
	}
	if sc := MustParseScenario("rollback-fail:stop-zone"); !sc.rollbackFail.has(kStopZone) || sc.Healthy() {
		t.Error("rollback-fail:stop-zone")
	}
	bad := map[string]string{
		"fail-once":                       "needs a step",
		"hang:":                           "needs a step",
		"fail-once:reboot":                `unknown step "reboot"`,
		"explode":                         `unknown scenario "explode"`,
		"slow:wait-active":                "takes no step",
		"precheck-fail:x":                 "takes no step",
		"healthy:yes":                     "takes no step",
		"rollback-fail":                   "needs a step",
		"fail-once:prepare-stop-observer": `unknown step "prepare-stop-observer"`,
		"slow,hang:nothing":               `unknown step "nothing"`,
	}
	for in, want := range bad {
		_, err := ParseScenario(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want it to say %q", in, err, want)
		}
	}
	_, err := New(Options{Scenario: "hang:nowhere"})
	if backend.KindOf(err) != backend.BadRequest || !strings.Contains(err.Error(), "Wait observer active") {
		t.Errorf("New with a bad scenario: %v; want BadRequest listing the steps", err)
	}
}

// statusAfter is the server's status when a normal restart fails at each step.
var statusAfter = map[string]ocp.ServerStatus{
	"Prepare restart observer": ocp.ServerRunning,     // nothing done
	"Stop server":              ocp.ServerRunning,     // still serving
	"Stop observer process":    ocp.ServerUnavailable, // out of service, process state unknown
	"Start observer process":   ocp.ServerStopped,     // process down
	"Wait observer active":     ocp.ServerUnavailable, // up, not active
	"Start ocp agent service":  ocp.ServerUnavailable,
	"Start server":             ocp.ServerUnavailable, // active but not serving
	"Update observer status":   ocp.ServerRunning,     // serving; only OCP's record lags
	"Update zone status":       ocp.ServerRunning,
	"Sync cluster info":        ocp.ServerRunning,
	"Update OB cluster status": ocp.ServerRunning,
}

func TestFailOnceEveryStepThenRetrySucceeds(t *testing.T) {
	for _, name := range documentedOrder {
		t.Run(name, func(t *testing.T) {
			e, clk := newTestExecutor(t, Options{Scenario: "fail-once:" + name, Seed: 5})
			task := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)
			got := runToEnd(t, e, clk, task.ID)
			if got.Status != ocp.TaskFailed {
				t.Fatalf("task %s, want FAILED", got.Status)
			}
			for _, s := range executionOrder(t, got) {
				want := ocp.SubtaskSuccessful
				switch {
				case s.Name == name:
					want = ocp.SubtaskFailed
				case indexOf(documentedOrder, s.Name) > indexOf(documentedOrder, name):
					want = ocp.SubtaskPending
				}
				if s.Status != want {
					t.Errorf("%s: %s, want %s", s.Name, s.Status, want)
				}
			}
			failed := mustStep(t, got, name)
			if log := logOf(t, e, got.ID, failed.ID); !strings.Contains(log, "ERROR") || !strings.Contains(log, "finished: FAILED") {
				t.Errorf("failed step's log gives no error:\n%s", log)
			}
			if s := serverStatus(t, e, DemoPrimaryClusterID, DemoSampleServerID); s.Status != statusAfter[name] {
				t.Errorf("server %s after failing at %s, want %s", s.Status, name, statusAfter[name])
			}

			retried, err := e.RetryTask(ctx, got.ID)
			if err != nil {
				t.Fatal(err)
			}
			if retried.Status != ocp.TaskRunning || retried.Operation != ocp.OpRetry {
				t.Errorf("retry returned %s/%s, want RUNNING/RETRY", retried.Status, retried.Operation)
			}
			if s := serverStatus(t, e, DemoPrimaryClusterID, DemoSampleServerID); s.Status != ocp.ServerRestarting && statusAfter[name] != ocp.ServerRunning {
				t.Errorf("server %s while the retry runs, want RESTARTING", s.Status)
			}
			got = runToEnd(t, e, clk, got.ID)
			if got.Status != ocp.TaskSuccessful {
				t.Fatalf("after retry: %s, want SUCCESSFUL", got.Status)
			}
			for _, s := range got.Subtasks {
				wantRun, wantOp := 1, ocp.OpExecute
				if s.Name == name {
					wantRun, wantOp = 2, ocp.OpRetry
				}
				if s.Status != ocp.SubtaskSuccessful || s.RunTime != wantRun || s.Operation != wantOp {
					t.Errorf("%s: %s runTime %d %s, want SUCCESSFUL runTime %d %s", s.Name, s.Status, s.RunTime, s.Operation, wantRun, wantOp)
				}
			}
			checkTimes(t, got)
			if log := logOf(t, e, got.ID, mustStep(t, got, name).ID); !strings.Contains(log, "############{RETRY}{") || !strings.Contains(log, "Retry subtask, id=") || !strings.Contains(log, "finished: SUCCESSFUL") {
				t.Errorf("retried step's log lacks the second attempt:\n%s", log)
			}
			if s := serverStatus(t, e, DemoPrimaryClusterID, DemoSampleServerID); s.Status != ocp.ServerRunning {
				t.Errorf("server %s after the retried restart, want RUNNING", s.Status)
			}
		})
	}
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

func TestHangFailsAtTheStepTimeout(t *testing.T) {
	e, clk := newTestExecutor(t, Options{Scenario: "hang:wait-active"})
	task := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)
	wait := mustStep(t, task, "Wait observer active")

	// Half way through its 1800 s the step is still RUNNING and its log says
	// it is waiting, with only the lines due so far.
	clk.AdvanceUntil(func() bool { return mustStep(t, getTask(t, e, task.ID), wait.Name).Status == ocp.SubtaskRunning }, time.Hour)
	startedAt := mustStep(t, getTask(t, e, task.ID), wait.Name).StartTime.Time
	clk.Advance(900 * time.Second)
	mid := getTask(t, e, task.ID)
	if s := mustStep(t, mid, wait.Name); s.Status != ocp.SubtaskRunning || mid.Status != ocp.TaskRunning {
		t.Fatalf("after 900s: step %s task %s, want both RUNNING", s.Status, mid.Status)
	}
	midLog := logOf(t, e, task.ID, wait.ID)
	if !strings.Contains(midLog, "still waiting after") || strings.Contains(midLog, "timed out") {
		t.Errorf("log half way:\n%s", midLog)
	}

	got := runToEnd(t, e, clk, task.ID)
	s := mustStep(t, got, wait.Name)
	if got.Status != ocp.TaskFailed || s.Status != ocp.SubtaskFailed {
		t.Fatalf("task %s step %s, want both FAILED", got.Status, s.Status)
	}
	if took := s.FinishTime.Sub(startedAt); took != 1800*time.Second {
		t.Errorf("failed after %v, want exactly its 1800s timeout", took)
	}
	log := logOf(t, e, got.ID, s.ID)
	if !strings.Contains(log, "timed out: still running after 1800s, its timeout") ||
		!strings.HasSuffix(log, fmt.Sprintf("Set state for subtask: %d, operation:EXECUTE, state: FAILED\n", s.ID)+
			fmt.Sprintf("%s WARN  Receive timeout callback, id=%d, name=Wait observer active, elapsed=1800, timeout=1800", s.FinishTime.Time.Format(logTimeLayout), s.ID)) {
		t.Errorf("log does not say it timed out as OCP does:\n%s", log)
	}
	if len(log) <= len(midLog) {
		t.Error("the log did not grow while the step ran")
	}
	// The hang was the first attempt only: a retry goes through.
	if _, err := e.RetryTask(ctx, got.ID); err != nil {
		t.Fatal(err)
	}
	if got = runToEnd(t, e, clk, got.ID); got.Status != ocp.TaskSuccessful {
		t.Errorf("retry after a hang: %s", got.Status)
	}
}

func TestEveryStepCanHang(t *testing.T) {
	for _, name := range documentedOrder {
		e, clk := newTestExecutor(t, Options{Scenario: "hang:" + name})
		task := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)
		got := runToEnd(t, e, clk, task.ID)
		s := mustStep(t, got, name)
		if got.Status != ocp.TaskFailed || s.Status != ocp.SubtaskFailed ||
			s.FinishTime.Sub(s.StartTime.Time) != time.Duration(s.Timeout)*time.Second {
			t.Errorf("hang:%s: task %s, step %s after %v (timeout %ds)", name, got.Status, s.Status, s.FinishTime.Sub(s.StartTime.Time), s.Timeout)
		}
	}
}

func TestPrecheckFailScenario(t *testing.T) {
	e, clk := newTestExecutor(t, Options{Scenario: "precheck-fail"})
	task := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)
	got := runToEnd(t, e, clk, task.ID)
	pre := mustStep(t, got, "Prepare restart observer")
	if got.Status != ocp.TaskFailed || pre.Status != ocp.SubtaskFailed {
		t.Fatalf("task %s pre-check %s, want FAILED", got.Status, pre.Status)
	}
	if log := logOf(t, e, got.ID, pre.ID); !strings.Contains(log, "pre-check failed: clog disk usage on 192.0.2.12:2882") {
		t.Errorf("log:\n%s", log)
	}
	// It keeps failing on retry: the condition is still there.
	if _, err := e.RetryTask(ctx, got.ID); err != nil {
		t.Fatal(err)
	}
	got = runToEnd(t, e, clk, got.ID)
	if pre = mustStep(t, got, pre.Name); got.Status != ocp.TaskFailed || pre.RunTime != 2 {
		t.Errorf("retried pre-check: task %s runTime %d, want FAILED and 2", got.Status, pre.RunTime)
	}
	if s := serverStatus(t, e, DemoPrimaryClusterID, DemoSampleServerID); s.Status != ocp.ServerRunning {
		t.Errorf("server %s after refused restarts, want RUNNING", s.Status)
	}

	// Force goes on, logging the finding as a warning.
	forced := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, true)
	got = runToEnd(t, e, clk, forced.ID)
	if got.Status != ocp.TaskSuccessful {
		t.Fatalf("force restart under precheck-fail: %s", got.Status)
	}
	if log := logOf(t, e, got.ID, mustStep(t, got, pre.Name).ID); !strings.Contains(log, "WARN  force restart: going on despite: clog disk usage") {
		t.Errorf("force pre-check log:\n%s", log)
	}
}

func TestSlowServerTakesLongerButSucceeds(t *testing.T) {
	took := map[string]time.Duration{}
	for _, sc := range []string{"healthy", "slow"} {
		e, clk := newTestExecutor(t, Options{Scenario: sc, Seed: 11})
		task := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)
		got := runToEnd(t, e, clk, task.ID)
		if got.Status != ocp.TaskSuccessful {
			t.Fatalf("%s: %s", sc, got.Status)
		}
		took[sc] = got.FinishTime.Sub(got.StartTime.Time)
	}
	if took["slow"] < 2*took["healthy"] {
		t.Errorf("slow took %v, healthy %v; want slow at least twice as long", took["slow"], took["healthy"])
	}
}

func TestServerScenarioFromTheFleetOverridesTheRun(t *testing.T) {
	f := DemoFleet()
	f.Clusters[0].Zones[1].Servers[0].Scenario = "fail-once:start-server" // 13000002
	e, clk := newTestExecutor(t, Options{Fleet: f, Scenario: "healthy"})
	odd := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)
	plain := restart(t, e, DemoPrimaryClusterID, 13000005, false) // zone2 too
	if got := runToEnd(t, e, clk, odd.ID); got.Status != ocp.TaskFailed || mustStep(t, got, "Start server").Status != ocp.SubtaskFailed {
		t.Errorf("server with fail-once:start-server: task %s", got.Status)
	}
	if got := runToEnd(t, e, clk, plain.ID); got.Status != ocp.TaskSuccessful {
		t.Errorf("server without a scenario: %s", got.Status)
	}
	if f.Clusters[0].Zones[1].Servers[0].ID != 13000002 {
		t.Error("the caller's fleet was modified")
	}
}

func TestFailureMessagesAreSpecificToTheStep(t *testing.T) {
	seen := map[string]string{}
	for _, name := range StepNames()[:11] {
		e, clk := newTestExecutor(t, Options{Scenario: "fail-once:" + name})
		task := restart(t, e, DemoPrimaryClusterID, DemoSampleServerID, false)
		got := runToEnd(t, e, clk, task.ID)
		log := logOf(t, e, got.ID, mustStep(t, got, name).ID)
		errLine := ""
		for _, l := range strings.Split(log, "\n") {
			if strings.Contains(l, "ERROR") && !strings.Contains(l, "finished: FAILED") {
				errLine = l[len("2006-01-02 15:04:05.000 ERROR "):]
			}
		}
		if errLine == "" {
			t.Errorf("%s: no error line in\n%s", name, log)
		}
		seen[name] = errLine
	}
	if seen["Stop server"] == seen["Start server"] || !strings.Contains(seen["Start observer process"], "observer.log") {
		t.Errorf("messages are not step-specific: %v", seen)
	}
}
