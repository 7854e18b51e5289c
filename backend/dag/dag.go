// Package dag orders a task's subtask graph for display: the execution
// order, the layers, and git-log-style lanes, with malformed graphs (cycles,
// self-loops, duplicate ids, dangling edges) reported as values. It is the
// one place that decides how a subtask graph is ordered; it knows nothing
// about the UI.
//
// Order. Kahn's algorithm. When several steps are ready at once, the one
// made ready by the most recently placed step goes first, so a parallel
// branch is listed whole before the next one (like git log --topo-order);
// steps made ready together, and the roots, go in input order. The order is
// therefore stable: the same input always gives the same rows.
//
// Malformed input. Edges are the union of every upstreams and downstreams
// list (an edge stated on one side only still counts). A later copy of a
// duplicate id is dropped, a self-loop and an edge naming a missing id are
// ignored, and each is reported. Steps on a cycle cannot be ordered, nor
// can the steps below one; they are appended after every step that can
// run. A cycle is placed once nothing outside it holds it back (cycles in
// the order of their first step in input order), breaking it at its first
// step in input order, and the steps below it follow, so every edge that
// is not inside a cycle still runs down the rows. Every cycle is reported
// with its steps. Nothing panics or loops: Build is O(V+E) apart from
// sorting each step's downstreams and the cycles, and lanes add O(V·W)
// for W columns.
package dag

import (
	"fmt"
	"slices"
	"strings"

	"github.com/obconsole/obconsole/backend/internal/minheap"
	"github.com/obconsole/obconsole/backend/ocp"
)

// Node is one step: its id and the ids it depends on and feeds.
type Node struct {
	ID          int64
	Upstreams   []int64
	Downstreams []int64
}

// FromSubtasks adapts OCP subtasks.
func FromSubtasks(subtasks []ocp.Subtask) []Node {
	nodes := make([]Node, len(subtasks))
	for i, s := range subtasks {
		nodes[i] = Node{ID: s.ID, Upstreams: s.Upstreams, Downstreams: s.Downstreams}
	}
	return nodes
}

// Edge is a dependency: From must finish before To starts.
type Edge struct{ From, To int64 }

func (e Edge) String() string { return fmt.Sprintf("%d→%d", e.From, e.To) }

// Problems lists what is wrong with a graph. The zero value means none.
type Problems struct {
	Duplicates []int64   // ids that appear more than once (the first copy is kept)
	SelfLoops  []int64   // steps that name themselves as up- or downstream
	Dangling   []Edge    // edges naming an id that is not in the graph
	Cycles     [][]int64 // each cycle's steps, in input order
}

// Empty reports a well-formed graph.
func (p Problems) Empty() bool {
	return len(p.Duplicates) == 0 && len(p.SelfLoops) == 0 && len(p.Dangling) == 0 && len(p.Cycles) == 0
}

// String says what is wrong in one line, for a warning banner.
func (p Problems) String() string {
	var parts []string
	if len(p.Cycles) > 0 {
		cs := make([]string, len(p.Cycles))
		for i, c := range p.Cycles {
			cs[i] = joinIDs(c, " ")
		}
		parts = append(parts, "cycle among steps "+strings.Join(cs, "; "))
	}
	if len(p.SelfLoops) > 0 {
		parts = append(parts, "step depends on itself: "+joinIDs(p.SelfLoops, ", "))
	}
	if len(p.Duplicates) > 0 {
		parts = append(parts, "duplicate step ids: "+joinIDs(p.Duplicates, ", "))
	}
	if len(p.Dangling) > 0 {
		es := make([]string, len(p.Dangling))
		for i, e := range p.Dangling {
			es[i] = e.String()
		}
		parts = append(parts, "edges to missing steps: "+strings.Join(es, ", "))
	}
	return strings.Join(parts, "; ")
}

func joinIDs(ids []int64, sep string) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return strings.Join(s, sep)
}

// Cell is what a renderer draws in one lane column of one row. Forks and
// joins are drawn on the step's own row, so every step is one line.
type Cell uint8

const (
	CellEmpty         Cell = iota // nothing
	CellPass                      // a lane passes straight down: │
	CellNode                      // this row's step: ●
	CellHorizontal                // a line from the step to a fork or join: ─
	CellCross                     // that line crossing a passing lane: ┼
	CellForkRight                 // a lane starts here, fed by the step to its left: ╮
	CellJoinRight                 // a lane ends here, feeding the step to its left: ╯
	CellForkJoinRight             // both at once: ┤
	CellForkLeft                  // a lane starts here, fed by the step to its right: ╭
	CellJoinLeft                  // a lane ends here, feeding the step to its right: ╰
	CellForkJoinLeft              // both at once: ├
	CellForkMid                   // a lane starts here, the line goes on: ┬
	CellJoinMid                   // a lane ends here, the line goes on: ┴
	CellForkJoinMid               // both, the line goes on: ┼
)

