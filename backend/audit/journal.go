// Package audit keeps the on-call audit journal: one JSON line before every
// mutating request (intent) and one after it (outcome), appended with fsync
// to $XDG_STATE_HOME/obconsole/audit.jsonl (default
// ~/.local/state/obconsole/audit.jsonl), file mode 0600, directories 0700.
//
// Wrap decorates any backend.Executor so that restarts, retries, rollbacks,
// skips and cancels are journaled whoever calls them (the console or a
// command). When the intent line cannot be written the request is not sent;
// when the outcome line cannot, the caller hears an *OutcomeError saying
// what was sent and what came back.
// Read pairs intents with outcomes by their correlation id; an intent with
// no outcome (the process died, the answer never came, or its line was cut
// short) is "outcome unknown".
//
// A write cut short (a full disk, a crash) never takes the next entry with
// it: the next append starts a new line, and Read reports the broken line
// and reads every complete one, even one glued onto a partial line.
//
// The journal never holds a secret nor a terminal control sequence: URLs
// lose their user info and query, the values of OCP_PASSWORD and
// OCP_ACCESS_KEY_SECRET (plus any the caller registers with Redact, and
// everything the process's redactor knows after SetRedactor) are replaced
// by "[REDACTED]", and every string field is made one safe line
// (safetext.Line).
package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/safetext"
)

// FileName is the journal's file name inside its directory.
const FileName = "audit.jsonl"

// Phases of an entry.
const (
	PhaseIntent  = "intent"
	PhaseOutcome = "outcome"
)

// Results of an outcome entry; ResultUnknown is what Read reports for an
// intent that has no outcome.
const (
	ResultOK      = "ok"
	ResultError   = "error"
	ResultUnknown = "outcome unknown"
)

// Operations journaled.
const (
	OpRestartServer = "restart-server"
	OpRestartZone   = "restart-zone"
	OpRetryTask     = "retry-task"
	OpRollbackTask  = "rollback-task"
	OpRetrySubtask  = "retry-subtask"
	OpSkipSubtask   = "skip-subtask"
	OpCancelSubtask = "cancel-subtask"
)

// ErrJournal is wrapped by every error about writing the journal, so a
// caller can tell "the journal refused" from "the backend refused":
// errors.Is(err, audit.ErrJournal).
var ErrJournal = errors.New("audit journal not writable")

// secretEnv are the environment variables whose values never reach the file.
var secretEnv = []string{"OCP_PASSWORD", "OCP_ACCESS_KEY_SECRET"}

const redacted = "[REDACTED]"

// Target is what the action was sent to: the executor's description with
// URLs stripped of user info and query.
type Target struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
	URL   string `json:"url,omitempty"`
	User  string `json:"user,omitempty"` // OCP user or access key id
}

// Params are the ids an operation acted on; unused ones are left out.
type Params struct {
	ClusterID int64  `json:"clusterId,omitempty"`
	ServerID  int64  `json:"serverId,omitempty"`
	ZoneName  string `json:"zoneName,omitempty"`
	TaskID    int64  `json:"taskId,omitempty"`
	SubtaskID int64  `json:"subtaskId,omitempty"`
	// FreezeServer: a server restart asked for a minor compaction before
	// the stop (OCP's freezeServer).
	FreezeServer bool `json:"freezeServer,omitempty"`
}

// Subject names the operation's target the way operators do (cluster name,
// server ip:port). Callers that know it attach it with WithSubject.
type Subject struct {
	Cluster string `json:"cluster,omitempty"`
	Zone    string `json:"zone,omitempty"`
	Server  string `json:"server,omitempty"`
	Step    string `json:"step,omitempty"`
}

// IsZero lets omitzero drop an empty subject.
func (s Subject) IsZero() bool { return s == Subject{} }

// SSH is who acted through obconsole ssh: the operator the key names
// (authorized_keys), the key's SHA256 fingerprint and the client's
// address. User and Host of the entry stay the server's local account.
type SSH struct {
	User        string `json:"user,omitempty"`
	Fingerprint string `json:"fingerprint,omitempty"`
	Remote      string `json:"remote,omitempty"`
}

// IsZero lets omitzero drop the SSH identity of a local action.
func (s SSH) IsZero() bool { return s == SSH{} }

