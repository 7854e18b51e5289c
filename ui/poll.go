package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common"
)

// Polling: the root decides on which ticks anything polls. Screens poll on
// the TickMsg they are given, and the root polls watched tasks on the same
// ticks, so holding a tick back holds back every background request.
//
//   - A denial (401 Unauthorized, 403 Forbidden) from any read stops all
//     polling until the operator acts: a real OCP locks accounts after
//     repeated failures. It is said once (a toast, and the status bar reads
//     "denied · ctrl+r to try again"). ctrl+r sends one read (RefreshMsg
//     with Probe); when it works, polling resumes. Opening a screen still
//     loads it (one read, the operator asked); going back sends nothing.
//   - Any other failed read backs off: after each consecutive failure the
//     interval doubles, up to maxBackoff ticks (8 × --refresh or 30 s,
//     whichever is smaller); the first read that works resets it.

// maxBackoffTicks is the longest interval between polls while reads fail,
// in ticks: 8, or fewer when 8 ticks would be longer than maxBackoffTime.
const (
	maxBackoffTicks = 8
	maxBackoffTime  = 30 * time.Second
)

// maxBackoff is the cap on the interval, in ticks of refresh.
func maxBackoff(refresh time.Duration) int {
	if refresh <= 0 {
		return maxBackoffTicks
	}
	return max(min(maxBackoffTicks, int(maxBackoffTime/refresh)), 1)
}

// pollDue reports whether this tick polls: never while denied, and while
// backing off only when the wait is over. Nor before the first screen's
// first read has been reported: that read was just sent, and its answer
// may be the denial that must stop the next one.
func (m *Model) pollDue() bool {
	if m.denied != nil || !m.fetched {
		return false
	}
	if m.pollIn > 1 {
		m.pollIn--
		return false
	}
	m.pollIn = 0
	return true
}

// readDone takes the outcome of any read: a success resets the back-off
// and ends a denial, a denial stops polling, another failure backs off.
func (m *Model) readDone(err error) tea.Cmd {
	switch {
	case err == nil:
		m.failures, m.pollIn = 0, 0
		m.probing = false
		if m.denied != nil {
			m.denied = nil
			// Shown at once: it replaces the denial's toast, now stale.
			return m.showToast(common.ToastMsg{Level: common.ToastInfo, Text: "access granted again: polling resumed"})
		}
	case common.Denied(err):
		return m.deny(err)
	default:
		// A probe that failed otherwise says nothing about the
		// credentials: polling stays stopped, the next ctrl+r probes again.
		m.probing = false
		m.backoff()
	}
	return nil
}

// backoff counts a failed read (once per tick: the shown screen and the
// watched tasks failing together are one failure) and doubles the wait.
func (m *Model) backoff() {
	if m.failures > 0 && m.failTick == m.tick {
		return
	}
	m.failTick = m.tick
	m.failures++
	m.pollIn = min(1<<min(m.failures, 30), maxBackoff(m.ctx.Refresh))
}

// deny stops polling on a 401 or 403 and says so once; a ctrl+r that is
// denied again says so too (the operator asked).
func (m *Model) deny(err error) tea.Cmd {
	first, probing := m.denied == nil, m.probing
	m.denied, m.probing = err, false
	switch {
	case first:
		return common.Toast(common.ToastError, "access denied, polling stopped (ctrl+r tries again): %s", m.ctx.ErrorText(err))
	case probing:
		return common.Toast(common.ToastError, "still denied, polling stays stopped (ctrl+r tries again): %s", m.ctx.ErrorText(err))
	}
	return nil
}

// refreshMsg is what ctrl+r sends the shown screen: while denied, a probe
// (one read only).
func (m *Model) refreshMsg() common.RefreshMsg {
	if m.denied != nil {
		m.probing = true
		return common.RefreshMsg{Probe: true}
	}
	return common.RefreshMsg{}
}

// Denied is the 401/403 that stopped polling, nil while polling.
func (m *Model) Denied() error { return m.denied }

// The background tick: slower than the refresh, for what may lag behind
// it. Every BackgroundEvery of wall time (never more often than the
// refresh) the root counts the target's running and failed tasks for the
// status bar (two small ListTasks) and sends common.BackgroundTickMsg to
// the shown screen (the Clusters list reads its servers' health on it).
// It goes through Options.Schedule like the refresh tick, and is skipped
// while OCP denies access or reads are failing (the shown screen's own
// poll probes), so it never adds to the load of an outage.

// BackgroundEvery is the background tick's interval.
const BackgroundEvery = 10 * time.Second

// countLimit caps each count: the status bar says "20+ running".
const countLimit = 20

type backgroundTickMsg struct{}

// taskCounts are the status bar's counts.
type taskCounts struct {
	running, failed int
	known           bool
}

type countsMsg struct {
	running, failed int
	err             error
}

func (m *Model) backgroundEvery() time.Duration { return max(BackgroundEvery, m.ctx.Refresh) }

// scheduleBackground arms the next background tick after d.
func (m *Model) scheduleBackground(d time.Duration) tea.Cmd {
	return m.opts.Schedule(d, func() tea.Msg { return backgroundTickMsg{} })
}

// background runs one background tick and arms the next.
func (m *Model) background() tea.Cmd {
	if m.quitting {
		return nil
	}
	next := m.scheduleBackground(m.backgroundEvery())
	if m.denied != nil || m.failures > 0 || !m.fetched || m.lastErr != nil {
		return next
	}
	return tea.Batch(next, m.pollCounts(), m.toTop(common.BackgroundTickMsg{}))
}

// pollCounts counts running and failed tasks on the target, one request
// each, at most one poll in flight.
func (m *Model) pollCounts() tea.Cmd {
	if m.countsInflight {
		return nil
	}
	m.countsInflight = true
	exec, base := m.ctx.Exec, m.ctx.Lifetime
	return func() tea.Msg {
		count := func(st ocp.TaskStatus) (int, error) {
			ts, err := exec.ListTasks(base, backend.TaskFilter{Status: []ocp.TaskStatus{st}, Limit: countLimit})
			return len(ts), err
		}
		running, err := count(ocp.TaskRunning)
		if err != nil {
			return countsMsg{err: err}
		}
		failed, err := count(ocp.TaskFailed)
		return countsMsg{running: running, failed: failed, err: err}
	}
}

// recount counts again now that a task started or ended here, once the
// status bar shows counts (the background tick has run) and reads work.
func (m *Model) recount() tea.Cmd {
	if !m.counts.known || m.denied != nil || m.failures > 0 {
		return nil
	}
	return m.pollCounts()
}

// countsDone takes a count: a failure is a failed read like any other.
func (m *Model) countsDone(msg countsMsg) tea.Cmd {
	m.countsInflight = false
	if msg.err != nil {
		return m.readDone(msg.err)
	}
	m.counts = taskCounts{running: msg.running, failed: msg.failed, known: true}
	return nil
}