// Row is one step in execution order with what to draw beside it.
type Row struct {
	ID    int64
	Index int // position of the step in the input
	Layer int // longest chain of upstreams before it (roots are 0)
	Lane  int // the column of the step
	// Joins are the columns whose lanes end in this step (other than its
	// own); Forks the columns whose lanes start from it.
	Joins, Forks []int
	// Cells has one entry per column in use on this row.
	Cells []Cell
	// SpanLo..SpanHi are the columns the horizontal line joins on this
	// row (both equal Lane when there is none). A renderer that puts a
	// gap between columns draws the gap right of column c as a line when
	// SpanLo <= c < SpanHi.
	SpanLo, SpanHi int
}

// Graph is an ordered subtask graph.
type Graph struct {
	Rows     []Row     // execution order
	Layers   [][]int64 // step ids per layer
	Width    int       // the most lane columns any row uses
	Problems Problems
	pos      map[int64]int
}

// Position returns the row of a step id, or -1.
func (g *Graph) Position(id int64) int {
	if p, ok := g.pos[id]; ok {
		return p
	}
	return -1
}

// OfTask orders a task's subtasks.
func OfTask(t *ocp.Task) *Graph { return Build(FromSubtasks(t.Subtasks)) }

// Build orders nodes. It never fails: problems are reported in Problems.
func Build(nodes []Node) *Graph {
	g := &Graph{pos: make(map[int64]int, len(nodes))}

	// Index the unique ids; later duplicates are dropped.
	index := make(map[int64]int, len(nodes)) // id -> input index of the kept copy
	keep := make([]int, 0, len(nodes))       // input indexes kept, in input order
	seenDup := map[int64]bool{}
	for i, n := range nodes {
		if _, dup := index[n.ID]; dup {
			if !seenDup[n.ID] {
				seenDup[n.ID] = true
				g.Problems.Duplicates = append(g.Problems.Duplicates, n.ID)
			}
			continue
		}
		index[n.ID] = len(keep)
		keep = append(keep, i)
	}
	n := len(keep)

	// Collect unique edges between kept nodes (dense indexes 0..n-1).
	down := make([][]int32, n)
	indeg := make([]int32, n)
	edgeSeen := make(map[uint64]struct{}, n)
	selfSeen := map[int64]bool{}
	dangSeen := map[Edge]bool{}
	addEdge := func(from, to int64) {
		if from == to {
			if !selfSeen[from] {
				selfSeen[from] = true
				g.Problems.SelfLoops = append(g.Problems.SelfLoops, from)
			}
			return
		}
		fi, ok1 := index[from]
		ti, ok2 := index[to]
		if !ok1 || !ok2 {
			e := Edge{from, to}
			if !dangSeen[e] {
				dangSeen[e] = true
				g.Problems.Dangling = append(g.Problems.Dangling, e)
			}
			return
		}
		key := uint64(uint32(fi))<<32 | uint64(uint32(ti))
		if _, dup := edgeSeen[key]; dup {
			return
		}
		edgeSeen[key] = struct{}{}
		down[fi] = append(down[fi], int32(ti))
		indeg[ti]++
	}
	for _, i := range keep {
		nd := nodes[i]
		for _, u := range nd.Upstreams {
			addEdge(u, nd.ID)
		}
		for _, d := range nd.Downstreams {
			addEdge(nd.ID, d)
		}
	}
	// Downstreams in input order, so ties break the documented way.
	for i := range down {
		slices.Sort(down[i])
	}

	// Cycles first: a step on a cycle waits for itself, and a step below
	// one waits for the cycle, so neither can be placed by Kahn's rule.
	cycles := components(down)
	if len(cycles) > 0 {
		g.Problems.Cycles = cycleIDs(cycles, keep, nodes)
	}
	cycleOf := make([]int32, n) // index into cycles, -1 off every cycle
	for i := range cycleOf {
		cycleOf[i] = -1
	}
	for ci, c := range cycles {
		for _, v := range c {
			cycleOf[v] = int32(ci)
		}
	}
	// waiting[ci] counts the edges into cycle ci from steps outside it that
	// are not placed yet; a cycle is released only once it reaches zero, so
	// no edge from outside a cycle runs backwards.
	waiting := make([]int32, len(cycles))
	for v, ds := range down {
		for _, d := range ds {
			if c := cycleOf[d]; c >= 0 && cycleOf[v] != c {
				waiting[c]++
			}
		}
	}
	ready := minheap.New(func(a, b int) bool { return a < b }) // released cycles, by their first step
	for ci := range cycles {
		if waiting[ci] == 0 {
			ready.Push(ci)
		}
	}
	current := -1                      // the cycle being placed
	nextOf := make([]int, len(cycles)) // per cycle, its first member maybe not placed

	// Kahn's algorithm with a stack: the step made ready last goes first.
	order := make([]int32, 0, n)
	placed := make([]bool, n)
	remaining := slices.Clone(indeg)
	stack := make([]int32, 0, n)
	for i := n - 1; i >= 0; i-- {
		if remaining[i] == 0 {
			stack = append(stack, int32(i))
		}
	}
	for len(order) < n {
		if len(stack) == 0 {
			// Only cycles, and what hangs below them, remain. Release the
			// cycle being placed, else the released one whose first step
			// comes first in input order, at its first step not placed.
			// One is always released: the unplaced steps' graph of cycles
			// has a source, and a source that is not a cycle would have
			// been ready.
			for {
				if current < 0 || nextOf[current] >= len(cycles[current]) {
					current = ready.Pop()
				}
				c := cycles[current]
				for nextOf[current] < len(c) && placed[c[nextOf[current]]] {
					nextOf[current]++
				}
				if nextOf[current] < len(c) {
					stack = append(stack, c[nextOf[current]])
					break
				}
			}
		}
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if placed[v] {
			continue
		}
		placed[v] = true
		order = append(order, v)
		ds := down[v]
		for j := len(ds) - 1; j >= 0; j-- {
			d := ds[j]
			if placed[d] {
				continue
			}
			if c := cycleOf[d]; c >= 0 && cycleOf[v] != c {
				if waiting[c]--; waiting[c] == 0 {
					ready.Push(int(c))
				}
			}
			remaining[d]--
			if remaining[d] == 0 {
				stack = append(stack, d)
			}
		}
	}

	// Layers and rows.
	rowOf := make([]int32, n)
	for r, v := range order {
		rowOf[v] = int32(r)
	}
	layer := make([]int, n)
	for _, v := range order {
		for _, d := range down[v] {
			if rowOf[d] > rowOf[v] && layer[d] < layer[v]+1 {
				layer[d] = layer[v] + 1
			}
		}
	}
	g.Rows = make([]Row, n)
	for r, v := range order {
		id := nodes[keep[v]].ID
		g.Rows[r] = Row{ID: id, Index: keep[v], Layer: layer[v]}
		g.pos[id] = r
		for len(g.Layers) <= layer[v] {
			g.Layers = append(g.Layers, nil)
		}
		g.Layers[layer[v]] = append(g.Layers[layer[v]], id)
	}
	g.assignLanes(order, down, rowOf)
	return g
}

