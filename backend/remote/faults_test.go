package remote

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
)

const clustersPage = `{"contents":[{"id":1,"name":"a","status":"RUNNING"}],"page":{"number":1,"size":2000,"totalElements":1,"totalPages":1}}`

func TestGetRetries503TwiceThenSucceeds(t *testing.T) {
	var n atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 2 {
			apiError(w, 503, "503", "busy", "t-503")
			return
		}
		envelope(w, clustersPage)
	})
	c := newClient(t, srv.URL)
	cl, err := c.ListClusters(ctx)
	if err != nil || len(cl) != 1 {
		t.Fatalf("clusters %v, %v", cl, err)
	}
	if n.Load() != 3 {
		t.Errorf("server saw %d attempts, want 3", n.Load())
	}
	// Exponential backoff: 250ms then 500ms nominal; jitter 0.5 gives 1×.
	if w := c.sleeps.Waits(); !slices.Equal(w, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond}) {
		t.Errorf("waits %v, want [250ms 500ms]", w)
	}
}

func TestBackoffJitterBounds(t *testing.T) {
	for _, j := range []float64{0, 0.999999} {
		c := newClient(t, "http://127.0.0.1:1", func(c *Config) { c.Jitter = func() float64 { return j } })
		for n := 1; n <= 6; n++ {
			nominal := min(DefaultBackoff<<(n-1), MaxBackoff)
			got := c.backoff(n)
			if got < nominal/2 || got >= nominal*3/2 {
				t.Errorf("jitter %v retry %d: wait %v outside [%v, %v)", j, n, got, nominal/2, nominal*3/2)
			}
		}
	}
}

func TestGetGivesUpAfterThreeRetries(t *testing.T) {
	var n atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(502)
		_, _ = w.Write([]byte("<html>bad gateway</html>"))
	})
	c := newClient(t, srv.URL)
	_, err := c.GetTask(ctx, 1)
	be := wantKind(t, err, backend.Unavailable)
	if n.Load() != 4 || len(c.sleeps.Waits()) != 3 {
		t.Errorf("%d attempts, %d waits; want 4 and 3", n.Load(), len(c.sleeps.Waits()))
	}
	if be.HTTP != 502 || !strings.Contains(be.Message, "502") || be.OutcomeUnknown {
		t.Errorf("error %+v", be)
	}
}

func TestPostIsNeverRetried(t *testing.T) {
	calls := &counter{}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		calls.add(r)
		apiError(w, 503, "503", "OCP is restarting", "t-post")
	})
	c := newClient(t, srv.URL)
	_, err := c.RestartServer(ctx, 1, 2, backend.RestartOptions{})
	be := wantKind(t, err, backend.Unavailable)
	if got := calls.get("POST /api/v2/ob/clusters/1/servers/2/restart"); got != 1 {
		t.Errorf("POST sent %d times, want exactly 1", got)
	}
	if len(c.sleeps.Waits()) != 0 {
		t.Errorf("waited %v before a retry that must not happen", c.sleeps.Waits())
	}
	if be.OutcomeUnknown || be.Message != "OCP is restarting" || be.TraceID != "t-post" {
		t.Errorf("a 503 answer is a known outcome: %+v", be)
	}
}

func TestPostServerErrorsKnownAndUnknown(t *testing.T) {
	cases := []struct {
		name    string
		handler http.HandlerFunc
		unknown bool
	}{
		{"OCP's own 500 envelope", func(w http.ResponseWriter, r *http.Request) { apiError(w, 500, "500", "pre-check crashed", "t") }, false},
		{"503 from a balancer", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "no upstream", http.StatusServiceUnavailable)
		}, false},
		{"500 page from a crash", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		}, true},
		{"502 from a gateway", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "bad gateway", http.StatusBadGateway) }, true},
		{"504 envelope from a gateway", func(w http.ResponseWriter, r *http.Request) { apiError(w, 504, "504", "upstream timed out", "t") }, true},
	}
	for _, tc := range cases {
		srv := serve(t, tc.handler)
		c := newClient(t, srv.URL)
		_, err := c.RestartServer(ctx, 1, 2, backend.RestartOptions{})
		be := wantKind(t, err, backend.Unavailable)
		if be.OutcomeUnknown != tc.unknown {
			t.Errorf("%s: OutcomeUnknown %v, want %v (%v)", tc.name, be.OutcomeUnknown, tc.unknown, err)
		}
	}
}

