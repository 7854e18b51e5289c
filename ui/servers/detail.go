package servers

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common"
)

// fetchedMsg carries a detail screen's refresh.
type fetchedMsg struct {
	id      int64
	servers []ocp.Server
	err     error
	at      ocp.Time
}

// Detail shows one server; it refreshes while shown. It implements
// common.Screen.
type Detail struct {
	ctx      *common.Context
	id       int64
	cluster  ocp.Cluster
	server   ocp.Server
	gone     bool // the last refresh no longer listed it
	err      error
	inflight bool
	width    int
	height   int
}

// NewDetail shows server s of cluster, starting from the data the list had.
func NewDetail(ctx *common.Context, cluster ocp.Cluster, s ocp.Server) *Detail {
	return &Detail{ctx: ctx, id: ctx.NewID(), cluster: cluster, server: s}
}

func (d *Detail) Init() tea.Cmd             { return nil }
func (d *Detail) Title() string             { return d.server.Address() }
func (d *Detail) SetSize(width, height int) { d.width, d.height = width, height }
func (d *Detail) Capturing() bool           { return false }

func (d *Detail) ShortHelp() []key.Binding {
	km := d.ctx.Keys
	return []key.Binding{km.Restart, km.Back}
}

func (d *Detail) FullHelp() [][]key.Binding {
	km := d.ctx.Keys
	return [][]key.Binding{{km.Restart, km.Back}}
}

func (d *Detail) load() tea.Cmd {
	if d.inflight {
		return nil
	}
	d.inflight = true
	id, exec, base := d.id, d.ctx.Exec, d.ctx.Lifetime
	clusterID, zone := d.cluster.ID, d.server.ZoneName
	return func() tea.Msg {
		servers, err := exec.ListServers(base, clusterID, zone)
		return fetchedMsg{id: id, servers: servers, err: err, at: ocp.NewTime(exec.Now())}
	}
}

func (d *Detail) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case common.TickMsg, common.ShownMsg, common.RefreshMsg:
		return d, d.load()
	case fetchedMsg:
		if msg.id != d.id {
			return d, nil
		}
		d.inflight = false
		cmds := []tea.Cmd{common.Fetched(msg.at.Time, msg.err)}
		if msg.err != nil {
			if d.err == nil && !common.Denied(msg.err) {
				cmds = append(cmds, common.Toast(common.ToastError, "refresh failed, showing the last data: %s", common.ErrorText(msg.err)))
			}
			d.err = msg.err
			return d, tea.Batch(cmds...)
		}
		d.err = nil
		d.gone = true
		for _, s := range msg.servers {
			if s.ID == d.server.ID {
				d.server, d.gone = s, false
			}
		}
		return d, tea.Batch(cmds...)
	case tea.KeyMsg:
		km := d.ctx.Keys
		switch {
		case key.Matches(msg, km.Back):
			return d, common.Pop()
		case key.Matches(msg, km.Restart):
			return d, OpenRestart(d.ctx, d.cluster, d.server)
		}
	}
	return d, nil
}

func (d *Detail) View() string {
	if d.width <= 0 || d.height <= 0 {
		return ""
	}
	th := d.ctx.Theme
	st := &th.Styles
	s := d.server
	line := d.ctx.Line // every value below came from OCP
	right := ""
	if d.err != nil {
		right = st.BadgeWarn.Render("STALE")
	}
	lines := []string{common.JoinEnds(st.Title.Render("Server "+line(s.Address())), right, d.width)}
	field := func(name, value string) {
		lines = append(lines, "  "+st.Muted.Render(fmt.Sprintf("%-9s ", name))+value)
	}
	field("status", th.Render(th.Server(s.Status)))
	cluster := line(d.cluster.Name)
	if d.cluster.Type != "" {
		cluster += " (" + line(string(d.cluster.Type)) + ")"
	}
	field("cluster", cluster)
	zone := line(s.ZoneName)
	var where []string
	if s.RegionName != "" {
		where = append(where, "region "+line(s.RegionName))
	}
	if s.IDCName != "" {
		where = append(where, "IDC "+line(s.IDCName))
	}
	if len(where) > 0 {
		zone += " (" + strings.Join(where, ", ") + ")"
	}
	field("zone", zone)
	field("ports", fmt.Sprintf("rpc %d, sql %d", s.Port, s.SQLPort))
	field("version", orDash(line(s.Version)))
	role := "observer, no root service"
	if s.WithRootserver {
		role = th.Glyphs.RootServer + " root server (holds a root service replica)"
	}
	field("role", role)
	started := common.Stamp(s.StartTime)
	if up, ok := common.Since(d.ctx.Now, s.StartTime); ok && s.Status == ocp.ServerRunning {
		started += " (up " + common.Uptime(up) + ")"
	}
	field("started", started)
	if s.InnerStatus != "" {
		field("inner", line(s.InnerStatus))
	}
	field("id", fmt.Sprintf("%d", s.ID))
	if d.gone {
		lines = append(lines, "", st.Warning.Render("  This server is no longer listed in its zone."))
	}
	if d.err != nil {
		lines = append(lines, "", st.Error.Render("  Refresh failed: "+d.ctx.ErrorText(d.err)))
	}
	if !d.ctx.ReadOnly {
		lines = append(lines, "", st.Muted.Render("  Press r to restart this server (you will be asked to confirm)."))
	}
	return common.Fit(strings.Join(lines, "\n"), d.width, d.height)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
