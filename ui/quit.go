package ui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
)

// q while a task this operator started (or set running again) in this
// session is still running asks once before quitting, and says where the
// task goes on: in OCP, or nowhere on the embedded fleet, which lives in
// this process. y quits; any other key keeps the console. ctrl+c still
// quits at once: an operator expects it to (the README says so).

// quitPrompt is the question on screen.
type quitPrompt struct {
	tasks []common.TaskInfo
}

// quit quits, or asks first when a task started here is running.
func (m *Model) quit() tea.Cmd {
	if running := m.ctx.Names.StartedRunning(); len(running) > 0 {
		m.quitAsk = &quitPrompt{tasks: running}
		return nil
	}
	m.quitting = true
	return tea.Quit
}

// quitKey answers the question: y quits, anything else does not.
func (m *Model) quitKey(msg tea.KeyMsg) tea.Cmd {
	m.quitAsk = nil
	if key.Matches(msg, m.ctx.Keys.Confirm) {
		m.quitting = true
		return tea.Quit
	}
	return nil
}

// quitLines are the two lines the question takes (over the footer and the
// status bar): the question, never cut, then where the task goes on.
func (m *Model) quitLines(w int) (string, string) {
	th := m.ctx.Theme
	st := &th.Styles
	ts := m.quitAsk.tasks
	question := "quit anyway? y/N"
	var leads []string
	if len(ts) == 1 {
		t := ts[0]
		id := strconv.FormatInt(t.ID, 10)
		what := m.ctx.Line(strings.Join(nonEmpty(t.Name, t.Target(), t.Cluster), ", "))
		leads = []string{"task " + id + " (" + what + ") is running: "}
		if target := m.ctx.Line(t.Target()); target != "" {
			leads = append(leads, "task "+id+" on "+target+" is running: ")
		}
		leads = append(leads, "task "+id+" is running: ", id+" running: ")
	} else {
		ids := make([]string, len(ts))
		for i, t := range ts {
			ids[i] = strconv.FormatInt(t.ID, 10)
		}
		leads = []string{
			fmt.Sprintf("%d tasks are running (%s): ", len(ts), strings.Join(ids, ", ")),
			fmt.Sprintf("%d tasks are running: ", len(ts)),
			fmt.Sprintf("%d running: ", len(ts)),
		}
	}
	icon := th.Icon(theme.ToneWarn) + " "
	line := ""
	for _, lead := range leads {
		if ansi.StringWidth(icon+lead+question)+1 <= w {
			line = icon + lead + question
			break
		}
	}
	if line == "" {
		line = "quit? y/N"
	}
	where := "it goes on in OCP; the Task view finds it again"
	if len(ts) > 1 {
		where = "they go on in OCP; the Task view finds them again"
	}
	if m.ctx.Target.Kind == "embedded" {
		where = "it stops with this process: the embedded fleet lives in it"
		if len(ts) > 1 {
			where = "they stop with this process: the embedded fleet lives in it"
		}
	}
	return common.PadRight(" "+st.ToastWarn.Render(line), w),
		common.PadRight(" "+st.Muted.Render(th.Truncate(where, w-1)), w)
}

func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}
