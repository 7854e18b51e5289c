package remote_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocpserver"
	"github.com/obconsole/obconsole/backend/remote"
)

// BenchmarkListServers is one refresh of a big cluster's server list
// through the remote executor and obconsole serve (over httptest): the
// bytes on the wire, serve's time per op (in its handler, both CPUs
// shared with the client), and the client's allocations.
//
//	go test -run XXX -bench ListServers -benchmem ./backend/remote/
func BenchmarkListServers(b *testing.B) {
	for _, perZone := range []int{1000, 10000} {
		size := embedded.FleetSize{Clusters: 1, Zones: 10, ServersPerZone: perZone}
		b.Run(size.String(), func(b *testing.B) {
			ex, err := embedded.New(embedded.Options{Generate: &size, Clock: embedded.NewFakeClock(time.Date(2024, 4, 15, 9, 25, 2, 0, time.UTC))})
			if err != nil {
				b.Fatal(err)
			}
			defer ex.Close()
			h := ocpserver.New(ocpserver.Config{Executor: ex, Users: map[string]string{"admin": "bench-pw-4711"}})
			var wire, serving atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				start := time.Now()
				h.ServeHTTP(countingWriter{w, &wire}, r)
				serving.Add(int64(time.Since(start)))
			}))
			defer srv.Close()
			c, err := remote.New(remote.Config{BaseURL: srv.URL, User: "admin", Password: "bench-pw-4711"})
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			if _, err := c.ListClusters(b.Context()); err != nil {
				b.Fatal(err)
			}
			wire.Store(0)
			serving.Store(0)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				servers, err := c.ListServers(b.Context(), 12000001, "")
				if err != nil || len(servers) != size.Servers() {
					b.Fatalf("%d servers: %v", len(servers), err)
				}
			}
			b.ReportMetric(float64(wire.Load())/float64(b.N), "wire-B/op")
			b.ReportMetric(float64(serving.Load())/float64(b.N)/1e6, "serve-ms/op")
		})
	}
}

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w countingWriter) Write(p []byte) (int, error) {
	w.n.Add(int64(len(p)))
	return w.ResponseWriter.Write(p)
}
