package taskview

import (
	"strconv"
	"strings"
	"time"

	"github.com/obconsole/obconsole/theme"
)

// now is the backend's time: the latest tick, or the latest answer when
// that is newer (before the first tick, or when ticks lag). A stale view's
// clocks stop at its last good answer: what it shows is as of then, and a
// step it last saw running may not run any more.
func (m *Model) now() time.Time {
	if m.Stale() || m.ctx.Now.Before(m.at) {
		return m.at
	}
	return m.ctx.Now
}

// plan splits the height: header, banners, the column header, the graph
// rows and the detail pane. The graph gets every row it needs while the
// detail pane keeps about a third of what is left (at most 8 lines); with
// the log enlarged (l) the graph keeps three rows around the selection.
type plan struct {
	header, banners, colHeader, graph, detail int
}

func (m *Model) plan() plan {
	h := m.height
	p := plan{header: 1, banners: len(m.banners())}
	if h >= 8 {
		p.header = 2
	}
	rest := max(h-p.header-p.banners, 0)
	if rest >= 10 {
		p.colHeader = 1
		rest--
	}
	n := len(m.rows)
	p.graph = min(n, rest-min(rest/3, 8))
	if m.bigLog {
		p.graph = min(n, 3, rest)
	}
	if rest > 0 && n > 0 {
		p.graph = max(p.graph, 1)
	}
	p.detail = rest - p.graph
	return p
}

func (m *Model) graphHeight() int { return m.plan().graph }

// clampOffset keeps row sel inside a window of h rows starting at off.
func clampOffset(off, sel, h, n int) int {
	if h <= 0 || n <= h {
		return 0
	}
	if sel >= 0 {
		if sel < off {
			off = sel
		}
		if sel >= off+h {
			off = sel - h + 1
		}
	}
	return min(max(off, 0), n-h)
}

func (m *Model) scrollToSelection() {
	m.offset = clampOffset(m.offset, m.selectedRow(), m.graphHeight(), len(m.rows))
}

// View renders the view into exactly its area. Pure: reads the model, the
// size and ctx.Now only.
func (m *Model) View() string {
	w, h := m.width, m.height
	if w <= 0 || h <= 0 {
		return ""
	}
	th := m.ctx.Theme
	f := &frame{lines: make([]string, 0, h), widths: make([]int, 0, h)}
	id := strconv.FormatInt(m.taskID, 10)
	if m.task == nil {
		f.add(m.p.title.s(th.Truncate("Task "+id, w)), -1)
		if m.err != nil {
			f.add(m.p.error.s(th.Truncate(th.Icon(theme.ToneError)+" "+m.ctx.ErrorText(m.err), w)), -1)
		} else {
			f.add(m.p.muted.s(th.Truncate("loading task "+id+th.Glyphs.Ellipsis, w)), -1)
		}
		return f.string(w, h)
	}
	now := m.now()
	p := m.plan()
	m.header(f, w, p.header, now)
	for _, b := range m.banners() {
		f.add(m.bannerLine(b, w, now), -1)
	}
	cols := layoutColumns(th, w, m.graphWidth(), m.nameW, m.serverW, m.statusW)
	if p.colHeader > 0 {
		f.add(m.columnHeader(cols), -1)
	}
	sel := m.selectedRow()
	off := clampOffset(m.offset, sel, p.graph, len(m.rows))
	stale := m.Stale()
	var b strings.Builder
	for r := off; r < off+p.graph && r < len(m.rows); r++ {
		b.Reset()
		lw := m.rowLine(&b, r, r == sel, stale, cols, w, now)
		f.add(b.String(), lw)
	}
	if p.detail > 0 {
		m.detail(f, w, p.detail, off, p.graph, now)
	}
	return f.string(w, h)
}

// graphWidth is the lane columns the graph needs: one (left blank) when
// the answer sent no edges.
func (m *Model) graphWidth() int {
	if m.noEdges {
		return 1
	}
	return m.graph.Width
}
