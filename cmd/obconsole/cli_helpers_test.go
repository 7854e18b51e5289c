package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
)

// cliStart is the fake clock's start in the command tests.
var cliStart = time.Date(2024, 4, 15, 3, 25, 2, 0, time.UTC) // no local midnight within hours of it, in any zone

// cliEnv runs commands in process, each command line in an app of its
// own built from the env's fakes (app): by default on an embedded fleet on
// a fake clock that --wait advances instead of sleeping, with an
// environment, a journal and a zone of its own. Nothing is shared with
// other tests, so the tests using one run in parallel.
type cliEnv struct {
	t     *testing.T
	ex    backend.Executor   // nil: the executor the flags name
	emb   *embedded.Executor // nil when ex is not embedded
	clock *embedded.FakeClock
	state string // the journal's directory
	// terminal: every stream is a terminal; otherwise the real check,
	// which a strings.Reader fails.
	terminal bool
	// readSecret, when set, answers the secret prompts.
	readSecret func(ctx context.Context, stdin io.Reader, stderr io.Writer, prompt string) (string, error)
	// now is the wall clock (audit --since); zero: time.Now.
	now time.Time
	// pause, when set, runs instead of advancing the clock between polls.
	pause func(ctx context.Context, d time.Duration) error
	polls atomic.Int64

	mu  sync.Mutex
	env map[string]string
}

func newCLI(t *testing.T, opts embedded.Options) *cliEnv {
	t.Helper()
	clock := embedded.NewFakeClock(cliStart)
	opts.Clock = clock
	ex, err := embedded.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ex.Close)
	c := newCLIOn(t, ex)
	c.emb, c.clock = ex, clock
	return c
}

// newCLIOn runs the commands on ex.
func newCLIOn(t *testing.T, ex backend.Executor) *cliEnv {
	t.Helper()
	c := newCLIFlags(t)
	c.ex = ex
	return c
}

// newCLIFlags runs the commands on the executor their flags name, in an
// empty environment.
func newCLIFlags(t *testing.T) *cliEnv {
	return &cliEnv{t: t, state: t.TempDir(), env: map[string]string{}}
}

func (c *cliEnv) setenv(name, value string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.env[name] = value
}

func (c *cliEnv) getenv(name string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.env[name]
}

// app is the app one command line runs in.
func (c *cliEnv) app(stdin io.Reader, stdout, stderr io.Writer) *app {
	a := newApp(stdin, stdout, stderr, c.getenv)
	a.zone = time.UTC // output does not depend on the machine's zone
	a.clock = cliClock{c}
	a.journalPath = func() (string, error) { return c.journalPath(), nil }
	if c.terminal {
		a.isTerminal = func(any) bool { return true }
	}
	if c.readSecret != nil {
		a.readSecret = c.readSecret
	}
	if ex := c.ex; ex != nil {
		a.open = func(context.Context, *cli) (backend.Executor, func(), error) { return ex, nil, nil }
	}
	return a
}

// cliClock is a test's wall clock: Sleep advances the fleet's fake clock
// (or runs the env's pause) instead of sleeping.
type cliClock struct{ c *cliEnv }

func (k cliClock) Now() time.Time {
	if k.c.now.IsZero() {
		return time.Now()
	}
	return k.c.now
}

