package audit

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/user"
	"strings"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// Actor is who acts: the local user and host, and through what; SSH is
// set when the action came over an obconsole ssh session.
type Actor struct {
	User string
	Host string
	Via  string // "console", "restart command", …
	SSH  SSH
}

// CurrentActor is the local user and host running this process.
func CurrentActor(via string) Actor {
	a := Actor{Via: via}
	if u, err := user.Current(); err == nil && u.Username != "" {
		a.User = u.Username
	} else if name := os.Getenv("USER"); name != "" {
		a.User = name
	} else {
		a.User = os.Getenv("LOGNAME")
	}
	if h, err := os.Hostname(); err == nil {
		a.Host = h
	}
	return a
}

type subjectKey struct{}

// WithSubject attaches human names (cluster, server ip:port, step) to the
// next mutating call made with ctx, so the journal reads the way operators
// speak; the ids are journaled in any case.
func WithSubject(ctx context.Context, s Subject) context.Context {
	return context.WithValue(ctx, subjectKey{}, s)
}

func subjectOf(ctx context.Context) Subject {
	s, _ := ctx.Value(subjectKey{}).(Subject)
	return s
}

// SubjectFrom is the subject WithSubject attached to ctx, if any: others
// that announce an action (obconsole ssh's presence) name it the same way.
func SubjectFrom(ctx context.Context) Subject { return subjectOf(ctx) }

// Executor journals every mutating call of the executor it wraps; reads
// pass through untouched.
type Executor struct {
	exec    backend.Executor
	journal *Journal
	actor   Actor
	// newID makes correlation ids.
	newID func() string
	// onOutcomeError hears about outcome lines that could not be written.
	onOutcomeError func(error)
}

var _ backend.Executor = (*Executor)(nil)

// Wrap returns exec with every mutating call journaled in j as actor.
// Every method is delegated explicitly, so a method added to
// backend.Executor must be classified here (read or mutating) before the
// program compiles again.
func Wrap(exec backend.Executor, j *Journal, actor Actor) *Executor {
	return &Executor{exec: exec, journal: j, actor: actor, newID: randomID}
}

// Unwrap is the executor being journaled.
func (w *Executor) Unwrap() backend.Executor { return w.exec }

// OnOutcomeError sets f to hear about an outcome line that could not be
// written (the request was sent; the journal will show "outcome unknown").
// Set it before the executor is used.
func (w *Executor) OnOutcomeError(f func(error)) { w.onOutcomeError = f }

// Journal is where the calls are journaled.
func (w *Executor) Journal() *Journal { return w.journal }

func randomID() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		// crypto/rand does not fail on supported platforms; a time-based
		// id still links the two lines of this process.
		return time.Now().Format("20060102T150405.000000000")
	}
	return hex.EncodeToString(b[:])
}

// call is one journaled request in flight.
type call struct {
	intent Entry
}

// begin writes the intent line; an error means nothing may be sent.
func (w *Executor) begin(ctx context.Context, op string, p Params, force bool) (*call, error) {
	if err := ctx.Err(); err != nil {
		return nil, &backend.Error{Kind: backend.Canceled, Op: op, Err: err}
	}
	t := w.exec.Describe()
	e := Entry{
		Phase:     PhaseIntent,
		ID:        w.newID(),
		User:      w.actor.User,
		Host:      w.actor.Host,
		PID:       os.Getpid(),
		Via:       w.actor.Via,
		SSH:       w.actor.SSH,
		Target:    Target{Kind: t.Kind, Label: t.Label, URL: t.URL, User: t.User},
		Operation: op,
		Params:    p,
		Subject:   subjectOf(ctx),
		Force:     force,
	}
	if err := w.journal.Append(e); err != nil {
		var be *backend.Error
		if errors.As(err, &be) {
			be.Op = "write audit journal before " + op
			return nil, be
		}
		return nil, err
	}
	return &call{intent: e}, nil
}

// end writes the outcome line. A journal that fails now cannot undo the
// request: the result stands and the journal shows "outcome unknown".
func (w *Executor) end(c *call, taskID int64, status string, err error) {
	e := c.intent
	e.Time = time.Time{}
	e.Phase = PhaseOutcome
	e.TaskID = taskID
	e.Status = status
	if err == nil {
		e.Result = ResultOK
	} else {
		e.Result = ResultError
		e.ErrorKind = backend.KindOf(err).String()
		e.Error = err.Error()
		var be *backend.Error
		if errors.As(err, &be) {
			e.OutcomeUnknown = be.OutcomeUnknown
		}
	}
	if written, werr := w.journal.append(e); werr != nil && w.onOutcomeError != nil {
		w.onOutcomeError(&OutcomeError{Entry: written, Path: w.journal.Path(), Err: journalCause(werr)})
	}
}

