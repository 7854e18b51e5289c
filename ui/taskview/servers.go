package taskview

import (
	"strconv"
	"strings"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/ui/store"
)

// Servers: OCP names a task's servers by id only (context server_ids), and
// operators name them by address. The view uses its cluster's servers
// (its zone's, when the task names one) from the store, read once, to map
// ids to ip:port; until that answers (or when it cannot) the id is shown.

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

// serversKey is the store entry of the task's servers.
func (m *Model) serversKey() store.Key {
	return store.ServersKey(m.task.ClusterID, m.task.ZoneName())
}

// syncServers takes the servers' addresses from the store. A failure is
// quiet: ids stay on screen, and ctrl+r asks again.
func (m *Model) syncServers() {
	if m.task == nil || !wantsAddresses(m.task) {
		return
	}
	servers, st := m.ctx.Store.Servers(m.task.ClusterID, m.task.ZoneName())
	if !st.Loaded {
		return
	}
	addrs := make(map[int64]string, len(servers))
	for _, s := range servers {
		// An address from OCP is drawn as text, never as controls.
		addrs[s.ID] = safetext.Line(s.Address())
	}
	m.addrs = addrs
	m.rows = m.buildRows()
}

// serverName is how a server is named: its ip:port once known, else its
// id.
func (m *Model) serverName(id int64) string {
	if a, ok := m.addrs[id]; ok && a != "" {
		return a
	}
	return "server " + strconv.FormatInt(id, 10)
}
