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

// text is the log as of now, lines joined by "\n".
func (s *step) text(now time.Time) string {
	var b []byte
	for i, l := range s.log {
		if l.at.After(now) {
			break
		}
		if i > 0 {
			b = append(b, '\n')
		}
		b = l.at.AppendFormat(b, logTimeLayout)
		b = append(b, ' ')
		b = append(b, l.level...)
		b = append(b, ' ')
		b = append(b, l.msg...)
	}
	return string(b)
}

// attempt is the plan for one forward execution of a step.
type attempt struct {
	d       time.Duration
	ok      bool
	hang    bool
	work    []string // INFO lines spread over the attempt
	warn    []string // WARN lines right after the start line
	failMsg string
}

func (e *Executor) scenarioFor(t *task, i int) Scenario {
	if m := t.steps[i].m; m != nil && m.srv.scenario != nil {
		return *m.srv.scenario
	}
	if t.kind == kindServer && t.members[0].srv.scenario != nil {
		return *t.members[0].srv.scenario
	}
	return e.scenario
}

// plan decides how an attempt goes: duration from the seed, outcome from
// the rules (pre-check) and the scenario.
func (e *Executor) plan(t *task, i int) attempt {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	def := s.def
	sc := e.scenarioFor(t, i)
	first := s.execs == 1

	d := time.Duration(float64(def.base) * (0.8 + 0.4*e.rand(uint64(w.ID), uint64(s.execs), saltDuration)))
	if sc.slow && def.observer {
		d = time.Duration(float64(d) * slowFactor)
	}
	if t.force && def.kind == kWaitActive {
		d = d * 13 / 10 // a killed observer replays more clog before it is active
	}
	a := attempt{d: d, ok: true, work: e.workLines(t, i)}
	if def.kind == kPrepare || def.kind == kPrepareZone {
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
		a.ok = false
		a.failMsg = e.failMessage(t, i)
		if len(a.work) > 1 {
			a.work = a.work[:len(a.work)-1]
		}
	}
	return a
}

func (e *Executor) writeAttempt(t *task, i int, at time.Time, a attempt) {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	how := "EXECUTE"
	if s.execs > 1 {
		how = "RETRY"
	}
	s.logf(at, "INFO ", "start subtask %d %s (%s, attempt %d) on %s, task %d, cluster %s",
		w.ID, w.Name, how, w.RunTime, executorAddress, t.w.ID, t.cluster.w.Name)
	s.log = slices.Grow(s.log, len(a.work)+len(a.warn)+3)
	for _, l := range a.warn {
		s.add(at, "WARN ", l)
	}
	if a.hang {
		// Something that never comes back: the step logs that it is still
		// waiting until its timeout fails it.
		timeout := time.Duration(w.Timeout) * time.Second
		if len(a.work) > 0 {
			s.add(at.Add(timeout/40), "INFO ", a.work[0])
		}
		every := timeout / 8
		for k := 1; k < 8; k++ {
			s.logf(at.Add(every*time.Duration(k)), "WARN ", "%s: still waiting after %ds (timeout %ds)", e.waitingFor(t, i), int64(every*time.Duration(k)/time.Second), w.Timeout)
		}
		return
	}
	for k, l := range a.work {
		s.add(at.Add(a.d*time.Duration(k+1)/time.Duration(len(a.work)+1)), "INFO ", l)
	}
	end := at.Add(a.d)
	if a.ok {
		s.logf(end, "INFO ", "subtask %s finished: SUCCESSFUL in %.1fs", w.Name, a.d.Seconds())
		return
	}
	s.add(end, "ERROR", a.failMsg)
	s.logf(end, "ERROR", "subtask %s finished: FAILED in %.1fs", w.Name, a.d.Seconds())
}

func (e *Executor) writeRollback(t *task, i int, at time.Time, d time.Duration) {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	s.logf(at, "INFO ", "start rollback of subtask %d %s, task %d", w.ID, w.Name, t.w.ID)
	s.logf(at.Add(d/2), "INFO ", "rollback: %s", e.undoLine(t, i))
	s.logf(at.Add(d), "INFO ", "rollback of %s finished: SUCCESSFUL in %.1fs", w.Name, d.Seconds())
}

