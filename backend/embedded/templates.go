package embedded

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/obconsole/obconsole/backend/ocp"
)

// Template is one of OCP's documented task templates. The simulator runs
// the two restarts; BuildTask lays out any of them, so the console's tests
// can show the tasks an OCP runs for stops and starts too.
type Template uint8

const (
	RestartServerTemplate Template = iota // "Restart OB server", 11 steps
	StopServerTemplate                    // "Stop OB server", 8 steps
	StartServerTemplate                   // "Start OB server", 9 steps
	RestartZoneTemplate                   // "Restart OB zone", 10 + 5 per server
	StopZoneTemplate                      // "Stop OB zone", 7 + 3 per server
	StartZoneTemplate                     // "Start OB zone", 8 + 4 per server
	numTemplates
)

// String is the task name OCP gives the template.
func (t Template) String() string {
	if t >= numTemplates {
		return "Template(" + strconv.Itoa(int(t)) + ")"
	}
	return templates[t].name
}

// tplStep is one node of a template. A perServer node of a zone template
// becomes one subtask per server of the zone (parallelIdx 0..N-1), each
// linked to every subtask of the nodes before and after it: OCP expands a
// node split on server_ids that way (PARALLEL split, OCP Express
// TaskInstanceEntity), so a single node between two per-server nodes, a
// "Wait node" or the zone's "Wait observer active", is a barrier that
// moves every server of the zone to the next phase together.
//
// id, series and list are the node's subtask id offset, seriesId and
// position in subtasks[] in the documented sample; with one server the
// simulator reproduces them exactly, with more each per-server node's
// copies follow each other. None of them says anything about execution
// order (only the edges do), and clients must not assume it does.
type tplStep struct {
	kind      stepKind
	perServer bool
	id        int
	series    int
	list      int
}

// template is a documented task template: a chain of nodes in execution
// order.
type template struct {
	name  string
	zone  bool // acts on a zone: its server_ids are the zone's servers
	steps []tplStep
	// keys are the context stringMap keys the sample carries.
	keys []string
	// The sample's task id, first subtask id and start time: BuildTask's
	// defaults, so a one-server layout is the sample itself.
	sampleTaskID, sampleSubtaskID int64
	sampleStart                   string
}

var (
	serverRestartKeys = []string{"cluster_name", "cluster_id", "ocpagent_service_name", "prohibit_rollback", "former_cluster_status",
		"target_zone_status", "former_zone_status", "zone_name", "target_cluster_status", "server_id"}
	serverStopKeys = []string{"cluster_id", "former_cluster_status", "target_zone_status", "former_zone_status", "zone_name",
		"target_cluster_status", "server_id"}
	serverStartKeys = []string{"cluster_name", "cluster_id", "ocpagent_service_name", "former_cluster_status", "target_zone_status",
		"former_zone_status", "zone_name", "target_cluster_status", "server_id"}
	zoneKeys = []string{"cluster_name", "cluster_id", "ocpagent_service_name", "prohibit_rollback", "former_cluster_status",
		"zone_name", "target_cluster_status"}
)

