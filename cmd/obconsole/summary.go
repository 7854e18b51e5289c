package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/obconsole/obconsole/backend/dag"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
)

// summarize is how task t ended (or stands) at now.
func summarize(t *ocp.Task, sub taskSubject, now time.Time) summaryEvent {
	shown := t.Outcome()
	done, total := t.Progress()
	ev := summaryEvent{eventHead: eventHead{Event: "summary", Time: now, TaskID: t.ID}, Name: t.Name, Status: string(t.Status),
		Outcome: outcomeJSON(shown), Operation: string(t.Operation), RolledBack: t.RolledBack(),
		tally: tally{Total: len(t.Subtasks)}, Progress: progress{Done: done, Total: total}, Steps: []stepSummary{},
		subjectFields: sub.fields(), outcome: shown}
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
		var timeout *int64
		if s.TimeoutKnown() {
			sec := s.Timeout
			timeout = &sec
		}
		ev.Steps = append(ev.Steps, stepSummary{SubtaskID: s.ID, Name: s.Name, Status: string(s.Status),
			Outcome: outcomeJSON(s.Outcome()), Operation: string(s.Operation),
			figures: stepFigures(s, now), Timeout: timeout, shown: s.Outcome()})
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
		// The table shows an empty cell as unknown.
		elapsed, attempts := s.figures.text("")
		timeout := ""
		if s.Timeout != nil {
			timeout = formatTimeout(*s.Timeout)
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
