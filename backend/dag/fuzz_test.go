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
	if len(g.Problems.Cycles) > 0 {
		return // cycle breaking may put any edge below a cycle backwards
	}
	for i, n := range nodes {
		if nodes[g.Rows[g.Position(n.ID)].Index].ID != n.ID || g.Rows[g.Position(n.ID)].Index != i {
			continue // a dropped duplicate copy: its edges are ignored by design
		}
		for _, u := range n.Upstreams {
			if unique[u] && u != n.ID && g.Position(u) > g.Position(n.ID) {
				t.Fatalf("edge %d→%d runs backwards with no cycle reported", u, n.ID)
			}
		}
		for _, d := range n.Downstreams {
			if unique[d] && d != n.ID && g.Position(d) < g.Position(n.ID) {
				t.Fatalf("edge %d→%d runs backwards with no cycle reported", n.ID, d)
			}
		}
	}
	for _, l := range g.Layers {
		if !slices.IsSortedFunc(l, func(a, b int64) int { return g.Position(a) - g.Position(b) }) {
			t.Fatalf("layer not in row order: %v", l)
		}
	}
}
