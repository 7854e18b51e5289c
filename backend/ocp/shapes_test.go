package ocp

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// OCP writes longs beyond ±(2^53−1) as strings (OCP Express's Jackson
// settings), and the zone table documents the server id as a String: every
// id decodes from either form, exactly.
func TestIDsAsStrings(t *testing.T) {
	const big = "9007199254740993" // 2^53+1: a float64 would read ...992
	in := `{"id":"` + big + `","name":"Restart OB server","status":"RUNNING","clusterId":"12000001",
		"hostId":"-3","tenantId":"007","obTenantId":1584,"taskDefinitionId":"-1",
		"creator":{"id":"100","name":"admin"},
		"cluster":{"id":"` + big + `","name":"c1","obClusterId":"20"},
		"tenantInfo":{"obTenantId":"1002","name":"t1"},
		"subtasks":[{"id":"` + big + `","name":"a","status":"PENDING","timeout":"300","runTime":"1","seriesId":"4","parallelIdx":"-1",
		  "upstreams":["9007199254740992",1],"downstreams":["` + big + `"],"taskId":"` + big + `"}]}`
	var task Task
	if err := json.Unmarshal([]byte(in), &task); err != nil {
		t.Fatalf("string ids must decode: %v", err)
	}
	const want = int64(9007199254740993)
	s := task.Subtasks[0]
	if task.ID != want || task.ClusterID != 12000001 || task.HostID != -3 || task.TenantID != 7 || task.ObTenantID != 1584 ||
		task.TaskDefinitionID != -1 || task.Creator.ID != 100 || task.Cluster.ID != want || task.Cluster.ObClusterID != 20 ||
		task.TenantInfo.ObTenantID != 1002 || task.TenantName() != "t1" {
		t.Errorf("task = %+v", task)
	}
	if s.ID != want || s.Timeout != 300 || s.RunTime != 1 || s.SeriesID != 4 || s.ParallelIdx != -1 || s.TaskID != want ||
		!slices.Equal(s.Upstreams, []int64{9007199254740992, 1}) || !slices.Equal(s.Downstreams, []int64{want}) {
		t.Errorf("subtask = %+v", s)
	}
	if len(task.Extra) != 0 || len(s.Extra) != 0 {
		t.Errorf("ids kept as unknown members: %v %v", task.Extra, s.Extra)
	}
	// Written back as numbers, exactly (Go writes int64 digits as they are).
	out, _ := json.Marshal(task)
	for _, w := range []string{`"id":` + big + `,`, `"downstreams":[` + big + `]`, `"clusterId":12000001`} {
		if !strings.Contains(string(out), w) {
			t.Errorf("encoding lacks %s: %s", w, out)
		}
	}

	var srv Server
	if err := json.Unmarshal([]byte(`{"id":"12000001","ip":"192.0.2.1","port":"2882","sqlPort":2881,"clusterId":"12000001","hostId":"4000003"}`), &srv); err != nil {
		t.Fatal(err)
	}
	if srv.ID != 12000001 || srv.Port != 2882 || srv.HostID != 4000003 || srv.Address() != "192.0.2.1:2882" {
		t.Errorf("server = %+v", srv)
	}
	var zone Zone
	if err := json.Unmarshal([]byte(`{"name":"z1","clusterId":"5","idcId":"3","servers":[{"id":"7"}]}`), &zone); err != nil {
		t.Fatal(err)
	}
	if zone.ClusterID != 5 || zone.IDCID != 3 || zone.Servers[0].ID != 7 {
		t.Errorf("zone = %+v", zone)
	}
	var cl Cluster
	if err := json.Unmarshal([]byte(`{"id":"1000002","obClusterId":"4","name":"c"}`), &cl); err != nil || cl.ID != 1000002 || cl.ObClusterID != 4 {
		t.Errorf("cluster = %+v (%v)", cl, err)
	}

	// Strings that are not integers still fail as before: never a guess.
	for _, bad := range []string{`{"id":"12a"}`, `{"id":"1.5"}`, `{"id":"+5"}`, `{"id":""}`, `{"id":"99999999999999999999"}`, `{"subtasks":[{"upstreams":["x"]}]}`} {
		var task Task
		if err := json.Unmarshal([]byte(bad), &task); err == nil {
			t.Errorf("%s: want an error", bad)
		}
	}
}

