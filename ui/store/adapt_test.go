package store

import (
	"testing"
	"time"
)

// A list's idle polling interval grows with its size; a change halves it,
// a read that changed nothing doubles it up to the idle one.
func TestBigListsPollGently(t *testing.T) {
	for _, c := range []struct {
		rows int
		want int // ticks of a second
	}{{10, 1}, {999, 1}, {1000, 8}, {10000, 80}, {100000, 800}, {10000000, 900}} {
		if got := listTicks(c.rows, time.Second); got != c.want {
			t.Errorf("%d rows: every %d ticks, want %d", c.rows, got, c.want)
		}
	}
	if got := listTicks(10000, 5*time.Second); got != 16 {
		t.Errorf("10,000 rows at a 5 s refresh: every %d ticks, want 16", got)
	}
	every := adapt(0, 10000, false, time.Second)
	if every != 80 {
		t.Fatalf("first answer of 10,000 rows: every %d ticks, want 80", every)
	}
	every = adapt(every, 10000, true, time.Second)
	every = adapt(every, 10000, true, time.Second)
	if every != 20 {
		t.Fatalf("two changes: every %d ticks, want 20", every)
	}
	for i := 0; i < 5; i++ {
		every = adapt(every, 10000, false, time.Second)
	}
	if every != 80 {
		t.Fatalf("quiet again: every %d ticks, want 80", every)
	}
	if adapt(1, 10, true, time.Second) != 1 || adapt(0, 10, false, time.Second) != 1 {
		t.Fatal("a small list polls every tick")
	}
}
