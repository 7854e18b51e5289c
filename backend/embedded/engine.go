package embedded

import (
	"strconv"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// The engine follows OCP's task engine, whose model OCP Express shares
// (oceanbase/ocp-express task/task-service …/engine; file names below are
// its classes):
//
//   - A subtask goes PENDING → READY (its upstreams all SUCCESSFUL) →
//     RUNNING → SUCCESSFUL or FAILED. At most maxActive subtasks of one task
//     are READY or RUNNING at a time (AbstractTaskWorker.defaultConcurrency).
//   - Once any subtask has FAILED no new subtask is made READY; those
//     already READY or RUNNING finish, then the task is FAILED
//     (RunningTaskWorker.markFailedTask, updateState).
//   - A subtask still running at its timeout is FAILED, measured from the
//     start of the attempt (ReadySubtaskWorker's AsyncTimeout).
//   - Nothing is retried by the engine itself: OCP's FailedSubtaskWorker
//     requeues a FAILED subtask only while runTime <= getRetryCount(),
//     which is 0 for every subtask (runtime/Subtask.java, overridden
//     nowhere), and runTime starts at 1 (SubtaskInstanceEntity). So the
//     simulator never retries on its own either.
//   - Operations are the manager classes' (TaskInstanceManagerImpl,
//     SubtaskInstanceManagerImpl); see retryTask, rollbackTask and the
//     subtask operations below. One that does not apply is a Conflict
//     naming the state (OCP: HTTP 400, code 20003 TASK_STATE_INVALID).
//   - Each run is dispatched on the subtask's operation (JavaSubtaskRunner):
//     EXECUTE and RETRY run the step, ROLLBACK undoes it and leaves it
//     PENDING, SKIP does nothing and ends SUCCESSFUL, ROLLBACK_SKIP does
//     nothing and ends PENDING, CANCEL ends FAILED (SubtaskAccessor).

// maxActive is OCP's per-task limit of READY and RUNNING subtasks.
const maxActive = 10

type taskKind uint8

const (
	kindServer taskKind = iota
	kindZone
)

// phase is how far a restart got with one server; it decides the server's
// status when the task stops (see endTask).
type phase uint8

const (
	phUntouched    phase = iota
	phOutOfService       // stopped in the cluster (leaders moved away), process up
	phProcDown           // observer process stopped
	phProcUp             // process started, not yet active
	phActive             // active (and agent started)
	phInService          // started in the cluster again
	phUpdated            // OCP recorded it RUNNING
)

// member is one server a task restarts.
type member struct {
	srv    *server
	former ocp.ServerStatus
	phase  phase
}

type task struct {
	w             ocp.Task
	kind          taskKind
	force         bool
	freeze        bool // minor compaction before the observer stops (freezeServer)
	cluster       *cluster
	zone          *zone
	members       []*member
	steps         []step // aligned with w.Subtasks
	order         []int  // step indices in execution order: the scheduler's scan order
	formerZone    ocp.ZoneStatus
	formerCluster ocp.ClusterStatus
}

type step struct {
	def       *stepDef
	m         *member // nil: a zone-level step acting on every member
	ups       []int
	downs     []int
	log       []logLine
	gen       uint32 // bumped to orphan a pending timer
	timer     Timer
	execs     int // forward runs (EXECUTE or RETRY) started
	rollbacks int // rollback runs started
	skips     int // SKIP or ROLLBACK_SKIP runs started
}

func (e *Executor) newServerTask(s *server, opts backend.RestartOptions, now time.Time) *task {
	m := &member{srv: s, former: s.status}
	var drop func(stepKind) bool
	if opts.Force {
		drop = dropForForce
	}
	t := e.newTask(kindServer, &templates[RestartServerTemplate], s.zone, []*member{m}, opts.Force, drop, now)
	t.w.Context.StringMap["server_id"] = strconv.FormatInt(s.id, 10)
	if opts.FreezeServer {
		t.freeze = true
		t.w.Context.StringMap["freeze_server"] = "true"
	}
	e.schedule(t, now)
	return t
}

// newZoneTask lays out the documented zone restart: the zone's pre-check
// and stop, then every server phase by phase (prepare, stop the process,
// start it, one wait for all to be active, start the agents, update their
// statuses) with "Wait node" barriers between the phases, then the zone's
// start and the status updates. Force changes no step (OCP's zone restart
// takes no force): it only turns the pre-check's refusal into warnings.
func (e *Executor) newZoneTask(z *zone, force bool, now time.Time) *task {
	members := make([]*member, len(z.servers))
	for i, s := range z.servers {
		members[i] = &member{srv: s, former: s.status}
	}
	t := e.newTask(kindZone, &templates[RestartZoneTemplate], z, members, force, nil, now)
	e.schedule(t, now)
	return t
}

func (e *Executor) newTask(kind taskKind, tpl *template, z *zone, members []*member, force bool, drop func(stepKind) bool, now time.Time) *task {
	c := z.cluster
	id := e.nextTaskID
	e.nextTaskID++
	laid, idBlock := tpl.layout(len(members), drop)
	subBase := e.nextSubID
	e.nextSubID += idBlock
	at := ocp.NewTime(now)

	subs, pos := wireSubtasks(laid, subBase, at)
	serverIDs := make([]string, len(members))
	for i, m := range members {
		serverIDs[i] = strconv.FormatInt(m.srv.id, 10)
	}
	t := &task{
		kind: kind, force: force, cluster: c, zone: z, members: members,
		formerZone: z.w.Status, formerCluster: c.w.Status,
		steps: make([]step, len(laid)),
		order: make([]int, len(laid)),
		w: ocp.Task{
			ID: id, Name: tpl.name, Status: ocp.TaskRunning, Type: ocp.TaskManual, Operation: ocp.OpExecute,
			Creator: ocp.Creator{Name: "admin"}, Executor: executorAddress, ClusterID: c.w.ID,
			CreateTime: at, StartTime: at, TaskDefinitionID: -1,
			Context: tpl.context(contextValues{
				clusterName: c.w.Name, clusterID: strconv.FormatInt(c.w.ID, 10), zoneName: z.w.Name,
				formerCluster: string(c.w.Status), formerZone: string(z.w.Status), serverIDs: serverIDs,
			}),
			Subtasks: subs,
		},
	}
	if force {
		t.w.Context.StringMap["force"] = "true"
	}
	for i, l := range laid {
		s := &t.steps[pos[i]]
		s.def = &stepDefs[l.kind]
		if l.member >= 0 {
			s.m = members[l.member]
		}
		for _, u := range l.ups {
			s.ups = append(s.ups, pos[u])
			t.steps[pos[u]].downs = append(t.steps[pos[u]].downs, pos[i])
		}
		t.order[i] = pos[i]
	}
	e.tasks = append(e.tasks, t)
	e.taskByID[id] = t
	e.hold(t)
	return t
}

// hold marks the task's servers (and zone) as busy with it.
func (e *Executor) hold(t *task) {
	now := e.clock.Now()
	for _, m := range t.members {
		m.srv.task = t
		if m.phase < phUpdated {
			e.setServerStatus(m.srv, ocp.ServerRestarting, now)
		}
	}
	if t.kind == kindZone {
		t.zone.task = t
		t.zone.w.Status = ocp.ServerRestarting
	}
}

// acquire holds the task's servers again for a retry, skip or rollback,
// refusing when another task took one of them meanwhile.
func (e *Executor) acquire(op string, t *task) error {
	for _, m := range t.members {
		if o := m.srv.task; o != nil && o != t {
			return backend.Errorf(backend.Conflict, op, "server %s now has another running task %d (%s)", m.srv.address(), o.w.ID, o.w.Name)
		}
	}
	if o := t.zone.task; t.kind == kindZone && o != nil && o != t {
		return backend.Errorf(backend.Conflict, op, "zone %s now has another running task %d", t.zone.w.Name, o.w.ID)
	}
	e.hold(t)
	return nil
}

func (e *Executor) release(t *task) {
	for _, m := range t.members {
		if m.srv.task == t {
			m.srv.task = nil
		}
	}
	if t.zone.task == t {
		t.zone.task = nil
	}
}

// after runs fn under the lock at simulated time when, unless the step's
// timer is replaced or cancelled first. fn gets the planned time, not the
// moment the callback fired, so recorded times never depend on goroutine
// scheduling.
func (e *Executor) after(t *task, i int, when time.Time, fn func(*task, int, time.Time)) {
	s := &t.steps[i]
	s.gen++
	gen := s.gen
	s.timer = e.clock.AfterFunc(when.Sub(e.clock.Now()), func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.closed || s.gen != gen {
			return
		}
		s.timer = nil
		fn(t, i, when)
	})
}

