package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/ocpserver"
	"github.com/obconsole/obconsole/backend/remote"
	"github.com/obconsole/obconsole/backend/safetext"
)

// newCLIServing runs the commands on the remote executor over httptest,
// against ocpserver serving ex (which may garble what it serves); wrap,
// when given, stands in front of ocpserver.
func newCLIServing(t *testing.T, ex backend.Executor, wrap func(http.Handler) http.Handler) *cliEnv {
	t.Helper()
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

// Out-of-range numbers from OCP are shown as such ("> 100y"), or as
// unknown ("—": an attempt count cannot be negative), never wrapped ("0s")
// or printed raw; the task's -o json keeps them as they came, the events
// leave out what is not known.
func TestOutOfRangeTimeoutsAndAttempts(t *testing.T) {
	t.Parallel()
	emb := newCLI(t, embedded.Options{Seed: 3}) // for its fake clock
	task := emb.restartDirect(embedded.DemoPrimaryClusterID, embedded.DemoSampleServerID, false)
	emb.runToEnd(task.ID)
	c := newCLIServing(t, absurdNumbers{emb.ex}, nil)
	id := jsonNumber(task.ID)

	code, out, errOut := c.run("", "task", id)
	if code != 0 || strings.Count(out, "> 100y") != 11 || strings.Contains(out, "9223372036854775808") || strings.Contains(out, " 0s ") {
		t.Fatalf("task: exit %d: %s\n%s", code, errOut, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[3:] { // after the headline, the subject and the header
		if !strings.HasSuffix(line, "> 100y   —") {
			t.Errorf("step row %q: want timeout > 100y and attempts —", line)
		}
	}
	code, out, _ = c.run("", "task", id, "--wait")
	if code != 0 || strings.Count(out, "attempt —") != 11 || strings.Count(out, "> 100y") != 11 {
		t.Fatalf("task --wait: exit %d:\n%s", code, out)
	}
	code, out, _ = c.run("", "task", id, "-o", "json")
	if code != 0 || strings.Count(out, `"timeout":9223372036854775807`) != 11 || strings.Count(out, `"runTime":-9223372036854775808`) != 11 {
		t.Fatalf("task -o json: exit %d:\n%s", code, out)
	}
	code, out, _ = c.run("", "task", id, "--wait", "-o", "json")
	if code != 0 || strings.Count(out, `"timeoutSeconds":9223372036854775807`) != 11 || strings.Contains(out, `"attempts"`) {
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
	t.Parallel()
	for _, nth := range []int32{1, 3} {
		t.Run(fmt.Sprintf("GET %d", nth), func(t *testing.T) {
			t.Parallel()
			emb := newCLI(t, embedded.Options{})
			task := emb.restartDirect(embedded.DemoPrimaryClusterID, embedded.DemoSampleServerID, false)
			c := newCLIServing(t, emb.ex, garbleTaskGet(nth))
			c.clock = emb.clock // --wait advances the served fleet's clock
			code, out, errOut := c.run("", "task", jsonNumber(task.ID), "--wait")
			if code != 0 || !strings.Contains(errOut, "polling task 89027028 failed (1 of 5)") || !strings.Contains(errOut, "BadResponse") ||
				!strings.Contains(out, "11 of 11 steps done") {
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

// hostile is what a hostile OCP or fleet file puts in names: a window
// title (OSC 0), a screen clear, a C1 CSI, a right-to-left override.
const hostile = "\x1b]0;pwned\a\x1b[2J\u009b31m\u202egnp.exe"

// hostileFleet is a fleet file whose names carry hostile.
func hostileFleet(t *testing.T) string {
	t.Helper()
	q := strconv.Quote // its escapes (\x1b, \a, \u202e) are YAML's too
	doc := fmt.Sprintf(`
clusters:
  - name: %s
    version: %s
    zones:
      - name: %s
        region: %s
        idc: %s
        servers:
          - {ip: 192.0.2.1, version: %s, rootServer: true}
          - {ip: 192.0.2.2}
`, q("evil"+hostile), q("4.2"+hostile), q("zone"+hostile), q("region"+hostile), q("idc\x1b]52;c;aGk=\a"), q("v"+hostile))
	path := filepath.Join(t.TempDir(), "hostile.yaml")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// hostileTasks names every task and step with hostile text.
type hostileTasks struct{ backend.Executor }

func (h hostileTasks) rename(t *ocp.Task) {
	t.Name = "task" + hostile
	t.Creator = ocp.Creator{Name: "creator" + hostile}
	for i := range t.Subtasks {
		t.Subtasks[i].Name += hostile
	}
}

func (h hostileTasks) GetTask(ctx context.Context, id int64) (*ocp.Task, error) {
	t, err := h.Executor.GetTask(ctx, id)
	if t != nil {
		h.rename(t)
	}
	return t, err
}

func (h hostileTasks) ListTasks(ctx context.Context, f backend.TaskFilter) ([]ocp.Task, error) {
	ts, err := h.Executor.ListTasks(ctx, f)
	for i := range ts {
		h.rename(&ts[i])
	}
	return ts, err
}

func (h hostileTasks) RestartServer(ctx context.Context, clusterID, serverID int64, o backend.RestartOptions) (*ocp.Task, error) {
	t, err := h.Executor.RestartServer(ctx, clusterID, serverID, o)
	if t != nil {
		h.rename(t)
	}
	return t, err
}

// terminalSafe fails the test when output holds anything a terminal would
// act on: C0 and C1 controls (but newlines), bidi controls, bad UTF-8.
func terminalSafe(t *testing.T, what, output string) {
	t.Helper()
	for i, line := range strings.Split(output, "\n") {
		if !safetext.IsSafe(line) {
			t.Errorf("%s: line %d is not safe for a terminal: %q", what, i+1, line)
		}
	}
}

// Names from a hostile fleet file or OCP are printed by every command,
// text and JSON, without a raw control or bidi character; the JSON still
// decodes to the names as they came.
func TestCommandsPrintHostileNamesSafely(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{FleetFile: hostileFleet(t), Seed: 1})
	c.ex = hostileTasks{c.emb}
	const cluster = "12000001"

	code, out, errOut := c.run("", "restart", "--cluster", cluster, "--server", "192.0.2.1", "--yes", "--wait")
	if code != 0 {
		t.Fatalf("restart: exit %d: %s\n%s", code, errOut, out)
	}
	terminalSafe(t, "restart --wait", out+errOut)
	if !strings.Contains(out, `task 89027028 "task^[]0;pwned^G^[[2J\u009b31m\u202egnp.exe"`) {
		t.Errorf("restart --wait does not show the name spelled out:\n%s", out)
	}
	taskID := "89027028"
	for _, args := range [][]string{
		{"clusters"}, {"zones", cluster}, {"servers", cluster}, {"tasks"}, {"task", taskID}, {"audit"},
		{"restart", "--cluster", cluster, "--server", "192.0.2.2", "--yes"},
		{"restart", "--cluster", cluster, "--server", "192.0.2.2", "--yes"}, // a conflict: an error naming the task
		{"task", taskID, "--wait"}, {"zones", "no" + hostile}, {"servers", cluster, "--zone", "no" + hostile},
	} {
		for _, format := range []string{"text", "json"} {
			_, out, errOut := c.run("", append(args, "-o", format)...)
			terminalSafe(t, fmt.Sprint(args, " -o ", format), out+errOut)
		}
	}
	var clusters []ocp.Cluster
	if code, out, _ := c.run("", "clusters", "-o", "json"); code != 0 || json.Unmarshal([]byte(out), &clusters) != nil || clusters[0].Name != "evil"+hostile {
		t.Fatalf("clusters -o json does not decode to the name: exit %d: %s", code, out)
	}
	var task ocp.Task
	if code, out, _ := c.run("", "task", taskID, "-o", "json"); code != 0 || json.Unmarshal([]byte(out), &task) != nil || task.Name != "task"+hostile {
		t.Fatalf("task -o json does not decode to the name: exit %d: %s", code, out)
	}
}

// obconsole audit prints a journal line written by someone else (an older
// version, a hand edit) safely too.
func TestAuditPrintsAHostileJournalSafely(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{})
	line, err := json.Marshal(audit.Entry{Time: cliStart, Phase: audit.PhaseIntent, ID: "id" + hostile, User: "user" + hostile, Host: "host" + hostile,
		Via: "via" + hostile, Target: audit.Target{Kind: "remote", Label: "label" + hostile, User: "admin" + hostile},
		Operation: "restart-server" + hostile, Params: audit.Params{ClusterID: 1, ServerID: 2, ZoneName: "zone" + hostile},
		Subject: audit.Subject{Cluster: "cluster" + hostile, Server: "server" + hostile}})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(c.journalPath()), 0o700); err != nil {
		t.Fatal(err)
	}
	junk := "not json" + hostile
	if err := os.WriteFile(c.journalPath(), []byte(string(line)+"\n"+junk+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json"} {
		code, out, errOut := c.run("", "audit", "-o", format)
		if code != 0 || !strings.Contains(out, "cluster") {
			t.Fatalf("audit -o %s: exit %d: %s\n%s", format, code, errOut, out)
		}
		terminalSafe(t, "audit -o "+format, out+errOut)
	}
}

// echoAuthorization answers zone and task reads and every POST with an
// error that echoes the request's Authorization header in its traceId and
// message, as a hostile or careless OCP might; seen collects the values.
func echoAuthorization(seen *[]string) func(http.Handler) http.Handler {
	var mu sync.Mutex
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			auth := r.Header.Get("Authorization")
			mu.Lock()
			*seen = append(*seen, auth)
			mu.Unlock()
			if !strings.Contains(r.URL.Path, "/zones") && !strings.HasPrefix(r.URL.Path, "/api/v2/tasks/") && r.Method != http.MethodPost {
				next.ServeHTTP(w, r)
				return
			}
			status := http.StatusBadRequest
			if r.Method == http.MethodPost {
				status = http.StatusConflict
			}
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(map[string]any{
				"successful": false, "status": status, "traceId": auth,
				"error": map[string]any{"code": 10000 + status, "message": "refused for " + auth + " (" + hostile + ")"},
			})
		})
	}
}

// A server that echoes the credentials back gets them printed nowhere:
// not on stderr, not on stdout, not in the journal.
func TestEchoedCredentialsAreRedacted(t *testing.T) {
	t.Parallel()
	for _, auth := range []string{remote.AuthBasic, remote.AuthAKSK} {
		t.Run(auth, func(t *testing.T) {
			t.Parallel()
			c := rcEnv(t)
			emb, err := embedded.New(embedded.Options{Clock: embedded.NewFakeClock(cliStart)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(emb.Close)
			var seen []string
			srv := httptest.NewServer(echoAuthorization(&seen)(ocpserver.New(ocpserver.Config{
				Executor:   emb,
				Users:      map[string]string{rcUser: rcPassword},
				AccessKeys: map[string]string{rcKeyID: rcSecret},
			})))
			t.Cleanup(srv.Close)
			flags := []string{"--ocp-url", srv.URL, "--user", rcUser}
			if auth == remote.AuthAKSK {
				flags = []string{"--ocp-url", srv.URL, "--auth", "aksk"}
				c.setenv("OCP_ACCESS_KEY_ID", rcKeyID)
				c.setenv("OCP_ACCESS_KEY_SECRET", rcSecret)
			} else {
				c.setenv("OCP_PASSWORD", rcPassword)
			}
			var all strings.Builder
			for _, args := range [][]string{
				{"zones", "protoss"}, {"zones", "protoss", "-o", "json"}, {"tasks"}, {"task", "89027028", "--wait"},
				// Refused with the echo: on stderr and in the journal.
				{"restart", "--cluster", "protoss", "--server", "192.0.2.12", "--yes"},
			} {
				code, out, errOut := runRC(c, append(flags, args...)...)
				if code == 0 || auth == remote.AuthBasic && !strings.Contains(errOut, "[REDACTED]") {
					t.Errorf("%v: exit %d: %s", args, code, errOut)
				}
				all.WriteString(out + errOut)
			}
			journal, err := os.ReadFile(c.journalPath())
			if err != nil || !strings.Contains(string(journal), "Conflict") {
				t.Fatalf("journal: %v\n%s", err, journal)
			}
			all.Write(journal)
			terminalSafe(t, "output", all.String())
			if len(seen) == 0 {
				t.Fatal("no request reached the server")
			}
			if strings.Contains(all.String(), rcSecret) || strings.Contains(all.String(), rcPassword) {
				t.Fatalf("a secret was printed or journaled:\n%s", all.String())
			}
			for _, v := range seen {
				_, cred, _ := strings.Cut(v, " ")
				if strings.Contains(all.String(), v) || cred != "" && strings.Contains(all.String(), cred) {
					t.Fatalf("the Authorization value %q was printed or journaled:\n%s", v, all.String())
				}
			}
		})
	}
}

// JSON output escapes what encoding/json leaves raw (C1 and bidi
// controls) and still decodes to the same value, whatever writer it goes to.
func TestJSONEscapesC1AndBidiControls(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	in := map[string]string{"name": hostile + "\u2028\u2066x\u0085é"}
	if err := writeJSONLine(&b, in); err != nil {
		t.Fatal(err)
	}
	terminalSafe(t, "JSON line", b.String())
	if !strings.Contains(b.String(), `\u009b31m\u202egnp.exe\u2028\u2066x\u0085é`) {
		t.Errorf("escapes: %s", b.String())
	}
	var out map[string]string
	if err := json.Unmarshal([]byte(b.String()), &out); err != nil || out["name"] != in["name"] {
		t.Fatalf("round trip: %v %q", err, out)
	}
}
