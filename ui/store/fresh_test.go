package store

import (
	"testing"
	"time"
)

// The age of what is shown is counted in refresh ticks since a fetch
// last worked: the status bar and a stale banner read the same words.
func TestFreshness(t *testing.T) {
	var f Freshness
	if _, ok := f.Age(time.Second); ok || f.Text(time.Second) != "" {
		t.Error("before any fetch: no age")
	}
	f.Fetched()
	if f.Text(time.Second) != "live" {
		t.Errorf("fresh: %q", f.Text(time.Second))
	}
	for i := 0; i < 26; i++ {
		f.Tick()
	}
	if d, _ := f.Age(time.Second); d != 26*time.Second || f.Text(time.Second) != "updated 26s ago" {
		t.Errorf("26 ticks: %v %q", d, f.Text(time.Second))
	}
	for i := 0; i < 60; i++ {
		f.Tick()
	}
	if got := f.Text(time.Second); got != "updated 1m ago" {
		t.Errorf("86 ticks: %q", got)
	}
	f.Fetched()
	if got := f.Text(time.Second); got != "live" {
		t.Errorf("after a fetch: %q", got)
	}
}
