package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/backend/ocp"
)

// OCP's documented sample lists the steps out of order (the first listed
// runs 9th); the order comes from the edges alone.
func TestExecutionOrderOfTheDocumentedSample(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../backend/ocp/testdata/restart_response.json")
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Data ocp.Task `json:"data"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, i := range executionOrder(env.Data.Subtasks) {
		names = append(names, env.Data.Subtasks[i].Name)
	}
	want := []string{"Prepare restart observer", "Stop server", "Stop observer process", "Start observer process",
		"Wait observer active", "Start ocp agent service", "Start server", "Update observer status",
		"Update zone status", "Sync cluster info", "Update OB cluster status"}
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Fatalf("order:\n%s", strings.Join(names, "\n"))
	}
}

// The order is backend/dag's: a parallel branch whole before the next,
// steps on a cycle last, every step shown; and the summary says what is
// wrong with a malformed graph.
func TestExecutionOrderParallelCyclesAndDanglingEdges(t *testing.T) {
	t.Parallel()
	subs := []ocp.Subtask{
		{ID: 5, Name: "join", Upstreams: []int64{3, 4}, Status: ocp.SubtaskPending},
		{ID: 4, Name: "branch1", ParallelIdx: 1, Upstreams: []int64{1}, Status: ocp.SubtaskSuccessful},
		{ID: 3, Name: "branch0", ParallelIdx: 0, Upstreams: []int64{1, 99}, Status: ocp.SubtaskFailed}, // 99 does not exist
		{ID: 1, Name: "start", Downstreams: []int64{3, 4}, Status: ocp.SubtaskSuccessful},
		{ID: 7, Name: "cycleA", Upstreams: []int64{8}, Status: ocp.SubtaskPending},
		{ID: 8, Name: "cycleB", Upstreams: []int64{7}, Status: ocp.SubtaskPending},
	}
	var names []string
	for _, i := range executionOrder(subs) {
		names = append(names, subs[i].Name)
	}
	if got := strings.Join(names, " "); got != "start branch1 branch0 join cycleA cycleB" {
		t.Fatalf("order %s", got)
	}
	if len(executionOrder(nil)) != 0 {
		t.Fatal("empty graph")
	}
	task := &ocp.Task{ID: 1, Name: "odd", Status: ocp.TaskFailed, Subtasks: subs}
	var out strings.Builder
	c := &cli{app: newCLIFlags(t).app(nil, &out, io.Discard)}
	if err := c.printSummary(outputText, task, taskSubject{}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "2 of 6 steps done; failed: branch0") ||
		!strings.Contains(out.String(), "note: the step graph is malformed:") || !strings.Contains(out.String(), "99") {
		t.Fatalf("summary:\n%s", out.String())
	}
	ev := summarize(task, taskSubject{}, time.Time{})
	if ev.GraphProblems == "" || len(ev.Steps) != 6 || ev.Steps[0].Name != "start" {
		t.Fatalf("summary event %+v", ev)
	}
}

func TestExitCodeOfEveryKind(t *testing.T) {
	t.Parallel()
	journalErr := &backend.Error{Kind: backend.Internal, Err: fmt.Errorf("%w: x", audit.ErrJournal)}
	cases := []struct {
		err  error
		want int
	}{
		{backend.Errorf(backend.NotFound, "get task 1", "no such task"), exitUsage},
		{backend.Errorf(backend.BadRequest, "x", "bad"), exitUsage},
		{backend.Errorf(backend.Conflict, "restart", "running task 5"), exitRefused},
		{backend.Errorf(backend.Unauthorized, "x", ""), exitRefused},
		{backend.Errorf(backend.Forbidden, "x", ""), exitRefused},
		{journalErr, exitRefused},
		{backend.Errorf(backend.Unavailable, "x", ""), exitUnreachable},
		{backend.Errorf(backend.RateLimited, "x", ""), exitUnreachable},
		{backend.Errorf(backend.BadResponse, "x", ""), exitUnreachable},
		{&backend.Error{Kind: backend.Internal, OutcomeUnknown: true}, exitUnreachable},
		{&backend.Error{Kind: backend.Canceled, Err: context.DeadlineExceeded}, exitUnreachable},
		{&backend.Error{Kind: backend.Canceled, Err: context.Canceled}, exitInterrupted},
		{fmt.Errorf("wrapped: %w", backend.Errorf(backend.Conflict, "x", "")), exitRefused},
		{errors.New("something else"), exitFailed},
		{backend.Errorf(backend.Internal, "x", ""), exitFailed},
	}
	for _, c := range cases {
		if got := exitCodeOf(c.err); got != c.want {
			t.Errorf("%v: exit %d, want %d", c.err, got, c.want)
		}
		var ee *exitError
		if err := commandError(c.err); !errors.As(err, &ee) || ee.code != c.want || !errors.Is(err, c.err) {
			t.Errorf("commandError(%v) = %v", c.err, err)
		}
	}
	kept := &exitError{code: 42, err: errors.New("x")}
	if commandError(kept) != error(kept) || commandError(nil) != nil {
		t.Error("commandError must keep an exitError and nil")
	}
}

func TestParseSince(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 4, 15, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"90m":                       now.Add(-90 * time.Minute),
		"1.5d":                      now.Add(-36 * time.Hour),
		"0s":                        now,
		"2024-04-15T09:00:00+08:00": time.Date(2024, 4, 15, 1, 0, 0, 0, time.UTC),
		"2024-04-10":                time.Date(2024, 4, 10, 0, 0, 0, 0, time.Local),
		"2024-04-10 08:30":          time.Date(2024, 4, 10, 8, 30, 0, 0, time.Local),
	} {
		got, err := parseSince(in, now, time.Local)
		if err != nil || !got.Equal(want) {
			t.Errorf("%q: %v %v, want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-1h", "soon", "2024-13-01", "-2d"} {
		if _, err := parseSince(bad, now, time.Local); exitCodeOfErr(err) != exitUsage {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
}

func exitCodeOfErr(err error) int {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return -1
}

func TestDurations(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{-time.Second: "0s", 1499 * time.Millisecond: "1s", 64 * time.Second: "1m4s",
		ocp.MaxShownDuration: "876000h0m0s", ocp.MaxShownDuration + time.Second: "> 100y", math.MaxInt64: "> 100y"} {
		if got := formatDuration(d); got != want {
			t.Errorf("formatDuration(%v) = %q", d, got)
		}
	}
	if (&app{zone: time.UTC}).formatTime(time.Time{}) != "-" {
		t.Error("zero time")
	}
}
