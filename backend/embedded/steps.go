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

// stepDefs follow the documented restart task (names, class names and
// timeouts are the sample's), plus the three zone-level steps of a zone
// restart, which OCP does not document and the simulator names in the
// same style.
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
	kPrepareZone: {kind: kPrepareZone, name: "Prepare restart zone", class: "zone.PrepareRestartObZoneTask",
		timeout: 300, base: 3 * time.Second, slug: "prepare-restart-zone", aliases: []string{"prepare", "precheck", "pre-check"}},
	kStopZone: {kind: kStopZone, name: "Stop zone", class: "zone.StopObZoneTask",
		timeout: 1800, base: 9 * time.Second, observer: true, slug: "stop-zone"},
	kStartZone: {kind: kStartZone, name: "Start zone", class: "zone.StartObZoneTask",
		timeout: 1800, base: 5 * time.Second, observer: true, slug: "start-zone"},
}

// StepNames lists the names a scenario may target, in restart order and
// then the zone-level steps; slugs and short aliases work too.
func StepNames() []string {
	out := make([]string, 0, numStepKinds)
	for _, d := range stepDefs {
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
	for _, d := range stepDefs {
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

// restartLayout is the documented 11-step chain in execution order, with
// each step's place in the sample response: subtask id offset from the
// task's first subtask id, seriesId, and position in subtasks[] (the
// sample lists them out of execution order; so do we, so clients learn to
// order by upstreams).
var restartLayout = []struct {
	kind     stepKind
	idOffset int64
	seriesID int64
	listPos  int
}{
	{kPrepare, 3, 6, 2},
	{kStopServer, 10, 7, 7},
	{kStopProcess, 4, 2, 10},
	{kStartProcess, 7, 10, 6},
	{kWaitActive, 9, 1, 9},
	{kStartAgent, 0, 3, 1},
	{kStartServer, 11, 8, 8},
	{kUpdateServer, 1, 0, 4},
	{kUpdateZone, 6, 9, 5},
	{kSyncCluster, 8, 4, 0},
	{kUpdateCluster, 2, 5, 3},
}

// restartIDBlock is how many subtask ids one server restart consumes (the
// sample's offsets span 0..11).
const restartIDBlock = 12
