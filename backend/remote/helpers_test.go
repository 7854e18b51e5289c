package remote

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
)

const (
	testUser     = "admin"
	testPassword = "pa55-W0rd:with-colon"
	testAKID     = "AKID-4711"
	testAKSecret = "sk-5ecret-never-shown"
)

var ctx = context.Background()

// fakeClock is the local clock the client reads (Config.Now).
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2024, 4, 15, 9, 25, 2, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// sleeper records the waits between retries instead of sleeping.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeper) Waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

type testClient struct {
	*Executor
	sleeps *sleeper
	clock  *fakeClock
	debug  *syncBuffer
}

// newClient builds a Basic-auth client of srvURL with recorded sleeps, a
// fake local clock and a debug buffer; mod adjusts the Config.
func newClient(t *testing.T, srvURL string, mod ...func(*Config)) *testClient {
	t.Helper()
	tc := &testClient{sleeps: &sleeper{}, clock: newFakeClock(), debug: &syncBuffer{}}
	cfg := Config{
		BaseURL:   srvURL,
		User:      testUser,
		Password:  testPassword,
		Timeout:   5 * time.Second,
		DebugHTTP: tc.debug,
		Now:       tc.clock.Now,
		Sleep:     tc.sleeps.Sleep,
		Jitter:    func() float64 { return 0.5 },
	}
	for _, m := range mod {
		m(&cfg)
	}
	ex, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = ex.Close() })
	tc.Executor = ex
	return tc
}

func akskAuth(c *Config) {
	c.Auth = AuthAKSK
	c.User, c.Password = "", ""
	c.AccessKeyID, c.AccessKeySecret = testAKID, testAKSecret
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// envelope writes a successful OCP response around data (raw JSON).
func envelope(w http.ResponseWriter, data string) {
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"data":%s,"successful":true,"timestamp":"2024-04-15T17:25:02.5+08:00","duration":3,"status":200,"traceId":"trace-ok","server":"10.0.0.1"}`, data)
}

// apiError writes a failed OCP response; code is raw JSON (a number or a string).
func apiError(w http.ResponseWriter, status int, code, message, trace string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	msg, _ := json.Marshal(message)
	fmt.Fprintf(w, `{"successful":false,"status":%d,"timestamp":"2024-04-15T17:25:02+08:00","duration":1,"traceId":%q,"server":"10.0.0.1","error":{"code":%s,"message":%s}}`,
		status, trace, code, msg)
}

// counter counts requests per "METHOD path".
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) add(r *http.Request) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	k := r.Method + " " + r.URL.Path
	c.n[k]++
	return c.n[k]
}

func (c *counter) get(k string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[k]
}

func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func wantKind(t *testing.T, err error, kind backend.Kind) *backend.Error {
	t.Helper()
	var be *backend.Error
	if !errors.As(err, &be) {
		t.Fatalf("error %v (%T), want *backend.Error of kind %v", err, err, kind)
	}
	if be.Kind != kind {
		t.Fatalf("error %v: kind %v, want %v", err, be.Kind, kind)
	}
	return be
}

// noSecrets fails when s holds any test secret or the Basic credential.
func noSecrets(t *testing.T, what, s string) {
	t.Helper()
	for _, secret := range []string{testPassword, testAKSecret, "YWRtaW46cGE1NS1XMHJkOndpdGgtY29sb24="} {
		if strings.Contains(s, secret) {
			t.Errorf("%s contains the secret %q:\n%s", what, secret, s)
		}
	}
}
