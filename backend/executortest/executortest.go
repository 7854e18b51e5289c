// Package executortest is the one contract test suite every
// backend.Executor must pass. It runs against the embedded simulator
// directly and against the remote executor talking to ocpserver over HTTP,
// so the two cannot drift apart.
//
// Each subtest builds a fresh Env: the executor under test, the embedded
// executor that holds the truth behind it, and the fake clock that drives
// the simulation. The suite advances the clock instead of sleeping, and
// compares what the executor answers with what the embedded one says.
package executortest

import (
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
)

// Start is the fake clock's start time in NewEmbedded.
var Start = time.Date(2024, 4, 15, 9, 25, 2, 0, time.UTC)

// Env is one subtest's world.
type Env struct {
	// Executor is the executor under test.
	Executor backend.Executor
	// Reference is the embedded executor behind it (Executor itself when
	// testing the embedded executor directly).
	Reference *embedded.Executor
	// Clock drives Reference's simulated time.
	Clock *embedded.FakeClock
}

// Setup is what a subtest needs of the embedded executor behind the one
// under test.
type Setup struct {
	// Scenario is the embedded drill ("" is healthy).
	Scenario string
	// Fleet replaces the demo fleet when set.
	Fleet *embedded.Fleet
}

// NewEmbedded builds the setup's fleet (the demo fleet by default) on a
// fake clock with its scenario; it is closed when t ends.
func NewEmbedded(t *testing.T, setup Setup) (*embedded.Executor, *embedded.FakeClock) {
	t.Helper()
	clock := embedded.NewFakeClock(Start)
	ex, err := embedded.New(embedded.Options{Clock: clock, Scenario: setup.Scenario, Fleet: setup.Fleet, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ex.Close)
	return ex, clock
}

// The demo fleet's targets the suite works on.
const (
	cluster  = embedded.DemoPrimaryClusterID
	server   = int64(13000001) // protoss zone1, RUNNING
	server2  = int64(13000002) // protoss zone2
	zoneName = "zone3"
	// pollStep is how far simulated time moves between two polls.
	pollStep = 5 * time.Second
	// finePoll is the step when watching one step's short-lived states
	// (a skip runs for 0.1-0.4 s, a cancel passes through CANCELING and
	// RUNNING for 0.3-1 s each).
	finePoll = 50 * time.Millisecond
	// maxPolls bounds a poll loop: far more than any restart needs.
	maxPolls = 2000
)

// Run runs the contract suite; newEnv builds a fresh Env for the setup.
func Run(t *testing.T, newEnv func(t *testing.T, setup Setup) Env) {
	s := func(name string, scenario string, f func(t *testing.T, env Env)) {
		t.Run(name, func(t *testing.T) {
			f(t, newEnv(t, Setup{Scenario: scenario}))
		})
	}
	t.Run("NoNewStepAfterAFailure", func(t *testing.T) {
		testNoNewStepAfterAFailure(t, newEnv(t, Setup{Fleet: bigZoneFleet()}))
	})
	s("ListsMatchTheFleet", "", testLists)
	s("RestartPollsToSuccessful", "", testRestart)
	s("FreezeServerReachesTheEngine", "", testFreezeServer)
	s("SecondRestartConflicts", "", testConflict)
	s("NotFound", "", testNotFound)
	s("RetryTaskAfterAFailure", "fail-once:start-server", testRetryTask)
	s("RetrySubtaskAfterAFailure", "fail-once:start-server", testRetrySubtask)
	s("SkipFailedStep", "fail-once:start-server", testSkip)
	s("CancelRunningStep", "", testCancel)
	s("RollbackFailedTask", "fail-once:start-server", testRollback)
	s("FailedRollback", "fail-once:start-server,rollback-fail:stop-server", testFailedRollback)
	s("ZoneRestart", "", testZoneRestart)
	s("PrecheckFailure", "precheck-fail", testPrecheckFail)
	s("ListTasksFilters", "", testListTasks)
	s("CanceledContext", "", testCanceledContext)
}
