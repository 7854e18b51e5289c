package taskview

import (
	"strconv"
	"strings"
	"time"

	"github.com/obconsole/obconsole/backend/dag"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
)

// laneGlyphs maps every dag.Cell to the text drawn for it, all from
// theme.Glyphs (so --ascii draws | \ / * - and +).
type laneGlyphs struct {
	cell [dag.CellForkJoinMid + 1]string
	gap  string // the horizontal line in the gap between two columns
}

func newLaneGlyphs(th *theme.Theme) *laneGlyphs {
	g := th.Glyphs
	return &laneGlyphs{gap: g.LaneHorizontal, cell: [...]string{
		dag.CellEmpty: " ", dag.CellPass: g.LaneVertical, dag.CellNode: g.LaneNode,
		dag.CellHorizontal: g.LaneHorizontal, dag.CellCross: g.LaneCross,
		dag.CellForkRight: g.LaneForkRight, dag.CellJoinRight: g.LaneJoinRight, dag.CellForkJoinRight: g.LaneForkJoinRight,
		dag.CellForkLeft: g.LaneForkLeft, dag.CellJoinLeft: g.LaneJoinLeft, dag.CellForkJoinLeft: g.LaneForkJoinLeft,
		dag.CellForkMid: g.LaneForkMid, dag.CellJoinMid: g.LaneJoinMid, dag.CellForkJoinMid: g.LaneForkJoinMid,
	}}
}

// lanes draws one row's graph in exactly 2*cols-1 columns (cols ≥ 1):
// each lane column, with a one-column gap between columns that carries the
// horizontal line of a fork or join. A graph wider than cols is cut; a
// step whose lane falls beyond the cut is drawn in the last column, so it
// is never hidden.
func (lg *laneGlyphs) lanes(r *dag.Row, cols int) string {
	if cols < 1 {
		return ""
	}
	var b strings.Builder
	b.Grow(cols * 4)
	for c := 0; c < cols; c++ {
		if c > 0 {
			if c-1 >= r.SpanLo && c-1 < r.SpanHi {
				b.WriteString(lg.gap)
			} else {
				b.WriteByte(' ')
			}
		}
		cell := dag.CellEmpty
		if c < len(r.Cells) {
			cell = r.Cells[c]
		}
		if c == cols-1 && r.Lane > c {
			cell = dag.CellNode
		}
		b.WriteString(lg.cell[cell])
	}
	return b.String()
}

// timeoutRatio is elapsed / timeout; zero when the step has no timeout. A
// timeout past ocp.MaxShownDuration (2^63-1 s from a garbled answer) is
// far from the limit, never wrapped into a small or negative one.
func timeoutRatio(elapsed time.Duration, timeoutSec int64) float64 {
	limit, ok := ocp.SecondsDuration(timeoutSec)
	if !ok {
		return 0
	}
	return float64(elapsed) / float64(limit)
}

// percent renders a ratio as a right-aligned percentage of four columns
// ("  7%", " 87%", "112%"); huge overruns read ">999" rather than widen.
func percent(ratio float64) string {
	p := int(ratio*100 + 0.5)
	switch {
	case p < 0:
		p = 0
	case p > 999:
		return ">999"
	}
	s := strconv.Itoa(p) + "%"
	return strings.Repeat(" ", 4-len(s)) + s
}

// timeoutText formats a step's timeout as m:ss (h:mm:ss from an hour);
// the theme's NotSent mark when OCP did not send one (task lists, older
// builds), "-" for none, "> 100y" past ocp.MaxShownDuration.
func timeoutText(th *theme.Theme, s *ocp.Subtask) string {
	if !s.TimeoutKnown() {
		return th.Glyphs.NotSent
	}
	d, ok := s.TimeoutDuration()
	if !ok {
		return "-"
	}
	return common.Elapsed(d)
}

