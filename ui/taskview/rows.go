package taskview

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
)

// rowData is what a row shows that does not change with the clock,
// prepared once per answer so a frame only formats times.
type rowData struct {
	status   *styledStatus
	name     string // cut to nothing yet: the width decides
	nameW    int
	server   string // the server a per-server step acts on ("" for none): never cut
	serverW  int
	attempts string
	attW     int
	limit    string
}

// styledStatus is a status's icon and word in its tone, with widths.
type styledStatus struct {
	word, icon   string
	wordW, iconW int
}

func (m *Model) buildRows() []rowData {
	rows := make([]rowData, len(m.graph.Rows))
	th := m.ctx.Theme
	m.nameW, m.serverW = 0, 0
	m.statusW = th.StatusWidth(theme.SubjectSubtask)
	for r := range m.graph.Rows {
		s := m.step(r)
		d := &rows[r]
		d.status = m.stepStatus(s)
		m.statusW = max(m.statusW, d.status.wordW)
		d.name = safetext.Line(s.Name)
		d.nameW = textWidth(d.name)
		if id, ok := stepServer(m.task, s); ok {
			d.server = m.serverName(id)
			d.serverW = textWidth(d.server)
			m.serverW = max(m.serverW, textWidth(m.ctx.Theme.Glyphs.Bullet)+d.serverW)
		}
		d.attempts = attempts(th, s)
		d.attW = textWidth(d.attempts)
		d.limit = timeoutText(th, s)
		want := d.nameW
		if d.server != "" {
			want += textWidth(m.ctx.Theme.Glyphs.Bullet) + d.serverW
		}
		m.nameW = max(m.nameW, want)
	}
	return rows
}

// stepStatus styles a step's shown state (ocp.Subtask.Outcome: SKIPPED,
// ROLLED BACK… rather than SUCCESSFUL, PENDING) once per view: there are
// few. A step the backend last showed running, in a task now gone from
// it, is not known to run any more: UNKNOWN.
func (m *Model) stepStatus(s *ocp.Subtask) *styledStatus {
	key := string(s.Outcome())
	if m.gone && s.Active() {
		key = "\x00gone"
	}
	if c, ok := m.statuses[key]; ok {
		return c
	}
	th := m.ctx.Theme
	ts := th.StepOutcome(s)
	if key == "\x00gone" {
		ts = th.StepOutcomeOf("")
	}
	word := ts.Icon + " " + ts.Word
	if !ts.Known {
		// An unknown word from OCP may be long: cut to the column every
		// known status fits, so the row keeps its columns.
		word = th.Truncate(word, th.StatusWidth(theme.SubjectSubtask))
	}
	c := &styledStatus{word: m.tonePaint(ts.Tone).s(word), icon: m.tonePaint(ts.Tone).s(ts.Icon),
		wordW: textWidth(word), iconW: textWidth(ts.Icon)}
	m.statuses[key] = c
	return c
}

// gauge is theme.Gauge for whole seconds, remembered: finished steps draw
// the same bar on every frame. A timeout past ocp.MaxShownDuration is far
// from any elapsed time: the bar reads nearly empty, never wrapped.
func (m *Model) gauge(elapsed, limit time.Duration, width int) string {
	k := gaugeKey{int64(elapsed / time.Second), limit, width}
	if g, ok := m.gauges[k]; ok {
		return g
	}
	if len(m.gauges) > 4096 {
		clear(m.gauges)
	}
	g := m.ctx.Theme.Gauge(time.Duration(k.sec)*time.Second, limit, width)
	m.gauges[k] = g
	return g
}

type gaugeKey struct {
	sec   int64
	limit time.Duration
	width int
}

func (m *Model) columnHeader(c columns) string {
	var b strings.Builder
	b.WriteString(spaces[:cursorW])
	b.WriteString(m.lanesCut(c.graph))
	b.WriteByte(' ')
	if c.words {
		b.WriteString(padTo("STATUS", c.statusW))
	} else {
		// The status column is an icon wide: no room for a title.
		b.WriteString(padTo("", c.statusW))
	}
	b.WriteByte(' ')
	b.WriteString(padTo("STEP", c.name))
	b.WriteByte(' ')
	b.WriteString(padLeft("ELAPSED", elapsedW))
	b.WriteByte(' ')
	b.WriteString(padTo("RUNS", attemptsW))
	b.WriteByte(' ')
	gw := pctW
	if c.gaugeBar > 0 {
		gw += c.gaugeBar + 1
	}
	b.WriteString(padLeft("USED", gw))
	if c.limit {
		b.WriteByte(' ')
		b.WriteString(padLeft("TIMEOUT", limitW))
	}
	return m.ctx.Theme.Styles.Header.Render(b.String())
}

