package ocp

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

func loadRestart(t *testing.T) Envelope[Task] {
	t.Helper()
	b, err := os.ReadFile("testdata/restart_response.json")
	if err != nil {
		t.Fatal(err)
	}
	var env Envelope[Task]
	if err := json.Unmarshal(b, &env); err != nil {
		t.Fatalf("decode documented restart response: %v", err)
	}
	return env
}

func TestDecodeDocumentedRestartResponse(t *testing.T) {
	env := loadRestart(t)

	if !env.Successful || env.Status != 200 || env.Duration != 155 ||
		env.TraceID != "1f3af8df30ae4733" || env.Server != "xxx.xxx.xxx.xxx" {
		t.Errorf("envelope = %+v", env)
	}
	wantTS := time.Date(2021, 9, 5, 22, 46, 20, 277e6, time.FixedZone("", 8*3600))
	if !env.Timestamp.Equal(wantTS) {
		t.Errorf("timestamp = %v, want %v", env.Timestamp, wantTS)
	}

	task := env.Data
	if task.ID != 89027028 || task.Name != "Restart OB server" || task.Status != TaskRunning ||
		task.Type != TaskManual || task.Operation != OpExecute || task.ClusterID != 12000001 ||
		task.TaskDefinitionID != -1 || task.Executor != "xxx.xxx.xxx.xxx" {
		t.Errorf("task fields = %+v", task)
	}
	if task.Creator.Name != "admin" || task.Creator.IsObject {
		t.Errorf("creator = %+v", task.Creator)
	}
	wantStart := time.Date(2021, 9, 5, 22, 46, 20, 220e6, time.FixedZone("", 8*3600))
	if !task.StartTime.Equal(wantStart) {
		t.Errorf("startTime = %v", task.StartTime)
	}
	if !task.FinishTime.IsZero() {
		t.Errorf("finishTime should be absent, got %v", task.FinishTime)
	}

	ctx := task.Context
	if ctx.Parallel || ctx.ParallelIdx != -1 {
		t.Errorf("context parallel = %v/%d", ctx.Parallel, ctx.ParallelIdx)
	}
	wantStrings := map[string]string{
		"cluster_name": "protoss", "cluster_id": "12000001", "ocpagent_service_name": "agent",
		"prohibit_rollback": "false", "former_cluster_status": "RUNNING", "target_zone_status": "RUNNING",
		"former_zone_status": "RUNNING", "zone_name": "zone2", "target_cluster_status": "RUNNING",
		"server_id": "13000002",
	}
	if !reflect.DeepEqual(ctx.StringMap, wantStrings) {
		t.Errorf("stringMap = %v", ctx.StringMap)
	}
	if !reflect.DeepEqual(ctx.ListMap, map[string][]string{"server_ids": {"13000002"}}) {
		t.Errorf("listMap = %v", ctx.ListMap)
	}
	if task.Force() {
		t.Error("the documented task is not a force restart")
	}

	if len(task.Subtasks) != 11 {
		t.Fatalf("got %d subtasks, want 11", len(task.Subtasks))
	}
	type step struct {
		name      string
		timeout   int64
		status    SubtaskStatus
		up, down  []int64
		className string
	}
	want := map[int64]step{
		89030480: {"Sync cluster info", 30, SubtaskPending, []int64{89030478}, []int64{89030474}, "com.alipay.ocp.service.task.business.cluster.SyncClusterInfoTask"},
		89030472: {"Start ocp agent service", 1800, SubtaskPending, []int64{89030481}, []int64{89030483}, "com.alipay.ocp.service.task.business.obagent.StartOcpAgentServiceTask"},
		89030475: {"Prepare restart observer", 300, SubtaskReady, []int64{}, []int64{89030482}, "com.alipay.ocp.service.task.business.server.PrepareRestartObServerTask"},
		89030474: {"Update OB cluster status", 30, SubtaskPending, []int64{89030480}, []int64{}, "com.alipay.ocp.service.task.business.cluster.UpdateObClusterStatusTask"},
		89030473: {"Update observer status", 300, SubtaskPending, []int64{89030483}, []int64{89030478}, "com.alipay.ocp.service.task.business.server.UpdateObServerStatusTask"},
		89030478: {"Update zone status", 1800, SubtaskPending, []int64{89030473}, []int64{89030480}, "com.alipay.ocp.service.task.business.zone.UpdateObZoneStatusTask"},
		89030479: {"Start observer process", 1200, SubtaskPending, []int64{89030476}, []int64{89030481}, "com.alipay.ocp.service.task.business.server.StartObServerProcessTask"},
		89030482: {"Stop server", 300, SubtaskPending, []int64{89030475}, []int64{89030476}, "com.alipay.ocp.service.task.business.server.StopObServerTask"},
		89030483: {"Start server", 300, SubtaskPending, []int64{89030472}, []int64{89030473}, "com.alipay.ocp.service.task.business.server.StartObServerTask"},
		89030481: {"Wait observer active", 1800, SubtaskPending, []int64{89030479}, []int64{89030472}, "com.alipay.ocp.service.task.business.server.WaitObServerActiveTask"},
		89030476: {"Stop observer process", 1200, SubtaskPending, []int64{89030482}, []int64{89030479}, "com.alipay.ocp.service.task.business.server.StopObServerProcessTask"},
	}
	for _, st := range task.Subtasks {
		w, ok := want[st.ID]
		if !ok {
			t.Errorf("unexpected subtask id %d", st.ID)
			continue
		}
		if st.Name != w.name || st.Description != w.name || st.Timeout != w.timeout || st.Status != w.status ||
			st.ClassName != w.className || st.NodeType != NodeJavaTask || st.RunTime != 1 || st.ParallelIdx != -1 {
			t.Errorf("subtask %d = %+v, want %+v", st.ID, st, w)
		}
		if !reflect.DeepEqual(st.Upstreams, w.up) || !reflect.DeepEqual(st.Downstreams, w.down) {
			t.Errorf("subtask %d (%s) edges up=%v down=%v, want up=%v down=%v", st.ID, st.Name, st.Upstreams, st.Downstreams, w.up, w.down)
		}
		if len(st.Extra) != 0 {
			t.Errorf("subtask %d has unexpected extras %v", st.ID, st.Extra)
		}
	}
	// The JSON lists "Sync cluster info" first although it is the 10th step to run.
	if task.Subtasks[0].Name != "Sync cluster info" {
		t.Errorf("JSON order not preserved: first is %q", task.Subtasks[0].Name)
	}
	if got := task.Subtask(89030475); got == nil || got.Name != "Prepare restart observer" {
		t.Errorf("Subtask lookup = %+v", got)
	}
	if task.Subtask(1) != nil {
		t.Error("Subtask lookup of a missing id must be nil")
	}
}