func (k cliClock) Sleep(ctx context.Context, d time.Duration) error {
	k.c.polls.Add(1)
	if k.c.pause != nil {
		return k.c.pause(ctx, d)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if k.c.clock != nil {
		k.c.clock.Advance(d)
	}
	return nil
}

// run runs one command line with stdin and returns the exit code and output.
func (c *cliEnv) run(stdin string, args ...string) (int, string, string) {
	return c.runCtx(context.Background(), stdin, args...)
}

func (c *cliEnv) runCtx(ctx context.Context, stdin string, args ...string) (int, string, string) {
	c.t.Helper()
	var out, errOut strings.Builder
	code := c.app(strings.NewReader(stdin), &out, &errOut).run(ctx, args)
	return code, out.String(), errOut.String()
}

// journalPath is where the commands journal.
func (c *cliEnv) journalPath() string {
	return filepath.Join(c.state, "obconsole", audit.FileName)
}

func (c *cliEnv) journal() *audit.Log {
	c.t.Helper()
	l, err := audit.ReadFile(c.journalPath())
	if err != nil {
		c.t.Fatal(err)
	}
	return l
}

func (c *cliEnv) tasks() []ocp.Task {
	c.t.Helper()
	ts, err := c.ex.ListTasks(context.Background(), backend.TaskFilter{})
	if err != nil {
		c.t.Fatal(err)
	}
	return ts
}

// restartDirect starts a restart on the executor, not through a command.
func (c *cliEnv) restartDirect(clusterID, serverID int64, force bool) *ocp.Task {
	c.t.Helper()
	task, err := c.ex.RestartServer(context.Background(), clusterID, serverID, backend.RestartOptions{Force: force})
	if err != nil {
		c.t.Fatal(err)
	}
	return task
}

// runToEnd advances the fake clock until the task has ended.
func (c *cliEnv) runToEnd(id int64) *ocp.Task {
	c.t.Helper()
	var task *ocp.Task
	ok := c.clock.AdvanceUntil(func() bool {
		var err error
		task, err = c.ex.GetTask(context.Background(), id)
		return err == nil && task.Status.Ended()
	}, 24*time.Hour)
	if !ok {
		c.t.Fatalf("task %d did not end: %s", id, task.Status)
	}
	return task
}

// downExecutor is a backend nobody can reach.
type downExecutor struct{}

func down(op string) error {
	return &backend.Error{Kind: backend.Unavailable, Op: op, Message: "dial tcp 127.0.0.1:9: connection refused"}
}

func (downExecutor) Describe() backend.Target {
	return backend.Target{Kind: "remote", Label: "http://127.0.0.1:9", URL: "http://127.0.0.1:9", User: "admin"}
}
func (downExecutor) Now() time.Time { return cliStart }
func (downExecutor) ListClusters(context.Context) ([]ocp.Cluster, error) {
	return nil, down("list clusters")
}
func (downExecutor) ListZones(context.Context, int64) ([]ocp.Zone, error) {
	return nil, down("list zones")
}
func (downExecutor) ListServers(context.Context, int64, string) ([]ocp.Server, error) {
	return nil, down("list servers")
}
func (downExecutor) RestartServer(context.Context, int64, int64, backend.RestartOptions) (*ocp.Task, error) {
	return nil, down("restart server")
}
func (downExecutor) RestartZone(context.Context, int64, string, backend.RestartOptions) (*ocp.Task, error) {
	return nil, down("restart zone")
}
func (downExecutor) ListTasks(context.Context, backend.TaskFilter) ([]ocp.Task, error) {
	return nil, down("list tasks")
}
func (downExecutor) GetTask(context.Context, int64) (*ocp.Task, error) {
	return nil, down("get task")
}
func (downExecutor) SubtaskLog(context.Context, int64, int64) (string, error) {
	return "", down("subtask log")
}
func (downExecutor) RetryTask(context.Context, int64) (*ocp.Task, error) { return nil, down("retry") }
func (downExecutor) RollbackTask(context.Context, int64) (*ocp.Task, error) {
	return nil, down("rollback")
}
func (downExecutor) RetrySubtask(context.Context, int64, int64) (*ocp.Subtask, error) {
	return nil, down("retry subtask")
}
func (downExecutor) SkipSubtask(context.Context, int64, int64) error   { return down("skip") }
func (downExecutor) CancelSubtask(context.Context, int64, int64) error { return down("cancel") }

// flakyExecutor fails GetTask with Unavailable while failures > 0, or
// always when failures < 0.
type flakyExecutor struct {
	backend.Executor
	failures int
}

func (f *flakyExecutor) GetTask(ctx context.Context, id int64) (*ocp.Task, error) {
	if f.failures != 0 {
		f.failures--
		return nil, down("get task")
	}
	return f.Executor.GetTask(ctx, id)
}

func restartOpts(force bool) backend.RestartOptions { return backend.RestartOptions{Force: force} }
