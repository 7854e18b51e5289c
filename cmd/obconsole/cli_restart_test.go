package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
)

func TestRestartRefusesWithoutATerminalUnlessYes(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{})
	code, out, errOut := c.run("y\n", "restart", "--cluster", "protoss", "--server", "192.0.2.12")
	if code != exitRefused || out != "" || !strings.Contains(errOut, "pass --yes") || !strings.Contains(errOut, "nothing was sent") {
		t.Fatalf("exit %d: %q %q", code, out, errOut)
	}
	if len(c.tasks()) != 0 || len(c.journal().Records) != 0 {
		t.Fatal("a refused restart was sent or journaled")
	}
	code, out, errOut = c.run("", "restart", "--cluster", "protoss", "--server", "192.0.2.12", "--yes")
	// The hint works where it is printed: no other process can find a task
	// of this process's embedded fleet.
	if code != 0 || !strings.Contains(out, "restart of 192.0.2.12:2882 (zone zone2, cluster protoss) accepted: task ") ||
		strings.Contains(out, "obconsole task ") || !strings.Contains(out, "its tasks end with it; watch a restart with --wait, or share one fleet between processes with obconsole serve") {
		t.Fatalf("--yes: exit %d: %q %q", code, out, errOut)
	}
	if ts := c.tasks(); len(ts) != 1 || ts[0].Status != ocp.TaskRunning || ts[0].Force() {
		t.Fatalf("tasks %+v", ts)
	}
}

func TestRestartAsksOnATerminal(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{})
	c.terminal = true
	for _, answer := range []string{"", "n\n", "no\n", "yes please\n"} {
		code, out, errOut := c.run(answer, "restart", "--cluster", "protoss", "--server", "192.0.2.12:2882")
		if code != exitRefused || out != "" || !strings.Contains(errOut, "not confirmed; nothing was sent") {
			t.Fatalf("answer %q: exit %d: %q %q", answer, code, out, errOut)
		}
		for _, want := range []string{"Restart OBServer 192.0.2.12:2882 (id 13000002) in zone zone2 of cluster protoss (id 12000001) on embedded demo fleet",
			"status RUNNING, root service replica", "Restart it? [y/N] "} {
			if !strings.Contains(errOut, want) {
				t.Fatalf("question lacks %q:\n%s", want, errOut)
			}
		}
	}
	if len(c.tasks()) != 0 {
		t.Fatal("restarted without a yes")
	}
	code, out, errOut := c.run("Y\n", "restart", "--cluster", "protoss", "--server", "13000002")
	if code != 0 || !strings.Contains(out, "accepted") {
		t.Fatalf("y: exit %d: %q %q", code, out, errOut)
	}
	if len(c.tasks()) != 1 {
		t.Fatal("exactly one restart per confirmation")
	}
}

func TestForceRestartNeedsTheTypedIP(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{})
	c.terminal = true
	args := []string{"restart", "--cluster", "terran", "--server", "203.0.113.32", "--force"}
	for _, answer := range []string{"y\n", "203.0.113.3\n", "203.0.113.32:2882\n"} {
		code, _, errOut := c.run(answer, args...)
		if code != exitRefused || !strings.Contains(errOut, "FORCE restart of OBServer 203.0.113.32:2882") ||
			!strings.Contains(errOut, "status UNAVAILABLE") || !strings.Contains(errOut, "leaderless") ||
			!strings.Contains(errOut, "Type the server's IP (203.0.113.32) to confirm: ") {
			t.Fatalf("answer %q: exit %d: %s", answer, code, errOut)
		}
	}
	code, out, errOut := c.run(" 203.0.113.32 \n", args...)
	if code != 0 || !strings.HasPrefix(out, "force restart of 203.0.113.32:2882") {
		t.Fatalf("typed IP: exit %d: %q %q", code, out, errOut)
	}
	if ts := c.tasks(); len(ts) != 1 || !ts[0].Force() {
		t.Fatalf("tasks %+v", ts)
	}
	// A normal restart of a server that is not RUNNING says what to expect.
	_, _, errOut = c.run("n\n", "restart", "--cluster", "terran", "--server", "203.0.113.35")
	if strings.Contains(errOut, "not RUNNING") {
		t.Fatalf("a RUNNING server got the warning: %s", errOut)
	}
}

