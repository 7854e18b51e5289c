package embedded

import (
	"fmt"
	"time"
)

// How a step fails, and what rolling it back says.

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
	addr := t.actsOn(i)
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
	switch addr := t.actsOn(i); t.steps[i].def.kind {
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
	addr := t.actsOn(i)
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
