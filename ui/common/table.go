package common

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/theme"
)

// Column describes one column of a Table.
type Column struct {
	Title string
	// MinWidth is the narrowest a Flex column is squeezed to.
	MinWidth int
	// MaxWidth caps the natural width (0: no cap); longer text is cut
	// with the theme's ellipsis.
	MaxWidth int
	// Flex columns absorb shrinking before anything is cut off the row.
	Flex bool
	// Keep is how much of a Flex column's text is never squeezed away: its
	// floor is its text's width up to Keep columns (so an address is not cut
	// in the middle while other columns can give way instead).
	Keep int
	// GiveWay orders which columns disappear when the terminal is too
	// narrow: the highest value goes first; 0 never goes.
	GiveWay int
	// Right aligns numbers.
	Right bool
	// Status marks the column drawn from Row.Status (icon and word, in
	// the status's colour).
	Status bool
	// Dynamic cells are computed at render time for the visible rows only
	// (uptime, elapsed), from the row's index in the rows given to
	// SetRows. Their text is not searched by the filter. Width is the
	// larger of the title and MinWidth.
	Dynamic func(row int) string
	// Compare orders two rows (indices into the rows given to SetRows) by
	// this column, for a Dynamic column or where the text would sort
	// wrong; nil compares the cells' text, digit runs as numbers (so
	// 10.0.0.9 comes before 10.0.0.10).
	Compare func(a, b int) int
}

// Row is one line of a Table.
type Row struct {
	// Key identifies the row across refreshes so the selection stays on
	// the same item.
	Key string
	// Cells holds the plain text of each column (ignored for Status and
	// Dynamic columns). It may come straight from OCP: SetRows makes each
	// cell safe (safetext.Line) in place, before widths are measured.
	Cells  []string
	Status theme.Status
	// Note follows the status in the Status column, in its own tone: a
	// roll-up of the row's children ("1 of 2 servers down"). Searched by
	// the filter.
	Note Note
}

// Note is a mark after a row's status: an icon of Tone, then Text, or
// Short where the column is too narrow for Text ("1/2 down"), or the icon
// alone where even that does not fit.
type Note struct {
	Tone  theme.Tone
	Text  string
	Short string
}

// Table is a filterable, scrolling table that renders only the rows in
// view, so a 10,000-row list filters and redraws within a frame. The
// lowercase search text of each row is computed once, in SetRows.
type Table struct {
	th      *theme.Theme
	cols    []Column
	rows    []Row
	lower   []string
	natural []int // natural width per column over all rows
	visible []int // indices into rows that match the filter
	filter  string
	cursor  int // index into visible
	offset  int // first index of visible in view
	width   int
	height  int
	shown   []int // columns in the current layout
	widths  []int // width per shown column
	dirty   bool
	// noteMin is the narrowest the Status column may be squeezed to while
	// every note keeps its short form; 0 when no row has a note.
	noteMin int

	// Sorting: by sortCol (-1: as given), descending when sortDesc.
	// order is the rows' indices in that order; the filter walks it.
	sortCol  int
	sortDesc bool
	order    []int
}

// NewTable builds an empty table.
func NewTable(th *theme.Theme, cols []Column) *Table {
	t := &Table{th: th, cols: cols, dirty: true, sortCol: -1}
	t.natural = make([]int, len(cols))
	t.measure()
	return t
}

// SetRows replaces the rows, keeping the filter and, when its Key is still
// there, the selected row. Every cell is made safe in place: the widths,
// the cuts and the filter all work on the text as shown.
func (t *Table) SetRows(rows []Row) {
	selKey, hadSel := "", false
	if r, ok := t.Selected(); ok {
		selKey, hadSel = r.Key, true
	}
	for i := range rows {
		for c, cell := range rows[i].Cells {
			if !safetext.IsSafe(cell) {
				rows[i].Cells[c] = safetext.Line(cell)
			}
		}
	}
	t.rows = rows
	// The search text of every row, lower-cased, in one allocation:
	// static cells only, the status by its word (not its icon).
	var all strings.Builder
	ends := make([]int, len(rows))
	for i, r := range rows {
		for c, col := range t.cols {
			switch {
			case col.Dynamic != nil:
				continue
			case col.Status:
				writeLower(&all, r.Status.Word)
				if r.Note.Text != "" {
					all.WriteByte(' ')
					writeLower(&all, r.Note.Text)
				}
			case c < len(r.Cells):
				writeLower(&all, r.Cells[c])
			}
			all.WriteByte('\t')
		}
		ends[i] = all.Len()
	}
	text := all.String()
	t.lower = make([]string, len(rows))
	start := 0
	for i, end := range ends {
		t.lower[i] = text[start:end]
		start = end
	}
	t.measure()
	t.sortRows()
	t.applyFilter()
	if hadSel {
		t.selectKey(selKey)
	}
	t.clampScroll()
}

