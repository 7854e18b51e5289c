package remote

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
)

// heard collects the credentials an echoing server received.
type heard struct {
	mu     sync.Mutex
	values []string
}

func (h *heard) add(r *http.Request) (authz, password, signature string) {
	authz = r.Header.Get("Authorization")
	_, password, _ = r.BasicAuth()
	_, signature, _ = ocp.ParseAuthorization(authz)
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, v := range []string{authz, password, signature} {
		if v != "" {
			h.values = append(h.values, v)
		}
	}
	return authz, password, signature
}

func (h *heard) all() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.values...)
}

// hideInJSON spells every other character of s, and every '/', as a JSON
// escape: the same string once decoded, but no secret in its bytes.
func hideInJSON(s string) string {
	var b strings.Builder
	for i, r := range []rune(s) {
		switch {
		case i%2 == 0:
			fmt.Fprintf(&b, `\u%04x`, r)
		case r == '/':
			b.WriteString(`\/`)
		default:
			q, _ := json.Marshal(string(r))
			b.Write(q[1 : len(q)-1])
		}
	}
	return b.String()
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// echoServer answers every request with the credentials it carried:
// in traceId, in error.message and error.code, in body fields of
// successful answers (plainly and hidden behind JSON escapes), and in the
// Location and Content-Type headers.
func echoServer(t *testing.T, h *heard) string {
	return serve(t, func(w http.ResponseWriter, r *http.Request) {
		authz, password, sig := h.add(r)
		secret := authz + " password=" + password + " sig=" + sig
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/servers/2/restart"):
			fmt.Fprintf(w, `{"data":{"id":89027028,"name":%s,"status":"RUNNING","creator":%s},"successful":true,"status":200,"traceId":%s}`,
				jsonString(secret), `"`+hideInJSON(authz)+`"`, jsonString("\x1b]0;owned\x07"+authz))
		case r.URL.Path == "/api/v2/ob/clusters":
			fmt.Fprintf(w, `{"data":{"contents":[{"id":1,"name":"%s","obVersion":%s,"status":"RUNNING","echo":%s}],"page":{"number":1,"size":1,"totalElements":1,"totalPages":1}},"successful":true,"status":200,"traceId":%s}`,
				hideInJSON(secret), jsonString(sig), jsonString(secret), jsonString(authz))
		case r.URL.Path == "/api/v2/tasks/instances/1":
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"successful":false,"status":401,"traceId":%s,"error":{"code":%s,"message":%s}}`,
				jsonString(authz+"\x1b]0;owned\x07"), jsonString(authz), jsonString("header was "+secret))
		case r.URL.Path == "/api/v2/tasks/instances/2":
			fmt.Fprintf(w, `{"successful":false,"status":409,"traceId":"t","error":{"code":"X","message":"%s"}}`, hideInJSON(secret))
		case r.URL.Path == "/api/v2/tasks/instances/3":
			w.Header().Set("Content-Type", "text/html; charset="+authz)
			fmt.Fprint(w, "<html>"+secret+"</html>")
		case strings.HasSuffix(r.URL.Path, "/zones"):
			w.Header().Set("Location", "https://ocp.example/login?h="+authz+"&p="+password)
			w.WriteHeader(http.StatusFound)
		default:
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintf(w, `{"successful":false,"status":500,"traceId":%s,"error":{"code":500,"message":%s}}`, jsonString(secret), jsonString(secret))
		}
	}).URL
}

// noEcho fails when s holds a fixed secret or any credential the server heard.
func noEcho(t *testing.T, h *heard, what, s string) {
	t.Helper()
	noSecrets(t, what, s)
	for _, v := range h.all() {
		if strings.Contains(s, v) {
			t.Errorf("%s holds %q:\n%s", what, v, s)
		}
	}
	if strings.ContainsAny(s, "\x1b\x07") {
		t.Errorf("%s holds a raw control character: %q", what, s)
	}
}

func TestEchoedCredentialsNeverComeBack(t *testing.T) {
	for _, mode := range []struct {
		name string
		auth func(*Config)
	}{{"basic", func(*Config) {}}, {"aksk", akskAuth}} {
		t.Run(mode.name, func(t *testing.T) {
			h := &heard{}
			c := newClient(t, echoServer(t, h), mode.auth, func(c *Config) { c.Retries = -1 })
			var shown []string
			show := func(v any) {
				b, _ := json.Marshal(v)
				shown = append(shown, fmt.Sprintf("%+v", v), string(b))
			}

			clusters, err := c.ListClusters(ctx)
			if err != nil || len(clusters) != 1 {
				t.Fatalf("clusters %+v, %v", clusters, err)
			}
			if !strings.Contains(clusters[0].Name, safetext.Redacted) {
				t.Errorf("cluster name %q: the echo was not redacted", clusters[0].Name)
			}
			show(clusters)

			task, err := c.RestartServer(ctx, 1, 2, backend.RestartOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if task.ID != 89027028 || !strings.Contains(task.Name, safetext.Redacted) {
				t.Errorf("task %+v", task)
			}
			show(task)

			for _, call := range []func() error{
				func() error { _, err := c.GetTask(ctx, 1); return err },
				func() error { _, err := c.GetTask(ctx, 2); return err },
				func() error { _, err := c.GetTask(ctx, 3); return err },
				func() error { _, err := c.GetTask(ctx, 4); return err },
				func() error { _, err := c.ListZones(ctx, 1); return err },
				func() error { _, err := c.RetryTask(ctx, 5); return err },
			} {
				err := call()
				if err == nil {
					t.Fatal("the echo server answered without an error")
				}
				shown = append(shown, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
				if be, ok := err.(*backend.Error); ok {
					shown = append(shown, be.TraceID, be.Code, be.Message)
				}
			}
			_, err = c.GetTask(ctx, 1)
			be := wantKind(t, err, backend.Unauthorized)
			if !strings.Contains(be.Message, "header was "+safetext.Redacted) || !strings.Contains(be.TraceID, safetext.Redacted) {
				t.Errorf("401 echo: %+v", be)
			}

			for i, s := range shown {
				noEcho(t, h, fmt.Sprintf("shown[%d]", i), s)
			}
			debug := c.debug.String()
			noEcho(t, h, "debug output", debug)
			if !strings.Contains(debug, "trace=\"^[]0;owned^G[REDACTED]\"") && !strings.Contains(debug, "trace=^[]0;owned^G[REDACTED]") {
				t.Errorf("the hostile trace id is not shown safely:\n%s", debug)
			}
			if len(h.all()) == 0 {
				t.Fatal("the server heard nothing")
			}
		})
	}
}

// The shared redactor keeps a bounded number of per-request values; a
// request's own answer is redacted of its credentials even when the
// shared one has forgotten them since (many requests in flight).
func TestOwnSignatureRedactedAfterTheSharedRedactorForgot(t *testing.T) {
	shared := safetext.NewRedactor()
	h := &heard{}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		authz, _, _ := h.add(r)
		for i := range 200 {
			shared.AddTransient(fmt.Sprintf("other request %d", i))
		}
		apiError(w, 409, "409", "busy: "+authz, "t")
	})
	c := newClient(t, srv.URL, akskAuth, func(c *Config) { c.Redactor = shared })
	_, err := c.RetryTask(ctx, 1)
	be := wantKind(t, err, backend.Conflict)
	if !strings.HasPrefix(be.Message, "busy: ") {
		t.Fatalf("not the echo this test is about: %v", err)
	}
	noEcho(t, h, "error", err.Error())
}

// A transport failure quotes what the server sent: a status line made of
// the request's own Authorization header.
func TestTransportErrorQuotingTheHeaderIsRedacted(t *testing.T) {
	for _, mode := range []struct {
		name string
		auth func(*Config)
	}{{"basic", func(*Config) {}}, {"aksk", akskAuth}} {
		t.Run(mode.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ln.Close() })
			h := &heard{}
			go func() {
				for {
					conn, err := ln.Accept()
					if err != nil {
						return
					}
					req, err := http.ReadRequest(bufio.NewReader(conn))
					if err == nil {
						authz, _, _ := h.add(req)
						fmt.Fprintf(conn, "%s\r\n\r\n", authz)
					}
					conn.Close()
				}
			}()
			c := newClient(t, "http://"+ln.Addr().String(), mode.auth, func(c *Config) { c.Retries = -1 })
			_, err = c.ListClusters(ctx)
			be := wantKind(t, err, backend.Unavailable)
			if !strings.Contains(err.Error(), "malformed HTTP") {
				t.Fatalf("not the transport error this test is about: %v", err)
			}
			noEcho(t, h, "error", err.Error())
			noEcho(t, h, "%+v", fmt.Sprintf("%+v", err))
			noEcho(t, h, "cause", be.Err.Error())
			noEcho(t, h, "debug output", c.debug.String())
		})
	}
}

// Unauthorized and forbidden answers are final: a GET is not retried.
func TestUnauthorizedAndForbiddenAreNeverRetried(t *testing.T) {
	for _, status := range []int{http.StatusUnauthorized, http.StatusForbidden} {
		for _, inEnvelope := range []bool{false, true} {
			var n counter
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				n.add(r)
				if inEnvelope { // HTTP 200 whose envelope says 401/403
					fmt.Fprintf(w, `{"successful":false,"status":%d,"error":{"code":%d,"message":"no"}}`, status, status)
					return
				}
				apiError(w, status, "1", "no", "t")
			})
			c := newClient(t, srv.URL) // DefaultRetries
			_, err := c.ListClusters(ctx)
			if k := backend.KindOf(err); k != kindForStatus(status) {
				t.Errorf("%d: %v", status, err)
			}
			if got := n.get("GET /api/v2/ob/clusters"); got != 1 || len(c.sleeps.Waits()) != 0 {
				t.Errorf("%d (envelope %v): %d requests, waits %v", status, inEnvelope, got, c.sleeps.Waits())
			}
		}
	}
}

// A secret that is part of the JSON's structure cannot be removed and
// keep the answer readable: it is refused rather than decoded.
func TestSecretInTheStructureIsRefused(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"successful":true,"status":200,"data":{"contents":[],"x":1}}`)
	})
	c := newClient(t, srv.URL, func(c *Config) { c.Password = `"x":1` })
	_, err := c.ListClusters(ctx)
	be := wantKind(t, err, backend.BadResponse)
	if be.Message != errSecretInAnswer.Error() {
		t.Errorf("%v", err)
	}
	noSecrets(t, "error", err.Error())
}

