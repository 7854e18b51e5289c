package restart

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/presence"
	"github.com/obconsole/obconsole/ui/store"
)

// NewZone builds the dialog for a rolling restart of zone of cluster. Its
// Init checks the cluster (zones, servers, running tasks); until that
// check has found every other zone fully RUNNING a normal restart is
// refused. Nothing is sent before the operator types the zone's name and
// presses enter.
func NewZone(ctx *common.Context, cluster ocp.Cluster, zone ocp.Zone) *Model {
	return newModel(ctx, &zoneSubject{cl: cluster, zone: zone, servers: zone.Servers})
}

// zoneSubject is one zone of a cluster: its name must always be typed,
// and a normal restart is refused while another zone does not serve (the
// pre-check's rule, ocp.RestartImpact.PrecheckRefuses).
type zoneSubject struct {
	cl      ocp.Cluster
	zone    ocp.Zone
	servers []ocp.Server // this zone's servers, as last listed
}

func (z *zoneSubject) traits() traits {
	name := "zone " + safetext.Line(z.zone.Name)
	return traits{crumb: "restart " + safetext.Line(z.zone.Name), noun: name, short: name, here: name,
		whatLong: "a zone name", prompt: "Type the zone's name to confirm: ", promptShort: "name: ",
		labels: [4]string{"Restart zone", "Restart", "Force restart zone", "Force restart"}}
}

func (z *zoneSubject) cluster() ocp.Cluster      { return z.cl }
func (z *zoneSubject) target() ocp.RestartTarget { return ocp.RestartTarget{Zone: z.zone.Name} }
func (z *zoneSubject) want(bool) string          { return z.zone.Name }

// accepts takes any visible character: zone names are the operator's.
func (z *zoneSubject) accepts(r rune) bool { return unicode.IsPrint(r) && !unicode.IsSpace(r) }

// take keeps the zone's fresh status and servers.
func (z *zoneSubject) take(imp ocp.RestartImpact) {
	if tz, ok := imp.TargetZone(); ok {
		z.servers = tz.Servers
		if tz.Status != "" {
			z.zone.Status = tz.Status
		}
	}
}

// holds: a task on the zone, or on one of its servers.
func (z *zoneSubject) holds(t *ocp.Task) bool {
	if t.ZoneName() == z.zone.Name {
		return true
	}
	for _, id := range t.ServerIDs() {
		if slices.ContainsFunc(z.servers, func(s ocp.Server) bool { return s.ID == id }) {
			return true
		}
	}
	return false
}

func (z *zoneSubject) blocked(m *Model) string {
	if m.force {
		return ""
	}
	switch {
	case m.check.state == checkFailed:
		return "The other zones could not be checked: ctrl+r checks again, " + m.forceKey() + " forces without the check."
	case m.check.state == checked && m.check.impact.PrecheckRefuses():
		return "Refused while another zone is not fully RUNNING; " + m.forceKey() + " forces."
	}
	return ""
}

func (z *zoneSubject) fields(m *Model) []item {
	th := m.ctx.Theme
	st := &th.Styles
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
	items := []item{
		{lines: m.row("zone", safetext.Line(z.zone.Name)+" of "+clusterName(z.cl)+"  "+th.Render(th.Zone(z.zone.Status))), prio: prioSubject},
		{lines: m.row("region", where), prio: prioDetail},
		{lines: z.serverRows(m), prio: prioContext},
	}
	var roots []string
	for _, s := range z.servers {
		if s.WithRootserver {
			roots = append(roots, safetext.Line(s.Address()))
		}
	}
	switch {
	case len(roots) > 0:
		items = append(items, item{lines: m.row("root", st.Warning.Render(th.Glyphs.RootServer+" "+strings.Join(roots, ", "))+
			" holds a root service replica"), prio: prioState})
	case len(z.servers) > 0:
		items = append(items, item{lines: m.row("root", "no root service replica in "+safetext.Line(z.zone.Name)), prio: prioDetail})
	}
	return items
}

