package restart

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/ui/common"
)

// NewZone builds the dialog for a rolling restart of zone of cluster. Its
// Init checks the cluster's other zones (one Cmd listing the cluster's
// zones and servers); until that check has found every other zone fully
// RUNNING a normal restart is refused. Nothing is sent before the operator
// types the zone's name and presses enter.
func NewZone(ctx *common.Context, cluster ocp.Cluster, zone ocp.Zone) *Model {
	z := &zoneSubject{cluster: cluster, zone: zone, servers: zone.Servers}
	return newModel(ctx, z)
}

type checkState int

const (
	checking checkState = iota
	checkFailed
	checked
)

// checkMsg is the answer to a check of the cluster's zones and servers.
type checkMsg struct {
	id      int64
	zones   []ocp.Zone
	servers []ocp.Server
	err     error
	at      time.Time
}

// zoneSubject is one zone of a cluster: its name must always be typed,
// and a normal restart is refused while another zone is degraded.
type zoneSubject struct {
	cluster ocp.Cluster
	zone    ocp.Zone

	checkID  int64 // the check whose answer is awaited
	check    checkState
	checkErr error
	servers  []ocp.Server // this zone's servers, as last listed
	others   []string     // the other zones, all fully RUNNING
	degraded []string     // other zones not fully RUNNING, with why
}

func (z *zoneSubject) crumb() string          { return "restart " + safetext.Line(z.zone.Name) }
func (z *zoneSubject) noun() string           { return "zone " + safetext.Line(z.zone.Name) }
func (z *zoneSubject) what() string           { return "name" }
func (z *zoneSubject) prompt() string         { return "Type the zone's name to confirm: " }
func (z *zoneSubject) yConfirms() bool        { return false }
func (z *zoneSubject) want(force bool) string { return z.zone.Name }

// accepts takes any visible character: zone names are the operator's.
func (z *zoneSubject) accepts(r rune) bool { return unicode.IsPrint(r) && !unicode.IsSpace(r) }

func (z *zoneSubject) label(force bool) string {
	if force {
		return "Force restart zone"
	}
	return "Restart zone"
}

func (z *zoneSubject) conflictHint() string {
	return "Another task is running on a server of this zone: press t for the task list after closing."
}

func (z *zoneSubject) blocked(force bool) string {
	if force {
		return ""
	}
	switch {
	case z.check == checking:
		return "Still checking the other zones; confirm again in a moment."
	case z.check == checkFailed:
		return "The other zones could not be checked: ctrl+r checks again, f forces without the check."
	case len(z.degraded) > 0:
		return "Refused while another zone is not fully RUNNING; f forces."
	}
	return ""
}

func (z *zoneSubject) init(m *Model) tea.Cmd { return z.startCheck(m) }

// startCheck lists the cluster's zones and servers in a Cmd.
func (z *zoneSubject) startCheck(m *Model) tea.Cmd {
	z.checkID = m.ctx.NewID()
	z.check, z.checkErr = checking, nil
	id, exec, base, clusterID := z.checkID, m.ctx.Exec, m.ctx.Lifetime, z.cluster.ID
	return func() tea.Msg {
		zones, err := exec.ListZones(base, clusterID)
		var servers []ocp.Server
		if err == nil {
			servers, err = exec.ListServers(base, clusterID, "")
		}
		return checkMsg{id: id, zones: zones, servers: servers, err: err, at: exec.Now()}
	}
}

func (z *zoneSubject) update(m *Model, msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case checkMsg:
		if msg.id != z.checkID {
			return nil, true
		}
		z.checkID = 0
		if msg.err != nil {
			z.check, z.checkErr = checkFailed, msg.err
		} else {
			z.check = checked
			z.judge(msg.zones, msg.servers)
		}
		return common.Fetched(msg.at, msg.err), true
	case common.RefreshMsg:
		if m.state != editing {
			return nil, true
		}
		return z.startCheck(m), true
	}
	return nil, false
}

// judge sorts the cluster's other zones into fully RUNNING ones and the
// rest, and takes this zone's fresh status and servers.
func (z *zoneSubject) judge(zones []ocp.Zone, servers []ocp.Server) {
	byZone := map[string][]ocp.Server{}
	var names []string
	for _, zn := range zones {
		names = append(names, zn.Name)
	}
	for _, s := range servers {
		if _, ok := byZone[s.ZoneName]; !ok && !slices.Contains(names, s.ZoneName) {
			names = append(names, s.ZoneName)
		}
		byZone[s.ZoneName] = append(byZone[s.ZoneName], s)
	}
	z.others, z.degraded = nil, nil
	for _, name := range names {
		var status ocp.ZoneStatus = ocp.ServerRunning
		for _, zn := range zones {
			if zn.Name == name {
				status = zn.Status
				if name == z.zone.Name {
					z.zone.Status = zn.Status
				}
			}
		}
		if name == z.zone.Name {
			z.servers = byZone[name]
			continue
		}
		var why []string
		if status != ocp.ServerRunning {
			why = append(why, "zone "+safetext.Line(string(status)))
		}
		var bad []string
		for _, s := range byZone[name] {
			if s.Status != ocp.ServerRunning {
				bad = append(bad, safetext.Line(s.Address())+" "+safetext.Line(string(s.Status)))
			}
		}
		if len(bad) > 2 {
			bad = append(bad[:1], "+"+strconv.Itoa(len(bad)-1)+" more servers")
		}
		why = append(why, bad...)
		if len(why) == 0 {
			z.others = append(z.others, safetext.Line(name))
			continue
		}
		z.degraded = append(z.degraded, safetext.Line(name)+" ("+strings.Join(why, "; ")+")")
	}
}

