package taskview

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/store"
)

// action is an operation on the task or the selected step. Each is asked
// for with its key (R, B, S, T, C), shown as a prompt, and sent once on y.
type action int

const (
	actRetryTask action = iota
	actRollbackTask
	actSkipStep
	actCancelStep
	actRetryStep
)

// what names the action for prompts, toasts and --readonly refusals.
func (a action) what() string {
	return [...]string{"retry task", "roll back task", "skip step", "cancel step", "retry step"}[a]
}

// pending is an operation waiting for y: what it is and on which step.
type pending struct {
	act    action
	subID  int64
	step   string
	prompt string
	taskID int64
}

// ask opens the confirmation for act, or says why it does not apply.
func (m *Model) ask(act action) tea.Cmd {
	if m.ctx.ReadOnly {
		return m.ctx.Refuse(act.what())
	}
	if m.task == nil {
		return common.Toast(common.ToastWarn, "task %d: not loaded yet", m.taskID)
	}
	if m.Gone() {
		return common.Toast(common.ToastWarn, "task %d is gone from the backend: nothing to %s", m.taskID, act.what())
	}
	p := &pending{act: act, taskID: m.taskID}
	switch act {
	case actRetryTask, actRollbackTask:
		if m.task.Status != ocp.TaskFailed {
			return common.Toast(common.ToastWarn, "only a FAILED task can be %s; task %d is %s", past(act), m.taskID, m.ctx.Theme.TaskOutcome(m.task).Word)
		}
		if act == actRollbackTask && m.task.ProhibitRollback {
			return common.Toast(common.ToastWarn, "task %d may not be rolled back (prohibitRollback)", m.taskID)
		}
		if act == actRetryTask {
			p.prompt = fmt.Sprintf("Retry task %d? Its failed steps run again.", m.taskID)
		} else {
			p.prompt = fmt.Sprintf("Roll back task %d? Every step that ran is undone in reverse order.", m.taskID)
		}
	case actSkipStep, actCancelStep, actRetryStep:
		s := m.selectedStep()
		if s == nil {
			return nil
		}
		// Names and statuses came from OCP: quoted as shown, made safe.
		name := `"` + safetext.Line(s.Name) + `"`
		status := m.ctx.Theme.StepOutcome(s).Word
		p.subID, p.step = s.ID, name
		switch act {
		case actRetryStep:
			if s.Status != ocp.SubtaskFailed {
				return common.Toast(common.ToastWarn, "only a FAILED step can be retried; %s is %s", name, status)
			}
			// OCP keeps a step's runTime on a step retry (only a task retry
			// counts one): no attempt number is promised.
			p.prompt = fmt.Sprintf("Retry %s alone? It runs again; the task goes on if it succeeds.", name)
		case actSkipStep:
			if s.Status != ocp.SubtaskFailed {
				return common.Toast(common.ToastWarn, "only a FAILED step can be skipped; %s is %s", name, status)
			}
			if s.ProhibitSkip {
				return common.Toast(common.ToastWarn, "%s may not be skipped (prohibitSkip)", name)
			}
			p.prompt = fmt.Sprintf("Skip %s? The scheduler marks it SKIPPED shortly, without running it; the next steps go on.", name)
		default:
			// OCP cancels only a RUNNING step (a READY one is refused).
			if s.Status != ocp.SubtaskRunning {
				return common.Toast(common.ToastWarn, "only a RUNNING step can be cancelled; %s is %s", name, status)
			}
			p.prompt = fmt.Sprintf("Cancel %s? It stops through CANCELING and will be marked FAILED shortly.", name)
		}
	}
	m.confirm = p
	return nil
}

func past(a action) string {
	if a == actRetryTask {
		return "retried"
	}
	return "rolled back"
}

// run sends the confirmed operation exactly once: the prompt closes before
// the request leaves, so a repeated y finds nothing to confirm. The store
// reads the task again once it is done (it runs again after any of these,
// even if it had ended); the root says how it went.
func (m *Model) run() tea.Cmd {
	p := m.confirm
	m.confirm = nil
	if p == nil {
		return nil
	}
	kind := [...]store.ActionKind{actRetryTask: store.RetryTask, actRollbackTask: store.RollbackTask,
		actSkipStep: store.SkipStep, actCancelStep: store.CancelStep, actRetryStep: store.RetryStep}[p.act]
	return m.ctx.Store.Do(store.Action{Kind: kind, Task: p.taskID, Step: p.subID, What: p.act.what()})
}
