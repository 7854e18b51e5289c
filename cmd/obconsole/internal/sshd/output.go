package sshd

import (
	"io"
	"sync"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// DefaultOutputLimit bounds what one session may have waiting for its
// client: a few full frames at 200 columns in colour.
const DefaultOutputLimit = 256 << 10

// resyncMark is the write that starts a whole new picture: bubbletea's
// renderer clears the screen with exactly this write (tea.ClearScreen, and
// on entering the alternate screen), then homes the cursor and repaints
// every line. Frames written after it do not depend on anything before.
const resyncMark = ansi.EraseEntireScreen

// restoreTerminal undoes what the console set on the client's terminal,
// for a session whose last frames were dropped: attributes, cursor,
// bracketed paste, alternate screen.
const restoreTerminal = "\x1b[0m" + ansi.ShowCursor + ansi.ResetModeBracketedPaste + ansi.ResetModeAltScreenSaveCursor

// frameWriter is a session's output: Write never blocks, so a client that
// stops reading (a stalled link, a suspended ssh) never holds up its
// program, the other sessions or the executor.
//
// Writes queue for one goroutine that sends them on. When more than limit
// bytes wait, everything waiting is dropped and so is every later write
// until the picture starts over: bubbletea draws each frame as changes to
// the previous one, so once one is lost only a whole new frame is of use.
// As soon as the client has taken what was sent, resync asks the program
// for one (tea.ClearScreen): the client sees the current screen, not the
// history it missed.
type frameWriter struct {
	out    io.Writer
	limit  int
	resync func()

	mu      sync.Mutex
	pending []byte
	spare   []byte
	broken  bool // writes are dropped until the next resyncMark
	asked   bool // resync was asked for and has not come yet
	closed  bool
	failed  error // the client's side is gone
	sending bool  // the sender is writing to out
	wake    chan struct{}
	drained *sync.Cond // signalled when the sender is done with a batch

	stats OutputStats
}

// OutputStats count a session's output.
type OutputStats struct {
	Sent    int64 // bytes the client was sent
	Dropped int64 // bytes dropped because the client did not read
	Resyncs int64 // whole frames asked for after a drop
}

func newFrameWriter(out io.Writer, limit int) *frameWriter {
	if limit <= 0 {
		limit = DefaultOutputLimit
	}
	w := &frameWriter{out: out, limit: limit, wake: make(chan struct{}, 1)}
	w.drained = sync.NewCond(&w.mu)
	go w.send()
	return w
}

// setResync sets what asks the program for a whole frame.
func (w *frameWriter) setResync(f func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.resync = f
}

// Write queues p and returns at once.
func (w *frameWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed || w.failed != nil {
		return 0, io.ErrClosedPipe
	}
	if w.broken {
		if string(p) != resyncMark {
			w.stats.Dropped += int64(len(p))
			return len(p), nil
		}
		w.broken, w.asked = false, false
	}
	// The bound is on the backlog: one write larger than the limit (a huge
	// terminal's frame) still goes out when nothing waits before it.
	if len(w.pending) > 0 && len(w.pending)+len(p) > w.limit {
		w.stats.Dropped += int64(len(w.pending) + len(p))
		w.pending = w.pending[:0]
		w.broken = true
		w.poke()
		return len(p), nil
	}
	w.pending = append(w.pending, p...)
	w.poke()
	return len(p), nil
}

// poke wakes the sender; w.mu is held.
func (w *frameWriter) poke() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// send is the one goroutine that writes to the client.
func (w *frameWriter) send() {
	for {
		w.mu.Lock()
		for len(w.pending) == 0 && !(w.broken && !w.asked) && !w.closed {
			w.mu.Unlock()
			<-w.wake
			w.mu.Lock()
		}
		if len(w.pending) == 0 && w.broken && !w.asked && !w.closed {
			// The client took everything sent: ask for a whole frame.
			w.asked = true
			w.stats.Resyncs++
			if f := w.resync; f != nil {
				go f()
			}
			w.mu.Unlock()
			continue
		}
		if len(w.pending) == 0 { // closed and nothing left
			w.drained.Broadcast()
			w.mu.Unlock()
			return
		}
		batch := w.pending
		w.pending, w.spare = w.spare[:0], nil
		w.sending = true
		w.mu.Unlock()

		_, err := w.out.Write(batch)

		w.mu.Lock()
		w.sending = false
		w.stats.Sent += int64(len(batch))
		if cap(batch) <= 2*w.limit {
			w.spare = batch[:0]
		}
		if err != nil {
			w.failed = err
			w.pending = w.pending[:0]
			w.drained.Broadcast()
			w.mu.Unlock()
			return
		}
		w.drained.Broadcast()
		w.mu.Unlock()
	}
}

// close stops accepting writes and waits up to timeout for the client to
// take what is queued. A session whose frames were being dropped is sent
// what restores its terminal instead, since bubbletea's own restoring
// writes may have been among the dropped.
func (w *frameWriter) close(timeout time.Duration) {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return
	}
	if w.broken && w.failed == nil {
		w.pending = append(w.pending[:0], restoreTerminal...)
		w.broken = false
	}
	w.closed = true
	w.poke()
	w.mu.Unlock()
	w.wait(timeout)
}

func (w *frameWriter) wait(timeout time.Duration) bool {
	done := make(chan struct{})
	go func() {
		w.mu.Lock()
		for (len(w.pending) > 0 || w.sending) && w.failed == nil {
			w.drained.Wait()
		}
		w.mu.Unlock()
		close(done)
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
		return false
	}
}

// Stats returns the counts so far.
func (w *frameWriter) Stats() OutputStats {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stats
}