func TestParseJavaContextForms(t *testing.T) {
	cases := []struct {
		in      string
		idx     int
		strings map[string]string
		lists   map[string][]string
	}{
		{ // OCP's Lombok form, as server stop sends it
			"Context(parallelIdx=-1, stringMap={cluster_id=20, zone_name=zone2, server_id=3}, listMap={server_ids=[3]})",
			-1, map[string]string{"cluster_id": "20", "zone_name": "zone2", "server_id": "3"}, map[string][]string{"server_ids": {"3"}},
		},
		{ // OCP Express's Guava form, with a secret sanitised and two servers
			"Context{parallelIdx=2, stringMap={root_password=******, tenant_name=t1}, listMap={server_ids=[13000001, 13000002], empty=[]}}",
			2, map[string]string{"root_password": "******", "tenant_name": "t1"},
			map[string][]string{"server_ids": {"13000001", "13000002"}, "empty": {}},
		},
		{ // empty maps
			"Context(parallelIdx=-1, stringMap={}, listMap={})", -1, map[string]string{}, map[string][]string{},
		},
		{ // "=" inside a value, ", " not followed by a key, balanced brackets
			"Context(parallelIdx=0, stringMap={url=http://h/p?a=b&c=d, note=hello, world, f=f(x, y=1), m={a=1, b=2}}, listMap={})",
			0, map[string]string{"url": "http://h/p?a=b&c=d", "note": "hello, world", "f": "f(x, y=1)", "m": "{a=1, b=2}"},
			map[string][]string{},
		},
		{ // the documented ambiguity: ", key=" inside a value splits it
			"Context(parallelIdx=-1, stringMap={note=a, b=c}, listMap={})", -1, map[string]string{"note": "a", "b": "c"}, map[string][]string{},
		},
		{ // a value that is not a list is one element; a bad parallelIdx reads 0
			"Context(parallelIdx=x, stringMap={a=1}, listMap={ids=3})", 0, map[string]string{"a": "1"}, map[string][]string{"ids": {"3"}},
		},
	}
	for _, c := range cases {
		got, ok := ParseJavaContext(c.in)
		if !ok || got.ParallelIdx != c.idx || !reflect.DeepEqual(got.StringMap, c.strings) || !reflect.DeepEqual(got.ListMap, c.lists) {
			t.Errorf("%s:\n got %+v %v\nwant idx %d %v %v", c.in, got, ok, c.idx, c.strings, c.lists)
		}
	}
	// An unbalanced bracket in a value swallows the rest of its map, and
	// nothing worse happens.
	got, ok := ParseJavaContext("Context(parallelIdx=-1, stringMap={msg=oops (, zone_name=z}, listMap={server_ids=[1]})")
	if !ok || got.StringMap["msg"] != "oops (, zone_name=z" || got.StringMap["zone_name"] != "" || got.ListMap["server_ids"][0] != "1" {
		t.Errorf("unbalanced: %+v %v", got, ok)
	}
	for _, not := range []string{"", "cluster=protoss;zone=zone2", "Context(", "Context(parallelIdx=-1", "{}", "Context[a=1]"} {
		if _, ok := ParseJavaContext(not); ok {
			t.Errorf("%q parsed as a Java context", not)
		}
	}
	// Through Task: never fatal, Raw kept.
	var task Task
	if err := json.Unmarshal([]byte(`{"id":1,"context":"Context(parallelIdx=-1, stringMap={zone_name=z, }, listMap={server_ids=[)"}`), &task); err != nil {
		t.Fatalf("a garbled context must not fail the task: %v", err)
	}
	if task.Context.Raw == "" || task.ZoneName() != "z, " {
		t.Errorf("garbled context = %+v", task.Context)
	}
}