func TestRateLimitResetIsWaitedOut(t *testing.T) {
	var n atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("RateLimit-Limit", "100")
			w.Header().Set("RateLimit-Remaining", "0")
			w.Header().Set("RateLimit-Reset", "7")
			apiError(w, 429, "429", "too many requests", "t-429")
			return
		}
		envelope(w, clustersPage)
	})
	c := newClient(t, srv.URL)
	if _, err := c.ListClusters(ctx); err != nil {
		t.Fatal(err)
	}
	if w := c.sleeps.Waits(); !slices.Equal(w, []time.Duration{7 * time.Second}) {
		t.Errorf("waits %v, want exactly the 7s of RateLimit-Reset", w)
	}
}

func TestRateLimitTooLongIsReturned(t *testing.T) {
	var n atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("RateLimit-Reset", "600")
		apiError(w, 429, "429", "slow down", "t-429")
	})
	c := newClient(t, srv.URL)
	_, err := c.ListClusters(ctx)
	be := wantKind(t, err, backend.RateLimited)
	if be.RetryAfter != 600 || n.Load() != 1 || len(c.sleeps.Waits()) != 0 {
		t.Errorf("RetryAfter %d after %d attempts and waits %v; want 600, 1, none", be.RetryAfter, n.Load(), c.sleeps.Waits())
	}
	// A POST that is rate limited is not retried either.
	_, err = c.RetryTask(ctx, 1)
	wantKind(t, err, backend.RateLimited)
}

func TestRateLimitWaitForms(t *testing.T) {
	now := time.Date(2024, 4, 15, 9, 25, 2, 0, time.UTC)
	cases := []struct {
		h    http.Header
		want time.Duration
	}{
		{http.Header{"Ratelimit-Reset": {"3"}}, 3 * time.Second},
		{http.Header{"Ratelimit-Reset": {"0.5"}}, 500 * time.Millisecond},
		{http.Header{"Ratelimit-Reset": {"1713173112"}}, 10 * time.Second}, // absolute Unix time
		{http.Header{"Retry-After": {"4"}}, 4 * time.Second},
		{http.Header{"Retry-After": {"Mon, 15 Apr 2024 09:25:12 GMT"}}, 10 * time.Second},
		{http.Header{"Ratelimit-Reset": {"soon"}}, 0},
		{http.Header{}, 0},
	}
	for _, c := range cases {
		if got := rateLimitWait(c.h, now); got != c.want {
			t.Errorf("%v: %v, want %v", c.h, got, c.want)
		}
	}
}

func TestSlowServerHitsTheTimeout(t *testing.T) {
	var n atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		<-r.Context().Done() // never answers
	})
	c := newClient(t, srv.URL, func(c *Config) { c.Timeout = 50 * time.Millisecond; c.Retries = -1 })
	start := time.Now()
	_, err := c.ListClusters(ctx)
	took := time.Since(start)
	be := wantKind(t, err, backend.Unavailable)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(be.Message, "no response within 50ms") {
		t.Errorf("timeout error %v", err)
	}
	if took > 5*time.Second {
		t.Errorf("a 50ms timeout took %v", took)
	}
	if n.Load() != 1 {
		t.Errorf("%d attempts with retries off", n.Load())
	}
}

func TestSlowGetIsRetriedEachWithItsTimeout(t *testing.T) {
	var n atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			<-r.Context().Done()
			return
		}
		envelope(w, clustersPage)
	})
	c := newClient(t, srv.URL, func(c *Config) { c.Timeout = 50 * time.Millisecond })
	if _, err := c.ListClusters(ctx); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 2 {
		t.Errorf("%d attempts, want 2", n.Load())
	}
}

