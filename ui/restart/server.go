package restart

import (
	"github.com/charmbracelet/lipgloss"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/ui/common"
)

// New builds the dialog restarting server of cluster. It sends nothing
// until the operator confirms.
func New(ctx *common.Context, cluster ocp.Cluster, server ocp.Server) *Model {
	return newModel(ctx, &serverSubject{cluster: cluster, server: server})
}

// serverSubject is one OBServer: y confirms a normal restart, a force
// restart needs its IP typed.
type serverSubject struct {
	cluster ocp.Cluster
	server  ocp.Server
}

func (s *serverSubject) crumb() string { return "restart " + safetext.Line(s.server.Address()) }
func (s *serverSubject) noun() string  { return "OBServer " + safetext.Line(s.server.Address()) }
func (s *serverSubject) what() string  { return "IP" }
func (s *serverSubject) prompt() string {
	return "Type the server's IP to confirm: "
}
func (s *serverSubject) yConfirms() bool {
	return true
}
func (s *serverSubject) blocked(bool) string { return "" }
func (s *serverSubject) init(*Model) tea.Cmd { return nil }
func (s *serverSubject) update(*Model, tea.Msg) (tea.Cmd, bool) {
	return nil, false
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

func (s *serverSubject) label(force bool) string {
	if force {
		return "Force restart"
	}
	return "Restart"
}

func (s *serverSubject) conflictHint() string {
	return "Another task is running on this server: press t for the task list after closing."
}

func (s *serverSubject) fields(m *Model, _ bool) []string {
	th := m.ctx.Theme
	st := &th.Styles
	role := "observer, no root service"
	if s.server.WithRootserver {
		role = st.Warning.Render(th.Glyphs.RootServer+" root server") + " (holds a root service replica)"
	}
	return []string{
		m.field("cluster", clusterName(s.cluster)),
		m.field("zone", safetext.Line(s.server.ZoneName)),
		m.field("server", safetext.Line(s.server.Address())),
		m.field("status", th.Render(th.Server(s.server.Status))),
		m.field("role", role),
	}
}

func (s *serverSubject) explain(m *Model, wrap func(lipgloss.Style, string) string) []string {
	st := &m.ctx.Theme.Styles
	if m.force {
		return []string{wrap(st.Error, "Force ends the observer process directly, skipping the pre-check: "+
			"service on this server is interrupted, and replicas may be leaderless for minutes.")}
	}
	return []string{wrap(st.Muted, "Normal restart: a pre-check runs first; if it fails the server "+
		"is not restarted, so service is not interrupted.")}
}

func (s *serverSubject) request(m *Model, force bool) func() (started, error) {
	exec, base := m.ctx.Exec, m.ctx.Lifetime
	clusterID, serverID := s.cluster.ID, s.server.ID
	return func() (started, error) {
		task, err := exec.RestartServer(base, clusterID, serverID, backend.RestartOptions{Force: force})
		return taskStarted(task, err, "restart server")
	}
}

// taskStarted turns a restart call's answer into a result; an answer
// without a task is a bad response.
func taskStarted(task *ocp.Task, err error, op string) (started, error) {
	if err != nil {
		return started{}, err
	}
	if task == nil {
		return started{}, backend.Errorf(backend.BadResponse, op, "OCP answered without a task")
	}
	return started{taskID: task.ID}, nil
}

// clusterName is "protoss (PRIMARY)", made safe to draw.
func clusterName(c ocp.Cluster) string {
	if c.Type != "" {
		return safetext.Line(c.Name) + " (" + safetext.Line(string(c.Type)) + ")"
	}
	return safetext.Line(c.Name)
}
