package taskview

import (
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
)

// Servers: OCP names a task's servers by id only (context server_ids), and
// operators name them by address. The view lists the task's cluster's
// servers once, in a Cmd, to map ids to ip:port; until that answers (or
// when it cannot) the id is shown.

// serversMsg carries the addresses of the cluster's servers.
type serversMsg struct {
	id    int64
	addrs map[int64]string
	err   error
}

// stepServer is the server a step acts on, when the task acts on several:
// a step OCP split per server carries its index into the task's server_ids
// as parallelIdx (a zone's "Stop observer process" runs once per server,
// all with the same name). ok is false for a step of the whole task
// (parallelIdx -1) and in a task of one server, whose header names it
// (older builds send no parallelIdx at all, which decodes as 0).
func stepServer(t *ocp.Task, s *ocp.Subtask) (int64, bool) {
	ids := t.Context.ListMap["server_ids"]
	if len(ids) < 2 || s.ParallelIdx < 0 || s.ParallelIdx >= len(ids) {
		return 0, false
	}
	id, err := strconv.ParseInt(strings.TrimSpace(ids[s.ParallelIdx]), 10, 64)
	return id, err == nil
}

// wantsAddresses reports whether the task names servers the view could
// show by address.
func wantsAddresses(t *ocp.Task) bool { return t.ClusterID != 0 && len(t.ServerIDs()) > 0 }

// fetchServers lists the task's cluster's servers (its zone's, when the
// task names one), once per view.
func (m *Model) fetchServers() tea.Cmd {
	if m.addrsAsked || m.task == nil || !wantsAddresses(m.task) {
		return nil
	}
	m.addrsAsked = true
	id, exec, base := m.id, m.ctx.Exec, m.ctx.Lifetime
	clusterID, zone := m.task.ClusterID, m.task.ZoneName()
	return func() tea.Msg {
		servers, err := exec.ListServers(base, clusterID, zone)
		if err != nil {
			return serversMsg{id: id, err: err}
		}
		addrs := make(map[int64]string, len(servers))
		for _, s := range servers {
			// An address from OCP is drawn as text, never as controls.
			addrs[s.ID] = safetext.Line(s.Address())
		}
		return serversMsg{id: id, addrs: addrs}
	}
}

// gotServers takes the addresses. A failure is quiet: ids stay on screen,
// and ctrl+r asks again.
func (m *Model) gotServers(msg serversMsg) {
	if msg.err != nil {
		m.addrsAsked = false
		m.addrsFailed = true
		return
	}
	m.addrs, m.addrsFailed = msg.addrs, false
	if m.task != nil {
		m.rows = m.buildRows()
	}
}

// serverName is how a server is named: its ip:port once known, else its
// id.
func (m *Model) serverName(id int64) string {
	if a, ok := m.addrs[id]; ok && a != "" {
		return a
	}
	return "server " + strconv.FormatInt(id, 10)
}
