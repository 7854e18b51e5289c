package help

import (
	"time"

	"github.com/obconsole/obconsole/theme"
)

// Legend is what every mark the console draws means: the status icons
// (each tone), the degraded mark, the root-server mark, the selection
// cursor, the sort arrows, the timeout gauge's colours and the STALE
// badge, drawn as they appear in the current mode (ASCII, no colour).
//
// When theme lists its own marks (the Task view's step states among
// them), this is where that list comes in.
func Legend(th *theme.Theme) []LegendItem {
	icon := func(tone theme.Tone) string { return th.ToneStyle(tone).Render(th.Icon(tone)) }
	g := th.Glyphs
	gauge := func(ratio float64) string { return th.Gauge(time.Duration(ratio*1000), 1000, 4) }
	return []LegendItem{
		{icon(theme.ToneOK), "healthy, or done well"},
		{icon(theme.ToneBusy), "in progress (RUNNING task, RESTARTING)"},
		{icon(theme.ToneWaiting), "waiting to run"},
		{icon(theme.ToneWarn), "needs a look: servers down, rolled back"},
		{icon(theme.ToneError), "failed, unavailable, or all down"},
		{icon(theme.ToneIdle), "stopped"},
		{icon(theme.ToneUnknown), "a status this build does not know"},
		{g.RootServer, "holds a root service replica"},
		{g.Cursor, "the selected row"},
		{g.Up + " " + g.Down, "sorted column, ascending/descending"},
		{gauge(0.5), "step time under 80% of its timeout"},
		{gauge(0.9), "from 80% of its timeout"},
		{gauge(1.2), "past its timeout"},
		{th.Styles.BadgeWarn.Render("STALE"), "refresh failing: last data shown"},
	}
}
