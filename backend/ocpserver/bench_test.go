package ocpserver_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocpserver"
)

// BenchmarkServeServers is serve's work for one list of 10,000 servers
// (one zone of a generated cluster): the executor's copy, the encoding,
// the write.
func BenchmarkServeServers(b *testing.B) {
	size := embedded.FleetSize{Clusters: 1, Zones: 2, ServersPerZone: 10000}
	ex, err := embedded.New(embedded.Options{Generate: &size, Clock: embedded.NewFakeClock(time.Date(2024, 4, 15, 9, 25, 2, 0, time.UTC))})
	if err != nil {
		b.Fatal(err)
	}
	defer ex.Close()
	h := ocpserver.New(ocpserver.Config{Executor: ex, NoAuth: true})
	req := httptest.NewRequest(http.MethodGet, "/api/v2/ob/clusters/12000001/zones/zone1/servers", nil)
	b.ReportAllocs()
	for range b.N {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
		b.SetBytes(int64(rec.Body.Len()))
	}
}
