// Package servers lists the OBServers of a zone, or of a whole cluster,
// and shows one server in detail. `r` opens the restart dialog.
package servers

import (
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/presence"
	"github.com/obconsole/obconsole/ui/restart"
	"github.com/obconsole/obconsole/ui/store"
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

// Model is a servers list. It implements common.Screen. Its items are the
// store's own answer (never copied): a row costs what it draws.
type Model struct {
	*common.List[ocp.Server]
	ctx     *common.Context
	cluster ocp.Cluster
	zone    string // "" for every server of the cluster
	look    lookup // o looking up the task running on a server
}

// Place is the servers of the cluster or zone, for the other operators
// (presence).
func (m *Model) Place() presence.Place {
	return presence.Place{Screen: presence.ScreenServers, ClusterID: m.cluster.ID, Cluster: m.cluster.Name, Zone: m.zone}
}

// New lists the servers of zone in cluster, or all of the cluster's
// servers when zone is "".
func New(ctx *common.Context, cluster ocp.Cluster, zone string) *Model {
	m := &Model{ctx: ctx, cluster: cluster, zone: zone}
	heading, crumb := "Servers of "+zone+" in "+cluster.Name, zone
	if zone == "" {
		// The breadcrumb after s from the clusters list has no cluster
		// before it: it names the cluster.
		heading, crumb = "All servers of "+cluster.Name, "all servers of "+cluster.Name
	}
	km := ctx.Keys
	th := ctx.Theme
	m.List = common.NewList(ctx, m, common.ListSpec[ocp.Server]{
		Crumb: crumb, Noun: "servers", Heading: heading, Back: true,
		Columns: []common.Column{
			// An IPv4 address with its port (at most 21 columns) is never
			// cut in the middle, where rows would read alike: the other
			// columns give way first. Longer text (IPv6, garbage) may still
			// be squeezed.
			colAddress: {Title: "ADDRESS", Flex: true, MinWidth: 12, Keep: len("255.255.255.255:65535")},
			colSQL:     {Title: "SQL", Right: true, GiveWay: 4},
			colZone:    {Title: "ZONE", MaxWidth: 16, GiveWay: 2},
			colStatus:  {Title: "STATUS", Status: true},
			colVersion: {Title: "VERSION", MaxWidth: 14, GiveWay: 5},
			colRoot:    {Title: "ROOT", GiveWay: 1},
			colUptime:  {Title: "UPTIME", Right: true, MinWidth: 6, GiveWay: 3, Dynamic: m.uptime, Compare: common.ByDuration(m.up)},
		},
		Key:   store.ServersKey(cluster.ID, zone),
		Items: func(st *store.Store, k store.Key) ([]ocp.Server, store.State) { return st.Servers(k.Cluster, k.Zone) },
		Row:   func(_ int, s *ocp.Server) common.Row { return Row(th, s) },
		Keys:  m.keys,
		Short: func(s *ocp.Server) []key.Binding {
			if s != nil && taskRuns(ctx, cluster.ID, *s) {
				return []key.Binding{km.OpenTask, km.Enter, km.Filter, km.Back}
			}
			return []key.Binding{km.Restart, km.Enter, km.Filter, km.Back}
		},
		Full:    [][]key.Binding{{km.Enter, km.Restart, km.OpenTask, km.Back}},
		Copy:    func(s *ocp.Server) string { return s.Address() },
		Extra:   func() []store.Use { return m.look.uses(cluster.ID) },
		Changed: func(msg store.ChangedMsg) (bool, tea.Cmd) { return false, m.look.done(ctx, cluster.ID, msg) },
	})
	return m
}

// uptime is how long server i has been up, "-" when it is not running;
// sorted, those not running come first, then the most recently started.
func (m *Model) uptime(i int) string {
	d, ok := m.up(i)
	if !ok {
		return "-"
	}
	return common.Uptime(d)
}

// up is how long server i has been up; false when it is not running.
func (m *Model) up(i int) (time.Duration, bool) {
	s := &m.Items()[i]
	if s.Status != ocp.ServerRunning {
		return 0, false
	}
	return common.Since(m.ctx.Now, s.StartTime)
}

// Row is a server's row (exported for the benchmark).
func Row(th *theme.Theme, s *ocp.Server) common.Row {
	root := ""
	if s.WithRootserver {
		root = th.Glyphs.RootServer
	}
	return common.Row{
		Key:    strconv.FormatInt(s.ID, 10),
		Cells:  []string{colAddress: s.Address(), colSQL: strconv.Itoa(s.SQLPort), colZone: s.ZoneName, colVersion: s.Version, colRoot: root},
		Status: th.Server(s.Status),
	}
}

// SetServers shows servers as if the store had answered them (tests,
// benchmarks).
func (m *Model) SetServers(servers []ocp.Server) { m.Set(servers) }

// taskRuns reports that a task is known or said to run on s.
func taskRuns(ctx *common.Context, clusterID int64, s ocp.Server) bool {
	if busy(s) {
		return true
	}
	_, ok := ctx.Names.RunningOn(clusterID, s)
	return ok
}

func (m *Model) keys(msg tea.KeyMsg, s *ocp.Server) tea.Cmd {
	if s == nil {
		return nil
	}
	km := m.ctx.Keys
	switch {
	case key.Matches(msg, km.Enter):
		return common.Push(NewDetail(m.ctx, m.cluster, *s))
	case key.Matches(msg, km.Restart):
		if refuse := refuseRestart(m.ctx, m.cluster.ID, *s, nil); refuse != nil {
			return refuse
		}
		return OpenRestart(m.ctx, m.cluster, *s)
	case key.Matches(msg, km.OpenTask):
		return m.look.start(m.ctx, m.cluster.ID, *s)
	}
	return nil
}

// OpenRestart opens the restart dialog for s, or refuses in --readonly.
func OpenRestart(ctx *common.Context, cluster ocp.Cluster, s ocp.Server) tea.Cmd {
	if ctx.ReadOnly {
		return ctx.Refuse("restart")
	}
	return common.Push(restart.New(ctx, cluster, s))
}