func (s *step) stopTimer() {
	s.gen++
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
}

// ---- scheduling ----

// schedule is OCP's running-task worker, run after every change instead of
// once a second: it makes steps READY and ends the task when nothing is
// left to run.
func (e *Executor) schedule(t *task, at time.Time) {
	if t.w.Status != ocp.TaskRunning {
		return
	}
	rollback := t.w.Operation == ocp.OpRollback
	active, failed := 0, false
	for i := range t.w.Subtasks {
		switch t.w.Subtasks[i].Status {
		case ocp.SubtaskReady, ocp.SubtaskRunning:
			active++
		case ocp.SubtaskFailed:
			failed = true
		}
	}
	if !failed {
		if rollback {
			// Backwards: a step that ran is rolled back once every step
			// after it has been (AbstractTaskWorker.doMarkRollbackSubtasks).
			for k := len(t.order) - 1; k >= 0 && active < maxActive; k-- {
				i := t.order[k]
				switch t.w.Subtasks[i].Status {
				case ocp.SubtaskPending, ocp.SubtaskReady, ocp.SubtaskRunning, ocp.SubtaskCanceling:
					continue
				}
				if t.allDowns(i, ocp.SubtaskPending) {
					e.makeReady(t, i, at)
					active++
				}
			}
		} else {
			for _, i := range t.order {
				if active >= maxActive {
					break
				}
				if t.w.Subtasks[i].Status == ocp.SubtaskPending && t.allUps(i, ocp.SubtaskSuccessful) {
					e.makeReady(t, i, at)
					active++
				}
			}
		}
	}

	done := true
	for i := range t.w.Subtasks {
		switch st := t.w.Subtasks[i].Status; {
		case st == ocp.SubtaskReady, st == ocp.SubtaskRunning, st == ocp.SubtaskCanceling:
			return // something still runs
		case rollback && st != ocp.SubtaskPending, !rollback && st != ocp.SubtaskSuccessful:
			done = false
		}
	}
	switch {
	case failed:
		e.endTask(t, ocp.TaskFailed, at)
	case done && rollback:
		e.finishRollback(t, at)
	case done:
		e.endTask(t, ocp.TaskSuccessful, at)
	}
}

