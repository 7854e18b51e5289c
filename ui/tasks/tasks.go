// Package tasks lists recent tasks, newest first; enter opens one in the
// Task view, so an operator can leave a running task and come back to it.
package tasks

import (
	"context"
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common"
)

// Limit is how many recent tasks the screen asks for.
const Limit = 100

// Column give-way order when narrow (first to go first): CLUSTER,
// STARTED, ELAPSED. ID, TASK and STATUS always stay.
const (
	colID = iota
	colName
	colStatus
	colCluster
	colStarted
	colElapsed
)

// Model is the recent-tasks list. It implements common.Screen.
type Model struct {
	ctx   *common.Context
	list  *common.List
	tasks []ocp.Task
}

// New builds the tasks screen.
func New(ctx *common.Context) *Model {
	m := &Model{ctx: ctx}
	cols := []common.Column{
		colID:      {Title: "ID", Right: true},
		colName:    {Title: "TASK", Flex: true, MinWidth: 8, MaxWidth: 40},
		colStatus:  {Title: "STATUS", Status: true},
		colCluster: {Title: "CLUSTER", MaxWidth: 16, GiveWay: 3},
		colStarted: {Title: "STARTED", GiveWay: 2},
		colElapsed: {Title: "ELAPSED", Right: true, MinWidth: 7, GiveWay: 1, Dynamic: m.elapsed},
	}
	fetch := func(c context.Context) (any, error) {
		return ctx.Exec.ListTasks(c, backend.TaskFilter{Limit: Limit})
	}
	m.list = common.NewList(ctx, common.NewTable(ctx.Theme, cols), "tasks", "Recent tasks", fetch)
	return m
}

// elapsed is finish - start, or now - start while running.
func (m *Model) elapsed(i int) string {
	t := m.tasks[i]
	if t.StartTime.IsZero() || !t.StartTime.Valid() {
		return "-"
	}
	end := m.ctx.Now
	if !t.FinishTime.IsZero() && t.FinishTime.Valid() {
		end = t.FinishTime.Time
	} else if t.Status.Ended() || end.IsZero() {
		return "-"
	}
	return common.Elapsed(end.Sub(t.StartTime.Time))
}

// SetTasks replaces the data, as a successful fetch does.
func (m *Model) SetTasks(tasks []ocp.Task) {
	m.tasks = tasks
	rows := make([]common.Row, len(tasks))
	for i, t := range tasks {
		name := t.Name
		if t.Force() {
			name += " (force)"
		}
		cluster := t.Context.Get("cluster_name")
		if cluster == "" && t.ClusterID != 0 {
			cluster = "#" + strconv.FormatInt(t.ClusterID, 10)
		}
		rows[i] = common.Row{
			Key: strconv.FormatInt(t.ID, 10),
			Cells: []string{colID: strconv.FormatInt(t.ID, 10), colName: name, colCluster: cluster,
				colStarted: common.Stamp(t.StartTime)},
			Status: m.ctx.Theme.Task(t.Status),
		}
	}
	m.list.Table.SetRows(rows)
}

func (m *Model) Init() tea.Cmd    { return m.list.Load() }
func (m *Model) Title() string    { return "tasks" }
func (m *Model) SetSize(w, h int) { m.list.SetSize(w, h) }
func (m *Model) View() string     { return m.list.View() }
func (m *Model) Capturing() bool  { return m.list.Typing() }

// NavHelp is the list's moving, filtering and sorting keys.
func (m *Model) NavHelp() []key.Binding { return m.list.NavHelp() }

// HandleMouse selects, scrolls and sorts with the mouse.
func (m *Model) HandleMouse(msg tea.MouseMsg) bool { return m.list.HandleMouse(msg) }

// CopyText is the selected task's id.
func (m *Model) CopyText() (string, bool) {
	if i := m.list.Table.SelectedIndex(); i >= 0 && i < len(m.tasks) {
		return strconv.FormatInt(m.tasks[i].ID, 10), true
	}
	return "", false
}

func (m *Model) ShortHelp() []key.Binding {
	if m.list.Typing() {
		return m.list.ShortHelp()
	}
	km := m.ctx.Keys
	return []key.Binding{km.Enter, km.Filter, km.Back}
}

func (m *Model) FullHelp() [][]key.Binding {
	km := m.ctx.Keys
	return [][]key.Binding{{km.Enter, km.Back}}
}

func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ListFetchedMsg:
		if msg.ID != m.list.ID {
			return m, nil
		}
		cmd, ok := m.list.Done(msg)
		if ok {
			m.SetTasks(msg.Data.([]ocp.Task))
		}
		return m, cmd
	case tea.KeyMsg:
		if m.list.HandleKey(msg) {
			return m, nil
		}
		km := m.ctx.Keys
		switch {
		case key.Matches(msg, km.Back):
			return m, common.Pop()
		case key.Matches(msg, km.Enter):
			if i := m.list.Table.SelectedIndex(); i >= 0 && i < len(m.tasks) {
				return m, common.OpenTask(m.tasks[i].ID, false)
			}
		}
		return m, nil
	}
	cmd, _ := m.list.Poll(msg)
	return m, cmd
}
