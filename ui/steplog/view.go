package steplog

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/ui/common"
)

func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.layout()
}

// bodyHeight is the viewport's height: the area less the heading and,
// while a search is open or set, the search line.
func (m *Model) bodyHeight() int {
	h := m.height - 1
	if m.typing || m.search.Value() != "" {
		h--
	}
	return max(h, 0)
}

// layout wraps the log to the width and hands it to the viewport, keeping
// the bottom in view while following.
func (m *Model) layout() {
	w := max(m.width, 1)
	m.vp.Width, m.vp.Height = w, m.bodyHeight()
	st := m.ctx.Styles()
	m.starts = m.starts[:0]
	var b strings.Builder
	n := 0
	cur := -1
	if len(m.matches) > 0 {
		cur = m.matches[m.current]
	}
	mi := 0
	for i, line := range m.lines {
		m.starts = append(m.starts, n)
		matched := mi < len(m.matches) && m.matches[mi] == i
		if matched {
			mi++
		}
		for j, part := range wrap(line, w) {
			if n > 0 {
				b.WriteByte('\n')
			}
			n++
			if j > 0 {
				part = "  " + part
			}
			switch {
			case i == cur:
				part = highlight(part, m.search.Value(), st.SelectedRow.Render)
			case matched:
				part = highlight(part, m.search.Value(), st.Warning.Render)
			}
			b.WriteString(part)
		}
	}
	m.vp.SetContent(b.String())
	if m.follow {
		m.vp.GotoBottom()
	} else {
		m.vp.SetYOffset(m.vp.YOffset)
	}
}

// wrap breaks a line at spaces (or inside words longer than the width)
// into pieces that, with the two-column indent of continuation pieces, fit
// in width columns.
func wrap(line string, width int) []string {
	line = strings.ReplaceAll(line, "\t", "    ")
	if ansi.StringWidth(line) <= width || width < 8 {
		return []string{line}
	}
	return strings.Split(ansi.Wrap(line, width-2, ""), "\n")
}

// highlight styles every case-insensitive occurrence of q in s (plain
// text: log lines carry no styling of their own).
func highlight(s, q string, style func(...string) string) string {
	if q == "" {
		return s
	}
	lower, lq := strings.ToLower(s), strings.ToLower(q)
	if len(lower) != len(s) {
		return s // case folding changed byte offsets: leave the line plain
	}
	var b strings.Builder
	for {
		i := strings.Index(lower, lq)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(style(s[i : i+len(q)]))
		s, lower = s[i+len(q):], lower[i+len(q):]
	}
}

// View draws the heading, the log and the search line in the given area.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	th := m.ctx.Theme
	st := &th.Styles
	status := th.Render(th.StepOutcome(&m.step))
	left := st.Title.Render("Log of "+safetext.Line(m.step.Name)) + " " + st.Muted.Render("#"+strconv.FormatInt(m.step.ID, 10)) + "  " + status
	// The right side gives way from its end: the line count goes first,
	// then following/paused; STALE stays (the title is cut for it).
	var right []string
	stale := ""
	if m.err != nil && m.loaded {
		stale = st.BadgeWarn.Render("STALE")
	}
	switch {
	case m.follow && !m.final():
		right = append(right, st.Accent.Render("following"))
	case !m.final():
		right = append(right, st.Muted.Render("paused"))
	}
	if total := m.vp.TotalLineCount(); m.loaded && len(m.lines) > 0 {
		from := m.lineAt(m.vp.YOffset) + 1
		to := m.lineAt(min(m.vp.YOffset+m.vp.Height, total) - 1)
		right = append(right, st.Muted.Render(fmt.Sprintf("lines %d-%d of %d", from, to+1, len(m.lines))))
	}
	join := func(parts []string) string {
		if stale != "" {
			parts = append([]string{stale}, parts...)
		}
		return strings.Join(parts, " ")
	}
	// When the step ran, with the year and zone the backend sent, after its
	// state: compact when narrow; it gives way after the line count, before
	// following/paused.
	var stamps []string
	if start := m.step.StartTime; !start.IsZero() {
		finished := ""
		if !m.step.FinishTime.IsZero() && !m.step.Active() {
			finished = " finished " + common.StampAfter(start, m.step.FinishTime)
		}
		stamps = []string{"started " + common.StampZoned(start) + finished,
			"started " + common.StampCompact(start) + finished, "started " + common.StampCompact(start)}
	}
	fits := func(l, r string) bool { return ansi.StringWidth(l)+1+ansi.StringWidth(r) <= m.width }
	r := join(right)
	placed := false
	for keep := len(right); keep >= 0 && !placed; keep-- {
		if keep < len(right) && !strings.HasPrefix(ansi.Strip(right[keep]), "lines") {
			break // only the line count gives way to the times
		}
		for _, stamp := range stamps {
			with := left + "  " + st.Muted.Render(stamp)
			if fits(with, join(right[:keep])) {
				left, right, r, placed = with, right[:keep], join(right[:keep]), true
				break
			}
		}
	}
	for len(right) > 0 && !fits(left, r) {
		right = right[:len(right)-1]
		r = join(right)
	}
	if stale != "" {
		left = th.Truncate(left, m.width-1-ansi.StringWidth(r))
	}
	lines := []string{common.JoinEnds(th.Truncate(left, m.width), r, m.width)}

	var body string
	switch {
	case !m.loaded && m.err != nil:
		body = st.Error.Render(th.Truncate("Could not load the log: "+m.ctx.ErrorText(m.err), m.width)) + "\n" +
			st.Muted.Render(th.Truncate("ctrl+r retries.", m.width))
	case !m.loaded:
		body = st.Muted.Render("Loading the log" + th.Glyphs.Ellipsis)
	case len(m.lines) == 0:
		body = st.Muted.Render("The log is empty.")
	default:
		body = m.vp.View()
	}
	lines = append(lines, common.Fit(body, m.width, m.bodyHeight()))
	if m.typing || m.search.Value() != "" {
		lines = append(lines, m.searchLine())
	}
	return common.Fit(strings.Join(lines, "\n"), m.width, m.height)
}

func (m *Model) searchLine() string {
	st := m.ctx.Styles()
	count := "no match"
	if len(m.matches) > 0 {
		count = fmt.Sprintf("match %d of %d", m.current+1, len(m.matches))
	}
	if m.typing {
		return st.FilterBar.Render("/ ") + m.search.View(st.FilterBar, st.SelectedRow) + "  " + st.MatchCount.Render(count) +
			st.Muted.Render("  enter keep  esc clear")
	}
	km := m.ctx.Keys
	hint := fmt.Sprintf("  %s next  %s previous  esc clears", km.SearchNext.Help().Key, km.SearchPrev.Help().Key)
	return st.FilterBar.Render("search: "+safetext.Line(m.search.Value())) + "  " + st.MatchCount.Render(count) + st.Muted.Render(hint)
}
