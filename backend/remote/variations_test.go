package remote

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// Every known variation of OCP-API.md, served as a real OCP build would.

func TestDocumentedRestartResponse(t *testing.T) {
	sample, err := os.ReadFile("../ocp/testdata/restart_response.json")
	if err != nil {
		t.Fatal(err)
	}
	var gotQuery, gotBody string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/api/v2/ob/clusters/1/servers/2/restart" {
			http.NotFound(w, r)
			return
		}
		gotQuery = r.URL.RawQuery
		b := make([]byte, 100)
		n, _ := r.Body.Read(b)
		gotBody = string(b[:n])
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(sample)
	})
	c := newClient(t, srv.URL)
	for _, opts := range []backend.RestartOptions{{FreezeServer: true}, {Force: true}} {
		if _, err := c.RestartServer(ctx, 1, 2, opts); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("force=%v&freezeServer=%v", opts.Force, opts.FreezeServer)
		if wantBody := fmt.Sprintf(`{"force":%v,"freezeServer":%v}`, opts.Force, opts.FreezeServer); gotQuery != want || gotBody != wantBody {
			t.Errorf("restart %+v sent query %q body %q, want %q both ways", opts, gotQuery, gotBody, want)
		}
	}
	task, err := c.RestartServer(ctx, 1, 2, backend.RestartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if gotQuery != "force=false&freezeServer=false" || gotBody != `{"force":false,"freezeServer":false}` {
		t.Errorf("restart sent query %q body %q, want force and freezeServer false both ways", gotQuery, gotBody)
	}
	if task.ID != 89027028 || len(task.Subtasks) != 11 || task.Creator.String() != "admin" ||
		task.Context.Get("server_id") != "13000002" || task.Subtask(89030475).Name != "Prepare restart observer" {
		t.Errorf("decoded task %+v", task)
	}
	// The sample's timestamp sets the server clock estimate.
	ts := time.Date(2021, 9, 5, 22, 46, 20, 277e6, time.FixedZone("", 8*3600))
	if got := c.Now(); !got.Equal(ts) {
		t.Errorf("Now() = %v, want the envelope timestamp %v (the local clock has not moved)", got, ts)
	}
	c.clock.Advance(3 * time.Second)
	if got := c.Now(); !got.Equal(ts.Add(3 * time.Second)) {
		t.Errorf("Now() 3s later = %v, want %v", got, ts.Add(3*time.Second))
	}
}

