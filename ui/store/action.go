package store

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// Actions: the keys that change the world go screen → store → executor.
// Each is exactly one request, never retried; its outcome (ActionMsg)
// goes back through the root, which hands it to Store.Done (what the
// action changed is forgotten and read again) and then to the shown
// screen.

// ActionKind is what an action does.
type ActionKind int

const (
	RestartServer ActionKind = iota
	RestartZone
	RetryTask
	RollbackTask
	RetryStep
	SkipStep
	CancelStep
)

// Action is one mutating request.
type Action struct {
	Kind    ActionKind
	Cluster int64
	Server  int64
	Zone    string
	Options backend.RestartOptions
	Task    int64
	Step    int64
	// What names it for the operator ("retry task"): the outcome's toast.
	What string
}

// ActionMsg is an action's outcome: Started is the task a restart
// started (0 for the other actions).
type ActionMsg struct {
	Action  Action
	Started int64
	Err     error
}

// Do sends a: one request, in a Cmd.
func (s *Store) Do(a Action) tea.Cmd {
	exec, base := s.exec, s.base()
	return func() tea.Msg {
		var task *ocp.Task
		var err error
		switch a.Kind {
		case RestartServer:
			task, err = exec.RestartServer(base, a.Cluster, a.Server, a.Options)
		case RestartZone:
			task, err = exec.RestartZone(base, a.Cluster, a.Zone, a.Options)
		case RetryTask:
			_, err = exec.RetryTask(base, a.Task)
		case RollbackTask:
			_, err = exec.RollbackTask(base, a.Task)
		case RetryStep:
			_, err = exec.RetrySubtask(base, a.Task, a.Step)
		case SkipStep:
			err = exec.SkipSubtask(base, a.Task, a.Step)
		case CancelStep:
			err = exec.CancelSubtask(base, a.Task, a.Step)
		}
		msg := ActionMsg{Action: a, Err: err}
		if a.Kind == RestartServer || a.Kind == RestartZone {
			switch {
			case err != nil:
			case task == nil:
				msg.Err = backend.Errorf(backend.BadResponse, restartOp(a.Kind), "OCP answered without a task")
			default:
				msg.Started = task.ID
			}
		}
		return msg
	}
}

func restartOp(k ActionKind) string {
	if k == RestartZone {
		return "restart zone"
	}
	return "restart server"
}

// Done takes an action's outcome: what it changed is forgotten (here and
// in the shared layer) and the task it acted on is read again, even if it
// had ended (it runs again after any of these).
func (s *Store) Done(msg ActionMsg) tea.Cmd {
	if msg.Err != nil {
		return nil
	}
	a := msg.Action
	if sh := s.reader.shared; sh != nil {
		sh.Changed(a.Cluster, a.Task)
	}
	if a.Task == 0 {
		return nil
	}
	if e, ok := s.task.m[TaskKey(a.Task)]; ok {
		e.revived = true
	}
	if w, ok := s.watched[a.Task]; ok {
		w.done = false
	}
	return s.task.request(s, Use{Key: TaskKey(a.Task)}, false)
}

// ReadMsg reports a read made outside the store's entries (a command-line
// lookup, a restart dialog's check): it counts for the polling rules and
// the status bar like any other.
type ReadMsg struct {
	Err error
	At  time.Time
}

func (m ReadMsg) apply(*Store) Change { return Change{Err: m.Err, At: m.At} }

// Report returns a Cmd delivering ReadMsg{err, at}.
func Report(err error, at time.Time) tea.Cmd {
	return func() tea.Msg { return ReadMsg{Err: err, At: at} }
}
