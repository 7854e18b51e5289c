package ocpserver_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/ocpserver"
)

var start = time.Date(2024, 4, 15, 9, 25, 2, 0, time.UTC)

type fixture struct {
	t     *testing.T
	srv   *httptest.Server
	ex    *embedded.Executor
	clock *embedded.FakeClock
	wall  time.Time // what the handler's Now says
}

func newFixture(t *testing.T, cfg ocpserver.Config) *fixture {
	t.Helper()
	clock := embedded.NewFakeClock(start)
	ex, err := embedded.New(embedded.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ex.Close)
	f := &fixture{t: t, ex: ex, clock: clock, wall: start}
	cfg.Executor = ex
	cfg.Now = func() time.Time { return f.wall }
	f.srv = httptest.NewServer(ocpserver.New(cfg))
	t.Cleanup(f.srv.Close)
	return f
}

// raw is a decoded response: the envelope with data left raw.
type raw struct {
	HTTP       int
	Header     http.Header
	Data       json.RawMessage `json:"data"`
	Successful bool            `json:"successful"`
	Status     int             `json:"status"`
	Timestamp  string          `json:"timestamp"`
	Duration   *int64          `json:"duration"`
	TraceID    string          `json:"traceId"`
	Server     string          `json:"server"`
	Error      *ocp.APIError   `json:"error"`
	Raw        []byte          `json:"-"`
}

func (f *fixture) do(req *http.Request) raw {
	f.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	var r raw
	if err := json.Unmarshal(b, &r); err != nil {
		f.t.Fatalf("%s %s: body is not an envelope: %v\n%s", req.Method, req.URL, err, b)
	}
	r.HTTP, r.Header, r.Raw = resp.StatusCode, resp.Header, b
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		f.t.Errorf("Content-Type = %q", ct)
	}
	return r
}

func (f *fixture) req(method, path, body string) *http.Request {
	f.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, f.srv.URL+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return req
}

func basicFixture(t *testing.T) *fixture {
	return newFixture(t, ocpserver.Config{Users: map[string]string{"admin": "pw-1"}})
}

func (f *fixture) basic(method, path, body string) raw {
	f.t.Helper()
	req := f.req(method, path, body)
	req.SetBasicAuth("admin", "pw-1")
	return f.do(req)
}

// signed sends an AK/SK request dated date.
func (f *fixture) signed(method, path, body, id, secret string, date time.Time) raw {
	f.t.Helper()
	req := f.req(method, path, body)
	req.Header.Set("X-Ocp-Origin", "test")
	s := ocp.Sign(ocp.SignRequest{
		Method: method, Host: req.URL.Host, Path: req.URL.EscapedPath(), Query: req.URL.Query(),
		Header: req.Header, Body: []byte(body), Date: date,
	}, id, secret)
	for k, v := range s.Header {
		req.Header[k] = v
	}
	return f.do(req)
}

func decode[T any](t *testing.T, r raw) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.Data, &v); err != nil {
		t.Fatalf("data: %v\n%s", err, r.Data)
	}
	return v
}

func TestEnvelopeAndClusterPaging(t *testing.T) {
	f := basicFixture(t)
	r := f.basic("GET", "/api/v2/ob/clusters?page=2&size=1", "")
	if r.HTTP != 200 || !r.Successful || r.Status != 200 || r.Error != nil {
		t.Fatalf("got HTTP %d successful=%v status=%d error=%v", r.HTTP, r.Successful, r.Status, r.Error)
	}
	if r.TraceID == "" || r.Server == "" || r.Duration == nil {
		t.Errorf("envelope misses traceId, server or duration: %+v", r)
	}
	if ts, ok := ocp.ParseTime(r.Timestamp); !ok || !ts.Equal(start) {
		t.Errorf("timestamp %q, want the executor's clock %s", r.Timestamp, start)
	}
	list := decode[ocp.List[ocp.Cluster]](t, r)
	if list.Page == nil || *list.Page != (ocp.Page{Number: 2, Size: 1, TotalElements: 3, TotalPages: 3}) {
		t.Fatalf("page = %+v", list.Page)
	}
	if len(list.Contents) != 1 || list.Contents[0].Name != "zerg" {
		t.Errorf("page 2 of size 1 = %+v, want the second cluster zerg", list.Contents)
	}

	r = f.basic("GET", "/api/v2/ob/clusters?size=5000&status=running", "")
	list = decode[ocp.List[ocp.Cluster]](t, r)
	if list.Page.Size != ocpserver.MaxPageSize || len(list.Contents) != 3 || list.Page.TotalPages != 1 {
		t.Errorf("size 5000: page %+v with %d clusters, want size clamped to 2000 and all 3", list.Page, len(list.Contents))
	}
	r = f.basic("GET", "/api/v2/ob/clusters?page=9&size=2", "")
	if list = decode[ocp.List[ocp.Cluster]](t, r); len(list.Contents) != 0 || list.Page.Number != 9 {
		t.Errorf("a page past the end: %+v", list)
	}
	if r := f.basic("GET", "/api/v2/ob/clusters?page=0", ""); r.HTTP != 400 {
		t.Errorf("page=0 got %d, want 400", r.HTTP)
	}
}

