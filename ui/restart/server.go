package restart

import (
	"slices"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/presence"
	"github.com/obconsole/obconsole/ui/store"
)

// New builds the dialog restarting server of cluster. Its Init checks the
// cluster (zones, servers, running tasks); it sends nothing until the
// operator confirms.
func New(ctx *common.Context, cluster ocp.Cluster, server ocp.Server) *Model {
	return newModel(ctx, &serverSubject{cl: cluster, server: server})
}

// serverSubject is one OBServer: y confirms a normal restart, a force
// restart needs its IP typed.
type serverSubject struct {
	cl     ocp.Cluster
	server ocp.Server
}

func (s *serverSubject) traits() traits {
	addr := safetext.Line(s.server.Address())
	return traits{crumb: "restart " + addr, noun: "OBServer " + addr, short: addr, here: "this server",
		whatLong: "an IP", prompt: "Type the server's IP to confirm: ", promptShort: "IP: ", yConfirms: true, freeze: true,
		labels: [4]string{"Restart", "Restart", "Force restart", "Force"}}
}

func (s *serverSubject) cluster() ocp.Cluster { return s.cl }

func (s *serverSubject) target() ocp.RestartTarget {
	return ocp.RestartTarget{ServerID: s.server.ID, Zone: s.server.ZoneName}
}

func (s *serverSubject) want(force bool) string {
	if force {
		return s.server.IP
	}
	return ""
}

// accepts takes what can be part of an IP address (v4 or v6).
func (s *serverSubject) accepts(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F' || r == '.' || r == ':'
}

// take keeps the server's fresh status.
func (s *serverSubject) take(imp ocp.RestartImpact) {
	for _, srv := range imp.Restarted {
		if srv.ID == s.server.ID {
			s.server = srv
		}
	}
}

func (s *serverSubject) holds(t *ocp.Task) bool { return slices.Contains(t.ServerIDs(), s.server.ID) }

// blocked refuses, up front, a normal restart the pre-check refuses: a
// server that is not RUNNING, or one whose restart would cost the cluster
// its majority while another zone is down. When the check failed, OCP's
// pre-check still decides.
func (s *serverSubject) blocked(m *Model) string {
	if m.force || m.check.state != checked {
		return ""
	}
	if s.server.Status != ocp.ServerRunning {
		return "Refused: " + safetext.Line(s.server.Address()) + " is " + safetext.Line(string(s.server.Status)) +
			", and the pre-check refuses a normal restart of a server that is not RUNNING; " + m.forceKey() + " forces."
	}
	if m.check.impact.PrecheckRefuses() {
		return "Refused: with another zone down, the pre-check refuses a normal restart that costs the majority; " +
			m.forceKey() + " forces."
	}
	return ""
}

func (s *serverSubject) fields(m *Model) []item {
	th := m.ctx.Theme
	st := &th.Styles
	role, rolePrio := "observer, no root service replica", prioDetail
	if s.server.WithRootserver {
		role, rolePrio = st.Warning.Render(th.Glyphs.RootServer+" root server")+" (holds a root service replica)", prioState
	}
	return []item{
		{lines: m.row("server", safetext.Line(s.server.Address())+"  "+th.Render(th.Server(s.server.Status))), prio: prioSubject},
		{lines: m.row("zone", safetext.Line(s.server.ZoneName)+" of "+clusterName(s.cl)), prio: prioContext},
		{lines: m.row("role", role), prio: rolePrio},
	}
}

func (s *serverSubject) explain(m *Model) []item {
	st := &m.ctx.Theme.Styles
	if why := s.blocked(m); why != "" {
		// What a normal restart would do is moot while it is refused.
		return []item{{lines: m.para(st.Error, why), prio: prioSubject}}
	}
	var out []item
	if m.force {
		return append(out, item{lines: m.para(st.Error, "Force ends the observer process directly, without a graceful stop, "+
			"even if the pre-check fails: service on this server is interrupted, and replicas may be leaderless for minutes."),
			prio: prioContext})
	}
	return append(out, item{lines: m.para(st.Muted, "Normal restart: a pre-check runs first and nothing is restarted if it fails; "+
		"then the observer stops gracefully (leaders move away first) and starts again."), prio: prioExplain})
}

func (s *serverSubject) dialog() presence.Dialog {
	return presence.Dialog{ClusterID: s.cl.ID, Cluster: s.cl.Name, Zone: s.server.ZoneName, ServerID: s.server.ID, Server: s.server.Address()}
}

func (s *serverSubject) request(m *Model) store.Action {
	return store.Action{Kind: store.RestartServer, Cluster: s.cl.ID, Server: s.server.ID,
		Options: backend.RestartOptions{Force: m.force, FreezeServer: m.freeze}}
}
