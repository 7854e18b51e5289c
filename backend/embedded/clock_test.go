package embedded

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
)

func TestFakeClockFiresDueTimersInTimeOrder(t *testing.T) {
	clk := NewFakeClock(testStart)
	var fired []string
	var at []time.Duration
	record := func(name string) func() {
		return func() {
			fired = append(fired, name)
			at = append(at, clk.Now().Sub(testStart))
		}
	}
	clk.AfterFunc(3*time.Second, record("c"))
	clk.AfterFunc(1*time.Second, record("a"))
	clk.AfterFunc(1*time.Second, record("a2")) // same time: scheduling order
	stopped := clk.AfterFunc(2*time.Second, record("never"))
	clk.AfterFunc(2*time.Second, func() {
		record("b")()
		// A timer scheduled by a callback fires in the same Advance when due.
		clk.AfterFunc(500*time.Millisecond, record("b+"))
	})
	clk.AfterFunc(10*time.Second, record("late"))
	if !stopped.Stop() || stopped.Stop() {
		t.Error("Stop should report true once, then false")
	}

	clk.Advance(5 * time.Second)
	if want := []string{"a", "a2", "b", "b+", "c"}; !slices.Equal(fired, want) {
		t.Fatalf("fired %v, want %v", fired, want)
	}
	wantAt := []time.Duration{time.Second, time.Second, 2 * time.Second, 2500 * time.Millisecond, 3 * time.Second}
	if !slices.Equal(at, wantAt) {
		t.Errorf("callbacks saw times %v, want %v", at, wantAt)
	}
	if got := clk.Now().Sub(testStart); got != 5*time.Second {
		t.Errorf("clock at %v after Advance(5s)", got)
	}
	if clk.Pending() != 1 {
		t.Errorf("%d timers pending, want the late one", clk.Pending())
	}
	if end := clk.RunUntilIdle(); end.Sub(testStart) != 10*time.Second || fired[len(fired)-1] != "late" {
		t.Errorf("RunUntilIdle ended at %v having fired %v", end.Sub(testStart), fired)
	}
	if clk.Step() {
		t.Error("Step fired with nothing pending")
	}
}

func TestFakeClockAdvanceUntil(t *testing.T) {
	clk := NewFakeClock(testStart)
	n := 0
	for i := 1; i <= 5; i++ {
		clk.AfterFunc(time.Duration(i)*time.Minute, func() { n++ })
	}
	if !clk.AdvanceUntil(func() bool { return n == 3 }, time.Hour) {
		t.Fatal("condition never held")
	}
	if got := clk.Now().Sub(testStart); got != 3*time.Minute {
		t.Errorf("stopped at %v, want at the third timer", got)
	}
	if clk.AdvanceUntil(func() bool { return n == 99 }, 10*time.Minute) {
		t.Error("impossible condition reported as met")
	}
	if got := clk.Now().Sub(testStart); got != 13*time.Minute || n != 5 {
		t.Errorf("after a bounded wait: clock %v, %d fired; want 13m and all 5", got, n)
	}
}

func TestRealClockRunsAtItsSpeed(t *testing.T) {
	clk := NewRealClock(testStart, 1000)
	if clk.Speed() != 1000 {
		t.Errorf("speed %v", clk.Speed())
	}
	done := make(chan time.Time, 1)
	clk.AfterFunc(2*time.Second, func() { done <- clk.Now() }) // 2 ms of wall time
	select {
	case at := <-done:
		if at.Sub(testStart) < 2*time.Second {
			t.Errorf("fired at simulated %v, before its 2s", at.Sub(testStart))
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a 2s timer at speed 1000 did not fire within 5s of wall time")
	}
	if d := NewRealClock(time.Time{}, 0); d.Speed() != 1 || time.Since(d.Now()) > time.Minute {
		t.Errorf("defaults: speed %v, now %v", d.Speed(), d.Now())
	}
}

func TestSpeedOutsideItsRangeIsRefused(t *testing.T) {
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), -1, 0.001, 1000.5, 1e308} {
		_, err := New(Options{Speed: bad})
		if backend.KindOf(err) != backend.BadRequest || !strings.Contains(err.Error(), "want a number from 0.01 to 1000") {
			t.Errorf("speed %v: %v", bad, err)
		}
	}
	for _, good := range []float64{0, MinSpeed, 1, 10, MaxSpeed} {
		e, err := New(Options{Speed: good})
		if err != nil {
			t.Errorf("speed %v: %v", good, err)
			continue
		}
		e.Close()
	}
	// A clock made directly holds its speed within the range.
	for _, c := range []struct{ speed, want float64 }{{math.NaN(), 1}, {1e308, MaxSpeed}, {-5, MinSpeed}} {
		if got := NewRealClock(testStart, c.speed).Speed(); got != c.want {
			t.Errorf("NewRealClock(%v).Speed() = %v, want %v", c.speed, got, c.want)
		}
	}
}
