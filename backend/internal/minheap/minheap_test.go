package minheap

import (
	"slices"
	"testing"
)

func TestHeapOrders(t *testing.T) {
	h := New(func(a, b int) bool { return a < b })
	for _, x := range []int{5, 1, 4, 1, 3} {
		h.Push(x)
	}
	if h.Peek() != 1 || h.Len() != 5 {
		t.Fatalf("peek %d len %d", h.Peek(), h.Len())
	}
	var out []int
	for h.Len() > 0 {
		out = append(out, h.Pop())
	}
	if !slices.Equal(out, []int{1, 1, 3, 4, 5}) {
		t.Errorf("popped %v", out)
	}
}