// serverRows are the zone's servers: those not RUNNING one a line (two
// at most), then the RUNNING ones on one line, each address whole.
func (z *zoneSubject) serverRows(m *Model) []string {
	th := m.ctx.Theme
	name := "servers"
	if len(z.servers) == 0 {
		count := z.zone.ServerCount
		text := "none listed"
		switch {
		case m.check.state == checking && count > 0:
			text = strconv.Itoa(count) + ", listing" + th.Glyphs.Ellipsis
		case m.check.state == checking:
			text = "listing" + th.Glyphs.Ellipsis
		case count > 0:
			text = strconv.Itoa(count) + " (not listed)"
		}
		return m.row(name, text)
	}
	var lines []string
	var up []string
	down := 0
	for _, s := range z.servers {
		if s.Status == ocp.ServerRunning {
			up = append(up, safetext.Line(s.Address()))
			continue
		}
		if down++; down <= 2 {
			lines = append(lines, m.row(name, safetext.Line(s.Address())+"  "+th.Render(th.Server(s.Status)))...)
			name = ""
		}
	}
	var rest []string
	if down > 2 {
		rest = append(rest, fmt.Sprintf("%d more not RUNNING", down-2))
	}
	if len(up) > 0 {
		head := fmt.Sprintf("%d %s", len(up), th.Render(th.Server(ocp.ServerRunning)))
		room := m.inner() - label - ansi.StringWidth(head) - 2
		shown := ""
		for i, addr := range up {
			more := ""
			if i < len(up)-1 {
				more = fmt.Sprintf(" +%d", len(up)-i-1)
			}
			next := addr
			if shown != "" {
				next = shown + ", " + addr
			}
			if ansi.StringWidth(next)+ansi.StringWidth(more) > room {
				shown += fmt.Sprintf(" +%d", len(up)-i)
				break
			}
			shown = next
		}
		rest = append(rest, head+"  "+strings.TrimSpace(shown))
	}
	if len(rest) > 0 {
		lines = append(lines, m.row(name, strings.Join(rest, "; "))...)
	}
	return lines
}

func (z *zoneSubject) explain(m *Model) []item {
	st := &m.ctx.Theme.Styles
	name, cluster := safetext.Line(z.zone.Name), safetext.Line(z.cl.Name)
	if m.force {
		return []item{{lines: m.para(st.Error, "Force runs the same rolling restart but goes on even if its pre-check fails, "+
			"as it does while another zone is not fully RUNNING: "+cluster+" then relies on the zones that still serve."), prio: prioContext}}
	}
	var out []item
	switch {
	case m.check.state == checkFailed:
		out = append(out, item{lines: m.para(st.Error, "A normal zone restart is refused until the other zones of "+cluster+
			" are checked: ctrl+r checks again; "+m.forceKey()+" forces."), prio: prioSubject})
	case m.check.state == checked && m.check.impact.PrecheckRefuses():
		var down []string
		for _, d := range m.check.impact.OthersDown() {
			down = append(down, safetext.Line(d.Name))
		}
		// What a normal restart would do is moot while it is refused.
		return append(out, item{lines: m.para(st.Error, "Refused: a normal zone restart needs every other zone fully RUNNING. "+
			"Bring "+strings.Join(down, ", ")+" back first, or press "+m.forceKey()+" to force it."), prio: prioSubject})
	}
	return append(out, item{lines: m.para(st.Muted, "Rolling zone restart: a pre-check runs, "+name+" is stopped gracefully "+
		"(leaders move to the other zones), then its servers restart in parallel."), prio: prioExplain})
}

func (z *zoneSubject) dialog() presence.Dialog {
	return presence.Dialog{ClusterID: z.cl.ID, Cluster: z.cl.Name, Zone: z.zone.Name}
}

func (z *zoneSubject) request(m *Model) store.Action {
	return store.Action{Kind: store.RestartZone, Cluster: z.cl.ID, Zone: z.zone.Name, Options: backend.RestartOptions{Force: m.force}}
}
