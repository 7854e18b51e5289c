package taskview

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/keys"
)

// benchLayoutRender measures what one refresh costs at 120 columns: take a
// new answer (order, lanes, per-row text) and render the frame, with
// colour on as in a real terminal and a log tail in the detail pane.
//
// With cold set, every iteration starts from a new view, so nothing drawn
// before (styled statuses, gauges, the wrapped log) is reused: the first
// frame after opening the view.
func benchLayoutRender(b *testing.B, task *ocp.Task, cold bool) {
	prev := lipgloss.ColorProfile()
	lipgloss.SetColorProfile(termenv.ANSI256)
	b.Cleanup(func() { lipgloss.SetColorProfile(prev) })

	f := newFake(task)
	th := theme.New(theme.Options{Mode: theme.Dark})
	ctx := common.NewContext(f, th, keys.New(false), false, time.Second)
	ctx.Now = latest(task).Add(30 * time.Second)
	m := New(ctx, task.ID)
	m.SetSize(120, 37) // the console's content area at 120×40
	m.setTask(task)
	lines := make([]string, 40)
	for i := range lines {
		lines[i] = "2025-03-01 03:00:14.277 INFO  observer started, pid 45891, version 4.2.1.8"
	}
	m.log = logState{subtaskID: m.sel, loaded: true, text: strings.Join(lines, "\n")}
	if v := m.View(); !strings.Contains(v, "RUNNING") {
		b.Fatalf("bad frame:\n%s", v)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if cold {
			m = New(ctx, task.ID)
			m.SetSize(120, 37)
			m.setTask(task)
			m.log = logState{subtaskID: m.sel, loaded: true, text: strings.Join(lines, "\n")}
		} else {
			m.setTask(task)
		}
		_ = m.View()
	}
}

func BenchmarkLayoutRenderRestart11(b *testing.B) {
	benchLayoutRender(b, progress(restartTask(b), 4), false)
}

func BenchmarkLayoutRender1000(b *testing.B) {
	benchLayoutRender(b, bigTask(1000, 4), false)
}

func BenchmarkLayoutRenderRestart11Cold(b *testing.B) {
	benchLayoutRender(b, progress(restartTask(b), 4), true)
}

func BenchmarkLayoutRender1000Cold(b *testing.B) {
	benchLayoutRender(b, bigTask(1000, 4), true)
}