// journalCause is the file system's reason inside a journal write error.
func journalCause(err error) error {
	var be *backend.Error
	if errors.As(err, &be) && be.Err != nil {
		err = be.Err
	}
	for {
		u, ok := err.(interface{ Unwrap() []error })
		if !ok {
			break
		}
		// writeError joins ErrJournal and the cause.
		errs := u.Unwrap()
		err = errs[len(errs)-1]
	}
	return unwrapPath(err)
}

// OutcomeError is an outcome line that could not be written after its
// request was sent: it says what was sent and what came back, so the
// operator can record it by hand. The journal will show the action as
// outcome unknown. errors.Is(err, ErrJournal) holds.
type OutcomeError struct {
	Entry Entry  // the outcome that could not be written, sanitized
	Path  string // the journal
	Err   error  // why, e.g. syscall.ENOSPC
}

func (o *OutcomeError) Error() string {
	return fmt.Sprintf("%s was sent and %s, but its outcome could not be journaled: %v (%s will show it as outcome unknown)",
		describeAction(o.Entry), describeResult(o.Entry), o.Err, o.Path)
}

func (o *OutcomeError) Unwrap() []error { return []error{ErrJournal, o.Err} }

// describeAction names an action the way operators do: the operation,
// its subject by name where known (else by id), and force.
func describeAction(e Entry) string {
	what := e.Operation
	switch e.Operation {
	case OpRestartServer:
		what += " " + cmp.Or(e.Subject.Server, fmt.Sprintf("server %d", e.Params.ServerID))
	case OpRestartZone:
		what += " " + cmp.Or(e.Subject.Zone, e.Params.ZoneName)
	case OpRetryTask, OpRollbackTask:
		what += fmt.Sprintf(" task %d", e.Params.TaskID)
	case OpRetrySubtask, OpSkipSubtask, OpCancelSubtask:
		what += fmt.Sprintf(" %s of task %d", cmp.Or(e.Subject.Step, fmt.Sprintf("subtask %d", e.Params.SubtaskID)), e.Params.TaskID)
	}
	var about []string
	if e.Subject.Cluster != "" || e.Params.ClusterID != 0 {
		about = append(about, "cluster "+cmp.Or(e.Subject.Cluster, fmt.Sprint(e.Params.ClusterID)))
	}
	if e.Force {
		about = append(about, "force")
	}
	if len(about) > 0 {
		what += " (" + strings.Join(about, ", ") + ")"
	}
	return what
}

// describeResult is what the server answered, as the outcome line holds it.
func describeResult(e Entry) string {
	switch {
	case e.Result == ResultOK && e.TaskID != 0 && e.TaskID != e.Params.TaskID:
		return strings.TrimSpace(fmt.Sprintf("answered (task %d %s)", e.TaskID, e.Status))
	case e.Result == ResultOK && e.Status != "":
		return "answered (status " + e.Status + ")"
	case e.Result == ResultOK:
		return "answered (ok)"
	case e.OutcomeUnknown:
		return "its answer was lost (" + e.Error + ")"
	}
	return "answered with an error (" + e.Error + ")"
}

// Reads: pass through.

func (w *Executor) GetTask(ctx context.Context, taskID int64) (*ocp.Task, error) {
	return w.exec.GetTask(ctx, taskID)
}
func (w *Executor) SubtaskLog(ctx context.Context, taskID, subtaskID int64) (string, error) {
	return w.exec.SubtaskLog(ctx, taskID, subtaskID)
}
func (w *Executor) ListTasks(ctx context.Context, f backend.TaskFilter) ([]ocp.Task, error) {
	return w.exec.ListTasks(ctx, f)
}
func (w *Executor) ListServers(ctx context.Context, clusterID int64, zoneName string) ([]ocp.Server, error) {
	return w.exec.ListServers(ctx, clusterID, zoneName)
}
func (w *Executor) ListZones(ctx context.Context, clusterID int64) ([]ocp.Zone, error) {
	return w.exec.ListZones(ctx, clusterID)
}
func (w *Executor) ListClusters(ctx context.Context) ([]ocp.Cluster, error) {
	return w.exec.ListClusters(ctx)
}
func (w *Executor) Describe() backend.Target { return w.exec.Describe() }
func (w *Executor) Now() time.Time           { return w.exec.Now() }

