package embedded

import (
	_ "embed"
	"encoding/json"
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

// templates are transcribed from the samples of ocp-doc V4.2.2 en-US
// 450.cluster-information (1800 restart-observer, 1600 stop-observer, 1700
// start-observer, 1300 restart-zone, 1100 stop-zone, 1200 start-zone;
// the same on every branch from V3.1.1), and checked against them by
// templates_test.go. They are data, kept in templates.json in Template
// order: each step named by its slug (stepDefs), with its subtask id
// offset, seriesId and position in subtasks[] in the sample; keys are the
// context's stringMap keys. The server stop and start samples carry no
// seriesIds: theirs follow execution order.
var templates = loadTemplates(templatesJSON)

//go:embed templates.json
var templatesJSON []byte

// loadTemplates reads the templates; the file is part of the program, so
// a mistake in it is a bug, found by any test of the package.
func loadTemplates(data []byte) (out [numTemplates]template) {
	var file []struct {
		Name            string   `json:"name"`
		Zone            bool     `json:"zone"`
		Keys            []string `json:"keys"`
		SampleTaskID    int64    `json:"sampleTaskId"`
		SampleSubtaskID int64    `json:"sampleSubtaskId"`
		SampleStart     string   `json:"sampleStart"`
		Steps           []struct {
			Step      string `json:"step"`
			PerServer bool   `json:"perServer"`
			ID        int    `json:"id"`
			Series    int    `json:"series"`
			List      int    `json:"list"`
		} `json:"steps"`
	}
	if err := json.Unmarshal(data, &file); err != nil || len(file) != len(out) {
		panic(fmt.Sprintf("templates.json: %d templates, want %d (%v)", len(file), len(out), err))
	}
	for i, f := range file {
		t := template{name: f.Name, zone: f.Zone, keys: f.Keys,
			sampleTaskID: f.SampleTaskID, sampleSubtaskID: f.SampleSubtaskID, sampleStart: f.SampleStart}
		for _, s := range f.Steps {
			k := slices.IndexFunc(stepDefs[:], func(d stepDef) bool { return d.slug == s.Step })
			if k < 0 {
				panic("templates.json: " + f.Name + ": no step " + s.Step)
			}
			t.steps = append(t.steps, tplStep{kind: stepKind(k), perServer: s.PerServer, id: s.ID, series: s.Series, list: s.List})
		}
		out[i] = t
	}
	return out
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
