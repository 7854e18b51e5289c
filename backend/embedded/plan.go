package embedded

import (
	"fmt"
	"strings"
	"time"

	"github.com/obconsole/obconsole/backend/ocp"
)

// How an attempt goes: its duration from the seed, its outcome from the
// pre-check and the scenario.

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
