package common

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/theme"
)

func testTable() *Table {
	th := theme.New(theme.Options{ASCII: true})
	t := NewTable(th, []Column{
		{Title: "NAME", Flex: true, MinWidth: 6},
		{Title: "STATUS", Status: true},
		{Title: "VERSION", GiveWay: 2},
		{Title: "ZONE", GiveWay: 1},
		{Title: "N", Right: true, MinWidth: 3, Dynamic: func(i int) string { return fmt.Sprint(i * 10) }},
	})
	var rows []Row
	for i := 0; i < 50; i++ {
		rows = append(rows, Row{Key: fmt.Sprint(i), Cells: []string{fmt.Sprintf("server-%02d-long-name", i), "", "4.2.1.2", fmt.Sprintf("zone%d", i%3+1)},
			Status: th.Server("RUNNING")})
	}
	t.SetRows(rows)
	return t
}

func TestTableGiveWayOrder(t *testing.T) {
	tb := testTable()
	for _, tc := range []struct {
		width int
		want  string
	}{
		{80, "NAME STATUS VERSION ZONE N"},
		{50, "NAME STATUS VERSION ZONE N"}, // NAME squeezed first
		{36, "NAME STATUS ZONE N"},         // VERSION goes first
		{28, "NAME STATUS N"},              // then ZONE
		{10, "NAME STATUS N"},              // never-dropping columns stay; the line is cut
	} {
		tb.SetSize(tc.width, 10)
		if got := strings.Join(tb.Columns(), " "); got != tc.want {
			t.Errorf("width %d: columns %q, want %q", tc.width, got, tc.want)
		}
		for _, line := range strings.Split(tb.View(false), "\n") {
			if ansi.StringWidth(line) != tc.width {
				t.Fatalf("width %d: line %q is %d wide", tc.width, ansi.Strip(line), ansi.StringWidth(line))
			}
		}
	}
	tb.SetSize(50, 10)
	if v := ansi.Strip(tb.View(false)); !strings.Contains(v, "server-00-...") {
		t.Errorf("the flex column is cut with the ASCII ellipsis:\n%s", v)
	}
}

func TestTableFilterScrollAndSelection(t *testing.T) {
	tb := testTable()
	tb.SetSize(80, 6) // header + 5 rows
	tb.Move(12)
	if r, _ := tb.Selected(); r.Key != "12" {
		t.Fatalf("selected %q", r.Key)
	}
	if from, to := tb.Window(); from != 8 || to != 13 {
		t.Fatalf("window %d-%d", from, to)
	}
	if lines := strings.Split(tb.View(false), "\n"); len(lines) != 6 || !strings.HasPrefix(ansi.Strip(lines[5]), "> server-12") {
		t.Fatalf("view:\n%s", ansi.Strip(tb.View(false)))
	}
	tb.SetFilter("ZONE1") // case-insensitive; rows 0,3,6,9,12,…
	if tb.Matches() != 17 {
		t.Fatalf("matches %d", tb.Matches())
	}
	if r, _ := tb.Selected(); r.Key != "12" {
		t.Fatalf("selection should stay on the same row when it still matches: %q", r.Key)
	}
	tb.SetFilter("ZONE1 nothing")
	if _, ok := tb.Selected(); ok || tb.SelectedIndex() != -1 {
		t.Fatal("nothing matches, nothing selected")
	}
	tb.SetFilter("")
	tb.Bottom()
	if r, _ := tb.Selected(); r.Key != "49" {
		t.Fatalf("bottom %q", r.Key)
	}
	// Dynamic cells are not searched.
	tb.SetFilter("490")
	if tb.Matches() != 0 {
		t.Fatal("dynamic text must not be searched")
	}
	// New data keeps the selection by key.
	tb.SetFilter("")
	tb.Top()
	tb.Move(3)
	rows := append([]Row{{Key: "new", Cells: []string{"new-server", "", "", ""}}}, tb.rows...)
	tb.SetRows(rows)
	if r, _ := tb.Selected(); r.Key != "3" {
		t.Fatalf("refresh moved the selection to %q", r.Key)
	}
}

func TestTableTinySizes(t *testing.T) {
	tb := testTable()
	for w := 0; w < 30; w++ {
		for h := 0; h < 4; h++ {
			tb.SetSize(w, h)
			tb.Move(1)
			if v := tb.View(true); h == 0 && v != "" {
				t.Fatalf("%dx%d: %q", w, h, v)
			}
		}
	}
	empty := NewTable(theme.Default(), []Column{{Title: "A"}})
	empty.SetSize(10, 3)
	empty.Move(1)
	if _, ok := empty.Selected(); ok {
		t.Fatal("empty table has no selection")
	}
}

// Cells from OCP are made safe before they are measured: the widths, the
// cuts and the filter all work on the text as shown.
func TestTableCellsAreMadeSafe(t *testing.T) {
	th := theme.New(theme.Options{ASCII: true})
	tb := NewTable(th, []Column{{Title: "NAME", Flex: true, MinWidth: 4}, {Title: "ZONE"}})
	tb.SetRows([]Row{{Key: "1", Cells: []string{"evil\x1b]0;pwned\x07", "z\u202e1\xff"}}})
	tb.SetSize(60, 5)
	view := tb.View(false)
	if strings.ContainsAny(view, "\x1b\x07\u202e") || !strings.Contains(view, `evil^[]0;pwned^G  z\u202e1\xff`) {
		t.Fatalf("view %q", view)
	}
	for _, l := range strings.Split(view, "\n") {
		if ansi.StringWidth(l) > 60 {
			t.Fatalf("line of %d columns", ansi.StringWidth(l))
		}
	}
	tb.SetFilter("^[]0")
	if tb.Matches() != 1 {
		t.Error("the filter must find the text as shown")
	}
}
