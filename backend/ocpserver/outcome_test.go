package ocpserver_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/ocpserver"
	"github.com/obconsole/obconsole/backend/remote"
)

// lostAnswer is an executor in front of another OCP whose restart was sent
// but never answered (as the remote executor reports it).
type lostAnswer struct {
	backend.Executor
	calls atomic.Int32
}

func (l *lostAnswer) Now() time.Time { return start }

func (l *lostAnswer) RestartServer(context.Context, int64, int64, backend.RestartOptions) (*ocp.Task, error) {
	l.calls.Add(1)
	return nil, &backend.Error{Kind: backend.Unavailable, Op: "restart server 2", Message: "no response within 10s", OutcomeUnknown: true}
}

func TestUnknownOutcomeIsAGatewayTimeoutAndStaysUnknown(t *testing.T) {
	ex := &lostAnswer{}
	srv := httptest.NewServer(ocpserver.New(ocpserver.Config{Executor: ex, Users: map[string]string{"admin": "pw"}}))
	t.Cleanup(srv.Close)

	resp, err := http.Post(srv.URL+"/api/v2/ob/clusters/1/servers/2/restart", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unauthenticated POST: HTTP %d, want 401", resp.StatusCode)
	}

	client, err := remote.New(remote.Config{BaseURL: srv.URL, User: "admin", Password: "pw"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	_, err = client.RestartServer(t.Context(), 1, 2, backend.RestartOptions{})
	var be *backend.Error
	if !errors.As(err, &be) || be.HTTP != http.StatusGatewayTimeout || !be.OutcomeUnknown || be.Kind != backend.Unavailable {
		t.Fatalf("restart through ocpserver: %#v, want 504, Unavailable, outcome unknown", err)
	}
	if !strings.Contains(be.Message, "no response within 10s") || be.TraceID == "" {
		t.Errorf("message %q trace %q", be.Message, be.TraceID)
	}
	if n := ex.calls.Load(); n != 1 {
		t.Errorf("the executor was asked %d times, want once", n)
	}
}
