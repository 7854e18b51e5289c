package main

import (
	"strings"
	"time"

	"github.com/obconsole/obconsole/backend/ocp"
)

// The JSON lines of --wait and restart. Every line starts with "event",
// "time" and "taskId" (eventHead). Beside each raw status, "outcome" says
// what it shows as (ROLLED_BACK, SKIPPED: ocp's Outcome with "_" for
// spaces); a value that did not arrive is left out, never sent as 0.

// eventHead starts every line: what happened, when, to which task.
type eventHead struct {
	Event  string    `json:"event"` // "started", "task", "step" or "summary"
	Time   time.Time `json:"time"`
	TaskID int64     `json:"taskId"`
}

// subjectFields name what a task acts on, where known.
type subjectFields struct {
	Cluster string   `json:"cluster,omitempty"`
	Zone    string   `json:"zone,omitempty"`
	Servers []string `json:"servers,omitempty"`
	Tenant  string   `json:"tenant,omitempty"`
}

func (s taskSubject) fields() subjectFields {
	return subjectFields{Cluster: s.Cluster, Zone: s.Zone, Servers: s.Servers, Tenant: s.Tenant}
}

// figures are a step's elapsed time and attempts: nil when unknown (ocp's
// Elapsed and AttemptsKnown decide, as for the console).
type figures struct {
	ElapsedSeconds *float64 `json:"elapsedSeconds,omitempty"`
	Attempts       *int     `json:"attempts,omitempty"`
}

func stepFigures(s *ocp.Subtask, now time.Time) figures {
	var f figures
	if d, ok := s.Elapsed(now); ok {
		sec := d.Seconds()
		f.ElapsedSeconds = &sec
	}
	if s.AttemptsKnown() {
		n := s.RunTime
		f.Attempts = &n
	}
	return f
}

// text shows the figures, unknown where unknown.
func (f figures) text(unknown string) (elapsed, attempts string) {
	elapsed, attempts = unknown, unknown
	if f.ElapsedSeconds != nil {
		elapsed = formatSeconds(*f.ElapsedSeconds)
	}
	if f.Attempts != nil {
		attempts = formatAttempts(*f.Attempts)
	}
	return elapsed, attempts
}

// startedEvent: a restart was accepted.
type startedEvent struct {
	eventHead
	Name      string `json:"name"`
	Status    string `json:"status"`
	ClusterID int64  `json:"clusterId"`
	Cluster   string `json:"cluster"`
	ServerID  int64  `json:"serverId"`
	Server    string `json:"server"`
	Zone      string `json:"zone"`
	Force     bool   `json:"force"`
	// FreezeServer: a minor compaction was asked for before the stop.
	FreezeServer bool   `json:"freezeServer"`
	Target       string `json:"target"`
}

// taskEvent: the task was first seen, or its status changed.
type taskEvent struct {
	eventHead
	Name      string `json:"name"`
	From      string `json:"from,omitempty"` // empty when first seen
	To        string `json:"to"`
	Outcome   string `json:"outcome"`
	Operation string `json:"operation,omitempty"`
	Steps     int    `json:"steps"`
	// What the task acts on, in its first event.
	subjectFields

	fromOutcome, toOutcome string
	on                     string
}

// stepEvent: a step changed status, outcome or attempt count.
type stepEvent struct {
	eventHead
	SubtaskID int64  `json:"subtaskId"`
	Step      string `json:"step"`
	From      string `json:"from"`
	To        string `json:"to"`
	Outcome   string `json:"outcome"`
	FirstSeen bool   `json:"firstSeen,omitempty"` // From is the initial PENDING, not observed
	figures
	Operation string `json:"operation,omitempty"`

	fromOutcome, toOutcome string
	order                  int
}

// stepSummary is one step of a summary, in execution order.
type stepSummary struct {
	SubtaskID int64  `json:"subtaskId"`
	Name      string `json:"name"`
	Status    string `json:"status"`
	Outcome   string `json:"outcome"`
	Operation string `json:"operation,omitempty"`
	figures
	Timeout *int64 `json:"timeoutSeconds,omitempty"`

	shown ocp.StepOutcome
}

// tally counts a task's steps: Successful the SUCCESSFUL ones (skipped
// ones too) of Total, Skipped those skipped.
type tally struct {
	Successful int `json:"successful"`
	Total      int `json:"total"`
	Skipped    int `json:"skipped,omitempty"`
}

// progress is ocp's Progress: steps done of steps to do; while or after
// rolling back, steps undone of steps that had run.
type progress struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

// summaryEvent: how the task ended (or stands).
type summaryEvent struct {
	eventHead
	Name           string   `json:"name"`
	Status         string   `json:"status"`
	Outcome        string   `json:"outcome"`
	Operation      string   `json:"operation,omitempty"`
	RolledBack     bool     `json:"rolledBack,omitempty"`
	ElapsedSeconds *float64 `json:"elapsedSeconds,omitempty"`
	tally
	Progress progress      `json:"progress"`
	Failed   []string      `json:"failed,omitempty"`
	Steps    []stepSummary `json:"steps"`
	subjectFields
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
