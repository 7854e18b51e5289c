package remote

import (
	"crypto/hmac"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// oneEncodingServer verifies AK/SK signatures with only one of the two
// query encodings OCP's signing pages have printed, as an OCP build does,
// and records each request as "METHOD path?query ok|401".
type oneEncodingServer struct {
	enc    ocp.QueryEncoding
	secret string
	mu     sync.Mutex
	seen   []string
}

func (s *oneEncodingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	_, sig, _ := ocp.ParseAuthorization(r.Header.Get("Authorization"))
	want := ocp.Sign(ocp.SignRequest{Method: r.Method, Host: r.Host, Path: r.URL.EscapedPath(), Query: r.URL.Query(),
		Header: r.Header, Body: body, DateText: r.Header.Get("Date"), QueryEncoding: s.enc}, testAKID, s.secret)
	ok := hmac.Equal([]byte(sig), []byte(want.Signature))
	s.mu.Lock()
	s.seen = append(s.seen, r.Method+" "+r.URL.RawQuery+" "+map[bool]string{true: "ok", false: "401"}[ok])
	s.mu.Unlock()
	if !ok {
		apiError(w, 401, "0", "The current user has not logged on or a logon error has occurred. Please log on and try again.", "t-401")
		return
	}
	if r.Method == http.MethodPost {
		envelope(w, `{"id":1,"name":"Restart OB server","status":"RUNNING"}`)
		return
	}
	envelope(w, `{"contents":[],"page":{"number":1,"size":1,"totalElements":0,"totalPages":1}}`)
}

func (s *oneEncodingServer) take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.seen
	s.seen = nil
	return out
}

// An OCP that verifies with java.net.URLEncoder (the newer signing page)
// refuses a GET whose query has a space signed with RFC 3986: the client
// signs it again the other way, once, and keeps that way from then on.
func TestAKSKFallsBackToFormURLEncodingForAGet(t *testing.T) {
	srv := &oneEncodingServer{enc: ocp.FormURL, secret: testAKSecret}
	c := newClient(t, serve(t, srv.ServeHTTP).URL, akskAuth)

	// No character on which the encodings differ: both sign alike.
	if _, err := c.ListTasks(ctx, backend.TaskFilter{ClusterID: 3}); err != nil {
		t.Fatalf("plain query: %v", err)
	}
	if got := srv.take(); len(got) != 1 || !strings.HasSuffix(got[0], " ok") {
		t.Fatalf("plain query: %v", got)
	}
	if _, err := c.ListTasks(ctx, backend.TaskFilter{Name: "Restart OB server"}); err != nil {
		t.Fatalf("a name with spaces: %v", err)
	}
	if got := srv.take(); len(got) != 2 || !strings.HasSuffix(got[0], " 401") || !strings.HasSuffix(got[1], " ok") {
		t.Fatalf("a name with spaces: %v, want a 401 then the same GET accepted", got)
	}
	if !strings.Contains(c.debug.String(), "auth=aksk query-encoding=form-url") {
		t.Errorf("--debug-http does not say how the second GET was signed:\n%s", c.debug.String())
	}
	// Remembered: every later request is signed the way this OCP wants.
	for _, name := range []string{"a*b", "tilde~", "重启 OB"} {
		if _, err := c.ListTasks(ctx, backend.TaskFilter{Name: name}); err != nil {
			t.Fatalf("name %q: %v", name, err)
		}
	}
	if _, err := c.RestartServer(ctx, 1, 2, backend.RestartOptions{FreezeServer: true}); err != nil {
		t.Fatalf("restart: %v", err)
	}
	if got := srv.take(); len(got) != 4 || strings.Contains(strings.Join(got, "\n"), "401") {
		t.Errorf("after the fallback: %v, want every request accepted at once", got)
	}
}

// An OCP that verifies with RFC 3986 (OCP V4.0.3 to V4.2.2's reference
// code) accepts obconsole's first signature: nothing is sent twice.
func TestAKSKSignsRFC3986ByDefault(t *testing.T) {
	srv := &oneEncodingServer{enc: ocp.RFC3986, secret: testAKSecret}
	c := newClient(t, serve(t, srv.ServeHTTP).URL, akskAuth)
	for _, name := range []string{"Restart OB server", "a*b", "tilde~", "重启 OB"} {
		if _, err := c.ListTasks(ctx, backend.TaskFilter{Name: name, Status: []ocp.TaskStatus{ocp.TaskRunning, ocp.TaskFailed}}); err != nil {
			t.Fatalf("name %q: %v", name, err)
		}
	}
	if got := srv.take(); len(got) != 4 || strings.Contains(strings.Join(got, "\n"), "401") {
		t.Errorf("requests %v, want 4 accepted at once", got)
	}
}

// A wrong secret is refused both ways: one more GET, no more, and the
// error says both encodings were tried. Nothing is remembered.
func TestAKSKWrongSecretIsTriedOnceMore(t *testing.T) {
	srv := &oneEncodingServer{enc: ocp.FormURL, secret: "another-secret"}
	c := newClient(t, serve(t, srv.ServeHTTP).URL, akskAuth)
	_, err := c.ListTasks(ctx, backend.TaskFilter{Name: "Restart OB server"})
	be := wantKind(t, err, backend.Unauthorized)
	if !strings.Contains(be.Message, "either query encoding") || len(c.sleeps.Waits()) != 0 {
		t.Errorf("%v (waits %v)", err, c.sleeps.Waits())
	}
	if got := srv.take(); len(got) != 2 {
		t.Errorf("requests %v, want the GET and one re-signed", got)
	}
	_, err = c.ListTasks(ctx, backend.TaskFilter{ClusterID: 1})
	wantKind(t, err, backend.Unauthorized)
	if got := srv.take(); len(got) != 1 || !strings.HasPrefix(got[0], "GET ") {
		t.Errorf("a query both encodings sign alike: %v, want one GET", got)
	}
	if c.formURL.Load() {
		t.Error("a refused fallback was remembered")
	}
}

// A POST is never sent twice, even when a 401 might come from the query
// encoding.
func TestAKSKPostIsNeverResigned(t *testing.T) {
	srv := &oneEncodingServer{enc: ocp.FormURL, secret: testAKSecret}
	c := newClient(t, serve(t, srv.ServeHTTP).URL, akskAuth)
	err := c.do(ctx, call{op: "post", method: http.MethodPost, path: "/api/v2/tasks/instances/1/retry",
		query: url.Values{"note": {"a b"}}}, nil)
	wantKind(t, err, backend.Unauthorized)
	if got := srv.take(); len(got) != 1 {
		t.Errorf("requests %v, want one POST", got)
	}
}
