// Package servers lists the OBServers of a zone, or of a whole cluster,
// and shows one server in detail. `r` opens the restart dialog.
package servers

import (
	"context"
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/restart"
)

// Column give-way order when the terminal is narrow (first to go first):
// VERSION, SQL, UPTIME, ZONE, ROOT. ADDRESS and STATUS always stay;
// ADDRESS is cut with an ellipsis last of all.
const (
	colAddress = iota
	colSQL
	colZone
	colStatus
	colVersion
	colRoot
	colUptime
)

// Model is a servers list. It implements common.Screen.
type Model struct {
	ctx     *common.Context
	cluster ocp.Cluster
	zone    string // "" for every server of the cluster
	list    *common.List
	servers []ocp.Server
	lookup  int64 // tags the answers of o's lookups
}

// New lists the servers of zone in cluster, or all of the cluster's
// servers when zone is "".
func New(ctx *common.Context, cluster ocp.Cluster, zone string) *Model {
	m := &Model{ctx: ctx, cluster: cluster, zone: zone, lookup: ctx.NewID()}
	cols := []common.Column{
		// An IPv4 address with its port (at most 21 columns) is never cut
		// in the middle, where rows would read alike: the other columns give
		// way first. Longer text (IPv6, garbage) may still be squeezed.
		colAddress: {Title: "ADDRESS", Flex: true, MinWidth: 12, Keep: len("255.255.255.255:65535")},
		colSQL:     {Title: "SQL", Right: true, GiveWay: 4},
		colZone:    {Title: "ZONE", MaxWidth: 16, GiveWay: 2},
		colStatus:  {Title: "STATUS", Status: true},
		colVersion: {Title: "VERSION", MaxWidth: 14, GiveWay: 5},
		colRoot:    {Title: "ROOT", GiveWay: 1},
		colUptime:  {Title: "UPTIME", Right: true, MinWidth: 6, GiveWay: 3, Dynamic: m.uptime, Compare: m.compareUptime},
	}
	heading := "Servers of " + zone + " in " + cluster.Name
	if zone == "" {
		heading = "All servers of " + cluster.Name
	}
	clusterID := cluster.ID
	fetch := func(c context.Context) (any, error) { return ctx.Exec.ListServers(c, clusterID, zone) }
	m.list = common.NewList(ctx, common.NewTable(ctx.Theme, cols), "servers", heading, fetch)
	return m
}

func (m *Model) uptime(i int) string {
	s := m.servers[i]
	if s.Status != ocp.ServerRunning {
		return "-"
	}
	d, ok := common.Since(m.ctx.Now, s.StartTime)
	if !ok {
		return "-"
	}
	return common.Uptime(d)
}

