package dag

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/obconsole/obconsole/backend/ocp"
)

func restartSample(t testing.TB) *ocp.Task {
	t.Helper()
	b, err := os.ReadFile("testdata/restart.json")
	if err != nil {
		t.Fatal(err)
	}
	var env ocp.Envelope[ocp.Task]
	if err := json.Unmarshal(b, &env); err != nil {
		t.Fatal(err)
	}
	return &env.Data
}

func TestRestartSampleOrder(t *testing.T) {
	task := restartSample(t)
	g := OfTask(task)
	if !g.Problems.Empty() {
		t.Fatalf("the documented graph is well formed, got %v", g.Problems)
	}
	var names []string
	for _, r := range g.Rows {
		names = append(names, task.Subtasks[r.Index].Name)
	}
	want := []string{
		"Prepare restart observer", "Stop server", "Stop observer process", "Start observer process",
		"Wait observer active", "Start ocp agent service", "Start server", "Update observer status",
		"Update zone status", "Sync cluster info", "Update OB cluster status",
	}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("order:\n got %q\nwant %q", names, want)
	}
	for i, r := range g.Rows {
		if r.Layer != i || r.Lane != 0 || len(r.Cells) != 1 || r.Cells[0] != CellNode {
			t.Errorf("row %d (%s): layer %d lane %d cells %v", i, names[i], r.Layer, r.Lane, r.Cells)
		}
		if g.Position(r.ID) != i {
			t.Errorf("Position(%d) = %d, want %d", r.ID, g.Position(r.ID), i)
		}
	}
	if g.Width != 1 || len(g.Layers) != 11 || g.Position(42) != -1 {
		t.Errorf("width %d layers %d", g.Width, len(g.Layers))
	}
}

// zone builds a zone-restart-like graph: prepare, then n parallel chains
// of k steps, then finish.
func zone(n, k int) []Node {
	id := func(b, s int) int64 { return int64(100 + b*10 + s) }
	nodes := []Node{{ID: 1}}
	finish := Node{ID: 2}
	for b := 0; b < n; b++ {
		for s := 0; s < k; s++ {
			nd := Node{ID: id(b, s)}
			if s == 0 {
				nd.Upstreams = []int64{1}
			} else {
				nd.Upstreams = []int64{id(b, s-1)}
			}
			if s == k-1 {
				finish.Upstreams = append(finish.Upstreams, nd.ID)
			}
			nodes = append(nodes, nd)
		}
	}
	return append(nodes, finish)
}

func TestFanOutFanIn(t *testing.T) {
	g := Build(zone(3, 2))
	got := picture(g, func(r Row) string { return fmt.Sprintf("%d L%d", r.ID, r.Layer) })
	want := strings.Join([]string{
		"●─┬─╮ 1 L0",
		"● │ │ 100 L1",
		"● │ │ 101 L2",
		"│ ● │ 110 L1",
		"│ ● │ 111 L2",
		"│ │ ● 120 L1",
		"│ │ ● 121 L2",
		"●─┴─╯ 2 L3",
	}, "\n") + "\n"
	if got != want {
		t.Errorf("picture:\n%s\nwant:\n%s", got, want)
	}
	// The picture the renderer gets, cell by cell.
	wantCells := [][]Cell{
		{CellNode, CellForkMid, CellForkRight},
		{CellNode, CellPass, CellPass},
		{CellNode, CellPass, CellPass},
		{CellPass, CellNode, CellPass},
		{CellPass, CellNode, CellPass},
		{CellPass, CellPass, CellNode},
		{CellPass, CellPass, CellNode},
		{CellNode, CellJoinMid, CellJoinRight},
	}
	for i, r := range g.Rows {
		if !reflect.DeepEqual(r.Cells, wantCells[i]) {
			t.Errorf("row %d (%d) cells %v, want %v\n%s", i, r.ID, r.Cells, wantCells[i], got)
		}
	}
	if !reflect.DeepEqual(g.Rows[0].Forks, []int{1, 2}) || !reflect.DeepEqual(g.Rows[7].Joins, []int{1, 2}) {
		t.Errorf("forks %v joins %v", g.Rows[0].Forks, g.Rows[7].Joins)
	}
	if g.Width != 3 {
		t.Errorf("width %d", g.Width)
	}
	wantLayers := [][]int64{{1}, {100, 110, 120}, {101, 111, 121}, {2}}
	if !reflect.DeepEqual(g.Layers, wantLayers) {
		t.Errorf("layers %v", g.Layers)
	}
}

