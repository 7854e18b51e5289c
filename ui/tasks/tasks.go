// Package tasks lists recent tasks, newest first; enter opens one in the
// Task view, so an operator can leave a running task and come back to it.
package tasks

import (
	"context"
	"slices"
	"strconv"
	"sync"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common"
)

// Limit is how many recent tasks the screen asks for.
const Limit = 100

// maxNameReads bounds the server lists one refresh reads to name the
// servers tasks work on.
const maxNameReads = 3

// Column give-way order when narrow (first to go first): OPERATION,
// STARTED, CLUSTER, ELAPSED, TARGET. ID, TASK and STATUS always stay.
const (
	colID = iota
	colName
	colStatus
	colOperation
	colTarget
	colCluster
	colStarted
	colElapsed
)

// Model is the recent-tasks list. It implements common.Screen.
type Model struct {
	ctx    *common.Context
	list   *common.List
	tasks  []ocp.Task
	status ocp.TaskStatus // the status filter, "" for every task
	named  *namedClusters
}

// namedClusters are the clusters whose servers a refresh already read to
// name task targets: each at most once per screen (the fetch runs in a
// Cmd, hence the lock).
type namedClusters struct {
	mu   sync.Mutex
	read map[int64]bool
}

func (n *namedClusters) claim(id int64) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.read[id] {
		return false
	}
	n.read[id] = true
	return true
}

// New builds the tasks screen, every status.
func New(ctx *common.Context) *Model { return NewWithStatus(ctx, "") }

// NewWithStatus builds the tasks screen filtered by one of OCP's task
// statuses (ocp.FilterableTaskStatuses; "" for all).
func NewWithStatus(ctx *common.Context, status ocp.TaskStatus) *Model {
	m := &Model{ctx: ctx, named: &namedClusters{read: map[int64]bool{}}}
	cols := []common.Column{
		colID:        {Title: "ID", Right: true},
		colName:      {Title: "TASK", Flex: true, MinWidth: 8, MaxWidth: 40},
		colStatus:    {Title: "STATUS", Status: true},
		colOperation: {Title: "OPERATION", GiveWay: 5},
		colTarget:    {Title: "TARGET", MaxWidth: 22, GiveWay: 1},
		colCluster:   {Title: "CLUSTER", MaxWidth: 16, GiveWay: 3},
		colStarted:   {Title: "STARTED", GiveWay: 4},
		colElapsed:   {Title: "ELAPSED", Right: true, MinWidth: 7, GiveWay: 2, Dynamic: m.elapsed, Compare: m.compareElapsed},
	}
	m.list = common.NewList(ctx, common.NewTable(ctx.Theme, cols), "tasks", "Recent tasks", nil)
	m.setStatus(status)
	return m
}

// setStatus filters by status (OCP filters: the list asks for it).
func (m *Model) setStatus(status ocp.TaskStatus) {
	if status != "" && !slices.Contains(ocp.FilterableTaskStatuses(), status) {
		status = ""
	}
	m.status = status
	exec, names, named := m.ctx.Exec, m.ctx.Names, m.named
	filter := backend.TaskFilter{Limit: Limit}
	heading := "Recent tasks"
	if status != "" {
		filter.Status = []ocp.TaskStatus{status}
		heading += ", " + string(status) + " only"
	}
	m.list.SetHeading(heading)
	m.list.SetFetch(func(c context.Context) (any, error) {
		tasks, err := exec.ListTasks(c, filter)
		if err == nil {
			nameTargets(c, exec, names, named, tasks)
		}
		return fetched{status: status, tasks: tasks}, err
	})
}

// fetched is one refresh's tasks, with the filter it was asked with.
type fetched struct {
	status ocp.TaskStatus
	tasks  []ocp.Task
}