func TestRoundTripDocumentedResponse(t *testing.T) {
	env := loadRestart(t)
	b, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	var again Envelope[Task]
	if err := json.Unmarshal(b, &again); err != nil {
		t.Fatalf("re-decode: %v\n%s", err, b)
	}
	if !reflect.DeepEqual(normalise(t, env), normalise(t, again)) {
		t.Errorf("round trip changed the task:\nfirst:  %+v\nsecond: %+v", env.Data, again.Data)
	}
	// The documented shape: creator as a string, subtasks (not tasks), context object.
	var generic map[string]any
	if err := json.Unmarshal(b, &generic); err != nil {
		t.Fatal(err)
	}
	data := generic["data"].(map[string]any)
	if _, ok := data["creator"].(string); !ok {
		t.Errorf("creator encoded as %T", data["creator"])
	}
	if _, ok := data["subtasks"].([]any); !ok {
		t.Error("subtasks missing from encoding")
	}
	if _, ok := data["context"].(map[string]any); !ok {
		t.Errorf("context encoded as %T", data["context"])
	}
	if data["startTime"] != "2021-09-05T22:46:20.22+08:00" {
		t.Errorf("startTime encoded as %v", data["startTime"])
	}
	first := data["subtasks"].([]any)[2].(map[string]any)
	if ups, ok := first["upstreams"].([]any); !ok || len(ups) != 0 {
		t.Errorf("an empty upstreams list must encode as [], got %#v", first["upstreams"])
	}
}