func TestCreatorContextAndSubtaskVariations(t *testing.T) {
	bodies := map[string]string{
		// newer build: creator object, context object, subtasks
		"/api/v2/tasks/instances/1": `{"id":1,"name":"Restart OB server","status":"RUNNING","creator":{"id":7,"name":"ops"},
			"context":{"listMap":{"server_ids":["13000002"]},"stringMap":{"server_id":"13000002"},"parallel":false,"parallelIdx":-1},
			"subtasks":[{"id":11,"name":"Prepare restart observer","status":"SUCCESSFUL","upstreams":[],"downstreams":[12]},
			            {"id":12,"name":"Stop server","status":"RUNNING","upstreams":[11],"downstreams":[]}]}`,
		// older build: creator string, context string, tasks
		"/api/v2/tasks/instances/2": `{"id":2,"name":"Restart OB server","status":"FAILED","creator":"admin",
			"context":"{\"stringMap\":{\"server_id\":\"13000003\"}}",
			"tasks":[{"id":21,"name":"Prepare restart observer","status":"FAILED","upstreams":[],"downstreams":[]}]}`,
		// opaque context string that is not JSON
		"/api/v2/tasks/instances/3": `{"id":3,"name":"x","status":"SUCCESSFUL","context":"legacy-context-blob","subtasks":[]}`,
	}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		b, ok := bodies[r.URL.Path]
		if !ok {
			apiError(w, 404, "10004", "task not found", "t-404")
			return
		}
		envelope(w, b)
	})
	c := newClient(t, srv.URL)

	t1, err := c.GetTask(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !t1.Creator.IsObject || t1.Creator.Name != "ops" || t1.Creator.ID != 7 || t1.Context.Get("server_id") != "13000002" ||
		len(t1.Subtasks) != 2 || t1.Subtasks[1].Status != ocp.SubtaskRunning {
		t.Errorf("newer build decoded as %+v", t1)
	}
	t2, err := c.GetTask(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if t2.Creator.IsObject || t2.Creator.Name != "admin" || t2.Context.Get("server_id") != "13000003" ||
		len(t2.Subtasks) != 1 || t2.Subtasks[0].Name != "Prepare restart observer" {
		t.Errorf("older build decoded as %+v", t2)
	}
	t3, err := c.GetTask(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if t3.Context.Raw != "legacy-context-blob" || t3.Subtasks == nil {
		t.Errorf("opaque context decoded as %+v", t3.Context)
	}
}

func TestServersWithoutPageBothRootServerSpellingsAndUnknowns(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != "" {
			t.Errorf("unpaged servers list sent query %q", r.URL.RawQuery)
		}
		switch r.URL.Path {
		case "/api/v2/ob/clusters/5/servers":
			envelope(w, `{"contents":[
				{"id":1,"ip":"192.0.2.1","port":2882,"sqlPort":2881,"withRootserver":true,"status":"RUNNING","zoneName":"zone1","clusterId":5},
				{"id":2,"ip":"192.0.2.2","port":2882,"sqlPort":2881,"withRootServer":true,"status":"HIBERNATING","zoneName":"zone2","clusterId":5,"gpuCount":4}]}`)
		case "/api/v2/ob/clusters/5/zones/zone%201/servers", "/api/v2/ob/clusters/5/zones/zone 1/servers":
			if r.URL.EscapedPath() != "/api/v2/ob/clusters/5/zones/zone%201/servers" {
				t.Errorf("zone name not escaped: %s", r.URL.EscapedPath())
			}
			envelope(w, `{"contents":[{"id":3,"ip":"192.0.2.3","port":2882,"status":"RUNNING","zoneName":"zone 1","startTime":"1970-01-01T08:00:00+08:00"}]}`)
		default:
			http.NotFound(w, r)
		}
	})
	c := newClient(t, srv.URL)
	servers, err := c.ListServers(ctx, 5, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(servers) != 2 || !servers[0].WithRootserver || !servers[1].WithRootserver {
		t.Fatalf("servers %+v: both spellings of withRootServer must decode", servers)
	}
	if servers[1].Status != "HIBERNATING" || servers[1].Status.Known() {
		t.Errorf("unknown status decoded as %q", servers[1].Status)
	}
	if string(servers[1].Extra["gpuCount"]) != "4" {
		t.Errorf("unknown field not kept: %v", servers[1].Extra)
	}
	zs, err := c.ListServers(ctx, 5, "zone 1")
	if err != nil {
		t.Fatal(err)
	}
	if len(zs) != 1 || !zs[0].StartTime.IsZero() {
		t.Errorf("zone servers %+v: 1970 start time must mean never", zs)
	}
}

func TestTimestampFormats(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		envelope(w, `{"id":9,"name":"t","status":"SUCCESSFUL","createTime":"2024-04-15T09:25:02Z",
			"startTime":"2024-04-15T17:25:02.1+08:00","finishTime":"2024-04-15T17:25:03.123456+08:00",
			"subtasks":[{"id":1,"name":"a","status":"SUCCESSFUL","startTime":"2024-04-15T09:25:02.12Z","finishTime":"1970-01-01T00:00:00Z"}]}`)
	})
	c := newClient(t, srv.URL)
	task, err := c.GetTask(ctx, 9)
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2024, 4, 15, 9, 25, 2, 0, time.UTC)
	checks := []struct {
		name string
		got  ocp.Time
		want time.Time
	}{
		{"createTime Z", task.CreateTime, base},
		{"startTime 1 digit +08:00", task.StartTime, base.Add(100 * time.Millisecond)},
		{"finishTime 6 digits", task.FinishTime, base.Add(time.Second + 123456*time.Microsecond)},
		{"subtask 2 digits Z", task.Subtasks[0].StartTime, base.Add(120 * time.Millisecond)},
	}
	for _, ch := range checks {
		if !ch.got.Equal(ch.want) {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
	if !task.Subtasks[0].FinishTime.IsZero() {
		t.Errorf("1970 finish time = %v, want never", task.Subtasks[0].FinishTime)
	}
}

func TestErrorCodesNumericAndString(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/1") {
			apiError(w, 404, "10004", "Task instance not found: 1", "trace-n")
		} else {
			apiError(w, 404, `"OB_TASK_NOT_FOUND"`, "Task instance not found: 2", "trace-s")
		}
	})
	c := newClient(t, srv.URL)
	_, err := c.GetTask(ctx, 1)
	be := wantKind(t, err, backend.NotFound)
	if be.Code != "10004" || be.TraceID != "trace-n" || be.Message != "Task instance not found: 1" {
		t.Errorf("numeric code: %+v", be)
	}
	_, err = c.GetTask(ctx, 2)
	be = wantKind(t, err, backend.NotFound)
	if be.Code != "OB_TASK_NOT_FOUND" || be.TraceID != "trace-s" {
		t.Errorf("string code: %+v", be)
	}
}