// rowLine writes graph row r into b and returns its width. Every part has
// a known width, so nothing is measured; a row wider than the screen (at
// the smallest sizes) is cut when the frame is assembled.
func (m *Model) rowLine(b *strings.Builder, r int, selected, stale bool, c columns, w int, now time.Time) int {
	th := m.ctx.Theme
	s := m.step(r)
	d := &m.rows[r]
	plainRow := selected || stale // styled as a whole: no inner colours
	style := func(p paint, text string) string {
		if plainRow {
			return text
		}
		return p.s(text)
	}
	start := b.Len()
	if selected {
		b.WriteString(th.Glyphs.Cursor)
		writeSpaces(b, cursorW-textWidth(th.Glyphs.Cursor))
	} else {
		b.WriteString(spaces[:cursorW])
	}
	if m.noEdges {
		// No edges arrived: no lanes to draw, and none invented.
		writeSpaces(b, 2*c.graph-1)
	} else {
		b.WriteString(style(m.p.lanes, m.lanes.lanes(&m.graph.Rows[r], c.graph)))
	}
	b.WriteByte(' ')
	width := cursorW + 2*c.graph - 1 + 1
	status, statusW := d.status.word, d.status.wordW
	if !c.words {
		status, statusW = d.status.icon, d.status.iconW
	}
	if plainRow {
		status = ansi.Strip(status)
	}
	b.WriteString(status)
	writeSpaces(b, c.statusW-statusW)
	b.WriteByte(' ')
	width += max(c.statusW, statusW) + 1
	nameCell := m.nameCell(d, c.name)
	b.WriteString(nameCell)
	writeSpaces(b, c.name-textWidth(nameCell))
	b.WriteByte(' ')
	width += c.name + 1
	el, ok := s.Elapsed(now)
	elText := "-"
	switch {
	case ok:
		elText = common.Elapsed(el)
	case ran(s):
		elText = th.Glyphs.NotSent // it ran, but its times did not arrive
	}
	b.WriteString(padLeft(elText, elapsedW))
	b.WriteByte(' ')
	b.WriteString(style(m.p.warning, d.attempts))
	writeSpaces(b, attemptsW-d.attW)
	b.WriteByte(' ')
	// A step that ran ten hours or more is wider than h:mm:ss: the width
	// counts what is written, so the frame cuts the row, never overflows.
	width += max(elapsedW, len(elText)) + 1 + max(attemptsW, d.attW) + 1
	limit, hasLimit := s.TimeoutDuration()
	switch {
	case ok && hasLimit:
		ratio := float64(el.Truncate(time.Second)) / float64(limit)
		if c.gaugeBar > 0 {
			g := m.gauge(el, limit, c.gaugeBar)
			if plainRow {
				g = ansi.Strip(g)
			}
			b.WriteString(g)
			b.WriteByte(' ')
		}
		b.WriteString(style(m.pct(ratio), percent(ratio)))
	case c.gaugeBar > 0:
		writeSpaces(b, c.gaugeBar+1+pctW)
	default:
		writeSpaces(b, pctW)
	}
	width += pctW
	if c.gaugeBar > 0 {
		width += c.gaugeBar + 1
	}
	if c.limit {
		b.WriteByte(' ')
		b.WriteString(style(m.p.muted, padLeft(d.limit, limitW)))
		width += 1 + max(limitW, len(d.limit))
	}
	if plainRow {
		// Styled as a whole, padded so the selection runs the full width.
		line := b.String()[start:]
		if width > w {
			line = ansi.Truncate(line, w, "")
		} else {
			var pad strings.Builder
			pad.WriteString(line)
			writeSpaces(&pad, w-width)
			line = pad.String()
		}
		row := m.p.stale
		if selected {
			row = m.p.selected
		}
		b.Reset()
		b.WriteString(row.s(line))
		return w
	}
	return width
}

// nameCell is a row's step name with the server it acts on, in at most w
// columns. The address is never cut (a cut address names another server):
// the name is cut first, then left out, then the address goes too and the
// name alone is cut.
func (m *Model) nameCell(d *rowData, w int) string {
	th := m.ctx.Theme
	if d.server == "" {
		if d.nameW <= w {
			return d.name
		}
		return th.Truncate(d.name, w)
	}
	sepW := textWidth(m.ctx.Theme.Glyphs.Bullet)
	switch {
	case d.nameW+sepW+d.serverW <= w:
		return d.name + m.ctx.Theme.Glyphs.Bullet + d.server
	case w-sepW-d.serverW >= min(d.nameW, 6):
		return th.Truncate(d.name, w-sepW-d.serverW) + m.ctx.Theme.Glyphs.Bullet + d.server
	case d.serverW <= w:
		return d.server
	}
	return th.Truncate(d.name, w)
}

// pct colours the timeout percentage like the gauge; it is bold from the
// warning threshold so the state shows without colour too.
func (m *Model) pct(ratio float64) paint {
	switch theme.GaugeTone(ratio) {
	case theme.ToneWarn:
		return m.p.warning
	case theme.ToneError:
		return m.p.error
	}
	return m.p.muted
}

// lanesCut fills the lane area of the column header (2*cols-1 columns):
// blank when every lane is drawn; when the graph is wider than the screen
// allows, an ellipsis and the number of lanes left out, right-aligned
// ("…+9"; in a narrower area "+9", "…" or "+"), so a cut graph never
// passes for a whole one.
func (m *Model) lanesCut(cols int) string {
	w := max(2*cols-1, 0)
	if m.graph == nil || m.graph.Width <= cols || w == 0 {
		return strings.Repeat(" ", w)
	}
	th := m.ctx.Theme
	more := "+" + strconv.Itoa(m.graph.Width-cols)
	mark := "+"
	for _, c := range []string{th.Glyphs.Ellipsis + more, more, th.Glyphs.Ellipsis} {
		if ansi.StringWidth(c) <= w {
			mark = c
			break
		}
	}
	return strings.Repeat(" ", w-ansi.StringWidth(mark)) + mark
}

// ran reports that a step has run, or runs: its times should have come
// (ended, active, or undone by a rollback).
func ran(s *ocp.Subtask) bool { return s.Status.Ended() || s.Active() || s.RolledBack() }