func (t *task) allUps(i int, st ocp.SubtaskStatus) bool {
	for _, u := range t.steps[i].ups {
		if t.w.Subtasks[u].Status != st {
			return false
		}
	}
	return true
}

func (t *task) allDowns(i int, st ocp.SubtaskStatus) bool {
	for _, d := range t.steps[i].downs {
		if t.w.Subtasks[d].Status != st {
			return false
		}
	}
	return true
}

// makeReady queues a step; OCP's scheduler picks it up a moment later
// (its ready-subtask worker polls every second).
func (e *Executor) makeReady(t *task, i int, at time.Time) {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	w.Status = ocp.SubtaskReady
	var n uint64
	switch w.Operation {
	case ocp.OpRollback:
		n = uint64(s.rollbacks+1)<<1 | 1
	case ocp.OpSkip, ocp.OpRollbackSkip:
		n = uint64(s.skips+1)<<32 | 1
	default:
		n = uint64(s.execs+1) << 1
	}
	delay := 200*time.Millisecond + time.Duration(e.rand(e.idKey(w.ID), n, saltDispatch)*float64(800*time.Millisecond))
	e.after(t, i, at.Add(delay), e.startStep)
}

// startStep runs a READY step according to its operation.
func (e *Executor) startStep(t *task, i int, at time.Time) {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	w.Status = ocp.SubtaskRunning
	w.StartTime = ocp.NewTime(at)
	w.FinishTime = ocp.Time{}
	w.Executor = executorAddress
	s.separator(at, w.Operation)
	switch w.Operation {
	case ocp.OpRollback:
		s.rollbacks++
		first := s.rollbacks == 1
		d := time.Second + time.Duration(e.rand(e.idKey(w.ID), uint64(98+s.rollbacks), saltDuration)*float64(2*time.Second))
		ok := !(first && e.scenarioFor(t, i).rollbackFail.has(s.def.kind))
		e.writeRollback(t, i, at, d, ok)
		if ok {
			e.after(t, i, at.Add(d), e.rolledBack)
		} else {
			e.after(t, i, at.Add(d), e.fail)
		}
	case ocp.OpSkip, ocp.OpRollbackSkip:
		s.skips++
		d := 100*time.Millisecond + time.Duration(e.rand(e.idKey(w.ID), uint64(s.skips)<<32, saltDuration)*float64(300*time.Millisecond))
		e.writeSkip(t, i, at)
		e.after(t, i, at.Add(d), e.skipped)
	default: // EXECUTE, RETRY
		s.execs++
		a := e.plan(t, i)
		e.writeAttempt(t, i, at, a)
		timeout := time.Duration(w.Timeout) * time.Second
		switch {
		case a.hang || a.d >= timeout:
			e.after(t, i, at.Add(timeout), e.timeOut)
		case a.ok:
			e.after(t, i, at.Add(a.d), e.succeed)
		default:
			e.after(t, i, at.Add(a.d), e.fail)
		}
	}
}