// normalise compares via time instants, since time.Location pointers differ
// between two decodes of the same text.
func normalise(t *testing.T, env Envelope[Task]) string {
	t.Helper()
	b, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCreatorStringOrObject(t *testing.T) {
	var a, b Task
	if err := json.Unmarshal([]byte(`{"id":1,"creator":"admin"}`), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(`{"id":1,"creator":{"id":200,"name":"ops","email":"x@example.com"}}`), &b); err != nil {
		t.Fatal(err)
	}
	if a.Creator.String() != "admin" || a.Creator.IsObject {
		t.Errorf("string creator = %+v", a.Creator)
	}
	if b.Creator.String() != "ops" || b.Creator.ID != 200 || !b.Creator.IsObject {
		t.Errorf("object creator = %+v", b.Creator)
	}
	out, _ := json.Marshal(b)
	if !strings.Contains(string(out), `"creator":{"id":200,"name":"ops","email":"x@example.com"}`) {
		t.Errorf("object creator not kept on encoding: %s", out)
	}
	out, _ = json.Marshal(a)
	if !strings.Contains(string(out), `"creator":"admin"`) {
		t.Errorf("string creator not kept on encoding: %s", out)
	}
}

func TestContextObjectOrString(t *testing.T) {
	var old Task
	if err := json.Unmarshal([]byte(`{"id":1,"context":"cluster=protoss;zone=zone2"}`), &old); err != nil {
		t.Fatal(err)
	}
	if old.Context.Raw != "cluster=protoss;zone=zone2" || old.Context.Get("cluster_name") != "" {
		t.Errorf("opaque context = %+v", old.Context)
	}
	out, _ := json.Marshal(old)
	if !strings.Contains(string(out), `"context":"cluster=protoss;zone=zone2"`) {
		t.Errorf("opaque context not re-encoded as a string: %s", out)
	}

	var jsonInString Task
	if err := json.Unmarshal([]byte(`{"id":1,"context":"{\"stringMap\":{\"zone_name\":\"zone1\"}}"}`), &jsonInString); err != nil {
		t.Fatal(err)
	}
	if jsonInString.Context.Get("zone_name") != "zone1" {
		t.Errorf("JSON text context not parsed: %+v", jsonInString.Context)
	}

	var loose Task
	if err := json.Unmarshal([]byte(`{"id":1,"context":{"stringMap":{"server_id":13000002,"force":true},"listMap":{"server_ids":[13000002,"13000003"]},"parallel":true,"parallelIdx":2,"newKey":1}}`), &loose); err != nil {
		t.Fatal(err)
	}
	c := loose.Context
	if c.Get("server_id") != "13000002" || !c.Parallel || c.ParallelIdx != 2 ||
		!reflect.DeepEqual(c.ListMap["server_ids"], []string{"13000002", "13000003"}) || string(c.Extra["newKey"]) != "1" {
		t.Errorf("loose context = %+v", c)
	}
	if !loose.Force() {
		t.Error("force=true in the context must report a force task")
	}
}

func TestSubtasksUnderTasks(t *testing.T) {
	var old Task
	if err := json.Unmarshal([]byte(`{"id":7,"tasks":[{"id":1,"name":"a","downstreams":[2]},{"id":2,"name":"b","upstreams":[1]}]}`), &old); err != nil {
		t.Fatal(err)
	}
	if len(old.Subtasks) != 2 || old.Subtasks[1].Upstreams[0] != 1 {
		t.Fatalf("subtasks from tasks = %+v", old.Subtasks)
	}
	if len(old.Extra) != 0 {
		t.Errorf("tasks must not be kept as an unknown field: %v", old.Extra)
	}
	out, _ := json.Marshal(old)
	if strings.Contains(string(out), `"tasks"`) || !strings.Contains(string(out), `"subtasks":[`) {
		t.Errorf("encoding must use subtasks: %s", out)
	}
	// When both are present the documented name wins.
	var both Task
	_ = json.Unmarshal([]byte(`{"id":7,"subtasks":[{"id":9}],"tasks":[{"id":1},{"id":2}]}`), &both)
	if len(both.Subtasks) != 1 || both.Subtasks[0].ID != 9 {
		t.Errorf("subtasks must win over tasks: %+v", both.Subtasks)
	}
}

func TestWithRootServerSpellings(t *testing.T) {
	for _, key := range []string{"withRootserver", "withRootServer"} {
		var s Server
		if err := json.Unmarshal([]byte(`{"id":1,"ip":"192.0.2.10","port":2882,"`+key+`":true}`), &s); err != nil {
			t.Fatal(err)
		}
		if !s.WithRootserver {
			t.Errorf("%s not understood", key)
		}
		if len(s.Extra) != 0 {
			t.Errorf("%s kept as unknown: %v", key, s.Extra)
		}
		if s.Address() != "192.0.2.10:2882" {
			t.Errorf("address = %s", s.Address())
		}
	}
}

func TestTimestampForms(t *testing.T) {
	cst := time.FixedZone("", 8*3600)
	cases := []struct {
		in   string
		want time.Time
	}{
		{`"2021-09-05T22:46:20+08:00"`, time.Date(2021, 9, 5, 22, 46, 20, 0, cst)},
		{`"2021-09-05T14:46:20Z"`, time.Date(2021, 9, 5, 14, 46, 20, 0, time.UTC)},
		{`"2021-09-05T22:46:20.2+08:00"`, time.Date(2021, 9, 5, 22, 46, 20, 200e6, cst)},
		{`"2021-09-05T22:46:20.22+08:00"`, time.Date(2021, 9, 5, 22, 46, 20, 220e6, cst)},
		{`"2021-09-05T22:46:20.277+08:00"`, time.Date(2021, 9, 5, 22, 46, 20, 277e6, cst)},
		{`"2021-09-05T22:46:20.1234Z"`, time.Date(2021, 9, 5, 22, 46, 20, 123400e3, time.UTC)},
		{`"2021-09-05T22:46:20.12345+08:00"`, time.Date(2021, 9, 5, 22, 46, 20, 123450e3, cst)},
		{`"2021-09-05T22:46:20.123456+08:00"`, time.Date(2021, 9, 5, 22, 46, 20, 123456e3, cst)},
		{`1630853180277`, time.UnixMilli(1630853180277)},
	}
	for _, c := range cases {
		var got Time
		if err := json.Unmarshal([]byte(c.in), &got); err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		if !got.Equal(c.want) || !got.Valid() {
			t.Errorf("%s decoded to %v, want %v", c.in, got.Time, c.want)
		}
	}
	for _, never := range []string{`"1970-01-01T08:00:00+08:00"`, `"1970-01-01T00:00:00Z"`, `null`, `""`} {
		var got Time
		if err := json.Unmarshal([]byte(never), &got); err != nil || !got.IsZero() {
			t.Errorf("%s must mean never, got %v (%v)", never, got, err)
		}
	}
	var bad Time
	if err := json.Unmarshal([]byte(`"yesterday-ish"`), &bad); err != nil {
		t.Fatalf("an unparseable time must not fail the response: %v", err)
	}
	if bad.Valid() || bad.Raw != "yesterday-ish" {
		t.Errorf("unparseable time = %+v", bad)
	}
	if out, _ := json.Marshal(bad); string(out) != `"yesterday-ish"` {
		t.Errorf("unparseable time re-encoded as %s", out)
	}
}

func TestUnknownEnumsAndFieldsKept(t *testing.T) {
	in := `{"id":5,"name":"Restart OB server","status":"SUSPENDED","type":"API","operation":"PAUSE","futureField":{"a":1},
		"subtasks":[{"id":1,"name":"x","status":"WAITING_APPROVAL","operation":"APPROVE","nodeType":"SHELL_TASK","prohibitSkip":true,"taskId":5,"retryPolicy":"never"}]}`
	var task Task
	if err := json.Unmarshal([]byte(in), &task); err != nil {
		t.Fatalf("unknown values must never fail decoding: %v", err)
	}
	if task.Status != "SUSPENDED" || task.Status.Known() || task.Type.Known() || task.Operation.Known() {
		t.Errorf("unknown task enums = %q %q %q", task.Status, task.Type, task.Operation)
	}
	st := task.Subtasks[0]
	if st.Status != "WAITING_APPROVAL" || st.Status.Known() || st.NodeType.Known() || !st.ProhibitSkip || st.TaskID != 5 {
		t.Errorf("subtask = %+v", st)
	}
	if string(task.Extra["futureField"]) != `{"a":1}` || string(st.Extra["retryPolicy"]) != `"never"` {
		t.Errorf("unknown fields not kept: task %v subtask %v", task.Extra, st.Extra)
	}
	out, _ := json.Marshal(task)
	for _, want := range []string{`"futureField":{"a":1}`, `"retryPolicy":"never"`, `"status":"SUSPENDED"`, `"status":"WAITING_APPROVAL"`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("encoding lost %s: %s", want, out)
		}
	}
	for _, known := range []interface{ Known() bool }{TaskRunning, SubtaskCanceling, ServerUnavailable, ClusterSwitchover, ClusterStandby, TaskSysOnce, OpRollback, NodeJavaTask} {
		if !known.Known() {
			t.Errorf("%v should be known", known)
		}
	}
}

