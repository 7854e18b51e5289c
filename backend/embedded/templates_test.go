package embedded

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend/ocp"
)

// sampleTask is a documentation sample decoded on its own terms, apart
// from backend/ocp: the server stop and start samples list their steps
// under "tasks" and print the context as Java's toString.
type sampleTask struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	ClusterID int64  `json:"clusterId"`
	Cluster   struct {
		ID   int64
		Name string
	}
	Context   json.RawMessage `json:"context"`
	StartTime string          `json:"startTime"`
	Subtasks  []sampleSubtask `json:"subtasks"`
	Tasks     []sampleSubtask `json:"tasks"`
}

type sampleSubtask struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	Description string  `json:"description"`
	ClassName   *string `json:"className"`
	Timeout     *int64  `json:"timeout"`
	ParallelIdx *int    `json:"parallelIdx"`
	SeriesID    *int64  `json:"seriesId"`
	RunTime     *int    `json:"runTime"`
	Status      string  `json:"status"`
	Operation   string  `json:"operation"`
	Upstreams   []int64 `json:"upstreams"`
	Downstreams []int64 `json:"downstreams"`
}

// sampleDir holds the OCP documentation's samples, kept once for the
// module (their SOURCES.md names repository, branch, commit and path).
const sampleDir = "../ocp/testdata/ocpdoc/"

// sampleVersion is the branch whose copy of a sample is kept; the blocks
// are the same on every branch V3.1.1 to V4.2.2 apart from redaction.
var sampleVersion = map[string]string{"restart-zone": "V4.0.3", "start-observer": "V3.1.1"}