func TestPostTimeoutIsOutcomeUnknown(t *testing.T) {
	calls := &counter{}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		calls.add(r)
		_, _ = io.ReadAll(r.Body) // after the body, the server notices the client leaving
		<-r.Context().Done()
	})
	c := newClient(t, srv.URL, func(c *Config) { c.Timeout = 50 * time.Millisecond })
	_, err := c.RestartServer(ctx, 1, 2, backend.RestartOptions{Force: true})
	be := wantKind(t, err, backend.Unavailable)
	if !be.OutcomeUnknown || !strings.Contains(err.Error(), "outcome unknown") {
		t.Errorf("a POST without an answer must say its outcome is unknown: %v", err)
	}
	if got := calls.get("POST /api/v2/ob/clusters/1/servers/2/restart"); got != 1 {
		t.Errorf("POST sent %d times", got)
	}
}

func TestPostConnectionLostAfterSendingIsOutcomeUnknown(t *testing.T) {
	calls := &counter{}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		calls.add(r)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		_ = conn.Close()
	})
	c := newClient(t, srv.URL)
	err := c.SkipSubtask(ctx, 1, 2)
	be := wantKind(t, err, backend.Unavailable)
	if !be.OutcomeUnknown || calls.get("POST /api/v2/tasks/instances/1/subtasks/2/skip") != 1 {
		t.Errorf("lost connection: %+v, sent %d times", be, calls.get("POST /api/v2/tasks/instances/1/subtasks/2/skip"))
	}
	// A GET that loses its connection is retried.
	_, err = c.GetTask(ctx, 1)
	wantKind(t, err, backend.Unavailable)
	if got := calls.get("GET /api/v2/tasks/instances/1"); got != 4 {
		t.Errorf("GET attempts %d, want 4", got)
	}
}

func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr
}

func TestConnectionRefused(t *testing.T) {
	c := newClient(t, closedPort(t))
	_, err := c.ListClusters(ctx)
	be := wantKind(t, err, backend.Unavailable)
	if !strings.Contains(be.Message, "cannot connect") || len(c.sleeps.Waits()) != 3 {
		t.Errorf("refused GET: %v after waits %v", err, c.sleeps.Waits())
	}
	_, err = c.RestartServer(ctx, 1, 2, backend.RestartOptions{})
	be = wantKind(t, err, backend.Unavailable)
	if be.OutcomeUnknown || !strings.Contains(be.Message, "not sent") {
		t.Errorf("a refused POST never reached the server: %v", err)
	}
}

func TestContextCancel(t *testing.T) {
	started := make(chan struct{}, 1)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		started <- struct{}{}
		<-r.Context().Done()
	})
	c := newClient(t, srv.URL)
	cctx, cancel := context.WithCancel(ctx)
	go func() { <-started; cancel() }()
	_, err := c.ListClusters(cctx)
	wantKind(t, err, backend.Canceled)
	if !errors.Is(err, context.Canceled) || len(c.sleeps.Waits()) != 0 {
		t.Errorf("cancel: %v, waits %v", err, c.sleeps.Waits())
	}

	// Canceled while a POST is in flight: it may have been applied.
	cctx, cancel = context.WithCancel(ctx)
	go func() { <-started; cancel() }()
	_, err = c.RestartServer(cctx, 1, 2, backend.RestartOptions{})
	be := wantKind(t, err, backend.Canceled)
	if !be.OutcomeUnknown {
		t.Errorf("a POST canceled after sending: %+v", be)
	}

	// Already canceled: nothing is sent.
	done, cancel := context.WithCancel(ctx)
	cancel()
	_, err = c.RestartServer(done, 1, 2, backend.RestartOptions{})
	be = wantKind(t, err, backend.Canceled)
	if be.OutcomeUnknown || len(started) != 0 {
		t.Errorf("pre-canceled POST: %+v, server reached: %v", be, len(started) != 0)
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { apiError(w, 503, "1", "down", "") })
	cctx, cancel := context.WithCancel(ctx)
	c := newClient(t, srv.URL, func(c *Config) {
		c.Sleep = func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() }
	})
	_, err := c.ListClusters(cctx)
	wantKind(t, err, backend.Canceled)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "down") {
		t.Errorf("cancel in backoff: %v", err)
	}
}

