package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/obconsole/obconsole/backend/audit"
)

// auditRecord is one action as `obconsole audit -o json` prints it.
type auditRecord struct {
	ID             string        `json:"id"`
	Time           time.Time     `json:"time"`
	User           string        `json:"user"`
	Host           string        `json:"host"`
	Via            string        `json:"via,omitempty"`
	SSH            audit.SSH     `json:"ssh,omitzero"`
	Target         audit.Target  `json:"target"`
	Operation      string        `json:"operation"`
	Params         audit.Params  `json:"params"`
	Subject        audit.Subject `json:"subject,omitzero"`
	Force          bool          `json:"force"`
	Result         string        `json:"result"` // ok | error | outcome unknown
	OutcomeTime    *time.Time    `json:"outcomeTime,omitempty"`
	TaskID         int64         `json:"taskId,omitempty"`
	Status         string        `json:"status,omitempty"`
	ErrorKind      string        `json:"errorKind,omitempty"`
	Error          string        `json:"error,omitempty"`
	OutcomeUnknown bool          `json:"outcomeUnknown,omitempty"`
	IntentMissing  bool          `json:"intentMissing,omitempty"`
}

func toAuditRecord(r audit.Record) auditRecord {
	e := r.Entry()
	out := auditRecord{ID: e.ID, Time: e.Time, User: e.User, Host: e.Host, Via: e.Via, SSH: e.SSH, Target: e.Target,
		Operation: e.Operation, Params: e.Params, Subject: e.Subject, Force: e.Force, Result: r.Result(),
		IntentMissing: r.Intent == nil}
	if o := r.Outcome; o != nil {
		t := o.Time
		out.OutcomeTime = &t
		out.TaskID, out.Status = o.TaskID, o.Status
		out.ErrorKind, out.Error, out.OutcomeUnknown = o.ErrorKind, o.Error, o.OutcomeUnknown
	}
	return out
}

func (c *cli) auditCommand() *cobra.Command {
	var output, since string
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Print the audit journal of mutating actions",
		Long: `Print the audit journal: every restart, retry, rollback, skip and cancel sent
from this machine's obconsole (console or commands), oldest first, with who,
where, against what, and how it ended. An action whose outcome line is missing
(the process died, or no answer came) shows as "outcome unknown": look the task
up before doing it again.

The journal is $XDG_STATE_HOME/obconsole/audit.jsonl (default
~/.local/state/obconsole/audit.jsonl). --since takes a duration back from now
(90m, 24h, 7d) or a date or time (2024-04-15, 2024-04-15T09:00:00+08:00).
With -o json each action is one JSON object on its own line.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := parseOutput(output)
			if err != nil {
				return err
			}
			var from time.Time
			if since != "" {
				if from, err = parseSince(since, c.clock.Now(), c.zone); err != nil {
					return err
				}
			}
			path, err := c.journalPath()
			if err != nil {
				return err
			}
			log, err := audit.ReadFile(path)
			if err != nil {
				return fmt.Errorf("reading the audit journal %s: %w", path, err)
			}
			for _, b := range log.Bad {
				fmt.Fprintf(c.stderr, "obconsole: %s line %d is not a journal entry (a write cut short?): %s\n", path, b.Line, b.Err)
			}
			records := log.Since(from)
			if format == outputJSON {
				for _, r := range records {
					if err := writeJSONLine(c.stdout, toAuditRecord(r)); err != nil {
						return err
					}
				}
				return nil
			}
			if len(records) == 0 {
				_, err := fmt.Fprintf(c.stderr, "no actions in %s%s\n", path, sinceText(since))
				return err
			}
			t := newTable(c.stdout, "-", "TIME", "WHO", "TARGET", "OPERATION", "ON", "FORCE", "RESULT")
			for _, r := range records {
				a := toAuditRecord(r)
				force := ""
				if a.Force {
					force = "force"
				}
				who := a.User + "@" + a.Host
				if a.Via != "" {
					who += " (" + a.Via + ")"
				}
				if s := a.SSH; !s.IsZero() {
					who = s.User + " over ssh from " + s.Remote + " as " + who
				}
				t.row(c.formatTime(a.Time), who, targetText(a.Target), a.Operation, subjectText(a), force, resultText(a))
			}
			return t.flush()
		},
	}
	cmd.Flags().StringVar(&since, "since", "", "only actions since this duration ago (24h, 7d) or this date/time")
	addOutputFlag(cmd, &output)
	return scriptable(cmd)
}

func sinceText(since string) string {
	if since == "" {
		return ""
	}
	return " since " + since
}

// parseSince reads --since: a duration back from now (with d for days) or
// an absolute date or time, in zone unless it names its own.
func parseSince(s string, now time.Time, zone *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if d, ok := strings.CutSuffix(s, "d"); ok {
		if n, err := strconv.ParseFloat(d, 64); err == nil && n >= 0 {
			return now.Add(-time.Duration(n * float64(24*time.Hour))), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, zone); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usageError("--since %q: want a duration (90m, 24h, 7d) or a date/time (2024-04-15, 2024-04-15T09:00:00+08:00)", s)
}

func targetText(t audit.Target) string {
	s := t.Label
	if s == "" {
		s = t.URL
	}
	if t.User != "" {
		s += " as " + t.User
	}
	return s
}

// subjectText names what the action was on, by name when known, with ids.
func subjectText(a auditRecord) string {
	var parts []string
	p, s := a.Params, a.Subject
	switch {
	case s.Server != "":
		parts = append(parts, fmt.Sprintf("server %s (id %d)", s.Server, p.ServerID))
	case p.ServerID != 0:
		parts = append(parts, fmt.Sprintf("server id %d", p.ServerID))
	}
	if p.ZoneName != "" {
		parts = append(parts, "zone "+p.ZoneName)
	}
	switch {
	case s.Cluster != "":
		parts = append(parts, fmt.Sprintf("cluster %s (id %d)", s.Cluster, p.ClusterID))
	case p.ClusterID != 0:
		parts = append(parts, fmt.Sprintf("cluster id %d", p.ClusterID))
	}
	if p.TaskID != 0 {
		parts = append(parts, fmt.Sprintf("task %d", p.TaskID))
	}
	if p.SubtaskID != 0 {
		step := fmt.Sprintf("step %d", p.SubtaskID)
		if s.Step != "" {
			step = fmt.Sprintf("step %s (id %d)", s.Step, p.SubtaskID)
		}
		parts = append(parts, step)
	}
	return strings.Join(parts, ", ")
}

func resultText(a auditRecord) string {
	switch a.Result {
	case audit.ResultOK:
		if a.TaskID != 0 {
			s := fmt.Sprintf("ok: task %d", a.TaskID)
			if a.Status != "" {
				s += " " + a.Status
			}
			return s
		}
		return "ok"
	case audit.ResultError:
		s := "error: " + a.ErrorKind
		if a.OutcomeUnknown {
			s += " (outcome unknown)"
		}
		if a.Error != "" {
			s += ": " + a.Error
		}
		return s
	}
	return audit.ResultUnknown
}