// compareUptime orders servers by how long they have been up: those not
// running (no uptime) first, then the most recently started.
func (m *Model) compareUptime(a, b int) int {
	up := func(i int) (time.Duration, bool) {
		s := m.servers[i]
		if s.Status != ocp.ServerRunning {
			return 0, false
		}
		return common.Since(m.ctx.Now, s.StartTime)
	}
	da, oka := up(a)
	db, okb := up(b)
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

// Rows turns servers into table rows (exported for the benchmark).
func Rows(th *theme.Theme, servers []ocp.Server) []common.Row {
	rows := make([]common.Row, len(servers))
	for i, s := range servers {
		root := ""
		if s.WithRootserver {
			root = th.Glyphs.RootServer
		}
		rows[i] = common.Row{
			Key:    strconv.FormatInt(s.ID, 10),
			Cells:  []string{colAddress: s.Address(), colSQL: strconv.Itoa(s.SQLPort), colZone: s.ZoneName, colVersion: s.Version, colRoot: root},
			Status: th.Server(s.Status),
		}
	}
	return rows
}

// SetServers replaces the data, as a successful fetch does. A refresh
// that changes nothing shown costs a comparison, not a rebuild.
func (m *Model) SetServers(servers []ocp.Server) {
	same := len(servers) == len(m.servers) && m.list.Table.Len() == len(servers)
	for i := 0; same && i < len(servers); i++ {
		same = sameRow(servers[i], m.servers[i])
	}
	m.servers = servers
	if !same {
		m.list.Table.SetRows(Rows(m.ctx.Theme, servers))
	}
}

// sameRow reports whether a and b draw the same row (uptime is computed
// from m.servers at render time).
func sameRow(a, b ocp.Server) bool {
	return a.ID == b.ID && a.IP == b.IP && a.Port == b.Port && a.SQLPort == b.SQLPort &&
		a.ZoneName == b.ZoneName && a.Status == b.Status && a.Version == b.Version &&
		a.WithRootserver == b.WithRootserver
}

// List exposes the list (for tests and benchmarks).
func (m *Model) List() *common.List { return m.list }

func (m *Model) Init() tea.Cmd { return m.list.Load() }

// Title names the zone, or the cluster whose servers are all listed (the
// breadcrumb after s from the clusters list has no cluster before it).
func (m *Model) Title() string {
	if m.zone == "" {
		return "all servers of " + m.cluster.Name
	}
	return m.zone
}

func (m *Model) SetSize(w, h int) { m.list.SetSize(w, h) }
func (m *Model) View() string     { return m.list.View() }
func (m *Model) Capturing() bool  { return m.list.Typing() }
func (m *Model) selected() (ocp.Server, bool) {
	i := m.list.Table.SelectedIndex()
	if i < 0 || i >= len(m.servers) {
		return ocp.Server{}, false
	}
	return m.servers[i], true
}

func (m *Model) ShortHelp() []key.Binding {
	if m.list.Typing() {
		return m.list.ShortHelp()
	}
	km := m.ctx.Keys
	if s, ok := m.selected(); ok && m.taskRuns(s) {
		return []key.Binding{km.OpenTask, km.Enter, km.Filter, km.Back}
	}
	return []key.Binding{km.Restart, km.Enter, km.Filter, km.Back}
}

// taskRuns reports that a task is known or said to run on s.
func (m *Model) taskRuns(s ocp.Server) bool {
	if busy(s) {
		return true
	}
	_, ok := m.ctx.Names.RunningOn(m.cluster.ID, s)
	return ok
}

func (m *Model) FullHelp() [][]key.Binding {
	km := m.ctx.Keys
	return [][]key.Binding{{km.Enter, km.Restart, km.OpenTask, km.Back}}
}

// NavHelp is the list's moving, filtering and sorting keys.
func (m *Model) NavHelp() []key.Binding { return m.list.NavHelp() }

// HandleMouse selects, scrolls and sorts with the mouse.
func (m *Model) HandleMouse(msg tea.MouseMsg) bool { return m.list.HandleMouse(msg) }

// CopyText is the selected server's ip:port.
func (m *Model) CopyText() (string, bool) {
	s, ok := m.selected()
	return s.Address(), ok
}

func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ListFetchedMsg:
		if msg.ID != m.list.ID {
			return m, nil
		}
		cmd, ok := m.list.Done(msg)
		if ok {
			m.SetServers(msg.Data.([]ocp.Server))
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
			if s, ok := m.selected(); ok {
				return m, common.Push(NewDetail(m.ctx, m.cluster, s))
			}
		case key.Matches(msg, km.Restart):
			if s, ok := m.selected(); ok {
				if refuse := refuseRestart(m.ctx, m.cluster.ID, s, nil); refuse != nil {
					return m, refuse
				}
				return m, OpenRestart(m.ctx, m.cluster, s)
			}
		case key.Matches(msg, km.OpenTask):
			if s, ok := m.selected(); ok {
				return m, openRunning(m.ctx, m.lookup, m.cluster.ID, s)
			}
		}
		return m, nil
	case runningMsg:
		if msg.id != m.lookup {
			return m, nil
		}
		return m, runningDone(msg)
	}
	cmd, _ := m.list.Poll(msg)
	return m, cmd
}

// OpenRestart opens the restart dialog for s, or refuses in --readonly.
func OpenRestart(ctx *common.Context, cluster ocp.Cluster, s ocp.Server) tea.Cmd {
	if ctx.ReadOnly {
		return ctx.Refuse("restart")
	}
	return common.Push(restart.New(ctx, cluster, s))
}