// templates are transcribed from the samples of ocp-doc V4.2.2 en-US
// 450.cluster-information (1800 restart-observer, 1600 stop-observer, 1700
// start-observer, 1300 restart-zone, 1100 stop-zone, 1200 start-zone;
// the same on every branch from V3.1.1), and checked against them by
// templates_test.go. The server stop and start samples carry no
// seriesIds: theirs follow execution order.
var templates = [numTemplates]template{
	RestartServerTemplate: {name: "Restart OB server", keys: serverRestartKeys,
		sampleTaskID: 89027028, sampleSubtaskID: 89030472, sampleStart: "2021-09-05T22:46:20.22+08:00",
		steps: []tplStep{
			{kind: kPrepare, id: 3, series: 6, list: 2},
			{kind: kStopServer, id: 10, series: 7, list: 7},
			{kind: kStopProcess, id: 4, series: 2, list: 10},
			{kind: kStartProcess, id: 7, series: 10, list: 6},
			{kind: kWaitActive, id: 9, series: 1, list: 9},
			{kind: kStartAgent, id: 0, series: 3, list: 1},
			{kind: kStartServer, id: 11, series: 8, list: 8},
			{kind: kUpdateServer, id: 1, series: 0, list: 4},
			{kind: kUpdateZone, id: 6, series: 9, list: 5},
			{kind: kSyncCluster, id: 8, series: 4, list: 0},
			{kind: kUpdateCluster, id: 2, series: 5, list: 3},
		}},
	StopServerTemplate: {name: "Stop OB server", keys: serverStopKeys,
		sampleTaskID: 111102, sampleSubtaskID: 133815, sampleStart: "2021-03-02T16:11:11.327+08:00",
		steps: []tplStep{
			{kind: kPrepareStop, id: 5, series: 0, list: 5},
			{kind: kStopServer, id: 3, series: 1, list: 3},
			{kind: kStopProcess, id: 1, series: 2, list: 1},
			{kind: kWaitStop, id: 0, series: 3, list: 0},
			{kind: kUpdateServer, id: 6, series: 4, list: 6},
			{kind: kUpdateZone, id: 7, series: 5, list: 7},
			{kind: kSyncCluster, id: 4, series: 6, list: 4},
			{kind: kUpdateCluster, id: 2, series: 7, list: 2},
		}},
	StartServerTemplate: {name: "Start OB server", keys: serverStartKeys,
		sampleTaskID: 111125, sampleSubtaskID: 133851, sampleStart: "2021-03-02T16:13:17.818+08:00",
		steps: []tplStep{
			{kind: kPrepareStart, id: 7, series: 0, list: 7},
			{kind: kStartProcess, id: 0, series: 1, list: 0},
			{kind: kWaitActive, id: 4, series: 2, list: 4},
			{kind: kStartAgent, id: 5, series: 3, list: 5},
			{kind: kStartServer, id: 3, series: 4, list: 3},
			{kind: kUpdateServer, id: 1, series: 5, list: 1},
			{kind: kUpdateZone, id: 2, series: 6, list: 2},
			{kind: kSyncCluster, id: 8, series: 7, list: 8},
			{kind: kUpdateCluster, id: 6, series: 8, list: 6},
		}},
	RestartZoneTemplate: {name: "Restart OB zone", zone: true, keys: zoneKeys,
		sampleTaskID: 89026581, sampleSubtaskID: 89029952, sampleStart: "2021-09-05T22:25:59.164+08:00",
		steps: []tplStep{
			{kind: kPrepareZone, id: 0, series: 6, list: 12},
			{kind: kStopZone, id: 8, series: 3, list: 1},
			{kind: kPrepare, perServer: true, id: 2, series: 9, list: 8},
			{kind: kWaitNode, id: 7, series: 4, list: 3},
			{kind: kStopProcess, perServer: true, id: 3, series: 1, list: 14},
			{kind: kWaitNode, id: 11, series: 13, list: 5},
			{kind: kStartProcess, perServer: true, id: 5, series: 7, list: 11},
			{kind: kWaitActive, id: 10, series: 5, list: 10},
			{kind: kStartAgent, perServer: true, id: 12, series: 0, list: 2},
			{kind: kWaitNode, id: 9, series: 8, list: 7},
			{kind: kUpdateServer, perServer: true, id: 13, series: 10, list: 0},
			{kind: kStartZone, id: 1, series: 11, list: 4},
			{kind: kUpdateZone, id: 4, series: 12, list: 9},
			{kind: kSyncCluster, id: 6, series: 2, list: 13},
			{kind: kUpdateCluster, id: 14, series: 14, list: 6},
		}},
	StopZoneTemplate: {name: "Stop OB zone", zone: true, keys: zoneKeys,
		sampleTaskID: 89026504, sampleSubtaskID: 89029851, sampleStart: "2021-09-05T22:22:20.963+08:00",
		steps: []tplStep{
			{kind: kPrepareStopZone, id: 4, series: 9, list: 3},
			{kind: kStopZone, id: 5, series: 0, list: 1},
			{kind: kPrepareStop, perServer: true, id: 9, series: 1, list: 2},
			{kind: kWaitNode, id: 7, series: 8, list: 6},
			{kind: kStopProcess, perServer: true, id: 6, series: 3, list: 7},
			{kind: kWaitNode, id: 8, series: 7, list: 4},
			{kind: kUpdateServer, perServer: true, id: 2, series: 5, list: 5},
			{kind: kUpdateZone, id: 0, series: 4, list: 9},
			{kind: kSyncCluster, id: 1, series: 2, list: 0},
			{kind: kUpdateCluster, id: 3, series: 6, list: 8},
		}},
	StartZoneTemplate: {name: "Start OB zone", zone: true, keys: zoneKeys,
		sampleTaskID: 89026548, sampleSubtaskID: 89029906, sampleStart: "2021-09-05T22:24:21.918+08:00",
		steps: []tplStep{
			{kind: kPrepareStartZone, id: 5, series: 5, list: 7},
			{kind: kPrepareStart, perServer: true, id: 9, series: 6, list: 6},
			{kind: kWaitNode, id: 10, series: 7, list: 3},
			{kind: kStartProcess, perServer: true, id: 11, series: 10, list: 10},
			{kind: kWaitActive, id: 6, series: 8, list: 11},
			{kind: kStartAgent, perServer: true, id: 0, series: 3, list: 0},
			{kind: kWaitNode, id: 1, series: 0, list: 1},
			{kind: kUpdateServer, perServer: true, id: 7, series: 2, list: 5},
			{kind: kStartZone, id: 3, series: 11, list: 2},
			{kind: kUpdateZone, id: 8, series: 9, list: 8},
			{kind: kSyncCluster, id: 2, series: 1, list: 4},
			{kind: kUpdateCluster, id: 4, series: 4, list: 9},
		}},
}

