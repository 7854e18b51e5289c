package main

// Shared plumbing of the scriptable commands (clusters, zones, servers,
// tasks, restart, task, audit): exit codes, output formats, tables and how
// durations show.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
)

// Exit codes of the scriptable commands. README documents them.
const (
	// exitFailed: the task ended FAILED (or was rolled back), or another
	// error that fits none of the codes below.
	exitFailed = 1
	// exitUsage: bad flags or arguments; an unknown or ambiguous cluster,
	// zone, server or task.
	exitUsage = 2
	// exitRefused: nothing was done: not confirmed, --yes missing without
	// a terminal, --readonly, the audit journal cannot be written, or the
	// backend refused (Conflict with a running task, Unauthorized, Forbidden).
	exitRefused = 3
	// exitUnreachable: the backend cannot be reached or answered nonsense
	// (Unavailable, RateLimited, BadResponse, a timeout), or a request's
	// outcome is unknown.
	exitUnreachable = 4
	// exitRunning: `obconsole task ID` without --wait: the task has not ended.
	exitRunning = 5
	// exitInterrupted: SIGINT, SIGTERM or SIGHUP while waiting; on an OCP
	// the task goes on, on the embedded fleet it ends with the process.
	exitInterrupted = 130
)

// commandError gives err the exit code its kind deserves.
func commandError(err error) error {
	if err == nil {
		return nil
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return err
	}
	return &exitError{code: exitCodeOf(err), err: err}
}

func exitCodeOf(err error) int {
	var be *backend.Error
	if errors.As(err, &be) && be.OutcomeUnknown {
		return exitUnreachable
	}
	if errors.Is(err, audit.ErrJournal) {
		return exitRefused
	}
	switch backend.KindOf(err) {
	case backend.NotFound, backend.BadRequest:
		return exitUsage
	case backend.Conflict, backend.Unauthorized, backend.Forbidden:
		return exitRefused
	case backend.Unavailable, backend.RateLimited, backend.BadResponse:
		return exitUnreachable
	case backend.Canceled:
		if errors.Is(err, context.DeadlineExceeded) {
			return exitUnreachable
		}
		return exitInterrupted
	}
	if errors.Is(err, context.Canceled) {
		return exitInterrupted
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return exitUnreachable
	}
	return exitFailed
}

// usageError is a bad flag or argument: exit 2.
func usageError(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// commandContext is cmd's context, never nil.
func commandContext(cmd *cobra.Command) context.Context {
	if ctx := cmd.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}

// scriptable finishes a command's definition: flag and argument errors
// exit 2, like every other usage error.
func scriptable(cmd *cobra.Command) *cobra.Command {
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: exitUsage, err: err}
	})
	if args := cmd.Args; args != nil {
		cmd.Args = func(c *cobra.Command, a []string) error {
			if err := args(c, a); err != nil {
				return &exitError{code: exitUsage, err: fmt.Errorf("%w (see %s --help)", err, c.CommandPath())}
			}
			return nil
		}
	}
	return cmd
}

// outputFormat is the value of -o.
type outputFormat string

const (
	outputText outputFormat = "text"
	outputJSON outputFormat = "json"
)

// addOutputFlag adds -o/--output to cmd.
func addOutputFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVarP(p, "output", "o", string(outputText), "output format: text or json")
}

func parseOutput(s string) (outputFormat, error) {
	switch f := outputFormat(strings.ToLower(strings.TrimSpace(s))); f {
	case outputText, outputJSON:
		return f, nil
	}
	return "", usageError("-o %q: want text or json", s)
}

// writeJSONDocument writes v as one indented JSON document.
func writeJSONDocument(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(escapeJSON(b), '\n'))
	return err
}

// writeJSONLine writes v as one JSON line.
func writeJSONLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(escapeJSON(b), '\n'))
	return err
}

// escapeJSON writes the characters encoding/json leaves raw but a terminal
// may act on (C1 controls such as U+009B, a CSI; bidi controls such as
// U+202E) as \uXXXX escapes, as it already does for C0 controls and
// U+2028/2029. They can only occur inside strings, so the JSON stays valid
// and decodes to the same values.
func escapeJSON(b []byte) []byte {
	if safetext.IsSafe(string(b)) {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r >= utf8.RuneSelf && !safetext.IsSafe(string(b[i:i+n])) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	return out
}

// table writes aligned columns. Every cell passes safetext.Line, so that
// nothing an OCP returns can drive the operator's terminal. An empty cell
// shows the table's empty mark: "-", or in a table of tasks or steps the
// unknown mark ("—": a value that did not arrive, as a task list's steps
// carry no timeout).
type table struct {
	tw    *tabwriter.Writer
	empty string
}

func newTable(w io.Writer, empty string, header ...string) *table {
	t := &table{tw: tabwriter.NewWriter(w, 0, 0, 2, ' ', 0), empty: empty}
	t.row(header...)
	return t
}

func (t *table) row(cells ...string) {
	for i, c := range cells {
		if i > 0 {
			io.WriteString(t.tw, "\t")
		}
		c = safetext.Line(c)
		if c == "" {
			c = t.empty
		}
		io.WriteString(t.tw, c)
	}
	io.WriteString(t.tw, "\n")
}

func (t *table) flush() error { return t.tw.Flush() }

// formatDuration rounds to the second: 1m4s. Beyond
// ocp.MaxShownDuration it says so ("> 100y") rather than wrap.
func formatDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	if d > ocp.MaxShownDuration {
		return "> 100y"
	}
	return d.Round(time.Second).String()
}

// formatSeconds shows a duration given in (fractional) seconds, as the
// JSON events carry it, without overflowing.
func formatSeconds(sec float64) string {
	if sec > ocp.MaxShownDuration.Seconds() {
		return formatDuration(ocp.MaxShownDuration + time.Second)
	}
	return formatDuration(time.Duration(sec * float64(time.Second)))
}

// formatTimeout shows a step's timeout from OCP's seconds: "none" when it
// has none, "> 100y" when absurd (2^63−1 s must not read "0s").
func formatTimeout(sec int64) string {
	d, ok := ocp.SecondsDuration(sec)
	if !ok {
		return "none"
	}
	return formatDuration(d)
}

// formatAttempts shows an attempt count, "?" when it cannot be one
// (negative or absurd: garbled or hostile).
func formatAttempts(n int) string {
	if s := (ocp.Subtask{RunTime: n}); !s.AttemptsKnown() {
		return "?"
	}
	return strconv.Itoa(n)
}

// unknown marks a value that did not arrive or cannot be trusted: "—",
// "-" with --ascii. It is never shown as 0.
func (o *globalOptions) unknown() string {
	if o.ascii {
		return "-"
	}
	return "—"
}

// elapsedText shows a duration from ocp's Elapsed: unknown when not ok.
func (o *globalOptions) elapsedText(d time.Duration, ok bool) string {
	if !ok {
		return o.unknown()
	}
	return formatDuration(d)
}

// arrow is the status-change arrow, ASCII with --ascii.
func (o *globalOptions) arrow() string {
	if o.ascii {
		return "->"
	}
	return "→"
}
