package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/dag"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
)

// maxPollFailures is how many polls in a row may fail (backend
// unreachable) before --wait gives up with exitUnreachable.
const maxPollFailures = 5

// The JSON lines of --wait and restart. Every line has "event".

// taskEvent: the task was first seen, or its status changed.
type taskEvent struct {
	Event     string    `json:"event"` // "task"
	Time      time.Time `json:"time"`
	TaskID    int64     `json:"taskId"`
	Name      string    `json:"name"`
	From      string    `json:"from,omitempty"` // empty when first seen
	To        string    `json:"to"`
	Operation string    `json:"operation,omitempty"`
	Steps     int       `json:"steps"`
}

// stepEvent: a step changed status (or attempt count).
type stepEvent struct {
	Event          string    `json:"event"` // "step"
	Time           time.Time `json:"time"`
	TaskID         int64     `json:"taskId"`
	SubtaskID      int64     `json:"subtaskId"`
	Step           string    `json:"step"`
	From           string    `json:"from"`
	To             string    `json:"to"`
	FirstSeen      bool      `json:"firstSeen,omitempty"` // From is the initial PENDING, not observed
	ElapsedSeconds float64   `json:"elapsedSeconds"`
	Attempts       int       `json:"attempts"`
	Operation      string    `json:"operation,omitempty"`

	order int
}

// stepSummary is one step of a summary, in execution order.
type stepSummary struct {
	SubtaskID      int64   `json:"subtaskId"`
	Name           string  `json:"name"`
	Status         string  `json:"status"`
	ElapsedSeconds float64 `json:"elapsedSeconds"`
	Attempts       int     `json:"attempts"`
	Timeout        int64   `json:"timeoutSeconds"`
}

// summaryEvent: how the task ended (or stands).
type summaryEvent struct {
	Event          string        `json:"event"` // "summary"
	Time           time.Time     `json:"time"`
	TaskID         int64         `json:"taskId"`
	Name           string        `json:"name"`
	Status         string        `json:"status"`
	Operation      string        `json:"operation,omitempty"`
	RolledBack     bool          `json:"rolledBack,omitempty"`
	ElapsedSeconds float64       `json:"elapsedSeconds"`
	Successful     int           `json:"successful"`
	Total          int           `json:"total"`
	Failed         []string      `json:"failed,omitempty"`
	Steps          []stepSummary `json:"steps"`
	// GraphProblems says what is wrong with a malformed step graph.
	GraphProblems string `json:"graphProblems,omitempty"`
}

// watcher prints a task's step changes as text or JSON lines.
type watcher struct {
	opts   *globalOptions
	format outputFormat
	out    io.Writer
	errOut io.Writer
	ex     backend.Executor

	seen      bool
	status    ocp.TaskStatus
	prev      map[int64]ocp.Subtask
	nameWidth int
}

func newWatcher(opts *globalOptions, format outputFormat, ex backend.Executor) *watcher {
	return &watcher{opts: opts, format: format, out: opts.stdout, errOut: opts.stderr, ex: ex, prev: map[int64]ocp.Subtask{}}
}

// errStoppedWatching: the operator interrupted --wait.
var errStoppedWatching = errors.New("stopped watching")

// watch prints first (when given), then polls task id every --refresh
// until it ends. Without first, the task is fetched at once by the same
// loop. One rule for every wait: up to maxPollFailures−1 transient
// failures in a row (unreachable, rate-limited, a garbled answer) are
// reported and survived. It returns the last task seen (nil if none); on
// interruption errStoppedWatching.
func (w *watcher) watch(ctx context.Context, id int64, first *ocp.Task) (*ocp.Task, error) {
	interval := w.opts.refresh
	if interval <= 0 {
		interval = time.Second
	}
	task := first
	if task != nil {
		if err := w.observe(task, w.ex.Now()); err != nil {
			return task, err
		}
	}
	failures := 0
	for task == nil || !task.Status.Ended() {
		if task != nil || failures > 0 {
			if err := waitPause(ctx, interval); err != nil {
				return task, errStoppedWatching
			}
		}
		next, err := w.ex.GetTask(ctx, id)
		if err != nil {
			if ctx.Err() != nil {
				return task, errStoppedWatching
			}
			if transient(err) && failures+1 < maxPollFailures {
				failures++
				fmt.Fprintf(w.errOut, "obconsole: polling task %d failed (%d of %d): %v\n", id, failures, maxPollFailures, err)
				continue
			}
			return task, err
		}
		failures = 0
		task = next
		if err := w.observe(task, w.ex.Now()); err != nil {
			return task, err
		}
	}
	return task, nil
}

