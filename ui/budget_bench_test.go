package ui

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocpserver"
	"github.com/obconsole/obconsole/backend/remote"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/keys"
	"github.com/obconsole/obconsole/ui/servers"
)

// countingWriter counts the bytes of a response.
type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w countingWriter) Write(b []byte) (int, error) {
	w.n.Add(int64(len(b)))
	return w.ResponseWriter.Write(b)
}

// BenchmarkIdle10kOverOCPURL is the console idle on the all-servers list
// of a 10,002-server cluster read from a real OCP API over HTTP (the
// embedded fleet served by obconsole serve's handler, read by --ocp-url's
// client), for ten minutes of one-second ticks: it reports the bytes of
// OCP's answers per second ("B/s", target ≤ 64 KB/s) and the wall time
// of both ends per second of console ("ns/s", a bound on the console's
// CPU: target ≤ 5 % of a core, 5e7 ns/s).
func BenchmarkIdle10kOverOCPURL(b *testing.B) {
	clock := embedded.NewFakeClock(time.Now())
	emb, err := embedded.New(embedded.Options{Clock: clock, Seed: 1, Fleet: embedded.GenerateFleet(1, 3, 3334)})
	if err != nil {
		b.Fatal(err)
	}
	defer emb.Close()
	var bytes atomic.Int64
	h := ocpserver.New(ocpserver.Config{Executor: emb, NoAuth: true})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(countingWriter{ResponseWriter: w, n: &bytes}, r)
	}))
	defer srv.Close()
	client, err := remote.New(remote.Config{BaseURL: srv.URL, User: "admin", Password: "pw"})
	if err != nil {
		b.Fatal(err)
	}
	const seconds = 600
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ctx := common.NewContext(client, theme.New(theme.Options{Mode: theme.Dark}), keys.New(false), false, time.Second)
		clusters, err := client.ListClusters(ctx.Lifetime)
		if err != nil {
			b.Fatal(err)
		}
		m := New(ctx, Options{First: servers.New(ctx, clusters[0], ""), Schedule: func(time.Duration, func() tea.Msg) tea.Cmd { return nil }})
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		settle(m, m.Init())
		bytes.Store(0)
		start := time.Now()
		for s := 0; s < seconds; s++ {
			clock.Advance(time.Second)
			settle(m, func() tea.Msg { return common.TickMsg{Now: clock.Now()} })
			if s%10 == 9 {
				settle(m, func() tea.Msg { return backgroundTickMsg{} })
			}
			_ = m.View()
		}
		b.ReportMetric(float64(bytes.Load())/seconds, "B/s")
		b.ReportMetric(float64(time.Since(start).Nanoseconds())/seconds, "ns/s")
	}
}
