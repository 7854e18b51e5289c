package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/cmd/obconsole/internal/sshd/sshdtest"
)

// notifyBuffer is a goroutine-safe buffer that signals every write.
type notifyBuffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	notify chan struct{}
}

func newNotifyBuffer() *notifyBuffer { return &notifyBuffer{notify: make(chan struct{}, 1)} }

func (n *notifyBuffer) Write(p []byte) (int, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	select {
	case n.notify <- struct{}{}:
	default:
	}
	return n.b.Write(p)
}

func (n *notifyBuffer) String() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.b.String()
}

// waitFor waits until the buffer matches re and returns the submatches.
func (n *notifyBuffer) waitFor(t *testing.T, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if m := re.FindStringSubmatch(n.String()); m != nil {
			return m
		}
		select {
		case <-n.notify:
		case <-deadline:
			t.Fatalf("%v not written; got:\n%s", re, n.String())
		}
	}
}

// sshEnv is `obconsole ssh` run in process through run, on the embedded
// fleet of a cliEnv (fake clock), with three operators: alice and carol
// (read-write) and bob (obconsole-readonly).
type sshEnv struct {
	*cliEnv
	alice, bob, carol sshdtest.Key
	keysPath          string
	addr              string
	hostKey           gossh.PublicKey
	stdout            *notifyBuffer
	log               *notifyBuffer
	stop              context.CancelFunc
	exited            chan int
}

var (
	listeningRE = regexp.MustCompile(`listening on (127\.0\.0\.1:\d+) `)
	knownHostRE = regexp.MustCompile(`known_hosts line: (.*)\n`)
)

func startSSH(t *testing.T, ex backend.Executor, args ...string) *sshEnv {
	t.Helper()
	var c *cliEnv
	if ex == nil {
		c = newCLI(t, embedded.Options{})
	} else {
		c = newCLIOn(t, ex)
	}
	e := &sshEnv{cliEnv: c, alice: sshdtest.NewKey(t), bob: sshdtest.NewKey(t), carol: sshdtest.NewKey(t),
		stdout: newNotifyBuffer(), log: newNotifyBuffer(), exited: make(chan int, 1)}
	e.keysPath = filepath.Join(t.TempDir(), "authorized_keys")
	keys := e.alice.Line("", "alice@laptop") + "\n" + e.bob.Line("obconsole-readonly", "bob@desk") + "\n" +
		e.carol.Line("", "carol@desk") + "\n"
	if err := os.WriteFile(e.keysPath, []byte(keys), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.stop = cancel
	all := append([]string{"ssh", "--listen", "127.0.0.1:0", "--authorized-keys", e.keysPath, "--theme", "dark", "--refresh", "100ms"}, args...)
	a := c.app(strings.NewReader(""), e.stdout, e.log)
	go func() { e.exited <- a.run(ctx, all) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-e.exited:
		case <-time.After(15 * time.Second):
			t.Error("obconsole ssh did not stop")
		}
	})
	e.addr = e.stdout.waitFor(t, listeningRE)[1]
	line := e.stdout.waitFor(t, knownHostRE)[1]
	_, hosts, key, _, _, err := gossh.ParseKnownHosts([]byte(line))
	if err != nil || len(hosts) != 1 || hosts[0] != "["+strings.Replace(e.addr, ":", "]:", 1) {
		t.Fatalf("known_hosts line %q: %v %v", line, hosts, err)
	}
	e.hostKey = key
	return e
}

func (e *sshEnv) dial(k sshdtest.Key) *gossh.Client {
	return sshdtest.MustDial(e.t, e.addr, k, e.hostKey)
}

// restartedTask is the one task the fleet has, started by a restart.
func (e *sshEnv) restartedTask() ocp.Task {
	e.t.Helper()
	ts := e.tasks()
	if len(ts) != 1 {
		e.t.Fatalf("want one task, got %d", len(ts))
	}
	return ts[0]
}

