package remote_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocpserver"
	"github.com/obconsole/obconsole/backend/remote"
)

// bigFleet serves a generated cluster of 4 zones × 300 servers (about
// 550 KB as one list) and records the paths asked for.
func bigFleet(t *testing.T) (*httptest.Server, *embedded.Executor, func() []string) {
	t.Helper()
	ex, err := embedded.New(embedded.Options{Generate: &embedded.FleetSize{Clusters: 1, Zones: 4, ServersPerZone: 300},
		Clock: embedded.NewFakeClock(time.Date(2024, 4, 15, 9, 25, 2, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ex.Close)
	h := ocpserver.New(ocpserver.Config{Executor: ex, NoAuth: true})
	var mu sync.Mutex
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, ex, func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := paths
		paths = nil
		return out
	}
}

const cluster = 12000001

// A cluster's servers that do not fit one capped response are fetched
// zone by zone, each capped by what its zone holds; the same list comes
// back.
func TestBigClusterServersZoneByZone(t *testing.T) {
	srv, ex, paths := bigFleet(t)
	c := client(t, remote.Config{BaseURL: srv.URL, User: "admin", Password: "lists-pw-0815", MaxBodyBytes: 128 << 10})
	if _, err := c.ListClusters(t.Context()); err != nil {
		t.Fatal(err)
	}
	paths()
	got, err := c.ListServers(t.Context(), cluster, "")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ex.ListServers(t.Context(), cluster, "")
	if jsonOf(t, got) != jsonOf(t, want) {
		t.Errorf("servers zone by zone differ from the cluster's list:\n got %.300s\nwant %.300s", jsonOf(t, got), jsonOf(t, want))
	}
	asked := paths()
	if len(asked) != 4 || !strings.HasSuffix(asked[0], "/zones/zone1/servers") || !strings.HasSuffix(asked[3], "/zones/zone4/servers") {
		t.Errorf("asked %v, want the four zones' lists", asked)
	}
	zones, err := c.ListZones(t.Context(), cluster)
	if err != nil || len(zones) != 4 || len(zones[3].Servers) != 300 {
		t.Errorf("zones with their servers: %v", err)
	}
}

// A client that has not listed the clusters yet learns the cluster's size
// from the cluster list when the answer is too large for a list of
// unknown length, and asks again.
func TestUnknownClusterSizeIsLearnt(t *testing.T) {
	srv, _, paths := bigFleet(t)
	c := client(t, remote.Config{BaseURL: srv.URL, User: "admin", Password: "lists-pw-0815", MaxBodyBytes: 128 << 10})
	got, err := c.ListServers(t.Context(), cluster, "")
	if err != nil || len(got) != 1200 {
		t.Fatalf("%d servers: %v", len(got), err)
	}
	asked := strings.Join(paths(), " ")
	if !strings.HasPrefix(asked, "/api/v2/ob/clusters/12000001/servers /api/v2/ob/clusters ") || strings.Count(asked, "/zones/") != 4 {
		t.Errorf("asked %s", asked)
	}
}

// One object is still capped at MaxBodyBytes however large a list may be.
func TestOneObjectStaysCapped(t *testing.T) {
	srv, ex, _ := bigFleet(t)
	zone, err := ex.RestartZone(t.Context(), cluster, "zone1", backend.RestartOptions{}) // 1,510 steps
	if err != nil {
		t.Fatal(err)
	}
	c := client(t, remote.Config{BaseURL: srv.URL, User: "admin", Password: "lists-pw-0815", MaxBodyBytes: 128 << 10})
	if _, err := c.ListClusters(t.Context()); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetTask(t.Context(), zone.ID)
	if backend.KindOf(err) != backend.BadResponse || !strings.Contains(err.Error(), "larger than 131072 bytes") {
		t.Errorf("a task over the cap: %v", err)
	}
}
