package embedded

import (
	"fmt"
	"strings"

	"github.com/obconsole/obconsole/backend/ocp"
)

// The believable middle of each step's log.

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
	if phrase, ok := stuckOn[t.steps[i].def.kind]; ok {
		return strings.ReplaceAll(phrase, "{what}", t.actsOn(i))
	}
	return "no answer from the metadb"
}

// stuckOn is what a hung step of each kind waits for; {what} is what it
// acts on.
var stuckOn = map[stepKind]string{
	kStopServer: "leaders still on {what}", kStopZone: "leaders still on {what}",
	kStopProcess:  "observer on {what} has not exited",
	kStartProcess: "observer on {what} not listening yet",
	kWaitActive:   "{what} still inactive in __all_server",
	kStartAgent:   "ocp agent on {what} not answering",
	kStartServer:  "start of {what} not acknowledged", kStartZone: "start of {what} not acknowledged",
	kWaitNode: "subtasks before the wait node not done",
}

// replayPercent is how far a waiting observer's clog replay has got when
// its log first reports it.
func (e *Executor) replayPercent(t *task, i int) int {
	return 20 + int(e.rand(e.idKey(t.w.Subtasks[i].ID), 2, saltDetail)*30)
}
