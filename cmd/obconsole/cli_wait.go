package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
)

// maxPollFailures is how many polls in a row may fail (backend
// unreachable) before --wait gives up with exitUnreachable.
const maxPollFailures = 5

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
		events = append(events, stepEvent{
			eventHead: eventHead{Event: "step", Time: changeTime(s, now), TaskID: t.ID}, SubtaskID: s.ID, Step: s.Name,
			From: string(from), To: string(s.Status), Outcome: outcomeJSON(shown), FirstSeen: !had,
			figures: stepFigures(&s, now), Operation: string(s.Operation),
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
		ev := taskEvent{eventHead: eventHead{Event: "task", Time: now, TaskID: t.ID}, Name: t.Name, To: string(t.Status), Outcome: outcomeJSON(shown),
			Operation: string(t.Operation), Steps: len(t.Subtasks), toOutcome: string(shown)}
		if w.subject != nil {
			sub := w.subject(t)
			ev.subjectFields = sub.fields()
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
		ev := taskEvent{eventHead: eventHead{Event: "task", Time: now, TaskID: t.ID}, Name: t.Name, From: string(w.status), To: string(t.Status),
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
	elapsed, attempts := e.figures.text(w.unknown())
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