// stepLine matches the text lines of --wait: time, step, change, elapsed, attempt.
func parseJSONLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var evs []map[string]any
	for i, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		var ev map[string]any
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("line %d is not a JSON object: %v: %q", i+1, err, l)
		}
		if ev["event"] == nil {
			t.Fatalf("line %d has no event: %q", i+1, l)
		}
		evs = append(evs, ev)
	}
	return evs
}

func TestRestartWaitSucceeds(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{Seed: 7})
	code, out, errOut := c.run("", "--refresh", "2s", "restart", "--cluster", "protoss", "--server", "192.0.2.12", "--yes", "--wait")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d: %s\n%s", code, errOut, out)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	// The first line names the task and what it acts on; every line is
	// dated with the year and the zone.
	if lines[0] != `2024-04-15 03:25:02 +00:00  task 89027028 "Restart OB server" on cluster protoss (id 12000001), zone zone2, server 192.0.2.12:2882: RUNNING, 11 steps` {
		t.Fatalf("first line %q", lines[0])
	}
	// Lines are in time order, and every step is seen ending SUCCESSFUL.
	var prev time.Time
	for _, l := range lines {
		if at, err := time.Parse(timeLayout, l[:min(len(l), len(timeLayout))]); err == nil {
			if at.Before(prev) {
				t.Fatalf("line out of time order: %q after %s\n%s", l, prev, out)
			}
			prev = at
		} else if strings.Contains(l, "→") {
			t.Fatalf("a change without its date: %q", l)
		}
	}
	for _, step := range []string{"Prepare restart observer", "Stop server", "Wait observer active", "Update OB cluster status"} {
		found := false
		for _, l := range lines {
			if strings.Contains(l, step+" ") && strings.Contains(l, "→ SUCCESSFUL") && strings.Contains(l, "attempt 1") {
				found = true
			}
		}
		if !found {
			t.Errorf("no line of %q ending SUCCESSFUL:\n%s", step, out)
		}
	}
	if !strings.Contains(out, "task 89027028 RUNNING → SUCCESSFUL") ||
		!strings.Contains(out, `task 89027028 "Restart OB server" SUCCESSFUL after `) || !strings.Contains(out, "11 of 11 steps done") {
		t.Fatalf("no summary:\n%s", out)
	}
	// The summary lists the steps in execution order, not OCP's list order.
	i1, i2 := strings.Index(out, "\n1   Prepare restart observer"), strings.Index(out, "\n11  Update OB cluster status")
	if i1 < 0 || i2 < i1 {
		t.Fatalf("summary order:\n%s", out)
	}
	if c.polls.Load() == 0 {
		t.Fatal("the wait loop never paused")
	}
}

func TestRestartWaitJSONLines(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{Seed: 3})
	code, out, errOut := c.run("", "restart", "--cluster", "12000001", "--server", "192.0.2.11:2882", "--yes", "--wait", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	evs := parseJSONLines(t, out)
	if evs[0]["event"] != "task" || evs[0]["to"] != "RUNNING" {
		t.Fatalf("first event %v", evs[0])
	}
	last := evs[len(evs)-1]
	if last["event"] != "summary" || last["status"] != "SUCCESSFUL" || last["successful"] != 11.0 || len(last["steps"].([]any)) != 11 {
		t.Fatalf("summary %v", last)
	}
	// Each step's changes chain: from equals the previous to.
	state := map[float64]string{}
	for _, ev := range evs {
		if ev["event"] != "step" {
			continue
		}
		id := ev["subtaskId"].(float64)
		from := ev["from"].(string)
		if was, ok := state[id]; ok && was != from || !ok && from != "PENDING" {
			t.Fatalf("step %v: from %s after %q", ev["step"], from, was)
		}
		state[id] = ev["to"].(string)
		if _, err := time.Parse(time.RFC3339Nano, ev["time"].(string)); err != nil {
			t.Fatal(err)
		}
	}
	if len(state) != 11 {
		t.Fatalf("%d steps seen", len(state))
	}
	for id, s := range state {
		if s != "SUCCESSFUL" {
			t.Fatalf("step %v ended %s", id, s)
		}
	}
}

