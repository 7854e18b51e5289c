package help

import (
	"github.com/obconsole/obconsole/theme"
)

// ListMarks is what the lists' own marks mean: the degraded mark after a
// zone's or cluster's status, the sort arrows and the STALE badge.
func ListMarks(th *theme.Theme) []LegendItem {
	g := th.Glyphs
	warn := th.ToneStyle(theme.ToneWarn).Render(th.Icon(theme.ToneWarn))
	return []LegendItem{
		{warn + " 1 of 2", "after a status: servers (or zones) down"},
		{g.Up + " " + g.Down, "sorted column, ascending/descending"},
		{th.Styles.BadgeWarn.Render("STALE"), "refresh failing: last data shown"},
	}
}
