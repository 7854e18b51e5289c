// Package tasks lists recent tasks, newest first; enter opens one in the
// Task view, so an operator can leave a running task and come back to it.
package tasks

import (
	"slices"
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/presence"
	"github.com/obconsole/obconsole/ui/store"
)

// Limit is how many recent tasks the screen asks for.
const Limit = 100

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
	*common.List[ocp.Task]
	ctx    *common.Context
	status ocp.TaskStatus // the status filter, "" for every task
}

// Place is the tasks list, for the other operators (presence).
func (m *Model) Place() presence.Place { return presence.Place{Screen: presence.ScreenTasks} }

// New builds the tasks screen, every status.
func New(ctx *common.Context) *Model { return NewWithStatus(ctx, "") }

// NewWithStatus builds the tasks screen filtered by one of OCP's task
// statuses (ocp.FilterableTaskStatuses; "" for all). OCP filters: the
// status is part of the store entry's query. The store names the servers
// the tasks work on (a few reads of their clusters' servers, each once),
// so TARGET says ip:port.
func NewWithStatus(ctx *common.Context, status ocp.TaskStatus) *Model {
	status = filterable(status)
	m := &Model{ctx: ctx, status: status}
	km := ctx.Keys
	m.List = common.NewList(ctx, m, common.ListSpec[ocp.Task]{
		Crumb: "tasks", Noun: "tasks", Heading: heading(status), Back: true,
		Columns: []common.Column{
			colID:        {Title: "ID", Right: true},
			colName:      {Title: "TASK", Flex: true, MinWidth: 8, MaxWidth: 40},
			colStatus:    {Title: "STATUS", Status: true},
			colOperation: {Title: "OPERATION", GiveWay: 5},
			colTarget:    {Title: "TARGET", MaxWidth: 22, GiveWay: 1},
			colCluster:   {Title: "CLUSTER", MaxWidth: 16, GiveWay: 3},
			colStarted:   {Title: "STARTED", GiveWay: 4},
			colElapsed:   {Title: "ELAPSED", Right: true, MinWidth: 7, GiveWay: 2, Dynamic: m.elapsed, Compare: common.ByDuration(m.took)},
		},
		Key:   entry(status),
		Items: func(st *store.Store, k store.Key) ([]ocp.Task, store.State) { return st.Tasks(k.Query) },
		Row:   m.row,
		Keys:  m.keys,
		Short: func(*ocp.Task) []key.Binding { return []key.Binding{km.Enter, m.statusKey(), km.Filter, km.Back} },
		Full:  [][]key.Binding{{km.Enter, km.StatusFilter, km.Back}},
		Copy:  func(t *ocp.Task) string { return strconv.FormatInt(t.ID, 10) },
	})
	return m
}

// filterable is status when OCP can filter by it, else "" (every task).
func filterable(status ocp.TaskStatus) ocp.TaskStatus {
	if status != "" && !slices.Contains(ocp.FilterableTaskStatuses(), status) {
		return ""
	}
	return status
}

func entry(status ocp.TaskStatus) store.Key {
	return store.TasksKey(store.TaskQuery{Status: status, Limit: Limit, Named: true})
}

func heading(status ocp.TaskStatus) string {
	if status == "" {
		return "Recent tasks"
	}
	return "Recent tasks, " + string(status) + " only"
}

// elapsed is the task's run time: to its end, or to now while it runs.
func (m *Model) elapsed(i int) string {
	d, ok := m.took(i)
	if !ok {
		return "-"
	}
	return common.Elapsed(d)
}

// took is task i's run time, false when not known.
func (m *Model) took(i int) (time.Duration, bool) { return m.Items()[i].Elapsed(m.ctx.Now) }

func (m *Model) row(_ int, t *ocp.Task) common.Row {
	name := t.Name
	if t.Force() {
		name += " (force)"
	}
	ti, _ := m.ctx.Names.Task(t.ID)
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
	return common.Row{
		Key: strconv.FormatInt(t.ID, 10),
		Cells: []string{colID: strconv.FormatInt(t.ID, 10), colName: name, colOperation: op, colTarget: target,
			colCluster: cluster, colStarted: common.Stamp(t.StartTime)},
		Status: common.TaskShown(m.ctx.Theme, t),
	}
}

// SetTasks shows tasks as if the store had answered them (tests).
func (m *Model) SetTasks(tasks []ocp.Task) { m.Set(tasks) }

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

func (m *Model) keys(msg tea.KeyMsg, t *ocp.Task) tea.Cmd {
	km := m.ctx.Keys
	switch {
	case key.Matches(msg, km.StatusFilter):
		m.status = m.nextStatus()
		m.SetKey(entry(m.status), heading(m.status))
	case t != nil && key.Matches(msg, km.Enter):
		return common.OpenTask(t.ID, false)
	}
	return nil
}
