package main

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
)

func TestAuditCommand(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{})
	if code, _, errOut := c.run("", "audit"); code != 0 || !strings.Contains(errOut, "no actions in") {
		t.Fatalf("empty journal: exit %d: %s", code, errOut)
	}
	if code, _, errOut := c.run("", "restart", "--cluster", "protoss", "--server", "192.0.2.12", "--yes", "--force"); code != 0 {
		t.Fatalf("restart: %s", errOut)
	}
	if code, _, _ := c.run("", "restart", "--cluster", "protoss", "--server", "192.0.2.12", "--yes"); code != exitRefused {
		t.Fatalf("conflict: exit %d", code)
	}
	// A crash between intent and outcome leaves an intent alone.
	j, err := audit.Open(c.journalPath())
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Append(audit.Entry{Phase: audit.PhaseIntent, ID: "crashed", User: "oncall", Host: "jump-1", Via: "console",
		Target:    audit.Target{Kind: "remote", Label: "https://ocp.example:8080", URL: "https://ocp.example:8080", User: "admin"},
		Operation: audit.OpSkipSubtask, Params: audit.Params{TaskID: 5, SubtaskID: 6}, Subject: audit.Subject{Step: "Stop server"}}); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := c.run("", "audit")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rows := checkAligned(t, out, "TIME", "WHO", "TARGET", "OPERATION", "ON", "FORCE", "RESULT")
	if len(rows) != 3 {
		t.Fatalf("rows:\n%s", out)
	}
	if r := rows[0]; !strings.Contains(r, "restart-server") || !strings.Contains(r, "server 192.0.2.12:2882 (id 13000002), cluster protoss (id 12000001)") ||
		!strings.Contains(r, "force") || !strings.Contains(r, "ok: task 89027028 RUNNING") || !strings.Contains(r, "(obconsole restart)") {
		t.Errorf("restart row %q", r)
	}
	if r := rows[1]; !strings.Contains(r, "error: Conflict") || strings.Contains(r, "force") {
		t.Errorf("conflict row %q", r)
	}
	if r := rows[2]; !strings.Contains(r, "oncall@jump-1 (console)") || !strings.Contains(r, "https://ocp.example:8080 as admin") ||
		!strings.Contains(r, "task 5, step Stop server (id 6)") || !strings.HasSuffix(r, "outcome unknown") {
		t.Errorf("crashed row %q", r)
	}

	code, out, _ = c.run("", "audit", "-o", "json")
	evs := parseJSONLines(t, strings.ReplaceAll(out, `"id"`, `"event":"x","id"`))
	if code != 0 || len(evs) != 3 {
		t.Fatalf("json: exit %d: %s", code, out)
	}
	var recs []auditRecord
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var r auditRecord
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	if recs[0].Result != "ok" || recs[0].TaskID != 89027028 || !recs[0].Force || recs[0].OutcomeTime == nil ||
		recs[1].Result != "error" || recs[1].ErrorKind != "Conflict" ||
		recs[2].Result != "outcome unknown" || recs[2].OutcomeTime != nil || recs[2].Operation != audit.OpSkipSubtask {
		t.Fatalf("records %+v", recs)
	}
}

func TestAuditSinceAndBadLines(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{})
	now := time.Date(2024, 4, 15, 12, 0, 0, 0, time.UTC)
	c.now = now
	j, err := audit.Open(c.journalPath())
	if err != nil {
		t.Fatal(err)
	}
	for i, age := range []time.Duration{72 * time.Hour, 30 * time.Hour, time.Hour} {
		id := string(rune('a' + i))
		for _, phase := range []string{audit.PhaseIntent, audit.PhaseOutcome} {
			e := audit.Entry{Time: now.Add(-age), Phase: phase, ID: id, Operation: audit.OpRetryTask, Params: audit.Params{TaskID: int64(i + 1)}}
			if phase == audit.PhaseOutcome {
				e.Result = audit.ResultOK
			}
			if err := j.Append(e); err != nil {
				t.Fatal(err)
			}
		}
	}
	f, err := os.OpenFile(j.Path(), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"phase":"intent","id":"torn`)
	f.Close()

	cases := map[string]int{"24h": 1, "2d": 2, "90m": 1, "2024-04-12": 3, "2024-04-14T06:00:01Z": 1, "2024-04-14T06:00:00Z": 2}
	for since, want := range cases {
		code, out, errOut := c.run("", "audit", "--since", since, "-o", "json")
		if code != 0 || strings.Count(out, "\n") != want {
			t.Errorf("--since %s: exit %d, want %d records:\n%s%s", since, code, want, out, errOut)
		}
		if !strings.Contains(errOut, "line 7 is not a journal entry") {
			t.Errorf("torn line not reported: %s", errOut)
		}
	}
	if code, _, errOut := c.run("", "audit", "--since", "yesterday"); code != exitUsage || !strings.Contains(errOut, "--since") {
		t.Fatalf("bad --since: exit %d: %s", code, errOut)
	}
	if code, _, errOut := c.run("", "audit", "--since", "59m", "-o", "text"); code != 0 || !strings.Contains(errOut, "no actions in") {
		t.Fatalf("nothing recent: exit %d: %s", code, errOut)
	}
}

// breakJournalOnRestart sends the restart after turning the journal into a
// directory, so the intent is written and the outcome cannot be.
type breakJournalOnRestart struct {
	backend.Executor
	journal string
}

func (b breakJournalOnRestart) RestartServer(ctx context.Context, clusterID, serverID int64, o backend.RestartOptions) (*ocp.Task, error) {
	if err := os.Rename(b.journal, b.journal+".saved"); err != nil {
		return nil, err
	}
	if err := os.Mkdir(b.journal, 0o700); err != nil {
		return nil, err
	}
	return b.Executor.RestartServer(ctx, clusterID, serverID, o)
}

// A restart whose outcome line cannot be written is reported on stderr,
// once, in the journal's words; the command still reports the restart as
// accepted (exit 0): it was, and a script must not send it again.
func TestRestartReportsALostOutcomeLine(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{})
	c.ex = breakJournalOnRestart{Executor: c.emb, journal: c.journalPath()}
	code, out, errOut := c.run("", "restart", "--cluster", "protoss", "--server", "192.0.2.12", "--yes")
	if code != 0 || !strings.Contains(out, "accepted: task 89027028") {
		t.Fatalf("exit %d: %s\n%s", code, errOut, out)
	}
	if n := strings.Count(errOut, "the audit journal is missing an outcome"); n != 1 || !strings.Contains(errOut, "restart-server") {
		t.Fatalf("stderr reports the lost outcome %d times: %q", n, errOut)
	}
	// Put the journal back: the restart shows as "outcome unknown".
	if err := os.Remove(c.journalPath()); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(c.journalPath()+".saved", c.journalPath()); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := c.run("", "audit"); code != 0 || !strings.Contains(out, "outcome unknown") {
		t.Fatalf("audit: exit %d:\n%s", code, out)
	}
}
