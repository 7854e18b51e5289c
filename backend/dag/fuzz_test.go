package dag

import (
	"slices"
	"testing"
)

// nodesFromBytes turns arbitrary bytes into a small graph: ids, upstream
// and downstream lists may repeat, loop, or name ids that do not exist.
func nodesFromBytes(data []byte) []Node {
	if len(data) == 0 {
		return nil
	}
	n := int(data[0]%24) + 1
	data = data[1:]
	nodes := make([]Node, n)
	for i := range nodes {
		nodes[i].ID = int64(i)
	}
	for i := 0; i+2 < len(data); i += 3 {
		op, a, b := data[i], int(data[i+1])%n, int64(data[i+2]%32) // ids ≥ n dangle
		switch op % 4 {
		case 0:
			nodes[a].Upstreams = append(nodes[a].Upstreams, b)
		case 1:
			nodes[a].Downstreams = append(nodes[a].Downstreams, b)
		case 2:
			nodes[a].ID = b // may duplicate another id
		}
	}
	return nodes
}

func FuzzBuild(f *testing.F) {
	f.Add([]byte{3, 1, 1, 0, 1, 2, 1})
	f.Add([]byte{5, 0, 1, 0, 0, 2, 1, 1, 0, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		nodes := nodesFromBytes(data)
		g := Build(nodes)
		checkInvariants(t, nodes, g)
	})
}

func checkInvariants(t *testing.T, nodes []Node, g *Graph) {
	t.Helper()
	unique := map[int64]bool{}
	for _, n := range nodes {
		unique[n.ID] = true
	}
	if len(g.Rows) != len(unique) {
		t.Fatalf("%d rows for %d unique ids", len(g.Rows), len(unique))
	}
	seen := map[int64]bool{}
	for i, r := range g.Rows {
		if seen[r.ID] {
			t.Fatalf("id %d listed twice", r.ID)
		}
		seen[r.ID] = true
		if nodes[r.Index].ID != r.ID || g.Position(r.ID) != i {
			t.Fatalf("row %d index/position mismatch", i)
		}
		if r.Lane < 0 || r.Lane >= len(r.Cells) || r.Cells[r.Lane] != CellNode || len(r.Cells) > g.Width {
			t.Fatalf("row %d: lane %d cells %v width %d", i, r.Lane, r.Cells, g.Width)
		}
		for c, cell := range r.Cells {
			if cell == CellNode && c != r.Lane {
				t.Fatalf("row %d: second node at %d", i, c)
			}
		}
	}
	inCycle := map[int64]bool{}
	for _, c := range g.Problems.Cycles {
		if len(c) < 2 {
			t.Fatalf("cycle of %d", len(c))
		}
		for _, id := range c {
			inCycle[id] = true
		}
	}

	// An independent oracle: the edges Build should see (those of the kept
	// copies, to steps that exist, no self-loops) and who reaches whom.
	type edge struct{ from, to int64 }
	var edges []edge
	for i, n := range nodes {
		if g.Rows[g.Position(n.ID)].Index != i {
			continue // a dropped duplicate copy: its edges are ignored by design
		}
		for _, u := range n.Upstreams {
			if unique[u] && u != n.ID {
				edges = append(edges, edge{u, n.ID})
			}
		}
		for _, d := range n.Downstreams {
			if unique[d] && d != n.ID {
				edges = append(edges, edge{n.ID, d})
			}
		}
	}
	down := map[int64][]int64{}
	for _, e := range edges {
		down[e.from] = append(down[e.from], e.to)
	}
	reach := map[int64]map[int64]bool{} // reach[a][b]: a path of ≥1 edge from a to b
	for id := range unique {
		r := map[int64]bool{}
		stack := slices.Clone(down[id])
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !r[v] {
				r[v] = true
				stack = append(stack, down[v]...)
			}
		}
		reach[id] = r
	}
	sameCycle := func(a, b int64) bool { return a != b && reach[a][b] && reach[b][a] }
	for id := range unique {
		onCycle := false
		for other := range unique {
			if sameCycle(id, other) {
				onCycle = true
			}
		}
		if onCycle != inCycle[id] {
			t.Fatalf("step %d on a cycle: %v, reported: %v (%v)", id, onCycle, inCycle[id], g.Problems.Cycles)
		}
	}
	// Every edge that is not inside a cycle runs down the rows, and adds a
	// layer, even below a cycle.
	layer := map[int64]int{}
	for _, r := range g.Rows {
		layer[r.ID] = r.Layer
	}
	for _, e := range edges {
		if sameCycle(e.from, e.to) {
			continue
		}
		if g.Position(e.from) > g.Position(e.to) {
			t.Fatalf("edge %d→%d runs backwards (cycles %v)", e.from, e.to, g.Problems.Cycles)
		}
		if layer[e.to] < layer[e.from]+1 {
			t.Fatalf("edge %d→%d: layers %d→%d", e.from, e.to, layer[e.from], layer[e.to])
		}
	}
	// Steps that can run (not on a cycle nor below one) come first.
	stuck := func(id int64) bool {
		if inCycle[id] {
			return true
		}
		for c := range inCycle {
			if reach[c][id] {
				return true
			}
		}
		return false
	}
	for i := 1; i < len(g.Rows); i++ {
		if stuck(g.Rows[i-1].ID) && !stuck(g.Rows[i].ID) {
			t.Fatalf("step %d (free) listed after %d (in or below a cycle)", g.Rows[i].ID, g.Rows[i-1].ID)
		}
	}
	// Lanes are continuous: a column that leaves a row downwards enters the
	// next row from above (columns holding a step are checked by the
	// counts above).
	up := func(c Cell) bool {
		switch c {
		case CellPass, CellCross, CellJoinRight, CellJoinLeft, CellJoinMid,
			CellForkJoinRight, CellForkJoinLeft, CellForkJoinMid:
			return true
		}
		return false
	}
	dn := func(c Cell) bool {
		switch c {
		case CellPass, CellCross, CellForkRight, CellForkLeft, CellForkMid,
			CellForkJoinRight, CellForkJoinLeft, CellForkJoinMid:
			return true
		}
		return false
	}
	cell := func(r Row, c int) Cell {
		if c < len(r.Cells) {
			return r.Cells[c]
		}
		return CellEmpty
	}
	for i := 1; i < len(g.Rows); i++ {
		a, b := g.Rows[i-1], g.Rows[i]
		for c := 0; c < g.Width; c++ {
			if c == a.Lane || c == b.Lane {
				continue
			}
			if dn(cell(a, c)) != up(cell(b, c)) {
				t.Fatalf("column %d breaks between rows %d and %d: %v / %v", c, i-1, i, a.Cells, b.Cells)
			}
		}
	}
	for _, l := range g.Layers {
		if !slices.IsSortedFunc(l, func(a, b int64) int { return g.Position(a) - g.Position(b) }) {
			t.Fatalf("layer not in row order: %v", l)
		}
	}
}