// precheck lists why a normal restart must not go ahead.
func (e *Executor) precheck(t *task, sc Scenario) []string {
	var problems []string
	if t.kind == kindServer {
		m := t.members[0]
		if m.former != ocp.ServerRunning {
			problems = append(problems, fmt.Sprintf("server %s is %s, not RUNNING", m.srv.w.Address(), m.former))
		}
		var down []string
		for _, z := range t.cluster.zones {
			if z == t.zone {
				continue
			}
			for _, s := range z.servers {
				if s.w.Status != ocp.ServerRunning {
					down = append(down, fmt.Sprintf("zone %s has %s %s", z.w.Name, s.w.Address(), s.w.Status))
					break
				}
			}
		}
		n := len(t.cluster.zones)
		if serving, majority := n-len(down)-1, n/2+1; len(down) > 0 && serving < majority {
			problems = append(problems, fmt.Sprintf("%s; restarting a server of %s too would leave %d of %d zones serving, below the majority of %d",
				strings.Join(down, ", "), t.zone.w.Name, serving, n, majority))
		}
	} else {
		for _, z := range t.cluster.zones {
			if z == t.zone {
				continue
			}
			if st := zoneHealth(z); st != "" {
				problems = append(problems, fmt.Sprintf("zone %s is not fully RUNNING (%s)", z.w.Name, st))
			}
		}
	}
	if sc.precheckFail {
		s := t.members[0].srv
		problems = append(problems, fmt.Sprintf("clog disk usage on %s is %d%%, above the 90%% limit for a restart",
			s.w.Address(), 91+int(e.rand(uint64(s.w.ID), 0, saltDetail)*8)))
	}
	return problems
}

// zoneHealth names what is not RUNNING in a zone, "" when all is.
func zoneHealth(z *zone) string {
	var bad []string
	if z.w.Status != ocp.ServerRunning {
		bad = append(bad, "zone "+string(z.w.Status))
	}
	for _, s := range z.servers {
		if s.w.Status != ocp.ServerRunning {
			bad = append(bad, s.w.Address()+" "+string(s.w.Status))
		}
	}
	return strings.Join(bad, ", ")
}

func (e *Executor) pid(m *member, gen uint64) int {
	return 10000 + int(e.rand(uint64(m.srv.w.ID), gen, saltPID)*50000)
}

