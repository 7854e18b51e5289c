package embedded

import (
	"container/heap"
	"fmt"
	"math"
	"sync"
	"time"
)

// Clock is the only source of time for the simulator: task times, step
// durations, timeouts and log timestamps all come from it, so a test can
// run a whole restart in microseconds and a demo can run it sped up.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine (real clock) or from Advance
	// (fake clock) once d of simulated time has passed.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc call.
type Timer interface {
	// Stop prevents the call; it reports whether the call was still pending.
	Stop() bool
}

// RealClock runs simulated time at Speed times wall time from Start:
// now = Start + wall elapsed × Speed.
type RealClock struct {
	start     time.Time
	wallStart time.Time
	speed     float64
}

// The range of a real clock's speed: outside it a restart either takes
// days or ends before its first frame, and durations overflow.
const (
	MinSpeed = 0.01
	MaxSpeed = 1000
)

// CheckSpeed reports whether speed is a finite number from MinSpeed to
// MaxSpeed, or 0 (meaning 1); the error names the range.
func CheckSpeed(speed float64) error {
	if speed == 0 || speed >= MinSpeed && speed <= MaxSpeed { // false for NaN
		return nil
	}
	return fmt.Errorf("speed %v: want a number from %v to %v (times wall time)", speed, MinSpeed, MaxSpeed)
}

// NewRealClock starts simulated time at start (the wall time now when
// zero), running speed times faster than wall time: 1 when speed is 0 or
// not a number, and held within MinSpeed to MaxSpeed (New refuses a
// speed outside that range rather than holding it).
func NewRealClock(start time.Time, speed float64) *RealClock {
	wall := time.Now()
	if start.IsZero() {
		start = wall
	}
	switch {
	case speed == 0 || math.IsNaN(speed):
		speed = 1
	case speed < MinSpeed:
		speed = MinSpeed
	case speed > MaxSpeed:
		speed = MaxSpeed
	}
	return &RealClock{start: start, wallStart: wall, speed: speed}
}

// Speed is the factor simulated time runs faster than wall time.
func (c *RealClock) Speed() float64 { return c.speed }

func (c *RealClock) Now() time.Time {
	return c.start.Add(time.Duration(float64(time.Since(c.wallStart)) * c.speed))
}

func (c *RealClock) AfterFunc(d time.Duration, f func()) Timer {
	return time.AfterFunc(time.Duration(float64(d)/c.speed), f)
}

// FakeClock only moves when told to. Advance fires due timers
// synchronously, in time order (ties in scheduling order), with Now set to
// each timer's due time while it runs, so callbacks see exact times.
// Callbacks run without the clock's lock held and may schedule more timers;
// those fire in the same Advance when they fall due inside it.
type FakeClock struct {
	mu     sync.Mutex
	now    time.Time
	seq    uint64
	timers timerHeap
}

// NewFakeClock returns a fake clock reading start.
func NewFakeClock(start time.Time) *FakeClock {
	return &FakeClock{now: start}
}

func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *FakeClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d < 0 {
		d = 0
	}
	c.seq++
	t := &fakeTimer{clock: c, when: c.now.Add(d), seq: c.seq, f: f}
	heap.Push(&c.timers, t)
	return t
}

// Advance moves the clock d forward, firing every timer that falls due.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	target := c.now.Add(d)
	c.mu.Unlock()
	for c.fireNext(target, true) {
	}
	c.mu.Lock()
	if target.After(c.now) {
		c.now = target
	}
	c.mu.Unlock()
}

// Step fires the earliest pending timer, moving the clock to its due time.
// It reports false when no timer is pending.
func (c *FakeClock) Step() bool {
	return c.fireNext(time.Time{}, false)
}

// RunUntilIdle fires timers until none is pending and returns the clock's
// time then. Every simulated step ends by its timeout, so this terminates.
func (c *FakeClock) RunUntilIdle() time.Time {
	for c.Step() {
	}
	return c.Now()
}

// AdvanceUntil fires timers one by one until cond holds, or until the next
// timer lies beyond max from now (the clock then stops at now+max). It
// reports whether cond held. cond runs without the clock's lock held.
func (c *FakeClock) AdvanceUntil(cond func() bool, max time.Duration) bool {
	limit := c.Now().Add(max)
	for !cond() {
		if !c.fireNext(limit, true) {
			c.mu.Lock()
			if limit.After(c.now) {
				c.now = limit
			}
			c.mu.Unlock()
			return cond()
		}
	}
	return true
}

// Pending is the number of timers not yet fired or stopped.
func (c *FakeClock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// fireNext runs the earliest timer, if bounded only when it is due at or
// before limit.
func (c *FakeClock) fireNext(limit time.Time, bounded bool) bool {
	c.mu.Lock()
	if len(c.timers) == 0 || (bounded && c.timers[0].when.After(limit)) {
		c.mu.Unlock()
		return false
	}
	t := heap.Pop(&c.timers).(*fakeTimer)
	if t.when.After(c.now) {
		c.now = t.when
	}
	f := t.f
	c.mu.Unlock()
	f()
	return true
}

type fakeTimer struct {
	clock *FakeClock
	when  time.Time
	seq   uint64
	f     func()
	index int // position in the heap, -1 once fired or stopped
}

func (t *fakeTimer) Stop() bool {
	c := t.clock
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.index < 0 {
		return false
	}
	heap.Remove(&c.timers, t.index)
	return true
}

type timerHeap []*fakeTimer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if !h[i].when.Equal(h[j].when) {
		return h[i].when.Before(h[j].when)
	}
	return h[i].seq < h[j].seq
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *timerHeap) Push(x any) {
	t := x.(*fakeTimer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	n := len(old)
	t := old[n-1]
	old[n-1] = nil
	t.index = -1
	*h = old[:n-1]
	return t
}