// sshRecord checks the journal holds one action, by op, over ssh as who.
func (e *sshEnv) sshRecord(op, via string, who sshdtest.Key, user string) audit.Record {
	e.t.Helper()
	log := e.journal()
	if len(log.Records) != 1 {
		e.t.Fatalf("want one journaled action, got %d", len(log.Records))
	}
	r := log.Records[0]
	en := r.Entry()
	if en.Operation != op || en.Via != via || en.SSH.User != user || en.SSH.Fingerprint != who.Fingerprint() ||
		!strings.HasPrefix(en.SSH.Remote, "127.0.0.1:") || en.User == "" || en.Host == "" {
		e.t.Fatalf("journaled %+v", en)
	}
	return r
}

// Two operators on one server see one task live: alice restarts a server
// from her console, bob (read-only) finds the task in his and watches it
// end, each at their own size.
func TestSSHTwoSessionsSeeOneTaskLive(t *testing.T) {
	t.Parallel()
	e := startSSH(t, nil)
	a := sshdtest.Open(t, e.dial(e.alice), "xterm-256color", 120, 40, nil, "")
	a.WaitFor(t, 0, 10*time.Second, "protoss", "terran", "connected")
	b := sshdtest.Open(t, e.dial(e.bob), "xterm-256color", 80, 24, nil, "")
	b.WaitFor(t, 0, 10*time.Second, "READ-ONLY", "protoss")

	m := a.Mark()
	a.Press(t, "\r")
	a.WaitFor(t, m, 5*time.Second, "Zones of protoss")
	m = a.Mark()
	a.Press(t, "j\r")
	a.WaitFor(t, m, 5*time.Second, "192.0.2.12:2882")
	m = a.Mark()
	a.Press(t, "r")
	a.WaitFor(t, m, 5*time.Second, "Restart OBServer 192.0.2.12:2882", "Cancel")
	m = a.Mark()
	a.Press(t, "y")
	a.WaitFor(t, m, 5*time.Second, "Restart OB server #", "RUNNING")
	task := e.restartedTask()
	id := strconv.FormatInt(task.ID, 10)

	m = b.Mark()
	b.Press(t, "t")
	b.WaitFor(t, m, 5*time.Second, id+"  Restart OB server", "RUNNING") // the row: the status bar names the task alice watches
	m = b.Mark()
	b.Press(t, "\r")
	b.WaitFor(t, m, 5*time.Second, "Restart OB server #"+id)

	// The task runs on the server's one fleet; both consoles follow it.
	ma, mb := a.Mark(), b.Mark()
	e.runToEnd(task.ID)
	a.WaitFor(t, ma, 10*time.Second, "Task SUCCESSFUL")
	b.WaitFor(t, mb, 10*time.Second, "Task SUCCESSFUL")

	// The console's action is journaled with the SSH identity and named
	// the way operators speak (the console's naming executor).
	r := e.sshRecord(audit.OpRestartServer, "obconsole console", e.alice, "alice@laptop")
	if r.Outcome == nil || r.Outcome.TaskID != task.ID {
		t.Errorf("outcome %+v", r.Outcome)
	}
	if got, want := r.Entry().Subject, (audit.Subject{Cluster: "protoss", Zone: "zone2", Server: "192.0.2.12:2882"}); got != want {
		t.Errorf("journaled subject %+v, want %+v", got, want)
	}
	a.Press(t, "q")
	if code := a.Wait(t); code != 0 {
		t.Errorf("alice's console exit %d", code)
	}
	logged := e.log.String()
	for _, want := range []string{"alice@laptop (" + e.alice.Fingerprint() + ") from 127.0.0.1:", "opens the console (120x40", "bob@desk (" + e.bob.Fingerprint() + ")", "(80x24, TERM=\"xterm-256color\", read-only)"} {
		if !strings.Contains(logged, want) {
			t.Errorf("server log lacks %q:\n%s", want, logged)
		}
	}
}

