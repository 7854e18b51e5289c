package sshd

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// gate is a client that reads only while open: Write blocks while it is
// closed, as an SSH channel's does when the client stops reading.
type gate struct {
	out     io.Writer // where an open gate passes writes on; nil: kept in buf
	mu      sync.Mutex
	cond    *sync.Cond
	closed  bool
	buf     bytes.Buffer
	writes  int
	blocked int // writers waiting while closed
}

func newGate() *gate { g := &gate{}; g.cond = sync.NewCond(&g.mu); return g }

func (g *gate) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for g.closed {
		g.blocked++
		g.cond.Broadcast()
		g.cond.Wait()
		g.blocked--
	}
	g.writes++
	if out := g.out; out != nil {
		g.mu.Unlock()
		n, err := out.Write(p)
		g.mu.Lock()
		return n, err
	}
	g.buf.Write(p)
	g.cond.Broadcast()
	return len(p), nil
}

func (g *gate) set(closed bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = closed
	g.cond.Broadcast()
}

func (g *gate) text() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.buf.String()
}

// waitBlocked waits until a write is held by the closed gate.
func (g *gate) waitBlocked(t *testing.T) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		g.mu.Lock()
		for g.blocked == 0 {
			g.cond.Wait()
		}
		g.mu.Unlock()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("no write reached the stalled client")
	}
}

// waitFor waits until the gate's output holds want.
func (g *gate) waitFor(t *testing.T, want string) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		g.mu.Lock()
		for !strings.Contains(g.buf.String(), want) {
			g.cond.Wait()
		}
		g.mu.Unlock()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%q never written; got %q", want, g.text())
	}
}

// A client that stops reading never blocks a write: what cannot wait is
// dropped, then nothing until the program starts a whole new picture,
// which is asked for once the client has taken what it was sent.
func TestFrameWriterNeverBlocksAndResyncs(t *testing.T) {
	t.Parallel()
	g := newGate()
	w := newFrameWriter(g, 64)
	resyncs := make(chan struct{}, 4)
	w.setResync(func() { resyncs <- struct{}{} })

	w.Write([]byte("first"))
	g.waitFor(t, "first")
	g.set(true) // the client stops reading

	w.Write([]byte("stuck in flight"))
	g.waitBlocked(t)
	frame := []byte(strings.Repeat("x", 30))
	start := time.Now()
	for range 1000 {
		if n, err := w.Write(frame); n != len(frame) || err != nil {
			t.Fatalf("write: %d %v", n, err)
		}
	}
	t.Logf("1000 writes to a stalled client took %v", time.Since(start))
	st := w.Stats()
	if st.Dropped < 900*30 {
		t.Fatalf("dropped only %d bytes", st.Dropped)
	}
	w.mu.Lock()
	queued := len(w.pending)
	w.mu.Unlock()
	if queued > 64 {
		t.Fatalf("%d bytes queued, limit 64", queued)
	}
	select {
	case <-resyncs:
		t.Fatal("resync asked while the client still does not read")
	default:
	}

	g.set(false) // the client reads again
	select {
	case <-resyncs:
	case <-time.After(10 * time.Second):
		t.Fatal("no resync asked after the client caught up")
	}
	// Until the new picture starts, changes to lost frames are dropped.
	w.Write([]byte("diff-of-a-lost-frame"))
	w.Write([]byte(resyncMark))
	w.Write([]byte("whole-frame"))
	g.waitFor(t, "whole-frame")
	out := g.text()
	if strings.Contains(out, "diff-of-a-lost-frame") {
		t.Errorf("a change to a dropped frame was sent: %q", out)
	}
	if !strings.Contains(out, resyncMark+"whole-frame") {
		t.Errorf("the new picture did not follow the clear: %q", out)
	}
	if st := w.Stats(); st.Resyncs != 1 {
		t.Errorf("resyncs %d", st.Resyncs)
	}
}

// One frame larger than the limit still goes out when nothing waits:
// the bound is on the backlog, or a big terminal would never draw.
func TestFrameWriterLargeFrame(t *testing.T) {
	t.Parallel()
	g := newGate()
	w := newFrameWriter(g, 16)
	big := strings.Repeat("y", 100)
	w.Write([]byte(big))
	g.waitFor(t, big)
	if st := w.Stats(); st.Dropped != 0 {
		t.Errorf("dropped %d", st.Dropped)
	}
}

// Closing a session whose frames were being dropped restores the
// client's terminal: bubbletea's own restoring writes may have been lost.
func TestFrameWriterCloseRestoresAfterDrop(t *testing.T) {
	t.Parallel()
	g := newGate()
	w := newFrameWriter(g, 8)
	g.set(true)
	w.Write([]byte("12345678"))
	w.Write([]byte("12345678"))
	w.Write([]byte("12345678")) // over the limit: broken
	g.set(false)
	w.close(5 * time.Second)
	if out := g.text(); !strings.HasSuffix(out, restoreTerminal) {
		t.Errorf("closing output %q, want the terminal restored", out)
	}
	if _, err := w.Write([]byte("late")); err == nil {
		t.Error("write after close accepted")
	}
}