// setState records a step's new state; terminal states and a rolled-back
// step's PENDING are logged as OCP logs them (SubtaskAccessor.setState).
func (e *Executor) setState(t *task, i int, st ocp.SubtaskStatus, at time.Time) {
	w := &t.w.Subtasks[i]
	w.Status = st
	w.FinishTime = ocp.NewTime(at)
	if st.Ended() || (st == ocp.SubtaskPending && w.Operation == ocp.OpRollback) {
		t.steps[i].add(at, "", "Set state for subtask: "+strconv.FormatInt(w.ID, 10)+", operation:"+string(w.Operation)+", state: "+string(st))
	}
}

func (e *Executor) succeed(t *task, i int, at time.Time) {
	e.setState(t, i, ocp.SubtaskSuccessful, at)
	e.apply(t, i, at)
	e.schedule(t, at)
}

func (e *Executor) fail(t *task, i int, at time.Time) {
	e.setState(t, i, ocp.SubtaskFailed, at)
	e.schedule(t, at)
}

func (e *Executor) timeOut(t *task, i int, at time.Time) {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	s.truncateAfter(at)
	s.logf(at, "ERROR", "subtask %s timed out: still running after %ds, its timeout; marked FAILED (retry it, or skip it once the server is checked by hand)",
		w.Name, w.Timeout)
	e.setState(t, i, ocp.SubtaskFailed, at)
	s.logf(at, "WARN ", "Receive timeout callback, id=%d, name=%s, elapsed=%d, timeout=%d", w.ID, w.Name, w.Timeout, w.Timeout)
	e.schedule(t, at)
}

func (e *Executor) rolledBack(t *task, i int, at time.Time) {
	e.undo(t, i, at)
	e.setState(t, i, ocp.SubtaskPending, at)
	e.schedule(t, at)
}

func (e *Executor) skipped(t *task, i int, at time.Time) {
	if t.w.Subtasks[i].Operation == ocp.OpRollbackSkip {
		e.setState(t, i, ocp.SubtaskPending, at)
	} else {
		e.setState(t, i, ocp.SubtaskSuccessful, at)
		e.apply(t, i, at)
	}
	e.schedule(t, at)
}

// cancelDelay is how long a step stays CANCELING, and then RUNNING with
// operation CANCEL: OCP's canceling and running subtask workers each poll
// once a second.
func (e *Executor) cancelDelay(t *task, i int, n uint64) time.Duration {
	return 300*time.Millisecond + time.Duration(e.rand(e.idKey(t.w.Subtasks[i].ID), n, saltDispatch)*float64(700*time.Millisecond))
}

