// Package sshdtest is an SSH client for tests of obconsole ssh: keys,
// connections pinned to the server's host key, terminal sessions that
// collect what the server draws (answering the terminal queries a real
// terminal answers), and commands with their exit status.
package sshdtest

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

// Key is an ed25519 key pair for a test client.
type Key struct {
	Signer gossh.Signer
	Pub    gossh.PublicKey
	Priv   ed25519.PrivateKey
}

// NewKey makes a fresh key.
func NewKey(t testing.TB) Key {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return Key{Signer: s, Pub: s.PublicKey(), Priv: priv}
}

// Line is the key's authorized_keys line, with options and a comment.
func (k Key) Line(options, comment string) string {
	l := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k.Pub)))
	if options != "" {
		l = options + " " + l
	}
	if comment != "" {
		l += " " + comment
	}
	return l
}

// Fingerprint is SHA256:….
func (k Key) Fingerprint() string { return gossh.FingerprintSHA256(k.Pub) }

// Dial connects to addr as k, trusting only hostKey.
func Dial(addr string, k Key, hostKey gossh.PublicKey) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            "oncall",
		Auth:            []gossh.AuthMethod{gossh.PublicKeys(k.Signer)},
		HostKeyCallback: gossh.FixedHostKey(hostKey),
		Timeout:         10 * time.Second,
	})
}

// MustDial is Dial that fails the test, and closes the client after it.
func MustDial(t *testing.T, addr string, k Key, hostKey gossh.PublicKey) *gossh.Client {
	t.Helper()
	c, err := Dial(addr, k, hostKey)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Run runs cmd in a new session and returns its output and exit status.
func Run(t *testing.T, c *gossh.Client, cmd string) (stdout, stderr string, code int) {
	t.Helper()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	s.Stdout, s.Stderr = &out, &errb
	err = s.Run(cmd)
	var ee *gossh.ExitError
	switch {
	case errors.As(err, &ee):
		return out.String(), errb.String(), ee.ExitStatus()
	case err != nil:
		t.Fatalf("%s: %v", cmd, err)
	}
	return out.String(), errb.String(), 0
}

// BackgroundQuery is what a server asks a terminal about its background:
// OSC 11, then DA1 (ansi.RequestBackgroundColor +
// ansi.RequestPrimaryDeviceAttributes).
const BackgroundQuery = "\x1b]11;?\x07\x1b[c"

// Term is a client's terminal on one session.
type Term struct {
	Session *gossh.Session
	stdin   io.WriteCloser
	mu      sync.Mutex
	raw     bytes.Buffer
	notify  chan struct{}
	done    chan struct{}
	bg      string
}

// Open requests a pty of w×h and a shell (the console), with env sent
// first. bg is the background colour the terminal reports when asked
// ("rgb:0000/0000/0000"); "" answers only DA1, as a terminal that keeps
// its colours to itself does.
func Open(t *testing.T, c *gossh.Client, term string, w, h int, env map[string]string, bg string) *Term {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range env {
		if err := sess.Setenv(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.RequestPty(term, h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	tm := &Term{Session: sess, notify: make(chan struct{}, 1), done: make(chan struct{}), bg: bg}
	if tm.stdin, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	sess.Stderr = io.Discard
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go tm.read(stdout)
	return tm
}

func (tm *Term) read(r io.Reader) {
	defer close(tm.done)
	buf := make([]byte, 32<<10)
	answered := 0
	for {
		n, err := r.Read(buf)
		if n > 0 {
			tm.mu.Lock()
			tm.raw.Write(buf[:n])
			asked := strings.Count(tm.raw.String(), BackgroundQuery)
			tm.mu.Unlock()
			for ; answered < asked; answered++ {
				if tm.bg != "" {
					io.WriteString(tm.stdin, "\x1b]11;"+tm.bg+"\x07")
				}
				io.WriteString(tm.stdin, "\x1b[?62;22c")
			}
			tm.Notify()
		}
		if err != nil {
			return
		}
	}
}

// Notify wakes a waiter (the reader does it on every read).
func (tm *Term) Notify() {
	select {
	case tm.notify <- struct{}{}:
	default:
	}
}

// Raw is everything drawn so far, escape sequences included.
func (tm *Term) Raw() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.raw.String()
}

// Mark is the end of the output so far; waits look from a mark on.
func (tm *Term) Mark() int { return len(tm.Raw()) }

// Text is the output since from, escape sequences stripped.
func (tm *Term) Text(from int) string {
	raw := tm.Raw()
	return ansi.Strip(raw[min(from, len(raw)):])
}

// Done is closed when the session's output ends.
func (tm *Term) Done() <-chan struct{} { return tm.done }

// Changed is signalled when output arrives.
func (tm *Term) Changed() <-chan struct{} { return tm.notify }

// WaitFor waits until every want shows in the output since from.
func (tm *Term) WaitFor(t *testing.T, from int, timeout time.Duration, want ...string) {
	t.Helper()
	tm.WaitUntil(t, timeout, func() bool {
		got := tm.Text(from)
		for _, w := range want {
			if !strings.Contains(got, w) {
				return false
			}
		}
		return true
	}, func() string { return "output since mark lacks " + strings.Join(want, ", ") + ":\n" + tm.Text(from) })
}

// WaitUntil waits until ok holds, checking whenever output arrives.
func (tm *Term) WaitUntil(t *testing.T, timeout time.Duration, ok func() bool, why func() string) {
	t.Helper()
	deadline := time.After(timeout)
	for !ok() {
		select {
		case <-tm.notify:
		case <-tm.done:
			if !ok() {
				t.Fatalf("session ended: %s", why())
			}
		case <-deadline:
			t.Fatalf("after %v: %s", timeout, why())
		}
	}
}

// Press types keys.
func (tm *Term) Press(t *testing.T, keys string) {
	t.Helper()
	if _, err := io.WriteString(tm.stdin, keys); err != nil {
		t.Fatal(err)
	}
}

// Wait waits for the session's end and returns its exit status.
func (tm *Term) Wait(t *testing.T) int {
	t.Helper()
	errc := make(chan error, 1)
	go func() { errc <- tm.Session.Wait() }()
	select {
	case err := <-errc:
		<-tm.done
		var ee *gossh.ExitError
		if errors.As(err, &ee) {
			return ee.ExitStatus()
		}
		var missing *gossh.ExitMissingError
		if errors.As(err, &missing) {
			return -1
		}
		if err != nil {
			t.Fatalf("session: %v", err)
		}
		return 0
	case <-time.After(10 * time.Second):
		t.Fatal("session did not end")
	}
	return -1
}