func TestRestartWaitFailedTaskExits1(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{Scenario: "fail-once:stop-server"})
	code, out, errOut := c.run("", "--ascii", "restart", "--cluster", "protoss", "--server", "192.0.2.11", "--yes", "--wait")
	if code != exitFailed || !strings.Contains(errOut, "FAILED") {
		t.Fatalf("exit %d: %s\n%s", code, errOut, out)
	}
	if !strings.Contains(out, "RUNNING -> FAILED") || !strings.Contains(out, "; failed: Stop server") || strings.Contains(out, "→") {
		t.Fatalf("output:\n%s", out)
	}
	log := c.journal()
	if len(log.Records) != 1 || log.Records[0].Result() != audit.ResultOK {
		t.Fatalf("journal %+v", log.Records)
	}
}

func TestRestartConflictIsRefused(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{})
	running := c.restartDirect(embedded.DemoPrimaryClusterID, embedded.DemoSampleServerID, false)
	code, out, errOut := c.run("", "restart", "--cluster", "protoss", "--server", "192.0.2.12", "--yes", "--wait")
	if code != exitRefused || out != "" || !strings.Contains(errOut, "Conflict") || !strings.Contains(errOut, strings.TrimSpace(jsonNumber(running.ID))) {
		t.Fatalf("exit %d: %q %q", code, out, errOut)
	}
	log := c.journal()
	if len(log.Records) != 1 || log.Records[0].Result() != audit.ResultError || log.Records[0].Outcome.ErrorKind != "Conflict" {
		t.Fatalf("journal %+v", log.Records)
	}
}

func jsonNumber(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestRestartUnreachableBackend(t *testing.T) {
	t.Parallel()
	c := newCLIOn(t, downExecutor{})
	code, _, errOut := c.run("", "restart", "--cluster", "protoss", "--server", "192.0.2.12", "--yes")
	if code != exitUnreachable || !strings.Contains(errOut, "connection refused") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

// The backend goes away while a restart is watched: a few failed polls are
// survived, then the command gives up with exit 4, naming the task.
func TestRestartWaitLosesTheBackend(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{})
	flaky := &flakyExecutor{Executor: c.emb, failures: 2}
	c.ex = flaky
	code, out, errOut := c.run("", "restart", "--cluster", "protoss", "--server", "192.0.2.12", "--yes", "--wait")
	if code != 0 || !strings.Contains(errOut, "polling task 89027028 failed (1 of 5)") || !strings.Contains(errOut, "(2 of 5)") {
		t.Fatalf("transient failures: exit %d: %s\n%s", code, errOut, out)
	}
	flaky.failures = -1
	code, _, errOut = c.run("", "restart", "--cluster", "protoss", "--server", "192.0.2.13", "--yes", "--wait")
	if code != exitUnreachable || !strings.Contains(errOut, "(4 of 5)") ||
		!strings.Contains(errOut, "watching task 89027029 (last seen RUNNING): get task: Unavailable") {
		t.Fatalf("lost backend: exit %d: %s", code, errOut)
	}
	// Through --ocp-url another process can look the task up.
	c.ex = sharedTarget{flaky}
	code, _, errOut = c.run("", "restart", "--cluster", "zerg", "--server", "198.51.100.21", "--yes", "--wait")
	if code != exitUnreachable || !strings.Contains(errOut, "watching task 89027030 (last seen RUNNING; it may still be running: obconsole task 89027030)") {
		t.Fatalf("lost OCP: exit %d: %s", code, errOut)
	}
}

// sharedTarget is an executor that other processes share, as an OCP is.
type sharedTarget struct{ backend.Executor }

func (sharedTarget) Describe() backend.Target {
	return backend.Target{Kind: "remote", Label: "https://ocp.example:8080", URL: "https://ocp.example:8080", User: "admin"}
}

// Through --ocp-url the accepted restart points at obconsole task.
func TestRestartHintOnASharedOCP(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{})
	c.ex = sharedTarget{c.emb}
	code, out, errOut := c.run("", "restart", "--cluster", "protoss", "--server", "192.0.2.12", "--yes")
	if code != 0 || !strings.HasSuffix(out, "\nfollow it with: obconsole task 89027028 --wait\n") {
		t.Fatalf("exit %d: %q %q", code, out, errOut)
	}
}