func TestClustersFollowPagesToTheEnd(t *testing.T) {
	var pages []string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		pages = append(pages, q.Get("page")+"/"+q.Get("size"))
		switch q.Get("page") {
		case "1":
			envelope(w, `{"contents":[{"id":1,"name":"a","status":"RUNNING"},{"id":2,"name":"b","status":"RUNNING"}],"page":{"number":1,"size":2,"totalElements":5,"totalPages":3}}`)
		case "2":
			envelope(w, `{"contents":[{"id":3,"name":"c","status":"RUNNING"},{"id":4,"name":"d","status":"RUNNING"}],"page":{"number":2,"size":2,"totalElements":5,"totalPages":3}}`)
		case "3":
			envelope(w, `{"contents":[{"id":5,"name":"e","status":"TAKINGOVER","zonesCount":3}],"page":{"number":3,"size":2,"totalElements":5,"totalPages":3}}`)
		default:
			apiError(w, 400, "1", "bad page", "")
		}
	})
	c := newClient(t, srv.URL, func(c *Config) { c.PageSize = 2 })
	cl, err := c.ListClusters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, x := range cl {
		ids = append(ids, x.ID)
	}
	if !slices.Equal(ids, []int64{1, 2, 3, 4, 5}) || !slices.Equal(pages, []string{"1/2", "2/2", "3/2"}) {
		t.Errorf("ids %v after requests %v", ids, pages)
	}
	if string(cl[4].Extra["zonesCount"]) != "3" || cl[4].Status != ocp.ClusterTakingOver {
		t.Errorf("last cluster %+v", cl[4])
	}
}

func TestDefaultPageSizeIs2000AndEmptyListIsNotNil(t *testing.T) {
	var size string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		size = r.URL.Query().Get("size")
		envelope(w, `{"contents":null,"page":{"number":1,"size":2000,"totalElements":0,"totalPages":0}}`)
	})
	c := newClient(t, srv.URL)
	cl, err := c.ListClusters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if size != "2000" || cl == nil || len(cl) != 0 {
		t.Errorf("size %q, clusters %#v", size, cl)
	}
}