// laidStep is one subtask of a laid-out template, in execution order.
type laidStep struct {
	kind        stepKind
	member      int   // index of the server it acts on; -1: every server (a zone-level step)
	ups         []int // indices of its upstream steps
	parallelIdx int
	idOffset    int64 // from the task's first subtask id
	seriesID    int64
	listPos     int // position in subtasks[]
}

// layout expands the template for n servers, leaving out the kinds drop
// names (the simulator's force variant). idBlock is how many subtask ids
// the task takes.
func (tpl *template) layout(n int, drop func(stepKind) bool) (steps []laidStep, idBlock int64) {
	copies := func(ts tplStep) int {
		if tpl.zone && ts.perServer {
			return n
		}
		return 1
	}
	type origin struct{ tpl, copy int }
	var from []origin
	var prev []int
	maxID := 0
	for ti, ts := range tpl.steps {
		maxID = max(maxID, ts.id)
		if drop != nil && drop(ts.kind) {
			continue
		}
		var cur []int
		for c := range copies(ts) {
			ls := laidStep{kind: ts.kind, member: 0, parallelIdx: -1, ups: slices.Clone(prev),
				idOffset: int64(ts.id*n + c)}
			if tpl.zone {
				ls.member = -1
				if ts.perServer {
					ls.member, ls.parallelIdx = c, c
				}
			}
			cur = append(cur, len(steps))
			steps = append(steps, ls)
			from = append(from, origin{ti, c})
		}
		prev = cur
	}
	// seriesIds and list positions are dense ranks of the sample's, each
	// node's copies in parallelIdx order.
	rank := func(key func(tplStep) int, set func(*laidStep, int)) {
		order := make([]int, len(steps))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int {
			if d := key(tpl.steps[from[a].tpl]) - key(tpl.steps[from[b].tpl]); d != 0 {
				return d
			}
			return from[a].copy - from[b].copy
		})
		for r, i := range order {
			set(&steps[i], r)
		}
	}
	rank(func(s tplStep) int { return s.series }, func(l *laidStep, r int) { l.seriesID = int64(r) })
	rank(func(s tplStep) int { return s.list }, func(l *laidStep, r int) { l.listPos = r })
	return steps, int64((maxID + 1) * n)
}

// wireSubtasks turns laid-out steps into OCP's subtasks, placed in list
// order, all PENDING with runTime 1 (as OCP creates them). pos maps a laid
// step to its index in subtasks[].
func wireSubtasks(steps []laidStep, subBase int64, at ocp.Time) (subs []ocp.Subtask, pos []int) {
	pos = make([]int, len(steps))
	for i, s := range steps {
		pos[i] = s.listPos
	}
	downs := make([][]int, len(steps))
	nEdges := 0
	for i, s := range steps {
		for _, u := range s.ups {
			downs[u] = append(downs[u], i)
		}
		nEdges += 2 * len(s.ups)
	}
	// Edge ids share one array per task; the engine never appends to them.
	edges := make([]int64, 0, nEdges)
	subs = make([]ocp.Subtask, len(steps))
	for i, s := range steps {
		d := &stepDefs[s.kind]
		a := len(edges)
		for _, u := range s.ups {
			edges = append(edges, subBase+steps[u].idOffset)
		}
		b := len(edges)
		for _, dn := range downs[i] {
			edges = append(edges, subBase+steps[dn].idOffset)
		}
		subs[pos[i]] = ocp.Subtask{
			ID: subBase + s.idOffset, Name: d.name, Description: d.name, ClassName: classPrefix + d.class,
			NodeType: ocp.NodeJavaTask, Status: ocp.SubtaskPending, Operation: ocp.OpExecute,
			Timeout: d.timeout, RunTime: 1, CreateTime: at, SeriesID: s.seriesID, ParallelIdx: s.parallelIdx,
			Upstreams: edges[a:b:b], Downstreams: edges[b:len(edges):len(edges)],
		}
	}
	return subs, pos
}

