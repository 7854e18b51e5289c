package ui

import (
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

func benchFilterKeystroke(b *testing.B, sorted bool) {
	f := commontest.NewFleet(10000)
	th := theme.New(theme.Options{Mode: theme.Dark})
	ctx := common.NewContext(f, th, keys.New(false), false, time.Second)
	clusters, _ := f.ListClusters(ctx.Lifetime)
	m := New(ctx, Options{
		First:    servers.New(ctx, clusters[0], ""),
		Schedule: func(time.Duration, func() tea.Msg) tea.Cmd { return nil },
	})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	settle(m, m.Init())
	if got := m.Top().(*servers.Model).Table.Len(); got != 10000 {
		b.Fatalf("%d rows", got)
	}
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

// BenchmarkRefresh10k measures taking in one refresh of a 10,000-server
// list in which one server changed status (rows, search text, column
// widths rebuilt) and drawing the frame.
func BenchmarkRefresh10k(b *testing.B) {
	f := commontest.NewFleet(10000)
	th := theme.New(theme.Options{Mode: theme.Dark})
	ctx := common.NewContext(f, th, keys.New(false), false, time.Second)
	clusters, _ := f.ListClusters(ctx.Lifetime)
	list, _ := f.ListServers(ctx.Lifetime, clusters[0].ID, "")
	s := servers.New(ctx, clusters[0], "")
	s.SetSize(120, 37)
	b.ReportAllocs()
	b.ResetTimer()
	statuses := []ocp.ServerStatus{ocp.ServerRunning, ocp.ServerRestarting}
	for i := 0; i < b.N; i++ {
		next := append([]ocp.Server(nil), list...)
		next[5000].Status = statuses[i%2]
		s.SetServers(next)
		_ = s.View()
	}
}

// BenchmarkRefreshUnchanged10k is the common case: a refresh of a
// 10,000-server list where nothing changed.
func BenchmarkRefreshUnchanged10k(b *testing.B) {
	f := commontest.NewFleet(10000)
	ctx := common.NewContext(f, theme.Default(), nil, false, time.Second)
	clusters, _ := f.ListClusters(ctx.Lifetime)
	list, _ := f.ListServers(ctx.Lifetime, clusters[0].ID, "")
	s := servers.New(ctx, clusters[0], "")
	s.SetSize(120, 37)
	s.SetServers(list)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.SetServers(append([]ocp.Server(nil), list...))
		_ = s.View()
	}
}

// BenchmarkSortKeystroke10k measures one sort keystroke (> or <) on a
// 10,000-server list to the new frame: every row sorted again.
// Target: ≤ 16 ms.
func BenchmarkSortKeystroke10k(b *testing.B) {
	f := commontest.NewFleet(10000)
	th := theme.New(theme.Options{Mode: theme.Dark})
	ctx := common.NewContext(f, th, keys.New(false), false, time.Second)
	clusters, _ := f.ListClusters(ctx.Lifetime)
	m := New(ctx, Options{
		First:    servers.New(ctx, clusters[0], ""),
		Schedule: func(time.Duration, func() tea.Msg) tea.Cmd { return nil },
	})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	settle(m, m.Init())
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
