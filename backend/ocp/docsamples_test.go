package ocp

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The samples of OCP's documentation (testdata/ocpdoc, see SOURCES.md),
// decoded as the endpoint that printed them would be.

const ocpdoc = "testdata/ocpdoc"

// sampleKind is the response type of a sample, from its file name.
func sampleKind(name string) string {
	base := strings.TrimSuffix(name, ".json")
	_, kind, _ := strings.Cut(base, "_en_")
	if kind == "" {
		_, kind, _ = strings.Cut(base, "_zh_")
	}
	return kind
}

// decodeSample decodes b as kind and encodes the result again.
func decodeSample(t *testing.T, kind string, b []byte) (any, []byte) {
	t.Helper()
	var v any
	switch kind {
	case "restart-observer", "start-observer", "stop-observer", "task-detail",
		"restart-zone", "stop-zone", "start-zone":
		v = new(Envelope[Task])
	case "task-list":
		v = new(Envelope[List[Task]])
	case "cluster-list":
		v = new(Envelope[List[Cluster]])
	case "zone-list":
		v = new(Envelope[List[Zone]])
	case "server-list":
		v = new(Envelope[List[Server]])
	case "subtask-log":
		v = new(Envelope[Log])
	case "error-throttling":
		v = new(Envelope[json.RawMessage])
	default:
		t.Fatalf("no response type for sample kind %q", kind)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode: %v", err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return v, out
}

func jsonSamples(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(ocpdoc, "*.json"))
	if err != nil || len(names) < 18 {
		t.Fatalf("samples: %v (%d found)", err, len(names))
	}
	return names
}

// Every sample decodes, and encoding it again writes the members that came
// and no others (the one rename: "tasks" is written as "subtasks"), with
// the same values: decoding the encoding gives the same encoding.
func TestEveryDocSampleRoundTrips(t *testing.T) {
	for _, path := range jsonSamples(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			kind := sampleKind(name)
			_, first := decodeSample(t, kind, b)
			_, second := decodeSample(t, kind, first)
			if !bytes.Equal(first, second) {
				t.Errorf("decode → encode → decode changed the sample:\nfirst:  %s\nsecond: %s", first, second)
			}
			var in, out any
			if err := json.Unmarshal(b, &in); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(first, &out); err != nil {
				t.Fatal(err)
			}
			for _, d := range sameMembers("", in, out) {
				t.Error(d)
			}
		})
	}
}

// sameMembers lists where the objects of b do not have the members of a,
// and where scalars differ. "tasks" in a matches "subtasks" in b. Times
// are compared as instants, numbers as numbers.
func sameMembers(at string, a, b any) []string {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok {
			return []string{at + ": object became " + reflect.TypeOf(b).String()}
		}
		var diffs []string
		keys := func(m map[string]any) []string {
			var ks []string
			for k := range m {
				if k == "tasks" {
					k = "subtasks"
				}
				ks = append(ks, k)
			}
			sort.Strings(ks)
			return ks
		}
		if ka, kb := keys(av), keys(bv); !slices.Equal(ka, kb) {
			diffs = append(diffs, at+": members "+strings.Join(ka, ",")+" became "+strings.Join(kb, ","))
		}
		for k, v := range av {
			bk := k
			if k == "tasks" {
				bk = "subtasks"
			}
			if w, ok := bv[bk]; ok {
				diffs = append(diffs, sameMembers(at+"."+k, v, w)...)
			}
		}
		return diffs
	case []any:
		bv, ok := b.([]any)
		if !ok || len(av) != len(bv) {
			return []string{at + ": list changed"}
		}
		var diffs []string
		for i := range av {
			diffs = append(diffs, sameMembers(at+"["+strconv.Itoa(i)+"]", av[i], bv[i])...)
		}
		return diffs
	case string:
		if bs, ok := b.(string); ok && bs != av {
			ta, okA := ParseTime(av)
			tb, okB := ParseTime(bs)
			if okA && okB && ta.Equal(tb.Time) && av != "" {
				return nil
			}
			return []string{at + ": " + av + " became " + bs}
		}
	}
	if !reflect.DeepEqual(a, b) {
		return []string{at + ": value changed"}
	}
	return nil
}