// Entry is one line of the journal.
type Entry struct {
	Time  time.Time `json:"time"`
	Phase string    `json:"phase"` // intent | outcome
	// ID links an intent and its outcome.
	ID        string  `json:"id"`
	User      string  `json:"user"`
	Host      string  `json:"host"`
	PID       int     `json:"pid,omitempty"`
	Via       string  `json:"via,omitempty"` // console, restart command, …
	SSH       SSH     `json:"ssh,omitzero"`
	Target    Target  `json:"target"`
	Operation string  `json:"operation"`
	Params    Params  `json:"params"`
	Subject   Subject `json:"subject,omitzero"`
	Force     bool    `json:"force"`

	// Outcome fields.
	Result         string `json:"result,omitempty"` // ok | error
	TaskID         int64  `json:"taskId,omitempty"`
	Status         string `json:"status,omitempty"` // the task's or subtask's status as returned
	ErrorKind      string `json:"errorKind,omitempty"`
	Error          string `json:"error,omitempty"`
	OutcomeUnknown bool   `json:"outcomeUnknown,omitempty"` // the request may have been applied
}

// DefaultPath is $XDG_STATE_HOME/obconsole/audit.jsonl, or
// ~/.local/state/obconsole/audit.jsonl when XDG_STATE_HOME is unset or
// not absolute (as the XDG base directory specification says).
func DefaultPath() (string, error) {
	if dir := os.Getenv("XDG_STATE_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "obconsole", FileName), nil
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return "", &backend.Error{Kind: backend.Internal, Op: "locate audit journal",
			Message: "neither XDG_STATE_HOME nor HOME is set", Err: err}
	}
	return filepath.Join(home, ".local", "state", "obconsole", FileName), nil
}

// Journal appends entries to one file. It is safe for concurrent use; each
// entry is a single write of one line on a file opened with O_APPEND, so
// several processes may share the file.
//
// A write cut short (a full disk, a crash) leaves a partial last line;
// the next append sees that the file does not end in a newline and starts
// its own line in the same single write, so one damaged entry never takes
// the next one with it.
type Journal struct {
	path string
	now  func() time.Time
	// open opens the file (os.OpenFile); tests put a full disk behind it.
	open func(name string, flag int, perm os.FileMode) (file, error)

	mu       sync.Mutex
	redactor *safetext.Redactor
}

// file is what the journal needs of an open file; *os.File has it.
type file interface {
	io.Writer
	io.ReaderAt
	Stat() (os.FileInfo, error)
	Chmod(mode os.FileMode) error
	Sync() error
	Close() error
}

func openOSFile(name string, flag int, perm os.FileMode) (file, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err // not a typed nil in an interface
	}
	return f, nil
}

// pathOr is path, or DefaultPath when it is empty.
func pathOr(path string) (string, error) {
	if path != "" {
		return path, nil
	}
	return DefaultPath()
}

// Open returns the journal at path (DefaultPath when empty), creating its
// directory (0700) and file (0600) so that a journal that cannot be
// written is reported before anything is attempted.
func Open(path string) (*Journal, error) {
	path, err := pathOr(path)
	if err != nil {
		return nil, err
	}
	j := &Journal{path: path, now: time.Now, open: openOSFile, redactor: safetext.NewRedactor()}
	for _, name := range secretEnv {
		j.Redact(os.Getenv(name))
	}
	f, err := j.openFile()
	if err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, j.writeError(err)
	}
	return j, nil
}

// Path is the journal's file.
func (j *Journal) Path() string { return j.path }

// Redact registers secret values that must never be written; empty values
// are ignored.
func (j *Journal) Redact(secrets ...string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.redactor.Add(secrets...)
}

// SetRedactor makes the journal use the process's one redactor (the one the
// remote executor registers its secrets and signatures with); the secrets
// registered so far are carried over.
func (j *Journal) SetRedactor(r *safetext.Redactor) {
	if r == nil {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, name := range secretEnv {
		r.Add(os.Getenv(name))
	}
	j.redactor = r
}

// SetClock replaces the clock entry times come from (tests).
func (j *Journal) SetClock(now func() time.Time) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.now = now
}

func (j *Journal) writeError(err error) *backend.Error {
	return &backend.Error{
		Kind:    backend.Internal,
		Op:      "write audit journal",
		Message: fmt.Sprintf("cannot write %s: %v; nothing was sent", j.path, unwrapPath(err)),
		Err:     fmt.Errorf("%w: %w", ErrJournal, err),
	}
}