// A read-only key gets no restart: not from the console, not as a command.
func TestSSHReadOnlyKeyIsRefusedARestart(t *testing.T) {
	t.Parallel()
	e := startSSH(t, nil)
	c := e.dial(e.bob)
	b := sshdtest.Open(t, c, "xterm-256color", 100, 30, nil, "")
	b.WaitFor(t, 0, 10*time.Second, "READ-ONLY", "protoss")
	m := b.Mark()
	b.Press(t, "\r")
	b.WaitFor(t, m, 5*time.Second, "Zones of protoss")
	m = b.Mark()
	b.Press(t, "\r")
	b.WaitFor(t, m, 5*time.Second, "192.0.2.11:2882")
	m = b.Mark()
	b.Press(t, "r")
	b.WaitFor(t, m, 5*time.Second, "read-only: restart")
	if strings.Contains(b.Text(m), "Cancel") {
		t.Error("a read-only key was asked to confirm a restart")
	}

	_, stderr, code := sshdtest.Run(t, c, "restart --cluster protoss --server 192.0.2.11 --yes")
	if code != exitRefused || !strings.Contains(stderr, "read-only") {
		t.Errorf("restart command of a read-only key: exit %d, %q", code, stderr)
	}
	// Flags cannot lift it.
	_, _, code = sshdtest.Run(t, c, "restart --readonly=false --cluster protoss --server 192.0.2.11 --yes")
	if code != exitRefused {
		t.Errorf("--readonly=false: exit %d", code)
	}
	if n := len(e.tasks()); n != 0 {
		t.Fatalf("%d tasks started by a read-only key", n)
	}
	if _, err := os.Stat(e.journalPath()); err == nil {
		if n := len(e.journal().Records); n != 0 {
			t.Fatalf("%d actions journaled for a read-only key", n)
		}
	}
}

// The scriptable commands over ssh: the same identity and journal, the
// session's streams, exit codes as locally; a restart needs --yes; what
// would serve or open a console is refused, and so are executor flags.
func TestSSHExecCommands(t *testing.T) {
	t.Parallel()
	e := startSSH(t, nil)
	c := e.dial(e.alice)
	run := func(cmd string) (string, string, int) { return sshdtest.Run(t, c, cmd) }

	out, _, code := run("clusters -o json")
	var clusters []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &clusters) != nil || len(clusters) != 3 {
		t.Fatalf("clusters -o json: exit %d %q", code, out)
	}
	if out, _, code := run("tasks -o json"); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("tasks -o json: exit %d %q", code, out)
	}
	if _, stderr, code := run("restart --cluster protoss --server 192.0.2.11"); code != exitRefused || !strings.Contains(stderr, "--yes") {
		t.Errorf("restart without --yes: exit %d %q", code, stderr)
	}
	out, _, code = run("restart --cluster protoss --server 192.0.2.11 --yes")
	if code != 0 || !strings.Contains(out, "accepted: task ") {
		t.Fatalf("restart --yes: exit %d %q", code, out)
	}
	task := e.restartedTask()
	r := e.sshRecord(audit.OpRestartServer, "obconsole restart", e.alice, "alice@laptop")
	if r.Outcome == nil || r.Outcome.TaskID != task.ID || r.Entry().Subject.Server != "192.0.2.11:2882" {
		t.Errorf("journaled %+v", r)
	}
	// `task ID` without --wait: the task runs (exit 5); with --wait it
	// follows it on the shared fleet to SUCCESSFUL (exit 0).
	if _, _, code := run(fmt.Sprintf("task %d", task.ID)); code != exitRunning {
		t.Errorf("task %d: exit %d", task.ID, code)
	}
	if out, _, code := run(fmt.Sprintf("task %d --wait -o json", task.ID)); code != 0 || !strings.Contains(out, `"SUCCESSFUL"`) {
		t.Errorf("task --wait: exit %d\n%s", code, out)
	}
	out, _, code = run("audit -o json")
	if code != 0 || !strings.Contains(out, `"ssh":{"user":"alice@laptop","fingerprint":"`+e.alice.Fingerprint()+`","remote":"127.0.0.1:`) {
		t.Errorf("audit -o json: exit %d %q", code, out)
	}
	if out, _, code := run("audit"); code != 0 || !strings.Contains(out, "alice@laptop over ssh from 127.0.0.1:") {
		t.Errorf("audit: exit %d %q", code, out)
	}
	for cmd, want := range map[string]string{
		"serve":                       "cannot run over ssh",
		"ssh --authorized-keys x":     "cannot run over ssh",
		"--ocp-url http://x tasks":    "name the command first",
		"tasks --ocp-url http://x":    "unknown flag: --ocp-url",
		"tasks --fleet /etc/passwd":   "unknown flag: --fleet",
		"tasks --debug-http /tmp/log": "unknown flag: --debug-http",
		"tasks -o yaml":               `-o "yaml"`,
		"nonsense":                    "cannot run over ssh",
	} {
		if _, stderr, code := run(cmd); code != exitUsage || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d %q, want 2 and %q", cmd, code, stderr, want)
		}
	}
	if out, _, code := run("--ascii version"); code != 0 || !strings.HasPrefix(out, "obconsole ") {
		t.Errorf("version: exit %d %q", code, out)
	}
}

