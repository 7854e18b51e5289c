// Package zones lists the zones of one cluster; enter opens a zone's
// servers, s the whole cluster's servers, r the zone restart dialog.
package zones

import (
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/presence"
	"github.com/obconsole/obconsole/ui/restart"
	"github.com/obconsole/obconsole/ui/servers"
	"github.com/obconsole/obconsole/ui/store"
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
	*common.List[ocp.Zone]
	ctx     *common.Context
	cluster ocp.Cluster
}

// Place is the cluster's zones, for the other operators (presence).
func (m *Model) Place() presence.Place {
	return presence.Place{Screen: presence.ScreenZones, ClusterID: m.cluster.ID, Cluster: m.cluster.Name}
}

// New lists the zones of cluster. The store reads them with their
// servers, for each zone's health.
func New(ctx *common.Context, cluster ocp.Cluster) *Model {
	m := &Model{ctx: ctx, cluster: cluster}
	km := ctx.Keys
	m.List = common.NewList(ctx, m, common.ListSpec[ocp.Zone]{
		Crumb: cluster.Name, Noun: "zones", Heading: "Zones of " + cluster.Name, Back: true,
		Columns: []common.Column{
			colName:    {Title: "ZONE", Flex: true, MinWidth: 6},
			colRegion:  {Title: "REGION", MaxWidth: 20, GiveWay: 2},
			colIDC:     {Title: "IDC", MaxWidth: 20, GiveWay: 3},
			colStatus:  {Title: "STATUS", Status: true},
			colServers: {Title: "SERVERS", Right: true, GiveWay: 1},
		},
		Key:   store.ZonesKey(cluster.ID),
		Items: func(st *store.Store, k store.Key) ([]ocp.Zone, store.State) { return st.Zones(k.Cluster) },
		Row:   m.row,
		Keys:  m.keys,
		Short: func(*ocp.Zone) []key.Binding {
			return []key.Binding{km.Enter, m.restartKey(), km.AllServers, km.Filter, km.Back}
		},
		Full: [][]key.Binding{{km.Enter, m.restartKey(), km.AllServers, km.Back}},
		Copy: func(z *ocp.Zone) string { return z.Name },
	})
	return m
}

// row is a zone. A zone whose servers are not all RUNNING says so after
// its status ("1 of 2 servers down"): OCP may call the zone RUNNING all
// the same.
func (m *Model) row(_ int, z *ocp.Zone) common.Row {
	count := z.ServerCount
	if count == 0 {
		count = len(z.Servers)
	}
	return common.Row{
		Key:    z.Name,
		Cells:  []string{colName: z.Name, colRegion: z.RegionName, colIDC: z.IDCName, colServers: strconv.Itoa(count)},
		Status: m.ctx.Theme.Zone(z.Status),
		Note:   common.HealthOf(z.Servers).Note(),
	}
}

// restartKey is the keymap's restart key, described for a zone.
func (m *Model) restartKey() key.Binding {
	r := m.ctx.Keys.Restart
	return key.NewBinding(key.WithKeys(r.Keys()...), key.WithHelp(r.Help().Key, "restart zone"))
}

func (m *Model) keys(msg tea.KeyMsg, z *ocp.Zone) tea.Cmd {
	km := m.ctx.Keys
	switch {
	case key.Matches(msg, km.AllServers):
		return common.Push(servers.New(m.ctx, m.cluster, ""))
	case z == nil:
	case key.Matches(msg, km.Enter):
		return common.Push(servers.New(m.ctx, m.cluster, z.Name))
	case key.Matches(msg, km.Restart):
		return OpenRestart(m.ctx, m.cluster, *z)
	}
	return nil
}

// OpenRestart opens the zone restart dialog for z, or refuses in
// --readonly.
func OpenRestart(ctx *common.Context, cluster ocp.Cluster, z ocp.Zone) tea.Cmd {
	if ctx.ReadOnly {
		return ctx.Refuse("restart")
	}
	return common.Push(restart.NewZone(ctx, cluster, z))
}

// SetZones shows zones as if the store had answered them (tests).
func (m *Model) SetZones(zones []ocp.Zone) { m.Set(zones) }