func TestClusterZoneServerDecode(t *testing.T) {
	in := `{"data":{"contents":[{"id":12000001,"name":"protoss","obClusterId":1,"obVersion":"4.2.1.0","type":"PRIMARY","status":"RUNNING",
		"regionCount":1,"serverCount":3,"tenantCount":2,"syncStatus":"OK",
		"rootServers":[{"address":"192.0.2.11:2882","role":"LEADER","sql_port":2881}],
		"zones":[{"name":"zone1","clusterId":12000001,"regionName":"hangzhou","idcName":"hz1","status":"RUNNING","innerStatus":"ACTIVE","serverCount":1,
		  "rootServer":"192.0.2.11:2882","servers":[{"id":13000001,"ip":"192.0.2.11","port":2882,"sqlPort":2881,"status":"RUNNING","zoneName":"zone1","clusterId":12000001}]}]}],
		"page":{"number":1,"size":10,"totalElements":1,"totalPages":1}},"successful":true,"status":200}`
	var env Envelope[List[Cluster]]
	if err := json.Unmarshal([]byte(in), &env); err != nil {
		t.Fatal(err)
	}
	if env.Data.Page == nil || env.Data.Page.TotalPages != 1 || len(env.Data.Contents) != 1 {
		t.Fatalf("page = %+v", env.Data)
	}
	c := env.Data.Contents[0]
	if c.Type != ClusterPrimary || c.RootServers[0].SQLPort != 2881 || c.Zones[0].RootServer.Address != "192.0.2.11:2882" ||
		c.Zones[0].Servers[0].Address() != "192.0.2.11:2882" || c.Zones[0].InnerStatus != "ACTIVE" {
		t.Errorf("cluster = %+v", c)
	}
	out, _ := json.Marshal(c)
	if !strings.Contains(string(out), `"rootServer":"192.0.2.11:2882"`) {
		t.Errorf("string rootServer not kept: %s", out)
	}

	var servers Envelope[List[Server]]
	if err := json.Unmarshal([]byte(`{"data":{"contents":[{"id":1,"ip":"198.51.100.12","port":2882}]},"successful":true}`), &servers); err != nil {
		t.Fatal(err)
	}
	if servers.Data.Page != nil || len(servers.Data.Contents) != 1 {
		t.Errorf("servers list without page = %+v", servers.Data)
	}
}

