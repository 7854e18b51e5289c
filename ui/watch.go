package ui

import (
	"cmp"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common"
)

// Watched tasks (store/watch.go): every task opened in the Task view is
// polled, once per tick, while the operator is elsewhere; when it ends
// there, a toast says so and the terminal bell rings (--bell). So is a
// task another operator of obconsole ssh started on what this one looks
// at (others.go): its end is a toast naming who started it, without the
// bell.

// ended says that watched task t ended while the operator was elsewhere.
func (m *Model) ended(t *ocp.Task) tea.Cmd {
	level := common.ToastInfo
	switch {
	case t.RolledBack():
		level = common.ToastWarn
	case !t.Succeeded():
		level = common.ToastError
	}
	if cmd, ok := m.othersTaskEnded(t.ID, level, common.TaskShown(m.ctx.Theme, t).Word); ok {
		return cmd
	}
	cmds := []tea.Cmd{common.Toast(level, "%s", m.finishedText(t)), m.recount()}
	if bell := m.opts.Bell; bell != nil {
		cmds = append(cmds, func() tea.Msg { bell(); return nil })
	}
	return tea.Batch(cmds...)
}

// finishedText says which task ended how, on what: "task 89027028
// finished: SUCCESSFUL · 192.0.2.12:2882 · protoss · Restart OB server"
// (the most useful first: a narrow footer cuts the end).
func (m *Model) finishedText(t *ocp.Task) string {
	ti, _ := m.ctx.Names.Task(t.ID)
	parts := []string{"task " + strconv.FormatInt(t.ID, 10) + " finished: " + common.TaskShown(m.ctx.Theme, t).Word}
	if target := ti.Target(); target != "" {
		parts = append(parts, target)
	}
	if cluster := cmp.Or(ti.Cluster, t.ClusterName()); cluster != "" {
		parts = append(parts, cluster)
	}
	if name := cmp.Or(t.Name, ti.Name); name != "" {
		parts = append(parts, name)
	}
	return strings.Join(parts, m.ctx.Theme.Glyphs.Bullet)
}
