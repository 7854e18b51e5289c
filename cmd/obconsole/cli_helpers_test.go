package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
)

// cliStart is the fake clock's start in the command tests.
var cliStart = time.Date(2024, 4, 15, 3, 25, 2, 0, time.UTC) // no local midnight within hours of it, in any zone

// cliEnv runs commands in process against one executor: by default an
// embedded fleet on a fake clock that --wait advances instead of sleeping.
// It sets the package's test seams (openExecutorHook, waitPause,
// stdinIsTerminal) and restores them, so these tests never run in parallel.
type cliEnv struct {
	t        *testing.T
	ex       backend.Executor
	emb      *embedded.Executor // nil when ex is not embedded
	clock    *embedded.FakeClock
	state    string // XDG_STATE_HOME
	terminal bool   // what stdinIsTerminal answers
	// pause, when set, runs instead of advancing the clock between polls.
	pause func(ctx context.Context, d time.Duration) error
	polls int
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
	c := &cliEnv{t: t, ex: ex, state: t.TempDir()}
	t.Setenv("XDG_STATE_HOME", c.state)
	t.Setenv("OCP_URL", "")
	t.Setenv("NO_COLOR", "")
	savedOpen, savedPause, savedTerm, savedZone := openExecutorHook, waitPause, stdinIsTerminal, displayZone
	t.Cleanup(func() {
		openExecutorHook, waitPause, stdinIsTerminal, displayZone = savedOpen, savedPause, savedTerm, savedZone
	})
	displayZone = func() *time.Location { return time.UTC } // output does not depend on the machine's zone
	openExecutorHook = func(context.Context, *globalOptions) (backend.Executor, func(), error) {
		return c.ex, func() {}, nil
	}
	waitPause = func(ctx context.Context, d time.Duration) error {
		c.polls++
		if c.pause != nil {
			return c.pause(ctx, d)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if c.clock != nil {
			c.clock.Advance(d)
		}
		return nil
	}
	stdinIsTerminal = func(io.Reader) bool { return c.terminal }
	return c
}

// run runs one command line with stdin and returns the exit code and output.
func (c *cliEnv) run(stdin string, args ...string) (int, string, string) {
	return c.runCtx(context.Background(), stdin, args...)
}

func (c *cliEnv) runCtx(ctx context.Context, stdin string, args ...string) (int, string, string) {
	c.t.Helper()
	var out, errOut strings.Builder
	code := run(ctx, args, strings.NewReader(stdin), &out, &errOut)
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
