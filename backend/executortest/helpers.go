package executortest

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// What the checks share: comparing answers, waiting for steps, starting
// restarts.

func ctx(t *testing.T) context.Context { return t.Context() }

// sameJSON fails when got and want encode differently: the executor under
// test must answer exactly what the embedded one holds.
func sameJSON(t *testing.T, what string, got, want any) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if string(g) != string(w) {
		t.Errorf("%s differs from the embedded executor's:\n got %s\nwant %s", what, g, w)
	}
}

func wantKind(t *testing.T, what string, err error, kind backend.Kind) *backend.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want %s", what, kind)
	}
	var be *backend.Error
	if !errors.As(err, &be) {
		t.Fatalf("%s: %T %v, want a *backend.Error", what, err, err)
	}
	if !errors.Is(err, kind) {
		t.Fatalf("%s: kind %s (%v), want %s", what, be.Kind, err, kind)
	}
	if kind == backend.Conflict {
		// OCP answers an operation the state does not allow (and a
		// restart of a busy server) with 400 and TASK_STATE_INVALID, a
		// prohibited rollback with 400 and TASK_PROHIBIT_ROLLBACK.
		wantOCP(t, what, be, 400, ocp.CodeTaskStateInvalid, ocp.CodeTaskProhibitRollback)
	}
	return be
}

// wantOCP checks, for an error that came over HTTP, the status and code
// OCP answers with; an embedded error has neither.
func wantOCP(t *testing.T, what string, be *backend.Error, status int, codes ...ocp.Code) {
	t.Helper()
	if be.HTTP == 0 {
		return
	}
	if be.HTTP != status || !slices.Contains(codes, ocp.Code(be.Code)) {
		t.Errorf("%s: HTTP %d code %q, want OCP's %d with one of %v", what, be.HTTP, be.Code, status, codes)
	}
}

// runToEnd polls the task, advancing simulated time between polls, until
// it has ended; it returns the last answer.
func runToEnd(t *testing.T, env Env, taskID int64) *ocp.Task {
	t.Helper()
	for range maxPolls {
		task, err := env.Executor.GetTask(ctx(t), taskID)
		if err != nil {
			t.Fatalf("poll task %d: %v", taskID, err)
		}
		if task.Status.Ended() {
			return task
		}
		env.Clock.Advance(pollStep)
	}
	t.Fatalf("task %d did not end after %d polls", taskID, maxPolls)
	return nil
}

// advanceUntilStep advances until a step of the task has status st.
func advanceUntilStep(t *testing.T, env Env, taskID int64, st ocp.SubtaskStatus) ocp.Subtask {
	t.Helper()
	for range maxPolls {
		task, err := env.Executor.GetTask(ctx(t), taskID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range task.Subtasks {
			if s.Status == st {
				return s
			}
		}
		env.Clock.Advance(time.Second)
	}
	t.Fatalf("task %d never had a %s step", taskID, st)
	return ocp.Subtask{}
}

func failedStep(t *testing.T, task *ocp.Task) ocp.Subtask {
	t.Helper()
	for _, s := range task.Subtasks {
		if s.Status == ocp.SubtaskFailed {
			return s
		}
	}
	t.Fatalf("task %d (%s) has no FAILED step", task.ID, task.Status)
	return ocp.Subtask{}
}

// state is a step's status and operation, e.g. "READY/SKIP".
func state(s *ocp.Subtask) string { return string(s.Status) + "/" + string(s.Operation) }

// watch polls a step every finePoll of simulated time until done holds for
// it, and returns the distinct states it was seen in, the first being the
// one it is in before the clock moves.
// wantStates watches a step until done and checks the states (status and
// operation) it went through.
func wantStates(t *testing.T, env Env, taskID, subID int64, done func(*ocp.Subtask) bool, what string, want ...string) {
	t.Helper()
	if seen := watch(t, env, taskID, subID, done); strings.Join(seen, " ") != strings.Join(want, " ") {
		t.Errorf("%s went %v, want %v", what, seen, want)
	}
}

func watch(t *testing.T, env Env, taskID, subID int64, done func(*ocp.Subtask) bool) []string {
	t.Helper()
	var seen []string
	for range maxPolls {
		task, err := env.Executor.GetTask(ctx(t), taskID)
		if err != nil {
			t.Fatal(err)
		}
		s := task.Subtask(subID)
		if st := state(s); len(seen) == 0 || seen[len(seen)-1] != st {
			seen = append(seen, st)
		}
		if done(s) {
			return seen
		}
		env.Clock.Advance(finePoll)
	}
	t.Fatalf("step %d never got there; seen %v", subID, seen)
	return nil
}

func restart(t *testing.T, env Env, serverID int64, force bool) *ocp.Task {
	t.Helper()
	task, err := env.Executor.RestartServer(ctx(t), cluster, serverID, backend.RestartOptions{Force: force})
	if err != nil {
		t.Fatalf("restart server %d: %v", serverID, err)
	}
	return task
}
