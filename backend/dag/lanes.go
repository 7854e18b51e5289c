package dag

import "slices"

// assignLanes gives every row a column and the cells to draw, git-log
// style: a lane runs from a placed step down to one downstream step not yet
// placed. A step sits in the leftmost lane that leads to it (the others join
// it there), its first downstream continues in its column, and each further
// downstream forks into the leftmost free column. Freed columns are reused,
// so the graph stays as narrow as the parallelism it has.
func (g *Graph) assignLanes(order []int32, down [][]int32, rowOf []int32) {
	var lanes []int32 // lanes[c] = dense index the lane leads to, -1 free
	free := func() int {
		for c, t := range lanes {
			if t < 0 {
				return c
			}
		}
		lanes = append(lanes, -1)
		return len(lanes) - 1
	}
	for r, v := range order {
		row := &g.Rows[r]
		col := -1
		var joins []int
		for c, t := range lanes {
			if t != v {
				continue
			}
			if col < 0 {
				col = c
			} else {
				joins = append(joins, c)
			}
		}
		if col < 0 {
			col = free()
		}
		before := len(lanes)
		for _, c := range joins {
			lanes[c] = -1
		}
		lanes[col] = -1

		// Downstreams not yet placed, in the order they will be placed.
		var outs []int32
		for _, d := range down[v] {
			if rowOf[d] > rowOf[v] {
				outs = append(outs, d)
			}
		}
		sortByRow(outs, rowOf)
		var forks []int
		for i, d := range outs {
			if i == 0 {
				lanes[col] = d
				continue
			}
			c := free()
			lanes[c] = d
			forks = append(forks, c)
		}
		width := max(before, len(lanes))
		for width > 0 && width-1 > col && lanes[width-1] < 0 && !contains(joins, width-1) && !contains(forks, width-1) {
			width--
		}
		row.Lane, row.Joins, row.Forks = col, joins, forks
		row.Cells, row.SpanLo, row.SpanHi = drawCells(width, col, joins, forks, lanes)
		// Trim trailing free lanes so later rows do not draw them.
		for len(lanes) > 0 && lanes[len(lanes)-1] < 0 {
			lanes = lanes[:len(lanes)-1]
		}
		if width > g.Width {
			g.Width = width
		}
	}
}

// drawCells lays out one row. Columns between the step and its farthest
// fork or join on each side carry a horizontal line, crossing any lane that
// passes through.
func drawCells(width, col int, joins, forks []int, lanes []int32) ([]Cell, int, int) {
	cells := make([]Cell, width)
	lo, hi := col, col
	for _, c := range joins {
		lo, hi = min(lo, c), max(hi, c)
	}
	for _, c := range forks {
		lo, hi = min(lo, c), max(hi, c)
	}
	for c := 0; c < width; c++ {
		passing := c < len(lanes) && lanes[c] >= 0 && !contains(forks, c) && c != col
		join, fork := contains(joins, c), contains(forks, c)
		switch {
		case c == col:
			cells[c] = CellNode
		case (join || fork) && c > lo && c < hi:
			switch {
			case join && fork:
				cells[c] = CellForkJoinMid
			case join:
				cells[c] = CellJoinMid
			default:
				cells[c] = CellForkMid
			}
		case join || fork:
			right := c > col
			switch {
			case join && fork && right:
				cells[c] = CellForkJoinRight
			case join && fork:
				cells[c] = CellForkJoinLeft
			case join && right:
				cells[c] = CellJoinRight
			case join:
				cells[c] = CellJoinLeft
			case right:
				cells[c] = CellForkRight
			default:
				cells[c] = CellForkLeft
			}
		case c > lo && c < hi:
			if passing {
				cells[c] = CellCross
			} else {
				cells[c] = CellHorizontal
			}
		case passing:
			cells[c] = CellPass
		}
	}
	return cells, lo, hi
}

func sortByRow(ids []int32, rowOf []int32) {
	slices.SortFunc(ids, func(a, b int32) int { return int(rowOf[a] - rowOf[b]) })
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