// cellText is the plain text of a static cell.
func (t *Table) cellText(r Row, c int) string {
	if t.cols[c].Status {
		if r.Note.Text != "" {
			return r.Status.Icon + " " + r.Status.Word + noteGap + t.th.Icon(r.Note.Tone) + " " + r.Note.Text
		}
		return r.Status.Icon + " " + r.Status.Word
	}
	if c < len(r.Cells) {
		return r.Cells[c]
	}
	return ""
}

func (t *Table) measure() {
	for c, col := range t.cols {
		w := max(ansi.StringWidth(t.headerTitle(c)), col.MinWidth)
		switch {
		case col.Dynamic != nil:
		case col.Status:
			t.noteMin = 0
			for _, r := range t.rows {
				sw := width(r.Status.Icon) + 1 + width(r.Status.Word)
				if r.Note.Text == "" {
					w = max(w, sw)
					t.noteMin = max(t.noteMin, sw)
					continue
				}
				icon := width(t.th.Icon(r.Note.Tone))
				w = max(w, sw+len(noteGap)+icon+1+width(r.Note.Text))
				t.noteMin = max(t.noteMin, sw+len(noteGap)+icon+1+width(r.Note.Short))
			}
			if t.noteMin == w {
				t.noteMin = 0
			}
		default:
			for _, r := range t.rows {
				if c < len(r.Cells) {
					w = max(w, width(r.Cells[c]))
				}
			}
		}
		if col.MaxWidth > 0 {
			w = min(w, max(col.MaxWidth, ansi.StringWidth(t.headerTitle(c))))
		}
		t.natural[c] = w
	}
	t.dirty = true
}

// SetFilter filters rows by a case-insensitive substring of their text.
func (t *Table) SetFilter(q string) {
	if q == t.filter {
		return
	}
	selKey, hadSel := "", false
	if r, ok := t.Selected(); ok {
		selKey, hadSel = r.Key, true
	}
	t.filter = q
	t.applyFilter()
	t.cursor, t.offset = 0, 0
	if hadSel {
		t.selectKey(selKey)
	}
	t.clampScroll()
}

// Filter is the current filter text.
func (t *Table) Filter() string { return t.filter }

func (t *Table) applyFilter() {
	q := strings.ToLower(t.filter)
	t.visible = t.visible[:0]
	if t.order != nil {
		for _, i := range t.order {
			if q == "" || strings.Contains(t.lower[i], q) {
				t.visible = append(t.visible, i)
			}
		}
		return
	}
	for i := range t.rows {
		if q == "" || strings.Contains(t.lower[i], q) {
			t.visible = append(t.visible, i)
		}
	}
}

func (t *Table) selectKey(key string) {
	for vi, ri := range t.visible {
		if t.rows[ri].Key == key {
			t.cursor = vi
			return
		}
	}
}

// Len is the number of rows; Matches the number passing the filter.
func (t *Table) Len() int     { return len(t.rows) }
func (t *Table) Matches() int { return len(t.visible) }

// Selected returns the selected row.
func (t *Table) Selected() (Row, bool) {
	i := t.SelectedIndex()
	if i < 0 {
		return Row{}, false
	}
	return t.rows[i], true
}

// SelectedIndex is the selected row's index in the rows given to SetRows,
// -1 when nothing is selected (no rows match).
func (t *Table) SelectedIndex() int {
	if t.cursor < 0 || t.cursor >= len(t.visible) {
		return -1
	}
	return t.visible[t.cursor]
}

// Cursor is the selected position among the matching rows.
func (t *Table) Cursor() int { return t.cursor }

// Move moves the selection by delta rows, clamped.
func (t *Table) Move(delta int) {
	t.cursor += delta
	t.clampScroll()
}

// Top and Bottom jump to the first and last matching row.
func (t *Table) Top()    { t.cursor = 0; t.clampScroll() }
func (t *Table) Bottom() { t.cursor = len(t.visible) - 1; t.clampScroll() }

// Page is the number of rows in view.
func (t *Table) Page() int { return max(t.height-1, 1) }

func (t *Table) clampScroll() {
	t.cursor = min(max(t.cursor, 0), max(len(t.visible)-1, 0))
	page := t.Page()
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+page {
		t.offset = t.cursor - page + 1
	}
	t.offset = min(max(t.offset, 0), max(len(t.visible)-page, 0))
}

// SetSize gives the table its area: one header line plus rows.
func (t *Table) SetSize(width, height int) {
	if width != t.width {
		t.dirty = true
	}
	t.width, t.height = width, height
	t.clampScroll()
}

// writeLower appends s lower-cased, without allocating for ASCII text.
func writeLower(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			b.WriteString(strings.ToLower(s))
			return
		}
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if 'A' <= ch && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		b.WriteByte(ch)
	}
}

// width is the display width of s, counted directly for plain ASCII.
func width(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] < 0x20 {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}
