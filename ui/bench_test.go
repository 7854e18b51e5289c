package ui

import (
	"runtime"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/common/commontest"
	"github.com/obconsole/obconsole/ui/keys"
	"github.com/obconsole/obconsole/ui/servers"
)

// settle runs cmds synchronously until none are left (no timers: the
// root's Schedule returns nil).
func settle(m *Model, cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil, tea.QuitMsg:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		default:
			_, next := m.Update(msg)
			queue = append(queue, next)
		}
	}
}

// BenchmarkFilterKeystroke10k measures one filter keystroke on a
// 10,000-server list, from the key press to the new frame at 120×40:
// the root's Update (filter over every row) plus the whole View.
// Target: ≤ 16 ms.
func BenchmarkFilterKeystroke10k(b *testing.B) { benchFilterKeystroke(b, false) }

// BenchmarkFilterKeystroke10kSorted is the same keystroke on the list
// sorted by address: the filter walks the sorted order, it does not sort.
// Target: ≤ 16 ms.
func BenchmarkFilterKeystroke10kSorted(b *testing.B) { benchFilterKeystroke(b, true) }

// BenchmarkFilterKeystroke100k is the keystroke on a 100,000-server
// list. Target: ≤ 16 ms.
func BenchmarkFilterKeystroke100k(b *testing.B) { benchFilterKeystrokeOf(b, 100000, false) }

func benchFilterKeystroke(b *testing.B, sorted bool) { benchFilterKeystrokeOf(b, 10000, sorted) }

func benchFilterKeystrokeOf(b *testing.B, n int, sorted bool) {
	m := bigList(b, commontest.NewFleet(n), n)
	if sorted {
		m.Update(keyMsg(">"))
		m.Update(keyMsg("I"))
	}
	m.Update(keyMsg("/"))
	// A realistic cycle: narrow down to one address, then back out.
	typed := []tea.KeyMsg{keyMsg("1"), keyMsg("0"), keyMsg("."), keyMsg("0"), keyMsg("."), keyMsg("3"), keyMsg("9")}
	var cycle []tea.KeyMsg
	cycle = append(cycle, typed...)
	for range typed {
		cycle = append(cycle, keyMsg("backspace"))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Update(cycle[i%len(cycle)])
		if len(m.View()) == 0 {
			b.Fatal("empty frame")
		}
	}
}

// BenchmarkRefresh10k measures taking in one refresh (ctrl+r) of a
// 10,000-server list in which one server changed status (read through the
// store, rows, search text and column widths rebuilt) and drawing the
// frame.
func BenchmarkRefresh10k(b *testing.B) { benchRefresh(b, true) }

// BenchmarkRefreshUnchanged10k is the common case: a refresh of a
// 10,000-server list where nothing changed (the store compares; no row is
// rebuilt).
func BenchmarkRefreshUnchanged10k(b *testing.B) { benchRefresh(b, false) }

func benchRefresh(b *testing.B, change bool) {
	f := commontest.NewFleet(10000)
	m := bigList(b, f, 10000)
	statuses := []ocp.ServerStatus{ocp.ServerRunning, ocp.ServerRestarting}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if change {
			f.SetServerStatus(5000, statuses[i%2])
		}
		settle(m, func() tea.Msg { return keyMsg("ctrl+r") })
		_ = m.View()
	}
}

// bigList is the console at 120×40 on the all-servers list of f's one
// cluster, loaded.
func bigList(b *testing.B, f *commontest.Fake, n int) *Model {
	th := theme.New(theme.Options{Mode: theme.Dark})
	ctx := common.NewContext(f, th, keys.New(false), false, time.Second)
	clusters, _ := f.ListClusters(ctx.Lifetime)
	m := New(ctx, Options{
		First:    servers.New(ctx, clusters[0], ""),
		Schedule: func(time.Duration, func() tea.Msg) tea.Cmd { return nil },
	})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	settle(m, m.Init())
	if got := m.Top().(*servers.Model).Table.Len(); got != n {
		b.Fatalf("%d rows", got)
	}
	return m
}

// BenchmarkSortKeystroke10k measures one sort keystroke (> or <) on a
// 10,000-server list to the new frame: every row sorted again.
// Target: ≤ 16 ms.
func BenchmarkSortKeystroke10k(b *testing.B) {
	m := bigList(b, commontest.NewFleet(10000), 10000)
	cycle := []tea.KeyMsg{keyMsg(">"), keyMsg(">"), keyMsg(">"), keyMsg("I"), keyMsg("<")}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Update(cycle[i%len(cycle)])
		if len(m.View()) == 0 {
			b.Fatal("empty frame")
		}
	}
}

// BenchmarkResident100k measures what the console keeps in memory for a
// 100,000-server list it shows (the store's answer, the rows, their search
// text, the names it learnt), per server, as "B/server" (the backend's
// own fleet not counted). Target: ≤ 1 KB.
func BenchmarkResident100k(b *testing.B) {
	const n = 100000
	for i := 0; i < b.N; i++ {
		f := commontest.NewFleet(n)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		m := bigList(b, f, n)
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "B/server")
		runtime.KeepAlive(m)
	}
}