// components returns the strongly connected components with more than one
// step: the cycles (Tarjan's algorithm, iterative so deep graphs cannot
// overflow the stack), each listed in input order, ordered by their first
// step.
func components(down [][]int32) [][]int32 {
	n := len(down)
	idx := make([]int32, n)
	low := make([]int32, n)
	on := make([]bool, n)
	for i := range idx {
		idx[i] = -1
	}
	var stack []int32
	var counter int32
	var comps [][]int32
	type frame struct{ v, edge int32 }
	for root := 0; root < n; root++ {
		if idx[root] >= 0 {
			continue
		}
		call := []frame{{int32(root), 0}}
		idx[root], low[root] = counter, counter
		counter++
		stack = append(stack, int32(root))
		on[root] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			v := f.v
			if int(f.edge) < len(down[v]) {
				w := down[v][f.edge]
				f.edge++
				if idx[w] < 0 {
					idx[w], low[w] = counter, counter
					counter++
					stack = append(stack, w)
					on[w] = true
					call = append(call, frame{w, 0})
				} else if on[w] && idx[w] < low[v] {
					low[v] = idx[w]
				}
				continue
			}
			call = call[:len(call)-1]
			if len(call) > 0 {
				p := call[len(call)-1].v
				if low[v] < low[p] {
					low[p] = low[v]
				}
			}
			if low[v] == idx[v] {
				var comp []int32
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					on[w] = false
					comp = append(comp, w)
					if w == v {
						break
					}
				}
				if len(comp) > 1 {
					comps = append(comps, comp)
				}
			}
		}
	}
	// Dense indexes follow input order, so sorting by them lists each
	// cycle, and the cycles, in input order.
	for _, c := range comps {
		slices.Sort(c)
	}
	slices.SortFunc(comps, func(a, b []int32) int { return int(a[0] - b[0]) })
	return comps
}

// cycleIDs names the steps of each cycle.
func cycleIDs(comps [][]int32, keep []int, nodes []Node) [][]int64 {
	out := make([][]int64, len(comps))
	for i, c := range comps {
		ids := make([]int64, len(c))
		for j, v := range c {
			ids[j] = nodes[keep[v]].ID
		}
		out[i] = ids
	}
	return out
}
