package store

import "time"

// Polling rules. The store decides on which ticks anything polls; holding
// a tick back holds back every background request (the shown screen's
// and the watched tasks').
//
//   - A denial (401 Unauthorized, 403 Forbidden) from any read stops all
//     polling until the operator acts: a real OCP locks accounts after
//     repeated failures. The root says it once (Change.Access) and its
//     status bar reads "denied · ctrl+r to try again". ctrl+r sends one
//     read (Refresh probes); when it works, polling resumes. Opening a
//     screen still loads it (one read, the operator asked); going back
//     sends nothing.
//   - Any other failed read backs off: after each consecutive failure the
//     interval doubles, up to maxBackoff ticks (8 × the refresh or 30 s,
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

// Access is news of OCP's access to say.
type Access int

const (
	AccessSame        Access = iota // nothing to say
	AccessDenied                    // denied: polling stopped
	AccessStillDenied               // a ctrl+r was denied again
	AccessGranted                   // a read worked after a denial: polling resumed
)

// pollState is the store's polling health.
type pollState struct {
	fetched  bool  // a read has ever answered
	lastErr  error // the last read's error
	denied   error // the 401/403 that stopped all polling; nil while polling
	probing  bool  // ctrl+r sent one read while denied: its answer is said
	failures int   // consecutive failed reads: polls back off
	pollIn   int   // ticks until the next poll while backing off
	failTick int   // the tick the last failure was counted in
}

// healthy reports that reads work: the slow tick and recounts run only
// then, so they never add to the load of an outage.
func (p *pollState) healthy() bool {
	return p.denied == nil && p.failures == 0 && p.fetched && p.lastErr == nil
}

// pollDue reports whether this tick polls: never while denied, and while
// backing off only when the wait is over. Nor before the first screen's
// first read has answered: that read was just sent, and its answer may be
// the denial that must stop the next one.
func (s *Store) pollDue() bool {
	p := &s.poll
	if p.denied != nil || !p.fetched {
		return false
	}
	if p.pollIn > 1 {
		p.pollIn--
		return false
	}
	p.pollIn = 0
	return true
}

// readDone takes the outcome of any read: a success resets the back-off
// and ends a denial, a denial stops polling, another failure backs off.
func (s *Store) readDone(err error) Access {
	p := &s.poll
	p.fetched, p.lastErr = true, err
	switch {
	case err == nil:
		s.fresh.Fetched()
		p.failures, p.pollIn = 0, 0
		p.probing = false
		if p.denied != nil {
			p.denied = nil
			return AccessGranted
		}
	case Denied(err):
		first, probing := p.denied == nil, p.probing
		p.denied, p.probing = err, false
		switch {
		case first:
			return AccessDenied
		case probing:
			return AccessStillDenied
		}
	default:
		// A probe that failed otherwise says nothing about the
		// credentials: polling stays stopped, the next ctrl+r probes again.
		p.probing = false
		s.backoff()
	}
	return AccessSame
}

// ReadDone takes the outcome of a read made outside the store's entries
// (a command-line lookup, a restart dialog's check): it counts like any.
func (s *Store) ReadDone(err error) Access { return s.readDone(err) }

// backoff counts a failed read (once per tick: the shown screen and the
// watched tasks failing together are one failure) and doubles the wait.
func (s *Store) backoff() {
	p := &s.poll
	if p.failures > 0 && p.failTick == s.tick {
		return
	}
	p.failTick = s.tick
	p.failures++
	p.pollIn = min(1<<min(p.failures, 30), maxBackoff(s.refresh))
}

// Denial is the 401/403 that stopped polling, nil while polling.
func (s *Store) Denial() error { return s.poll.denied }

// Connection is the connection's state for the status bar: whether a
// read has answered yet, and the last one's error.
func (s *Store) Connection() (answered bool, lastErr error) { return s.poll.fetched, s.poll.lastErr }
