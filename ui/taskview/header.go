package taskview

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/store"
)

// banner is an optional full-width line under the header.
type banner int

const (
	bannerConfirm   banner = iota // an operation waits for y
	bannerOutcome                 // the task ended: how, and where it failed
	bannerStale                   // the last refresh failed
	bannerGone                    // the backend no longer knows the task
	bannerNoEdges                 // the answer has no edges: steps as listed
	bannerMalformed               // the graph has cycles, dangling edges…
)

func (m *Model) banners() []banner {
	var b []banner
	if m.confirm != nil {
		b = append(b, bannerConfirm)
	}
	switch {
	case m.Gone():
		b = append(b, bannerGone)
	case m.task != nil && m.task.Outcome().Ended():
		b = append(b, bannerOutcome)
	}
	if m.Stale() && !m.gone {
		b = append(b, bannerStale)
	}
	if m.noEdges {
		b = append(b, bannerNoEdges)
	}
	if m.graph != nil && !m.graph.Problems.Empty() {
		b = append(b, bannerMalformed)
	}
	return b
}

// taskStatus is how the task is shown: its outcome (ROLLED BACK rather
// than SUCCESSFUL), or GONE once the backend no longer knows it.
func (m *Model) taskStatus() theme.Status {
	if m.Gone() {
		return m.ctx.Theme.Gone()
	}
	return m.ctx.Theme.TaskOutcome(m.task)
}

// progressText says what the task has done: "10 of 11 steps done, 1
// skipped" forward, "11 of 11 steps rolled back" backward; short, "10/11
// done +1 skipped", "11/11 rolled back".
func (m *Model) progressText(short bool) string {
	p := m.prog
	verb := "done"
	if p.undo {
		verb = "rolled back"
	}
	var text string
	if short {
		text = strconv.Itoa(p.done) + "/" + strconv.Itoa(p.total) + " " + verb
		if p.skipped > 0 {
			text += " +" + strconv.Itoa(p.skipped) + " skipped"
		}
		return text
	}
	text = strconv.Itoa(p.done) + " of " + strconv.Itoa(p.total) + " steps " + verb
	if p.skipped > 0 {
		text += ", " + strconv.Itoa(p.skipped) + " skipped"
	}
	return text
}

// header: the task's name, force mark, id and shown state; then elapsed,
// progress and where it runs (server by address, zone, cluster).
func (m *Model) header(f *frame, w, n int, now time.Time) {
	th := m.ctx.Theme
	st := &th.Styles
	t := m.task
	name := m.p.title.s(safetext.Line(t.Name))
	if t.Force() {
		name += " " + st.BadgeWarn.Render("FORCE")
	}
	ts := m.taskStatus()
	status := m.tonePaint(ts.Tone).s(ts.Icon + " " + ts.Word)
	// The id goes first when narrow: the breadcrumb names the task too.
	left := name + " " + m.p.muted.s("#"+strconv.FormatInt(t.ID, 10))
	if ansi.StringWidth(left)+1+ansi.StringWidth(status) > w {
		left = name
	}
	elapsed := th.Glyphs.NotSent
	if d, ok := t.Elapsed(now); ok {
		elapsed = common.Elapsed(d)
	}
	if n < 2 {
		f.add(fitEnds(th, left, status+" "+elapsed+" "+m.progressText(true), w), -1)
		return
	}
	f.add(fitEnds(th, left, status, w), -1)
	f.add(m.p.muted.s(fitFacts(th, m.facts(elapsed), w)), -1)
}

// fact is one item of the header's second line: the ways to say it, the
// longest first, and how soon it gives way when the line is too narrow
// (higher first).
type fact struct {
	says []string
	drop int
}

// facts are the header's facts in reading order.
func (m *Model) facts(elapsed string) []fact {
	t := m.task
	facts := []fact{
		{says: []string{"elapsed " + elapsed}},
		{says: []string{m.progressText(false), m.progressText(true)}, drop: 1},
	}
	switch ids := t.ServerIDs(); {
	case len(ids) == 1:
		facts = append(facts, fact{says: []string{"server " + strings.TrimPrefix(m.serverName(ids[0]), "server ")}, drop: 2})
	case len(ids) > 1:
		names := make([]string, len(ids))
		for i, id := range ids {
			names[i] = strings.TrimPrefix(m.serverName(id), "server ")
		}
		// Each row names its server: the list gives way first.
		facts = append(facts, fact{says: []string{"servers " + strings.Join(names, ", "),
			strconv.Itoa(len(ids)) + " servers"}, drop: 5})
	}
	if z := t.ZoneName(); z != "" {
		facts = append(facts, fact{says: []string{"zone " + safetext.Line(z)}, drop: 3})
	}
	if c := t.ClusterName(); c != "" {
		facts = append(facts, fact{says: []string{"cluster " + safetext.Line(c)}, drop: 4})
	}
	if tn := t.TenantName(); tn != "" {
		facts = append(facts, fact{says: []string{"tenant " + safetext.Line(tn)}, drop: 6})
	}
	// A rollback is said by the state and the progress already.
	if t.Operation != "" && t.Operation != ocp.OpExecute && !(t.Operation == ocp.OpRollback && m.prog.undo) {
		facts = append(facts, fact{says: []string{"operation " + safetext.Line(string(t.Operation))}, drop: 7})
	}
	return facts
}