// workLines are the believable middle of a step's log.
func (e *Executor) workLines(t *task, i int) []string {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	c, z := t.cluster, t.zone
	addr, ip, srv := "", "", (*server)(nil)
	if len(t.targets(i)) == 1 {
		srv = t.targets(i)[0].srv
		addr, ip = srv.w.Address(), srv.w.IP
	}
	all := make([]string, 0, len(t.members))
	for _, m := range t.members {
		all = append(all, m.srv.w.Address())
	}
	switch s.def.kind {
	case kPrepare:
		m := t.members[0]
		zs := make([]string, 0, len(c.zones))
		for _, oz := range c.zones {
			if oz == z {
				continue
			}
			running := 0
			for _, os := range oz.servers {
				if os.w.Status == ocp.ServerRunning {
					running++
				}
			}
			zs = append(zs, fmt.Sprintf("%s %d/%d servers RUNNING", oz.w.Name, running, len(oz.servers)))
		}
		return []string{
			fmt.Sprintf("check server %s: status %s, version %s", addr, m.former, srv.w.Version),
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
		n := 20 + int(e.rand(uint64(w.ID), 1, saltDetail)*60)
		return []string{
			fmt.Sprintf("execute: ALTER SYSTEM STOP SERVER '%s' ZONE '%s'", addr, z.w.Name),
			fmt.Sprintf("wait for leaders to move off %s: %d log stream leaders left", addr, n),
			fmt.Sprintf("wait for leaders to move off %s: 0 log stream leaders left", addr),
			fmt.Sprintf("server %s stopped in cluster %s: no leaders, no new sessions", addr, c.w.Name),
		}
	case kStopZone:
		n := 60 + int(e.rand(uint64(w.ID), 1, saltDetail)*140)
		return []string{
			fmt.Sprintf("execute: ALTER SYSTEM STOP ZONE '%s'", z.w.Name),
			fmt.Sprintf("wait for leaders to leave zone %s: %d log stream leaders left", z.w.Name, n),
			fmt.Sprintf("wait for leaders to leave zone %s: 0 log stream leaders left", z.w.Name),
			fmt.Sprintf("zone %s stopped: %s serve no leaders", z.w.Name, strings.Join(all, ", ")),
		}
	case kStopProcess:
		m := t.targets(i)[0]
		p := e.pid(m, uint64(t.w.ID))
		if t.force {
			return []string{
				fmt.Sprintf("force restart: send SIGKILL to observer (pid %d) on %s through ocp agent", p, ip),
				fmt.Sprintf("observer (pid %d) killed; port %d released", p, srv.w.Port),
			}
		}
		return []string{
			fmt.Sprintf("send SIGTERM to observer (pid %d) on %s through ocp agent", p, ip),
			fmt.Sprintf("observer (pid %d) flushed and exited, code 0", p),
			fmt.Sprintf("port %d on %s released", srv.w.Port, ip),
		}
	case kStartProcess:
		m := t.targets(i)[0]
		return []string{
			fmt.Sprintf("start observer on %s: cd /home/admin/oceanbase && bin/observer -p %d -P %d -z %s -n %s -c %d",
				ip, srv.w.SQLPort, srv.w.Port, z.w.Name, c.w.Name, c.w.ObClusterID),
			fmt.Sprintf("observer started, pid %d, version %s", e.pid(m, uint64(w.ID)<<4|uint64(t.steps[i].execs)), srv.w.Version),
			fmt.Sprintf("observer %s listening on rpc port %d and sql port %d", addr, srv.w.Port, srv.w.SQLPort),
		}
	case kWaitActive:
		p1 := 20 + int(e.rand(uint64(w.ID), 2, saltDetail)*30)
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
	case kUpdateServer:
		lines := make([]string, 0, len(t.members))
		for _, m := range t.members {
			lines = append(lines, fmt.Sprintf("update metadb: ob_server %d (%s) status %s -> RUNNING", m.srv.w.ID, m.srv.w.Address(), ocp.ServerRestarting))
		}
		return lines
	case kUpdateZone:
		return []string{fmt.Sprintf("update metadb: ob_zone %s of cluster %s status -> %s", z.w.Name, c.w.Name, t.w.Context.Get("target_zone_status"))}
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
		addr = ts[0].srv.w.Address()
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
	}
	return "no answer from the metadb"
}

// failMessage is the error a fail-once step reports.
func (e *Executor) failMessage(t *task, i int) string {
	addr := t.zone.w.Name
	if ts := t.targets(i); len(ts) == 1 {
		addr = ts[0].srv.w.Address()
	}
	c, z := t.cluster, t.zone
	switch t.steps[i].def.kind {
	case kPrepare, kPrepareZone:
		return fmt.Sprintf("pre-check failed: query __all_virtual_log_stat on %s timed out after 10s", addr)
	case kStopServer:
		return fmt.Sprintf("ALTER SYSTEM STOP SERVER '%s' failed: ERROR 4179 (HY000): Operation not allowed now: leader switch in progress", addr)
	case kStopZone:
		return fmt.Sprintf("ALTER SYSTEM STOP ZONE '%s' failed: ERROR 4179 (HY000): Operation not allowed now: leader switch in progress", z.w.Name)
	case kStopProcess:
		return fmt.Sprintf("observer on %s still alive 60s after SIGTERM", addr)
	case kStartProcess:
		return fmt.Sprintf("observer on %s exited right after start, code 1; observer.log: [ERROR] fail to init log block pool, ret=-4009", addr)
	case kWaitActive:
		return fmt.Sprintf("%s did not become active: clog replay stalled at 61%%, see observer.log", addr)
	case kStartAgent:
		return fmt.Sprintf("ocp agent service 'agent' on %s failed to start: bind 0.0.0.0:62888: address already in use", addr)
	case kStartServer:
		return fmt.Sprintf("ALTER SYSTEM START SERVER '%s' failed: ERROR 4012 (HY000): Timeout", addr)
	case kStartZone:
		return fmt.Sprintf("ALTER SYSTEM START ZONE '%s' failed: ERROR 4012 (HY000): Timeout", z.w.Name)
	case kSyncCluster:
		return fmt.Sprintf("sync cluster %s failed: connect to %s timed out", c.w.Name, c.w.RootServers[0].Address)
	}
	return "update metadb failed: Deadlock found when trying to get lock; try restarting transaction"
}

// undoLine says what rolling back a step does.
func (e *Executor) undoLine(t *task, i int) string {
	addr := t.zone.w.Name
	if ts := t.targets(i); len(ts) == 1 {
		addr = ts[0].srv.w.Address()
	}
	switch t.steps[i].def.kind {
	case kPrepare, kPrepareZone:
		return "release the restart lock on " + addr
	case kStopServer:
		return fmt.Sprintf("ALTER SYSTEM START SERVER '%s' ZONE '%s': back in service", addr, t.zone.w.Name)
	case kStopZone:
		return fmt.Sprintf("ALTER SYSTEM START ZONE '%s': back in service", t.zone.w.Name)
	case kStopProcess:
		return "start the observer process on " + addr + " again"
	case kStartProcess:
		return "nothing to undo: the observer process on " + addr + " is left running"
	case kUpdateServer, kUpdateZone, kUpdateCluster:
		return "restore the statuses recorded before the task in the metadb"
	}
	return "nothing to undo for this step"
}
