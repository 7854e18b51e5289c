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