// transient errors are survived by a wait (see watch); others end it.
func transient(err error) bool {
	switch backend.KindOf(err) {
	case backend.Unavailable, backend.RateLimited, backend.BadResponse:
		return true
	}
	return false
}

// observe prints what changed since the last observation.
func (w *watcher) observe(t *ocp.Task, now time.Time) error {
	order := executionOrder(t.Subtasks)
	for _, s := range t.Subtasks {
		w.nameWidth = max(w.nameWidth, utf8.RuneCountInString(safetext.Line(s.Name)))
	}
	var events []stepEvent
	for pos, i := range order {
		s := t.Subtasks[i]
		old, had := w.prev[s.ID]
		from := old.Status
		if !had {
			if s.Status == ocp.SubtaskPending {
				w.prev[s.ID] = s
				continue
			}
			from = ocp.SubtaskPending
		} else if old.Status == s.Status && old.RunTime == s.RunTime {
			continue
		}
		w.prev[s.ID] = s
		events = append(events, stepEvent{
			Event: "step", Time: changeTime(s, now), TaskID: t.ID, SubtaskID: s.ID, Step: s.Name,
			From: string(from), To: string(s.Status), FirstSeen: !had,
			ElapsedSeconds: stepElapsed(s, now).Seconds(), Attempts: s.RunTime, Operation: string(s.Operation),
			order: pos,
		})
	}
	slices.SortStableFunc(events, func(a, b stepEvent) int {
		if c := a.Time.Compare(b.Time); c != 0 {
			return c
		}
		return a.order - b.order
	})
	// The task's first sighting heads the steps; a later change of its
	// status follows them (the last step ends before the task does).
	if !w.seen {
		w.seen, w.status = true, t.Status
		if err := w.printTask(taskEvent{Event: "task", Time: now, TaskID: t.ID, Name: t.Name, To: string(t.Status),
			Operation: string(t.Operation), Steps: len(t.Subtasks)}); err != nil {
			return err
		}
	}
	for _, e := range events {
		if err := w.printStep(e); err != nil {
			return err
		}
	}
	if w.status != t.Status {
		ev := taskEvent{Event: "task", Time: now, TaskID: t.ID, Name: t.Name, From: string(w.status), To: string(t.Status),
			Operation: string(t.Operation), Steps: len(t.Subtasks)}
		if t.Status.Ended() && !t.FinishTime.IsZero() {
			ev.Time = t.FinishTime.Time
		}
		w.status = t.Status
		return w.printTask(ev)
	}
	return nil
}

func (w *watcher) printStep(e stepEvent) error {
	if w.format == outputJSON {
		return writeJSONLine(w.out, e)
	}
	change := safetext.Line(e.From) + " " + w.opts.arrow() + " " + safetext.Line(e.To)
	_, err := fmt.Fprintf(w.out, "%s  %-*s  %-23s  %7s  attempt %s\n",
		e.Time.Local().Format("15:04:05"), w.nameWidth, safetext.Line(e.Step), change,
		formatSeconds(e.ElapsedSeconds), formatAttempts(e.Attempts))
	return err
}

func (w *watcher) printTask(e taskEvent) error {
	if w.format == outputJSON {
		return writeJSONLine(w.out, e)
	}
	var err error
	if e.From == "" {
		_, err = fmt.Fprintf(w.out, "%s  task %d \"%s\": %s, %d steps\n", e.Time.Local().Format("15:04:05"),
			e.TaskID, safetext.Line(e.Name), safetext.Line(e.To), e.Steps)
	} else {
		_, err = fmt.Fprintf(w.out, "%s  task %d %s %s %s\n", e.Time.Local().Format("15:04:05"),
			e.TaskID, safetext.Line(e.From), w.opts.arrow(), safetext.Line(e.To))
	}
	return err
}

// changeTime is when a step reached its status, as the backend recorded it.
func changeTime(s ocp.Subtask, now time.Time) time.Time {
	switch {
	case s.Status.Ended() && !s.FinishTime.IsZero():
		return s.FinishTime.Time
	case s.Status == ocp.SubtaskRunning && !s.StartTime.IsZero():
		return s.StartTime.Time
	}
	return now
}