func TestServersAreUnpagedAndFiltered(t *testing.T) {
	f := basicFixture(t)
	r := f.basic("GET", "/api/v2/ob/clusters/"+itoa(embedded.DemoPrimaryClusterID)+"/servers", "")
	if strings.Contains(string(r.Data), `"page"`) {
		t.Errorf("servers list carries a page: %s", r.Data)
	}
	all := decode[ocp.List[ocp.Server]](t, r)
	if len(all.Contents) != 6 {
		t.Fatalf("%d servers, want 6", len(all.Contents))
	}
	r = f.basic("GET", "/api/v2/ob/clusters/"+itoa(embedded.DemoPrimaryClusterID)+"/servers?idcName=hz-idc-b", "")
	if got := decode[ocp.List[ocp.Server]](t, r).Contents; len(got) != 2 || got[0].ZoneName != "zone2" {
		t.Errorf("idcName filter: %+v", got)
	}
	r = f.basic("GET", "/api/v2/ob/clusters/"+itoa(embedded.DemoPrimaryClusterID)+"/zones/zone3/servers", "")
	if got := decode[ocp.List[ocp.Server]](t, r).Contents; len(got) != 2 || got[1].ZoneName != "zone3" {
		t.Errorf("zone servers: %+v", got)
	}
	r = f.basic("GET", "/api/v2/ob/clusters/"+itoa(embedded.DemoPrimaryClusterID)+"/zones", "")
	if got := decode[ocp.List[ocp.Zone]](t, r).Contents; len(got) != 3 || len(got[0].Servers) != 2 {
		t.Errorf("zones: %+v", got)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Errors are answered as OCP answers them: OCP's numeric codes (0 where
// Spring answers without one) and the HTTP status OCP gives each.
func TestErrorsHaveTheDocumentedShapeAndStatus(t *testing.T) {
	f := basicFixture(t)
	task, err := f.ex.RestartServer(t.Context(), embedded.DemoPrimaryClusterID, 13000001, backend.RestartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tid := itoa(task.ID)
	cluster := "/api/v2/ob/clusters/" + itoa(embedded.DemoPrimaryClusterID)
	cases := []struct {
		method, path, body string
		http               int
		code               ocp.Code
		msg, debug         string
	}{
		{"GET", "/api/v2/tasks/instances/4242", "", 404, ocp.CodeTaskNotExists, "4242", ""},
		{"GET", "/api/v2/tasks/instances/" + tid + "/subtasks/1/log", "", 404, ocp.CodeTaskNotExists, "no subtask 1", ""},
		{"GET", "/api/v2/ob/clusters/77/zones", "", 404, ocp.CodeNotFound, "77", ""},
		{"GET", cluster + "/zones/zone9/servers", "", 404, ocp.CodeNotFound, "zone9", ""},
		// an operation the task's state does not allow: 400 and 20003, not 409
		{"POST", "/api/v2/tasks/instances/" + tid + "/retry", "", 400, ocp.CodeTaskStateInvalid, "only a FAILED task", ""},
		{"POST", "/api/v2/tasks/instances/" + tid + "/rollback", "", 400, ocp.CodeTaskStateInvalid, "only a FAILED task", ""},
		{"POST", cluster + "/servers/13000001/restart", "", 400, ocp.CodeTaskStateInvalid, "running task " + tid, ""},
		{"GET", "/api/v2/ob/clusters/abc/zones", "", 400, ocp.CodeUnset, "The parameter 'id' of value 'abc' could not be converted to type 'Long'", "java.lang.Long"},
		{"GET", "/api/v2/tasks/instances?clusterId=x", "", 400, ocp.CodeUnset, "The parameter 'clusterId' of value 'x'", ""},
		{"GET", "/api/v2/ob/clusters?page=0", "", 400, ocp.CodeIllegalArgument, "page", ""},
		{"GET", "/api/v2/nothing", "", 400, ocp.CodeUnset, "Could not find the GET method for URL /api/v2/nothing", "No handler found for GET /api/v2/nothing"},
		{"DELETE", "/api/v2/ob/clusters", "", 400, ocp.CodeUnset, "Could not find the DELETE method for URL /api/v2/ob/clusters", ""},
		// documented by OCP, not served by the simulator: as an OCP without the route
		{"POST", cluster + "/servers/13000002/stop", "", 400, ocp.CodeUnset, "Could not find the POST method for URL " + cluster + "/servers/13000002/stop", ""},
		{"POST", cluster + "/servers/13000002/start", "", 400, ocp.CodeUnset, "Could not find the POST method", ""},
		{"POST", cluster + "/zones/zone2/stop", "", 400, ocp.CodeUnset, "Could not find the POST method for URL " + cluster + "/zones/zone2/stop", ""},
		{"POST", cluster + "/zones/zone2/start", "", 400, ocp.CodeUnset, "Could not find the POST method", ""},
		{"POST", cluster + "/servers/13000002/restart", "{", 400, ocp.CodeUnset, "Malformed JSON request", "unexpected end of JSON input"},
		{"POST", cluster + "/servers/13000002/restart?force=maybe", "", 400, ocp.CodeUnset, "The parameter 'force' of value 'maybe' could not be converted to type 'Boolean'", ""},
		{"POST", cluster + "/servers/13000002/restart?freezeServer=maybe", "", 400, ocp.CodeUnset, "The parameter 'freezeServer' of value 'maybe'", ""},
	}
	for _, c := range cases {
		r := f.basic(c.method, c.path, c.body)
		if r.HTTP != c.http || r.Status != c.http || r.Successful || r.Error == nil {
			t.Errorf("%s %s: HTTP %d status %d successful %v error %v, want %d", c.method, c.path, r.HTTP, r.Status, r.Successful, r.Error, c.http)
			continue
		}
		if r.Error.Code != c.code || !strings.Contains(r.Error.Message, c.msg) || !strings.Contains(r.Error.DebugMessage, c.debug) || r.TraceID == "" {
			t.Errorf("%s %s: error %+v trace %q, want code %s, a message with %q, a debug message with %q", c.method, c.path, r.Error, r.TraceID, c.code, c.msg, c.debug)
		}
		if n, ok := r.Error.Code.Number(); !ok || strings.Contains(string(r.Raw), `"code":"`) {
			t.Errorf("%s %s: code %q (%d) is not a JSON number: %s", c.method, c.path, r.Error.Code, n, r.Raw)
		}
	}
	if tasks, _ := f.ex.ListTasks(t.Context(), backend.TaskFilter{}); len(tasks) != 1 {
		t.Errorf("%d tasks after the refused requests, want the one", len(tasks))
	}
}

func TestRestartConflictAndForce(t *testing.T) {
	f := basicFixture(t)
	path := "/api/v2/ob/clusters/" + itoa(embedded.DemoPrimaryClusterID) + "/servers/13000001/restart"
	r := f.basic("POST", path, "")
	task := decode[ocp.Task](t, r)
	if r.HTTP != 200 || len(task.Subtasks) != 11 || task.Force() {
		t.Fatalf("restart: HTTP %d, %d subtasks, force %v", r.HTTP, len(task.Subtasks), task.Force())
	}
	r = f.basic("POST", path, "")
	if r.HTTP != 400 || r.Error == nil || r.Error.Code != ocp.CodeTaskStateInvalid || !strings.Contains(r.Error.Message, itoa(task.ID)) {
		t.Errorf("second restart: HTTP %d error %+v, want 400 and 20003 naming task %d", r.HTTP, r.Error, task.ID)
	}
	// force and freezeServer as a JSON body and as query parameters; the
	// query wins
	for i, c := range []struct {
		server, query, body string
		force, freeze       bool
	}{
		{"13000002", "", `{"force":true}`, true, false},
		{"13000003", "?force=true&freezeServer=true", "", true, true},
		{"13000004", "", `{"force":false,"freezeServer":true}`, false, true},
		{"13000005", "?freezeServer=false", `{"freezeServer":true}`, false, false},
	} {
		p := "/api/v2/ob/clusters/" + itoa(embedded.DemoPrimaryClusterID) + "/servers/" + c.server + "/restart" + c.query
		r := f.basic("POST", p, c.body)
		tk := decode[ocp.Task](t, r)
		if r.HTTP != 200 || tk.Force() != c.force || (tk.Context.Get("freeze_server") == "true") != c.freeze {
			t.Errorf("case %d: HTTP %d force %v freeze_server %q, want force %v freeze %v", i, r.HTTP, tk.Force(), tk.Context.Get("freeze_server"), c.force, c.freeze)
		}
	}
	// A zone restart takes no freezeServer in OCP: ignored, even when bad.
	zone := f.basic("POST", "/api/v2/ob/clusters/"+itoa(embedded.DemoStandbyClusterID)+"/zones/zone1/restart?freezeServer=maybe", `{"freezeServer":true}`)
	if tk := decode[ocp.Task](t, zone); zone.HTTP != 200 || tk.Context.Get("freeze_server") != "" {
		t.Errorf("zone restart with freezeServer: HTTP %d %+v, context %v", zone.HTTP, zone.Error, tk.Context)
	}
	// skip and cancel answer with no data; only a RUNNING step can be
	// cancelled, so let the first one start
	var stepID int64
	f.clock.AdvanceUntil(func() bool {
		running, err := f.ex.GetTask(t.Context(), task.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range running.Subtasks {
			if s.Status == ocp.SubtaskRunning {
				stepID = s.ID
			}
		}
		return stepID != 0
	}, time.Minute)
	r = f.basic("POST", "/api/v2/tasks/instances/"+itoa(task.ID)+"/subtasks/"+itoa(stepID)+"/cancel", "")
	if r.HTTP != 200 || !r.Successful || len(r.Data) != 0 {
		t.Errorf("cancel: HTTP %d successful %v data %s", r.HTTP, r.Successful, r.Data)
	}
}

func TestTaskListPagesNewestFirst(t *testing.T) {
	f := basicFixture(t)
	for _, s := range []int64{13000001, 13000002, 13000003} {
		if _, err := f.ex.RestartServer(t.Context(), embedded.DemoPrimaryClusterID, s, backend.RestartOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	var ids []int64
	for page := 1; page <= 2; page++ {
		r := f.basic("GET", "/api/v2/tasks/instances?size=2&page="+itoa(int64(page))+"&clusterId="+itoa(embedded.DemoPrimaryClusterID), "")
		l := decode[ocp.List[ocp.Task]](t, r)
		if l.Page.TotalElements != 3 || l.Page.TotalPages != 2 {
			t.Errorf("page %d: %+v, want 3 elements in 2 pages", page, l.Page)
		}
		for _, tk := range l.Contents {
			ids = append(ids, tk.ID)
		}
	}
	if len(ids) != 3 || ids[0] < ids[1] || ids[1] < ids[2] {
		t.Errorf("task ids %v, want 3 newest first", ids)
	}
	r := f.basic("GET", "/api/v2/tasks/instances?clusterId="+itoa(embedded.DemoStandbyClusterID), "")
	if l := decode[ocp.List[ocp.Task]](t, r); len(l.Contents) != 0 || l.Page.TotalElements != 0 {
		t.Errorf("another cluster's tasks: %+v", l)
	}
}

func TestAuthentication(t *testing.T) {
	f := newFixture(t, ocpserver.Config{
		Users:      map[string]string{"admin": "pw-1"},
		AccessKeys: map[string]string{"AK1": "sk-secret-1"},
	})
	path := "/api/v2/ob/clusters"
	unauthorized := func(name string, r raw) {
		t.Helper()
		// as OCP's authentication entry point: code 0, its message, the
		// reason as the debug message
		if r.HTTP != 401 || r.Error == nil || r.Error.Code != ocp.CodeUnset || !strings.Contains(string(r.Raw), `"code":0,`) ||
			!strings.HasPrefix(r.Error.Message, "The current user has not logged on") || r.Error.DebugMessage == "" {
			t.Errorf("%s: HTTP %d error %+v, want 401 with code 0 and a debug message", name, r.HTTP, r.Error)
		}
		if strings.Contains(string(r.Raw), "pw-1") || strings.Contains(string(r.Raw), "sk-secret-1") {
			t.Errorf("%s: the error shows a secret: %s", name, r.Raw)
		}
	}
	unauthorized("no credentials", f.do(f.req("GET", path, "")))
	req := f.req("GET", path, "")
	req.SetBasicAuth("admin", "wrong")
	unauthorized("wrong password", f.do(req))
	req = f.req("GET", path, "")
	req.SetBasicAuth("nobody", "pw-1")
	unauthorized("unknown user", f.do(req))
	if r := f.basic("GET", path, ""); r.HTTP != 200 {
		t.Errorf("basic: HTTP %d", r.HTTP)
	}

	if r := f.signed("GET", path+"?size=2&name=o", "", "AK1", "sk-secret-1", f.wall); r.HTTP != 200 {
		t.Errorf("AK/SK GET: HTTP %d %+v", r.HTTP, r.Error)
	}
	restart := "/api/v2/ob/clusters/" + itoa(embedded.DemoPrimaryClusterID) + "/servers/13000001/restart"
	if r := f.signed("POST", restart, `{"force":false}`, "AK1", "sk-secret-1", f.wall.Add(14*time.Minute)); r.HTTP != 200 {
		t.Errorf("AK/SK POST dated 14 minutes ahead: HTTP %d %+v", r.HTTP, r.Error)
	}
	r := f.signed("GET", path, "", "AK1", "sk-secret-1", f.wall.Add(-16*time.Minute))
	unauthorized("date 16 minutes behind", r)
	if r.Error != nil && !strings.Contains(r.Error.DebugMessage, "15m") {
		t.Errorf("stale date debug message: %q", r.Error.DebugMessage)
	}
	unauthorized("date 16 minutes ahead", f.signed("GET", path, "", "AK1", "sk-secret-1", f.wall.Add(16*time.Minute)))
	unauthorized("wrong secret", f.signed("GET", path, "", "AK1", "sk-other", f.wall))
	unauthorized("unknown key", f.signed("GET", path, "", "AK2", "sk-secret-1", f.wall))

	// A signature over one query does not authorise another.
	req = f.req("GET", path+"?size=1", "")
	s := ocp.Sign(ocp.SignRequest{Method: "GET", Host: req.URL.Host, Path: path, Query: url.Values{"size": {"2"}}, Header: req.Header, Date: f.wall}, "AK1", "sk-secret-1")
	for k, v := range s.Header {
		req.Header[k] = v
	}
	unauthorized("tampered query", f.do(req))
	req = f.req("GET", path, "")
	req.Header.Set("Authorization", "Bearer x")
	unauthorized("other scheme", f.do(req))
}

func TestNoCredentialsConfiguredRejectsAllUnlessNoAuth(t *testing.T) {
	f := newFixture(t, ocpserver.Config{})
	req := f.req("GET", "/api/v2/ob/clusters", "")
	req.SetBasicAuth("admin", "")
	if r := f.do(req); r.HTTP != 401 {
		t.Errorf("no users configured, empty password: HTTP %d, want 401", r.HTTP)
	}
	open := newFixture(t, ocpserver.Config{NoAuth: true})
	if r := open.do(open.req("GET", "/api/v2/ob/clusters", "")); r.HTTP != 200 {
		t.Errorf("NoAuth: HTTP %d, want 200", r.HTTP)
	}
}

func TestStatusAndCodeOfEveryKind(t *testing.T) {
	want := map[backend.Kind]struct {
		http int
		code ocp.Code
	}{
		backend.NotFound: {404, ocp.CodeNotFound}, backend.Conflict: {400, ocp.CodeTaskStateInvalid},
		backend.Unauthorized: {401, ocp.CodeUnset}, backend.Forbidden: {403, ocp.CodeNotPermitted},
		backend.RateLimited: {429, ocp.CodeUnset}, backend.Unavailable: {503, ocp.CodeUnexpected},
		backend.Canceled: {503, ocp.CodeUnexpected}, backend.BadResponse: {502, ocp.CodeUnexpected},
		backend.BadRequest: {400, ocp.CodeIllegalArgument}, backend.Internal: {500, ocp.CodeUnexpected},
		backend.KindUnknown: {500, ocp.CodeUnexpected},
	}
	for k, w := range want {
		if got := ocpserver.StatusOf(k); got != w.http {
			t.Errorf("StatusOf(%s) = %d, want %d", k, got, w.http)
		}
		if got := ocpserver.CodeOf(k, ocp.CodeNotFound); got != w.code {
			t.Errorf("CodeOf(%s) = %s, want %s", k, got, w.code)
		}
	}
	if got := ocpserver.CodeOf(backend.NotFound, ocp.CodeTaskNotExists); got != ocp.CodeTaskNotExists {
		t.Errorf("CodeOf(NotFound) of a task = %s", got)
	}
}

// failing answers every call with err.
type failing struct {
	backend.Executor
	err error
}

func (f failing) Now() time.Time { return start }
func (f failing) ListClusters(context.Context) ([]ocp.Cluster, error) {
	return nil, f.err
}
func (f failing) RollbackTask(context.Context, int64) (*ocp.Task, error) {
	return nil, f.err
}

func TestExecutorErrorsOverHTTP(t *testing.T) {
	cases := []struct {
		err        error
		path       string
		http       int
		code       ocp.Code
		msg, debug string
		rateLimitS string
	}{
		{&backend.Error{Kind: backend.Forbidden, Message: "no permission on cluster"}, "", 403, ocp.CodeNotPermitted,
			"You are not authorized to perform the corresponding operation. Contact the administrator.", "no permission on cluster", ""},
		{&backend.Error{Kind: backend.RateLimited, Message: "slow down", RetryAfter: 7}, "", 429, ocp.CodeUnset,
			"Excessive number of requests. You have exceeded the request limit for the current throttling window.", "slow down", "7"},
		{&backend.Error{Kind: backend.Unauthorized, Message: "upstream said no"}, "", 401, ocp.CodeUnset,
			"The current user has not logged on or a logon error has occurred. Please log on and try again.", "upstream said no", ""},
		// an OCP code the executor carries is kept with its status
		{&backend.Error{Kind: backend.Conflict, Code: "20004", Message: "task 9 prohibits rollback"}, "/api/v2/tasks/instances/9/rollback", 400,
			ocp.CodeTaskProhibitRollback, "task 9 prohibits rollback", "", ""},
		{&backend.Error{Kind: backend.NotFound, Message: "no task 9"}, "/api/v2/tasks/instances/9/rollback", 404, ocp.CodeTaskNotExists, "no task 9", "", ""},
		{&backend.Error{Kind: backend.Conflict, Code: "60018", Message: "task running"}, "", 400, "60018", "task running", "", ""},
		{&backend.Error{Kind: backend.Conflict, Code: "TASK_RUNNING", Message: "task running"}, "", 400, ocp.CodeTaskStateInvalid, "task running", "", ""},
		{&backend.Error{Kind: backend.Unavailable, Op: "list clusters"}, "", 503, ocp.CodeUnexpected, "list clusters: Unavailable", "", ""},
		{errors.New("disk on fire /secret/path"), "", 500, ocp.CodeUnexpected, "internal error", "", ""},
	}
	for _, c := range cases {
		srv := httptest.NewServer(ocpserver.New(ocpserver.Config{Executor: failing{err: c.err}, NoAuth: true}))
		var resp *http.Response
		var err error
		if c.path == "" {
			resp, err = http.Get(srv.URL + "/api/v2/ob/clusters")
		} else {
			resp, err = http.Post(srv.URL+c.path, "application/json", nil)
		}
		if err != nil {
			t.Fatal(err)
		}
		var env raw
		if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		srv.Close()
		if resp.StatusCode != c.http || env.Status != c.http || env.Error == nil || env.Error.Code != c.code ||
			env.Error.Message != c.msg || env.Error.DebugMessage != c.debug {
			t.Errorf("%v: HTTP %d status %d error %+v, want %d %s %q (debug %q)", c.err, resp.StatusCode, env.Status, env.Error, c.http, c.code, c.msg, c.debug)
		}
		if got := resp.Header.Get("RateLimit-Reset"); got != c.rateLimitS {
			t.Errorf("%v: RateLimit-Reset %q, want %q", c.err, got, c.rateLimitS)
		}
	}
}