func readSample(t *testing.T, name string) sampleTask {
	t.Helper()
	version := sampleVersion[name]
	if version == "" {
		version = "V4.2.2"
	}
	raw, err := os.ReadFile(sampleDir + version + "_en_" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var env struct{ Data sampleTask }
	if err := json.Unmarshal(raw, &env); err != nil {
		t.Fatal(err)
	}
	return env.Data
}

// sampleStringMap reads the context's stringMap in either form.
func sampleStringMap(t *testing.T, raw json.RawMessage) map[string]string {
	t.Helper()
	var obj struct{ StringMap map[string]string }
	if json.Unmarshal(raw, &obj) == nil {
		return obj.StringMap
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("context %s", raw)
	}
	m := regexp.MustCompile(`stringMap=\{([^}]*)\}`).FindStringSubmatch(s)
	out := map[string]string{}
	for _, kv := range strings.Split(m[1], ", ") {
		k, v, _ := strings.Cut(kv, "=")
		out[k] = v
	}
	return out
}

func TestBuildTaskLaysOutTheDocumentedTemplates(t *testing.T) {
	for _, c := range []struct {
		tpl    Template
		sample string
		steps  int
	}{
		{RestartServerTemplate, "restart-observer", 11},
		{StopServerTemplate, "stop-observer", 8},
		{StartServerTemplate, "start-observer", 9},
		{RestartZoneTemplate, "restart-zone", 15},
		{StopZoneTemplate, "stop-zone", 10},
		{StartZoneTemplate, "start-zone", 12},
	} {
		t.Run(c.tpl.String(), func(t *testing.T) {
			want := readSample(t, c.sample)
			wantSubs := want.Subtasks
			if wantSubs == nil {
				wantSubs = want.Tasks // shape B
			}
			sm := sampleStringMap(t, want.Context)
			clusterID := want.ClusterID
			if clusterID == 0 {
				clusterID = want.Cluster.ID
			}
			var servers []int64
			var ctxObj struct{ ListMap map[string][]string }
			if json.Unmarshal(want.Context, &ctxObj) == nil {
				for _, id := range ctxObj.ListMap["server_ids"] {
					servers = append(servers, mustInt(t, id))
				}
			} else {
				servers = []int64{mustInt(t, sm["server_id"])}
			}
			got, err := BuildTask(c.tpl, TaskSpec{ClusterID: clusterID, ClusterName: sm["cluster_name"], ZoneName: sm["zone_name"], ServerIDs: servers})
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != want.ID || got.Name != want.Name || len(got.Subtasks) != c.steps || len(wantSubs) != c.steps {
				t.Fatalf("task %d %q with %d steps, want %d %q with %d", got.ID, got.Name, len(got.Subtasks), want.ID, want.Name, len(wantSubs))
			}
			if start, _ := time.Parse(time.RFC3339Nano, want.StartTime); !got.StartTime.Equal(start) {
				t.Errorf("start %v, want %v", got.StartTime, start)
			}
			if !mapsEqual(got.Context.StringMap, sm) || got.Context.Parallel || got.Context.ParallelIdx != -1 {
				t.Errorf("context %v\nwant %v", got.Context.StringMap, sm)
			}
			for i, w := range wantSubs {
				g := got.Subtasks[i]
				if g.ID != w.ID || g.Name != w.Name || g.Description != w.Description || g.Operation != ocp.OpExecute ||
					!slices.Equal(g.Upstreams, w.Upstreams) || !slices.Equal(g.Downstreams, w.Downstreams) {
					t.Errorf("subtask %d\n got %d %q %q %v %v\nwant %d %q %q %v %v", i, g.ID, g.Name, g.Description, g.Upstreams, g.Downstreams,
						w.ID, w.Name, w.Description, w.Upstreams, w.Downstreams)
				}
				// What the sample gives, the layout matches.
				if w.ClassName != nil && g.ClassName != *w.ClassName || w.Timeout != nil && g.Timeout != *w.Timeout ||
					w.ParallelIdx != nil && g.ParallelIdx != *w.ParallelIdx || w.SeriesID != nil && g.SeriesID != *w.SeriesID ||
					w.RunTime != nil && g.RunTime != *w.RunTime {
					t.Errorf("%s: class %s timeout %d parallelIdx %d seriesId %d runTime %d; sample %+v", g.Name, g.ClassName, g.Timeout, g.ParallelIdx, g.SeriesID, g.RunTime, w)
				}
				// Just created: the first step READY (the server samples
				// were printed a moment later, with it RUNNING).
				wantSt := ocp.SubtaskStatus(w.Status)
				if wantSt == ocp.SubtaskRunning {
					wantSt = ocp.SubtaskReady
				}
				if g.Status != wantSt {
					t.Errorf("%s: %s, sample %s", g.Name, g.Status, w.Status)
				}
			}
		})
	}
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	if err := json.Unmarshal([]byte(s), &n); err != nil {
		t.Fatalf("id %q", s)
	}
	return n
}

func TestBuildTaskForAZoneOfThreeServers(t *testing.T) {
	for _, c := range []struct {
		tpl           Template
		zone, perSrv  int
		barriers      []string
		perServerOnly []string
	}{
		{RestartZoneTemplate, 10, 5, []string{"Wait node", "Wait observer active"},
			[]string{"Prepare restart observer", "Stop observer process", "Start observer process", "Start ocp agent service", "Update observer status"}},
		{StopZoneTemplate, 7, 3, []string{"Wait node"}, []string{"Prepare stop observer", "Stop observer process", "Update observer status"}},
		{StartZoneTemplate, 8, 4, []string{"Wait node", "Wait observer active"},
			[]string{"Prepare start observer", "Start observer process", "Start ocp agent service", "Update observer status"}},
	} {
		task, err := BuildTask(c.tpl, TaskSpec{ClusterID: 1, ClusterName: "c", ZoneName: "z", ServerIDs: []int64{7, 8, 9}})
		if err != nil {
			t.Fatal(err)
		}
		if len(task.Subtasks) != c.zone+3*c.perSrv {
			t.Errorf("%s: %d steps for three servers, want %d", c.tpl, len(task.Subtasks), c.zone+3*c.perSrv)
		}
		ids, series := map[int64]bool{}, map[int64]bool{}
		for _, s := range task.Subtasks {
			ids[s.ID], series[s.SeriesID] = true, true
			switch {
			case slices.Contains(c.perServerOnly, s.Name):
				if s.ParallelIdx < 0 || s.ParallelIdx > 2 {
					t.Errorf("%s: %s parallelIdx %d", c.tpl, s.Name, s.ParallelIdx)
				}
			case slices.Contains(c.barriers, s.Name):
				if s.ParallelIdx != -1 || len(s.Upstreams) != 3 || len(s.Downstreams) != 3 {
					t.Errorf("%s: barrier %s joins %d to %d", c.tpl, s.Name, len(s.Upstreams), len(s.Downstreams))
				}
			case s.ParallelIdx != -1:
				t.Errorf("%s: zone-level %s has parallelIdx %d", c.tpl, s.Name, s.ParallelIdx)
			}
		}
		if len(ids) != len(task.Subtasks) || len(series) != len(task.Subtasks) {
			t.Errorf("%s: %d ids and %d seriesIds for %d steps", c.tpl, len(ids), len(series), len(task.Subtasks))
		}
		executionOrder(t, task) // a well-formed graph, edges stated on both sides
	}
}

func TestBuildTaskRefusesWhatATemplateCannotTake(t *testing.T) {
	for _, c := range []struct {
		tpl  Template
		spec TaskSpec
	}{
		{StopServerTemplate, TaskSpec{ServerIDs: []int64{1, 2}}},
		{RestartServerTemplate, TaskSpec{}},
		{StartZoneTemplate, TaskSpec{}},
		{RestartZoneTemplate, TaskSpec{ServerIDs: []int64{1}, Force: true}},
		{numTemplates, TaskSpec{ServerIDs: []int64{1}}},
	} {
		if _, err := BuildTask(c.tpl, c.spec); err == nil {
			t.Errorf("%s %+v: no error", c.tpl, c.spec)
		}
	}
	force, err := BuildTask(RestartServerTemplate, TaskSpec{ServerIDs: []int64{1}, Force: true})
	if err != nil || !force.Force() || len(force.Subtasks) != 10 || byName(force, "Stop server") != nil {
		t.Errorf("force restart template: %v, %d steps", err, len(force.Subtasks))
	}
}

func TestRunSeparatorIsOCPs(t *testing.T) {
	raw, err := os.ReadFile(sampleDir + "V4.2.2_en_subtask-log.json")
	if err != nil {
		t.Fatal(err)
	}
	var env struct{ Data struct{ Log string } }
	if err := json.Unmarshal(raw, &env); err != nil {
		t.Fatal(err)
	}
	docFirst, _, _ := strings.Cut(env.Data.Log, "\n")
	at, _ := time.Parse(time.RFC3339Nano, "2021-08-25T15:09:32.697+08:00")
	var s step
	s.separator(at, ocp.OpExecute)
	if got := s.text(at); got != docFirst {
		t.Errorf("separator %q, the documentation's %q", got, docFirst)
	}
	cst := time.FixedZone("CST", 8*3600)
	for in, want := range map[time.Time]string{
		time.Date(2021, 8, 25, 15, 9, 32, 697_400_000, cst):   "2021-08-25T15:09:32.697+08:00",
		time.Date(2021, 8, 25, 15, 9, 32, 0, cst):             "2021-08-25T15:09:32+08:00",
		time.Date(2021, 8, 25, 15, 9, 0, 0, cst):              "2021-08-25T15:09+08:00",
		time.Date(2021, 8, 25, 15, 9, 0, 5_000_000, time.UTC): "2021-08-25T15:09:00.005Z",
	} {
		if got := javaTime(in); got != want {
			t.Errorf("javaTime(%v) = %s, want %s", in, got, want)
		}
	}
}