func TestDiamondAndLaneReuse(t *testing.T) {
	// a → b, a → c, b → d, c → d, d → e, d → f, e → g, f → g
	nodes := []Node{
		{ID: 1, Downstreams: []int64{2, 3}},
		{ID: 2, Downstreams: []int64{4}},
		{ID: 3, Downstreams: []int64{4}},
		{ID: 4, Downstreams: []int64{5, 6}},
		{ID: 5, Downstreams: []int64{7}},
		{ID: 6, Downstreams: []int64{7}},
		{ID: 7},
	}
	g := Build(nodes)
	var ids []int64
	for _, r := range g.Rows {
		ids = append(ids, r.ID)
	}
	if !reflect.DeepEqual(ids, []int64{1, 2, 3, 4, 5, 6, 7}) {
		t.Fatalf("order %v", ids)
	}
	// After the first join the freed column is reused by the second fork.
	if g.Width != 2 || g.Rows[3].Lane != 0 || !reflect.DeepEqual(g.Rows[3].Joins, []int{1}) || !reflect.DeepEqual(g.Rows[3].Forks, []int{1}) {
		t.Errorf("width %d row3 %+v", g.Width, g.Rows[3])
	}
	if g.Rows[3].Cells[1] != CellForkJoinRight {
		t.Errorf("join+fork cell %v", g.Rows[3].Cells)
	}
	if g.Rows[6].Layer != 4 {
		t.Errorf("layer of the last step %d", g.Rows[6].Layer)
	}
}

func TestLaneCrossing(t *testing.T) {
	// 1 forks to 2 and 3; 2 forks to 4 (continuing) and 5 which only
	// joins 6 at the end, crossing the lane of 3.
	nodes := []Node{
		{ID: 1, Downstreams: []int64{2, 3}},
		{ID: 2, Downstreams: []int64{4, 6}},
		{ID: 3, Downstreams: []int64{5}},
		{ID: 4, Downstreams: []int64{5}},
		{ID: 5},
		{ID: 6, Upstreams: []int64{5}},
	}
	g := Build(nodes)
	got := picture(g, func(r Row) string { return fmt.Sprint(r.ID) })
	if !strings.Contains(got, "┼") {
		t.Errorf("a fork past a passing lane must cross it:\n%s", got)
	}
	for _, r := range g.Rows {
		n := 0
		for _, c := range r.Cells {
			if c == CellNode {
				n++
			}
		}
		if n != 1 || r.Cells[r.Lane] != CellNode {
			t.Errorf("row %d must have exactly one node at its lane: %v", r.ID, r.Cells)
		}
	}
}

func TestOneSidedEdgesCount(t *testing.T) {
	// 3 says nothing, but 1 lists it as downstream and 2 lists 1 upstream.
	g := Build([]Node{{ID: 3}, {ID: 2, Upstreams: []int64{1}}, {ID: 1, Downstreams: []int64{3}}})
	var ids []int64
	for _, r := range g.Rows {
		ids = append(ids, r.ID)
	}
	if !reflect.DeepEqual(ids, []int64{1, 3, 2}) && !reflect.DeepEqual(ids, []int64{1, 2, 3}) {
		t.Fatalf("order %v", ids)
	}
	if ids[0] != 1 || !g.Problems.Empty() {
		t.Errorf("order %v problems %v", ids, g.Problems)
	}
}

