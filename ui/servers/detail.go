package servers

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/presence"
	"github.com/obconsole/obconsole/ui/store"
)

// Detail shows one server; it refreshes while shown (its zone's server
// list in the store and, while a task is said to run on it, the cluster's
// running tasks). It implements common.Screen.
type Detail struct {
	ctx     *common.Context
	cluster ocp.Cluster
	server  ocp.Server
	gone    bool // the last refresh no longer listed it
	running *ocp.Task
	looked  bool // the cluster's running tasks were read while it is said to run one
	err     error
	look    lookup
	width   int
	height  int
}

// Place is the server's zone, for the other operators (presence).
func (d *Detail) Place() presence.Place {
	return presence.Place{Screen: presence.ScreenServers, ClusterID: d.cluster.ID, Cluster: d.cluster.Name, Zone: d.server.ZoneName}
}

// NewDetail shows server s of cluster, starting from the data the list had.
func NewDetail(ctx *common.Context, cluster ocp.Cluster, s ocp.Server) *Detail {
	d := &Detail{ctx: ctx, cluster: cluster, server: s}
	d.sync()
	return d
}

func (d *Detail) Init() tea.Cmd             { return nil }
func (d *Detail) Title() string             { return d.server.Address() }
func (d *Detail) SetSize(width, height int) { d.width, d.height = width, height }
func (d *Detail) Capturing() bool           { return false }

// serversKey is the entry the server is read from: its zone's servers.
func (d *Detail) serversKey() store.Key { return store.ServersKey(d.cluster.ID, d.server.ZoneName) }

// Uses is the server's zone's servers and, only while a task is said to
// run on the server, the cluster's running tasks: one more read.
func (d *Detail) Uses() store.Uses {
	uses := []store.Use{{Key: d.serversKey(), Every: 1}}
	if _, known := d.ctx.Names.RunningOn(d.cluster.ID, d.server); known || busy(d.server) {
		uses = append(uses, store.Use{Key: runningKey(d.cluster.ID), Every: 1})
	}
	return store.Uses{List: append(uses, d.look.uses(d.cluster.ID)...)}
}

func (d *Detail) ShortHelp() []key.Binding {
	km := d.ctx.Keys
	if d.taskRuns() {
		return []key.Binding{km.OpenTask, km.Back}
	}
	return []key.Binding{km.Restart, km.Back}
}

func (d *Detail) FullHelp() [][]key.Binding {
	km := d.ctx.Keys
	return [][]key.Binding{{km.Restart, km.OpenTask, km.Back}}
}

// taskRuns reports that a task runs on the server, as last refreshed.
func (d *Detail) taskRuns() bool { return d.running != nil || busy(d.server) }

// CopyText is the server's ip:port.
func (d *Detail) CopyText() (string, bool) { return d.server.Address(), true }

// sync takes the server and the task running on it from the store.
func (d *Detail) sync() {
	servers, st := d.ctx.Store.Servers(d.cluster.ID, d.server.ZoneName)
	d.err = st.Err
	if st.Loaded && st.Err == nil {
		d.gone = true
		for _, s := range servers {
			if s.ID == d.server.ID {
				d.server, d.gone = s, false
			}
		}
	}
	d.running, d.looked = nil, false
	if d.Uses().Has(runningKey(d.cluster.ID)) {
		tasks, tst := d.ctx.Store.Tasks(runningKey(d.cluster.ID).Query)
		if tst.Loaded {
			d.looked = true
			d.running = findRunning(tasks, d.ctx.Names, d.cluster.ID, d.server)
		}
	}
}

func (d *Detail) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case store.ChangedMsg:
		cmd := d.look.done(d.ctx, d.cluster.ID, msg)
		d.sync()
		if msg.Failed && msg.Key == d.serversKey() {
			cmd = tea.Batch(cmd, common.Toast(common.ToastError, "refresh failed, showing the last data: %s", common.ErrorText(msg.State.Err)))
		}
		return d, cmd
	case common.ShownMsg:
		d.sync()
	case tea.KeyMsg:
		km := d.ctx.Keys
		switch {
		case key.Matches(msg, km.Back):
			return d, common.Pop()
		case key.Matches(msg, km.Restart):
			var known *common.TaskInfo
			if d.running != nil {
				known = &common.TaskInfo{ID: d.running.ID, Name: d.running.Name}
			}
			if refuse := refuseRestart(d.ctx, d.cluster.ID, d.server, known); refuse != nil {
				return d, refuse
			}
			return d, OpenRestart(d.ctx, d.cluster, d.server)
		case key.Matches(msg, km.OpenTask):
			if d.running != nil {
				return d, common.OpenTask(d.running.ID, false)
			}
			return d, d.look.start(d.ctx, d.cluster.ID, d.server)
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
	// The task running on the server right under its status: it is what
	// the operator needs first, on the smallest terminal too.
	okey := d.ctx.Keys.OpenTask.Help().Key
	switch {
	case d.running != nil:
		t := d.running
		task := fmt.Sprintf("%d %s %s", t.ID, line(orTask(t.Name)), th.Render(common.TaskShown(th, t)))
		if el, ok := t.Elapsed(d.ctx.Now); ok {
			task += " " + common.Elapsed(el)
		}
		field("task", task+st.Muted.Render(" ("+okey+" opens it)"))
	case busy(s) && d.looked:
		field("task", st.Muted.Render("none found running on it; "+okey+" looks again"))
	}
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
	switch {
	case d.running != nil:
		lines = append(lines, "", st.Warning.Render("  A task is running on this server: press "+okey+" to open it in the Task view."))
	case busy(s):
		lines = append(lines, "", st.Warning.Render("  An operation is under way on this server: press "+okey+" to find its task."))
	case !d.ctx.ReadOnly:
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