func TestRestartWaitInterrupted(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c.pause = func(ctx context.Context, d time.Duration) error {
		if c.polls.Load() == 3 {
			cancel()
			return ctx.Err()
		}
		c.clock.Advance(d)
		return nil
	}
	code, _, errOut := c.runCtx(ctx, "", "restart", "--cluster", "protoss", "--server", "192.0.2.12", "--yes", "--wait")
	if code != exitInterrupted || !strings.Contains(errOut, "stopped watching; task 89027028 was RUNNING and stops here: the embedded fleet lives in this process") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	c.ex = sharedTarget{c.emb}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	c.polls.Store(0)
	code, _, errOut = c.runCtx(ctx, "", "restart", "--cluster", "zerg", "--server", "198.51.100.21", "--yes", "--wait")
	if code != exitInterrupted || !strings.Contains(errOut, "stopped watching; task 89027029 is RUNNING and goes on: obconsole task 89027029 --wait") {
		t.Fatalf("shared: exit %d: %s", code, errOut)
	}
}

// On the embedded fleet, a task id from another process is not found, and
// the error says why.
func TestTaskOfAnotherEmbeddedRun(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{})
	code, _, errOut := c.run("", "task", "89027028")
	if code != exitUsage || !strings.Contains(errOut, "NotFound") || !strings.Contains(errOut, "tasks of other obconsole processes are not here") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

func TestRestartUsageAndReadonly(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{})
	for _, args := range [][]string{
		{"restart", "--server", "192.0.2.12", "--yes"},
		{"restart", "--cluster", "protoss", "--yes"},
		{"restart", "--cluster", "protoss", "--server", "192.0.2.12:x", "--yes"},
		{"restart", "--cluster", "protoss", "--server", "db-1", "--yes"},
		{"restart", "--cluster", "protoss", "--server", "192.0.2.12", "-o", "xml", "--yes"},
		{"restart", "extra", "--cluster", "protoss", "--server", "192.0.2.12", "--yes"},
	} {
		if code, _, errOut := c.run("", args...); code != exitUsage {
			t.Errorf("%v: exit %d: %s", args, code, errOut)
		}
	}
	code, _, errOut := c.run("", "--readonly", "restart", "--cluster", "protoss", "--server", "192.0.2.12", "--yes")
	if code != exitRefused || !strings.Contains(errOut, "--readonly") {
		t.Fatalf("readonly: exit %d: %s", code, errOut)
	}
	if len(c.tasks()) != 0 || len(c.journal().Records) != 0 {
		t.Fatal("something was sent")
	}
}

func TestRestartJournalsIntentAndOutcome(t *testing.T) {
	t.Parallel()
	const password, secret = "hunter2-pw", "d75332c5eed8d440a84a35ac6248d397"
	c := newCLI(t, embedded.Options{})
	c.setenv("OCP_PASSWORD", password)
	c.setenv("OCP_ACCESS_KEY_SECRET", secret)
	code, out, errOut := c.run("", "restart", "--cluster", "terran", "--server", "203.0.113.32:2882", "--force", "--yes", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	evs := parseJSONLines(t, out)
	if len(evs) != 1 || evs[0]["event"] != "started" || evs[0]["force"] != true || evs[0]["server"] != "203.0.113.32:2882" {
		t.Fatalf("started line %v", evs)
	}
	raw, err := os.ReadFile(c.journalPath())
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(raw), []byte("\n"))
	if len(lines) != 2 {
		t.Fatalf("journal lines:\n%s", raw)
	}
	var in, outcome audit.Entry
	if json.Unmarshal(lines[0], &in) != nil || json.Unmarshal(lines[1], &outcome) != nil {
		t.Fatalf("journal:\n%s", raw)
	}
	if in.Phase != audit.PhaseIntent || outcome.Phase != audit.PhaseOutcome || in.ID != outcome.ID ||
		in.Operation != audit.OpRestartServer || !in.Force || in.Params.ServerID != embedded.DemoUnavailableServerID ||
		in.Subject.Server != "203.0.113.32:2882" || in.Subject.Cluster != "terran" || in.Via != "obconsole restart" ||
		in.Target.Kind != "embedded" || in.User == "" {
		t.Fatalf("intent %+v", in)
	}
	if outcome.Result != audit.ResultOK || outcome.TaskID != int64(evs[0]["taskId"].(float64)) {
		t.Fatalf("outcome %+v", outcome)
	}
	for _, s := range []string{password, secret} {
		if bytes.Contains(raw, []byte(s)) {
			t.Fatalf("journal holds a secret:\n%s", raw)
		}
	}
	st, err := os.Stat(c.journalPath())
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("journal mode %v %v", st.Mode(), err)
	}
}

