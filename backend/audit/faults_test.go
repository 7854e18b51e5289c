package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/safetext"
)

// fullDisk is a file system with room bytes left: a write that does not
// fit writes what fits and fails with ENOSPC, as a real full disk does.
type fullDisk struct {
	mu   sync.Mutex
	room int
}

func (d *fullDisk) setRoom(n int) {
	d.mu.Lock()
	d.room = n
	d.mu.Unlock()
}

func (d *fullDisk) open(name string, flag int, perm os.FileMode) (file, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return &limitedFile{File: f, disk: d}, nil
}

type limitedFile struct {
	*os.File
	disk *fullDisk
}

func (f *limitedFile) Write(p []byte) (int, error) {
	f.disk.mu.Lock()
	defer f.disk.mu.Unlock()
	if len(p) <= f.disk.room {
		f.disk.room -= len(p)
		return f.File.Write(p)
	}
	n, err := f.File.Write(p[:f.disk.room])
	f.disk.room = 0
	if err == nil {
		err = &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}
	return n, err
}

func rawLines(t *testing.T, j *Journal) []string {
	t.Helper()
	b, err := os.ReadFile(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// The disk fills up while a restart is in flight: its outcome line is cut
// short. The operator hears what was sent and what came back; the next
// action's intent starts on its own line; the reader shows the restart as
// outcome unknown, marks the broken line and keeps the next action whole.
func TestFullDiskCutsAnOutcomeShort(t *testing.T) {
	j := openJournal(t)
	disk := &fullDisk{room: 1 << 20}
	j.open = disk.open
	r := &recorder{during: func() { disk.setRoom(120) }}
	w := Wrap(r, j, testActor)
	var heard []error
	w.OnOutcomeError(func(err error) { heard = append(heard, err) })

	ctx := WithSubject(bg, Subject{Cluster: "protoss", Zone: "zone1", Server: "192.0.2.12:2882"})
	task, err := w.RestartServer(ctx, 12000001, 13000002, backend.RestartOptions{})
	if err != nil || task.ID != 7 {
		t.Fatalf("restart: %v %+v", err, task)
	}
	if len(heard) != 1 {
		t.Fatalf("heard %v", heard)
	}
	want := "restart-server 192.0.2.12:2882 (cluster protoss) was sent and answered (task 7 RUNNING), " +
		"but its outcome could not be journaled: no space left on device (" + j.Path() + " will show it as outcome unknown)"
	if got := heard[0].Error(); got != want {
		t.Errorf("heard\n%s\nwant\n%s", got, want)
	}
	var oe *OutcomeError
	if !errors.Is(heard[0], ErrJournal) || !errors.Is(heard[0], syscall.ENOSPC) || !errors.As(heard[0], &oe) || oe.Entry.TaskID != 7 {
		t.Errorf("heard %#v", heard[0])
	}

	// Space is freed; the next action is journaled whole.
	disk.setRoom(1 << 20)
	r.during = nil
	if _, err := w.RetryTask(bg, 9); err != nil {
		t.Fatal(err)
	}
	raw := rawLines(t, j)
	if len(raw) != 4 || len(raw[1]) != 120 || json.Valid([]byte(raw[1])) {
		t.Fatalf("journal lines:\n%s", strings.Join(raw, "\n"))
	}
	for _, i := range []int{0, 2, 3} {
		if !json.Valid([]byte(raw[i])) {
			t.Errorf("line %d is not an entry on its own: %s", i+1, raw[i])
		}
	}

	log := readLog(t, j)
	if len(log.Records) != 2 || len(log.Bad) != 1 || log.Bad[0].Line != 2 {
		t.Fatalf("records %+v, bad %+v", log.Records, log.Bad)
	}
	if r := log.Records[0]; r.Result() != ResultUnknown || r.Intent == nil || r.Intent.Operation != OpRestartServer || r.Intent.Subject.Server != "192.0.2.12:2882" {
		t.Errorf("the restart: %+v", r)
	}
	if r := log.Records[1]; r.Result() != ResultOK || r.Intent == nil || r.Outcome == nil || r.Entry().Operation != OpRetryTask {
		t.Errorf("the next action: %+v", r)
	}
}

// A full disk that cuts the intent short refuses the action: nothing is
// sent, and the next intent still starts on its own line.
func TestFullDiskCutsAnIntentShort(t *testing.T) {
	j := openJournal(t)
	disk := &fullDisk{room: 50}
	j.open = disk.open
	r := &recorder{}
	w := Wrap(r, j, testActor)
	_, err := w.RestartServer(bg, 1, 2, backend.RestartOptions{})
	if !errors.Is(err, ErrJournal) || !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "nothing was sent") || len(r.calls) != 0 {
		t.Fatalf("err %v, calls %q", err, r.calls)
	}
	disk.setRoom(1 << 20)
	if _, err := w.RestartServer(bg, 1, 2, backend.RestartOptions{}); err != nil {
		t.Fatal(err)
	}
	if raw := rawLines(t, j); len(raw) != 3 || len(raw[0]) != 50 {
		t.Fatalf("journal lines:\n%s", strings.Join(raw, "\n"))
	}
	log := readLog(t, j)
	if len(log.Records) != 1 || log.Records[0].Result() != ResultOK || len(log.Bad) != 1 || log.Bad[0].Line != 1 {
		t.Fatalf("records %+v, bad %+v", log.Records, log.Bad)
	}
}

// Journals damaged before partial lines were closed hold a partial entry
// with a complete one appended on the same line: the complete one is
// read, the partial one reported.
func TestReadRecoversAnEntryGluedToAPartialOne(t *testing.T) {
	entry := func(e Entry) string {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	in1 := entry(Entry{Time: testStart, Phase: PhaseIntent, ID: "a", Operation: OpRestartServer, Subject: Subject{Server: "192.0.2.12:2882"}})
	out1 := entry(Entry{Time: testStart, Phase: PhaseOutcome, ID: "a", Operation: OpRestartServer, Result: ResultOK, TaskID: 89027028})
	in2 := entry(Entry{Time: testStart, Phase: PhaseIntent, ID: "b", Operation: OpRetryTask, Params: Params{TaskID: 9}})
	out2 := entry(Entry{Time: testStart, Phase: PhaseOutcome, ID: "b", Operation: OpRetryTask, Result: ResultOK})
	in3 := entry(Entry{Time: testStart, Phase: PhaseIntent, ID: "c", Operation: OpSkipSubtask})
	journal := in1 + "\n" + out1[:len(out1)/2] + in2 + "\n" + out2 + "\n" +
		in3[:10] + out1[:30] + "\n" // two partial entries, nothing to recover
	log, err := Read(strings.NewReader(journal))
	if err != nil {
		t.Fatal(err)
	}
	if len(log.Records) != 2 {
		t.Fatalf("records %+v", log.Records)
	}
	if r := log.Records[0]; r.Intent == nil || r.Intent.ID != "a" || r.Result() != ResultUnknown {
		t.Errorf("the cut restart: %+v", r)
	}
	if r := log.Records[1]; r.Intent == nil || r.Intent.ID != "b" || r.Result() != ResultOK {
		t.Errorf("the glued action: %+v", r)
	}
	if len(log.Bad) != 3 || log.Bad[0].Line != 2 || log.Bad[1].Line != 4 || log.Bad[2].Line != 4 ||
		!strings.Contains(log.Bad[0].Err, "cut short") {
		t.Errorf("bad %+v", log.Bad)
	}
}

// A line longer than the reader takes is reported, and the lines after it
// are still read.
func TestReadSkipsAnOverlongLine(t *testing.T) {
	good, _ := json.Marshal(Entry{Phase: PhaseIntent, ID: "x", Operation: OpRetryTask})
	in := strings.Repeat("y", maxLine+10) + "\n" + string(good) + "\r\n"
	log, err := Read(strings.NewReader(in))
	if err != nil || len(log.Records) != 1 || len(log.Bad) != 1 || log.Bad[0].Line != 1 {
		t.Fatalf("%+v %v", log, err)
	}
}

// A journal that may be appended to but not read (mode 0200, say) is still
// written; each line starts with a newline since the end cannot be seen.
func TestWriteOnlyJournalClosesLinesBlind(t *testing.T) {
	j := openJournal(t)
	j.open = func(name string, flag int, perm os.FileMode) (file, error) {
		if flag&os.O_RDWR != 0 {
			return nil, &os.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
		}
		return openOSFile(name, flag, perm)
	}
	w := Wrap(&recorder{}, j, testActor)
	for range 2 {
		if _, err := w.RetryTask(bg, 3); err != nil {
			t.Fatal(err)
		}
	}
	log := readLog(t, j)
	if len(log.Records) != 2 || len(log.Bad) != 0 || log.Records[1].Result() != ResultOK {
		t.Fatalf("%+v", log)
	}
}

// Every string field is redacted with the process's redactor (including
// per-request values) and made one safe line: no escape sequence and no
// bidi override from a cluster or server name reaches the file.
func TestJournalFieldsAreRedactedAndSafe(t *testing.T) {
	j := openJournal(t)
	shared := safetext.NewRedactor()
	shared.AddTransient("OCP-ACCESS-KEY-HMACSHA1 AKID:c2lnbmF0dXJl")
	j.SetRedactor(shared)
	r := &recorder{err: &backend.Error{Kind: backend.Conflict, Op: "restart server 2",
		Message: "busy \x1b]0;owned\x07 OCP-ACCESS-KEY-HMACSHA1 AKID:c2lnbmF0dXJl \u202egnp.exe", TraceID: "t\x1b[2J"}}
	w := Wrap(r, j, testActor)
	var heard []error
	w.OnOutcomeError(func(err error) { heard = append(heard, err) })
	ctx := WithSubject(bg, Subject{Cluster: "evil\x1b]52;c;ZXZpbA==\x07", Zone: "z\u202e1", Server: "192.0.2.1:2882\x9b2J", Step: "s\x1b[31m"})
	_, err := w.RestartZone(ctx, 1, "zone\x1b[H\u202e", backend.RestartOptions{})
	if err == nil {
		t.Fatal("want the recorder's error")
	}
	b, err := os.ReadFile(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	var decoded []string
	for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		var e Entry
		if err := json.Unmarshal(line, &e); err != nil {
			t.Fatal(err)
		}
		decoded = append(decoded, e.Subject.Cluster, e.Subject.Zone, e.Subject.Server, e.Subject.Step, e.Params.ZoneName, e.Error)
	}
	for _, s := range decoded {
		if !safetext.IsSafe(s) || strings.Contains(s, "c2lnbmF0dXJl") {
			t.Errorf("journaled %q", s)
		}
	}
	if !strings.Contains(decoded[len(decoded)-1], "busy ^[]0;owned^G [REDACTED] \\u202egnp.exe") {
		t.Errorf("error field %q", decoded[len(decoded)-1])
	}
	if len(heard) != 0 {
		t.Errorf("heard %v", heard)
	}
}

// An outcome error names the action by what is known and says what came
// back: task and status, an error, or a lost answer.
func TestOutcomeErrorDescribesTheAction(t *testing.T) {
	cases := []struct {
		e    Entry
		want string
	}{
		{Entry{Operation: OpRestartServer, Params: Params{ClusterID: 1, ServerID: 2}, Force: true, Result: ResultOK, TaskID: 7, Status: "RUNNING"},
			"restart-server server 2 (cluster 1, force) was sent and answered (task 7 RUNNING)"},
		{Entry{Operation: OpRestartZone, Params: Params{ClusterID: 1, ZoneName: "zone1"}, Subject: Subject{Cluster: "protoss"}, Result: ResultError, Error: "restart zone zone1: Conflict: busy"},
			"restart-zone zone1 (cluster protoss) was sent and answered with an error (restart zone zone1: Conflict: busy)"},
		{Entry{Operation: OpRetryTask, Params: Params{TaskID: 9}, Result: ResultOK, TaskID: 9, Status: "RUNNING"},
			"retry-task task 9 was sent and answered (status RUNNING)"},
		{Entry{Operation: OpSkipSubtask, Params: Params{TaskID: 9, SubtaskID: 4}, Subject: Subject{Step: "Stop OB server"}, Result: ResultOK, TaskID: 9},
			"skip-subtask Stop OB server of task 9 was sent and answered (ok)"},
		{Entry{Operation: OpCancelSubtask, Params: Params{TaskID: 9, SubtaskID: 4}, Result: ResultError, OutcomeUnknown: true, Error: "cancel subtask 4: Unavailable: no response within 10s"},
			"cancel-subtask subtask 4 of task 9 was sent and its answer was lost (cancel subtask 4: Unavailable: no response within 10s)"},
	}
	for _, c := range cases {
		err := &OutcomeError{Entry: c.e, Path: "/j", Err: syscall.ENOSPC}
		want := c.want + ", but its outcome could not be journaled: no space left on device (/j will show it as outcome unknown)"
		if got := err.Error(); got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	}
}
