package ui

import (
	"cmp"
	"context"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common"
)

// Watched tasks: every task opened in the Task view during the session.
// While its Task view is shown, the view polls it; once the operator is
// elsewhere (the view popped or covered), the root polls it instead, once
// per refresh tick, and when it ends a toast says so (and the terminal
// bell rings with --bell). A task that ended before the operator left its
// view ends quietly: they saw it. Polling of a task stops when it ended.

// watched is one task the operator opened.
type watched struct {
	id       int64
	leftAt   time.Time // backend time the operator left its view; zero while shown
	left     bool
	inflight bool
	done     bool
}

// watchMsg is the root's own poll of a watched task.
type watchMsg struct {
	taskID int64
	task   *ocp.Task
	err    error
	at     time.Time
}

// watch starts watching a task the Task view was opened on.
func (m *Model) watch(taskID int64) {
	if m.watched == nil {
		m.watched = map[int64]*watched{}
	}
	if w, ok := m.watched[taskID]; ok {
		w.done = false // opened again: watch it again
		return
	}
	m.watched[taskID] = &watched{id: taskID}
	m.watchOrder = append(m.watchOrder, taskID)
}

// taskScreen is a screen that belongs to one task without being its Task
// view (the step log view): while it is on top the operator is still
// watching that task.
type taskScreen interface{ ShowsTask() int64 }

// shownTask is the task whose view (or step log) is on top, or 0.
func (m *Model) shownTask() int64 {
	if len(m.taskOf) != len(m.stack) || len(m.stack) == 0 {
		return 0
	}
	top := len(m.stack) - 1
	if id := m.taskOf[top]; id != 0 {
		return id
	}
	if ts, ok := m.stack[top].(taskScreen); ok {
		return ts.ShowsTask()
	}
	return 0
}

// syncWatch records which watched task the operator is looking at: the
// one on top is shown, every other one is left (from now).
func (m *Model) syncWatch() {
	shown := m.shownTask()
	for _, w := range m.watched {
		switch {
		case w.id == shown:
			w.left, w.leftAt = false, time.Time{}
		case !w.left:
			w.left, w.leftAt = true, m.ctx.Now
		}
	}
}

// pollWatched returns one GetTask per left, unfinished watched task with
// no request in flight: at most one per task per tick.
func (m *Model) pollWatched() tea.Cmd {
	var cmds []tea.Cmd
	exec, names, base := m.ctx.Exec, m.ctx.Names, m.ctx.Lifetime
	if base == nil {
		base = context.Background()
	}
	for _, id := range m.watchOrder {
		w := m.watched[id]
		if w.done || !w.left || w.inflight {
			continue
		}
		w.inflight = true
		cmds = append(cmds, func() tea.Msg {
			t, err := exec.GetTask(base, id)
			if err == nil && t != nil && t.Status.Ended() {
				nameServers(base, exec, names, id)
			}
			return watchMsg{taskID: id, task: t, err: err, at: exec.Now()}
		})
	}
	return tea.Batch(cmds...)
}

// watchDone handles a poll's answer: a toast (and the bell) when the task
// ended after the operator left its view.
func (m *Model) watchDone(msg watchMsg) tea.Cmd {
	w, ok := m.watched[msg.taskID]
	if !ok {
		return nil
	}
	w.inflight = false
	if msg.err != nil {
		if backend.KindOf(msg.err) == backend.NotFound {
			w.done = true // gone: nothing more to say
			return nil
		}
		// A denial stops every poll; other failures back off.
		return m.readDone(msg.err)
	}
	cmd := m.readDone(nil)
	t := msg.task
	if t == nil || !t.Status.Ended() {
		return cmd
	}
	w.done = true
	end := msg.at
	if t.FinishTime.Valid() && !t.FinishTime.IsZero() {
		end = t.FinishTime.Time
	}
	if !w.left || !end.After(w.leftAt) {
		return cmd // it ended while its view was shown
	}
	level := common.ToastInfo
	switch {
	case t.RolledBack():
		level = common.ToastWarn
	case !t.Succeeded():
		level = common.ToastError
	}
	cmds := []tea.Cmd{cmd, common.Toast(level, "%s", m.finishedText(t)), m.recount()}
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

// nameServers reads the servers of an ended task's cluster when the
// console has not seen the one it worked on, so the toast can name it by
// ip:port: one read, once, as the task ends.
func nameServers(base context.Context, exec backend.Executor, names *common.Names, taskID int64) {
	ti, ok := names.Task(taskID)
	if !ok || ti.ClusterID == 0 || len(ti.ServerIDs) != 1 || len(ti.Servers) == 1 {
		return
	}
	_, _ = exec.ListServers(base, ti.ClusterID, "")
}
