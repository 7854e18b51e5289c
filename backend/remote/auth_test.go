package remote

import (
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

func TestBasicAuthHeader(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || u != testUser || p != testPassword {
			apiError(w, 401, "401", "bad credentials", "t-401")
			return
		}
		if r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("Content-Type %q", r.Header.Get("Content-Type"))
		}
		envelope(w, clustersPage)
	})
	c := newClient(t, srv.URL)
	if _, err := c.ListClusters(ctx); err != nil {
		t.Fatal(err)
	}
	bad := newClient(t, srv.URL, func(c *Config) { c.Password = "wrong" })
	_, err := bad.ListClusters(ctx)
	be := wantKind(t, err, backend.Unauthorized)
	if be.Message != "bad credentials" || be.TraceID != "t-401" || len(bad.sleeps.Waits()) != 0 {
		t.Errorf("401: %+v, waits %v", be, bad.sleeps.Waits())
	}
}

// akskServer verifies every request's signature as OCP would and records
// the Authorization values it saw.
func akskServer(t *testing.T, seen *[]string, mu *sync.Mutex) *httptest.Server {
	return serve(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		*seen = append(*seen, r.Header.Get("Authorization"))
		mu.Unlock()
		id, sig, ok := ocp.ParseAuthorization(r.Header.Get("Authorization"))
		date, derr := http.ParseTime(r.Header.Get("Date"))
		if !ok || id != testAKID || derr != nil {
			apiError(w, 401, "401", "no AK/SK", "t")
			return
		}
		req := ocp.SignRequest{Method: r.Method, Host: r.Host, Path: r.URL.EscapedPath(), Query: r.URL.Query(), Header: r.Header, Body: body, Date: date}
		if !ocp.VerifySignature(req, testAKSecret, sig) {
			apiError(w, 401, "401", "signature mismatch: "+ocp.StringToSign(req), "t")
			return
		}
		if r.Method == http.MethodPost {
			envelope(w, `{"id":1,"name":"Restart OB server","status":"RUNNING"}`)
			return
		}
		envelope(w, `{"contents":[],"page":{"number":1,"size":1,"totalElements":0,"totalPages":1}}`)
	})
}

func TestAKSKSignsEveryRequest(t *testing.T) {
	var seen []string
	var mu sync.Mutex
	srv := akskServer(t, &seen, &mu)
	c := newClient(t, srv.URL, akskAuth)
	if _, err := c.ListTasks(ctx, backend.TaskFilter{ClusterID: 3, Status: []ocp.TaskStatus{ocp.TaskRunning, ocp.TaskFailed}, Name: "Restart OB: zone 1"}); err != nil {
		t.Fatalf("signed GET with a query: %v", err)
	}
	if _, err := c.RestartServer(ctx, 1, 2, backend.RestartOptions{Force: true}); err != nil {
		t.Fatalf("signed POST with a body: %v", err)
	}
	if _, err := c.RestartZone(ctx, 1, "zone 1", backend.RestartOptions{}); err != nil {
		t.Fatalf("signed POST with an escaped path: %v", err)
	}
	if d := c.Describe(); d.User != testAKID || d.String() != srv.URL+" as "+testAKID {
		t.Errorf("Describe %+v", d)
	}
	wrong := newClient(t, srv.URL, akskAuth, func(c *Config) { c.AccessKeySecret = "not-the-secret" })
	_, err := wrong.ListClusters(ctx)
	wantKind(t, err, backend.Unauthorized)

	mu.Lock()
	defer mu.Unlock()
	for _, a := range seen {
		if !strings.HasPrefix(a, "OCP-ACCESS-KEY-HMACSHA1 "+testAKID+":") {
			t.Errorf("Authorization %q", a)
		}
		if strings.Contains(c.debug.String(), a) {
			t.Errorf("debug output holds the Authorization value %q", a)
		}
	}
	noSecrets(t, "debug output", c.debug.String())
}