// Mutations: intent, request, outcome.

func (w *Executor) RestartServer(ctx context.Context, clusterID, serverID int64, opts backend.RestartOptions) (*ocp.Task, error) {
	return journaled(w, ctx, OpRestartServer, Params{ClusterID: clusterID, ServerID: serverID, FreezeServer: opts.FreezeServer}, opts.Force,
		func() (*ocp.Task, error) { return w.exec.RestartServer(ctx, clusterID, serverID, opts) }, createdTask)
}

func (w *Executor) RestartZone(ctx context.Context, clusterID int64, zoneName string, opts backend.RestartOptions) (*ocp.Task, error) {
	return journaled(w, ctx, OpRestartZone, Params{ClusterID: clusterID, ZoneName: zoneName}, opts.Force,
		func() (*ocp.Task, error) { return w.exec.RestartZone(ctx, clusterID, zoneName, opts) }, createdTask)
}

func (w *Executor) RetryTask(ctx context.Context, taskID int64) (*ocp.Task, error) {
	return journaled(w, ctx, OpRetryTask, Params{TaskID: taskID}, false,
		func() (*ocp.Task, error) { return w.exec.RetryTask(ctx, taskID) }, status[*ocp.Task](taskID))
}

func (w *Executor) RollbackTask(ctx context.Context, taskID int64) (*ocp.Task, error) {
	return journaled(w, ctx, OpRollbackTask, Params{TaskID: taskID}, false,
		func() (*ocp.Task, error) { return w.exec.RollbackTask(ctx, taskID) }, status[*ocp.Task](taskID))
}

func (w *Executor) RetrySubtask(ctx context.Context, taskID, subtaskID int64) (*ocp.Subtask, error) {
	return journaled(w, ctx, OpRetrySubtask, Params{TaskID: taskID, SubtaskID: subtaskID}, false,
		func() (*ocp.Subtask, error) { return w.exec.RetrySubtask(ctx, taskID, subtaskID) }, status[*ocp.Subtask](taskID))
}

func (w *Executor) SkipSubtask(ctx context.Context, taskID, subtaskID int64) error {
	_, err := journaled(w, ctx, OpSkipSubtask, Params{TaskID: taskID, SubtaskID: subtaskID}, false,
		func() (*ocp.Task, error) { return nil, w.exec.SkipSubtask(ctx, taskID, subtaskID) }, status[*ocp.Task](taskID))
	return err
}

func (w *Executor) CancelSubtask(ctx context.Context, taskID, subtaskID int64) error {
	_, err := journaled(w, ctx, OpCancelSubtask, Params{TaskID: taskID, SubtaskID: subtaskID}, false,
		func() (*ocp.Task, error) { return nil, w.exec.CancelSubtask(ctx, taskID, subtaskID) }, status[*ocp.Task](taskID))
	return err
}

// journaled runs one change between its intent and its outcome in the
// journal: do is the request, result says which task it concerns and
// what status it answered.
func journaled[T any](w *Executor, ctx context.Context, op string, p Params, force bool, do func() (T, error), result func(T) (int64, string)) (T, error) {
	c, err := w.begin(ctx, op, p, force)
	if err != nil {
		var none T
		return none, err
	}
	out, err := do()
	id, st := result(out)
	w.end(c, id, st, err)
	return out, err
}

// createdTask is the task a restart created and its status.
func createdTask(t *ocp.Task) (int64, string) {
	if t == nil {
		return 0, ""
	}
	return t.ID, string(t.Status)
}

// status is the result of a change to an existing task: the task, and
// the status of what the change answered (none when it answered nothing).
func status[T interface{ *ocp.Task | *ocp.Subtask }](taskID int64) func(T) (int64, string) {
	return func(out T) (int64, string) {
		switch v := any(out).(type) {
		case *ocp.Task:
			if v != nil {
				return taskID, string(v.Status)
			}
		case *ocp.Subtask:
			if v != nil {
				return taskID, string(v.Status)
			}
		}
		return taskID, ""
	}
}
