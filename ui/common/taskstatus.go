package common

import (
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/theme"
)

// TaskShown is how a task's state looks in the lists, toasts and prompts
// of the console: its outcome (ROLLED BACK, ROLLING BACK… as well as OCP's
// statuses), with the icon and colour of what that outcome means.
//
// It is the one place to swap for the theme's own function for a task's
// shown state once theme has one: every caller goes through here.
func TaskShown(th *theme.Theme, t *ocp.Task) theme.Status {
	return OutcomeShown(th, t.Outcome())
}

// OutcomeShown is TaskShown for an outcome already known.
func OutcomeShown(th *theme.Theme, o ocp.TaskOutcome) theme.Status {
	if o == "" {
		return th.Task("")
	}
	st := th.Task(ocp.TaskStatus(o))
	if st.Known {
		return st
	}
	tone := theme.ToneUnknown
	switch o.Class() {
	case ocp.ClassOK:
		tone = theme.ToneOK
	case ocp.ClassInProgress:
		tone = theme.ToneBusy
	case ocp.ClassWaiting:
		tone = theme.ToneWaiting
	case ocp.ClassAttention:
		tone = theme.ToneWarn
	case ocp.ClassError:
		tone = theme.ToneError
	case ocp.ClassStopped:
		tone = theme.ToneIdle
	default:
		return st // a status this build does not know: as it came, made safe
	}
	return theme.Status{Icon: th.Icon(tone), Word: string(o), Tone: tone, Known: true}
}
