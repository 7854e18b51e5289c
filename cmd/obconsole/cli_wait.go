package main

import (
	"context"
	"errors"
	"fmt"
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

// The JSON lines of --wait and restart. Every line has "event". Beside
// each raw status, "outcome" says what it shows as (ROLLED_BACK, SKIPPED:
// ocp's Outcome with "_" for spaces); a value that did not arrive is left
// out, never sent as 0.

// taskEvent: the task was first seen, or its status changed.
type taskEvent struct {
	Event     string    `json:"event"` // "task"
	Time      time.Time `json:"time"`
	TaskID    int64     `json:"taskId"`
	Name      string    `json:"name"`
	From      string    `json:"from,omitempty"` // empty when first seen
	To        string    `json:"to"`
	Outcome   string    `json:"outcome"`
	Operation string    `json:"operation,omitempty"`
	Steps     int       `json:"steps"`
	// What the task acts on, in its first event.
	Cluster string   `json:"cluster,omitempty"`
	Zone    string   `json:"zone,omitempty"`
	Servers []string `json:"servers,omitempty"`
	Tenant  string   `json:"tenant,omitempty"`

	fromOutcome, toOutcome string
	on                     string
}

// stepEvent: a step changed status, outcome or attempt count.
type stepEvent struct {
	Event          string    `json:"event"` // "step"
	Time           time.Time `json:"time"`
	TaskID         int64     `json:"taskId"`
	SubtaskID      int64     `json:"subtaskId"`
	Step           string    `json:"step"`
	From           string    `json:"from"`
	To             string    `json:"to"`
	Outcome        string    `json:"outcome"`
	FirstSeen      bool      `json:"firstSeen,omitempty"` // From is the initial PENDING, not observed
	ElapsedSeconds *float64  `json:"elapsedSeconds,omitempty"`
	Attempts       *int      `json:"attempts,omitempty"`
	Operation      string    `json:"operation,omitempty"`

	fromOutcome, toOutcome string
	order                  int
}

// stepSummary is one step of a summary, in execution order.
type stepSummary struct {
	SubtaskID      int64    `json:"subtaskId"`
	Name           string   `json:"name"`
	Status         string   `json:"status"`
	Outcome        string   `json:"outcome"`
	Operation      string   `json:"operation,omitempty"`
	ElapsedSeconds *float64 `json:"elapsedSeconds,omitempty"`
	Attempts       *int     `json:"attempts,omitempty"`
	Timeout        *int64   `json:"timeoutSeconds,omitempty"`

	shown ocp.StepOutcome
}

// progress is ocp's Progress: steps done of steps to do; while or after
// rolling back, steps undone of steps that had run.
type progress struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

// summaryEvent: how the task ended (or stands).
type summaryEvent struct {
	Event          string    `json:"event"` // "summary"
	Time           time.Time `json:"time"`
	TaskID         int64     `json:"taskId"`
	Name           string    `json:"name"`
	Status         string    `json:"status"`
	Outcome        string    `json:"outcome"`
	Operation      string    `json:"operation,omitempty"`
	RolledBack     bool      `json:"rolledBack,omitempty"`
	ElapsedSeconds *float64  `json:"elapsedSeconds,omitempty"`
	// Successful counts the steps SUCCESSFUL (skipped ones too) of Total.
	Successful int           `json:"successful"`
	Total      int           `json:"total"`
	Skipped    int           `json:"skipped,omitempty"`
	Progress   progress      `json:"progress"`
	Failed     []string      `json:"failed,omitempty"`
	Steps      []stepSummary `json:"steps"`
	Cluster    string        `json:"cluster,omitempty"`
	Zone       string        `json:"zone,omitempty"`
	Servers    []string      `json:"servers,omitempty"`
	Tenant     string        `json:"tenant,omitempty"`
	// GraphProblems says what is wrong with a malformed step graph.
	GraphProblems string `json:"graphProblems,omitempty"`

	outcome ocp.TaskOutcome
}

// outcomeJSON is an outcome as JSON carries it: ROLLED_BACK for ROLLED BACK.
func outcomeJSON[T ~string](o T) string { return strings.ReplaceAll(string(o), " ", "_") }

// undoing reports whether a task's progress counts steps undone.
func undoing(o ocp.TaskOutcome) bool {
	return o == ocp.OutcomeRollingBack || o == ocp.OutcomeRolledBack || o == ocp.OutcomeRollbackFailed
}

// watcher prints a task's step changes as text or JSON lines.
type watcher struct {
	*cli
	format outputFormat
	ex     backend.Executor
	// subject names what the task acts on, once, when it is first seen.
	subject func(*ocp.Task) taskSubject

	seen      bool
	status    ocp.TaskStatus
	outcome   ocp.TaskOutcome
	prev      map[int64]ocp.Subtask
	nameWidth int
}

func (c *cli) newWatcher(format outputFormat, ex backend.Executor, subject func(*ocp.Task) taskSubject) *watcher {
	return &watcher{cli: c, format: format, ex: ex, subject: subject, prev: map[int64]ocp.Subtask{}}
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
	interval := w.refresh
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
			if err := w.clock.Sleep(ctx, interval); err != nil {
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
				fmt.Fprintf(w.stderr, "obconsole: polling task %d failed (%d of %d): %v\n", id, failures, maxPollFailures, err)
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

// stepFigures are a step's elapsed time and attempts as JSON carries them:
// nil when unknown (ocp's Elapsed and AttemptsKnown decide, as for the
// console).
func stepFigures(s *ocp.Subtask, now time.Time) (elapsed *float64, attempts *int) {
	if d, ok := s.Elapsed(now); ok {
		sec := d.Seconds()
		elapsed = &sec
	}
	if s.AttemptsKnown() {
		n := s.RunTime
		attempts = &n
	}
	return elapsed, attempts
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
		shown := s.Outcome()
		old, had := w.prev[s.ID]
		from, fromShown := old.Status, old.Outcome()
		if !had {
			if shown == ocp.StepOutcome(ocp.SubtaskPending) {
				w.prev[s.ID] = s
				continue
			}
			from, fromShown = ocp.SubtaskPending, ocp.StepOutcome(ocp.SubtaskPending)
		} else if old.Status == s.Status && old.RunTime == s.RunTime && fromShown == shown {
			continue
		}
		w.prev[s.ID] = s
		elapsed, attempts := stepFigures(&s, now)
		events = append(events, stepEvent{
			Event: "step", Time: changeTime(s, now), TaskID: t.ID, SubtaskID: s.ID, Step: s.Name,
			From: string(from), To: string(s.Status), Outcome: outcomeJSON(shown), FirstSeen: !had,
			ElapsedSeconds: elapsed, Attempts: attempts, Operation: string(s.Operation),
			fromOutcome: string(fromShown), toOutcome: string(shown), order: pos,
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
	shown := t.Outcome()
	if !w.seen {
		w.seen, w.status, w.outcome = true, t.Status, shown
		ev := taskEvent{Event: "task", Time: now, TaskID: t.ID, Name: t.Name, To: string(t.Status), Outcome: outcomeJSON(shown),
			Operation: string(t.Operation), Steps: len(t.Subtasks), toOutcome: string(shown)}
		if w.subject != nil {
			sub := w.subject(t)
			ev.Cluster, ev.Zone, ev.Servers, ev.Tenant = sub.Cluster, sub.Zone, sub.Servers, sub.Tenant
			ev.on = sub.text("")
		}
		if err := w.printTask(ev); err != nil {
			return err
		}
	}
	for _, e := range events {
		if err := w.printStep(e); err != nil {
			return err
		}
	}
	if w.status != t.Status || w.outcome != shown {
		ev := taskEvent{Event: "task", Time: now, TaskID: t.ID, Name: t.Name, From: string(w.status), To: string(t.Status),
			Outcome: outcomeJSON(shown), Operation: string(t.Operation), Steps: len(t.Subtasks),
			fromOutcome: string(w.outcome), toOutcome: string(shown)}
		if t.Status.Ended() && !t.FinishTime.IsZero() {
			ev.Time = t.FinishTime.Time
		}
		w.status, w.outcome = t.Status, shown
		return w.printTask(ev)
	}
	return nil
}

// eventTime shows the time of a --wait line, with the year and the zone.
func (a *app) eventTime(t time.Time) string { return t.In(a.zone).Format(timeLayout) }

func (w *watcher) printStep(e stepEvent) error {
	if w.format == outputJSON {
		return writeJSONLine(w.stdout, e)
	}
	change := safetext.Line(e.fromOutcome) + " " + w.arrow() + " " + safetext.Line(e.toOutcome)
	elapsed, attempts := w.unknown(), w.unknown()
	if e.ElapsedSeconds != nil {
		elapsed = formatSeconds(*e.ElapsedSeconds)
	}
	if e.Attempts != nil {
		attempts = formatAttempts(*e.Attempts)
	}
	// A run that is not the step's own (a rollback, a skip, a retry) says
	// so: READY → RUNNING means something else while rolling back.
	op := ""
	if e.Operation != "" && e.Operation != string(ocp.OpExecute) {
		op = "  (" + safetext.Line(e.Operation) + ")"
	}
	_, err := fmt.Fprintf(w.stdout, "%s  %-*s  %-24s  %7s  attempt %s%s\n",
		w.eventTime(e.Time), w.nameWidth, safetext.Line(e.Step), change, elapsed, attempts, op)
	return err
}

func (w *watcher) printTask(e taskEvent) error {
	if w.format == outputJSON {
		return writeJSONLine(w.stdout, e)
	}
	var err error
	if e.From == "" {
		on := ""
		if e.on != "" {
			on = " on " + safetext.Line(e.on)
		}
		_, err = fmt.Fprintf(w.stdout, "%s  task %d \"%s\"%s: %s, %d steps\n", w.eventTime(e.Time),
			e.TaskID, safetext.Line(e.Name), on, safetext.Line(e.toOutcome), e.Steps)
	} else {
		_, err = fmt.Fprintf(w.stdout, "%s  task %d %s %s %s\n", w.eventTime(e.Time),
			e.TaskID, safetext.Line(e.fromOutcome), w.arrow(), safetext.Line(e.toOutcome))
	}
	return err
}

// changeTime is when a step reached its status, as the backend recorded it.
func changeTime(s ocp.Subtask, now time.Time) time.Time {
	switch {
	case (s.Status.Ended() || s.RolledBack()) && !s.FinishTime.IsZero():
		return s.FinishTime.Time
	case s.Status == ocp.SubtaskRunning && !s.StartTime.IsZero():
		return s.StartTime.Time
	}
	return now
}

func summarize(t *ocp.Task, sub taskSubject, now time.Time) summaryEvent {
	shown := t.Outcome()
	done, total := t.Progress()
	ev := summaryEvent{Event: "summary", Time: now, TaskID: t.ID, Name: t.Name, Status: string(t.Status),
		Outcome: outcomeJSON(shown), Operation: string(t.Operation), RolledBack: t.RolledBack(),
		Total: len(t.Subtasks), Progress: progress{Done: done, Total: total}, Steps: []stepSummary{},
		Cluster: sub.Cluster, Zone: sub.Zone, Servers: sub.Servers, Tenant: sub.Tenant, outcome: shown}
	if d, ok := t.Elapsed(now); ok {
		sec := d.Seconds()
		ev.ElapsedSeconds = &sec
	}
	if t.Status.Ended() && !t.FinishTime.IsZero() {
		ev.Time = t.FinishTime.Time
	}
	g := dag.OfTask(t)
	if !g.Problems.Empty() {
		ev.GraphProblems = g.Problems.String()
	}
	for _, r := range g.Rows {
		s := &t.Subtasks[r.Index]
		switch {
		case s.Skipped():
			ev.Skipped++
			ev.Successful++
		case s.Status == ocp.SubtaskSuccessful:
			ev.Successful++
		case s.Status == ocp.SubtaskFailed:
			ev.Failed = append(ev.Failed, s.Name)
		}
		elapsed, attempts := stepFigures(s, now)
		var timeout *int64
		if s.TimeoutKnown() {
			sec := s.Timeout
			timeout = &sec
		}
		ev.Steps = append(ev.Steps, stepSummary{SubtaskID: s.ID, Name: s.Name, Status: string(s.Status),
			Outcome: outcomeJSON(s.Outcome()), Operation: string(s.Operation),
			ElapsedSeconds: elapsed, Attempts: attempts, Timeout: timeout, shown: s.Outcome()})
	}
	return ev
}

// printSummary prints the summary of t: a JSON line, or a headline, what
// the task acts on, and a table of the steps in execution order.
func (c *cli) printSummary(format outputFormat, t *ocp.Task, sub taskSubject, now time.Time) error {
	w := c.stdout
	ev := summarize(t, sub, now)
	if format == outputJSON {
		return writeJSONLine(w, ev)
	}
	when := ""
	if ev.ElapsedSeconds != nil {
		when = " after " + formatSeconds(*ev.ElapsedSeconds)
		if !ev.outcome.Ended() {
			when = " so far, " + formatSeconds(*ev.ElapsedSeconds)
		}
	}
	verb := "done"
	if undoing(ev.outcome) {
		verb = "undone"
	}
	head := fmt.Sprintf("task %d \"%s\" %s%s: %d of %d steps %s", ev.TaskID, safetext.Line(ev.Name), safetext.Line(string(ev.outcome)), when,
		ev.Progress.Done, ev.Progress.Total, verb)
	if ev.Skipped > 0 {
		head += fmt.Sprintf(" (%d skipped)", ev.Skipped)
	}
	if len(ev.Failed) > 0 {
		head += "; failed: " + safetext.Line(strings.Join(ev.Failed, ", "))
	}
	started := c.unknown()
	if !t.StartTime.IsZero() && t.StartTime.Valid() {
		started = c.formatTime(t.StartTime.Time)
	}
	on := "on " + safetext.Line(sub.text(c.unknown())) + "; started " + started
	if by := t.Creator.String(); by != "" {
		on += " by " + safetext.Line(by)
	}
	if _, err := fmt.Fprintln(w, head+"\n"+on); err != nil {
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
	tb := newTable(w, c.unknown(), "#", "STEP", "STATUS", "ELAPSED", "TIMEOUT", "ATTEMPTS")
	for i, s := range ev.Steps {
		elapsed, timeout, attempts := "", "", ""
		if s.ElapsedSeconds != nil {
			elapsed = formatSeconds(*s.ElapsedSeconds)
		}
		if s.Timeout != nil {
			timeout = formatTimeout(*s.Timeout)
		}
		if s.Attempts != nil {
			attempts = formatAttempts(*s.Attempts)
		}
		tb.row(fmt.Sprint(i+1), s.Name, string(s.shown), elapsed, timeout, attempts)
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
