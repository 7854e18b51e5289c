package embedded

import (
	"strings"
	"time"
)

// stepKind identifies what a subtask does, independent of its place in a
// graph: the engine's effects, log scripts and scenarios key on it.
type stepKind uint8

const (
	kPrepare stepKind = iota
	kStopServer
	kStopProcess
	kStartProcess
	kWaitActive
	kStartAgent
	kStartServer
	kUpdateServer
	kUpdateZone
	kSyncCluster
	kUpdateCluster
	kPrepareZone
	kStopZone
	kStartZone
	kWaitNode
	// numRunKinds: the kinds above run in the simulator (server and zone
	// restarts) and may be named by a scenario; the ones below only appear
	// in the stop and start templates BuildTask lays out.
	numRunKinds
)

const (
	kPrepareStop stepKind = iota + numRunKinds
	kWaitStop
	kPrepareStart
	kPrepareStopZone
	kPrepareStartZone
	numStepKinds
)

const classPrefix = "com.alipay.ocp.service.task.business."

// stepDef is one kind of subtask as OCP names it. base is the typical
// healthy duration; the engine adds seeded jitter.
type stepDef struct {
	kind    stepKind
	name    string
	class   string
	timeout int64 // seconds, as OCP reports it
	base    time.Duration
	// observer marks steps that wait on the observer process itself, the
	// ones a slow server stretches.
	observer bool
	slug     string
	aliases  []string
}

