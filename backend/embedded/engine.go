package embedded

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

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
	branch int // parallel branch in a zone restart, -1 otherwise
}

type task struct {
	w             ocp.Task
	kind          taskKind
	force         bool
	cluster       *cluster
	zone          *zone
	members       []*member
	steps         []step // aligned with w.Subtasks
	formerZone    ocp.ZoneStatus
	formerCluster ocp.ClusterStatus
	rollingBack   bool
	rolledBack    bool
	rbPending     int // steps still to roll back
}

type step struct {
	def      *stepDef
	m        *member // nil: a zone-level step acting on every member
	ups      []int
	downs    []int
	log      []logLine
	gen      uint32 // bumped to orphan a pending timer
	timer    Timer
	execs    int  // forward executions started
	rollback bool // marked to be rolled back
}

// node is a step while a graph is being laid out, in execution order.
type node struct {
	kind        stepKind
	m           *member
	ups         []int
	parallelIdx int
	idOffset    int64
	seriesID    int64
	listPos     int
	desc        string
}

func (e *Executor) newServerTask(s *server, force bool, now time.Time) *task {
	m := &member{srv: s, former: s.w.Status, branch: -1}
	nodes := make([]node, 0, len(restartLayout))
	for _, l := range restartLayout {
		if force && l.kind == kStopServer {
			continue // force ends the process without the graceful stop
		}
		n := node{kind: l.kind, m: m, parallelIdx: -1, idOffset: l.idOffset, seriesID: l.seriesID, listPos: l.listPos}
		if len(nodes) > 0 {
			n.ups = []int{len(nodes) - 1}
		}
		nodes = append(nodes, n)
	}
	t := e.newTask(kindServer, "Restart OB server", s.zone, []*member{m}, force, nodes, restartIDBlock, now)
	t.w.Context.StringMap["server_id"] = strconv.FormatInt(s.w.ID, 10)
	return t
}

// newZoneTask lays out a rolling zone restart: pre-check, stop zone, then
// every server's stop/start/wait/agent chain as a parallel branch, then
// start zone and the status updates.
func (e *Executor) newZoneTask(z *zone, force bool, now time.Time) *task {
	members := make([]*member, len(z.servers))
	for i, s := range z.servers {
		members[i] = &member{srv: s, former: s.w.Status, branch: i}
	}
	nodes := []node{{kind: kPrepareZone, parallelIdx: -1}}
	if !force {
		nodes = append(nodes, node{kind: kStopZone, parallelIdx: -1, ups: []int{0}})
	}
	fork := len(nodes) - 1
	var ends []int
	for _, m := range members {
		prev := fork
		for _, k := range []stepKind{kStopProcess, kStartProcess, kWaitActive, kStartAgent} {
			nodes = append(nodes, node{kind: k, m: m, parallelIdx: m.branch, ups: []int{prev},
				desc: stepDefs[k].name + " on " + m.srv.w.Address()})
			prev = len(nodes) - 1
		}
		ends = append(ends, prev)
	}
	nodes = append(nodes, node{kind: kStartZone, parallelIdx: -1, ups: ends})
	for _, k := range []stepKind{kUpdateServer, kUpdateZone, kSyncCluster, kUpdateCluster} {
		nodes = append(nodes, node{kind: k, parallelIdx: -1, ups: []int{len(nodes) - 1}})
	}
	// Like OCP, list the steps and number their series in an order that
	// says nothing about execution; seeded, so a drill looks the same.
	key := uint64(e.nextTaskID)
	listOrder := e.permutation(len(nodes), key, 0)
	series := e.permutation(len(nodes), key, 1)
	for i := range nodes {
		nodes[i].idOffset = int64(i)
		nodes[i].listPos = listOrder[i]
		nodes[i].seriesID = int64(series[i])
	}
	t := e.newTask(kindZone, "Restart OB zone", z, members, force, nodes, int64(len(nodes)), now)
	t.w.Context.Parallel = true
	return t
}

