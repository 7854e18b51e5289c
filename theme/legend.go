package theme

import (
	"strings"

	"github.com/obconsole/obconsole/backend/ocp"
)

// LegendItem is one line of the legend: a mark as the console draws it
// (styled: its colour is part of the answer) and what it means (plain).
type LegendItem struct {
	Mark    string
	Meaning string
}

// LegendGroup is a titled part of the legend.
type LegendGroup struct {
	Title string
	Items []LegendItem
}

// stateLegend is what each task and step state means, in the legend's
// order.
var stateLegend = []struct {
	subject        Subject
	value, meaning string
}{
	{SubjectTaskOutcome, string(ocp.OutcomeRunning), "running its steps"},
	{SubjectTaskOutcome, string(ocp.OutcomeRollingBack), "undoing the steps that ran, in reverse order"},
	{SubjectTaskOutcome, string(ocp.OutcomeSuccessful), "done"},
	{SubjectTaskOutcome, string(ocp.OutcomeRolledBack), "undone after a failure: what was asked was not done"},
	{SubjectTaskOutcome, string(ocp.OutcomeFailed), "stopped at a failed step: retry or roll back"},
	{SubjectTaskOutcome, string(ocp.OutcomeRollbackFailed), "the undo failed: retry the rollback or skip the step"},
	{SubjectStepOutcome, string(ocp.SubtaskPending), "waits for the steps before it"},
	{SubjectStepOutcome, string(ocp.SubtaskReady), "about to run"},
	{SubjectStepOutcome, string(ocp.SubtaskRunning), "running"},
	{SubjectStepOutcome, string(ocp.SubtaskCanceling), "being cancelled: it ends FAILED"},
	{SubjectStepOutcome, string(ocp.SubtaskSuccessful), "done"},
	{SubjectStepOutcome, string(ocp.StepSkipped), "marked done without running"},
	{SubjectStepOutcome, string(ocp.StepRolledBack), "its work undone"},
	{SubjectStepOutcome, string(ocp.StepRollbackSkipped), "its undo was skipped: its work may remain"},
	{SubjectStepOutcome, string(ocp.SubtaskFailed), "failed: retry or skip it"},
}

// Legend says what every icon, mark and gauge colour of the console means,
// in the current mode (ASCII icons with --ascii, no colour with NO_COLOR),
// for the help screen: task and step states, the states of clusters, zones
// and servers by icon, the marks (★ or RS, the cursor, attempts, a value
// not sent) and the timeout gauge's colours.
func (t *Theme) Legend() []LegendGroup {
	g := t.Glyphs
	tasks, steps := LegendGroup{Title: "Tasks"}, LegendGroup{Title: "Steps"}
	for _, l := range stateLegend {
		item := LegendItem{Mark: t.Render(t.Status(l.subject, l.value)), Meaning: l.meaning}
		if l.subject == SubjectTaskOutcome {
			tasks.Items = append(tasks.Items, item)
		} else {
			steps.Items = append(steps.Items, item)
		}
	}

	// Clusters, zones and servers: one line per icon, with every word
	// drawn with it.
	meaning := map[Tone]string{
		ToneOK: "healthy", ToneBusy: "an operation under way", ToneWarn: "worth a look",
		ToneError: "down or not heartbeating", ToneIdle: "stopped or gone",
	}
	var fleet LegendGroup
	fleet.Title = "Clusters, zones, servers"
	for _, tone := range []Tone{ToneOK, ToneBusy, ToneWarn, ToneError, ToneIdle} {
		var words []string
		seen := map[string]bool{}
		for _, s := range []Subject{SubjectCluster, SubjectZone, SubjectServer, SubjectServerInner, SubjectZoneInner} {
			for _, v := range subjectValues(s) {
				if l := statusTable[s][v]; l.tone == tone && l.icon == nil && !seen[v] {
					seen[v] = true
					words = append(words, v)
				}
			}
		}
		if len(words) == 0 {
			continue
		}
		fleet.Items = append(fleet.Items, LegendItem{
			Mark:    t.ToneStyle(tone).Render(t.Icon(tone)),
			Meaning: meaning[tone] + ": " + strings.Join(words, ", "),
		})
	}
	fleet.Items = append(fleet.Items, LegendItem{Mark: t.ToneStyle(ToneUnknown).Render(t.Icon(ToneUnknown)),
		Meaning: "a status this build does not know, shown as OCP sent it"})

	marks := LegendGroup{Title: "Marks", Items: []LegendItem{
		{Mark: g.RootServer, Meaning: "the server holds a root service replica"},
		{Mark: g.Cursor, Meaning: "the selected row"},
		{Mark: g.Times + "3", Meaning: "the step ran 3 times"},
		{Mark: g.NotSent, Meaning: "not sent by this OCP (unknown, not zero)"},
		{Mark: t.Styles.BadgeWarn.Render("FORCE"), Meaning: "a force restart"},
		{Mark: t.Styles.BadgeWarn.Render("STALE"), Meaning: "the last refresh failed: last known data, clocks stopped"},
	}}
	bar := func(tone Tone, filled int) string {
		st := t.Styles.GaugeOK
		switch tone {
		case ToneWarn:
			st = t.Styles.GaugeWarn
		case ToneError:
			st = t.Styles.GaugeError
		}
		return st.Render(strings.Repeat(g.GaugeFull, filled)) + t.Styles.GaugeEmpty.Render(strings.Repeat(g.GaugeEmpty, 5-filled))
	}
	gauge := LegendGroup{Title: "Timeout gauge (elapsed / timeout)", Items: []LegendItem{
		{Mark: bar(ToneOK, 2), Meaning: "under 80 % of the step's timeout"},
		{Mark: bar(ToneWarn, 4), Meaning: "80 % of it or more: near the limit"},
		{Mark: bar(ToneError, 5), Meaning: "past it: OCP fails the step"},
	}}
	return []LegendGroup{tasks, steps, fleet, marks, gauge}
}
