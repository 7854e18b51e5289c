package main

import (
	"bytes"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
)

// screen collects everything a program writes to a pseudo-terminal and
// lets a test wait for text to appear in it.
type screen struct {
	ptmx   *os.File
	mu     sync.Mutex
	raw    bytes.Buffer
	notify chan struct{}
	done   chan struct{}

	answered int // cursor-position requests answered (reader goroutine only)
}

const cursorQuery = "\x1b[6n"

func newScreen(ptmx *os.File) *screen {
	s := &screen{ptmx: ptmx, notify: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		buf := make([]byte, 32*1024)
		for {
			n, err := ptmx.Read(buf)
			if n > 0 {
				s.mu.Lock()
				s.raw.Write(buf[:n])
				asked := bytes.Count(s.raw.Bytes(), []byte(cursorQuery))
				s.mu.Unlock()
				// Answer cursor-position requests as every terminal does:
				// termenv asks one after its background query at start-up
				// and would otherwise wait 5 s for an answer.
				for ; s.answered < asked; s.answered++ {
					_, _ = ptmx.Write([]byte("\x1b[1;1R"))
				}
				select {
				case s.notify <- struct{}{}:
				default:
				}
			}
			if err != nil {
				return
			}
		}
	}()
	return s
}

// Raw is everything written so far, escape sequences included.
func (s *screen) Raw() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.raw.String()
}

// text is the output without escape sequences, from offset on.
func (s *screen) text(from int) string {
	raw := s.Raw()
	if from > len(raw) {
		from = len(raw)
	}
	return ansi.Strip(raw[from:])
}

// mark is the current end of the output; waitFor looks from there on.
func (s *screen) mark() int { s.mu.Lock(); defer s.mu.Unlock(); return s.raw.Len() }

// waitFor waits until every want shows in the output written since from.
func (s *screen) waitFor(t *testing.T, from int, timeout time.Duration, want ...string) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		got := s.text(from)
		ok := true
		for _, w := range want {
			if !strings.Contains(got, w) {
				ok = false
				break
			}
		}
		if ok {
			return
		}
		select {
		case <-s.notify:
		case <-s.done:
			if !strings.Contains(s.text(from), want[len(want)-1]) {
				t.Fatalf("terminal closed before %q showed; output:\n%s", want, s.text(0))
			}
		case <-deadline:
			t.Fatalf("%q did not show within %v; output since mark:\n%s", want, timeout, s.text(from))
		}
	}
}

// waitRaw waits until the raw output (escape sequences included) holds
// want.
func (s *screen) waitRaw(t *testing.T, timeout time.Duration, want string) {
	t.Helper()
	deadline := time.After(timeout)
	for !strings.Contains(s.Raw(), want) {
		select {
		case <-s.notify:
		case <-s.done:
			if !strings.Contains(s.Raw(), want) {
				t.Fatalf("terminal closed before %q was written", want)
			}
		case <-deadline:
			t.Fatalf("%q was not written within %v", want, timeout)
		}
	}
}

// press writes keys to the terminal.
func (s *screen) press(t *testing.T, keys string) {
	t.Helper()
	if _, err := io.WriteString(s.ptmx, keys); err != nil {
		t.Fatal(err)
	}
}

// keepOpen holds the terminal ends given to in-process programs. When a
// program is killed (context cancelled), bubbletea does not wait for its
// input goroutine, so closing the tty afterwards would race with it; the
// files stay open until the test binary exits.
var keepOpen struct {
	sync.Mutex
	files []*os.File
}

// openPTY opens a pseudo-terminal pair of the given size.
func openPTY(t *testing.T, cols, rows uint16) (ptmx, tty *os.File) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: rows, Cols: cols}); err != nil {
		t.Fatal(err)
	}
	keepOpen.Lock()
	keepOpen.files = append(keepOpen.files, ptmx, tty)
	keepOpen.Unlock()
	return ptmx, tty
}

const (
	altScreenOn  = "\x1b[?1049h"
	altScreenOff = "\x1b[?1049l"
)