// permutation is a seeded shuffle of 0..n-1.
func (e *Executor) permutation(n int, key, salt uint64) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := int(e.rand(key, uint64(i)<<8|salt, saltOrder) * float64(i+1))
		p[i], p[j] = p[j], p[i]
	}
	return p
}

func (e *Executor) newTask(kind taskKind, name string, z *zone, members []*member, force bool, nodes []node, idBlock int64, now time.Time) *task {
	c := z.cluster
	id := e.nextTaskID
	e.nextTaskID++
	subBase := e.nextSubID
	e.nextSubID += idBlock
	at := ocp.NewTime(now)

	// Positions in subtasks[] follow listPos ranks (dense even when the
	// force variant dropped a step).
	order := make([]int, len(nodes))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return nodes[a].listPos - nodes[b].listPos })
	pos := make([]int, len(nodes))
	for rank, ni := range order {
		pos[ni] = rank
	}

	serverIDs := make([]string, len(members))
	for i, m := range members {
		serverIDs[i] = strconv.FormatInt(m.srv.w.ID, 10)
	}
	t := &task{
		kind: kind, force: force, cluster: c, zone: z, members: members,
		formerZone: z.w.Status, formerCluster: c.w.Status,
		steps: make([]step, len(nodes)),
		w: ocp.Task{
			ID: id, Name: name, Status: ocp.TaskRunning, Type: ocp.TaskManual, Operation: ocp.OpExecute,
			Creator: ocp.Creator{Name: "admin"}, Executor: executorAddress, ClusterID: c.w.ID,
			CreateTime: at, StartTime: at, TaskDefinitionID: -1,
			Context: ocp.TaskContext{
				ListMap: map[string][]string{"server_ids": serverIDs},
				StringMap: map[string]string{
					"cluster_name":          c.w.Name,
					"cluster_id":            strconv.FormatInt(c.w.ID, 10),
					"ocpagent_service_name": "agent",
					"prohibit_rollback":     "false",
					"former_cluster_status": string(c.w.Status),
					"target_cluster_status": string(ocp.ClusterRunning),
					"former_zone_status":    string(z.w.Status),
					"target_zone_status":    string(ocp.ServerRunning),
					"zone_name":             z.w.Name,
				},
				ParallelIdx: -1,
			},
			Subtasks: make([]ocp.Subtask, len(nodes)),
		},
	}
	if force {
		t.w.Context.StringMap["force"] = "true"
	}
	// Edge ids share one array per task; the engine never appends to them.
	nEdges := 0
	for _, n := range nodes {
		nEdges += 2 * len(n.ups)
	}
	edges := make([]int64, 0, nEdges)
	downs := make([][]int, len(nodes))
	for i, n := range nodes {
		for _, u := range n.ups {
			downs[u] = append(downs[u], i)
		}
	}
	for i, n := range nodes {
		p := pos[i]
		d := &stepDefs[n.kind]
		s := &t.steps[p]
		s.def, s.m = d, n.m
		for _, u := range n.ups {
			s.ups = append(s.ups, pos[u])
		}
		for _, dn := range downs[i] {
			s.downs = append(s.downs, pos[dn])
		}
		a := len(edges)
		for _, u := range n.ups {
			edges = append(edges, subBase+nodes[u].idOffset)
		}
		b := len(edges)
		for _, dn := range downs[i] {
			edges = append(edges, subBase+nodes[dn].idOffset)
		}
		desc := n.desc
		if desc == "" {
			desc = d.name
		}
		t.w.Subtasks[p] = ocp.Subtask{
			ID: subBase + n.idOffset, Name: d.name, Description: desc, ClassName: classPrefix + d.class,
			NodeType: ocp.NodeJavaTask, Status: ocp.SubtaskPending, Operation: ocp.OpExecute,
			Timeout: d.timeout, RunTime: 1, CreateTime: at, SeriesID: n.seriesID, ParallelIdx: n.parallelIdx,
			Upstreams: edges[a:b:b], Downstreams: edges[b:len(edges):len(edges)],
		}
	}
	e.tasks = append(e.tasks, t)
	e.taskByID[id] = t
	e.hold(t)
	for i := range t.steps {
		if len(t.steps[i].ups) == 0 {
			e.makeReady(t, i, now)
		}
	}
	return t
}