// nameTargets reads the servers of clusters whose tasks work on a server
// the console has not seen, so TARGET says ip:port: a cluster at most once
// per screen, a few per refresh. A failed read leaves the ids.
func nameTargets(c context.Context, exec backend.Executor, names *common.Names, named *namedClusters, tasks []ocp.Task) {
	reads := 0
	for i := range tasks {
		ti, _ := names.Task(tasks[i].ID)
		if ti.ClusterID == 0 || len(ti.ServerIDs) != 1 || len(ti.Servers) == 1 || reads == maxNameReads {
			continue
		}
		if named.claim(ti.ClusterID) {
			reads++
			_, _ = exec.ListServers(c, ti.ClusterID, "")
		}
	}
}

// elapsed is the task's run time: to its end, or to now while it runs.
func (m *Model) elapsed(i int) string {
	d, ok := m.tasks[i].Elapsed(m.ctx.Now)
	if !ok {
		return "-"
	}
	return common.Elapsed(d)
}

func (m *Model) compareElapsed(a, b int) int {
	da, oka := m.tasks[a].Elapsed(m.ctx.Now)
	db, okb := m.tasks[b].Elapsed(m.ctx.Now)
	switch {
	case oka != okb:
		if oka {
			return 1
		}
		return -1
	case da < db:
		return -1
	case da > db:
		return 1
	}
	return 0
}

// SetTasks replaces the data, as a successful fetch does.
func (m *Model) SetTasks(tasks []ocp.Task) {
	m.tasks = tasks
	names := m.ctx.Names
	rows := make([]common.Row, len(tasks))
	for i := range tasks {
		t := &tasks[i]
		name := t.Name
		if t.Force() {
			name += " (force)"
		}
		ti, _ := names.Task(t.ID)
		cluster := t.ClusterName()
		if cluster == "" {
			cluster = ti.Cluster
		}
		if cluster == "" && t.ClusterID != 0 {
			cluster = "#" + strconv.FormatInt(t.ClusterID, 10)
		}
		op := string(t.Operation)
		if op == "" {
			op = "-"
		}
		target := ti.Target()
		if target == "" {
			target = "-"
		}
		rows[i] = common.Row{
			Key: strconv.FormatInt(t.ID, 10),
			Cells: []string{colID: strconv.FormatInt(t.ID, 10), colName: name, colOperation: op, colTarget: target,
				colCluster: cluster, colStarted: common.Stamp(t.StartTime)},
			Status: common.TaskShown(m.ctx.Theme, t),
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
	return []key.Binding{km.Enter, m.statusKey(), km.Filter, km.Back}
}

// statusKey is the status filter key, saying what the next press shows.
func (m *Model) statusKey() key.Binding {
	f := m.ctx.Keys.StatusFilter
	next := "all"
	if st := m.nextStatus(); st != "" {
		next = string(st)
	}
	return key.NewBinding(key.WithKeys(f.Keys()...), key.WithHelp(f.Help().Key, "show "+next))
}

// nextStatus is the filter after this one: every task, then each of OCP's
// filterable statuses in turn.
func (m *Model) nextStatus() ocp.TaskStatus {
	all := ocp.FilterableTaskStatuses()
	i := slices.Index(all, m.status)
	if i+1 < len(all) {
		return all[i+1]
	}
	return ""
}

func (m *Model) FullHelp() [][]key.Binding {
	km := m.ctx.Keys
	return [][]key.Binding{{km.Enter, km.StatusFilter, km.Back}}
}

func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ListFetchedMsg:
		if msg.ID != m.list.ID {
			return m, nil
		}
		cmd, ok := m.list.Done(msg)
		if ok {
			data := msg.Data.(fetched)
			if data.status != m.status {
				// Asked before the filter changed: ask again.
				return m, tea.Batch(cmd, m.list.Load())
			}
			m.SetTasks(data.tasks)
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
		case key.Matches(msg, km.StatusFilter):
			m.setStatus(m.nextStatus())
			return m, m.list.Load()
		}
		return m, nil
	}
	cmd, _ := m.list.Poll(msg)
	return m, cmd
}