func TestErrorEnvelopeCodes(t *testing.T) {
	for in, want := range map[string]Code{
		`{"successful":false,"status":404,"error":{"code":60018,"message":"server not found"},"traceId":"abc"}`:         "60018",
		`{"successful":false,"status":409,"error":{"code":"TASK_RUNNING","message":"a task is running"},"traceId":"d"}`: "TASK_RUNNING",
	} {
		var env Envelope[json.RawMessage]
		if err := json.Unmarshal([]byte(in), &env); err != nil {
			t.Fatal(err)
		}
		if env.Successful || env.Error == nil || env.Error.Code != want || env.Error.Message == "" {
			t.Errorf("%s: got %+v", in, env)
		}
		out, _ := json.Marshal(env.Error)
		var back APIError
		if err := json.Unmarshal(out, &back); err != nil || back.Code != want {
			t.Errorf("code round trip %s -> %s -> %q", want, out, back.Code)
		}
	}
	if out, _ := json.Marshal(APIError{Code: "60018"}); !strings.Contains(string(out), `"code":60018`) {
		t.Errorf("numeric code must encode as a number: %s", out)
	}
}

func TestMalformedIsAnErrorNotAPanic(t *testing.T) {
	for _, in := range []string{`[1,2]`, `{"id":"not-a-number"}`, `{"subtasks":{}}`, `"text"`, `{`} {
		var task Task
		if err := json.Unmarshal([]byte(in), &task); err == nil {
			t.Errorf("%s: want an error", in)
		}
	}
}