func TestUnwritableJournalRefusesTheRestart(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{})
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	c.state = blocker // a file where a directory must go
	c.terminal = true
	code, _, errOut := c.run("y\n", "restart", "--cluster", "protoss", "--server", "192.0.2.12")
	if code != exitRefused || !strings.Contains(errOut, "write audit journal") || !strings.Contains(errOut, "nothing was sent") ||
		strings.Contains(errOut, "[y/N]") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if len(c.tasks()) != 0 {
		t.Fatal("restarted without a journal")
	}
}

// In a real pseudo-terminal: the prompt appears, y confirms, the restart
// is sent once. And an interrupted prompt sends nothing.
func TestRestartPromptInAPseudoTerminal(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{}) // the real check of a terminal
	ptmx, tty := openPTY(t, 80, 24)
	scr := newScreen(ptmx)
	var out strings.Builder
	done := make(chan int, 1)
	go func() {
		done <- c.app(tty, &out, tty).run(context.Background(), []string{"restart", "--cluster", "protoss", "--server", "192.0.2.12"})
	}()
	scr.waitFor(t, 0, 10*time.Second, "Restart it? [y/N]")
	if _, err := ptmx.WriteString("y\r"); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 0 || !strings.Contains(out.String(), "accepted: task") {
			t.Fatalf("exit %d: %s", code, out.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the prompt did not take the answer")
	}
	if len(c.tasks()) != 1 {
		t.Fatal("want exactly one restart")
	}

	ctx, cancel := context.WithCancel(context.Background())
	m := scr.mark()
	go func() {
		done <- c.app(tty, io.Discard, tty).run(ctx, []string{"restart", "--cluster", "protoss", "--server", "192.0.2.13"})
	}()
	scr.waitFor(t, m, 10*time.Second, "Restart it? [y/N]")
	cancel()
	select {
	case code := <-done:
		if code != exitInterrupted {
			t.Fatalf("interrupted prompt: exit %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the prompt ignored the interruption")
	}
	if len(c.tasks()) != 1 {
		t.Fatal("an interrupted prompt sent a restart")
	}
	// The abandoned read takes the next line; give it one so it ends.
	_, _ = ptmx.WriteString("\r")
}

// freezeServer is on by default, as in OCP's console; the question says
// so, the request carries it, the journal records it and -o json shows
// it. --freeze-server=false turns it off all the way.
func TestRestartFreezeServer(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		flags []string
		want  bool
		says  string
	}{
		{nil, true, "minor compaction before the stop: yes (--freeze-server=false skips it)\n"},
		{[]string{"--freeze-server=false"}, false, "minor compaction before the stop: no (a faster stop, a slower recovery)\n"},
	} {
		cli := newCLI(t, embedded.Options{})
		cli.terminal = true
		args := append([]string{"restart", "--cluster", "protoss", "--server", "192.0.2.12"}, c.flags...)
		code, out, errOut := cli.run("y\n", args...)
		if code != 0 || !strings.Contains(errOut, c.says) || !strings.Contains(out, "accepted") {
			t.Fatalf("%v: exit %d: %q %q", c.flags, code, out, errOut)
		}
		ts := cli.tasks()
		if len(ts) != 1 || (ts[0].Context.Get("freeze_server") == "true") != c.want {
			t.Fatalf("%v: tasks %+v", c.flags, ts)
		}
		raw, err := os.ReadFile(cli.journalPath())
		if err != nil {
			t.Fatal(err)
		}
		var in audit.Entry
		if err := json.Unmarshal(bytes.SplitN(raw, []byte("\n"), 2)[0], &in); err != nil || in.Phase != audit.PhaseIntent || in.Params.FreezeServer != c.want {
			t.Fatalf("%v: journal intent %s (%v)", c.flags, raw, err)
		}
		_, _, _ = cli.run("", "--refresh", "1s", "task", strings.TrimSpace(jsonNumber(ts[0].ID)), "--wait")
		code, out, errOut = cli.run("", append([]string{"restart", "--cluster", "protoss", "--server", "192.0.2.12", "--yes", "-o", "json"}, c.flags...)...)
		if evs := parseJSONLines(t, out); code != 0 || len(evs) != 1 || evs[0]["freezeServer"] != c.want {
			t.Fatalf("%v: exit %d: %s %s", c.flags, code, out, errOut)
		}
	}
}
