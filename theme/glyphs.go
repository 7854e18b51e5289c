package theme

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// Glyphs are every symbol the console draws besides status icons. Screens
// must take symbols from here so that --ascii removes them all.
type Glyphs struct {
	BreadcrumbSep string // between breadcrumb parts: " › " or " > "
	Cursor        string // marks the selected row: "▸" or ">"
	RootServer    string // marks a server holding a root service
	Ellipsis      string // cut text
	Bullet        string // separates status bar items
	Up, Down      string // scroll hints
	Times         string // attempts prefix: "×" or "x"
	NotSent       string // a value OCP did not send (unknown, not zero): "—" or "-"

	// Lanes of a subtask graph, git-log style.
	LaneVertical   string // "│" or "|"
	LaneFork       string // a branch leaving to the right: "╲" or "\"
	LaneMerge      string // a branch joining from the right: "╱" or "/"
	LaneHorizontal string // "─" or "-"
	LaneNode       string // a step on its lane: "●" or "*"
	// Junctions of a step's row (backend/dag cells): where a lane starts
	// (fork) or ends (join) on the horizontal line from the step. ASCII
	// draws the corners as \ and / and every junction as +.
	LaneCross         string // the line crossing a passing lane: "┼" or "+"
	LaneForkRight     string // a lane starts right of the step: "╮" or "\"
	LaneJoinRight     string // a lane ends right of the step: "╯" or "/"
	LaneForkJoinRight string // both: "┤" or "+"
	LaneForkLeft      string // a lane starts left of the step: "╭" or "/"
	LaneJoinLeft      string // a lane ends left of the step: "╰" or "\"
	LaneForkJoinLeft  string // both: "├" or "+"
	LaneForkMid       string // a lane starts, the line goes on: "┬" or "+"
	LaneJoinMid       string // a lane ends, the line goes on: "┴" or "+"
	LaneForkJoinMid   string // both, the line goes on: "┼" or "+"

	// Gauges.
	GaugeFull  string // "█" or "#"
	GaugeEmpty string // "░" or "."
}

var unicodeGlyphs = Glyphs{
	BreadcrumbSep:  " › ",
	Cursor:         "▸",
	RootServer:     "★",
	Ellipsis:       "…",
	Bullet:         " · ",
	Up:             "↑",
	Down:           "↓",
	Times:          "×",
	NotSent:        "—",
	LaneVertical:   "│",
	LaneFork:       "╲",
	LaneMerge:      "╱",
	LaneHorizontal: "─",
	LaneNode:       "●",

	LaneCross:         "┼",
	LaneForkRight:     "╮",
	LaneJoinRight:     "╯",
	LaneForkJoinRight: "┤",
	LaneForkLeft:      "╭",
	LaneJoinLeft:      "╰",
	LaneForkJoinLeft:  "├",
	LaneForkMid:       "┬",
	LaneJoinMid:       "┴",
	LaneForkJoinMid:   "┼",

	GaugeFull:  "█",
	GaugeEmpty: "░",
}

var asciiGlyphs = Glyphs{
	BreadcrumbSep:  " > ",
	Cursor:         ">",
	RootServer:     "RS",
	Ellipsis:       "...",
	Bullet:         " | ",
	Up:             "^",
	Down:           "v",
	Times:          "x",
	NotSent:        "-",
	LaneVertical:   "|",
	LaneFork:       "\\",
	LaneMerge:      "/",
	LaneHorizontal: "-",
	LaneNode:       "*",

	LaneCross:         "+",
	LaneForkRight:     "\\",
	LaneJoinRight:     "/",
	LaneForkJoinRight: "+",
	LaneForkLeft:      "/",
	LaneJoinLeft:      "\\",
	LaneForkJoinLeft:  "+",
	LaneForkMid:       "+",
	LaneJoinMid:       "+",
	LaneForkJoinMid:   "+",

	GaugeFull:  "#",
	GaugeEmpty: ".",
}

// Gauge thresholds: a step warns from 80 % of its timeout and is an error
// past 100 %.
const (
	GaugeWarnAt  = 0.8
	GaugeErrorAt = 1.0
)

// GaugeTone is the tone of a gauge filled to ratio (elapsed / limit).
func GaugeTone(ratio float64) Tone {
	switch {
	case ratio > GaugeErrorAt:
		return ToneError
	case ratio >= GaugeWarnAt:
		return ToneWarn
	}
	return ToneOK
}

// Gauge draws a bar of width columns filled to elapsed/limit, coloured by
// GaugeTone. A zero or negative limit draws an empty bar.
func (t *Theme) Gauge(elapsed, limit time.Duration, width int) string {
	if width <= 0 {
		return ""
	}
	ratio := 0.0
	if limit > 0 {
		ratio = float64(elapsed) / float64(limit)
	}
	filled := int(ratio*float64(width) + 0.5)
	filled = min(max(filled, 0), width)
	if ratio > 0 && filled == 0 {
		filled = 1 // something started: show it
	}
	st := t.Styles.GaugeOK
	switch GaugeTone(ratio) {
	case ToneWarn:
		st = t.Styles.GaugeWarn
	case ToneError:
		st = t.Styles.GaugeError
	}
	return st.Render(strings.Repeat(t.Glyphs.GaugeFull, filled)) +
		t.Styles.GaugeEmpty.Render(strings.Repeat(t.Glyphs.GaugeEmpty, width-filled))
}

// Truncate cuts s (which may hold ANSI styling) to width columns, ending
// in the mode's ellipsis.
func (t *Theme) Truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= width {
		return s
	}
	ell := t.Glyphs.Ellipsis
	if width <= ansi.StringWidth(ell) {
		ell = ""
	}
	return ansi.Truncate(s, width, ell)
}
