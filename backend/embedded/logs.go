package embedded

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/obconsole/obconsole/backend/ocp"
)

// logLine is one line of a step's log. Lines are written ahead for the
// whole attempt with their planned times and shown once the clock reaches
// them, so a running step's log grows without a timer per line. The
// timestamp prefix is formatted on read: logs are written far more often
// than read.
type logLine struct {
	at    time.Time
	level string
	msg   string
}

const logTimeLayout = "2006-01-02 15:04:05.000"

func (s *step) add(at time.Time, level, msg string) {
	s.log = append(s.log, logLine{at: at, level: level, msg: msg})
}

func (s *step) logf(at time.Time, level, format string, args ...any) {
	s.add(at, level, fmt.Sprintf(format, args...))
}

// truncateAfter drops lines planned after at: the attempt was cut short.
func (s *step) truncateAfter(at time.Time) {
	n := len(s.log)
	for n > 0 && s.log[n-1].at.After(at) {
		n--
	}
	s.log = s.log[:n]
}

// text is the log as of now, lines joined by "\n". A line without a
// level is written as it is, like OCP's run separators and state lines.
func (s *step) text(now time.Time) string {
	var b []byte
	for i, l := range s.log {
		if l.at.After(now) {
			break
		}
		if i > 0 {
			b = append(b, '\n')
		}
		if l.level == "" {
			b = append(b, l.msg...)
			continue
		}
		b = l.at.AppendFormat(b, logTimeLayout)
		b = append(b, ' ')
		b = append(b, l.level...)
		b = append(b, ' ')
		b = append(b, l.msg...)
	}
	return string(b)
}

// separator opens a run's part of the log as OCP's runner does
// (RunnerFactory: "############{%s}{%s}############", the operation and
// the time).
func (s *step) separator(at time.Time, op ocp.Operation) {
	s.add(at, "", "############{"+string(op)+"}{"+javaTime(at)+"}############")
}

// javaTime formats t the way Java's OffsetDateTime.toString does, to the
// millisecond: seconds only when not zero, the fraction only when not
// zero, "Z" for UTC.
func javaTime(t time.Time) string {
	t = t.Truncate(time.Millisecond)
	layout := "2006-01-02T15:04"
	switch {
	case t.Nanosecond() != 0:
		layout += ":05.000"
	case t.Second() != 0:
		layout += ":05"
	}
	return t.Format(layout + "Z07:00")
}

// attempt is the plan for one forward execution of a step.
type attempt struct {
	d       time.Duration
	ok      bool
	hang    bool
	lead    time.Duration // the first part of d: the minor freeze before a stop
	leadLog []string      // INFO lines spread over lead
	work    []string      // INFO lines spread over the rest of the attempt
	warn    []string      // WARN lines right after the start line
	failMsg string
	// stall is the last part of a failing attempt: nothing new happens
	// after its last work line until it gives up (its failMsg says how long).
	stall time.Duration
}

// scenarioFor is the drill a step runs under: the scenarios of the
// servers it acts on (a server's own from the fleet, else the run's),
// together.
func (e *Executor) scenarioFor(t *task, i int) Scenario {
	var sc Scenario
	for _, m := range t.targets(i) {
		o := e.scenario
		if m.srv.scenario != nil {
			o = *m.srv.scenario
		}
		sc.failOnce |= o.failOnce
		sc.hang |= o.hang
		sc.rollbackFail |= o.rollbackFail
		sc.precheckFail = sc.precheckFail || o.precheckFail
		sc.slow = sc.slow || o.slow
	}
	return sc
}

// prechecks reports whether step i is the task's pre-check: the server
// restart's "Prepare restart observer", the zone restart's "Prepare
// restart OB zone" (a zone restart's per-server preparation checks
// nothing more).
func (t *task) prechecks(i int) bool {
	k := t.steps[i].def.kind
	return (t.kind == kindServer && k == kPrepare) || (t.kind == kindZone && k == kPrepareZone)
}

// kills reports whether the task kills the observer instead of stopping it
// gracefully: a force server restart. A zone restart runs the same steps
// forced or not; force only lets it go on despite its pre-check.
func (t *task) kills() bool { return t.force && t.kind == kindServer }

