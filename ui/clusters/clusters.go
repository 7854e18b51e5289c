// Package clusters is the console's first screen: every cluster OCP
// manages. enter opens a cluster's zones, s its servers.
package clusters

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/servers"
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
// are a bigger read than the list, so they are read on the root's slow
// background tick (common.BackgroundTickMsg), not on every refresh; until
// then, and where a read fails, the zones' own statuses in the list speak.
type Model struct {
	ctx      *common.Context
	list     *common.List
	clusters []ocp.Cluster
	health   map[int64]common.Health // by cluster id, from the last roll-up
	rollupID int64
	rolling  bool // a roll-up is in flight
}

// rollupMsg carries the servers' health of every cluster.
type rollupMsg struct {
	id     int64
	health map[int64]common.Health
	err    error
	at     time.Time
}

// rollupWorkers bounds the concurrent server reads of one roll-up.
const rollupWorkers = 4

// New builds the clusters screen.
func New(ctx *common.Context) *Model {
	cols := []common.Column{
		colName:    {Title: "CLUSTER", Flex: true, MinWidth: 7},
		colType:    {Title: "TYPE", GiveWay: 2},
		colVersion: {Title: "VERSION", MaxWidth: 16, GiveWay: 3},
		colStatus:  {Title: "STATUS", Status: true},
		colZones:   {Title: "ZONES", Right: true, GiveWay: 1},
		colServers: {Title: "SERVERS", Right: true},
	}
	fetch := func(c context.Context) (any, error) { return ctx.Exec.ListClusters(c) }
	return &Model{ctx: ctx, list: common.NewList(ctx, common.NewTable(ctx.Theme, cols), "clusters", "Clusters", fetch),
		rollupID: ctx.NewID()}
}

// rollup reads the servers of every listed cluster and counts those down.
func (m *Model) rollup() tea.Cmd {
	if m.rolling || len(m.clusters) == 0 {
		return nil
	}
	m.rolling = true
	id, exec, base := m.rollupID, m.ctx.Exec, m.ctx.Lifetime
	ids := make([]int64, len(m.clusters))
	for i, c := range m.clusters {
		ids[i] = c.ID
	}
	return func() tea.Msg {
		health := make(map[int64]common.Health, len(ids))
		var mu sync.Mutex
		var firstErr error
		var wg sync.WaitGroup
		work := make(chan int64)
		for w := 0; w < min(rollupWorkers, len(ids)); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for cid := range work {
					servers, err := exec.ListServers(base, cid, "")
					mu.Lock()
					if err != nil && firstErr == nil {
						firstErr = err
					} else if err == nil {
						health[cid] = common.HealthOf(servers)
					}
					mu.Unlock()
				}
			}()
		}
		for _, cid := range ids {
			work <- cid
		}
		close(work)
		wg.Wait()
		return rollupMsg{id: id, health: health, err: firstErr, at: exec.Now()}
	}
}

// note is cluster c's degraded mark: its servers' health when known, else
// its zones' statuses.
func (m *Model) note(c ocp.Cluster) common.Note {
	if h, ok := m.health[c.ID]; ok {
		if n := h.Note(); n.Text != "" {
			return n
		}
	}
	return common.ZonesNote(c.Zones)
}

// SetClusters replaces the data, as a successful fetch does.
func (m *Model) SetClusters(clusters []ocp.Cluster) {
	m.clusters = clusters
	rows := make([]common.Row, len(clusters))
	for i, c := range clusters {
		zones := "-"
		if len(c.Zones) > 0 {
			zones = strconv.Itoa(len(c.Zones))
		}
		rows[i] = common.Row{
			Key: strconv.FormatInt(c.ID, 10),
			Cells: []string{colName: c.Name, colType: string(c.Type), colVersion: c.ObVersion,
				colZones: zones, colServers: strconv.Itoa(c.ServerCount)},
			Status: m.ctx.Theme.Cluster(c.Status),
			Note:   m.note(c),
		}
	}
	m.list.Table.SetRows(rows)
}

func (m *Model) Init() tea.Cmd    { return m.list.Load() }
func (m *Model) Title() string    { return "clusters" }
func (m *Model) SetSize(w, h int) { m.list.SetSize(w, h) }
func (m *Model) View() string     { return m.list.View() }
func (m *Model) Capturing() bool  { return m.list.Typing() }

// NavHelp is the list's moving, filtering and sorting keys.
func (m *Model) NavHelp() []key.Binding { return m.list.NavHelp() }

// HandleMouse selects, scrolls and sorts with the mouse.
func (m *Model) HandleMouse(msg tea.MouseMsg) bool { return m.list.HandleMouse(msg) }

// CopyText is the selected cluster's name.
func (m *Model) CopyText() (string, bool) {
	c, ok := m.selected()
	return c.Name, ok
}

func (m *Model) ShortHelp() []key.Binding {
	if m.list.Typing() {
		return m.list.ShortHelp()
	}
	km := m.ctx.Keys
	return []key.Binding{km.Enter, km.AllServers, km.Filter}
}

func (m *Model) FullHelp() [][]key.Binding {
	km := m.ctx.Keys
	return [][]key.Binding{{km.Enter, km.AllServers}}
}

func (m *Model) selected() (ocp.Cluster, bool) {
	i := m.list.Table.SelectedIndex()
	if i < 0 || i >= len(m.clusters) {
		return ocp.Cluster{}, false
	}
	return m.clusters[i], true
}

func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ListFetchedMsg:
		if msg.ID != m.list.ID {
			return m, nil
		}
		cmd, ok := m.list.Done(msg)
		if ok {
			m.SetClusters(msg.Data.([]ocp.Cluster))
		}
		return m, cmd
	case rollupMsg:
		if msg.id != m.rollupID {
			return m, nil
		}
		m.rolling = false
		if msg.err == nil {
			m.health = msg.health
		} else if len(msg.health) > 0 {
			// Keep what was read; a cluster whose read failed keeps its
			// last roll-up.
			if m.health == nil {
				m.health = map[int64]common.Health{}
			}
			for id, h := range msg.health {
				m.health[id] = h
			}
		}
		m.SetClusters(m.clusters)
		return m, common.Fetched(msg.at, msg.err)
	case common.BackgroundTickMsg:
		return m, m.rollup()
	case tea.KeyMsg:
		if m.list.HandleKey(msg) {
			return m, nil
		}
		km := m.ctx.Keys
		switch {
		case key.Matches(msg, km.Enter):
			if c, ok := m.selected(); ok {
				return m, common.Push(zones.New(m.ctx, c))
			}
		case key.Matches(msg, km.AllServers):
			if c, ok := m.selected(); ok {
				return m, common.Push(servers.New(m.ctx, c, ""))
			}
		case key.Matches(msg, km.Restart):
			return m, common.Toast(common.ToastInfo, "restarts are per zone or per server: open a cluster (enter), press r on one")
		}
		return m, nil
	}
	cmd, _ := m.list.Poll(msg)
	return m, cmd
}
