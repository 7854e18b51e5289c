package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
)

var (
	bg        = context.Background()
	testStart = time.Date(2021, 9, 5, 22, 46, 20, 0, time.UTC)
	testActor = Actor{User: "oncall", Host: "jump-1", Via: "test"}
)

func openJournal(t *testing.T) *Journal {
	t.Helper()
	j, err := Open(filepath.Join(t.TempDir(), "state", "obconsole", FileName))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	j.SetClock(func() time.Time { return testStart })
	return j
}

func newEmbedded(t *testing.T) *embedded.Executor {
	t.Helper()
	e, err := embedded.New(embedded.Options{Clock: embedded.NewFakeClock(testStart)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e
}

// lines returns the journal's raw lines, each decoded.
func lines(t *testing.T, j *Journal) []Entry {
	t.Helper()
	b, err := os.ReadFile(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	var out []Entry
	for i, l := range bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n")) {
		if len(l) == 0 {
			continue
		}
		var e Entry
		if err := json.Unmarshal(l, &e); err != nil {
			t.Fatalf("line %d is not JSON: %v: %s", i+1, err, l)
		}
		out = append(out, e)
	}
	return out
}

func readLog(t *testing.T, j *Journal) *Log {
	t.Helper()
	l, err := ReadFile(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestRestartWritesIntentThenOutcome(t *testing.T) {
	j := openJournal(t)
	ex := newEmbedded(t)
	w := Wrap(ex, j, testActor)

	ctx := WithSubject(bg, Subject{Cluster: "protoss", Server: "192.0.2.12:2882"})
	task, err := w.RestartServer(ctx, embedded.DemoPrimaryClusterID, embedded.DemoSampleServerID, backend.RestartOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	got := lines(t, j)
	if len(got) != 2 {
		t.Fatalf("want 2 lines, got %d: %+v", len(got), got)
	}
	in, out := got[0], got[1]
	if in.Phase != PhaseIntent || out.Phase != PhaseOutcome {
		t.Fatalf("phases %q, %q", in.Phase, out.Phase)
	}
	if in.ID == "" || in.ID != out.ID {
		t.Fatalf("correlation ids %q and %q", in.ID, out.ID)
	}
	wantParams := Params{ClusterID: embedded.DemoPrimaryClusterID, ServerID: embedded.DemoSampleServerID}
	for _, e := range got {
		if e.Operation != OpRestartServer || e.Params != wantParams || !e.Force ||
			e.User != "oncall" || e.Host != "jump-1" || e.Via != "test" || e.PID != os.Getpid() ||
			e.Target.Kind != "embedded" || e.Target.Label != "embedded demo fleet" ||
			e.Subject.Server != "192.0.2.12:2882" || e.Subject.Cluster != "protoss" || !e.Time.Equal(testStart) {
			t.Errorf("entry %+v", e)
		}
	}
	if in.Result != "" || in.TaskID != 0 {
		t.Errorf("intent carries an outcome: %+v", in)
	}
	if out.Result != ResultOK || out.TaskID != task.ID || out.Status != string(task.Status) || out.Error != "" {
		t.Errorf("outcome %+v, task %d %s", out, task.ID, task.Status)
	}

	// A second restart of the same server conflicts: the outcome says so.
	_, err = w.RestartServer(bg, embedded.DemoPrimaryClusterID, embedded.DemoSampleServerID, backend.RestartOptions{})
	if !errors.Is(err, backend.Conflict) {
		t.Fatalf("second restart: %v", err)
	}
	got = lines(t, j)
	if len(got) != 4 {
		t.Fatalf("want 4 lines, got %d", len(got))
	}
	if o := got[3]; o.Result != ResultError || o.ErrorKind != "Conflict" || !strings.Contains(o.Error, "Conflict") || o.Force {
		t.Errorf("conflict outcome %+v", o)
	}
	log := readLog(t, j)
	if len(log.Records) != 2 || log.Records[0].Result() != ResultOK || log.Records[1].Result() != ResultError || len(log.Bad) != 0 {
		t.Fatalf("read back %+v", log)
	}
}

// recorder is an executor that records every call and answers from fields.
type recorder struct {
	mu    sync.Mutex
	calls []string
	err   error
	// during runs inside each mutating call, after it is recorded.
	during func()
}

func (r *recorder) rec(s string) error {
	r.mu.Lock()
	r.calls = append(r.calls, s)
	r.mu.Unlock()
	if r.during != nil {
		r.during()
	}
	return r.err
}

func (r *recorder) Describe() backend.Target {
	return backend.Target{Kind: "remote", Label: "https://ocp.example:8080", URL: "https://ocp.example:8080", User: "admin"}
}
func (r *recorder) Now() time.Time { return testStart }
func (r *recorder) ListClusters(context.Context) ([]ocp.Cluster, error) {
	return []ocp.Cluster{}, r.rec("ListClusters")
}
func (r *recorder) ListZones(context.Context, int64) ([]ocp.Zone, error) {
	return []ocp.Zone{}, r.rec("ListZones")
}
func (r *recorder) ListServers(context.Context, int64, string) ([]ocp.Server, error) {
	return []ocp.Server{}, r.rec("ListServers")
}
func (r *recorder) ListTasks(context.Context, backend.TaskFilter) ([]ocp.Task, error) {
	return []ocp.Task{}, r.rec("ListTasks")
}
func (r *recorder) GetTask(_ context.Context, id int64) (*ocp.Task, error) {
	return &ocp.Task{ID: id}, r.rec("GetTask")
}
func (r *recorder) SubtaskLog(context.Context, int64, int64) (string, error) {
	return "", r.rec("SubtaskLog")
}
func (r *recorder) RestartServer(_ context.Context, c, s int64, o backend.RestartOptions) (*ocp.Task, error) {
	if err := r.rec(fmt.Sprintf("RestartServer %d %d %v", c, s, o.Force)); err != nil {
		return nil, err
	}
	return &ocp.Task{ID: 7, Status: ocp.TaskRunning}, nil
}
func (r *recorder) RestartZone(_ context.Context, c int64, z string, o backend.RestartOptions) (*ocp.Task, error) {
	if err := r.rec(fmt.Sprintf("RestartZone %d %s %v", c, z, o.Force)); err != nil {
		return nil, err
	}
	return &ocp.Task{ID: 8, Status: ocp.TaskRunning}, nil
}
func (r *recorder) RetryTask(_ context.Context, id int64) (*ocp.Task, error) {
	if err := r.rec(fmt.Sprintf("RetryTask %d", id)); err != nil {
		return nil, err
	}
	return &ocp.Task{ID: id, Status: ocp.TaskRunning}, nil
}
func (r *recorder) RollbackTask(_ context.Context, id int64) (*ocp.Task, error) {
	if err := r.rec(fmt.Sprintf("RollbackTask %d", id)); err != nil {
		return nil, err
	}
	return &ocp.Task{ID: id, Status: ocp.TaskRunning}, nil
}
func (r *recorder) RetrySubtask(_ context.Context, id, sub int64) (*ocp.Subtask, error) {
	if err := r.rec(fmt.Sprintf("RetrySubtask %d %d", id, sub)); err != nil {
		return nil, err
	}
	return &ocp.Subtask{ID: sub, Status: ocp.SubtaskRunning}, nil
}
func (r *recorder) SkipSubtask(_ context.Context, id, sub int64) error {
	return r.rec(fmt.Sprintf("SkipSubtask %d %d", id, sub))
}
func (r *recorder) CancelSubtask(_ context.Context, id, sub int64) error {
	return r.rec(fmt.Sprintf("CancelSubtask %d %d", id, sub))
}

// mutations calls each mutating method once.
var mutations = []struct {
	op     string
	call   string
	params Params
	force  bool
	taskID int64
	status string
	do     func(backend.Executor) error
}{
	{OpRestartServer, "RestartServer 1 2 false", Params{ClusterID: 1, ServerID: 2}, false, 7, "RUNNING", func(e backend.Executor) error {
		_, err := e.RestartServer(bg, 1, 2, backend.RestartOptions{})
		return err
	}},
	{OpRestartZone, "RestartZone 1 zone1 true", Params{ClusterID: 1, ZoneName: "zone1"}, true, 8, "RUNNING", func(e backend.Executor) error {
		_, err := e.RestartZone(bg, 1, "zone1", backend.RestartOptions{Force: true})
		return err
	}},
	{OpRetryTask, "RetryTask 3", Params{TaskID: 3}, false, 3, "RUNNING", func(e backend.Executor) error {
		_, err := e.RetryTask(bg, 3)
		return err
	}},
	{OpRollbackTask, "RollbackTask 3", Params{TaskID: 3}, false, 3, "RUNNING", func(e backend.Executor) error {
		_, err := e.RollbackTask(bg, 3)
		return err
	}},
	{OpRetrySubtask, "RetrySubtask 3 4", Params{TaskID: 3, SubtaskID: 4}, false, 3, "RUNNING", func(e backend.Executor) error {
		_, err := e.RetrySubtask(bg, 3, 4)
		return err
	}},
	{OpSkipSubtask, "SkipSubtask 3 4", Params{TaskID: 3, SubtaskID: 4}, false, 3, "", func(e backend.Executor) error {
		return e.SkipSubtask(bg, 3, 4)
	}},
	{OpCancelSubtask, "CancelSubtask 3 4", Params{TaskID: 3, SubtaskID: 4}, false, 3, "", func(e backend.Executor) error {
		return e.CancelSubtask(bg, 3, 4)
	}},
}

func TestEveryMutationIsJournaled(t *testing.T) {
	for _, failing := range []bool{false, true} {
		for _, m := range mutations {
			t.Run(fmt.Sprintf("%s/failing=%v", m.op, failing), func(t *testing.T) {
				j := openJournal(t)
				r := &recorder{}
				if failing {
					r.err = &backend.Error{Kind: backend.Unavailable, Op: "x", Message: "connection refused", OutcomeUnknown: true}
				}
				// The intent must be on disk when the request goes out.
				r.during = func() {
					got := lines(t, j)
					if len(got) != 1 || got[0].Phase != PhaseIntent || got[0].Operation != m.op {
						t.Errorf("during the request the journal holds %+v", got)
					}
				}
				err := m.do(Wrap(r, j, testActor))
				if failing != (err != nil) {
					t.Fatalf("err = %v", err)
				}
				if len(r.calls) != 1 || r.calls[0] != m.call {
					t.Fatalf("calls %q, want exactly %q", r.calls, m.call)
				}
				got := lines(t, j)
				if len(got) != 2 {
					t.Fatalf("want 2 lines, got %+v", got)
				}
				in, out := got[0], got[1]
				if in.Operation != m.op || in.Params != m.params || in.Force != m.force || in.Target.URL != "https://ocp.example:8080" || in.Target.User != "admin" {
					t.Errorf("intent %+v", in)
				}
				if out.ID != in.ID || out.Phase != PhaseOutcome || out.Operation != m.op || out.Params != m.params {
					t.Errorf("outcome %+v", out)
				}
				if failing {
					if out.Result != ResultError || out.ErrorKind != "Unavailable" || !out.OutcomeUnknown || !strings.Contains(out.Error, "connection refused") {
						t.Errorf("failed outcome %+v", out)
					}
				} else if out.Result != ResultOK || out.TaskID != m.taskID || out.Status != m.status {
					t.Errorf("ok outcome %+v", out)
				}
			})
		}
	}
}

func TestReadsPassThroughUnjournaled(t *testing.T) {
	j := openJournal(t)
	r := &recorder{}
	w := Wrap(r, j, testActor)
	_, _ = w.ListClusters(bg)
	_, _ = w.ListZones(bg, 1)
	_, _ = w.ListServers(bg, 1, "")
	_, _ = w.ListTasks(bg, backend.TaskFilter{})
	if task, _ := w.GetTask(bg, 5); task.ID != 5 {
		t.Errorf("GetTask answered %+v", task)
	}
	_, _ = w.SubtaskLog(bg, 5, 6)
	if w.Describe() != r.Describe() || !w.Now().Equal(testStart) || w.Unwrap() != backend.Executor(r) {
		t.Error("Describe, Now or Unwrap do not pass through")
	}
	if len(r.calls) != 6 {
		t.Errorf("calls %q", r.calls)
	}
	if got := lines(t, j); len(got) != 0 {
		t.Errorf("reads were journaled: %+v", got)
	}
}

// A process that dies after the intent and before the outcome leaves an
// intent alone; reading back shows it as outcome unknown. A torn last line
// is reported, not fatal.
func TestCrashBetweenIntentAndOutcome(t *testing.T) {
	j := openJournal(t)
	r := &recorder{during: func() { panic("crash") }}
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("no crash")
			}
		}()
		_, _ = Wrap(r, j, testActor).RestartServer(bg, 1, 2, backend.RestartOptions{})
	}()
	// A later action completes, and then a write is torn by a crash.
	r.during = nil
	if _, err := Wrap(r, j, testActor).RetryTask(bg, 9); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(j.Path(), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(`{"time":"2021-09-05T22:46:20Z","phase":"int`); err != nil {
		t.Fatal(err)
	}
	f.Close()

	log := readLog(t, j)
	if len(log.Records) != 2 {
		t.Fatalf("records %+v", log.Records)
	}
	crashed := log.Records[0]
	if crashed.Result() != ResultUnknown || crashed.Outcome != nil || crashed.Entry().Operation != OpRestartServer {
		t.Errorf("crashed record %+v", crashed)
	}
	if log.Records[1].Result() != ResultOK {
		t.Errorf("completed record %+v", log.Records[1])
	}
	if len(log.Bad) != 1 || log.Bad[0].Line != 4 {
		t.Errorf("bad lines %+v", log.Bad)
	}
}

// blockJournal makes the journal's path a directory: nobody, not even
// root, can append to it.
func blockJournal(t *testing.T, j *Journal) {
	t.Helper()
	if err := os.Remove(j.Path()); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(j.Path(), 0o700); err != nil {
		t.Fatal(err)
	}
}

func TestUnwritableJournalBlocksTheAction(t *testing.T) {
	for _, m := range mutations {
		t.Run(m.op, func(t *testing.T) {
			j := openJournal(t)
			blockJournal(t, j)
			r := &recorder{}
			err := m.do(Wrap(r, j, testActor))
			var be *backend.Error
			if !errors.As(err, &be) || be.Kind != backend.Internal || !errors.Is(err, ErrJournal) {
				t.Fatalf("err = %#v", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, j.Path()) || !strings.Contains(msg, "nothing was sent") || !strings.Contains(msg, "audit journal before "+m.op) {
				t.Errorf("message %q", msg)
			}
			if len(r.calls) != 0 {
				t.Errorf("sent %q despite the journal", r.calls)
			}
		})
	}
}

func TestOpenReportsAnUnwritableJournal(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "not-a-dir")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(filepath.Join(file, "obconsole", FileName))
	if backend.KindOf(err) != backend.Internal || !errors.Is(err, ErrJournal) || !strings.Contains(err.Error(), "cannot write") {
		t.Fatalf("Open under a file: %v", err)
	}
}

// The request went out and then the journal broke: the result stands, the
// caller hears about it, and the record reads as outcome unknown.
func TestOutcomeWriteFailureKeepsTheResult(t *testing.T) {
	j := openJournal(t)
	r := &recorder{}
	r.during = func() {
		b, err := os.ReadFile(j.Path())
		if err != nil {
			t.Error(err)
		}
		blockJournal(t, j)
		if err := os.WriteFile(filepath.Join(j.Path(), "saved"), b, 0o600); err != nil {
			t.Error(err)
		}
	}
	w := Wrap(r, j, testActor)
	var heard []error
	w.OnOutcomeError(func(err error) { heard = append(heard, err) })
	task, err := w.RestartServer(bg, 1, 2, backend.RestartOptions{})
	if err != nil || task.ID != 7 {
		t.Fatalf("restart: %v %+v", err, task)
	}
	if len(heard) != 1 || !errors.Is(heard[0], ErrJournal) ||
		!strings.HasPrefix(heard[0].Error(), "restart-server server 2 (cluster 1) was sent and answered (task 7 RUNNING), but its outcome could not be journaled: is a directory") {
		t.Fatalf("heard %v", heard)
	}
	log, err := ReadFile(filepath.Join(j.Path(), "saved"))
	if err != nil || len(log.Records) != 1 || log.Records[0].Result() != ResultUnknown {
		t.Fatalf("read back %+v %v", log, err)
	}
}

func TestNoSecretReachesTheFile(t *testing.T) {
	const password, akSecret, extra = "pa55-w0rd!", "d75332c5eed8d440a84a35ac6248d397", "token-xyz"
	t.Setenv("OCP_PASSWORD", password)
	t.Setenv("OCP_ACCESS_KEY_SECRET", akSecret)
	j := openJournal(t)
	j.Redact(extra, "")
	leaky := &leakyExecutor{recorder: recorder{}, password: password, akSecret: akSecret, extra: extra}
	w := Wrap(leaky, j, Actor{User: "oncall", Host: "jump-1"})
	ctx := WithSubject(bg, Subject{Cluster: "c-" + extra})
	_, err := w.RestartServer(ctx, 1, 2, backend.RestartOptions{})
	if err == nil {
		t.Fatal("the leaky executor should fail")
	}
	b, err := os.ReadFile(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{password, akSecret, extra, "user:" + password, "sig=abc"} {
		if bytes.Contains(b, []byte(s)) {
			t.Errorf("journal holds %q:\n%s", s, b)
		}
	}
	got := lines(t, j)
	if got[0].Target.URL != "https://ocp.example:8080/api" || !strings.Contains(got[1].Error, redacted) ||
		!strings.Contains(got[1].Error, "https://ocp.example:8080/api/v2/x ") {
		t.Errorf("sanitized entries %+v", got)
	}
}

// leakyExecutor puts secrets everywhere it can: its target and its errors.
type leakyExecutor struct {
	recorder
	password, akSecret, extra string
}

func (l *leakyExecutor) Describe() backend.Target {
	u := "https://user:" + l.password + "@ocp.example:8080/api?sig=abc#" + l.extra
	return backend.Target{Kind: "remote", Label: u, URL: u, User: "admin"}
}

func (l *leakyExecutor) RestartServer(context.Context, int64, int64, backend.RestartOptions) (*ocp.Task, error) {
	return nil, &backend.Error{Kind: backend.Unauthorized, Op: "restart",
		Message: "bad credentials " + l.password + "/" + l.akSecret + " for https://user:" + l.password + "@ocp.example:8080/api/v2/x?sig=abc done"}
}

func TestFileAndDirectoryModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	path := filepath.Join(dir, "obconsole", FileName)
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Append(Entry{Phase: PhaseIntent, ID: "x"}); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("file mode %v %v", st.Mode(), err)
	}
	for _, d := range []string{dir, filepath.Dir(path)} {
		st, err := os.Stat(d)
		if err != nil || st.Mode().Perm() != 0o700 {
			t.Fatalf("%s mode %v %v", d, st.Mode(), err)
		}
	}
	// A file loosened by hand is tightened on the next write.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := j.Append(Entry{Phase: PhaseOutcome, ID: "x", Result: ResultOK}); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("mode after append %v", st.Mode())
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/var/state")
	if p, err := DefaultPath(); err != nil || p != "/var/state/obconsole/audit.jsonl" {
		t.Errorf("XDG: %q %v", p, err)
	}
	t.Setenv("HOME", "/home/oncall")
	for _, xdg := range []string{"", "relative/state"} {
		t.Setenv("XDG_STATE_HOME", xdg)
		if p, err := DefaultPath(); err != nil || p != "/home/oncall/.local/state/obconsole/audit.jsonl" {
			t.Errorf("XDG_STATE_HOME=%q: %q %v", xdg, p, err)
		}
	}
	t.Setenv("HOME", "")
	if _, err := DefaultPath(); backend.KindOf(err) != backend.Internal {
		t.Errorf("no HOME: %v", err)
	}
}

func TestOpenDefaultsToXDGStateHome(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", dir)
	j, err := Open("")
	if err != nil || j.Path() != filepath.Join(dir, "obconsole", FileName) {
		t.Fatalf("Open: %v %v", j, err)
	}
	if log, err := ReadFile(""); err != nil || len(log.Records) != 0 {
		t.Fatalf("empty journal: %+v %v", log, err)
	}
}

func TestReadMissingJournalIsEmpty(t *testing.T) {
	log, err := ReadFile(filepath.Join(t.TempDir(), "none.jsonl"))
	if err != nil || len(log.Records) != 0 || log.Records == nil {
		t.Fatalf("%+v %v", log, err)
	}
}

func TestCanceledContextSendsAndJournalsNothing(t *testing.T) {
	j := openJournal(t)
	r := &recorder{}
	ctx, cancel := context.WithCancel(bg)
	cancel()
	_, err := Wrap(r, j, testActor).RestartServer(ctx, 1, 2, backend.RestartOptions{})
	if !errors.Is(err, backend.Canceled) || len(r.calls) != 0 || len(lines(t, j)) != 0 {
		t.Fatalf("err %v, calls %q", err, r.calls)
	}
}

func TestReadPairsAndOrders(t *testing.T) {
	t0 := testStart
	entries := []Entry{
		{Time: t0, Phase: PhaseIntent, ID: "a", Operation: OpRestartServer},
		{Time: t0.Add(time.Second), Phase: PhaseIntent, ID: "b", Operation: OpRetryTask},
		{Time: t0.Add(2 * time.Second), Phase: PhaseOutcome, ID: "b", Result: ResultError, ErrorKind: "Conflict"},
		{Time: t0.Add(3 * time.Second), Phase: PhaseOutcome, ID: "a", Result: ResultOK, TaskID: 5},
		{Time: t0.Add(4 * time.Second), Phase: PhaseOutcome, ID: "orphan", Result: ResultOK, Operation: OpSkipSubtask},
		{Time: t0.Add(5 * time.Second), Phase: "later", ID: "c"},
	}
	var buf bytes.Buffer
	for _, e := range entries {
		b, _ := json.Marshal(e)
		buf.Write(b)
		buf.WriteString("\n\n")
	}
	log, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(log.Records) != 3 {
		t.Fatalf("records %+v", log.Records)
	}
	if r := log.Records[0]; r.Intent.ID != "a" || r.Outcome.TaskID != 5 || r.Result() != ResultOK {
		t.Errorf("a: %+v", r)
	}
	if r := log.Records[1]; r.Intent.ID != "b" || r.Result() != ResultError {
		t.Errorf("b: %+v", r)
	}
	if r := log.Records[2]; r.Intent != nil || r.Entry().Operation != OpSkipSubtask || r.Result() != ResultOK {
		t.Errorf("orphan outcome: %+v", r)
	}
	if len(log.Bad) != 1 || log.Bad[0].Line != 11 || !strings.Contains(log.Bad[0].Err, "later") {
		t.Errorf("bad %+v", log.Bad)
	}
	if got := log.Since(t0.Add(time.Second)); len(got) != 2 || got[0].Intent.ID != "b" {
		t.Errorf("since: %+v", got)
	}
}

// Many restarts at once, from many goroutines: every line whole, every
// intent paired with its outcome.
func TestConcurrentActionsKeepLinesWhole(t *testing.T) {
	j := openJournal(t)
	ex := newEmbedded(t)
	w := Wrap(ex, j, testActor)
	servers, err := ex.ListServers(bg, embedded.DemoDegradedClusterID, "")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, s := range servers {
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _ = w.RestartServer(bg, s.ClusterID, s.ID, backend.RestartOptions{Force: true})
			}()
		}
	}
	wg.Wait()
	log := readLog(t, j)
	if len(log.Bad) != 0 || len(log.Records) != 3*len(servers) {
		t.Fatalf("%d records, bad %+v", len(log.Records), log.Bad)
	}
	ok := 0
	for _, r := range log.Records {
		if r.Intent == nil || r.Outcome == nil {
			t.Fatalf("unpaired %+v", r)
		}
		if r.Result() == ResultOK {
			ok++
		}
	}
	if ok != len(servers) {
		t.Errorf("%d restarts accepted, want one per server (%d)", ok, len(servers))
	}
}