// hold marks the task's servers (and zone) as busy with it.
func (e *Executor) hold(t *task) {
	now := e.clock.Now()
	for _, m := range t.members {
		m.srv.task = t
		if m.phase < phUpdated {
			setServerStatus(m.srv, ocp.ServerRestarting, now)
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
			return backend.Errorf(backend.Conflict, op, "server %s now has another running task %d (%s)", m.srv.w.Address(), o.w.ID, o.w.Name)
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

// makeReady queues a step; OCP's scheduler picks it up a moment later.
func (e *Executor) makeReady(t *task, i int, at time.Time) {
	w := &t.w.Subtasks[i]
	w.Status = ocp.SubtaskReady
	delay := 200*time.Millisecond + time.Duration(e.rand(uint64(w.ID), uint64(w.RunTime)<<1|b2u(t.steps[i].rollback), saltDispatch)*float64(800*time.Millisecond))
	e.after(t, i, at.Add(delay), e.startStep)
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

func (e *Executor) startStep(t *task, i int, at time.Time) {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	w.Status = ocp.SubtaskRunning
	w.StartTime = ocp.NewTime(at)
	w.FinishTime = ocp.Time{}
	w.Executor = executorAddress
	if s.rollback {
		d := time.Second + time.Duration(e.rand(uint64(w.ID), 99, saltDuration)*float64(2*time.Second))
		e.writeRollback(t, i, at, d)
		e.after(t, i, at.Add(d), e.succeed)
		return
	}
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

func (e *Executor) succeed(t *task, i int, at time.Time) {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	w.Status = ocp.SubtaskSuccessful
	w.FinishTime = ocp.NewTime(at)
	if s.rollback {
		e.undo(t, i, at)
		t.rbPending--
		for _, u := range s.ups {
			if t.steps[u].rollback && t.w.Subtasks[u].Status == ocp.SubtaskPending && e.downsRolledBack(t, u) {
				e.makeReady(t, u, at)
			}
		}
		e.settle(t, at)
		return
	}
	e.apply(t, i, at)
	e.releaseDownstreams(t, i, at)
	e.settle(t, at)
}

func (e *Executor) releaseDownstreams(t *task, i int, at time.Time) {
	for _, d := range t.steps[i].downs {
		if t.w.Subtasks[d].Status != ocp.SubtaskPending {
			continue
		}
		ready := true
		for _, u := range t.steps[d].ups {
			if t.w.Subtasks[u].Status != ocp.SubtaskSuccessful {
				ready = false
				break
			}
		}
		if ready {
			e.makeReady(t, d, at)
		}
	}
}

func (e *Executor) downsRolledBack(t *task, i int) bool {
	for _, d := range t.steps[i].downs {
		if t.steps[d].rollback && t.w.Subtasks[d].Status != ocp.SubtaskSuccessful {
			return false
		}
	}
	return true
}

func (e *Executor) fail(t *task, i int, at time.Time) {
	w := &t.w.Subtasks[i]
	w.Status = ocp.SubtaskFailed
	w.FinishTime = ocp.NewTime(at)
	e.settle(t, at)
}

func (e *Executor) timeOut(t *task, i int, at time.Time) {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	s.truncateAfter(at)
	s.logf(at, "ERROR", "subtask %s timed out: still running after %ds, its timeout; marked FAILED (retry it, or skip it once the server is checked by hand)",
		w.Name, w.Timeout)
	e.fail(t, i, at)
}

// settle ends the task once nothing is queued or running.
func (e *Executor) settle(t *task, at time.Time) {
	if t.w.Status != ocp.TaskRunning {
		return
	}
	failed, pending := false, false
	for i := range t.w.Subtasks {
		switch t.w.Subtasks[i].Status {
		case ocp.SubtaskReady, ocp.SubtaskRunning, ocp.SubtaskCanceling:
			return
		case ocp.SubtaskFailed:
			failed = true
		case ocp.SubtaskPending:
			pending = true
		}
	}
	switch {
	case t.rollingBack:
		if t.rbPending == 0 {
			e.finishRollback(t, at)
		}
	case failed:
		e.endTask(t, ocp.TaskFailed, at)
	case !pending:
		e.endTask(t, ocp.TaskSuccessful, at)
	}
}

// targets are the servers a step acts on.
func (t *task) targets(i int) []*member {
	if m := t.steps[i].m; m != nil {
		return []*member{m}
	}
	return t.members
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
			m.srv.w.StopTime = ocp.NewTime(at)
		}
	case kStartProcess:
		set(phProcUp)
		for _, m := range t.targets(i) {
			m.srv.w.StartTime = ocp.NewTime(at)
		}
	case kWaitActive, kStartAgent:
		set(phActive)
	case kStartServer, kStartZone:
		set(phInService)
	case kUpdateServer:
		set(phUpdated)
		for _, m := range t.targets(i) {
			setServerStatus(m.srv, ocp.ServerRunning, at)
		}
	case kUpdateZone:
		t.zone.w.Status = ocp.ZoneStatus(t.w.Context.Get("target_zone_status"))
	case kSyncCluster:
		t.cluster.w.UpdateTime = ocp.NewTime(at)
	case kUpdateCluster:
		t.cluster.w.Status = ocp.ClusterStatus(t.w.Context.Get("target_cluster_status"))
		t.cluster.w.UpdateTime = ocp.NewTime(at)
	}
}

// undo is the fleet side of rolling back one step; statuses are restored
// when the whole rollback ends.
func (e *Executor) undo(t *task, i int, at time.Time) {
	if t.steps[i].def.kind == kStopProcess {
		for _, m := range t.targets(i) {
			if m.phase == phProcDown { // the restart never got it back up
				m.srv.w.StartTime = ocp.NewTime(at)
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
		if m.srv.w.Status != want {
			setServerStatus(m.srv, want, at)
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
			if s.w.Status != st {
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

func (e *Executor) finishRollback(t *task, at time.Time) {
	t.rollingBack, t.rolledBack = false, true
	t.w.Status = ocp.TaskSuccessful
	t.w.FinishTime = ocp.NewTime(at)
	for _, m := range t.members {
		m.phase = phUntouched
		setServerStatus(m.srv, m.former, at)
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

// endedReason says why a finished task takes no more operations, "" when
// it is FAILED and may.
func endedReason(t *task) string {
	switch {
	case t.rolledBack:
		return "it was rolled back; start a new restart instead"
	case t.rollingBack:
		return "it is rolling back"
	case t.w.Status == ocp.TaskSuccessful:
		return "it already succeeded"
	}
	return ""
}

func (e *Executor) retryTask(op string, t *task, at time.Time) error {
	if r := endedReason(t); r != "" {
		return conflict(op, "task %d cannot be retried: %s", t.w.ID, r)
	}
	if t.w.Status == ocp.TaskRunning {
		return conflict(op, "task %d is still RUNNING; only a FAILED task can be retried", t.w.ID)
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
	return nil
}

// reopen puts a FAILED task back to RUNNING for a subtask operation.
func (e *Executor) reopen(op string, t *task) error {
	if t.w.Status == ocp.TaskRunning {
		return nil
	}
	if err := e.acquire(op, t); err != nil {
		return err
	}
	t.w.Status, t.w.Operation, t.w.FinishTime = ocp.TaskRunning, ocp.OpRetry, ocp.Time{}
	return nil
}

func (e *Executor) subtaskOpAllowed(op string, t *task, i int, verb string, want ...ocp.SubtaskStatus) error {
	w := &t.w.Subtasks[i]
	if t.rollingBack || t.rolledBack {
		return conflict(op, "subtask %d (%s) cannot be %s: task %d %s", w.ID, w.Name, verb, t.w.ID, endedReason(t))
	}
	if !slices.Contains(want, w.Status) {
		names := make([]string, len(want))
		for k, s := range want {
			names[k] = string(s)
		}
		return conflict(op, "subtask %d (%s) is %s; only a %s subtask can be %s", w.ID, w.Name, w.Status, strings.Join(names, " or "), verb)
	}
	return nil
}

func (e *Executor) retrySubtask(op string, t *task, i int, at time.Time) error {
	if err := e.subtaskOpAllowed(op, t, i, "retried", ocp.SubtaskFailed); err != nil {
		return err
	}
	if err := e.reopen(op, t); err != nil {
		return err
	}
	w := &t.w.Subtasks[i]
	w.RunTime++
	w.Operation = ocp.OpRetry
	e.makeReady(t, i, at)
	return nil
}

func (e *Executor) skipSubtask(op string, t *task, i int, at time.Time) error {
	if err := e.subtaskOpAllowed(op, t, i, "skipped", ocp.SubtaskFailed); err != nil {
		return err
	}
	w := &t.w.Subtasks[i]
	if w.ProhibitSkip {
		return conflict(op, "subtask %d (%s) may not be skipped", w.ID, w.Name)
	}
	if err := e.reopen(op, t); err != nil {
		return err
	}
	w.Status = ocp.SubtaskSuccessful
	w.Operation = ocp.OpSkip
	w.FinishTime = ocp.NewTime(at)
	t.steps[i].logf(at, "WARN ", "skipped by admin: marked SUCCESSFUL without running again; the next steps go on as if it had succeeded")
	e.apply(t, i, at)
	e.releaseDownstreams(t, i, at)
	e.settle(t, at)
	return nil
}

func (e *Executor) cancelSubtask(op string, t *task, i int, at time.Time) error {
	if err := e.subtaskOpAllowed(op, t, i, "cancelled", ocp.SubtaskRunning, ocp.SubtaskReady); err != nil {
		return err
	}
	s, w := &t.steps[i], &t.w.Subtasks[i]
	s.stopTimer()
	s.truncateAfter(at)
	s.logf(at, "WARN ", "cancelled by admin: %s interrupted; marked FAILED", w.Name)
	if w.Status == ocp.SubtaskReady { // never started this attempt
		w.StartTime = ocp.NewTime(at)
	}
	w.Status = ocp.SubtaskFailed
	w.Operation = ocp.OpCancel
	w.FinishTime = ocp.NewTime(at)
	e.settle(t, at)
	return nil
}

func (e *Executor) rollbackTask(op string, t *task, at time.Time) error {
	if r := endedReason(t); r != "" {
		return conflict(op, "task %d cannot be rolled back: %s", t.w.ID, r)
	}
	if t.w.Status == ocp.TaskRunning {
		return conflict(op, "task %d is still RUNNING; only a FAILED task can be rolled back (cancel its running step first)", t.w.ID)
	}
	if t.w.ProhibitRollback {
		return conflict(op, "task %d prohibits rollback", t.w.ID)
	}
	if err := e.acquire(op, t); err != nil {
		return err
	}
	t.rollingBack = true
	t.w.Status, t.w.Operation, t.w.FinishTime = ocp.TaskRunning, ocp.OpRollback, ocp.Time{}
	for i := range t.w.Subtasks {
		w := &t.w.Subtasks[i]
		if w.Status == ocp.SubtaskSuccessful || w.Status == ocp.SubtaskFailed {
			t.steps[i].rollback = true
			w.Status = ocp.SubtaskPending
			w.Operation = ocp.OpRollback
			t.rbPending++
		}
	}
	for i := range t.steps {
		if t.steps[i].rollback && e.downsRolledBack(t, i) {
			e.makeReady(t, i, at)
		}
	}
	e.settle(t, at)
	return nil
}