// freezes reports whether step i stops the observer with freezeServer
// set: it runs a minor compaction first.
func (t *task) freezes(i int) bool {
	k := t.steps[i].def.kind
	return t.freeze && ((!t.kills() && k == kStopServer) || (t.kills() && k == kStopProcess))
}

// plan decides how an attempt goes: duration from the seed, outcome from
// the rules (pre-check) and the scenario.
func (e *Executor) plan(t *task, i int) attempt {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	def := s.def
	sc := e.scenarioFor(t, i)
	first := s.execs == 1

	d := time.Duration(float64(def.base) * (0.8 + 0.4*e.rand(e.idKey(w.ID), uint64(s.execs), saltDuration)))
	if sc.slow && def.observer {
		d = time.Duration(float64(d) * slowFactor)
	}
	if t.kills() && def.kind == kWaitActive {
		d = d * 13 / 10 // a killed observer replays more clog before it is active
	}
	a := attempt{d: d, ok: true, work: e.workLines(t, i)}
	if t.freezes(i) {
		a.lead = 3*time.Second + time.Duration(e.rand(e.idKey(w.ID), uint64(s.execs), saltFreeze)*float64(5*time.Second))
		a.d += a.lead
		a.leadLog = e.freezeLines(t, i, a.lead)
	}
	if t.prechecks(i) {
		problems := e.precheck(t, sc)
		switch {
		case len(problems) > 0 && t.force:
			for _, p := range problems {
				a.warn = append(a.warn, "force restart: going on despite: "+p)
			}
		case len(problems) > 0:
			a.ok = false
			a.failMsg = "pre-check failed: " + strings.Join(problems, "; ") + ". Nothing was restarted; a force restart skips this check"
			a.work = a.work[:len(a.work)-1] // no "pre-check passed"
		}
	}
	switch {
	case sc.hang.has(def.kind) && first:
		a.hang = true
	case sc.failOnce.has(def.kind) && first && a.ok:
		f := e.failure(t, i, len(a.work))
		a.ok, a.failMsg, a.stall = false, f.msg, f.stall
		a.work = a.work[:f.keep]
		a.d += f.stall
	}
	return a
}

// freezeLines log the minor compaction freezeServer asks for.
func (e *Executor) freezeLines(t *task, i int, d time.Duration) []string {
	srv := t.targets(i)[0].srv
	n := 4 + int(e.rand(e.idKey(t.w.Subtasks[i].ID), 3, saltDetail)*20)
	return []string{
		fmt.Sprintf("freeze server before stopping it (freezeServer=true): ALTER SYSTEM MINOR FREEZE SERVER = ('%s')", srv.address()),
		fmt.Sprintf("minor freeze on %s: %d memtables frozen, dumping to sstables", srv.address(), n),
		fmt.Sprintf("minor compaction on %s done in %.1fs", srv.address(), d.Seconds()),
	}
}

// runLine is the line OCP's runner starts a run with.
func (e *Executor) runLine(t *task, i int, verb string) string {
	w := &t.w.Subtasks[i]
	return fmt.Sprintf("%s subtask, id=%d, name=%s, task=%d, cluster=%s, executor=%s", verb, w.ID, w.Name, t.w.ID, t.cluster.w.Name, executorAddress)
}