func TestSecretsNeverInDebugOutputOrErrors(t *testing.T) {
	// A misbehaving server that echoes what it received into its messages.
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		_, p, _ := r.BasicAuth()
		switch r.URL.Path {
		case "/api/v2/ob/clusters":
			envelope(w, clustersPage)
		case "/api/v2/tasks/instances/1":
			apiError(w, 401, "401", "password "+p+" rejected; header was "+r.Header.Get("Authorization"), "t-echo")
		default:
			apiError(w, 404, "404", "no "+r.URL.Path+" for "+p, "t-404")
		}
	})
	file := filepath.Join(t.TempDir(), "http.log")
	c := newClient(t, srv.URL, func(c *Config) { c.DebugHTTPFile = file })
	var errs []string
	if _, err := c.ListClusters(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := c.GetTask(ctx, 1)
	wantKind(t, err, backend.Unauthorized)
	errs = append(errs, err.Error(), fmt.Sprintf("%+v", err))
	_, err = c.RestartServer(ctx, 1, 2, backend.RestartOptions{})
	errs = append(errs, err.Error())
	refused := newClient(t, closedPort(t), func(c *Config) { c.DebugHTTPFile = file })
	_, err = refused.ListZones(ctx, 1)
	errs = append(errs, err.Error())

	for _, e := range errs {
		noSecrets(t, "error", e)
		if strings.Contains(e, "[REDACTED]") && strings.Contains(e, "pa55") {
			t.Errorf("partly redacted: %s", e)
		}
	}
	if !strings.Contains(errs[0], "password [REDACTED] rejected; header was [REDACTED]") {
		t.Errorf("echoed secrets not redacted in %q", errs[0])
	}

	noSecrets(t, "a printed Executor", fmt.Sprintf("%v %+v %#v %s", c.Executor, c.Executor, c.Executor, c.Executor))
	if got := fmt.Sprint(c.Executor); got != "remote.Executor("+srv.URL+" as admin)" {
		t.Errorf("printed Executor %q", got)
	}

	out := c.debug.String()
	noSecrets(t, "debug output", out)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 {
		t.Fatalf("debug lines:\n%s\nwant one per request and one per response (6)", out)
	}
	req, resp := lines[0], lines[1]
	for _, want := range []string{"> GET /api/v2/ob/clusters?page=1&size=2000", "attempt=1", "user=admin", "authorization=[REDACTED]", "bytes=0"} {
		if !strings.Contains(req, want) {
			t.Errorf("request line %q lacks %q", req, want)
		}
	}
	rec := httptest.NewRecorder()
	envelope(rec, clustersPage)
	for _, want := range []string{"< GET /api/v2/ob/clusters?page=1&size=2000", "status=200", "duration=0s", "trace=trace-ok", fmt.Sprintf("bytes=%d", rec.Body.Len())} {
		if !strings.Contains(resp, want) {
			t.Errorf("response line %q lacks %q", resp, want)
		}
	}
	if !strings.HasPrefix(req, "2024-04-15T09:25:02.000Z > ") {
		t.Errorf("request line not stamped with the local clock: %q", req)
	}

	// The file got the same lines, plus the refused client's, mode 0600.
	_ = c.Close()
	_ = refused.Close()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	noSecrets(t, "debug file", string(b))
	if !strings.HasPrefix(string(b), out) || !strings.Contains(string(b), "cannot connect") {
		t.Errorf("debug file:\n%s", b)
	}
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("debug file mode %v, %v", st.Mode().Perm(), err)
	}
}

