package restart

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/store"
)

// checkTimeout bounds the check a dialog makes when it opens: an OCP that
// does not answer within it is reported, and the dialog decides without
// the check (a normal zone restart stays refused). A variable so tests
// can shorten it.
var checkTimeout = 10 * time.Second

// recheckAfter is how old the check may grow while the dialog stays open
// before a refresh tick checks again, so the arithmetic the operator
// confirms on is at most this old.
const recheckAfter = 5 * time.Second

type checkState int

const (
	checking checkState = iota
	checkFailed
	checked
)

// check is what the dialog knows of the cluster: the majority arithmetic
// of this restart and the cluster's running tasks.
type check struct {
	id       int64 // the check whose answer is awaited; 0 when none is
	state    checkState
	err      error
	at       time.Time // backend time of the last answer
	impact   ocp.RestartImpact
	tasks    []ocp.Task // RUNNING tasks of the cluster, newest first
	tasksErr error
}

// checkMsg is the answer to a check of the cluster's zones, servers and
// running tasks.
type checkMsg struct {
	id       int64
	zones    []ocp.Zone
	servers  []ocp.Server
	tasks    []ocp.Task
	err      error
	tasksErr error
	at       time.Time
}

// startCheck lists the cluster's zones, servers and running tasks in a
// Cmd. A re-check keeps showing the last answer until the new one comes.
func (m *Model) startCheck() tea.Cmd {
	m.check.id = m.ctx.NewID()
	if m.check.state == checkFailed {
		m.check.state, m.check.err = checking, nil
	}
	id, st, clusterID, timeout := m.check.id, m.ctx.Store, m.subj.cluster().ID, checkTimeout
	read, base := st.Reader(), st.Base()
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(base, timeout)
		defer cancel()
		msg := checkMsg{id: id}
		msg.zones, msg.err = read.Zones(ctx, clusterID)
		if msg.err == nil {
			msg.servers, msg.err = read.Servers(ctx, clusterID, "")
		}
		if msg.err == nil {
			var tasks []ocp.Task
			tasks, msg.tasksErr = read.Tasks(ctx, runningOn(clusterID), nil)
			msg.tasks = running(tasks, clusterID)
		}
		if msg.err != nil && ctx.Err() == context.DeadlineExceeded {
			msg.err = backend.Errorf(backend.Unavailable, "check cluster", "no answer within %s", timeout)
		}
		msg.at = st.Now()
		return msg
	}
}

// runningOn is the query of a cluster's running tasks.
func runningOn(clusterID int64) store.TaskQuery {
	return store.TaskQuery{Cluster: clusterID, Status: ocp.TaskRunning}
}

// running keeps the RUNNING tasks of the cluster, whatever the backend's
// filter did.
func running(tasks []ocp.Task, clusterID int64) []ocp.Task {
	var out []ocp.Task
	for _, t := range tasks {
		if t.Status == ocp.TaskRunning && (t.ClusterID == 0 || t.ClusterID == clusterID) {
			out = append(out, t)
		}
	}
	return out
}

func (m *Model) checked(msg checkMsg) tea.Cmd {
	if msg.id != m.check.id {
		return nil
	}
	m.check.id = 0
	if msg.err != nil {
		m.check.state, m.check.err = checkFailed, msg.err
		return store.Report(msg.err, msg.at)
	}
	wasHeld := m.held() != nil
	m.check.state, m.check.err, m.check.at = checked, nil, msg.at
	m.check.impact = ocp.AssessRestart(msg.zones, msg.servers, m.subj.target())
	m.check.tasks, m.check.tasksErr = msg.tasks, msg.tasksErr
	m.subj.take(m.check.impact)
	// A running task on the subject, newly found: its button takes focus;
	// gone, focus returns to where it starts.
	switch held := m.held() != nil; {
	case held && !wasHeld:
		m.focus = focusOpen
	case !held && m.focus == focusOpen:
		m.focus = m.initialFocus()
	}
	return store.Report(nil, msg.at)
}

// recheck checks again on a refresh tick once the last answer is older
// than recheckAfter, while the operator can still confirm.
func (m *Model) recheck(now time.Time) tea.Cmd {
	if m.state != editing || m.check.id != 0 || m.check.state != checked || now.Sub(m.check.at) < recheckAfter {
		return nil
	}
	return m.startCheck()
}

// holder is the running task a Conflict was about, once found.
type holder struct {
	id      int64 // the lookup whose answer is awaited
	looking bool
	task    *ocp.Task
}

type holderMsg struct {
	id    int64
	tasks []ocp.Task
}

// findHolder lists the cluster's running tasks after a Conflict, to name
// the one holding the subject: OCP says which in words only.
func (m *Model) findHolder() tea.Cmd {
	m.holder = holder{id: m.ctx.NewID(), looking: true}
	id, read, base, clusterID, timeout := m.holder.id, m.ctx.Store.Reader(), m.ctx.Store.Base(), m.subj.cluster().ID, checkTimeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(base, timeout)
		defer cancel()
		tasks, _ := read.Tasks(ctx, runningOn(clusterID), nil)
		return holderMsg{id: id, tasks: running(tasks, clusterID)}
	}
}

func (m *Model) found(msg holderMsg) {
	if msg.id != m.holder.id {
		return
	}
	m.holder.looking = false
	for i := range msg.tasks {
		if m.subj.holds(&msg.tasks[i]) {
			t := msg.tasks[i]
			m.holder.task = &t
			m.focus = focusOpen
			return
		}
	}
}

// runningHere is the checked running task that works on the subject, if
// any: a restart now would meet a Conflict.
func (m *Model) runningHere() *ocp.Task {
	for i := range m.check.tasks {
		if m.subj.holds(&m.check.tasks[i]) {
			return &m.check.tasks[i]
		}
	}
	return nil
}