func (e *Executor) writeAttempt(t *task, i int, at time.Time, a attempt) {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	verb := "Run"
	if w.Operation == ocp.OpRetry {
		verb = "Retry"
	}
	s.add(at, "INFO ", e.runLine(t, i, verb))
	s.log = slices.Grow(s.log, len(a.leadLog)+len(a.work)+len(a.warn)+3)
	for _, l := range a.warn {
		s.add(at, "WARN ", l)
	}
	for k, l := range a.leadLog {
		s.add(at.Add(a.lead*time.Duration(k+1)/time.Duration(len(a.leadLog))), "INFO ", l)
	}
	at = at.Add(a.lead)
	if a.hang {
		// Something that never comes back: the step logs that it is still
		// waiting until its timeout fails it.
		timeout := time.Duration(w.Timeout) * time.Second
		if len(a.work) > 0 {
			s.add(at.Add(min(timeout/40, time.Second)), "INFO ", a.work[0])
		}
		every := timeout / 8
		for k := 1; k < 8; k++ {
			s.logf(at.Add(every*time.Duration(k)), "WARN ", "%s: still waiting after %ds (timeout %ds)", e.waitingFor(t, i), int64(every*time.Duration(k)/time.Second), w.Timeout)
		}
		return
	}
	rest := a.d - a.lead - a.stall
	// Work lines are spread over the rest; an attempt that stalls logs its
	// last one as the stall begins, so the seconds its error names are the
	// log's own.
	parts := len(a.work) + 1
	if a.stall > 0 {
		parts = len(a.work)
	}
	for k, l := range a.work {
		s.add(at.Add(rest*time.Duration(k+1)/time.Duration(parts)), "INFO ", l)
	}
	end := at.Add(rest + a.stall)
	if a.ok {
		s.logf(end, "INFO ", "subtask %s finished: SUCCESSFUL in %.1fs", w.Name, a.d.Seconds())
		return
	}
	s.add(end, "ERROR", a.failMsg)
	s.logf(end, "ERROR", "subtask %s finished: FAILED in %.1fs", w.Name, a.d.Seconds())
}

func (e *Executor) writeRollback(t *task, i int, at time.Time, d time.Duration, ok bool) {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	s.add(at, "WARN ", e.runLine(t, i, "Rollback"))
	if !ok {
		s.logf(at.Add(d), "ERROR", "rollback: %s failed: %s", e.undoLine(t, i), e.rollbackFailMessage(t, i))
		s.logf(at.Add(d), "ERROR", "rollback of %s finished: FAILED in %.1fs", w.Name, d.Seconds())
		return
	}
	s.logf(at.Add(d/2), "INFO ", "rollback: %s", e.undoLine(t, i))
	s.logf(at.Add(d), "INFO ", "rollback of %s finished in %.1fs", w.Name, d.Seconds())
}

func (e *Executor) writeSkip(t *task, i int, at time.Time) {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	s.logf(at, "WARN ", "Operation is %s, do nothing", w.Operation)
	if w.Operation == ocp.OpRollbackSkip {
		s.add(at, "WARN ", "rollback skipped by admin: left as it is, not undone; the rollback goes on with the steps before it")
		return
	}
	s.add(at, "WARN ", "skipped by admin: marked SUCCESSFUL without running again; the next steps go on as if it had succeeded")
}

// precheck lists why a normal restart must not go ahead. Its majority
// rules are ocp.AssessRestart's, which the console's restart dialogs show,
// so the dialog and the pre-check agree.
func (e *Executor) precheck(t *task, sc Scenario) []string {
	var problems []string
	target := ocp.RestartTarget{Zone: t.zone.w.Name}
	if t.kind == kindServer {
		target.ServerID = t.members[0].srv.id
	}
	zones, servers := e.clusterWire(t.cluster)
	imp := ocp.AssessRestart(zones, servers, target)
	if t.kind == kindServer {
		m := t.members[0]
		if m.former != ocp.ServerRunning {
			problems = append(problems, fmt.Sprintf("server %s is %s, not RUNNING", m.srv.address(), m.former))
		}
		if imp.PrecheckRefuses() {
			var down []string
			for _, z := range imp.OthersDown() {
				if len(z.Down) > 0 {
					down = append(down, fmt.Sprintf("zone %s has %s %s", z.Name, z.Down[0].Address(), z.Down[0].Status))
				} else {
					down = append(down, fmt.Sprintf("zone %s is %s", z.Name, z.Status))
				}
			}
			problems = append(problems, fmt.Sprintf("%s; restarting a server of %s too would leave %d of %d zones serving, below the majority of %d",
				strings.Join(down, ", "), t.zone.w.Name, imp.ServingAfter, imp.Total(), imp.Majority))
		}
	} else if imp.PrecheckRefuses() {
		for _, z := range imp.OthersDown() {
			problems = append(problems, fmt.Sprintf("zone %s is not fully RUNNING (%s)", z.Name, strings.Join(z.Faults(), ", ")))
		}
	}
	if sc.precheckFail {
		s := t.members[0].srv
		problems = append(problems, fmt.Sprintf("clog disk usage on %s is %d%%, above the 90%% limit for a restart",
			s.address(), 91+int(e.rand(uint64(s.id), 0, saltDetail)*8)))
	}
	return problems
}

