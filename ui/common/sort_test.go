package common

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/theme"
)

func TestNaturalCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int // sign
	}{
		{"zone2", "zone10", -1},
		{"10.0.0.9:2882", "10.0.0.10:2882", -1},
		{"198.51.100.13", "192.0.2.14", 1},
		{"Protoss", "protoss", 0},
		{"a", "ab", -1},
		{"007", "7", 0},
		{"", "a", -1},
	} {
		got := naturalCompare(tc.a, tc.b)
		if (got < 0) != (tc.want < 0) || (got > 0) != (tc.want > 0) {
			t.Errorf("naturalCompare(%q, %q) = %d, want sign %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func sortTable() *Table {
	th := theme.New(theme.Options{})
	tb := NewTable(th, []Column{
		{Title: "ADDRESS", Flex: true},
		{Title: "STATUS", Status: true},
		{Title: "N", Right: true},
	})
	tb.SetRows([]Row{
		{Key: "a", Cells: []string{"10.0.0.10:2882", "", "5"}, Status: th.Server("RUNNING")},
		{Key: "b", Cells: []string{"10.0.0.9:2882", "", "200"}, Status: th.Server("UNAVAILABLE")},
		{Key: "c", Cells: []string{"10.0.0.11:2882", "", "100"}, Status: th.Server("RESTARTING")},
	})
	tb.SetSize(60, 10)
	return tb
}

func orderOf(tb *Table) string {
	var out []string
	for _, i := range tb.visible {
		out = append(out, tb.rows[i].Key)
	}
	return strings.Join(out, "")
}

// < and > walk the shown columns (past either end: as given); I inverts;
// the header shows the sort column and direction; the selection stays on
// its row.
func TestTableSort(t *testing.T) {
	tb := sortTable()
	tb.Move(1) // b selected
	steps := []struct {
		do     func()
		order  string
		header string
	}{
		{func() { tb.SortNext(1) }, "bac", "ADDRESS ↑"},
		{func() { tb.InvertSort() }, "cab", "ADDRESS ↓"},
		{func() { tb.SortNext(1) }, "bca", "STATUS ↑"}, // trouble first
		{func() { tb.SortNext(1) }, "acb", "N ↑"},
		{func() { tb.SortNext(1) }, "abc", ""}, // past the end: as given
		{func() { tb.SortNext(-1) }, "acb", "N ↑"},
	}
	for i, s := range steps {
		s.do()
		if got := orderOf(tb); got != s.order {
			t.Errorf("step %d: order %q, want %q", i, got, s.order)
		}
		header := strings.SplitN(ansi.Strip(tb.View(false)), "\n", 2)[0]
		if s.header != "" && !strings.Contains(header, s.header) {
			t.Errorf("step %d: header %q lacks %q", i, header, s.header)
		}
		if s.header == "" && strings.ContainsAny(header, "↑↓") {
			t.Errorf("step %d: unsorted header %q has an arrow", i, header)
		}
		if r, _ := tb.Selected(); r.Key != "b" {
			t.Errorf("step %d: selection moved to %q", i, r.Key)
		}
	}
	// A refresh keeps the sort; the filter walks the sorted rows.
	tb.SetSort(0, true)
	tb.SetRows(append([]Row(nil), tb.rows...))
	tb.SetFilter("2882")
	if got := orderOf(tb); got != "cab" {
		t.Errorf("after a refresh and a filter: %q", got)
	}
}

func TestTableSortASCIIAndClicks(t *testing.T) {
	th := theme.New(theme.Options{ASCII: true})
	tb := NewTable(th, []Column{{Title: "NAME"}, {Title: "N", Right: true}})
	tb.SetRows([]Row{{Key: "x", Cells: []string{"x", "2"}}, {Key: "y", Cells: []string{"y", "1"}}})
	tb.SetSize(30, 5)
	// Click the N title: sorted by N; again: inverted.
	if !tb.Click(8, 0) {
		t.Fatal("a click on a title did nothing")
	}
	if h := strings.SplitN(ansi.Strip(tb.View(false)), "\n", 2)[0]; !strings.Contains(h, "N ^") || orderOf(tb) != "yx" {
		t.Errorf("header %q order %q", h, orderOf(tb))
	}
	tb.Click(8, 0)
	if h := strings.SplitN(ansi.Strip(tb.View(false)), "\n", 2)[0]; !strings.Contains(h, "N v") || orderOf(tb) != "xy" {
		t.Errorf("header %q order %q", h, orderOf(tb))
	}
	// A click on the second row selects it; below the rows, nothing.
	tb.Click(3, 2)
	if r, _ := tb.Selected(); r.Key != "y" {
		t.Errorf("selected %q", r.Key)
	}
	if tb.Click(3, 4) {
		t.Error("a click below the rows selected something")
	}
}
