// Package minheap is a min-heap of any type, ordered by a function: the
// one container/heap adapter the backend's schedulers share.
package minheap

import "container/heap"

// Heap holds items, smallest first as less orders them. The zero value
// is not usable: make one with New.
type Heap[T any] struct{ h items[T] }

// New makes an empty heap ordered by less.
func New[T any](less func(a, b T) bool) *Heap[T] { return &Heap[T]{h: items[T]{less: less}} }

// Len is how many items the heap holds.
func (h *Heap[T]) Len() int { return len(h.h.s) }

// Push adds x.
func (h *Heap[T]) Push(x T) { heap.Push(&h.h, x) }

// Pop removes and returns the smallest item; the heap must not be empty.
func (h *Heap[T]) Pop() T { return heap.Pop(&h.h).(T) }

// Peek is the smallest item without removing it; the heap must not be
// empty.
func (h *Heap[T]) Peek() T { return h.h.s[0] }

type items[T any] struct {
	s    []T
	less func(a, b T) bool
}

func (h items[T]) Len() int           { return len(h.s) }
func (h items[T]) Less(i, j int) bool { return h.less(h.s[i], h.s[j]) }
func (h items[T]) Swap(i, j int)      { h.s[i], h.s[j] = h.s[j], h.s[i] }
func (h *items[T]) Push(x any)        { h.s = append(h.s, x.(T)) }
func (h *items[T]) Pop() any {
	x := h.s[len(h.s)-1]
	h.s = h.s[:len(h.s)-1]
	return x
}