// clusterWire is a cluster's zones and servers as OCP lists them.
func (e *Executor) clusterWire(c *cluster) ([]ocp.Zone, []ocp.Server) {
	zones := make([]ocp.Zone, 0, len(c.zones))
	var servers []ocp.Server
	for _, z := range c.zones {
		zones = append(zones, z.w)
		for _, s := range z.servers {
			servers = append(servers, e.view(s))
		}
	}
	return zones, servers
}

func (e *Executor) pid(m *member, gen uint64) int {
	return 10000 + int(e.rand(uint64(m.srv.id), gen, saltPID)*50000)
}

// workLines are the believable middle of a step's log.
func (e *Executor) workLines(t *task, i int) []string {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	c, z := t.cluster, t.zone
	addr, ip, srv := "", "", (*server)(nil)
	if len(t.targets(i)) == 1 {
		srv = t.targets(i)[0].srv
		addr, ip = srv.address(), srv.ip
	}
	all := make([]string, 0, len(t.members))
	for _, m := range t.members {
		all = append(all, m.srv.address())
	}
	switch s.def.kind {
	case kPrepare:
		m := t.targets(i)[0]
		if t.kind == kindZone {
			return []string{
				fmt.Sprintf("prepare restart of %s in zone %s: status %s, version %s", addr, z.w.Name, m.former, srv.version),
				fmt.Sprintf("record %s as RESTARTING in the metadb", addr),
				fmt.Sprintf("%s ready to restart", addr),
			}
		}
		zs := make([]string, 0, len(c.zones))
		for _, oz := range c.zones {
			if oz == z {
				continue
			}
			running := 0
			for _, os := range oz.servers {
				if os.status == ocp.ServerRunning {
					running++
				}
			}
			zs = append(zs, fmt.Sprintf("%s %d/%d servers RUNNING", oz.w.Name, running, len(oz.servers)))
		}
		return []string{
			fmt.Sprintf("check server %s: status %s, version %s", addr, m.former, srv.version),
			fmt.Sprintf("check the other zones of cluster %s: %s", c.w.Name, strings.Join(zs, ", ")),
			fmt.Sprintf("check running tasks on %s: none besides task %d", addr, t.w.ID),
			"pre-check passed",
		}
	case kPrepareZone:
		zs := make([]string, 0, len(c.zones))
		for _, oz := range c.zones {
			if oz != z {
				zs = append(zs, oz.w.Name+" "+string(oz.w.Status))
			}
		}
		return []string{
			fmt.Sprintf("check zone %s of cluster %s: %d servers: %s", z.w.Name, c.w.Name, len(z.servers), strings.Join(all, ", ")),
			fmt.Sprintf("check the other zones: %s", strings.Join(zs, ", ")),
			fmt.Sprintf("check running tasks on zone %s: none besides task %d", z.w.Name, t.w.ID),
			"pre-check passed",
		}
	case kStopServer:
		n := 20 + int(e.rand(e.idKey(w.ID), 1, saltDetail)*60)
		return []string{
			fmt.Sprintf("execute: ALTER SYSTEM STOP SERVER '%s' ZONE '%s'", addr, z.w.Name),
			fmt.Sprintf("wait for leaders to move off %s: %d log stream leaders left", addr, n),
			fmt.Sprintf("wait for leaders to move off %s: 0 log stream leaders left", addr),
			fmt.Sprintf("server %s stopped in cluster %s: no leaders, no new sessions", addr, c.w.Name),
		}
	case kStopZone:
		n := 60 + int(e.rand(e.idKey(w.ID), 1, saltDetail)*140)
		return []string{
			fmt.Sprintf("execute: ALTER SYSTEM STOP ZONE '%s'", z.w.Name),
			fmt.Sprintf("wait for leaders to leave zone %s: %d log stream leaders left", z.w.Name, n),
			fmt.Sprintf("wait for leaders to leave zone %s: 0 log stream leaders left", z.w.Name),
			fmt.Sprintf("zone %s stopped: %s serve no leaders", z.w.Name, strings.Join(all, ", ")),
		}
	case kStopProcess:
		m := t.targets(i)[0]
		p := e.pid(m, e.idKey(t.w.ID))
		if t.kills() {
			return []string{
				fmt.Sprintf("force restart: send SIGKILL to observer (pid %d) on %s through ocp agent", p, ip),
				fmt.Sprintf("observer (pid %d) killed; port %d released", p, srv.port),
			}
		}
		return []string{
			fmt.Sprintf("send SIGTERM to observer (pid %d) on %s through ocp agent", p, ip),
			fmt.Sprintf("observer (pid %d) flushed and exited, code 0", p),
			fmt.Sprintf("port %d on %s released", srv.port, ip),
		}
	case kStartProcess:
		m := t.targets(i)[0]
		return []string{
			fmt.Sprintf("start observer on %s: cd /home/admin/oceanbase && bin/observer -p %d -P %d -z %s -n %s -c %d",
				ip, srv.sqlPort, srv.port, z.w.Name, c.w.Name, c.w.ObClusterID),
			fmt.Sprintf("observer started, pid %d, version %s", e.pid(m, e.idKey(w.ID)<<4|uint64(t.steps[i].execs)), srv.version),
			fmt.Sprintf("observer %s listening on rpc port %d and sql port %d", addr, srv.port, srv.sqlPort),
		}
	case kWaitActive:
		p1 := e.replayPercent(t, i)
		if srv == nil { // the zone's one wait for all its servers
			return []string{
				fmt.Sprintf("wait for the %d observers of zone %s to become active in __all_server (timeout %ds): %s", len(all), z.w.Name, w.Timeout, strings.Join(all, ", ")),
				fmt.Sprintf("zone %s: %d of %d observers active, the others replaying clog (%d%%)", z.w.Name, len(all)/2, len(all), p1),
				fmt.Sprintf("zone %s: all %d observers active, clog replay done", z.w.Name, len(all)),
			}
		}
		return []string{
			fmt.Sprintf("wait for %s to become active in __all_server (timeout %ds)", addr, w.Timeout),
			fmt.Sprintf("%s: status inactive, replaying clog (%d%%)", addr, p1),
			fmt.Sprintf("%s: status inactive, replaying clog (%d%%)", addr, p1+40),
			fmt.Sprintf("%s: status active, clog replay done", addr),
		}
	case kStartAgent:
		return []string{
			fmt.Sprintf("start ocp agent service 'agent' on %s: systemctl start ocp_agentd", ip),
			fmt.Sprintf("ocp agent on %s running, heartbeat to %s ok", ip, executorAddress),
		}
	case kStartServer:
		return []string{
			fmt.Sprintf("execute: ALTER SYSTEM START SERVER '%s' ZONE '%s'", addr, z.w.Name),
			fmt.Sprintf("server %s is serving again: start_service_time set", addr),
		}
	case kStartZone:
		return []string{
			fmt.Sprintf("execute: ALTER SYSTEM START ZONE '%s'", z.w.Name),
			fmt.Sprintf("zone %s is serving again: %s", z.w.Name, strings.Join(all, ", ")),
		}
	case kWaitNode:
		return []string{fmt.Sprintf("wait node: the %d subtasks before it are done", len(t.steps[i].ups))}
	case kUpdateServer:
		lines := make([]string, 0, len(t.targets(i)))
		for _, m := range t.targets(i) {
			lines = append(lines, fmt.Sprintf("update metadb: ob_server %d (%s) status %s -> RUNNING", m.srv.id, m.srv.address(), ocp.ServerRestarting))
		}
		return lines
	case kUpdateZone:
		return []string{fmt.Sprintf("update metadb: ob_zone %s of cluster %s status -> %s", z.w.Name, c.w.Name, t.targetZoneStatus())}
	case kSyncCluster:
		return []string{
			fmt.Sprintf("sync cluster %s from __all_server and __all_zone", c.w.Name),
			fmt.Sprintf("cluster %s: %d zones, %d servers, version %s; metadb up to date", c.w.Name, len(c.zones), c.w.ServerCount, c.w.ObVersion),
		}
	case kUpdateCluster:
		return []string{fmt.Sprintf("update metadb: ob_cluster %s (%d) status -> %s", c.w.Name, c.w.ID, t.w.Context.Get("target_cluster_status"))}
	}
	return nil
}