// stepDefs carry the documented names, class names and timeouts: those of
// the server restart sample, and of the zone restart, stop and start
// samples (ocp-doc 450.cluster-information/1100, 1200, 1300, 1800). The
// server stop and start samples give names only; the class names and
// timeouts of their own steps ("Prepare stop observer" and "Prepare start
// observer" come from the zone samples) follow OCP's naming, and "Wait
// observer stop" is the simulator's guess, by analogy with "Wait observer
// active".
var stepDefs = [numStepKinds]stepDef{
	kPrepare: {kind: kPrepare, name: "Prepare restart observer", class: "server.PrepareRestartObServerTask",
		timeout: 300, base: 3 * time.Second, slug: "prepare-restart-observer", aliases: []string{"prepare", "precheck", "pre-check"}},
	kStopServer: {kind: kStopServer, name: "Stop server", class: "server.StopObServerTask",
		timeout: 300, base: 6 * time.Second, observer: true, slug: "stop-server"},
	kStopProcess: {kind: kStopProcess, name: "Stop observer process", class: "server.StopObServerProcessTask",
		timeout: 1200, base: 5 * time.Second, observer: true, slug: "stop-observer-process", aliases: []string{"stop-process"}},
	kStartProcess: {kind: kStartProcess, name: "Start observer process", class: "server.StartObServerProcessTask",
		timeout: 1200, base: 8 * time.Second, observer: true, slug: "start-observer-process", aliases: []string{"start-process"}},
	kWaitActive: {kind: kWaitActive, name: "Wait observer active", class: "server.WaitObServerActiveTask",
		timeout: 1800, base: 18 * time.Second, observer: true, slug: "wait-observer-active", aliases: []string{"wait-active", "wait"}},
	kStartAgent: {kind: kStartAgent, name: "Start ocp agent service", class: "obagent.StartOcpAgentServiceTask",
		timeout: 1800, base: 3 * time.Second, slug: "start-ocp-agent-service", aliases: []string{"start-agent", "agent"}},
	kStartServer: {kind: kStartServer, name: "Start server", class: "server.StartObServerTask",
		timeout: 300, base: 4 * time.Second, observer: true, slug: "start-server"},
	kUpdateServer: {kind: kUpdateServer, name: "Update observer status", class: "server.UpdateObServerStatusTask",
		timeout: 300, base: 1500 * time.Millisecond, slug: "update-observer-status", aliases: []string{"update-observer", "update-server"}},
	kUpdateZone: {kind: kUpdateZone, name: "Update zone status", class: "zone.UpdateObZoneStatusTask",
		timeout: 1800, base: 1500 * time.Millisecond, slug: "update-zone-status", aliases: []string{"update-zone"}},
	kSyncCluster: {kind: kSyncCluster, name: "Sync cluster info", class: "cluster.SyncClusterInfoTask",
		timeout: 30, base: 2 * time.Second, slug: "sync-cluster-info", aliases: []string{"sync", "sync-cluster"}},
	kUpdateCluster: {kind: kUpdateCluster, name: "Update OB cluster status", class: "cluster.UpdateObClusterStatusTask",
		timeout: 30, base: 1 * time.Second, slug: "update-ob-cluster-status", aliases: []string{"update-cluster"}},
	kPrepareZone: {kind: kPrepareZone, name: "Prepare restart OB zone", class: "zone.PrepareRestartObZoneTask",
		timeout: 1800, base: 3 * time.Second, slug: "prepare-restart-ob-zone", aliases: []string{"prepare-restart-zone", "prepare-zone", "prepare", "precheck", "pre-check"}},
	kStopZone: {kind: kStopZone, name: "Stop zone", class: "zone.StopObZoneTask",
		timeout: 1800, base: 9 * time.Second, observer: true, slug: "stop-zone"},
	kStartZone: {kind: kStartZone, name: "Start zone", class: "zone.StartObZoneTask",
		timeout: 1800, base: 5 * time.Second, observer: true, slug: "start-zone"},
	// WaitNode sits outside the business packages: its class is
	// com.alipay.ocp.service.task.business.WaitNode.
	kWaitNode: {kind: kWaitNode, name: "Wait node", class: "WaitNode",
		timeout: 30, base: 400 * time.Millisecond, slug: "wait-node", aliases: []string{"barrier"}},

	kPrepareStop: {kind: kPrepareStop, name: "Prepare stop observer", class: "server.PrepareStopObServerTask",
		timeout: 300, base: 3 * time.Second, slug: "prepare-stop-observer"},
	kWaitStop: {kind: kWaitStop, name: "Wait observer stop", class: "server.WaitObServerStopTask",
		timeout: 1800, base: 5 * time.Second, observer: true, slug: "wait-observer-stop"},
	kPrepareStart: {kind: kPrepareStart, name: "Prepare start observer", class: "server.PrepareStartObServerTask",
		timeout: 300, base: 3 * time.Second, slug: "prepare-start-observer"},
	kPrepareStopZone: {kind: kPrepareStopZone, name: "Prepare stop OB zone", class: "zone.PrepareStopObZoneTask",
		timeout: 1800, base: 3 * time.Second, slug: "prepare-stop-ob-zone"},
	kPrepareStartZone: {kind: kPrepareStartZone, name: "Prepare start OB zone", class: "zone.PrepareStartObZoneTask",
		timeout: 1800, base: 3 * time.Second, slug: "prepare-start-ob-zone"},
}

// StepNames lists the names a scenario may target: the server restart's
// steps in order, then the zone restart's own ("Prepare restart OB zone",
// "Stop zone", "Start zone", "Wait node"); slugs and short aliases work too.
func StepNames() []string {
	out := make([]string, 0, numRunKinds)
	for _, d := range stepDefs[:numRunKinds] {
		out = append(out, d.name)
	}
	return out
}

// stepMask is a set of step kinds.
type stepMask uint32

func (m stepMask) has(k stepKind) bool { return m&(1<<k) != 0 }

func normalizeStepName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '_' {
			return '-'
		}
		return r
	}, s)
}

// lookupStep resolves a step name, slug or alias (case-insensitive) to the
// kinds it names; "precheck" names both pre-check steps.
func lookupStep(s string) stepMask {
	n := normalizeStepName(s)
	var m stepMask
	for _, d := range stepDefs[:numRunKinds] {
		if n == d.slug || n == normalizeStepName(d.name) {
			m |= 1 << d.kind
			continue
		}
		for _, a := range d.aliases {
			if n == a {
				m |= 1 << d.kind
			}
		}
	}
	return m
}