func TestListTasksQueryLimitAndOrder(t *testing.T) {
	var queries []string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		queries = append(queries, r.URL.RawQuery)
		// A server that ignores sort and pages by 2.
		switch r.URL.Query().Get("page") {
		case "1":
			envelope(w, `{"contents":[{"id":3,"name":"Restart OB server","status":"FAILED"},{"id":5,"name":"Restart OB server","status":"RUNNING"}],"page":{"number":1,"size":2,"totalElements":6,"totalPages":3}}`)
		case "2":
			envelope(w, `{"contents":[{"id":4,"name":"Restart OB server","status":"RUNNING","type":"SYS_ONECE"}],"page":{"number":2,"size":2,"totalElements":6,"totalPages":3}}`)
		default:
			t.Errorf("asked for page %s beyond the limit", r.URL.Query().Get("page"))
			envelope(w, `{"contents":[]}`)
		}
	})
	c := newClient(t, srv.URL)
	tasks, err := c.ListTasks(ctx, backend.TaskFilter{ClusterID: 12, Status: []ocp.TaskStatus{ocp.TaskRunning, ocp.TaskFailed}, Name: "Restart OB", Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := "clusterId=12&name=Restart+OB&page=1&size=3&sort=id%2Cdesc&status=RUNNING%2CFAILED"
	if len(queries) != 2 || queries[0] != want {
		t.Errorf("queries %q, first want %q", queries, want)
	}
	var ids []int64
	for _, x := range tasks {
		ids = append(ids, x.ID)
	}
	if !slices.Equal(ids, []int64{5, 4, 3}) || tasks[1].Type != "SYS_ONECE" {
		t.Errorf("tasks %v, want newest first [5 4 3]", ids)
	}
}

func TestZonesAndRestartZoneAndSubtaskCalls(t *testing.T) {
	calls := &counter{}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		calls.add(r)
		p := r.URL.EscapedPath()
		switch {
		case r.Method == "GET" && p == "/api/v2/ob/clusters/7/zones":
			envelope(w, `{"contents":[{"name":"zone1","clusterId":7,"status":"RUNNING","rootServer":"192.0.2.1:2882","servers":[{"id":1,"ip":"192.0.2.1","port":2882,"status":"RUNNING"}]}]}`)
		case r.Method == "POST" && p == "/api/v2/ob/clusters/7/zones/zone%2F1/restart":
			if r.URL.RawQuery != "force=true" {
				t.Errorf("zone restart query %q, want force only (OCP's zone restart takes no freezeServer)", r.URL.RawQuery)
			}
			envelope(w, `{"id":70,"name":"Restart OB zone","status":"RUNNING","subtasks":[]}`)
		case r.Method == "GET" && p == "/api/v2/tasks/instances/70/subtasks/701/log":
			envelope(w, `{"log":"line 1\nline 2\n"}`)
		case r.Method == "POST" && p == "/api/v2/tasks/instances/70/retry",
			r.Method == "POST" && p == "/api/v2/tasks/instances/70/rollback":
			envelope(w, `{"id":70,"name":"Restart OB zone","status":"RUNNING","operation":"RETRY"}`)
		case r.Method == "POST" && p == "/api/v2/tasks/instances/70/subtasks/701/retry":
			envelope(w, `{"id":701,"name":"Stop zone","status":"RUNNING","runTime":2}`)
		case r.Method == "POST" && (p == "/api/v2/tasks/instances/70/subtasks/701/skip" || p == "/api/v2/tasks/instances/70/subtasks/701/cancel"):
			envelope(w, `null`)
		default:
			t.Errorf("unexpected %s %s", r.Method, p)
			http.NotFound(w, r)
		}
	})
	c := newClient(t, srv.URL)
	zones, err := c.ListZones(ctx, 7)
	if err != nil || len(zones) != 1 || zones[0].RootServer.Address != "192.0.2.1:2882" || len(zones[0].Servers) != 1 {
		t.Fatalf("zones %+v, %v", zones, err)
	}
	task, err := c.RestartZone(ctx, 7, "zone/1", backend.RestartOptions{Force: true, FreezeServer: true})
	if err != nil || task.ID != 70 {
		t.Fatalf("zone restart %+v, %v", task, err)
	}
	log, err := c.SubtaskLog(ctx, 70, 701)
	if err != nil || log != "line 1\nline 2\n" {
		t.Errorf("log %q, %v", log, err)
	}
	if tk, err := c.RetryTask(ctx, 70); err != nil || tk.Operation != ocp.OpRetry {
		t.Errorf("retry task %+v, %v", tk, err)
	}
	if _, err := c.RollbackTask(ctx, 70); err != nil {
		t.Error(err)
	}
	if st, err := c.RetrySubtask(ctx, 70, 701); err != nil || st.RunTime != 2 {
		t.Errorf("retry subtask %+v, %v", st, err)
	}
	if err := c.SkipSubtask(ctx, 70, 701); err != nil {
		t.Error(err)
	}
	if err := c.CancelSubtask(ctx, 70, 701); err != nil {
		t.Error(err)
	}
	for _, k := range []string{"POST /api/v2/tasks/instances/70/subtasks/701/skip", "POST /api/v2/tasks/instances/70/subtasks/701/cancel"} {
		if calls.get(k) != 1 {
			t.Errorf("%s sent %d times", k, calls.get(k))
		}
	}
}

func TestUnknownTaskAndSubtaskEnumsKept(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		envelope(w, `{"id":1,"name":"t","status":"PAUSED","type":"CRON","operation":"REDO","newField":{"a":1},
			"subtasks":[{"id":2,"name":"s","status":"SUSPENDED","operation":"MAGIC","nodeType":"SHELL_TASK","prohibitSkip":true,"taskId":1}]}`)
	})
	c := newClient(t, srv.URL)
	task, err := c.GetTask(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	s := task.Subtasks[0]
	if task.Status != "PAUSED" || task.Type != "CRON" || task.Operation != "REDO" || string(task.Extra["newField"]) != `{"a":1}` ||
		s.Status != "SUSPENDED" || s.Operation != "MAGIC" || s.NodeType != "SHELL_TASK" || !s.ProhibitSkip || s.TaskID != 1 {
		b, _ := json.Marshal(task)
		t.Errorf("unknown values not kept: %s", b)
	}
}