// fitFacts joins facts with sep in at most w columns. When they do not fit,
// the first to give way (highest drop) says it shorter, then goes; a fact
// is never cut in the middle (an address cut is a wrong address), except
// the last one standing, cut with an ellipsis.
func fitFacts(th *theme.Theme, facts []fact, w int) string {
	sep := th.Glyphs.Bullet
	pick := make([]int, len(facts)) // the saying used; len(says) = dropped
	join := func() string {
		var parts []string
		for i, f := range facts {
			if pick[i] < len(f.says) {
				parts = append(parts, f.says[pick[i]])
			}
		}
		return strings.Join(parts, sep)
	}
	for line := join(); textWidth(line) > w; line = join() {
		worst := -1
		for i, f := range facts {
			if pick[i] < len(f.says) && (worst < 0 || f.drop >= facts[worst].drop) {
				worst = i
			}
		}
		if worst < 0 {
			break
		}
		left := 0
		for i, f := range facts {
			if pick[i] < len(f.says) {
				left++
			}
		}
		if left == 1 && pick[worst] == len(facts[worst].says)-1 {
			return th.Truncate(line, w)
		}
		pick[worst]++
	}
	return join()
}

// fitEnds is common.JoinEnds, cutting left with an ellipsis when even
// alone it is too wide.
func fitEnds(th *theme.Theme, left, right string, w int) string {
	if ansi.StringWidth(left)+1+ansi.StringWidth(right) > w {
		if ansi.StringWidth(right)+12 <= w {
			left = th.Truncate(left, w-1-ansi.StringWidth(right))
		} else {
			return th.Truncate(left, w)
		}
	}
	return common.JoinEnds(left, right, w)
}

// age is how old what the view shows is, in the status bar's words (one
// source: store.Freshness): ", updated 26s ago", or "" while it reads
// live or before anything arrived.
func (m *Model) age() string {
	if t := m.ctx.Store.FreshOf(store.TaskKey(m.taskID)).Text(m.ctx.Refresh); t != "" && t != "live" {
		return ", " + t
	}
	return ""
}

func (m *Model) bannerLine(b banner, w int, now time.Time) string {
	th := m.ctx.Theme
	switch b {
	case bannerConfirm:
		// The keys that answer always show: the prompt is cut for them.
		icon, keys := th.Icon(theme.ToneWarn)+" ", " y confirm, n cancel"
		room := w - textWidth(icon) - textWidth(keys)
		if room < 8 {
			return m.p.warning.s(th.Truncate(icon+"y confirm, n cancel: "+m.confirm.prompt, w))
		}
		return m.p.warning.s(icon + th.Truncate(m.confirm.prompt, room) + keys)
	case bannerOutcome:
		return m.outcome(w)
	case bannerStale:
		text := " showing the last good answer" + m.age() + "; refresh failed: " + m.shortError(m.err)
		badge := th.Styles.BadgeWarn.Render("STALE")
		return badge + m.p.warning.s(th.Truncate(text, w-ansi.StringWidth(badge)))
	case bannerGone:
		text := " task " + strconv.FormatInt(m.taskID, 10) + " is no longer on the backend (NotFound); its last known graph" + m.age()
		badge := th.Styles.BadgeError.Render("GONE")
		return badge + m.p.error.s(th.Truncate(text, w-ansi.StringWidth(badge)))
	case bannerNoEdges:
		return m.p.warning.s(th.Truncate(th.Icon(theme.ToneWarn)+" steps as listed: this answer has no edges, so their order and branches are not known", w))
	case bannerMalformed:
		return m.p.warning.s(th.Truncate(th.Icon(theme.ToneWarn)+" malformed graph, ordered as far as possible: "+m.graph.Problems.String(), w))
	}
	return ""
}

// outcome says how the task ended and, when it failed, at which step.
func (m *Model) outcome(w int) string {
	th := m.ctx.Theme
	s := m.taskStatus()
	if s.Class != ocp.ClassError {
		text := s.Icon + " Task " + s.Word + ": " + m.progressText(false)
		return m.tonePaint(s.Tone).s(th.Truncate(text, w))
	}
	var failed []int
	for r := range m.rows {
		if m.step(r).Status == ocp.SubtaskFailed {
			failed = append(failed, r)
		}
	}
	text := s.Icon + " Task " + s.Word
	if len(failed) > 0 {
		f := m.step(failed[0])
		text += " at step " + strconv.Itoa(failed[0]+1) + "/" + strconv.Itoa(len(m.rows)) + " \"" + m.rows[failed[0]].name + "\""
		if srv := m.rows[failed[0]].server; srv != "" {
			text += " on " + srv
		}
		if d, ok := f.Elapsed(time.Time{}); ok {
			if limit, ok := f.TimeoutDuration(); ok && d >= limit {
				text += ", past its " + timeoutText(th, f) + " timeout"
			}
		}
		if len(failed) > 1 {
			text += " and " + strconv.Itoa(len(failed)-1) + " more"
		}
	}
	return m.p.error.s(th.Truncate(text, w))
}

// shortError is an error's kind and message without the operation (the
// toast names it): what fits in a banner. OCP's words are made safe and
// rid of secrets.
func (m *Model) shortError(err error) string {
	var be *backend.Error
	if errors.As(err, &be) {
		msg := be.Message
		if msg == "" && be.Err != nil {
			msg = be.Err.Error()
		}
		if msg == "" {
			return be.Kind.String()
		}
		return be.Kind.String() + ": " + m.ctx.Line(msg)
	}
	return m.ctx.ErrorText(err)
}
