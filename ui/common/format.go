package common

import (
	"fmt"
	"time"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
)

// TooLong is how a duration beyond ocp.MaxShownDuration reads (a hostile
// or garbled time): never a wrapped figure.
const TooLong = "> 100y"

// Elapsed formats a duration as m:ss, or h:mm:ss from an hour on.
// Negative durations (clock skew) read 0:00; beyond ocp.MaxShownDuration,
// TooLong.
func Elapsed(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	if d > ocp.MaxShownDuration {
		return TooLong
	}
	s := int64(d / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// Uptime formats a long duration compactly: 42s, 17m, 5h12m, 3d04h;
// beyond ocp.MaxShownDuration, TooLong.
func Uptime(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	if d > ocp.MaxShownDuration {
		return TooLong
	}
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d/time.Minute)%60)
	}
	return fmt.Sprintf("%dd%02dh", int(d/(24*time.Hour)), int(d/time.Hour)%24)
}

// Since is now - t, or false when t is "never" or now is unknown.
func Since(now time.Time, t ocp.Time) (time.Duration, bool) {
	if now.IsZero() || t.IsZero() || !t.Valid() {
		return 0, false
	}
	return now.Sub(t.Time), true
}

// Stamp formats a backend timestamp in its own zone as sent (no local
// clock or zone lookups): "03-01 02:59:12". "never" reads "-"; a value
// that is not a time reads as sent, made safe.
func Stamp(t ocp.Time) string {
	if !t.Valid() {
		return safetext.Line(t.Raw)
	}
	if t.IsZero() {
		return "-"
	}
	return t.Format("01-02 15:04:05")
}

// StampZoned formats a backend timestamp with its year and zone, in the
// zone it was sent in (no local clock or zone lookups): "2026-11-28
// 20:47:45 +00:00". "never" reads "-"; a value that is not a time reads as
// sent, made safe.
func StampZoned(t ocp.Time) string { return stampLayout(t, "2006-01-02 15:04:05 -07:00") }

// StampCompact is StampZoned for narrow places: "2026-11-28 20:47:45+00"
// (the zone's minutes only when it has some, "+05:30").
func StampCompact(t ocp.Time) string {
	if !t.Valid() || t.IsZero() {
		return stampLayout(t, "")
	}
	zone := "-07"
	if _, off := t.Zone(); off%3600 != 0 {
		zone = "-07:00"
	}
	return t.Format("2006-01-02 15:04:05" + zone)
}

// StampAfter formats t as it reads after ref (a finish after its start):
// only the time of day, "20:49:02", when it falls on ref's date in ref's
// zone; else as StampCompact.
func StampAfter(ref, t ocp.Time) string {
	if t.Valid() && !t.IsZero() && ref.Valid() && !ref.IsZero() {
		_, o1 := ref.Zone()
		_, o2 := t.Zone()
		y1, m1, d1 := ref.Date()
		y2, m2, d2 := t.Date()
		if o1 == o2 && y1 == y2 && m1 == m2 && d1 == d2 {
			return t.Format("15:04:05")
		}
	}
	return StampCompact(t)
}

func stampLayout(t ocp.Time, layout string) string {
	if !t.Valid() {
		return safetext.Line(t.Raw)
	}
	if t.IsZero() {
		return "-"
	}
	return t.Format(layout)
}
