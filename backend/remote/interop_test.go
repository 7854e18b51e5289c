package remote_test

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocpserver"
	"github.com/obconsole/obconsole/backend/remote"
)

// The remote executor against ocpserver serving the embedded fleet: what
// the contract suite (backend/executortest) cannot vary from outside.

func fleetServer(t *testing.T) (*httptest.Server, *embedded.Executor) {
	t.Helper()
	ex, err := embedded.New(embedded.Options{Clock: embedded.NewFakeClock(time.Date(2024, 4, 15, 9, 25, 2, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ex.Close)
	srv := httptest.NewServer(ocpserver.New(ocpserver.Config{
		Executor:   ex,
		Users:      map[string]string{"admin": "interop-pw"},
		AccessKeys: map[string]string{"AK-i": "interop-sk"},
	}))
	t.Cleanup(srv.Close)
	return srv, ex
}

func client(t *testing.T, cfg remote.Config) *remote.Executor {
	t.Helper()
	c, err := remote.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPagesOfOneThroughOCPServer(t *testing.T) {
	srv, ex := fleetServer(t)
	var debug strings.Builder
	c := client(t, remote.Config{BaseURL: srv.URL, User: "admin", Password: "interop-pw", PageSize: 1, DebugHTTP: &debug})
	got, err := c.ListClusters(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ex.ListClusters(t.Context())
	if jsonOf(t, got) != jsonOf(t, want) {
		t.Errorf("clusters one per page differ:\n got %s\nwant %s", jsonOf(t, got), jsonOf(t, want))
	}
	if n := strings.Count(debug.String(), "> GET /api/v2/ob/clusters?page="); n != len(want) {
		t.Errorf("%d page requests for %d clusters", n, len(want))
	}

	servers, _ := ex.ListServers(t.Context(), embedded.DemoPrimaryClusterID, "")
	for _, s := range servers[:3] {
		if _, err := ex.RestartServer(t.Context(), embedded.DemoPrimaryClusterID, s.ID, backend.RestartOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	tasks, err := c.ListTasks(t.Context(), backend.TaskFilter{})
	if err != nil {
		t.Fatal(err)
	}
	wantTasks, _ := ex.ListTasks(t.Context(), backend.TaskFilter{})
	if len(tasks) != 3 || jsonOf(t, tasks) != jsonOf(t, wantTasks) {
		t.Errorf("tasks one per page: %d, want the 3 the fleet holds, newest first", len(tasks))
	}
}

func TestOCPServerRejectsBadCredentialsAndSkewedDates(t *testing.T) {
	srv, _ := fleetServer(t)
	_, err := client(t, remote.Config{BaseURL: srv.URL, User: "admin", Password: "wrong"}).ListClusters(t.Context())
	var be *backend.Error
	if !errors.As(err, &be) || be.Kind != backend.Unauthorized || be.TraceID == "" || be.HTTP != 401 {
		t.Errorf("wrong password: %v", err)
	}
	if strings.Contains(err.Error(), "interop-pw") || strings.Contains(err.Error(), "wrong") {
		t.Errorf("error echoes a password: %v", err)
	}

	skewed := func(d time.Duration) remote.Config {
		return remote.Config{BaseURL: srv.URL, Auth: remote.AuthAKSK, AccessKeyID: "AK-i", AccessKeySecret: "interop-sk",
			Now: func() time.Time { return time.Now().Add(d) }}
	}
	if _, err := client(t, skewed(10*time.Minute)).ListClusters(t.Context()); err != nil {
		t.Errorf("a Date 10 minutes off is within the window: %v", err)
	}
	for _, d := range []time.Duration{20 * time.Minute, -20 * time.Minute} {
		_, err := client(t, skewed(d)).ListClusters(t.Context())
		if !errors.As(err, &be) || be.Kind != backend.Unauthorized || !strings.Contains(be.Message, "more than 15m") {
			t.Errorf("Date %v off: %v, want Unauthorized naming the 15 minutes", d, err)
		}
		if strings.Contains(err.Error(), "interop-sk") {
			t.Errorf("error echoes the secret: %v", err)
		}
	}
}