// waitingFor says what a hung step is stuck on.
func (e *Executor) waitingFor(t *task, i int) string {
	addr := t.zone.w.Name
	if ts := t.targets(i); len(ts) == 1 {
		addr = ts[0].srv.address()
	}
	switch t.steps[i].def.kind {
	case kStopServer, kStopZone:
		return "leaders still on " + addr
	case kStopProcess:
		return "observer on " + addr + " has not exited"
	case kStartProcess:
		return "observer on " + addr + " not listening yet"
	case kWaitActive:
		return addr + " still inactive in __all_server"
	case kStartAgent:
		return "ocp agent on " + addr + " not answering"
	case kStartServer, kStartZone:
		return "start of " + addr + " not acknowledged"
	case kWaitNode:
		return "subtasks before the wait node not done"
	}
	return "no answer from the metadb"
}

// replayPercent is how far a waiting observer's clog replay has got when
// its log first reports it.
func (e *Executor) replayPercent(t *task, i int) int {
	return 20 + int(e.rand(e.idKey(t.w.Subtasks[i].ID), 2, saltDetail)*30)
}

// failure is how a fail-once attempt goes wrong, told so that its log is
// one story: keep is how many of the step's work lines (workLines) are
// still true before it fails, stall how long nothing more happens after
// them, msg the error it ends with, whose figures (seconds waited, the
// replay's percentage) are the log's own.
type failure struct {
	keep  int
	stall time.Duration
	msg   string
}

