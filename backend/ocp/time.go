package ocp

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/obconsole/obconsole/backend/internal/jsonscan"
)

// Time is an OCP timestamp. OCP sends offsets (+08:00), Z, or no zone, with
// 0 to 9 fractional digits; 1970-01-01… and null mean "never" and decode to
// the zero Time. A value that cannot be parsed is kept in Raw rather than
// failing the whole response.
type Time struct {
	time.Time
	Raw string // the original text when it could not be parsed
}

// wireLayout trims trailing zeros like OCP does (2021-09-05T22:46:20.22+08:00)
// and keeps every digit a server sent, so a time survives re-encoding.
const wireLayout = "2006-01-02T15:04:05.999999999Z07:00"

var parseLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999Z0700",
}

// NewTime wraps t, treating the Unix epoch as "never".
func NewTime(t time.Time) Time {
	if !t.IsZero() && t.Unix() <= 0 {
		return Time{}
	}
	return Time{Time: t}
}

// ParseTime parses one OCP timestamp text.
func ParseTime(s string) (Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Time{}, true
	}
	for _, layout := range parseLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return NewTime(sharedZone(t)), true
		}
	}
	return Time{Raw: s}, false
}

// fixedZones are the zones of the offsets timestamps arrived with, one
// for each offset: time.Parse makes a new zone for every "+08:00" it
// reads, which a list of 100,000 servers would keep 200,000 of.
var fixedZones struct {
	sync.Mutex
	byOffset map[int]*time.Location
}

// maxFixedZones bounds fixedZones; real offsets number a few dozen.
const maxFixedZones = 128

// sharedZone is t in the shared zone of its offset when its zone is an
// unnamed fixed offset (as time.Parse makes them).
func sharedZone(t time.Time) time.Time {
	loc := t.Location()
	if loc == time.UTC || loc == time.Local {
		return t
	}
	name, off := t.Zone()
	if name != "" {
		return t
	}
	fixedZones.Lock()
	defer fixedZones.Unlock()
	shared, ok := fixedZones.byOffset[off]
	if !ok {
		if len(fixedZones.byOffset) >= maxFixedZones {
			return t
		}
		if fixedZones.byOffset == nil {
			fixedZones.byOffset = map[int]*time.Location{}
		}
		shared = time.FixedZone("", off)
		fixedZones.byOffset[off] = shared
	}
	return t.In(shared)
}

// IsZero reports "never" (and lets `omitzero` drop it when encoding).
func (t Time) IsZero() bool { return t.Time.IsZero() && t.Raw == "" }

// Valid reports whether the value parsed (or was legitimately absent).
func (t Time) Valid() bool { return t.Raw == "" }

// UnmarshalJSON accepts a string, null, or epoch milliseconds.
func (t *Time) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		*t = Time{}
		return nil
	}
	if b[0] == '"' {
		if len(b) >= 2 && b[len(b)-1] == '"' && jsonscan.Plain(b) {
			*t, _ = ParseTime(string(b[1 : len(b)-1]))
			return nil
		}
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			*t = Time{Raw: string(b)}
			return nil
		}
		*t, _ = ParseTime(s)
		return nil
	}
	if ms, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		if at := time.UnixMilli(ms); at.Year() <= 9999 {
			*t = NewTime(at)
			return nil
		}
		// Past year 9999 no timestamp text can say it: kept as sent.
	}
	*t = Time{Raw: string(b)}
	return nil
}

// MarshalJSON writes the documented shape; an unparsed value goes back as it came.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.Raw != "" {
		return json.Marshal(t.Raw)
	}
	if t.Time.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.Time.Format(wireLayout))
}