// unwrapPath drops the path a *PathError repeats.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// openFile opens the journal for appending, and for reading its last byte
// where it may be read.
func (j *Journal) openFile() (file, error) {
	dir := filepath.Dir(j.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, j.writeError(err)
	}
	open := j.open
	if open == nil {
		open = openOSFile
	}
	f, err := open(j.path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if errors.Is(err, fs.ErrPermission) {
		// Write-only by someone's choice: still append, lines closed blind.
		f, err = open(j.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	}
	if err != nil {
		return nil, j.writeError(err)
	}
	// A file created by someone else's umask, or loosened by hand, is
	// tightened: the journal says who did what to production.
	if st, err := f.Stat(); err == nil && st.Mode().Perm()&0o077 != 0 {
		if err := f.Chmod(0o600); err != nil {
			f.Close()
			return nil, j.writeError(err)
		}
	}
	return f, nil
}

// Append writes e as one line and fsyncs it. Time is set when zero.
func (j *Journal) Append(e Entry) error {
	_, err := j.append(e)
	return err
}

// append is Append that also returns the entry as written (time set,
// secrets redacted, made safe).
func (j *Journal) append(e Entry) (Entry, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if e.Time.IsZero() {
		e.Time = j.now()
	}
	j.sanitize(&e)
	return e, j.writeLine(e)
}

func (j *Journal) writeLine(e Entry) error {
	line, err := json.Marshal(e)
	if err != nil {
		return j.writeError(err)
	}
	line = append(line, '\n')
	f, err := j.openFile()
	if err != nil {
		return err
	}
	if !endsLine(f) {
		// Close the partial line an earlier write left, in this same
		// write: O_APPEND keeps one write together.
		line = append([]byte{'\n'}, line...)
	}
	if _, err := f.Write(line); err != nil {
		f.Close()
		return j.writeError(err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return j.writeError(err)
	}
	if err := f.Close(); err != nil {
		return j.writeError(err)
	}
	return nil
}

// endsLine reports whether f is empty or ends in a newline. When that
// cannot be read, it says no: an empty line costs the reader nothing, an
// entry glued to a partial one costs an action.
func endsLine(f file) bool {
	st, err := f.Stat()
	if err != nil {
		return false
	}
	if !st.Mode().IsRegular() || st.Size() == 0 {
		return true
	}
	var last [1]byte
	if _, err := f.ReadAt(last[:], st.Size()-1); err != nil {
		return false
	}
	return last[0] == '\n'
}

// sanitize removes secrets from every string field of e and makes it
// safe to print (no control or escape sequence from outside survives).
func (j *Journal) sanitize(e *Entry) {
	e.Target.URL = stripURL(e.Target.URL)
	e.Target.Label = stripURLs(e.Target.Label)
	e.Error = stripURLs(e.Error)
	for _, p := range []*string{
		&e.User, &e.Host, &e.Via, &e.SSH.User, &e.SSH.Fingerprint, &e.SSH.Remote, &e.Target.Kind, &e.Target.Label, &e.Target.URL, &e.Target.User,
		&e.Operation, &e.Params.ZoneName, &e.Subject.Cluster, &e.Subject.Zone, &e.Subject.Server,
		&e.Subject.Step, &e.Result, &e.Status, &e.ErrorKind, &e.Error, &e.ID, &e.Phase,
	} {
		*p = j.redactor.SafeLine(*p)
	}
}

// stripURL drops user info, query and fragment from a URL.
func stripURL(raw string) string {
	if raw == "" {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		// Not parseable: keep nothing after a possible user info.
		if i := strings.LastIndex(raw, "@"); i >= 0 {
			return redacted + "@" + raw[i+1:]
		}
		return raw
	}
	u.User = nil
	u.RawQuery = ""
	u.ForceQuery = false
	u.Fragment = ""
	u.RawFragment = ""
	return u.String()
}

// stripURLs applies stripURL to every http(s) URL inside free text.
func stripURLs(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '"' || r == '\'' })
	for _, f := range fields {
		if strings.HasPrefix(f, "http://") || strings.HasPrefix(f, "https://") {
			u := strings.TrimRight(f, ",;:)")
			s = strings.ReplaceAll(s, u, stripURL(u))
		}
	}
	return s
}