// The waits a failing step gives up after.
const (
	queryTimeout    = 10 * time.Second // a pre-check's query
	sigtermPatience = 60 * time.Second // an observer to exit after SIGTERM
	sigkillPatience = 10 * time.Second // after SIGKILL
	replayPatience  = 60 * time.Second // a clog replay without progress
)

// failure is the story of step i's failing attempt; work is the number of
// its work lines.
func (e *Executor) failure(t *task, i, work int) failure {
	addr := t.zone.w.Name
	if ts := t.targets(i); len(ts) == 1 {
		addr = ts[0].srv.address()
	}
	c, z := t.cluster, t.zone
	secs := func(d time.Duration) int { return int(d / time.Second) }
	f := failure{msg: "update metadb failed: Deadlock found when trying to get lock; try restarting transaction"}
	switch t.steps[i].def.kind {
	case kPrepare, kPrepareZone:
		// The checks so far passed; the next query never answers.
		f = failure{keep: work - 1, stall: queryTimeout,
			msg: fmt.Sprintf("pre-check failed: query __all_virtual_log_stat on %s timed out after %ds", addr, secs(queryTimeout))}
		if t.steps[i].def.kind == kPrepare && t.kind == kindZone {
			// A zone restart's per-server preparation checks nothing: it
			// fails recording the server.
			f = failure{keep: 1, msg: fmt.Sprintf("record %s as RESTARTING in the metadb failed: Deadlock found when trying to get lock; try restarting transaction", addr)}
		}
	case kStopServer:
		f = failure{keep: 1, msg: fmt.Sprintf("ALTER SYSTEM STOP SERVER '%s' failed: ERROR 4179 (HY000): Operation not allowed now: leader switch in progress", addr)}
	case kStopZone:
		f = failure{keep: 1, msg: fmt.Sprintf("ALTER SYSTEM STOP ZONE '%s' failed: ERROR 4179 (HY000): Operation not allowed now: leader switch in progress", z.w.Name)}
	case kStopProcess:
		// The signal was sent; the process never went.
		m := t.targets(i)[0]
		p := e.pid(m, e.idKey(t.w.ID))
		f = failure{keep: 1, stall: sigtermPatience,
			msg: fmt.Sprintf("observer (pid %d) on %s still alive %ds after SIGTERM; it was not killed", p, addr, secs(sigtermPatience))}
		if t.kills() {
			f.stall = sigkillPatience
			f.msg = fmt.Sprintf("observer (pid %d) on %s still alive %ds after SIGKILL: stuck in the kernel (state D); check the host", p, addr, secs(sigkillPatience))
		}
	case kStartProcess:
		// It started, then died.
		f = failure{keep: work - 1, msg: fmt.Sprintf("observer on %s exited right after start, code 1; observer.log: [ERROR] fail to init log block pool, ret=-4009", addr)}
	case kWaitActive:
		// The replay stalls where the log last saw it.
		p := e.replayPercent(t, i)
		f = failure{keep: 2, stall: replayPatience,
			msg: fmt.Sprintf("zone %s: not every observer became active: clog replay stalled at %d%% for %ds, see observer.log", z.w.Name, p, secs(replayPatience))}
		if len(t.targets(i)) == 1 {
			f.keep = 3
			f.msg = fmt.Sprintf("%s did not become active: clog replay stalled at %d%% for %ds, see observer.log", addr, p+40, secs(replayPatience)) // the second replay line's
		}
	case kStartAgent:
		f = failure{keep: 1, msg: fmt.Sprintf("ocp agent service 'agent' on %s failed to start: bind 0.0.0.0:62888: address already in use", t.targets(i)[0].srv.ip)}
	case kStartServer:
		f = failure{keep: 1, msg: fmt.Sprintf("ALTER SYSTEM START SERVER '%s' failed: ERROR 4012 (HY000): Timeout", addr)}
	case kStartZone:
		f = failure{keep: 1, msg: fmt.Sprintf("ALTER SYSTEM START ZONE '%s' failed: ERROR 4012 (HY000): Timeout", z.w.Name)}
	case kSyncCluster:
		f = failure{keep: 1, msg: fmt.Sprintf("sync cluster %s failed: connect to %s timed out", c.w.Name, c.w.RootServers[0].Address)}
	case kWaitNode:
		f.msg = "wait node: reading the states of the subtasks before it failed: metadb connection reset"
	}
	f.keep = max(min(f.keep, work), 0)
	return f
}

