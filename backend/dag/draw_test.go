package dag

import "strings"

// glyphs draws a graph as text so tests can state the expected picture.
var glyphs = map[Cell]string{
	CellEmpty: " ", CellPass: "│", CellNode: "●", CellHorizontal: "─", CellCross: "┼",
	CellForkRight: "╮", CellJoinRight: "╯", CellForkJoinRight: "┤",
	CellForkLeft: "╭", CellJoinLeft: "╰", CellForkJoinLeft: "├",
	CellForkMid: "┬", CellJoinMid: "┴", CellForkJoinMid: "┼",
}

func picture(g *Graph, label func(Row) string) string {
	var b strings.Builder
	for _, r := range g.Rows {
		var line strings.Builder
		for c := 0; c < g.Width; c++ {
			if c > 0 {
				if c-1 >= r.SpanLo && c-1 < r.SpanHi {
					line.WriteString("─")
				} else {
					line.WriteString(" ")
				}
			}
			if c < len(r.Cells) {
				line.WriteString(glyphs[r.Cells[c]])
			} else {
				line.WriteString(" ")
			}
		}
		b.WriteString(line.String())
		b.WriteString(" ")
		b.WriteString(label(r))
		b.WriteString("\n")
	}
	return b.String()
}