// stepElapsed is a step's runtime: start to finish, or start to now.
func stepElapsed(s ocp.Subtask, now time.Time) time.Duration {
	if s.StartTime.IsZero() {
		return 0
	}
	end := now
	if s.Status.Ended() && !s.FinishTime.IsZero() {
		end = s.FinishTime.Time
	}
	return max(end.Sub(s.StartTime.Time), 0)
}

// taskElapsed is a task's runtime: start (or creation) to finish, or to now.
func taskElapsed(t *ocp.Task, now time.Time) time.Duration {
	start := t.StartTime.Time
	if start.IsZero() {
		start = t.CreateTime.Time
	}
	if start.IsZero() {
		return 0
	}
	end := now
	if t.Status.Ended() && !t.FinishTime.IsZero() {
		end = t.FinishTime.Time
	}
	return max(end.Sub(start), 0)
}

// taskSucceeded: exit 0 only for a task that ended SUCCESSFUL doing what
// it was asked (a rolled-back task ends SUCCESSFUL too, having undone it).
func taskSucceeded(t *ocp.Task) bool {
	return t.Status == ocp.TaskSuccessful && t.Operation != ocp.OpRollback
}

func summarize(t *ocp.Task, now time.Time) summaryEvent {
	ev := summaryEvent{Event: "summary", Time: now, TaskID: t.ID, Name: t.Name, Status: string(t.Status),
		Operation: string(t.Operation), RolledBack: t.Status == ocp.TaskSuccessful && t.Operation == ocp.OpRollback,
		ElapsedSeconds: taskElapsed(t, now).Seconds(), Total: len(t.Subtasks), Steps: []stepSummary{}}
	if t.Status.Ended() && !t.FinishTime.IsZero() {
		ev.Time = t.FinishTime.Time
	}
	g := dag.OfTask(t)
	if !g.Problems.Empty() {
		ev.GraphProblems = g.Problems.String()
	}
	for _, r := range g.Rows {
		s := t.Subtasks[r.Index]
		switch s.Status {
		case ocp.SubtaskSuccessful:
			ev.Successful++
		case ocp.SubtaskFailed:
			ev.Failed = append(ev.Failed, s.Name)
		}
		ev.Steps = append(ev.Steps, stepSummary{SubtaskID: s.ID, Name: s.Name, Status: string(s.Status),
			ElapsedSeconds: stepElapsed(s, now).Seconds(), Attempts: s.RunTime, Timeout: s.Timeout})
	}
	return ev
}

// printSummary prints the summary of t: a JSON line, or a headline and a
// table of the steps in execution order.
func printSummary(w io.Writer, format outputFormat, t *ocp.Task, now time.Time) error {
	ev := summarize(t, now)
	if format == outputJSON {
		return writeJSONLine(w, ev)
	}
	status := ev.Status
	if ev.RolledBack {
		status += " (rolled back)"
	}
	verb := "after"
	if !t.Status.Ended() {
		verb = "so far,"
	}
	head := fmt.Sprintf("task %d \"%s\" %s %s %s: %d/%d steps successful", ev.TaskID, safetext.Line(ev.Name), safetext.Line(status), verb,
		formatSeconds(ev.ElapsedSeconds), ev.Successful, ev.Total)
	if len(ev.Failed) > 0 {
		head += "; failed: " + safetext.Line(strings.Join(ev.Failed, ", "))
	}
	if _, err := fmt.Fprintln(w, head); err != nil {
		return err
	}
	if ev.GraphProblems != "" {
		if _, err := fmt.Fprintln(w, "note: the step graph is malformed:", safetext.Line(ev.GraphProblems)); err != nil {
			return err
		}
	}
	if len(ev.Steps) == 0 {
		return nil
	}
	tb := newTable(w, "#", "STEP", "STATUS", "ELAPSED", "TIMEOUT", "ATTEMPTS")
	for i, s := range ev.Steps {
		tb.row(fmt.Sprint(i+1), s.Name, s.Status, formatSeconds(s.ElapsedSeconds),
			formatTimeout(s.Timeout), formatAttempts(s.Attempts))
	}
	return tb.flush()
}

// executionOrder returns indexes into subtasks in execution order, as
// backend/dag decides it (from the edges alone: OCP's list order and
// seriesId say nothing about it). Steps on a cycle come last; a later copy
// of a duplicate id is left out.
func executionOrder(subtasks []ocp.Subtask) []int {
	g := dag.Build(dag.FromSubtasks(subtasks))
	order := make([]int, len(g.Rows))
	for i, r := range g.Rows {
		order[i] = r.Index
	}
	return order
}
