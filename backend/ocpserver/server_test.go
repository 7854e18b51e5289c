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
	r.HTTP, r.Header = resp.StatusCode, resp.Header
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

func TestErrorsHaveTheDocumentedShapeAndStatus(t *testing.T) {
	f := basicFixture(t)
	cases := []struct {
		method, path, body string
		http               int
		code               string
		msg                string
	}{
		{"GET", "/api/v2/tasks/instances/4242", "", 404, "NOT_FOUND", "4242"},
		{"GET", "/api/v2/ob/clusters/77/zones", "", 404, "NOT_FOUND", "77"},
		{"GET", "/api/v2/ob/clusters/abc/zones", "", 400, "BAD_REQUEST", `"abc"`},
		{"GET", "/api/v2/nothing", "", 404, "NOT_FOUND", "no such endpoint"},
		{"DELETE", "/api/v2/ob/clusters", "", 404, "NOT_FOUND", "no such endpoint"},
		{"POST", "/api/v2/ob/clusters/12000001/servers/13000001/restart", "{", 400, "BAD_REQUEST", "JSON"},
		{"POST", "/api/v2/ob/clusters/12000001/servers/13000001/restart?force=maybe", "", 400, "BAD_REQUEST", "maybe"},
	}
	for _, c := range cases {
		r := f.basic(c.method, c.path, c.body)
		if r.HTTP != c.http || r.Status != c.http || r.Successful || r.Error == nil {
			t.Errorf("%s %s: HTTP %d status %d successful %v error %v, want %d", c.method, c.path, r.HTTP, r.Status, r.Successful, r.Error, c.http)
			continue
		}
		if string(r.Error.Code) != c.code || !strings.Contains(r.Error.Message, c.msg) || r.TraceID == "" {
			t.Errorf("%s %s: error %+v trace %q, want code %s and a message with %q", c.method, c.path, r.Error, r.TraceID, c.code, c.msg)
		}
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
	if r.HTTP != 409 || r.Error == nil || string(r.Error.Code) != "CONFLICT" || !strings.Contains(r.Error.Message, itoa(task.ID)) {
		t.Errorf("second restart: HTTP %d error %+v, want 409 naming task %d", r.HTTP, r.Error, task.ID)
	}
	// force as a JSON body and as a query parameter
	for i, c := range []struct{ server, query, body string }{
		{"13000002", "", `{"force":true}`},
		{"13000003", "?force=true", ""},
	} {
		p := "/api/v2/ob/clusters/" + itoa(embedded.DemoPrimaryClusterID) + "/servers/" + c.server + "/restart" + c.query
		r := f.basic("POST", p, c.body)
		if tk := decode[ocp.Task](t, r); r.HTTP != 200 || !tk.Force() {
			t.Errorf("case %d: HTTP %d force %v, want a force restart", i, r.HTTP, tk.Force())
		}
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
		if r.HTTP != 401 || r.Error == nil || string(r.Error.Code) != "UNAUTHORIZED" {
			t.Errorf("%s: HTTP %d error %+v, want 401", name, r.HTTP, r.Error)
		}
		if r.Error != nil && (strings.Contains(r.Error.Message, "pw-1") || strings.Contains(r.Error.Message, "sk-secret-1")) {
			t.Errorf("%s: the error shows a secret: %s", name, r.Error.Message)
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
	if r.Error != nil && !strings.Contains(r.Error.Message, "15m") {
		t.Errorf("stale date message: %q", r.Error.Message)
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

func TestStatusOfEveryKind(t *testing.T) {
	want := map[backend.Kind]int{
		backend.NotFound: 404, backend.Conflict: 409, backend.Unauthorized: 401, backend.Forbidden: 403,
		backend.RateLimited: 429, backend.Unavailable: 503, backend.Canceled: 503, backend.BadResponse: 502,
		backend.BadRequest: 400, backend.Internal: 500, backend.KindUnknown: 500,
	}
	for k, code := range want {
		if got := ocpserver.StatusOf(k); got != code {
			t.Errorf("StatusOf(%s) = %d, want %d", k, got, code)
		}
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

func TestExecutorErrorsOverHTTP(t *testing.T) {
	cases := []struct {
		err        error
		http       int
		code, msg  string
		rateLimitS string
	}{
		{&backend.Error{Kind: backend.Forbidden, Message: "no permission on cluster"}, 403, "FORBIDDEN", "no permission on cluster", ""},
		{&backend.Error{Kind: backend.RateLimited, Message: "slow down", RetryAfter: 7}, 429, "RATE_LIMITED", "slow down", "7"},
		{&backend.Error{Kind: backend.Conflict, Code: "60018", Message: "task running"}, 409, "60018", "task running", ""},
		{&backend.Error{Kind: backend.Unavailable, Op: "list clusters"}, 503, "UNAVAILABLE", "list clusters: Unavailable", ""},
		{errors.New("disk on fire /secret/path"), 500, "INTERNAL_ERROR", "internal error", ""},
	}
	for _, c := range cases {
		srv := httptest.NewServer(ocpserver.New(ocpserver.Config{Executor: failing{err: c.err}, NoAuth: true}))
		resp, err := http.Get(srv.URL + "/api/v2/ob/clusters")
		if err != nil {
			t.Fatal(err)
		}
		var env raw
		if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		srv.Close()
		if resp.StatusCode != c.http || env.Status != c.http || env.Error == nil || string(env.Error.Code) != c.code || env.Error.Message != c.msg {
			t.Errorf("%v: HTTP %d status %d error %+v, want %d %s %q", c.err, resp.StatusCode, env.Status, env.Error, c.http, c.code, c.msg)
		}
		if got := resp.Header.Get("RateLimit-Reset"); got != c.rateLimitS {
			t.Errorf("%v: RateLimit-Reset %q, want %q", c.err, got, c.rateLimitS)
		}
	}
}
