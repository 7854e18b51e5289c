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
