package store

import (
	"fmt"
	"time"
)

// Freshness is how long ago a read last worked, counted in refresh ticks:
// wall time, not backend time, so a sped-up simulator or a backend whose
// clock jumped reads right. It is the one source of "how old is what I
// see": the status bar's "updated 26s ago" and a screen's stale banner
// both read it (Store.Fresh). The store owns it (Tick on every tick,
// Fetched on every read that worked); screens only read it.
type Freshness struct {
	ever  bool
	ticks int
}

// Tick counts one refresh tick.
func (f *Freshness) Tick() { f.ticks++ }

// Fetched records a fetch that worked.
func (f *Freshness) Fetched() { f.ever, f.ticks = true, 0 }

// Age is the time since the last fetch that worked; ok is false before any.
func (f Freshness) Age(refresh time.Duration) (time.Duration, bool) {
	if !f.ever {
		return 0, false
	}
	return time.Duration(f.ticks) * refresh, true
}

// Text says the age: "live" while fresh (two ticks, or under two
// seconds), then "updated 26s ago", "updated 3m ago"; "" before any fetch
// worked.
func (f Freshness) Text(refresh time.Duration) string {
	d, ok := f.Age(refresh)
	switch {
	case !ok:
		return ""
	case f.ticks <= 2 || d < 2*time.Second:
		return "live"
	case d < time.Minute:
		return fmt.Sprintf("updated %ds ago", int(d/time.Second))
	}
	return fmt.Sprintf("updated %dm ago", int(d/time.Minute))
}