// OCP's error object keeps everything an operator needs, and renders it on
// one line.
func TestAPIErrorDetails(t *testing.T) {
	in := `{"successful":false,"status":400,"traceId":"t1","error":{"code":20003,
		"message":"This operation is not supported for the 7 task in the RUNNING state.",
		"debugMessage":"task 7 state RUNNING\nat x",
		"target":{"tenantName":"t1","clusterName":"c1"},
		"subErrors":[{"object":"restartParam","field":"force","rejectedValue":"maybe","message":"must be a boolean"},
		             {"SQLState":"42000","code":1064,"message":"You have an error in your SQL syntax"},
		             {"weird":true}],
		"stackTrace":["a","b","c"],"futureMember":1}}`
	var env Envelope[json.RawMessage]
	if err := json.Unmarshal([]byte(in), &env); err != nil {
		t.Fatal(err)
	}
	e := env.Error
	if e.Code != CodeTaskStateInvalid || !e.Code.Set() || len(e.SubErrors) != 3 || len(e.StackTrace) != 3 ||
		string(e.Extra["futureMember"]) != "1" || string(e.SubErrors[2].Extra["weird"]) != "true" {
		t.Fatalf("error = %+v", e)
	}
	want := `debug: task 7 state RUNNING at x; field restartParam.force rejected "maybe": must be a boolean; ` +
		`SQLState 42000 code 1064: You have an error in your SQL syntax; target clusterName=c1 tenantName=t1; stack trace: 3 frames`
	if got := e.Details(); got != want {
		t.Errorf("Details:\n got %q\nwant %q", got, want)
	}
	if got := e.Summary(); got != e.Message+" ("+want+")" {
		t.Errorf("Summary = %q", got)
	}
	out, _ := json.Marshal(e)
	for _, w := range []string{`"debugMessage":`, `"subErrors":[`, `"target":{`, `"stackTrace":[`, `"futureMember":1`, `"code":20003`, `"code":1064`} {
		if !strings.Contains(string(out), w) {
			t.Errorf("re-encoding lost %s: %s", w, out)
		}
	}

	// Hostile text is made safe and bounded; a debug message that repeats
	// the message is not shown twice; nothing more gives "".
	hostile := APIError{Message: "m\x1b[2J", DebugMessage: strings.Repeat("\x1b]0;x\a", 5) + strings.Repeat("y", 2000)}
	if d := hostile.Details(); strings.ContainsAny(d, "\x1b\a\n") || len([]rune(d)) > MaxDetail {
		t.Errorf("unsafe or long details: %q", d)
	}
	if s := hostile.Summary(); strings.Contains(s, "\x1b") {
		t.Errorf("unsafe summary %q", s)
	}
	same := APIError{Message: "boom", DebugMessage: "boom"}
	if same.Details() != "" || same.Summary() != "boom" {
		t.Errorf("repeated debug message: %q / %q", same.Details(), same.Summary())
	}
	var nilErr *APIError
	if nilErr.Details() != "" || nilErr.Summary() != "" {
		t.Error("a nil error renders as nothing")
	}
	for c, set := range map[Code]bool{"": false, "0": false, " 0 ": false, "20000": true, "TASK_RUNNING": true} {
		if c.Set() != set {
			t.Errorf("Code(%q).Set() = %v", c, !set)
		}
	}
}

// OCP Express sends the creator as {name} only: no id is invented.
func TestCreatorWithoutID(t *testing.T) {
	var task Task
	if err := json.Unmarshal([]byte(`{"id":1,"creator":{"name":"admin"},"tenantInfo":{"obTenantId":1002,"name":"t1"}}`), &task); err != nil {
		t.Fatal(err)
	}
	if task.Creator.Name != "admin" || !task.Creator.IsObject || task.TenantRef().ObTenantID != 1002 {
		t.Errorf("task = %+v", task)
	}
	out, _ := json.Marshal(task)
	if !strings.Contains(string(out), `"creator":{"name":"admin"}`) || !strings.Contains(string(out), `"tenantInfo":{"name":"t1","obTenantId":1002}`) {
		t.Errorf("re-encoded %s", out)
	}
	for _, invented := range []string{`"prohibitRollback"`, `"taskDefinitionId"`, `"subtasks"`, `"status"`, `"name":""`} {
		if strings.Contains(string(out), invented) {
			t.Errorf("%s invented: %s", invented, out)
		}
	}
}

// An object built in Go has no shape: it encodes as its tags say, as
// before.
func TestGoBuiltObjectsEncodeAsBefore(t *testing.T) {
	out, _ := json.Marshal(Subtask{ID: 1, Name: "a"})
	for _, w := range []string{`"timeout":0`, `"runTime":0`, `"upstreams":[]`, `"downstreams":[]`, `"seriesId":0`} {
		if !strings.Contains(string(out), w) {
			t.Errorf("Go-built subtask lacks %s: %s", w, out)
		}
	}
	s := Subtask{}
	if !s.TimeoutKnown() || !s.RunTimeKnown() || !s.EdgesKnown() || !s.AttemptsKnown() {
		t.Error("a Go-built subtask has everything known")
	}
	out, _ = json.Marshal(Task{ID: 1})
	if !strings.Contains(string(out), `"subtasks":[]`) || !strings.Contains(string(out), `"taskDefinitionId":0`) {
		t.Errorf("Go-built task: %s", out)
	}
	// Setting a member that did not arrive makes it known and written.
	var listed Subtask
	_ = json.Unmarshal([]byte(`{"id":1,"name":"a","status":"PENDING"}`), &listed)
	listed.Timeout, listed.Upstreams, listed.Downstreams = 300, []int64{2}, []int64{3}
	if !listed.TimeoutKnown() || !listed.EdgesKnown() {
		t.Error("set members are known")
	}
	if out, _ := json.Marshal(listed); !strings.Contains(string(out), `"timeout":300`) || !strings.Contains(string(out), `"upstreams":[2]`) {
		t.Errorf("set members not written: %s", out)
	}
}
