package dag

import "testing"

// wide builds n steps as a pipeline of fan-outs: every 10 steps a step
// forks into 3 branches that join again, like a zone restart repeated.
func wide(n int) []Node {
	nodes := make([]Node, 0, n)
	prev := []int64{}
	for id := int64(1); len(nodes) < n; {
		head := Node{ID: id, Upstreams: prev}
		nodes = append(nodes, head)
		id++
		var tails []int64
		for b := 0; b < 3 && len(nodes) < n; b++ {
			up := head.ID
			for s := 0; s < 3 && len(nodes) < n; s++ {
				nodes = append(nodes, Node{ID: id, Upstreams: []int64{up}})
				up = id
				id++
			}
			tails = append(tails, up)
		}
		prev = tails
	}
	return nodes
}

func BenchmarkBuildRestart11(b *testing.B) {
	nodes := FromSubtasks(restartSample(b).Subtasks)
	b.ReportAllocs()
	for b.Loop() {
		Build(nodes)
	}
}

func BenchmarkBuild1000(b *testing.B) {
	nodes := wide(1000)
	b.ReportAllocs()
	for b.Loop() {
		Build(nodes)
	}
}

func TestWideGraphIsWellFormed(t *testing.T) {
	nodes := wide(1000)
	g := Build(nodes)
	checkInvariants(t, nodes, g)
	if !g.Problems.Empty() || g.Width != 3 {
		t.Fatalf("problems %v width %d", g.Problems, g.Width)
	}
}