func loadSample[T any](t *testing.T, name string) T {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(ocpdoc, name))
	if err != nil {
		t.Fatal(err)
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// The cluster's name, whichever shape named it: the context object (a task
// just created), the cluster object (task lists, server start and stop),
// and nothing at all (task details).
func TestClusterNameFromEveryShape(t *testing.T) {
	cases := []struct {
		file      string
		name      string
		clusterID int64
		obCluster int64
		typ       ClusterType
	}{
		{"V4.2.2_en_restart-observer.json", "protoss", 12000001, 0, ""},
		{"V3.1.1_en_restart-observer.json", "protoss", 12000001, 0, ""},
		{"V4.0.3_en_restart-zone.json", "protoss", 12000001, 0, ""},
		{"V3.1.1_en_start-observer.json", "ob_upgrade", 20, 20, ""},
		{"V4.2.2_en_stop-observer.json", "ob_upgrade", 20, 20, ""},
		{"V4.2.2_en_task-detail.json", "", 0, 0, ""},
	}
	for _, c := range cases {
		task := loadSample[Envelope[Task]](t, c.file).Data
		if got := task.ClusterName(); got != c.name {
			t.Errorf("%s: ClusterName = %q, want %q", c.file, got, c.name)
		}
		if task.ClusterID != c.clusterID {
			t.Errorf("%s: ClusterID = %d, want %d", c.file, task.ClusterID, c.clusterID)
		}
		if c.obCluster != 0 && (task.Cluster == nil || task.Cluster.ObClusterID != c.obCluster || task.Cluster.Type != c.typ) {
			t.Errorf("%s: cluster object = %+v", c.file, task.Cluster)
		}
		if _, unknown := task.Extra["cluster"]; unknown {
			t.Errorf("%s: cluster kept as an unknown member", c.file)
		}
	}

	for _, file := range []string{"V4.2.2_en_task-list.json", "V4.0.0_en_task-list.json", "V4.2.0_zh_task-list.json"} {
		list := loadSample[Envelope[List[Task]]](t, file).Data
		if len(list.Contents) != 2 || list.Page == nil || list.Page.TotalPages != 1 {
			t.Fatalf("%s: list = %+v", file, list)
		}
		for _, task := range list.Contents {
			c := task.Cluster
			if task.ClusterName() != "ob20daily.xiaojun.chengxj" || task.ClusterID != 1 || c == nil ||
				c.ObClusterID != 1 || c.Type != ClusterPrimary || len(task.Extra) != 0 {
				t.Errorf("%s task %d: cluster %q id %d object %+v extra %v", file, task.ID, task.ClusterName(), task.ClusterID, c, task.Extra)
			}
		}
		first, second := list.Contents[0], list.Contents[1]
		tn := first.TenantRef()
		wantMode := TenantOracle
		if strings.HasPrefix(file, "V4.2.0_zh") {
			wantMode = TenantMySQL
		}
		if tn == nil || tn.ID != 169 || tn.Name != "zhiqiong" || tn.ObTenantID != 1584 || tn.Mode != wantMode || first.TenantName() != "zhiqiong" {
			t.Errorf("%s: tenant = %+v", file, tn)
		}
		if second.TenantRef() != nil || second.TenantName() != "" {
			t.Errorf("%s: the second task has no tenant, got %+v", file, second.TenantRef())
		}
		if first.Creator.Name != "system" || first.Creator.ID != 200 || !first.Creator.IsObject {
			t.Errorf("%s: creator = %+v", file, first.Creator)
		}
	}
}

// The derived cluster id is not written back, and a clusterId that came is.
func TestDerivedClusterIDIsNotInvented(t *testing.T) {
	task := loadSample[Envelope[Task]](t, "V4.2.2_en_stop-observer.json").Data
	out, _ := json.Marshal(task)
	if strings.Contains(string(out), `"clusterId"`) {
		t.Errorf("clusterId invented: %s", out)
	}
	task.ClusterID = 21 // changed in Go: now it is information
	if out, _ := json.Marshal(task); !strings.Contains(string(out), `"clusterId":21`) {
		t.Errorf("a changed ClusterID must be written: %s", out)
	}
	var fromContext Task
	if err := json.Unmarshal([]byte(`{"id":1,"context":{"stringMap":{"cluster_id":"12000001"}}}`), &fromContext); err != nil {
		t.Fatal(err)
	}
	if fromContext.ClusterID != 12000001 {
		t.Errorf("ClusterID from the context = %d", fromContext.ClusterID)
	}
	if out, _ := json.Marshal(fromContext); strings.Contains(string(out), `"clusterId"`) {
		t.Errorf("clusterId invented from the context: %s", out)
	}
}

// Server start and stop send the context as Java's toString.
func TestContextFromJavaToString(t *testing.T) {
	start := loadSample[Envelope[Task]](t, "V3.1.1_en_start-observer.json").Data
	stop := loadSample[Envelope[Task]](t, "V4.2.2_en_stop-observer.json").Data
	for _, task := range []Task{start, stop} {
		c := task.Context
		if !strings.HasPrefix(c.Raw, "Context(parallelIdx=-1, stringMap={") {
			t.Errorf("%s: Raw = %q", task.Name, c.Raw)
		}
		if c.Get("zone_name") != "zone2" || c.Get("server_id") != "3" || c.Get("cluster_id") != "20" ||
			c.Get("target_cluster_status") != "RUNNING" || c.ParallelIdx != -1 {
			t.Errorf("%s: context = %+v", task.Name, c)
		}
		if !reflect.DeepEqual(c.ListMap, map[string][]string{"server_ids": {"3"}}) {
			t.Errorf("%s: listMap = %v", task.Name, c.ListMap)
		}
		if task.ZoneName() != "zone2" || !slices.Equal(task.ServerIDs(), []int64{3}) {
			t.Errorf("%s: zone %q servers %v", task.Name, task.ZoneName(), task.ServerIDs())
		}
	}
	if start.Context.Get("cluster_name") != "ob_upgrade" || len(start.Context.StringMap) != 9 {
		t.Errorf("start context = %v", start.Context.StringMap)
	}
	if stop.Context.Get("cluster_name") != "" || len(stop.Context.StringMap) != 7 {
		t.Errorf("stop context = %v", stop.Context.StringMap)
	}
	// Encoding writes the text back as it came.
	out, _ := json.Marshal(stop)
	want, _ := json.Marshal(stop.Context.Raw)
	if !strings.Contains(string(out), `"context":`+string(want)) {
		t.Errorf("toString context not written back: %s", out)
	}
}

// Shape B: steps under "tasks", with only names, status, operation and
// edges.
func TestServerStartAndStopSteps(t *testing.T) {
	start := loadSample[Envelope[Task]](t, "V3.1.1_en_start-observer.json").Data
	if len(start.Subtasks) != 9 || start.Creator.Name != "admin" || start.Creator.ID != 100 || start.Type != "" || start.Operation != "" {
		t.Fatalf("start task = %+v", start)
	}
	prep := start.Subtask(133858)
	if prep == nil || prep.Name != "Prepare start observer" || prep.Status != SubtaskRunning ||
		len(prep.Upstreams) != 0 || !slices.Equal(prep.Downstreams, []int64{133851}) || !prep.EdgesKnown() {
		t.Errorf("prepare step = %+v", prep)
	}
	for _, s := range start.Subtasks {
		if s.TimeoutKnown() || s.RunTimeKnown() || s.AttemptsKnown() || s.ClassName != "" {
			t.Errorf("step %q: timeout or run count known, but none arrived: %+v", s.Name, s)
		}
		if _, ok := s.TimeoutDuration(); ok {
			t.Errorf("step %q: TimeoutDuration ok without a timeout", s.Name)
		}
	}
}

// Task-list items carry no edges, timeouts or run counts: nothing is
// invented for them, in Go or in JSON.
func TestTaskListStepsInventNothing(t *testing.T) {
	list := loadSample[Envelope[List[Task]]](t, "V4.2.2_en_task-list.json").Data
	for _, task := range list.Contents {
		if len(task.Subtasks) == 0 {
			t.Fatalf("task %d has no steps", task.ID)
		}
		for _, s := range task.Subtasks {
			if s.TimeoutKnown() || s.RunTimeKnown() || s.EdgesKnown() || s.AttemptsKnown() {
				t.Errorf("task %d step %d: timeout %v run count %v edges %v known", task.ID, s.ID, s.TimeoutKnown(), s.RunTimeKnown(), s.EdgesKnown())
			}
			if _, ok := s.TimeoutDuration(); ok {
				t.Errorf("step %d: a timeout from nothing", s.ID)
			}
			if _, ok := s.Elapsed(time.Now()); ok {
				t.Errorf("step %d: an elapsed time from nothing", s.ID)
			}
			out, _ := json.Marshal(s)
			var members map[string]any
			_ = json.Unmarshal(out, &members)
			for _, invented := range []string{"timeout", "runTime", "upstreams", "downstreams", "seriesId", "parallelIdx", "prohibitRollback"} {
				if _, ok := members[invented]; ok {
					t.Errorf("step %d: %s invented: %s", s.ID, invented, out)
				}
			}
		}
	}
	// The first task was rolled back: one step undone, two never ran.
	first := list.Contents[0]
	if !first.RolledBack() || first.Succeeded() || first.Outcome() != OutcomeRolledBack {
		t.Errorf("first task: rolled back %v succeeded %v outcome %s", first.RolledBack(), first.Succeeded(), first.Outcome())
	}
	if done, total := first.Progress(); done != 1 || total != 1 {
		t.Errorf("first task progress %d/%d, want 1/1", done, total)
	}
	undone := first.Subtask(9009987)
	if undone == nil || !undone.RolledBack() || undone.Outcome() != StepRolledBack || undone.Outcome().Class() != ClassOK {
		t.Errorf("rolled-back step = %+v", undone)
	}
	if never := first.Subtask(9009988); never.RolledBack() || never.Outcome() != StepOutcome(SubtaskPending) {
		t.Errorf("a step that never ran is not rolled back: %+v", never)
	}
	second := list.Contents[1]
	if second.RolledBack() || !second.Succeeded() || second.Outcome() != OutcomeSuccessful {
		t.Errorf("second task outcome %s", second.Outcome())
	}
	if done, total := second.Progress(); done != 6 || total != 6 {
		t.Errorf("second task progress %d/%d", done, total)
	}
	if d, ok := second.Elapsed(time.Now()); !ok || d != 4*time.Minute+56*time.Second+646*time.Millisecond {
		t.Errorf("second task elapsed %v %v", d, ok)
	}
}

// A task just created (shape A) and a task detail (shape C) have every
// step member.
func TestCreatedAndDetailStepsAreComplete(t *testing.T) {
	zone := loadSample[Envelope[Task]](t, "V4.0.3_en_restart-zone.json").Data
	if len(zone.Subtasks) != 15 || zone.Creator.IsObject || zone.Creator.Name != "admin" {
		t.Fatalf("zone restart = %d steps, creator %+v", len(zone.Subtasks), zone.Creator)
	}
	waits := 0
	for _, s := range zone.Subtasks {
		if !s.TimeoutKnown() || !s.RunTimeKnown() || !s.EdgesKnown() || !s.AttemptsKnown() || s.RunTime != 1 {
			t.Errorf("step %q: %+v", s.Name, s)
		}
		if s.ClassName == "com.alipay.ocp.service.task.business.WaitNode" {
			waits++
			if d, ok := s.TimeoutDuration(); !ok || d != 30*time.Second {
				t.Errorf("wait node timeout %v %v", d, ok)
			}
		}
	}
	if waits != 3 || zone.ZoneName() != "zone2" || !slices.Equal(zone.ServerIDs(), []int64{13000001}) {
		t.Errorf("waits %d zone %q servers %v", waits, zone.ZoneName(), zone.ServerIDs())
	}

	detail := loadSample[Envelope[Task]](t, "V3.1.1_en_task-detail.json").Data
	if detail.Outcome() != OutcomeSuccessful || !detail.Succeeded() {
		t.Errorf("detail outcome %s", detail.Outcome())
	}
	if d, ok := detail.Elapsed(time.Now()); !ok || d != 22*time.Second+327*time.Millisecond {
		t.Errorf("detail elapsed %v %v", d, ok)
	}
	install := detail.Subtask(13000336)
	if d, ok := install.Elapsed(time.Now()); !ok || d != 15*time.Second+361*time.Millisecond {
		t.Errorf("install step elapsed %v %v", d, ok)
	}
	if done, total := detail.Progress(); done != 4 || total != 4 {
		t.Errorf("detail progress %d/%d", done, total)
	}
}

// The zone and server lists: the server id the zone table documents as a
// String, epoch stop times, inner statuses.
func TestZoneAndServerListSamples(t *testing.T) {
	zones := loadSample[Envelope[List[Zone]]](t, "V4.2.2_en_zone-list.json").Data
	if zones.Page != nil || len(zones.Contents) != 1 {
		t.Fatalf("zones = %+v", zones)
	}
	z := zones.Contents[0]
	if z.Name != "zone1" || z.CompactionStatus != "IDLE" || z.RootServer == nil || z.RootServer.SQLPort != 2881 || len(z.Servers) != 1 {
		t.Errorf("zone = %+v", z)
	}
	s := z.Servers[0]
	if s.ID != 12000001 || s.HostID != 4000003 || !s.StopTime.IsZero() || s.StartTime.IsZero() ||
		s.Inner().ServerClass() != ClassOK || z.Inner().ZoneClass() != ClassOK || string(s.Extra["hostTypeName"]) != `"forge"` {
		t.Errorf("server = %+v", s)
	}
	if got := s.StartTime.UTC().Format(time.RFC3339Nano); got != "2021-09-02T08:39:29.295684Z" {
		t.Errorf("microseconds lost: %s", got)
	}
	servers := loadSample[Envelope[List[Server]]](t, "V4.2.2_en_server-list.json").Data
	if len(servers.Contents) != 1 || servers.Contents[0].Address() != "xxx.xxx.xxx.xxx:2882" || !servers.Contents[0].WithRootserver {
		t.Errorf("servers = %+v", servers)
	}
	old := loadSample[Envelope[List[Cluster]]](t, "V3.1.1_en_cluster-list.json").Data.Contents[0]
	if _, ok := old.Extra["alarmSummaries"]; !ok || old.Zones[0].OperateStatus != "NORMAL" || old.RootServers[0].Role != "LEADER" {
		t.Errorf("cluster = %+v", old)
	}
}

// The documented 429: code 0, an empty trace id, no data.
func TestThrottlingSample(t *testing.T) {
	env := loadSample[Envelope[json.RawMessage]](t, "V4.2.2_en_error-throttling.json")
	if env.Successful || env.Status != 429 || env.Error == nil || env.Error.Code != CodeUnset || env.Error.Code.Set() {
		t.Fatalf("envelope = %+v", env)
	}
	if n, ok := env.Error.Code.Number(); !ok || n != 0 {
		t.Errorf("code number %d %v", n, ok)
	}
	if got := env.Error.Summary(); got != "Excessive number of requests. You have exceeded the request limit for the current throttling window." {
		t.Errorf("summary %q", got)
	}
	out, _ := json.Marshal(env)
	if !strings.Contains(string(out), `"traceId":""`) || strings.Contains(string(out), `"data"`) {
		t.Errorf("re-encoded %s", out)
	}
}

func TestSubtaskLogSample(t *testing.T) {
	log := loadSample[Envelope[Log]](t, "V4.2.2_en_subtask-log.json").Data.Log
	if !strings.HasPrefix(log, "############{EXECUTE}{2021-08-25T15:09:32.697+08:00}############\n") ||
		!strings.HasSuffix(log, "new state: SUCCESSFUL\n") {
		t.Errorf("log = %q", log)
	}
	// The log prints the context as Java's toString: the same parser reads it.
	i := strings.Index(log, "context=Context(")
	j := strings.Index(log[i:], "}), executor=")
	c, ok := ParseJavaContext(log[i+len("context=") : i+j+2])
	if !ok || c.StringMap["host_id"] != "3000002" || c.StringMap["task_operation"] != "execute" ||
		len(c.StringMap) != 9 || c.ListMap == nil || len(c.ListMap) != 0 {
		t.Errorf("log context = %+v %v", c, ok)
	}
}
