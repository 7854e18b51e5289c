// Package clusters is the console's first screen: every cluster OCP
// manages. enter opens a cluster's zones, s its servers.
package clusters

import (
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/presence"
	"github.com/obconsole/obconsole/ui/servers"
	"github.com/obconsole/obconsole/ui/store"
	"github.com/obconsole/obconsole/ui/zones"
)

// Column give-way order when narrow (first to go first): VERSION, TYPE,
// ZONES. NAME, STATUS and SERVERS always stay.
const (
	colName = iota
	colType
	colVersion
	colStatus
	colZones
	colServers
)

// Model is the clusters list. It implements common.Screen.
//
// A cluster OCP calls RUNNING may have a server down: each row says so
// after its status ("1 of 6 servers down"). The servers of every cluster
// are a bigger read than the list, so their counts (store.HealthKey) are
// slow uses of the store, read on the root's background tick, not on
// every refresh, and only the counts are kept; until then, and where a
// read fails, the zones' own statuses in the list speak.
type Model struct {
	*common.List[ocp.Cluster]
	ctx    *common.Context
	health map[int64]common.Health // by cluster id, from the last roll-up
}

// Place is the clusters list, for the other operators (presence).
func (m *Model) Place() presence.Place { return presence.Place{Screen: presence.ScreenClusters} }

// New builds the clusters screen.
func New(ctx *common.Context) *Model {
	m := &Model{ctx: ctx, health: map[int64]common.Health{}}
	km := ctx.Keys
	m.List = common.NewList(ctx, m, common.ListSpec[ocp.Cluster]{
		Crumb: "clusters", Noun: "clusters", Heading: "Clusters",
		Columns: []common.Column{
			colName:    {Title: "CLUSTER", Flex: true, MinWidth: 7},
			colType:    {Title: "TYPE", GiveWay: 2},
			colVersion: {Title: "VERSION", MaxWidth: 16, GiveWay: 3},
			colStatus:  {Title: "STATUS", Status: true},
			colZones:   {Title: "ZONES", Right: true, GiveWay: 1},
			colServers: {Title: "SERVERS", Right: true},
		},
		Key: store.ClustersKey(),
		Items: func(st *store.Store, _ store.Key) ([]ocp.Cluster, store.State) {
			return st.Clusters()
		},
		Row:     m.row,
		Keys:    m.keys,
		Short:   func(*ocp.Cluster) []key.Binding { return []key.Binding{km.Enter, km.AllServers, km.Filter} },
		Full:    [][]key.Binding{{km.Enter, km.AllServers}},
		Copy:    func(c *ocp.Cluster) string { return c.Name },
		Extra:   m.rollup,
		Changed: m.rolledUp,
	})
	return m
}

// rollup is the health of every listed cluster, read slowly.
func (m *Model) rollup() []store.Use {
	items := m.Items()
	uses := make([]store.Use, len(items))
	for i, c := range items {
		uses[i] = store.Use{Key: store.HealthKey(c.ID), Slow: true}
	}
	return uses
}

// rolledUp takes one cluster's health. A cluster whose read failed keeps
// its last roll-up.
func (m *Model) rolledUp(msg store.ChangedMsg) (bool, tea.Cmd) {
	if msg.Key.Kind != store.KindHealth || !msg.Changed {
		return false, nil
	}
	h, st := m.ctx.Store.Health(msg.Key.Cluster)
	if !st.Loaded {
		return false, nil
	}
	m.health[msg.Key.Cluster] = common.Health(h)
	return true, nil
}

// note is cluster c's degraded mark: its servers' health when known, else
// its zones' statuses.
func (m *Model) note(c *ocp.Cluster) common.Note {
	if h, ok := m.health[c.ID]; ok {
		if n := h.Note(); n.Text != "" {
			return n
		}
	}
	return common.ZonesNote(c.Zones)
}

func (m *Model) row(_ int, c *ocp.Cluster) common.Row {
	zones := "-"
	if len(c.Zones) > 0 {
		zones = strconv.Itoa(len(c.Zones))
	}
	return common.Row{
		Key: strconv.FormatInt(c.ID, 10),
		Cells: []string{colName: c.Name, colType: string(c.Type), colVersion: c.ObVersion,
			colZones: zones, colServers: strconv.Itoa(c.ServerCount)},
		Status: m.ctx.Theme.Cluster(c.Status),
		Note:   m.note(c),
	}
}

// SetClusters shows clusters as if the store had answered them (tests).
func (m *Model) SetClusters(clusters []ocp.Cluster) { m.Set(clusters) }

func (m *Model) keys(msg tea.KeyMsg, c *ocp.Cluster) tea.Cmd {
	km := m.ctx.Keys
	switch {
	case key.Matches(msg, km.Restart):
		return common.Toast(common.ToastInfo, "restarts are per zone or per server: open a cluster (enter), press r on one")
	case c == nil:
	case key.Matches(msg, km.Enter):
		return common.Push(zones.New(m.ctx, *c))
	case key.Matches(msg, km.AllServers):
		return common.Push(servers.New(m.ctx, *c, ""))
	}
	return nil
}