func TestCanonicalJSON(t *testing.T) {
	for in, want := range map[string]string{
		`{"a":"\u0041\/b","n":1.50e3}`: `{"a":"A/b","n":1.50e3}`,
		` ["x\"y", null] `:             `["x\"y",null]`,
		`"<&>"`:                        `"<&>"`,
	} {
		got, ok := canonicalJSON([]byte(in))
		if !ok || string(got) != want {
			t.Errorf("canonicalJSON(%s) = %s, %v; want %s", in, got, ok, want)
		}
	}
	for _, in := range []string{`{"a":1} {"b":2}`, `{"a":`, `nope`} {
		if _, ok := canonicalJSON([]byte(in)); ok {
			t.Errorf("canonicalJSON(%s) accepted", in)
		}
	}
}

// Two identical changes within one second are signed differently (a
// random x-ocp-request-id is signed with them), so a server that refuses
// replayed signatures takes both; reads carry no such id.
func TestIdenticalSignedChangesDiffer(t *testing.T) {
	var seen []string
	var mu sync.Mutex
	var ids []string
	srv := akskServer(t, &seen, &mu)
	wrapped := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ids = append(ids, r.Method+" "+r.Header.Get(RequestIDHeader))
		mu.Unlock()
		srv.Config.Handler.ServeHTTP(w, r)
	})
	c := newClient(t, wrapped.URL, akskAuth) // the fake clock stands still
	for range 2 {
		if _, err := c.RetryTask(ctx, 1); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.ListClusters(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 3 || seen[0] == seen[1] {
		t.Errorf("signatures %q: the two changes are alike", seen)
	}
	if len(ids) != 3 || len(ids[0]) != len("POST ")+24 || ids[0] == ids[1] || ids[2] != "GET " {
		t.Errorf("request ids %q", ids)
	}
}
