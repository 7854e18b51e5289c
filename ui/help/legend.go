package help

import (
	"time"

	"github.com/obconsole/obconsole/theme"
)

// StatusMarks is what the status icons (each tone), the root-server mark,
// the selection cursor and the timeout gauge's colours mean, drawn as they
// appear in the current mode (ASCII, no colour).
//
// Once theme lists its own marks (theme.Theme.Legend, with the Task view's
// task and step states), the root's help takes its groups instead of this
// section; ListMarks stays.
func StatusMarks(th *theme.Theme) []LegendItem {
	icon := func(tone theme.Tone) string { return th.ToneStyle(tone).Render(th.Icon(tone)) }
	g := th.Glyphs
	gauge := func(ratio float64) string { return th.Gauge(time.Duration(ratio*1000), 1000, 4) }
	return []LegendItem{
		{icon(theme.ToneOK), "healthy, or done well"},
		{icon(theme.ToneBusy), "in progress (RUNNING task, RESTARTING)"},
		{icon(theme.ToneWaiting), "waiting to run"},
		{icon(theme.ToneWarn), "needs a look: rolled back, near a limit"},
		{icon(theme.ToneError), "failed, unavailable"},
		{icon(theme.ToneIdle), "stopped"},
		{icon(theme.ToneUnknown), "a status this build does not know"},
		{g.RootServer, "holds a root service replica"},
		{g.Cursor, "the selected row"},
		{gauge(0.5), "step time under 80% of its timeout"},
		{gauge(0.9), "from 80% of its timeout"},
		{gauge(1.2), "past its timeout"},
	}
}

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