// cancelRun is the canceling worker: the step's thread is interrupted and
// it runs again with operation CANCEL.
func (e *Executor) cancelRun(t *task, i int, at time.Time) {
	w := &t.w.Subtasks[i]
	w.Status = ocp.SubtaskRunning
	w.Operation = ocp.OpCancel
	e.after(t, i, at.Add(e.cancelDelay(t, i, 2)), e.cancelled)
}

// cancelled is the running worker finding operation CANCEL: the step is
// FAILED.
func (e *Executor) cancelled(t *task, i int, at time.Time) {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	s.separator(at, ocp.OpCancel)
	s.logf(at, "WARN ", "Cancel subtask, id=%d, name=%s, executor=%s", w.ID, w.Name, executorAddress)
	s.logf(at, "WARN ", "cancelled by admin: %s interrupted; marked FAILED", w.Name)
	e.setState(t, i, ocp.SubtaskFailed, at)
	e.schedule(t, at)
}

// targets are the servers a step acts on.
func (t *task) targets(i int) []*member {
	if m := t.steps[i].m; m != nil {
		return []*member{m}
	}
	return t.members
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

// ---- operations ----

func conflict(op, format string, args ...any) error {
	return backend.Errorf(backend.Conflict, op, format, args...)
}

// taskState names a task's state for a refusal: its status, and its
// operation when that says more ("SUCCESSFUL (rolled back)").
func taskState(t *task) string {
	st := string(t.w.Status)
	switch {
	case t.w.Operation != ocp.OpRollback:
	case t.w.Status == ocp.TaskSuccessful:
		st += " (rolled back)"
	default:
		st += " with operation ROLLBACK"
	}
	return st
}

// retryTask is OCP's: only a FAILED task whose operation is not ROLLBACK;
// it runs again with operation RETRY, each FAILED step READY with
// operation RETRY and runTime + 1.
func (e *Executor) retryTask(op string, t *task, at time.Time) error {
	switch {
	case t.w.Status != ocp.TaskFailed:
		return conflict(op, "task %d is %s; only a FAILED task can be retried", t.w.ID, taskState(t))
	case t.w.Operation == ocp.OpRollback:
		return conflict(op, "task %d is %s: its rollback failed and cannot be retried; roll it back again, or skip the step that failed", t.w.ID, taskState(t))
	}
	if err := e.acquire(op, t); err != nil {
		return err
	}
	t.w.Status, t.w.Operation, t.w.FinishTime = ocp.TaskRunning, ocp.OpRetry, ocp.Time{}
	for i := range t.w.Subtasks {
		w := &t.w.Subtasks[i]
		if w.Status == ocp.SubtaskFailed {
			w.RunTime++
			w.Operation = ocp.OpRetry
			e.makeReady(t, i, at)
		}
	}
	e.schedule(t, at)
	return nil
}

// reopen puts a FAILED task back to RUNNING for a subtask operation; its
// operation stays what it was, as in OCP.
func (e *Executor) reopen(op string, t *task) error {
	if t.w.Status == ocp.TaskRunning {
		return nil
	}
	if err := e.acquire(op, t); err != nil {
		return err
	}
	t.w.Status, t.w.FinishTime = ocp.TaskRunning, ocp.Time{}
	return nil
}

func (e *Executor) onlyFailed(op string, t *task, i int, verb string) error {
	if w := &t.w.Subtasks[i]; w.Status != ocp.SubtaskFailed {
		return conflict(op, "subtask %d (%s) is %s; only a FAILED subtask can be %s", w.ID, w.Name, w.Status, verb)
	}
	return nil
}

// retrySubtask is OCP's: only a FAILED step whose operation is not
// ROLLBACK; it is READY again with operation RETRY, its runTime unchanged,
// and the task RUNNING with its operation unchanged. The simulator also
// refuses it while the task's operation is ROLLBACK (a cancelled rollback
// step): OCP would accept it and then run the step forward in the middle
// of a rollback, over and over.
func (e *Executor) retrySubtask(op string, t *task, i int, at time.Time) error {
	if err := e.onlyFailed(op, t, i, "retried"); err != nil {
		return err
	}
	w := &t.w.Subtasks[i]
	switch {
	case w.Operation == ocp.OpRollback:
		return conflict(op, "subtask %d (%s) is FAILED with operation ROLLBACK: its rollback failed; roll the task back again, or skip the step", w.ID, w.Name)
	case t.w.Operation == ocp.OpRollback:
		return conflict(op, "subtask %d (%s) cannot be retried: task %d is %s; roll it back again, or skip the step", w.ID, w.Name, t.w.ID, taskState(t))
	}
	if err := e.reopen(op, t); err != nil {
		return err
	}
	w.Operation = ocp.OpRetry
	e.makeReady(t, i, at)
	return nil
}

// skipSubtask is OCP's: only a FAILED step; it is READY again with
// operation SKIP, or ROLLBACK_SKIP during a rollback, and the scheduler
// then runs it: SKIP ends SUCCESSFUL (the task goes on as if it had
// succeeded), ROLLBACK_SKIP ends PENDING (the rollback goes on without
// undoing it).
func (e *Executor) skipSubtask(op string, t *task, i int, at time.Time) error {
	if err := e.onlyFailed(op, t, i, "skipped"); err != nil {
		return err
	}
	w := &t.w.Subtasks[i]
	if w.ProhibitSkip {
		return conflict(op, "subtask %d (%s) may not be skipped", w.ID, w.Name)
	}
	if err := e.reopen(op, t); err != nil {
		return err
	}
	w.Operation = ocp.OpSkip
	if t.w.Operation == ocp.OpRollback {
		w.Operation = ocp.OpRollbackSkip
	}
	e.makeReady(t, i, at)
	return nil
}

// cancelSubtask is OCP's: only a RUNNING step. It is CANCELING until the
// canceling worker interrupts it, RUNNING with operation CANCEL until the
// running worker sees that, then FAILED; the task then fails as usual.
func (e *Executor) cancelSubtask(op string, t *task, i int, at time.Time) error {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	if w.Status != ocp.SubtaskRunning {
		return conflict(op, "subtask %d (%s) is %s; only a RUNNING subtask can be cancelled", w.ID, w.Name, w.Status)
	}
	s.stopTimer()
	s.truncateAfter(at)
	w.Status = ocp.SubtaskCanceling
	e.after(t, i, at.Add(e.cancelDelay(t, i, 1)), e.cancelRun)
	return nil
}

// rollbackTask is OCP's: only a FAILED task that does not prohibit it. The
// task runs again with operation ROLLBACK; every step that ran gets
// operation ROLLBACK and keeps its state until the scheduler reaches it,
// backwards; those with nothing after them to undo are READY at once.
func (e *Executor) rollbackTask(op string, t *task, at time.Time) error {
	switch {
	case t.w.Status == ocp.TaskRunning:
		return conflict(op, "task %d is RUNNING; only a FAILED task can be rolled back (cancel its running step first)", t.w.ID)
	case t.w.Status != ocp.TaskFailed:
		return conflict(op, "task %d is %s; only a FAILED task can be rolled back", t.w.ID, taskState(t))
	case t.w.ProhibitRollback:
		// OCP's own code for this refusal (400/20004), so serve answers it as OCP does.
		err := backend.Errorf(backend.Conflict, op, "task %d prohibits rollback", t.w.ID)
		err.Code = string(ocp.CodeTaskProhibitRollback)
		return err
	}
	if err := e.acquire(op, t); err != nil {
		return err
	}
	t.w.Status, t.w.Operation, t.w.FinishTime = ocp.TaskRunning, ocp.OpRollback, ocp.Time{}
	for i := range t.w.Subtasks {
		w := &t.w.Subtasks[i]
		if w.Status == ocp.SubtaskPending {
			continue
		}
		w.Operation = ocp.OpRollback
		if t.allDowns(i, ocp.SubtaskPending) {
			e.makeReady(t, i, at)
		}
	}
	e.schedule(t, at)
	return nil
}
