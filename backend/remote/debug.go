package remote

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/obconsole/obconsole/backend/safetext"
)

// debugLog writes the --debug-http lines: one per request, one per
// response. Headers are never written: the Authorization header shows
// only as [REDACTED]. Every field from outside (path, trace id, error
// text) is redacted and made one safe line (safetext.Line) before it is
// quoted, and the whole line is again, so no secret and no terminal
// control sequence reaches the log.
type debugLog struct {
	mu     sync.Mutex
	w      io.Writer
	now    func() time.Time
	redact func(string) string
}

func (d *debugLog) write(line string) {
	if d == nil {
		return
	}
	line = d.now().UTC().Format("2006-01-02T15:04:05.000Z07:00") + " " + d.field(line) + "\n"
	d.mu.Lock()
	defer d.mu.Unlock()
	_, _ = io.WriteString(d.w, line)
}

// field is s redacted and on one safe line.
func (d *debugLog) field(s string) string { return safetext.Line(d.redact(s)) }

func (d *debugLog) request(method, path string, attempt int, auth, user string, size int) {
	if d == nil {
		return
	}
	d.write(fmt.Sprintf("> %s %s attempt=%d auth=%s user=%s authorization=[REDACTED] bytes=%d",
		method, d.field(path), attempt, auth, quoteIfNeeded(d.field(user)), size))
}

func (d *debugLog) response(method, path string, attempt, status int, took time.Duration, trace string, size int, failure string) {
	if d == nil {
		return
	}
	st := "-"
	if status != 0 {
		st = strconv.Itoa(status)
	}
	trace = d.field(trace)
	if trace == "" {
		trace = "-"
	}
	line := fmt.Sprintf("< %s %s attempt=%d status=%s duration=%s trace=%s bytes=%d",
		method, d.field(path), attempt, st, took.Round(time.Millisecond), quoteIfNeeded(trace), size)
	if failure != "" {
		line += " error=" + strconv.Quote(d.field(failure))
	}
	d.write(line)
}

func quoteIfNeeded(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\"=\n") {
		return strconv.Quote(s)
	}
	return s
}
