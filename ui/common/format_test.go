package common

import (
	"math"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend/ocp"
)

func TestFormats(t *testing.T) {
	for d, want := range map[time.Duration]string{-time.Second: "0:00", 65 * time.Second: "1:05", 3723 * time.Second: "1:02:03"} {
		if got := Elapsed(d); got != want {
			t.Errorf("Elapsed(%v) = %q, want %q", d, got, want)
		}
	}
	for d, want := range map[time.Duration]string{42 * time.Second: "42s", 17 * time.Minute: "17m",
		5*time.Hour + 12*time.Minute: "5h12m", 76 * time.Hour: "3d04h"} {
		if got := Uptime(d); got != want {
			t.Errorf("Uptime(%v) = %q, want %q", d, got, want)
		}
	}
	now := time.Date(2025, 3, 1, 3, 0, 0, 0, time.UTC)
	if _, ok := Since(now, ocp.Time{}); ok {
		t.Error("never has no age")
	}
	if d, ok := Since(now, ocp.NewTime(now.Add(-time.Minute))); !ok || d != time.Minute {
		t.Errorf("Since = %v %v", d, ok)
	}
	if got := Stamp(ocp.NewTime(now)); got != "03-01 03:00:00" {
		t.Errorf("Stamp %q", got)
	}
	if got := Stamp(ocp.Time{}); got != "-" {
		t.Errorf("Stamp never %q", got)
	}
}

// Durations out of range (a start time decades off, a saturated time.Sub)
// read "> 100y", never a wrapped or huge figure.
func TestFormatsOutOfRange(t *testing.T) {
	for _, d := range []time.Duration{ocp.MaxShownDuration + time.Second, math.MaxInt64, ocp.MaxShownDuration * 2} {
		if got := Elapsed(d); got != "> 100y" {
			t.Errorf("Elapsed(%v) = %q", d, got)
		}
		if got := Uptime(d); got != "> 100y" {
			t.Errorf("Uptime(%v) = %q", d, got)
		}
	}
	if got := Elapsed(ocp.MaxShownDuration); got != "876000:00:00" {
		t.Errorf("Elapsed at the limit = %q", got)
	}
	if got := Elapsed(math.MinInt64); got != "0:00" {
		t.Errorf("Elapsed(min) = %q", got)
	}
	// A time.Sub across centuries saturates; it still reads > 100y.
	far := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := Elapsed(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Sub(far)); got != "> 100y" {
		t.Errorf("saturated Sub = %q", got)
	}
}

// A timestamp that is not one is shown as sent, made safe.
func TestStampOfGarbageIsSafe(t *testing.T) {
	if got := Stamp(ocp.Time{Raw: "soon\x1b]0;x\x07"}); got != "soon^[]0;x^G" {
		t.Errorf("Stamp %q", got)
	}
}

func TestFit(t *testing.T) {
	got := Fit("abcdef\nxy\nthird\nfourth", 4, 3)
	if want := "abcd\nxy  \nthir"; got != want {
		t.Errorf("Fit = %q, want %q", got, want)
	}
	if Fit("x", 0, 3) != "" || Fit("x", 3, 0) != "" {
		t.Error("empty area must render nothing")
	}
	if got := JoinEnds("left", "right", 12); got != "left   right" {
		t.Errorf("JoinEnds %q", got)
	}
	if got := JoinEnds("left", "right", 8); got != "left    " {
		t.Errorf("JoinEnds narrow %q", got)
	}
}

// Stamps carry the year and the zone the backend sent; compact ones stay
// unambiguous, and a finish on its start's day reads as a time of day.
func TestStampsCarryYearAndZone(t *testing.T) {
	utc := ocp.NewTime(time.Date(2026, 11, 28, 20, 47, 45, 0, time.UTC))
	cst := ocp.NewTime(time.Date(2021, 9, 5, 22, 46, 20, 0, time.FixedZone("", 8*3600)))
	ist := ocp.NewTime(time.Date(2021, 9, 5, 22, 46, 20, 0, time.FixedZone("", 5*3600+1800)))
	for _, c := range []struct{ got, want string }{
		{StampZoned(utc), "2026-11-28 20:47:45 +00:00"},
		{StampZoned(cst), "2021-09-05 22:46:20 +08:00"},
		{StampCompact(utc), "2026-11-28 20:47:45+00"},
		{StampCompact(ist), "2021-09-05 22:46:20+05:30"},
		{StampZoned(ocp.Time{}), "-"},
		{StampCompact(ocp.Time{}), "-"},
		{StampAfter(utc, ocp.NewTime(utc.Add(77*time.Second))), "20:49:02"},
		{StampAfter(utc, ocp.NewTime(utc.Add(4*time.Hour))), "2026-11-29 00:47:45+00"},
		{StampAfter(utc, ocp.Time{}), "-"},
		{StampZoned(ocp.Time{Raw: "soon\x1b"}), "soon^["},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
