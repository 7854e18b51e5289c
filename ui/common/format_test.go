package common

import (
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