// contextValues are what a task's context is filled from.
type contextValues struct {
	clusterName, clusterID, zoneName, serverID string
	formerCluster, formerZone                  string
	serverIDs                                  []string
}

// context is the task context as the template's sample carries it.
func (tpl *template) context(v contextValues) ocp.TaskContext {
	all := map[string]string{
		"cluster_name":          v.clusterName,
		"cluster_id":            v.clusterID,
		"ocpagent_service_name": "agent",
		"prohibit_rollback":     "false",
		"former_cluster_status": v.formerCluster,
		"target_cluster_status": string(ocp.ClusterRunning),
		"former_zone_status":    v.formerZone,
		"target_zone_status":    string(ocp.ServerRunning),
		"zone_name":             v.zoneName,
		"server_id":             v.serverID,
	}
	sm := make(map[string]string, len(tpl.keys))
	for _, k := range tpl.keys {
		sm[k] = all[k]
	}
	return ocp.TaskContext{
		ListMap:     map[string][]string{"server_ids": slices.Clone(v.serverIDs)},
		StringMap:   sm,
		ParallelIdx: -1,
	}
}

// TaskSpec is what BuildTask lays a template out for. Zero ids and start
// time take the template's documented sample's.
type TaskSpec struct {
	TaskID         int64
	FirstSubtaskID int64
	Start          time.Time
	ClusterID      int64
	ClusterName    string
	ZoneName       string
	// ServerIDs are the servers acted on: exactly one for a server
	// template, the zone's servers (parallelIdx order) for a zone template.
	ServerIDs []int64
	// Force lays out the simulator's force restart (RestartServerTemplate
	// only: no "Stop server" step).
	Force bool
}

// BuildTask lays out a documented template as OCP returns the task just
// created: RUNNING with operation EXECUTE, every subtask PENDING with
// runTime 1 but the first, READY. With one server, the sample's ids and
// the spec's cluster, zone and server, it is the sample. It returns an
// error for a spec the template cannot take.
func BuildTask(t Template, spec TaskSpec) (*ocp.Task, error) {
	if t >= numTemplates {
		return nil, fmt.Errorf("unknown template %d", t)
	}
	tpl := &templates[t]
	switch {
	case !tpl.zone && len(spec.ServerIDs) != 1:
		return nil, fmt.Errorf("%s acts on one server, not %d", tpl.name, len(spec.ServerIDs))
	case tpl.zone && len(spec.ServerIDs) == 0:
		return nil, fmt.Errorf("%s needs the zone's servers", tpl.name)
	case spec.Force && t != RestartServerTemplate:
		return nil, fmt.Errorf("%s has no force variant", tpl.name)
	}
	if spec.TaskID == 0 {
		spec.TaskID = tpl.sampleTaskID
	}
	if spec.FirstSubtaskID == 0 {
		spec.FirstSubtaskID = tpl.sampleSubtaskID
	}
	if spec.Start.IsZero() {
		spec.Start, _ = time.Parse(time.RFC3339Nano, tpl.sampleStart)
	}
	var drop func(stepKind) bool
	if spec.Force {
		drop = dropForForce
	}
	steps, _ := tpl.layout(len(spec.ServerIDs), drop)
	at := ocp.NewTime(spec.Start)
	subs, pos := wireSubtasks(steps, spec.FirstSubtaskID, at)
	for i, s := range steps {
		if len(s.ups) == 0 {
			subs[pos[i]].Status = ocp.SubtaskReady
		}
	}
	ids := make([]string, len(spec.ServerIDs))
	for i, id := range spec.ServerIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	v := contextValues{clusterName: spec.ClusterName, clusterID: strconv.FormatInt(spec.ClusterID, 10), zoneName: spec.ZoneName,
		formerCluster: string(ocp.ClusterRunning), formerZone: string(ocp.ServerRunning), serverIDs: ids}
	if !tpl.zone {
		v.serverID = ids[0]
	}
	task := &ocp.Task{
		ID: spec.TaskID, Name: tpl.name, Status: ocp.TaskRunning, Type: ocp.TaskManual, Operation: ocp.OpExecute,
		Creator: ocp.Creator{Name: "admin"}, Executor: executorAddress, ClusterID: spec.ClusterID,
		CreateTime: at, StartTime: at, TaskDefinitionID: -1, Context: tpl.context(v), Subtasks: subs,
	}
	if spec.Force {
		task.Context.StringMap["force"] = "true"
	}
	return task, nil
}

// dropForForce leaves out what the simulator's force restart skips: the
// graceful "Stop server" (leaders are not moved away first). OCP documents
// no force graph; this is the simulator's.
func dropForForce(k stepKind) bool { return k == kStopServer }
