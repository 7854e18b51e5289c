// Package zones lists the zones of one cluster; enter opens a zone's
// servers, s the whole cluster's servers, r the zone restart dialog.
package zones

import (
	"context"
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/restart"
	"github.com/obconsole/obconsole/ui/servers"
)

// Column give-way order when narrow (first to go first): IDC, REGION,
// SERVERS. NAME and STATUS always stay.
const (
	colName = iota
	colRegion
	colIDC
	colStatus
	colServers
)

// Model is the zones list of a cluster. It implements common.Screen.
type Model struct {
	ctx     *common.Context
	cluster ocp.Cluster
	list    *common.List
	zones   []ocp.Zone
}

// New lists the zones of cluster.
func New(ctx *common.Context, cluster ocp.Cluster) *Model {
	cols := []common.Column{
		colName:    {Title: "ZONE", Flex: true, MinWidth: 6},
		colRegion:  {Title: "REGION", MaxWidth: 20, GiveWay: 2},
		colIDC:     {Title: "IDC", MaxWidth: 20, GiveWay: 3},
		colStatus:  {Title: "STATUS", Status: true},
		colServers: {Title: "SERVERS", Right: true, GiveWay: 1},
	}
	id := cluster.ID
	fetch := func(c context.Context) (any, error) { return fetchZones(c, ctx.Exec, id) }
	m := &Model{ctx: ctx, cluster: cluster}
	m.list = common.NewList(ctx, common.NewTable(ctx.Theme, cols), "zones", "Zones of "+cluster.Name, fetch)
	return m
}

// fetchZones lists a cluster's zones with their servers: OCP's zone list
// carries them; where a build leaves them out, one list of the cluster's
// servers fills them in, for the zones' health.
func fetchZones(c context.Context, exec backend.Executor, clusterID int64) ([]ocp.Zone, error) {
	zones, err := exec.ListZones(c, clusterID)
	if err != nil {
		return nil, err
	}
	missing := false
	for _, z := range zones {
		missing = missing || (len(z.Servers) == 0 && z.ServerCount > 0)
	}
	if !missing {
		return zones, nil
	}
	servers, err := exec.ListServers(c, clusterID, "")
	if err != nil {
		return nil, err
	}
	for i := range zones {
		if len(zones[i].Servers) > 0 {
			continue
		}
		for _, s := range servers {
			if s.ZoneName == zones[i].Name {
				zones[i].Servers = append(zones[i].Servers, s)
			}
		}
	}
	return zones, nil
}

// SetZones replaces the data, as a successful fetch does. A zone whose
// servers are not all RUNNING says so after its status ("1 of 2 servers
// down"): OCP may call the zone RUNNING all the same.
func (m *Model) SetZones(zones []ocp.Zone) {
	m.zones = zones
	rows := make([]common.Row, len(zones))
	for i, z := range zones {
		count := z.ServerCount
		if count == 0 {
			count = len(z.Servers)
		}
		rows[i] = common.Row{
			Key:    z.Name,
			Cells:  []string{colName: z.Name, colRegion: z.RegionName, colIDC: z.IDCName, colServers: strconv.Itoa(count)},
			Status: m.ctx.Theme.Zone(z.Status),
			Note:   common.HealthOf(z.Servers).Note(),
		}
	}
	m.list.Table.SetRows(rows)
}

func (m *Model) Init() tea.Cmd    { return m.list.Load() }
func (m *Model) Title() string    { return m.cluster.Name }
func (m *Model) SetSize(w, h int) { m.list.SetSize(w, h) }
func (m *Model) View() string     { return m.list.View() }
func (m *Model) Capturing() bool  { return m.list.Typing() }

// NavHelp is the list's moving, filtering and sorting keys.
func (m *Model) NavHelp() []key.Binding { return m.list.NavHelp() }

// HandleMouse selects, scrolls and sorts with the mouse.
func (m *Model) HandleMouse(msg tea.MouseMsg) bool { return m.list.HandleMouse(msg) }

// CopyText is the selected zone's name.
func (m *Model) CopyText() (string, bool) {
	if i := m.list.Table.SelectedIndex(); i >= 0 && i < len(m.zones) {
		return m.zones[i].Name, true
	}
	return "", false
}

func (m *Model) ShortHelp() []key.Binding {
	if m.list.Typing() {
		return m.list.ShortHelp()
	}
	km := m.ctx.Keys
	return []key.Binding{km.Enter, m.restartKey(), km.AllServers, km.Filter, km.Back}
}

// restartKey is the keymap's restart key, described for a zone.
func (m *Model) restartKey() key.Binding {
	r := m.ctx.Keys.Restart
	return key.NewBinding(key.WithKeys(r.Keys()...), key.WithHelp(r.Help().Key, "restart zone"))
}

func (m *Model) FullHelp() [][]key.Binding {
	km := m.ctx.Keys
	return [][]key.Binding{{km.Enter, m.restartKey(), km.AllServers, km.Back}}
}

func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ListFetchedMsg:
		if msg.ID != m.list.ID {
			return m, nil
		}
		cmd, ok := m.list.Done(msg)
		if ok {
			m.SetZones(msg.Data.([]ocp.Zone))
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
			if i := m.list.Table.SelectedIndex(); i >= 0 && i < len(m.zones) {
				return m, common.Push(servers.New(m.ctx, m.cluster, m.zones[i].Name))
			}
		case key.Matches(msg, km.AllServers):
			return m, common.Push(servers.New(m.ctx, m.cluster, ""))
		case key.Matches(msg, km.Restart):
			if i := m.list.Table.SelectedIndex(); i >= 0 && i < len(m.zones) {
				return m, OpenRestart(m.ctx, m.cluster, m.zones[i])
			}
		}
		return m, nil
	}
	cmd, _ := m.list.Poll(msg)
	return m, cmd
}

// OpenRestart opens the zone restart dialog for z, or refuses in
// --readonly.
func OpenRestart(ctx *common.Context, cluster ocp.Cluster, z ocp.Zone) tea.Cmd {
	if ctx.ReadOnly {
		return ctx.Refuse("restart")
	}
	return common.Push(restart.NewZone(ctx, cluster, z))
}
