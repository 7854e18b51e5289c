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
	"context"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
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

// The reads and the requests that must be refused.

func testLists(t *testing.T, env Env) {
	ex, ref := env.Executor, env.Reference
	clusters, err := ex.ListClusters(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ref.ListClusters(ctx(t))
	if len(clusters) < 3 {
		t.Fatalf("%d clusters, want the demo fleet's 3 or more", len(clusters))
	}
	sameJSON(t, "clusters", clusters, want)
	for _, c := range clusters {
		zones, err := ex.ListZones(ctx(t), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantZones, _ := ref.ListZones(ctx(t), c.ID)
		sameJSON(t, "zones of "+c.Name, zones, wantZones)
		servers, err := ex.ListServers(ctx(t), c.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		wantServers, _ := ref.ListServers(ctx(t), c.ID, "")
		sameJSON(t, "servers of "+c.Name, servers, wantServers)
		n := 0
		for _, z := range zones {
			zs, err := ex.ListServers(ctx(t), c.ID, z.Name)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range zs {
				if s.ZoneName != z.Name || s.ClusterID != c.ID {
					t.Errorf("server %s listed under zone %s of %d has zone %s, cluster %d", s.Address(), z.Name, c.ID, s.ZoneName, s.ClusterID)
				}
			}
			n += len(zs)
		}
		if n != len(servers) || n == 0 {
			t.Errorf("cluster %s: %d servers by zone, %d in all", c.Name, n, len(servers))
		}
	}
	if d := ex.Now().Sub(ref.Now()); d < -time.Minute || d > time.Minute {
		t.Errorf("Now() = %s, the backend's clock says %s", ex.Now(), ref.Now())
	}
}

// testNotFound: over HTTP, OCP's 404 with TASK_NOT_EXISTS for a task or
// subtask and COMMON_NOT_FOUND for the rest.
func testNotFound(t *testing.T, env Env) {
	ex := env.Executor
	notFound := func(what string, err error, code ocp.Code) {
		t.Helper()
		wantOCP(t, what, wantKind(t, what, err, backend.NotFound), 404, code)
	}
	_, err := ex.GetTask(ctx(t), 4242)
	notFound("get task 4242", err, ocp.CodeTaskNotExists)
	_, err = ex.ListZones(ctx(t), 777)
	notFound("zones of cluster 777", err, ocp.CodeNotFound)
	_, err = ex.ListServers(ctx(t), 777, "")
	notFound("servers of cluster 777", err, ocp.CodeNotFound)
	_, err = ex.ListServers(ctx(t), cluster, "zone9")
	notFound("servers of zone9", err, ocp.CodeNotFound)
	_, err = ex.RestartServer(ctx(t), cluster, 999, backend.RestartOptions{})
	notFound("restart server 999", err, ocp.CodeNotFound)
	_, err = ex.RestartZone(ctx(t), cluster, "zone9", backend.RestartOptions{})
	notFound("restart zone9", err, ocp.CodeNotFound)
	task := restart(t, env, server, false)
	_, err = ex.SubtaskLog(ctx(t), task.ID, 1)
	notFound("log of subtask 1", err, ocp.CodeTaskNotExists)
	notFound("skip subtask 1", ex.SkipSubtask(ctx(t), task.ID, 1), ocp.CodeTaskNotExists)
	_, err = ex.RetryTask(ctx(t), 4242)
	notFound("retry task 4242", err, ocp.CodeTaskNotExists)
}

func testListTasks(t *testing.T, env Env) {
	a := restart(t, env, server, false)
	b := restart(t, env, server2, false)
	runToEnd(t, env, a.ID)
	runToEnd(t, env, b.ID)
	c := restart(t, env, server, false)
	all, err := env.Executor.ListTasks(ctx(t), backend.TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].ID != c.ID || all[2].ID != a.ID {
		t.Fatalf("ListTasks: %d tasks, want 3 newest first", len(all))
	}
	want, _ := env.Reference.ListTasks(ctx(t), backend.TaskFilter{})
	sameJSON(t, "task list", all, want)
	running, err := env.Executor.ListTasks(ctx(t), backend.TaskFilter{Status: []ocp.TaskStatus{ocp.TaskRunning}})
	if err != nil {
		t.Fatal(err)
	}
	if len(running) != 1 || running[0].ID != c.ID {
		t.Errorf("RUNNING tasks: %d, want only %d", len(running), c.ID)
	}
	limited, err := env.Executor.ListTasks(ctx(t), backend.TaskFilter{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(limited) != 2 || limited[0].ID != c.ID {
		t.Errorf("limit 2: %d tasks", len(limited))
	}
	other, err := env.Executor.ListTasks(ctx(t), backend.TaskFilter{ClusterID: embedded.DemoStandbyClusterID})
	if err != nil {
		t.Fatal(err)
	}
	if len(other) != 0 {
		t.Errorf("tasks of the standby cluster: %d, want 0", len(other))
	}
}

func testCanceledContext(t *testing.T, env Env) {
	c, cancel := context.WithCancel(ctx(t))
	cancel()
	_, err := env.Executor.ListClusters(c)
	wantKind(t, "list clusters with a cancelled context", err, backend.Canceled)
	_, err = env.Executor.RestartServer(c, cluster, server, backend.RestartOptions{})
	wantKind(t, "restart with a cancelled context", err, backend.Canceled)
	if tasks, _ := env.Reference.ListTasks(ctx(t), backend.TaskFilter{}); len(tasks) != 0 {
		t.Errorf("a cancelled restart left %d tasks", len(tasks))
	}
}