// gatedExecutor holds RestartServer until released, and says whether the
// request's context was cancelled meanwhile.
type gatedExecutor struct {
	*embedded.Executor
	started, release chan struct{}
	ctxErr           chan error
}

func (g *gatedExecutor) RestartServer(ctx context.Context, clusterID, serverID int64, opts backend.RestartOptions) (*ocp.Task, error) {
	close(g.started)
	<-g.release
	g.ctxErr <- ctx.Err()
	return g.Executor.RestartServer(ctx, clusterID, serverID, opts)
}

// An operator whose connection drops while a restart is on its way does
// not cancel it: the request finishes, the journal records its real
// outcome (not "outcome unknown"), and the task runs to its end.
func TestSSHDroppedConnectionDoesNotCancelAnAction(t *testing.T) {
	t.Parallel()
	clock := embedded.NewFakeClock(cliStart)
	emb, err := embedded.New(embedded.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	g := &gatedExecutor{Executor: emb, started: make(chan struct{}), release: make(chan struct{}), ctxErr: make(chan error, 1)}
	e := startSSH(t, g)
	e.emb, e.clock = emb, clock

	c := e.dial(e.alice)
	a := sshdtest.Open(t, c, "xterm-256color", 120, 40, nil, "")
	a.WaitFor(t, 0, 10*time.Second, "protoss", "connected")
	m := a.Mark()
	a.Press(t, "\r")
	a.WaitFor(t, m, 5*time.Second, "Zones of protoss")
	m = a.Mark()
	a.Press(t, "\r")
	a.WaitFor(t, m, 5*time.Second, "192.0.2.11:2882")
	m = a.Mark()
	a.Press(t, "r")
	a.WaitFor(t, m, 5*time.Second, "Restart OBServer 192.0.2.11:2882")
	a.Press(t, "y")
	<-g.started

	c.Close() // the connection drops
	e.log.waitFor(t, regexp.MustCompile(`alice@laptop's console closed`))
	close(g.release)
	if err := <-g.ctxErr; err != nil {
		t.Fatalf("the dropped session cancelled its request: %v", err)
	}
	// The outcome line follows the answer; nothing signals it but the file.
	deadline := time.Now().Add(10 * time.Second)
	for {
		log := e.journal()
		if len(log.Records) == 1 && log.Records[0].Outcome != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no outcome journaled: %+v", log.Records)
		}
		<-time.After(10 * time.Millisecond)
	}
	r := e.sshRecord(audit.OpRestartServer, "obconsole console", e.alice, "alice@laptop")
	task := e.restartedTask()
	if r.Result() != audit.ResultOK || r.Outcome.TaskID != task.ID {
		t.Fatalf("journaled %s, task %d: %+v", r.Result(), task.ID, r.Outcome)
	}
	if end := e.runToEnd(task.ID); end.Status != ocp.TaskSuccessful {
		t.Fatalf("task ended %s", end.Status)
	}
}
