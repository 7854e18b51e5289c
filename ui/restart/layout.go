package restart

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/obconsole/obconsole/ui/common"
)

// item is one entry of the body: a row or a paragraph. short, when set,
// replaces lines in the compressed body; prio orders it there (0 first).
type item struct {
	lines []string
	short []string
	prio  int
	blank bool
	gap   bool // a blank line before it, where there is room
}

// Priorities of the body's items: lower stays on top when compressed.
const (
	prioVerdict = iota // the majority arithmetic, a refusal, an error
	prioSubject        // which server or zone, what is down
	prioState          // statuses, root service, running tasks, force
	prioContext        // cluster, servers, freeze, what force does
	prioDetail         // region, a role without root service
	prioExplain        // what a normal restart does, what freeze does
)

var blankItem = item{blank: true}

// label is the width of a row's name column ("cluster  ").
const label = 9

// inner is the text width inside the dialog's frame.
func (m *Model) inner() int {
	frame := m.ctx.Theme.Styles.Dialog
	return max(min(60, m.width-frame.GetHorizontalFrameSize()), 10)
}

// row is one "name     value" line, cut to the width.
func (m *Model) row(name, value string) []string {
	th := m.ctx.Theme
	return []string{th.Truncate(th.Styles.Muted.Render(fmt.Sprintf("%-*s", label, name))+value, m.inner())}
}

// wrapRow is a "name     value" row whose value wraps under itself.
func (m *Model) wrapRow(name string, style lipgloss.Style, value string) []string {
	st := &m.ctx.Theme.Styles
	lines := wrapLines(style, value, max(m.inner()-label, 1))
	for i := range lines {
		head := strings.Repeat(" ", label)
		if i == 0 {
			head = st.Muted.Render(fmt.Sprintf("%-*s", label, name))
		}
		lines[i] = head + lines[i]
	}
	return lines
}

// para is a paragraph wrapped to the width.
func (m *Model) para(style lipgloss.Style, s string) []string {
	return wrapLines(style, s, m.inner())
}

// wrapLines wraps s, then styles each line, so a wrapped line keeps its
// colour after the frame's border.
func wrapLines(style lipgloss.Style, s string, width int) []string {
	out := strings.Split(lipgloss.NewStyle().Width(width).Render(s), "\n")
	for i := range out {
		out[i] = style.Render(strings.TrimRight(out[i], " "))
	}
	return out
}

// View draws the dialog centred in its area.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	lines, _, _ := m.layout()
	st := &m.ctx.Theme.Styles
	frame := st.Dialog
	if m.force && m.state != failed {
		frame = st.DangerDialog
	}
	// Every line as wide as the widest the dialog can draw, so the box
	// keeps its size while the body scrolls or the text changes.
	for i := range lines {
		lines[i] = common.PadRight(lines[i], m.inner())
	}
	box := frame.Render(strings.Join(lines, "\n"))
	if lipgloss.Height(box) > m.height || lipgloss.Width(box) > m.width {
		return common.Fit(box, m.width, m.height)
	}
	return lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, box)
}

// bodyScrolls reports whether the body is compressed and scrolls.
func (m *Model) bodyScrolls() bool {
	_, scrolls, _ := m.layout()
	return scrolls
}

func (m *Model) scrollBy(d int) {
	_, _, most := m.layout()
	m.scroll = min(max(m.scroll+d, 0), most)
}

// layout is the dialog's lines inside its frame; scrolls is set when the
// body is compressed and does not fit, most is the farthest it scrolls.
func (m *Model) layout() (lines []string, scrolls bool, most int) {
	avail := m.height - m.ctx.Theme.Styles.Dialog.GetVerticalFrameSize()
	title := []string{m.title()}
	body, controls := m.body(), m.controls()

	var compact []string
	for _, it := range body {
		if !it.blank {
			compact = append(compact, it.lines...)
		}
	}
	ctl := flatten(controls, false)
	if spare := avail - len(title) - len(compact) - len(ctl); spare >= 0 {
		return m.spaced(title, body, controls, spare), false, 0
	}

	// The controls first: the note goes, then the hint, then the title,
	// before the field and the buttons.
	for len(title)+len(ctl) > avail && len(controls) > 0 {
		worst := 0
		for i, it := range controls {
			// Of equals the later goes first: the hint before the
			// warning about the others above the buttons.
			if it.prio >= controls[worst].prio {
				worst = i
			}
		}
		if controls[worst].prio == prioVerdict {
			if len(title) > 0 {
				title = nil
				continue
			}
			break
		}
		controls = slices.Delete(controls, worst, worst+1)
		ctl = flatten(controls, false)
	}
	room := avail - len(title) - len(ctl)
	sorted := slices.Clone(body)
	slices.SortStableFunc(sorted, func(a, b item) int { return a.prio - b.prio })
	rest := flatten(sorted, true)
	if len(rest) <= room {
		return append(append(title, rest...), ctl...), false, 0
	}
	if room <= 0 {
		return append(title, ctl...), true, 0
	}
	shown := room - 1 // a line says what is hidden
	most = len(rest) - shown
	top := min(max(m.scroll, 0), most)
	window := rest[top : top+shown]
	return append(append(append(title, window...), m.hidden(top, len(rest)-top-shown)), ctl...), true, most
}

// spaced lays out the whole dialog with up to spare blank lines: after
// the title, before the buttons, then between the body's groups.
func (m *Model) spaced(title []string, body, controls []item, spare int) []string {
	take := func() bool {
		if spare > 0 {
			spare--
			return true
		}
		return false
	}
	afterTitle, beforeButtons := take(), take()
	var gaps []bool
	for i, it := range body {
		if it.blank {
			gaps = append(gaps, i > 0 && i < len(body)-1 && take())
		}
	}
	lines := title
	if afterTitle {
		lines = append(lines, "")
	}
	g := 0
	for _, it := range body {
		if it.blank {
			if gaps[g] {
				lines = append(lines, "")
			}
			g++
			continue
		}
		lines = append(lines, it.lines...)
	}
	for _, it := range controls {
		if it.gap && beforeButtons {
			lines = append(lines, "")
		}
		lines = append(lines, it.lines...)
	}
	return lines
}

// flatten joins items' lines; compressed uses their short forms and
// leaves the blanks out.
func flatten(items []item, compressed bool) []string {
	var out []string
	for _, it := range items {
		switch {
		case it.blank:
		case compressed && it.short != nil:
			out = append(out, it.short...)
		default:
			out = append(out, it.lines...)
		}
	}
	return out
}

// hidden is the line saying how much of the body is out of sight and how
// to see it.
func (m *Model) hidden(above, below int) string {
	th := m.ctx.Theme
	up, down := arrows(m)
	var s string
	switch {
	case above > 0 && below > 0:
		s = fmt.Sprintf("%s %d above%s%s %d below: %s/%s", th.Glyphs.Up, above, th.Glyphs.Bullet, th.Glyphs.Down, below, up, down)
	case above > 0:
		s = fmt.Sprintf("%s %d more above: %s scrolls", th.Glyphs.Up, above, up)
	default:
		s = fmt.Sprintf("%s %d more lines: %s scrolls", th.Glyphs.Down, below, down)
	}
	return th.Styles.Muted.Render(th.Truncate(s, m.inner()))
}

// arrows are the arrow keys' names as the keymap spells them ("↑", or
// "up" in ASCII).
func arrows(m *Model) (up, down string) {
	km := m.ctx.Keys
	return strings.Split(km.Up.Help().Key, "/")[0], strings.Split(km.Down.Help().Key, "/")[0]
}
