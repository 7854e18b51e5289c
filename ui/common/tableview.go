package common

import (
	"sort"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/theme"
)

// Columns returns the titles of the columns shown at the current width,
// in order (for tests and the README's give-way table).
func (t *Table) Columns() []string {
	t.layout()
	out := make([]string, len(t.shown))
	for i, c := range t.shown {
		out[i] = t.cols[c].Title
	}
	return out
}

// gap between columns; the first two columns of every line hold the
// cursor.
const gap = 2

func (t *Table) layout() {
	if !t.dirty {
		return
	}
	t.dirty = false
	avail := t.width - 2
	shown := make([]int, 0, len(t.cols))
	for c := range t.cols {
		shown = append(shown, c)
	}
	total := func() int {
		sum := 0
		for i, c := range shown {
			if i > 0 {
				sum += gap
			}
			sum += t.minWidth(c)
		}
		return sum
	}
	// Drop columns in give-way order while even the squeezed layout does
	// not fit.
	order := make([]int, 0, len(t.cols))
	for c, col := range t.cols {
		if col.GiveWay > 0 {
			order = append(order, c)
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return t.cols[order[i]].GiveWay > t.cols[order[j]].GiveWay })
	for _, drop := range order {
		if total() <= avail {
			break
		}
		for i, c := range shown {
			if c == drop {
				shown = append(shown[:i], shown[i+1:]...)
				break
			}
		}
	}
	widths := make([]int, len(shown))
	sum := 0
	for i, c := range shown {
		widths[i] = t.natural[c]
		sum += widths[i]
		if i > 0 {
			sum += gap
		}
	}
	// Squeeze flex columns, widest first, down to their minimum.
	for over := sum - avail; over > 0; {
		best := -1
		for i, c := range shown {
			if widths[i] > t.minWidth(c) && (best < 0 || widths[i] > widths[best]) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		widths[best]--
		over--
	}
	// A Status column squeezed below its notes' full text shows them
	// short: it needs no more than that, and what it frees goes back to
	// the squeezed Flex columns.
	for i, c := range shown {
		if !t.cols[c].Status || t.noteMin == 0 || widths[i] >= t.natural[c] {
			continue
		}
		free := widths[i] - max(t.noteMin, ansi.StringWidth(t.headerTitle(c)))
		widths[i] -= free
		for j, f := range shown {
			if t.cols[f].Flex && free > 0 {
				give := min(free, t.natural[f]-widths[j])
				widths[j] += max(give, 0)
				free -= max(give, 0)
			}
		}
		widths[i] += free // nobody wanted it: keep the column's room
	}
	t.shown, t.widths = shown, widths
}

// minWidth is the narrowest column c is squeezed to: a Flex column's
// title or MinWidth, a Status column's statuses with their short notes;
// any other column keeps its natural width.
func (t *Table) minWidth(c int) int {
	col := t.cols[c]
	switch {
	case col.Flex:
		return max(ansi.StringWidth(t.headerTitle(c)), col.MinWidth, min(t.natural[c], col.Keep))
	case col.Status && t.noteMin > 0:
		return max(ansi.StringWidth(t.headerTitle(c)), t.noteMin)
	}
	return t.natural[c]
}

func (t *Table) pad(s string, w int, right bool) string {
	s = t.th.Truncate(s, w)
	n := w - ansi.StringWidth(s)
	if n <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", n) + s
	}
	return s + strings.Repeat(" ", n)
}

// View renders the header and the rows in view: at most height lines.
// stale draws the rows in the stale style.
func (t *Table) View(stale bool) string {
	if t.width <= 0 || t.height <= 0 {
		return ""
	}
	t.layout()
	st := &t.th.Styles
	var b strings.Builder
	b.WriteString("  ")
	for i, c := range t.shown {
		if i > 0 {
			b.WriteString(strings.Repeat(" ", gap))
		}
		b.WriteString(st.Header.Render(t.pad(t.headerTitle(c), t.widths[i], t.cols[c].Right)))
	}
	header := PadRight(b.String(), t.width)
	lines := []string{header}
	end := min(t.offset+t.Page(), len(t.visible))
	cursor := t.th.Glyphs.Cursor
	for vi := t.offset; vi < end; vi++ {
		ri := t.visible[vi]
		row := t.rows[ri]
		selected := vi == t.cursor
		b.Reset()
		if selected {
			b.WriteString(PadRight(cursor, 2))
		} else {
			b.WriteString("  ")
		}
		for i, c := range t.shown {
			if i > 0 {
				b.WriteString(strings.Repeat(" ", gap))
			}
			col := t.cols[c]
			if col.Status {
				b.WriteString(t.statusCell(row, t.widths[i], !selected && !stale))
				continue
			}
			var text string
			switch {
			case col.Dynamic != nil:
				text = col.Dynamic(ri)
			default:
				text = t.cellText(row, c)
			}
			b.WriteString(t.pad(text, t.widths[i], col.Right))
		}
		line := PadRight(b.String(), t.width)
		switch {
		case selected:
			line = st.SelectedRow.Render(line)
		case stale:
			line = st.Stale.Render(line)
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// noteGap separates a status from its note.
const noteGap = "  "

// statusCell draws a row's status and note in w columns: the note's text,
// else its short text, else its icon alone, so the status word is never
// cut for it. coloured draws each part in its tone.
func (t *Table) statusCell(r Row, w int, coloured bool) string {
	status := r.Status.Icon + " " + r.Status.Word
	paint := func(tone theme.Tone, s string) string {
		if coloured {
			return t.th.ToneStyle(tone).Render(s)
		}
		return s
	}
	if r.Note.Text == "" {
		return paint(r.Status.Tone, t.pad(status, w, false))
	}
	icon := t.th.Icon(r.Note.Tone)
	sw := ansi.StringWidth(status)
	for _, note := range []string{icon + " " + r.Note.Text, icon + " " + r.Note.Short, icon} {
		if nw := sw + len(noteGap) + ansi.StringWidth(note); nw <= w {
			return paint(r.Status.Tone, status) + noteGap + paint(r.Note.Tone, note) + strings.Repeat(" ", w-nw)
		}
	}
	return paint(r.Status.Tone, t.pad(status, w, false))
}

// headerTitle is column c's title, with the sort direction's arrow on the
// sorted column.
func (t *Table) headerTitle(c int) string {
	if c != t.sortCol {
		return t.cols[c].Title
	}
	if t.sortDesc {
		return t.cols[c].Title + " " + t.th.Glyphs.Down
	}
	return t.cols[c].Title + " " + t.th.Glyphs.Up
}

// Window reports the first and last (exclusive) matching positions in
// view, for "12-30 of 500" hints.
func (t *Table) Window() (from, to int) {
	return t.offset, min(t.offset+t.Page(), len(t.visible))
}