// undoLine says what rolling back a step does.
func (e *Executor) undoLine(t *task, i int) string {
	addr := t.zone.w.Name
	if ts := t.targets(i); len(ts) == 1 {
		addr = ts[0].srv.address()
	}
	switch t.steps[i].def.kind {
	case kPrepare, kPrepareZone:
		return "release the restart lock on " + addr
	case kStopServer:
		return fmt.Sprintf("ALTER SYSTEM START SERVER '%s' ZONE '%s': back in service", addr, t.zone.w.Name)
	case kStopZone:
		return fmt.Sprintf("ALTER SYSTEM START ZONE '%s': back in service", t.zone.w.Name)
	case kStopProcess:
		if !t.processDown(i) {
			return "nothing to undo: the observer process on " + addr + " is running again"
		}
		return "start the observer process on " + addr + " again"
	case kStartProcess:
		if t.processDown(i) {
			return "nothing to undo: the observer process on " + addr + " did not stay up"
		}
		return "nothing to undo: the observer process on " + addr + " is left running"
	case kUpdateServer, kUpdateZone, kUpdateCluster:
		return "restore the statuses recorded before the task in the metadb"
	}
	return "nothing to undo for this step"
}

// rollbackFailMessage is the error of a rollback the scenario fails.
func (e *Executor) rollbackFailMessage(t *task, i int) string {
	addr := t.zone.w.Name
	if ts := t.targets(i); len(ts) == 1 {
		addr = ts[0].srv.address()
	}
	switch k := t.steps[i].def.kind; {
	case k == kStopServer || k == kStopZone:
		return "ERROR 4012 (HY000): Timeout"
	case k == kStopProcess && t.processDown(i):
		return fmt.Sprintf("observer on %s exited right after start, code 1", addr)
	}
	return "update metadb failed: Lock wait timeout exceeded; try restarting transaction"
}

// processDown reports whether an observer step i acts on is stopped: the
// restart stopped it and did not get it up again (as undo reads it).
func (t *task) processDown(i int) bool {
	for _, m := range t.targets(i) {
		if m.phase == phProcDown {
			return true
		}
	}
	return false
}