// runCount is the step's run count for the detail pane: the NotSent mark
// when OCP did not send a count, "?" for a count that cannot be one
// (negative, absurd); ok when it is a count.
func runCount(th *theme.Theme, s *ocp.Subtask) (text string, ok bool) {
	switch {
	case !s.RunTimeKnown():
		return th.Glyphs.NotSent, false
	case !s.AttemptsKnown():
		return "?", false
	}
	return strconv.Itoa(s.RunTime), true
}

// attempts is "×N" ("xN" in ASCII) when a step ran more than once, else
// what runCount says when it is not a count.
func attempts(th *theme.Theme, s *ocp.Subtask) string {
	n, ok := runCount(th, s)
	switch {
	case !ok:
		return n
	case s.RunTime <= 1:
		return ""
	}
	return th.Glyphs.Times + n
}

// columns is the row layout for one width. Narrow screens give way in this
// order (first to go first): the gauge bar narrows to minGaugeBarW, then
// the timeout column goes, then the gauge bar (its percentage stays), the
// status word (its icon stays), and the graph narrows to fewer lanes. The cursor, lanes (at least one), status icon,
// name, elapsed, attempts and percentage always stay.
type columns struct {
	graph    int // lane columns drawn (text width 2*graph-1)
	statusW  int // status cell: icon and word, or just the icon
	words    bool
	name     int
	gaugeBar int // 0 when given way
	limit    bool
}

const (
	cursorW      = 2  // "▸ "
	elapsedW     = 7  // h:mm:ss
	attemptsW    = 4  // ×NNN
	gaugeBarW    = 10 // bar width when there is room
	maxGaugeBarW = 16
	minGaugeBarW = 6
	pctW         = 4 // "100%"
	limitW       = 7 // h:mm:ss
	minNameW     = 12
	// wantNameCap bounds how much room a long step name can claim from
	// the timeout columns.
	wantNameCap = 28
)

// layoutColumns fits the columns into width; wantName is the longest step
// name, which the name column keeps (up to wantNameCap, plus serverW for
// the server a per-server step names: an address is never cut) before
// anything else gives way; statusW is the widest status word drawn.
func layoutColumns(th *theme.Theme, width, graphWidth, wantName, serverW, statusW int) columns {
	c := columns{graph: max(graphWidth, 1), words: true, gaugeBar: gaugeBarW, limit: true}
	iconW := len([]rune(th.Icon(theme.ToneOK)))
	if th.ASCII() {
		iconW = len(th.Icon(theme.ToneOK))
	}
	c.statusW = statusW
	fixed := func() int {
		w := cursorW + (2*c.graph - 1) + 1 + c.statusW + 1 + 1 + elapsedW + 1 + attemptsW + 1 + pctW
		if c.gaugeBar > 0 {
			w += c.gaugeBar + 1
		}
		if c.limit {
			w += 1 + limitW
		}
		return w
	}
	// The graph may take at most a third of the width.
	c.graph = min(c.graph, max(1, (width/3+1)/2))
	need := min(max(wantName, minNameW), wantNameCap+serverW)
	narrowBar := func() {
		if short := need - (width - fixed()); short > 0 {
			c.gaugeBar -= min(short, gaugeBarW-minGaugeBarW)
		}
	}
	narrowBar()
	if width-fixed() < need {
		c.limit = false
		c.gaugeBar = gaugeBarW
		narrowBar()
	}
	if width-fixed() < need {
		c.gaugeBar = 0
	}
	if width-fixed() < minNameW {
		c.words = false
		c.statusW = iconW
	}
	for width-fixed() < minNameW && c.graph > 1 {
		c.graph--
	}
	c.name = max(width-fixed(), 1)
	// Spare room widens the gauge a little, then stays blank at the right
	// end, so the numbers sit next to the names.
	if spare := c.name - max(wantName, minNameW) - 1; spare > 0 && c.gaugeBar > 0 {
		grow := min(spare, maxGaugeBarW-c.gaugeBar)
		c.gaugeBar += grow
		c.name -= grow
	}
	c.name = min(c.name, max(wantName, minNameW)+1)
	return c
}
