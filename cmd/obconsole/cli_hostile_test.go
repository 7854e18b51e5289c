package main

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/ocpserver"
	"github.com/obconsole/obconsole/backend/remote"
)

// newCLIServing runs the commands on the remote executor over httptest,
// against ocpserver serving ex (which may garble what it serves); wrap,
// when given, stands in front of ocpserver.
func newCLIServing(t *testing.T, ex backend.Executor, wrap func(http.Handler) http.Handler) *cliEnv {
	t.Helper()
	t.Setenv("OCP_PASSWORD", testOCPPassword)
	var h http.Handler = ocpserver.New(ocpserver.Config{
		Executor: ex,
		Users:    map[string]string{testOCPUser: testOCPPassword},
	})
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	rex, err := remote.New(remote.Config{BaseURL: srv.URL, User: testOCPUser, Password: testOCPPassword,
		Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rex.Close() })
	return newCLIOn(t, rex)
}

// absurdNumbers serves every step with a timeout of 2^63−1 s and an
// attempt count of −2^63.
type absurdNumbers struct{ backend.Executor }

func (a absurdNumbers) GetTask(ctx context.Context, id int64) (*ocp.Task, error) {
	t, err := a.Executor.GetTask(ctx, id)
	if t != nil {
		for i := range t.Subtasks {
			t.Subtasks[i].Timeout = math.MaxInt64
			t.Subtasks[i].RunTime = math.MinInt64
		}
	}
	return t, err
}

// Out-of-range numbers from OCP are shown as such ("> 100y", "?"), never
// wrapped ("0s") or printed raw; -o json keeps them as they came.
func TestOutOfRangeTimeoutsAndAttempts(t *testing.T) {
	emb := newCLI(t, embedded.Options{Seed: 3}) // for its fake clock
	task := emb.restartDirect(embedded.DemoPrimaryClusterID, embedded.DemoSampleServerID, false)
	emb.runToEnd(task.ID)
	c := newCLIServing(t, absurdNumbers{emb.ex}, nil)
	id := jsonNumber(task.ID)

	code, out, errOut := c.run("", "task", id)
	if code != 0 || strings.Count(out, "> 100y") != 11 || strings.Contains(out, "9223372036854775808") || strings.Contains(out, " 0s ") {
		t.Fatalf("task: exit %d: %s\n%s", code, errOut, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[2:] {
		if !strings.HasSuffix(line, "> 100y   ?") {
			t.Errorf("step row %q: want timeout > 100y and attempts ?", line)
		}
	}
	code, out, _ = c.run("", "task", id, "--wait")
	if code != 0 || strings.Count(out, "attempt ?") != 11 || strings.Count(out, "> 100y") != 11 {
		t.Fatalf("task --wait: exit %d:\n%s", code, out)
	}
	code, out, _ = c.run("", "task", id, "-o", "json")
	if code != 0 || strings.Count(out, `"timeout":9223372036854775807`) != 11 || strings.Count(out, `"runTime":-9223372036854775808`) != 11 {
		t.Fatalf("task -o json: exit %d:\n%s", code, out)
	}
	code, out, _ = c.run("", "task", id, "--wait", "-o", "json")
	if code != 0 || strings.Count(out, `"timeoutSeconds":9223372036854775807`) != 11 || strings.Count(out, `"attempts":-9223372036854775808`) != 22 {
		t.Fatalf("task --wait -o json: exit %d:\n%s", code, out)
	}
}

// garbleTaskGet answers the nth GET of a task (counting from 1) with a
// body cut short, as a broken proxy might.
func garbleTaskGet(nth int32) func(http.Handler) http.Handler {
	var gets atomic.Int32
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/api/v2/tasks/instances/") && gets.Add(1) == nth {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"data": {"id": 89027028, "subtasks": [{"id"`))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// task ID --wait survives a garbled answer like restart --wait does, on
// its first fetch and on a later poll: the same loop, the same rule.
func TestTaskWaitToleratesAGarbledAnswer(t *testing.T) {
	for _, nth := range []int32{1, 3} {
		t.Run(fmt.Sprintf("GET %d", nth), func(t *testing.T) {
			emb := newCLI(t, embedded.Options{})
			task := emb.restartDirect(embedded.DemoPrimaryClusterID, embedded.DemoSampleServerID, false)
			c := newCLIServing(t, emb.ex, garbleTaskGet(nth))
			c.clock = emb.clock // --wait advances the served fleet's clock
			code, out, errOut := c.run("", "task", jsonNumber(task.ID), "--wait")
			if code != 0 || !strings.Contains(errOut, "polling task 89027028 failed (1 of 5)") || !strings.Contains(errOut, "BadResponse") ||
				!strings.Contains(out, "11/11 steps successful") {
				t.Fatalf("exit %d: %s\n%s", code, errOut, out)
			}
		})
	}
	// The same answer during restart --wait.
	emb := newCLI(t, embedded.Options{})
	c := newCLIServing(t, emb.ex, garbleTaskGet(1))
	c.clock = emb.clock
	code, out, errOut := c.run("", "restart", "--cluster", "protoss", "--server", "192.0.2.12", "--yes", "--wait")
	if code != 0 || !strings.Contains(errOut, "(1 of 5)") {
		t.Fatalf("restart --wait: exit %d: %s\n%s", code, errOut, out)
	}
}
