package common

import (
	"cmp"
	"slices"
	"time"

	"github.com/obconsole/obconsole/theme"
)

// Sorting a Table: the operator moves the sort column with < and > over
// the columns shown (past either end: the order OCP gave) and inverts it
// with I. Rows are sorted once per change and per SetRows, never per
// keystroke of the filter, which walks the sorted order.

// SortNext moves the sort to the next shown column (dir 1) or the
// previous one (dir -1), ascending; past the last or first column the rows
// go back to the order they were given in.
func (t *Table) SortNext(dir int) {
	t.layout()
	pos := -1
	for i, c := range t.shown {
		if c == t.sortCol {
			pos = i
		}
	}
	switch {
	case pos < 0 && dir > 0:
		pos = 0
	case pos < 0:
		pos = len(t.shown) - 1
	default:
		pos += dir
	}
	col := -1
	if pos >= 0 && pos < len(t.shown) {
		col = t.shown[pos]
	}
	t.SetSort(col, false)
}

// InvertSort flips the sort direction; with no sort column it sorts by the
// first shown column, descending.
func (t *Table) InvertSort() {
	if t.sortCol < 0 {
		t.layout()
		if len(t.shown) == 0 {
			return
		}
		t.SetSort(t.shown[0], true)
		return
	}
	t.SetSort(t.sortCol, !t.sortDesc)
}

// SetSort sorts by column col (-1: as given), descending when desc,
// keeping the selected row selected.
func (t *Table) SetSort(col int, desc bool) {
	if col >= len(t.cols) {
		col = -1
	}
	if col == t.sortCol && desc == t.sortDesc {
		return
	}
	selKey, hadSel := "", false
	if r, ok := t.Selected(); ok {
		selKey, hadSel = r.Key, true
	}
	t.sortCol, t.sortDesc = col, desc && col >= 0
	t.measure() // the sorted column's title carries an arrow
	t.sortRows()
	t.applyFilter()
	if hadSel {
		t.selectKey(selKey)
	}
	t.clampScroll()
}

// Sort is the sort column's title ("" when unsorted) and direction.
func (t *Table) Sort() (title string, desc bool) {
	if t.sortCol < 0 {
		return "", false
	}
	return t.cols[t.sortCol].Title, t.sortDesc
}

// sortRows orders t.order by the sort column; nil when unsorted.
func (t *Table) sortRows() {
	if t.sortCol < 0 {
		t.order = nil
		return
	}
	if cap(t.order) >= len(t.rows) {
		t.order = t.order[:len(t.rows)]
	} else {
		t.order = make([]int, len(t.rows))
	}
	for i := range t.order {
		t.order[i] = i
	}
	cmpRows := t.comparer(t.sortCol)
	slices.SortStableFunc(t.order, func(a, b int) int {
		if t.sortDesc {
			return cmpRows(b, a)
		}
		return cmpRows(a, b)
	})
}

// comparer orders rows by column c.
func (t *Table) comparer(c int) func(a, b int) int {
	col := t.cols[c]
	switch {
	case col.Compare != nil:
		return col.Compare
	case col.Status:
		// Trouble first: errors, warnings and degraded rows before the
		// healthy ones; then by word.
		return func(a, b int) int {
			ra, rb := &t.rows[a], &t.rows[b]
			if d := statusRank(ra) - statusRank(rb); d != 0 {
				return d
			}
			return naturalCompare(ra.Status.Word, rb.Status.Word)
		}
	case col.Dynamic != nil:
		return func(a, b int) int { return naturalCompare(col.Dynamic(a), col.Dynamic(b)) }
	}
	return func(a, b int) int {
		var x, y string
		if c < len(t.rows[a].Cells) {
			x = t.rows[a].Cells[c]
		}
		if c < len(t.rows[b].Cells) {
			y = t.rows[b].Cells[c]
		}
		return naturalCompare(x, y)
	}
}

// toneRank orders tones from the most to the least alarming; a row with a
// note (a server down) ranks 3; any other tone is ok, 7.
var toneRank = map[theme.Tone]int{theme.ToneError: 0, theme.ToneWarn: 1, theme.ToneUnknown: 2,
	theme.ToneBusy: 4, theme.ToneWaiting: 5, theme.ToneIdle: 6}

// statusRank orders statuses from the most to the least alarming.
func statusRank(r *Row) int {
	rank, ok := toneRank[r.Status.Tone]
	if !ok {
		rank = 7
	}
	if r.Note.Text != "" && rank > 3 {
		rank = 3
	}
	return rank
}

// naturalCompare compares case-insensitively, runs of digits by their
// value: "zone2" < "zone10", "10.0.0.9" < "10.0.0.10".
func naturalCompare(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if isDigit(ca) && isDigit(cb) {
			si, sj := i, j
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			// Compare the values: leading zeros aside, the longer is larger.
			x, y := trimZeros(a[si:i]), trimZeros(b[sj:j])
			if len(x) != len(y) {
				return len(x) - len(y)
			}
			if x != y {
				if x < y {
					return -1
				}
				return 1
			}
			continue
		}
		ca, cb = lower(ca), lower(cb)
		if ca != cb {
			return int(ca) - int(cb)
		}
		i++
		j++
	}
	return (len(a) - i) - (len(b) - j)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func trimZeros(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}

// Click handles a left click at column x, line y of the table (0 is the
// header): a row is selected; a column's title sorts by it, or inverts the
// sort when it is already the sort column.
func (t *Table) Click(x, y int) bool {
	if y < 0 || y >= t.height {
		return false
	}
	if y == 0 {
		t.layout()
		left := 2
		for i, c := range t.shown {
			if x >= left && x < left+t.widths[i] {
				if c == t.sortCol {
					t.SetSort(c, !t.sortDesc)
				} else {
					t.SetSort(c, false)
				}
				return true
			}
			left += t.widths[i] + gap
		}
		return false
	}
	vi := t.offset + y - 1
	if vi >= min(t.offset+t.Page(), len(t.visible)) {
		return false
	}
	t.cursor = vi
	t.clampScroll()
	return true
}

// ByDuration orders rows by a duration a row may lack (uptime, elapsed):
// those without one first, then from the shortest. It is a Column's
// Compare.
func ByDuration(d func(row int) (time.Duration, bool)) func(a, b int) int {
	return func(a, b int) int {
		da, oka := d(a)
		db, okb := d(b)
		if oka != okb {
			if oka {
				return 1
			}
			return -1
		}
		return cmp.Compare(da, db)
	}
}