func TestConfigErrorsNeverEchoSecrets(t *testing.T) {
	cases := map[string]Config{
		"no url":          {User: "u", Password: testPassword},
		"bad scheme":      {BaseURL: "ftp://ocp", User: "u", Password: testPassword},
		"creds in url":    {BaseURL: "https://admin:" + testPassword + "@ocp.example", User: "u", Password: testPassword},
		"no user":         {BaseURL: "https://ocp.example", Password: testPassword},
		"no password":     {BaseURL: "https://ocp.example", User: "u"},
		"no ak":           {BaseURL: "https://ocp.example", Auth: "aksk", AccessKeySecret: testAKSecret},
		"unknown auth":    {BaseURL: "https://ocp.example", Auth: "kerberos", Password: testPassword},
		"missing ca file": {BaseURL: "https://ocp.example", User: "u", Password: testPassword, CAFile: "/nonexistent/ca.pem"},
		"query in url":    {BaseURL: "https://ocp.example/?token=x", User: "u", Password: testPassword},
	}
	for name, cfg := range cases {
		_, err := New(cfg)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		wantKind(t, err, backend.BadRequest)
		noSecrets(t, name, err.Error())
		noSecrets(t, name+" %v of config", fmt.Sprintf("%v %+v %#v", cfg, cfg, cfg))
	}
}

func TestDescribe(t *testing.T) {
	c := newClient(t, "https://ocp.example:8080/", func(c *Config) { c.InsecureSkipVerify = true })
	d := c.Describe()
	if d.Kind != "remote" || d.Label != "https://ocp.example:8080" || d.URL != d.Label || d.User != testUser || !d.Insecure {
		t.Errorf("Describe %+v", d)
	}
	if d.String() != "https://ocp.example:8080 as admin" {
		t.Errorf("String %q", d.String())
	}
	// Before any response Now is the local clock.
	if !c.Now().Equal(c.clock.Now()) {
		t.Errorf("Now %v before any response, want local %v", c.Now(), c.clock.Now())
	}
}

func TestNowFollowsTheServerClock(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		// The server runs 1h ahead of the fake local clock (09:25:02 UTC).
		_, _ = w.Write([]byte(`{"data":{"contents":[]},"successful":true,"status":200,"timestamp":"2024-04-15T10:25:02.25Z"}`))
	})
	c := newClient(t, srv.URL)
	if _, err := c.ListServers(ctx, 1, ""); err != nil {
		t.Fatal(err)
	}
	c.clock.Advance(10 * time.Second)
	want := time.Date(2024, 4, 15, 10, 25, 12, 250e6, time.UTC)
	if got := c.Now(); !got.Equal(want) {
		t.Errorf("Now %v, want %v", got, want)
	}
}

func writeCA(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ca.pem")
	b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { envelope(w, clustersPage) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	t.Cleanup(srv.Close)

	def := newClient(t, srv.URL)
	_, err := def.ListClusters(ctx)
	be := wantKind(t, err, backend.Unavailable)
	if !strings.Contains(be.Message, "TLS verification failed") || len(def.sleeps.Waits()) != 0 {
		t.Errorf("self-signed by default: %v (waits %v; a bad certificate is not retried)", err, def.sleeps.Waits())
	}

	withCA := newClient(t, srv.URL, func(c *Config) { c.CAFile = writeCA(t, srv) })
	if _, err := withCA.ListClusters(ctx); err != nil {
		t.Errorf("with --ca-file: %v", err)
	}
	if withCA.Describe().Insecure {
		t.Error("verified client described as insecure")
	}

	insecure := newClient(t, srv.URL, func(c *Config) { c.InsecureSkipVerify = true })
	if _, err := insecure.ListClusters(ctx); err != nil {
		t.Errorf("with --insecure-skip-tls-verify: %v", err)
	}
	if !insecure.Describe().Insecure {
		t.Error("insecure client not described as insecure")
	}

	bad := filepath.Join(t.TempDir(), "bad.pem")
	_ = os.WriteFile(bad, []byte("not a certificate"), 0o600)
	_, err = New(Config{BaseURL: srv.URL, User: "u", Password: "p", CAFile: bad})
	wantKind(t, err, backend.BadRequest)
}