func TestGarbageBody(t *testing.T) {
	var n atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html><body>Login</body></html>"))
	})
	c := newClient(t, srv.URL)
	_, err := c.ListClusters(ctx)
	be := wantKind(t, err, backend.BadResponse)
	if n.Load() != 1 || !strings.Contains(be.Message, "not an OCP response") || !strings.Contains(be.Message, "text/html") {
		t.Errorf("garbage: %v after %d attempts", err, n.Load())
	}
	// The same garbage after a POST: it was received, so its effect is unknown.
	_, err = c.RestartServer(ctx, 1, 2, backend.RestartOptions{})
	if be := wantKind(t, err, backend.BadResponse); !be.OutcomeUnknown {
		t.Errorf("POST with garbage answer: %+v", be)
	}
	// JSON that is an envelope but whose data is not a task.
	srv2 := serve(t, func(w http.ResponseWriter, r *http.Request) { envelope(w, `[1,2,3]`) })
	c2 := newClient(t, srv2.URL)
	_, err = c2.GetTask(ctx, 1)
	wantKind(t, err, backend.BadResponse)
}

func TestOversizedBody(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":{"contents":[],"pad":"`))
		chunk := []byte(strings.Repeat("x", 1<<20))
		for range 17 { // 17 MiB > 16 MiB
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		_, _ = w.Write([]byte(`"},"successful":true,"status":200}`))
	})
	c := newClient(t, srv.URL)
	_, err := c.ListClusters(ctx)
	be := wantKind(t, err, backend.BadResponse)
	if !strings.Contains(be.Message, "larger than 16777216 bytes") {
		t.Errorf("oversized: %v", err)
	}
}

func TestStatusKindsWithMessageAndTrace(t *testing.T) {
	cases := []struct {
		status int
		kind   backend.Kind
	}{
		{401, backend.Unauthorized}, {403, backend.Forbidden}, {404, backend.NotFound},
		{409, backend.Conflict}, {400, backend.BadRequest}, {500, backend.Unavailable},
	}
	for _, tc := range cases {
		srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
			apiError(w, tc.status, "60018", "server says "+http.StatusText(tc.status), "trace-"+http.StatusText(tc.status))
		})
		c := newClient(t, srv.URL, func(c *Config) { c.Retries = -1 })
		_, err := c.RestartServer(ctx, 1, 2, backend.RestartOptions{})
		be := wantKind(t, err, tc.kind)
		if be.HTTP != tc.status || be.Message != "server says "+http.StatusText(tc.status) ||
			be.TraceID != "trace-"+http.StatusText(tc.status) || be.Code != "60018" || be.Op != "restart server 2" {
			t.Errorf("%d: %+v", tc.status, be)
		}
		if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), be.TraceID) {
			t.Errorf("%d: error text %q", tc.status, err)
		}
	}
}

func TestUnsuccessfulEnvelopeWith200(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"successful":false,"status":409,"traceId":"t-x","error":{"code":"TASK_RUNNING","message":"a task is running"}}`))
	})
	c := newClient(t, srv.URL)
	_, err := c.RetryTask(ctx, 1)
	be := wantKind(t, err, backend.Conflict)
	if be.Message != "a task is running" || be.TraceID != "t-x" || be.HTTP != 409 {
		t.Errorf("%+v", be)
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://ocp.example/login", http.StatusFound)
	})
	c := newClient(t, srv.URL)
	_, err := c.ListClusters(ctx)
	be := wantKind(t, err, backend.BadResponse)
	if !strings.Contains(be.Message, "https://ocp.example/login") {
		t.Errorf("redirect: %v", err)
	}
}
