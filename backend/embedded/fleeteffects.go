package embedded

import (
	"time"

	"github.com/obconsole/obconsole/backend/ocp"
)

// What steps do to the fleet: the phases a restart takes its servers
// through, and the statuses a task leaves behind.

// targets are the servers a step acts on.
func (t *task) targets(i int) []*member {
	if m := t.steps[i].m; m != nil {
		return []*member{m}
	}
	return t.members
}

// actsOn names what step i acts on: its one server's address, or the
// zone's name.
func (t *task) actsOn(i int) string {
	if ts := t.targets(i); len(ts) == 1 {
		return ts[0].srv.address()
	}
	return t.zone.w.Name
}

// targetZoneStatus is what "Update zone status" records: a zone task's
// context carries no zone status, and its zone ends RUNNING.
func (t *task) targetZoneStatus() ocp.ZoneStatus {
	if st := t.w.Context.Get("target_zone_status"); st != "" {
		return ocp.ZoneStatus(st)
	}
	return ocp.ServerRunning
}

// apply makes the fleet follow a step that succeeded (or was skipped: the
// fleet then shows what OCP believes, as a real skip would).
func (e *Executor) apply(t *task, i int, at time.Time) {
	set := func(p phase) {
		for _, m := range t.targets(i) {
			m.phase = p
		}
	}
	switch t.steps[i].def.kind {
	case kStopServer, kStopZone:
		set(phOutOfService)
	case kStopProcess:
		set(phProcDown)
		for _, m := range t.targets(i) {
			m.srv.stopped = e.stampOf(at)
		}
	case kStartProcess:
		set(phProcUp)
		for _, m := range t.targets(i) {
			m.srv.started = e.stampOf(at)
		}
	case kWaitActive, kStartAgent:
		set(phActive)
	case kStartServer, kStartZone:
		set(phInService)
	case kUpdateServer:
		set(phUpdated)
		for _, m := range t.targets(i) {
			e.setServerStatus(m.srv, ocp.ServerRunning, at)
		}
	case kUpdateZone:
		t.zone.w.Status = t.targetZoneStatus()
	case kSyncCluster:
		t.cluster.w.UpdateTime = ocp.NewTime(at)
	case kUpdateCluster:
		t.cluster.w.Status = ocp.ClusterStatus(t.w.Context.Get("target_cluster_status"))
		t.cluster.w.UpdateTime = ocp.NewTime(at)
	}
}

// undo is the fleet side of rolling back one step. Statuses are restored
// when the whole rollback ends; phases follow each undo so that a rollback
// that fails half way leaves the servers as it left them.
func (e *Executor) undo(t *task, i int, at time.Time) {
	switch t.steps[i].def.kind {
	case kStopProcess:
		for _, m := range t.targets(i) {
			if m.phase == phProcDown { // the restart never got it back up
				m.srv.started = e.stampOf(at)
				m.phase = phOutOfService
			}
		}
	case kStopServer, kStopZone:
		for _, m := range t.targets(i) {
			if m.phase == phOutOfService {
				m.phase = phUntouched
			}
		}
	}
}

// statusAfterFailure is what a server is when its restart stops at phase p.
func statusAfterFailure(m *member) ocp.ServerStatus {
	switch m.phase {
	case phUntouched:
		return m.former
	case phProcDown:
		return ocp.ServerStopped
	case phInService, phUpdated:
		return ocp.ServerRunning
	}
	return ocp.ServerUnavailable // out of service, or up but not serving
}

func (e *Executor) endTask(t *task, st ocp.TaskStatus, at time.Time) {
	t.w.Status = st
	t.w.FinishTime = ocp.NewTime(at)
	untouched := true
	for _, m := range t.members {
		want := ocp.ServerRunning
		if st == ocp.TaskFailed {
			want = statusAfterFailure(m)
		}
		if m.phase != phUntouched {
			untouched = false
		}
		if m.srv.status != want {
			e.setServerStatus(m.srv, want, at)
		}
	}
	if t.kind == kindZone {
		switch {
		case st == ocp.TaskSuccessful:
			t.zone.w.Status = ocp.ServerRunning
		case untouched:
			t.zone.w.Status = t.formerZone
		default:
			t.zone.w.Status = zoneStatusOf(t.zone)
		}
	}
	e.release(t)
}

// zoneStatusOf sums up a zone whose restart stopped half way.
func zoneStatusOf(z *zone) ocp.ZoneStatus {
	all := func(st ocp.ServerStatus) bool {
		for _, s := range z.servers {
			if s.status != st {
				return false
			}
		}
		return true
	}
	switch {
	case all(ocp.ServerRunning):
		return ocp.ServerRunning
	case all(ocp.ServerStopped):
		return ocp.ServerStopped
	}
	return ocp.ServerUnavailable
}

// finishRollback ends a rollback whose every step is PENDING again: the
// task is SUCCESSFUL with operation ROLLBACK, as in OCP, and the fleet is
// back to the statuses recorded before the task.
func (e *Executor) finishRollback(t *task, at time.Time) {
	t.w.Status = ocp.TaskSuccessful
	t.w.FinishTime = ocp.NewTime(at)
	for _, m := range t.members {
		m.phase = phUntouched
		e.setServerStatus(m.srv, m.former, at)
	}
	if t.kind == kindZone || t.zone.w.Status != t.formerZone {
		t.zone.w.Status = t.formerZone
	}
	t.cluster.w.Status = t.formerCluster
	e.release(t)
}
