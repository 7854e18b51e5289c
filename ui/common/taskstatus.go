package common

import (
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/theme"
)

// TaskShown is how a task's state looks in the lists, toasts and prompts
// of the console: the theme's look of its outcome (ROLLED BACK, ROLLING
// BACK… as well as OCP's statuses). Every caller goes through here.
func TaskShown(th *theme.Theme, t *ocp.Task) theme.Status { return th.TaskOutcome(t) }

// OutcomeShown is TaskShown for an outcome already known.
func OutcomeShown(th *theme.Theme, o ocp.TaskOutcome) theme.Status { return th.Outcome(o) }
