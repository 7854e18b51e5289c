package sshd

import (
	"io"
	"sync"
	"time"
)

// sessionInput is a console session's keyboard: one goroutine reads the
// client's bytes, notes the activity (the idle timeout counts keys, not
// frames) and hands them to the program; a terminal query before the
// program starts reads its answer from the same stream and gives back
// the keys typed meanwhile. Read returns io.EOF once the client closes
// its side or the session ends.
type sessionInput struct {
	chunks chan []byte
	done   <-chan struct{}
	eof    chan struct{} // closed when the client's input ended

	mu      sync.Mutex
	pending []byte
}

func newSessionInput(src io.Reader, done <-chan struct{}, activity func()) *sessionInput {
	in := &sessionInput{chunks: make(chan []byte, 16), done: done, eof: make(chan struct{})}
	go func() {
		defer close(in.eof)
		defer close(in.chunks)
		buf := make([]byte, 4096)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				activity()
				b := append([]byte(nil), buf[:n]...)
				select {
				case in.chunks <- b:
				case <-done:
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	return in
}

// Read gives the program the next keys.
func (in *sessionInput) Read(p []byte) (int, error) {
	if n := in.fromPending(p); n > 0 {
		return n, nil
	}
	select {
	case b, ok := <-in.chunks:
		if !ok {
			return 0, io.EOF
		}
		n := copy(p, b)
		if n < len(b) {
			in.mu.Lock()
			in.pending = append(in.pending, b[n:]...)
			in.mu.Unlock()
		}
		return n, nil
	case <-in.done:
		return 0, io.EOF
	}
}

func (in *sessionInput) fromPending(p []byte) int {
	in.mu.Lock()
	defer in.mu.Unlock()
	n := copy(p, in.pending)
	in.pending = in.pending[n:]
	return n
}

// next waits up to d for the client's next bytes (terminal queries).
func (in *sessionInput) next(d time.Duration) ([]byte, bool) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case b, ok := <-in.chunks:
		return b, ok
	case <-t.C:
	case <-in.done:
	}
	return nil, false
}

// unread puts b back in front of what the program will read.
func (in *sessionInput) unread(b []byte) {
	if len(b) == 0 {
		return
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	in.pending = append(append([]byte(nil), b...), in.pending...)
}
