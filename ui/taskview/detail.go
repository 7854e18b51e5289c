package taskview

import (
	"strconv"
	"strings"
	"time"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/ui/common"
)

// detail is the selected step's pane: a rule with its name and the scroll
// position, then description, class, times and attempts, then its log tail.
func (m *Model) detail(f *frame, w, h, off, gh int, now time.Time) {
	th := m.ctx.Theme
	end := len(f.lines) + h
	r := m.selectedRow()
	n := len(m.rows)

	var hints []string
	if off > 0 {
		hints = append(hints, th.Glyphs.Up+strconv.Itoa(off))
	}
	if below := n - off - gh; below > 0 {
		hints = append(hints, th.Glyphs.Down+strconv.Itoa(below))
	}
	if !m.follow {
		k := m.ctx.Keys.Follow.Help()
		hints = append(hints, k.Key+" "+k.Desc)
	}
	// The step's own operation, where the operator reads why it failed.
	if r >= 0 && !m.ctx.ReadOnly && m.step(r).Status == ocp.SubtaskFailed {
		k := m.ctx.Keys.RetryStep.Help()
		hints = append(hints, k.Key+" "+k.Desc)
	}
	title := "no steps"
	if r >= 0 {
		title = "step " + strconv.Itoa(r+1) + "/" + strconv.Itoa(n) + ": " + m.rows[r].name
		if srv := m.rows[r].server; srv != "" {
			title += m.ctx.Theme.Glyphs.Bullet + srv
		}
	}
	m.rule(f, title, strings.Join(hints, " "), w)
	if r < 0 {
		return
	}
	s := m.step(r)
	const labelW = 12
	vw := max(w-labelW, 0)
	add := func(label, value string, valueW int) {
		if len(f.lines) < end {
			f.add(m.p.muted.s(padTo(label, labelW))+value, labelW+valueW)
		}
	}
	plain := func(label, v string) {
		v = th.Truncate(v, vw)
		add(label, v, textWidth(v))
	}
	// OCP's descriptions usually repeat the name, already in the rule.
	if d := strings.TrimSpace(s.Description); d != "" && d != s.Name {
		plain("description", safetext.Line(d))
	}
	class := safetext.Line(s.ClassName)
	if strings.TrimSpace(class) == "" {
		class = th.Glyphs.NotSent // task lists and older builds send none
	}
	plain("class", truncLeft(th, class, vw))
	el, elOK := s.Elapsed(now)
	// A running step's row already shows its live elapsed time and gauge;
	// repeating them here would rewrite this line every second too, bytes
	// a slow link pays for nothing. Finished steps keep the figures.
	elOK = elOK && !s.Active()
	count, _ := runCount(th, s)
	runs := count + "  timeout " + timeoutText(th, s)
	if limit, ok := s.TimeoutDuration(); elOK && ok {
		runs += " (" + strings.TrimSpace(percent(float64(el.Truncate(time.Second))/float64(limit))) + " used)"
	}
	if s.Operation != "" && s.Operation != ocp.OpExecute {
		runs += "  operation " + safetext.Line(string(s.Operation))
	}
	// Times carry their year and zone as the backend sent them; a finish on
	// its start's day reads as a time of day. One line when it fits, else
	// started/finished and attempts/timeout apart, else compact stamps.
	hasRun := ran(s)
	// A time the step must have but that did not arrive reads as not sent;
	// one it does not have yet, "-".
	when := func(t ocp.Time, stamp func(ocp.Time) string, need bool) string {
		if t.IsZero() && t.Valid() && need {
			return th.Glyphs.NotSent
		}
		return stamp(t)
	}
	times := func(stamp func(ocp.Time) string) string {
		t := when(s.StartTime, stamp, hasRun) + "  finished " +
			when(s.FinishTime, func(f ocp.Time) string { return common.StampAfter(s.StartTime, f) }, hasRun && !s.Active())
		if elOK {
			t += "  elapsed " + common.Elapsed(el)
		}
		return t
	}
	full := times(common.StampZoned)
	if one := "started " + full + "  attempts " + runs; labelW+textWidth(one) <= w {
		plain("run", one)
	} else {
		if textWidth(full) > vw {
			full = times(common.StampCompact)
		}
		plain("started", full)
		plain("attempts", runs)
	}

	room := end - len(f.lines)
	if room <= 0 {
		return
	}
	note := func(p paint, text string) {
		text = th.Truncate(text, vw)
		add("log", p.s(text), textWidth(text))
	}
	switch {
	case m.log.subtaskID != m.sel || !m.log.loaded:
		note(m.p.muted, "loading"+th.Glyphs.Ellipsis)
	case m.log.err != nil:
		note(m.p.warning, "unavailable: "+m.shortError(m.log.err))
	default:
		lines := m.tail(room, vw)
		if len(lines) == 0 {
			note(m.p.muted, "(empty)")
		}
		for i, l := range lines {
			label := ""
			if i == 0 {
				label = "log"
			}
			add(label, l, textWidth(l))
		}
	}
}

// tail is logTail of the shown log, remembered for the same log and size:
// wrapping is the costly part of the pane and the log changes rarely.
func (m *Model) tail(n, w int) []string {
	t := &m.tailMemo
	if t.n != n || t.w != w || t.text != m.log.text || t.lines == nil {
		*t = tailMemo{text: m.log.text, n: n, w: w, lines: logTail(m.ctx.Theme, m.log.text, n, w)}
		if t.lines == nil {
			t.lines = []string{}
		}
	}
	return t.lines
}

// tailMemo is the last tail computed.
type tailMemo struct {
	text  string
	n, w  int
	lines []string
}

// rule is a horizontal line with a title on the left and hints on the right.
func (m *Model) rule(f *frame, title, hints string, w int) {
	th := m.ctx.Theme
	bar := th.Border().Top
	left := bar + bar + " " + title + " "
	right := ""
	if hints != "" {
		right = " " + hints + " " + bar
	}
	lw, rw := textWidth(left), textWidth(right)
	if lw+rw > w {
		right, rw = "", 0
	}
	if lw > w {
		left = th.Truncate(left, w)
		lw = textWidth(left)
	}
	fill := max(w-lw-rw, 0)
	f.add(m.p.muted.s(left+strings.Repeat(bar, fill)+right), lw+fill+rw)
}
