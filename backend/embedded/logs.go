package embedded

import (
	"fmt"
	"slices"
	"time"

	"github.com/obconsole/obconsole/backend/ocp"
)

// logLine is one line of a step's log. Lines are written ahead for the
// whole attempt with their planned times and shown once the clock reaches
// them, so a running step's log grows without a timer per line. The
// timestamp prefix is formatted on read: logs are written far more often
// than read.
type logLine struct {
	at    time.Time
	level string
	msg   string
}

const logTimeLayout = "2006-01-02 15:04:05.000"

func (s *step) add(at time.Time, level, msg string) {
	s.log = append(s.log, logLine{at: at, level: level, msg: msg})
}

func (s *step) logf(at time.Time, level, format string, args ...any) {
	s.add(at, level, fmt.Sprintf(format, args...))
}

// truncateAfter drops lines planned after at: the attempt was cut short.
func (s *step) truncateAfter(at time.Time) {
	n := len(s.log)
	for n > 0 && s.log[n-1].at.After(at) {
		n--
	}
	s.log = s.log[:n]
}

// text is the log as of now, lines joined by "\n". A line without a
// level is written as it is, like OCP's run separators and state lines.
func (s *step) text(now time.Time) string {
	var b []byte
	for i, l := range s.log {
		if l.at.After(now) {
			break
		}
		if i > 0 {
			b = append(b, '\n')
		}
		if l.level == "" {
			b = append(b, l.msg...)
			continue
		}
		b = l.at.AppendFormat(b, logTimeLayout)
		b = append(b, ' ')
		b = append(b, l.level...)
		b = append(b, ' ')
		b = append(b, l.msg...)
	}
	return string(b)
}

// separator opens a run's part of the log as OCP's runner does
// (RunnerFactory: "############{%s}{%s}############", the operation and
// the time).
func (s *step) separator(at time.Time, op ocp.Operation) {
	s.add(at, "", "############{"+string(op)+"}{"+javaTime(at)+"}############")
}

// javaTime formats t the way Java's OffsetDateTime.toString does, to the
// millisecond: seconds only when not zero, the fraction only when not
// zero, "Z" for UTC.
func javaTime(t time.Time) string {
	t = t.Truncate(time.Millisecond)
	layout := "2006-01-02T15:04"
	switch {
	case t.Nanosecond() != 0:
		layout += ":05.000"
	case t.Second() != 0:
		layout += ":05"
	}
	return t.Format(layout + "Z07:00")
}

// runLine is the line OCP's runner starts a run with.
func (e *Executor) runLine(t *task, i int, verb string) string {
	w := &t.w.Subtasks[i]
	return fmt.Sprintf("%s subtask, id=%d, name=%s, task=%d, cluster=%s, executor=%s", verb, w.ID, w.Name, t.w.ID, t.cluster.w.Name, executorAddress)
}

func (e *Executor) writeAttempt(t *task, i int, at time.Time, a attempt) {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	verb := "Run"
	if w.Operation == ocp.OpRetry {
		verb = "Retry"
	}
	s.add(at, "INFO ", e.runLine(t, i, verb))
	s.log = slices.Grow(s.log, len(a.leadLog)+len(a.work)+len(a.warn)+3)
	for _, l := range a.warn {
		s.add(at, "WARN ", l)
	}
	for k, l := range a.leadLog {
		s.add(at.Add(a.lead*time.Duration(k+1)/time.Duration(len(a.leadLog))), "INFO ", l)
	}
	at = at.Add(a.lead)
	if a.hang {
		// Something that never comes back: the step logs that it is still
		// waiting until its timeout fails it.
		timeout := time.Duration(w.Timeout) * time.Second
		if len(a.work) > 0 {
			s.add(at.Add(min(timeout/40, time.Second)), "INFO ", a.work[0])
		}
		every := timeout / 8
		for k := 1; k < 8; k++ {
			s.logf(at.Add(every*time.Duration(k)), "WARN ", "%s: still waiting after %ds (timeout %ds)", e.waitingFor(t, i), int64(every*time.Duration(k)/time.Second), w.Timeout)
		}
		return
	}
	rest := a.d - a.lead - a.stall
	// Work lines are spread over the rest; an attempt that stalls logs its
	// last one as the stall begins, so the seconds its error names are the
	// log's own.
	parts := len(a.work) + 1
	if a.stall > 0 {
		parts = len(a.work)
	}
	for k, l := range a.work {
		s.add(at.Add(rest*time.Duration(k+1)/time.Duration(parts)), "INFO ", l)
	}
	end := at.Add(rest + a.stall)
	if a.ok {
		s.logf(end, "INFO ", "subtask %s finished: SUCCESSFUL in %.1fs", w.Name, a.d.Seconds())
		return
	}
	s.add(end, "ERROR", a.failMsg)
	s.logf(end, "ERROR", "subtask %s finished: FAILED in %.1fs", w.Name, a.d.Seconds())
}

func (e *Executor) writeRollback(t *task, i int, at time.Time, d time.Duration, ok bool) {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	s.add(at, "WARN ", e.runLine(t, i, "Rollback"))
	if !ok {
		s.logf(at.Add(d), "ERROR", "rollback: %s failed: %s", e.undoLine(t, i), e.rollbackFailMessage(t, i))
		s.logf(at.Add(d), "ERROR", "rollback of %s finished: FAILED in %.1fs", w.Name, d.Seconds())
		return
	}
	s.logf(at.Add(d/2), "INFO ", "rollback: %s", e.undoLine(t, i))
	s.logf(at.Add(d), "INFO ", "rollback of %s finished in %.1fs", w.Name, d.Seconds())
}

func (e *Executor) writeSkip(t *task, i int, at time.Time) {
	s, w := &t.steps[i], &t.w.Subtasks[i]
	s.logf(at, "WARN ", "Operation is %s, do nothing", w.Operation)
	if w.Operation == ocp.OpRollbackSkip {
		s.add(at, "WARN ", "rollback skipped by admin: left as it is, not undone; the rollback goes on with the steps before it")
		return
	}
	s.add(at, "WARN ", "skipped by admin: marked SUCCESSFUL without running again; the next steps go on as if it had succeeded")
}
