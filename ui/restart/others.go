package restart

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/presence"
)

// Over obconsole ssh, the dialog tells the other operators where it is
// open (Place: their dialogs on the same server or zone warn) and warns,
// in its turn, of theirs: a dialog open on the same server or zone, a
// request on its way there, a task someone else started running there.
// It reads ctx.Presence when the root says the others may have moved
// (common.OthersMsg, every tick), when it is shown and when a check
// answers; an action of theirs on this cluster makes it check again at
// once, so a task they just started shows before the next re-check.

// Place is where the dialog is open, for the others.
func (m *Model) Place() presence.Place {
	d := m.subj.dialog()
	screen := presence.ScreenServers
	if d.ServerID == 0 {
		screen = presence.ScreenZones
	}
	return presence.Place{Screen: screen, ClusterID: d.ClusterID, Cluster: d.Cluster, Zone: d.Zone, Dialog: &d}
}

// Others is the warning about the other operators, "" when there is none.
func (m *Model) Others() string { return m.others }

// seeOthers reads the others again for the warning.
func (m *Model) seeOthers() {
	me := m.ctx.Presence
	if me == nil {
		return
	}
	d := m.subj.dialog()
	var tasks []presence.PeerTask
	seen := map[int64]bool{}
	running := m.check.tasks
	if t := m.holder.task; t != nil {
		running = append([]ocp.Task{*t}, running...)
	}
	for i := range running {
		t := &running[i]
		if seen[t.ID] || !m.subj.holds(t) {
			continue
		}
		seen[t.ID] = true
		if pt, ok := me.StartedBy(t.ID); ok {
			tasks = append(tasks, pt)
		}
	}
	m.others = presence.Warning(me.DialogsOn(d), me.ActionsOn(d), tasks)
}

// othersMoved takes the root's news of the others: an action of theirs on
// this cluster that has been answered makes the dialog check again now.
func (m *Model) othersMoved(ev *presence.Event) tea.Cmd {
	m.seeOthers()
	if ev == nil || ev.Kind != presence.Finished || m.state != editing || m.check.id != 0 {
		return nil
	}
	cl := m.subj.cluster()
	if a := ev.Action; a.ClusterID != cl.ID && (a.ClusterID != 0 || a.Cluster != cl.Name) {
		return nil
	}
	return m.startCheck()
}