func (z *zoneSubject) fields(m *Model, compact bool) []string {
	th := m.ctx.Theme
	where := safetext.Line(z.zone.RegionName)
	if z.zone.IDCName != "" {
		if where != "" {
			where += ", "
		}
		where += "IDC " + safetext.Line(z.zone.IDCName)
	}
	if where == "" {
		where = "-"
	}
	lines := []string{
		m.field("cluster", clusterName(z.cluster)),
		m.field("zone", safetext.Line(z.zone.Name)),
		m.field("region", where),
		m.field("status", th.Render(th.Zone(z.zone.Status))),
	}
	// The zone's servers, those not RUNNING first, cut to a few lines.
	servers := slices.Clone(z.servers)
	slices.SortStableFunc(servers, func(a, b ocp.Server) int {
		return boolInt(a.Status == ocp.ServerRunning) - boolInt(b.Status == ocp.ServerRunning)
	})
	limit := 3
	if compact {
		limit = 2
	}
	label := "servers"
	if len(servers) == 0 {
		count := z.zone.ServerCount
		text := "none listed"
		switch {
		case z.check == checking && count > 0:
			text = strconv.Itoa(count) + ", listing" + th.Glyphs.Ellipsis
		case z.check == checking:
			text = "listing" + th.Glyphs.Ellipsis
		case count > 0:
			text = strconv.Itoa(count) + " (not listed)"
		}
		return append(lines, m.field(label, text))
	}
	width := 0
	for _, s := range servers {
		width = max(width, ansi.StringWidth(safetext.Line(s.Address())))
	}
	shown := servers
	if len(servers) > limit {
		shown = servers[:limit-1]
	}
	for _, s := range shown {
		addr := safetext.Line(s.Address())
		pad := strings.Repeat(" ", max(width-ansi.StringWidth(addr), 0))
		lines = append(lines, m.field(label, addr+pad+"  "+th.Render(th.Server(s.Status))))
		label = ""
	}
	if len(shown) < len(servers) {
		lines = append(lines, m.field(label, fmt.Sprintf("+%d more (%d in all)", len(servers)-len(shown), len(servers))))
	}
	return lines
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (z *zoneSubject) explain(m *Model, wrap func(lipgloss.Style, string) string) []string {
	st := &m.ctx.Theme.Styles
	ell := m.ctx.Theme.Glyphs.Ellipsis
	name, cluster := safetext.Line(z.zone.Name), safetext.Line(z.cluster.Name)
	// At most two degraded zones are named, so the buttons stay on screen.
	shown := z.degraded
	if len(shown) > 2 {
		shown = append(slices.Clone(shown[:2]), fmt.Sprintf("%d more zones", len(z.degraded)-2))
	}
	degraded := strings.Join(shown, ", ")
	isAre, it := "is", "it"
	if len(z.degraded) > 1 {
		isAre, it = "are", "them"
	}
	var out []string
	if m.force {
		out = append(out, wrap(st.Error, "Force kills the observers of "+name+" directly, without a graceful stop "+
			"(leaders are not moved away first): service in "+name+" is interrupted, and "+cluster+
			" relies on its other zones until they are back."))
		switch {
		case z.check == checking:
			out = append(out, wrap(st.Muted, "Checking the other zones"+ell))
		case z.check == checkFailed:
			out = append(out, wrap(st.Warning, "The other zones could not be checked: "+m.ctx.ErrorText(z.checkErr)))
		case len(z.degraded) > 0:
			out = append(out, wrap(st.Warning, "Not fully RUNNING: "+degraded+". With "+name+
				" down too, "+cluster+" may lose its majority."))
		}
		return out
	}
	switch {
	case z.check == checking:
		return []string{wrap(st.Muted, "Checking the other zones of "+cluster+ell)}
	case z.check == checkFailed:
		return []string{wrap(st.Error, "Could not check the other zones of "+cluster+": "+m.ctx.ErrorText(z.checkErr)+
			". A normal restart is refused until they are checked: ctrl+r checks again; f forces.")}
	case len(z.degraded) > 0:
		return []string{wrap(st.Error, "Refused: "+degraded+" "+isAre+" not fully RUNNING. Restarting "+name+
			" now would leave too few zones serving. Bring "+it+" back first, or press f to force.")}
	}
	out = append(out, wrap(st.Muted, "Rolling zone restart: a pre-check runs, "+name+" is stopped gracefully "+
		"(leaders move to the other zones), then its servers restart in parallel."))
	if len(z.others) > 0 {
		out = append(out, wrap(st.OK, "Fully RUNNING: "+strings.Join(z.others, ", ")+"."))
	}
	return out
}

func (z *zoneSubject) request(m *Model, force bool) func() (started, error) {
	exec, base := m.ctx.Exec, m.ctx.Lifetime
	clusterID, name := z.cluster.ID, z.zone.Name
	return func() (started, error) {
		task, err := exec.RestartZone(base, clusterID, name, backend.RestartOptions{Force: force})
		return taskStarted(task, err, "restart zone")
	}
}