func TestMalformedGraphsAreReportedAndStillOrdered(t *testing.T) {
	nodes := []Node{
		{ID: 10, Downstreams: []int64{11}},
		{ID: 11, Downstreams: []int64{12, 99}}, // 99 does not exist
		{ID: 12, Downstreams: []int64{11}},     // 11 ⇄ 12 is a cycle
		{ID: 13, Upstreams: []int64{13, 12}},   // self-loop, and below the cycle
		{ID: 10},                               // duplicate id
		{ID: 14, Upstreams: []int64{77}},       // dangling upstream
	}
	g := Build(nodes)
	p := g.Problems
	if !reflect.DeepEqual(p.Cycles, [][]int64{{11, 12}}) {
		t.Errorf("cycles %v", p.Cycles)
	}
	if !reflect.DeepEqual(p.SelfLoops, []int64{13}) || !reflect.DeepEqual(p.Duplicates, []int64{10}) {
		t.Errorf("self loops %v duplicates %v", p.SelfLoops, p.Duplicates)
	}
	if !reflect.DeepEqual(p.Dangling, []Edge{{11, 99}, {77, 14}}) {
		t.Errorf("dangling %v", p.Dangling)
	}
	var ids []int64
	for _, r := range g.Rows {
		ids = append(ids, r.ID)
	}
	// Every unique step once: the acyclic part first, the cycle broken at
	// its first step in input order, what hangs below it after.
	if !reflect.DeepEqual(ids, []int64{10, 14, 11, 12, 13}) {
		t.Errorf("order %v", ids)
	}
	msg := p.String()
	for _, want := range []string{"cycle among steps 11 12", "depends on itself: 13", "duplicate step ids: 10", "11→99", "77→14"} {
		if !strings.Contains(msg, want) {
			t.Errorf("problem text %q lacks %q", msg, want)
		}
	}
	if p.Empty() || (Problems{}).String() != "" || !(Problems{}).Empty() {
		t.Error("Empty/String")
	}
}

func TestOnlyACycle(t *testing.T) {
	g := Build([]Node{{ID: 1, Upstreams: []int64{3}}, {ID: 2, Upstreams: []int64{1}}, {ID: 3, Upstreams: []int64{2}}})
	if len(g.Rows) != 3 || !reflect.DeepEqual(g.Problems.Cycles, [][]int64{{1, 2, 3}}) {
		t.Fatalf("rows %d cycles %v", len(g.Rows), g.Problems.Cycles)
	}
	if g.Rows[0].ID != 1 {
		t.Errorf("cycle broken at %d, want the first in input order", g.Rows[0].ID)
	}
}

func TestEmptyAndNil(t *testing.T) {
	for _, nodes := range [][]Node{nil, {}} {
		g := Build(nodes)
		if len(g.Rows) != 0 || g.Width != 0 || !g.Problems.Empty() {
			t.Errorf("empty graph: %+v", g)
		}
	}
}

// A long chain must not recurse: Tarjan is iterative.
func TestDeepCycleDoesNotOverflow(t *testing.T) {
	const n = 200000
	nodes := make([]Node, n)
	for i := range nodes {
		nodes[i] = Node{ID: int64(i), Downstreams: []int64{int64((i + 1) % n)}}
	}
	g := Build(nodes)
	if len(g.Rows) != n || len(g.Problems.Cycles) != 1 || len(g.Problems.Cycles[0]) != n {
		t.Fatalf("rows %d cycles %d", len(g.Rows), len(g.Problems.Cycles))
	}
}

// A step below a cycle waits for it: it is listed after the cycle, one
// layer deeper, even when the input lists it first.
func TestStepBelowACycleComesAfterIt(t *testing.T) {
	nodes := []Node{
		{ID: 3, Upstreams: []int64{2}},
		{ID: 1, Downstreams: []int64{2}},
		{ID: 2, Downstreams: []int64{1}},
		{ID: 4},
	}
	g := Build(nodes)
	var ids []int64
	for _, r := range g.Rows {
		ids = append(ids, r.ID)
	}
	if !reflect.DeepEqual(ids, []int64{4, 1, 2, 3}) {
		t.Fatalf("order %v, want the free step, the cycle, then the step below it", ids)
	}
	if !reflect.DeepEqual(g.Problems.Cycles, [][]int64{{1, 2}}) {
		t.Errorf("cycles %v", g.Problems.Cycles)
	}
	if l := g.Rows[3].Layer; l <= g.Rows[2].Layer {
		t.Errorf("layer of the step below the cycle %d, of its upstream %d", l, g.Rows[2].Layer)
	}
	checkInvariants(t, nodes, g)
}

// Two cycles, the second fed by the first: each is listed whole, in the
// order their upstreams allow.
func TestCyclesInSequence(t *testing.T) {
	nodes := []Node{
		{ID: 20, Downstreams: []int64{21}}, {ID: 21, Downstreams: []int64{20}}, // second cycle…
		{ID: 10, Downstreams: []int64{11}}, {ID: 11, Downstreams: []int64{10, 20}}, // …fed by the first
	}
	g := Build(nodes)
	var ids []int64
	for _, r := range g.Rows {
		ids = append(ids, r.ID)
	}
	if !reflect.DeepEqual(ids, []int64{10, 11, 20, 21}) {
		t.Fatalf("order %v", ids)
	}
	checkInvariants(t, nodes, g)
}
