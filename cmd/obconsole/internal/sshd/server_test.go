package sshd

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"github.com/obconsole/obconsole/cmd/obconsole/internal/sshd/sshdtest"
)

// testModel shows what the server told it about its session, the size,
// the keys pressed, and (ticking) a counter that changes every few
// milliseconds, so frames keep coming.
type testModel struct {
	s      *Session
	t      Terminal
	w, h   int
	keys   string
	ticker bool
	ticks  *atomic.Int64
	pad    int    // extra lines per frame, to make frames big
	bg     string // what the terminal said of its background
}

type tickMsg struct{}

func tick() tea.Cmd {
	return tea.Tick(5*time.Millisecond, func(time.Time) tea.Msg { return tickMsg{} })
}

func (m *testModel) Init() tea.Cmd {
	if m.ticker {
		return tick()
	}
	return nil
}

func (m *testModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.KeyMsg:
		if msg.String() == "q" {
			return m, tea.Quit
		}
		m.keys += msg.String()
	case tickMsg:
		m.ticks.Add(1)
		return m, tick()
	}
	return m, nil
}

func (m *testModel) View() string {
	v := fmt.Sprintf("user=%s ro=%v size=%dx%d keys=[%s] tick=%d.\nascii=%v nocolor=%v bg=%s",
		m.s.Identity.User, m.s.Identity.ReadOnly, m.w, m.h, m.keys, m.ticks.Load(), m.t.ASCII, m.t.NoColor, m.bg)
	for i := range m.pad {
		v += fmt.Sprintf("\nline %d of tick %d %s", i, m.ticks.Load(), strings.Repeat("=", 60))
	}
	return v
}

// testServer is a running server with two authorized keys: alice
// (read-write) and bob (read-only).
type testServer struct {
	srv        *Server
	addr       string
	keysPath   string
	log        *syncBuffer
	alice, bob sshdtest.Key
	stop       context.CancelFunc
	served     chan error
	// ticks counts each session's ticks, by operator.
	mu    sync.Mutex
	ticks map[string]*atomic.Int64
	execs []string
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startServer(t *testing.T, configure func(*Config, *Server), ticker bool, pad int) *testServer {
	t.Helper()
	dir := t.TempDir()
	ts := &testServer{alice: newTestKey(t), bob: newTestKey(t), log: &syncBuffer{}, ticks: map[string]*atomic.Int64{},
		keysPath: filepath.Join(dir, "authorized_keys")}
	keys := ts.alice.Line("", "alice@laptop") + "\n" + ts.bob.Line("obconsole-readonly", "bob") + "\n"
	if err := os.WriteFile(ts.keysPath, []byte(keys), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		AuthorizedKeys: ts.keysPath,
		HostKey:        filepath.Join(dir, "state", HostKeyFile),
		Log:            ts.log,
		Grace:          5 * time.Second,
		Console: func(s *Session, tm Terminal) (tea.Model, error) {
			ts.mu.Lock()
			c := ts.ticks[s.Identity.User]
			if c == nil {
				c = &atomic.Int64{}
				ts.ticks[s.Identity.User] = c
			}
			ts.mu.Unlock()
			bg := "unknown"
			if dark, ok := s.DarkBackground(); ok {
				bg = map[bool]string{true: "dark", false: "light"}[dark]
			}
			return &testModel{s: s, t: tm, ticker: ticker, ticks: c, pad: pad, bg: bg}, nil
		},
		Exec: func(s *Session, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
			ts.mu.Lock()
			ts.execs = append(ts.execs, s.Identity.User+": "+strings.Join(args, " "))
			ts.mu.Unlock()
			switch args[0] {
			case "whoami":
				fmt.Fprintf(stdout, "%s %s ro=%v\n", s.Identity.User, s.Identity.Fingerprint, s.Identity.ReadOnly)
				return 0
			case "fail":
				fmt.Fprintln(stderr, "failed on purpose")
				return 7
			case "wait":
				fmt.Fprintln(stdout, "waiting")
				<-s.Context().Done()
				return 130
			}
			return 2
		},
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if configure != nil {
		configure(&srv.cfg, srv)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ts.srv, ts.addr, ts.stop, ts.served = srv, l.Addr().String(), cancel, make(chan error, 1)
	go func() { ts.served <- srv.Serve(ctx, l) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-ts.served:
		case <-time.After(15 * time.Second):
			t.Error("server did not stop")
		}
	})
	return ts
}

func (ts *testServer) dial(t *testing.T, k sshdtest.Key) *gossh.Client {
	t.Helper()
	return sshdtest.MustDial(t, ts.addr, k, ts.srv.HostPublicKey())
}

func (ts *testServer) tryDial(k sshdtest.Key) (*gossh.Client, error) {
	return sshdtest.Dial(ts.addr, k, ts.srv.HostPublicKey())
}

// waitTick waits until the screen shows a tick of at least n since from
// (frames come at the renderer's rate, so not every tick is drawn).
func waitTick(t *testing.T, tm *sshdtest.Term, from int, n int64) {
	t.Helper()
	tm.WaitUntil(t, 10*time.Second, func() bool {
		for _, m := range tickShown.FindAllStringSubmatch(tm.Text(from), -1) {
			if v, _ := strconv.ParseInt(m[1], 10, 64); v >= n {
				return true
			}
		}
		return false
	}, func() string { return fmt.Sprintf("tick %d not shown", n) })
}

var tickShown = regexp.MustCompile(`tick=(\d+)\.`)

func TestConsoleSessionIdentitySizeAndKeys(t *testing.T) {
	t.Parallel()
	ts := startServer(t, func(c *Config, _ *Server) { c.QueryBackground = true }, false, 0)
	tm := sshdtest.Open(t, ts.dial(t, ts.alice), "xterm-256color", 100, 30, nil, "rgb:ffff/ffff/ffff")
	tm.WaitFor(t, 0, 10*time.Second, "user=alice@laptop ro=false size=100x30", "ascii=false nocolor=false bg=light")
	m := tm.Mark()
	tm.Press(t, "jk")
	tm.WaitFor(t, m, 10*time.Second, "keys=[jk]")

	// A window change resizes this session's program.
	m = tm.Mark()
	if err := tm.Session.WindowChange(20, 60); err != nil {
		t.Fatal(err)
	}
	tm.WaitFor(t, m, 10*time.Second, "size=60x20")

	tm.Press(t, "q")
	if code := tm.Wait(t); code != 0 {
		t.Errorf("exit %d", code)
	}
	raw := tm.Raw()
	if on, off := strings.LastIndex(raw, ansi.SetModeAltScreenSaveCursor), strings.LastIndex(raw, ansi.ResetModeAltScreenSaveCursor); on < 0 || off < on {
		t.Errorf("alternate screen not entered and left: %q", raw[max(len(raw)-100, 0):])
	}
	log := ts.log.String()
	for _, want := range []string{"alice@laptop (" + ts.alice.Fingerprint() + ") from 127.0.0.1:", `opens the console (100x30, TERM="xterm-256color")`, "console closed"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
}

func TestReadOnlyKeyAndClientTerminal(t *testing.T) {
	t.Parallel()
	ts := startServer(t, nil, false, 0)
	c := ts.dial(t, ts.bob)
	tm := sshdtest.Open(t, c, "xterm-256color", 80, 24, map[string]string{"NO_COLOR": "1"}, "")
	tm.WaitFor(t, 0, 10*time.Second, "user=bob ro=true size=80x24", "ascii=false nocolor=true bg=unknown")
	tm.Press(t, "q")
	tm.Wait(t)
	dumb := sshdtest.Open(t, c, "dumb", 80, 24, nil, "")
	dumb.WaitFor(t, 0, 10*time.Second, "user=bob ro=true size=80x24", "ascii=true nocolor=true")
	dumb.Press(t, "q")
	dumb.Wait(t)
}

func TestUnknownKeyIsRefusedAndLogged(t *testing.T) {
	t.Parallel()
	ts := startServer(t, nil, false, 0)
	stranger := newTestKey(t)
	if _, err := ts.tryDial(stranger); err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Fatalf("a stranger's key: %v", err)
	}
	log := ts.log.String()
	if !strings.Contains(log, "refused key "+stranger.Fingerprint()+" (ssh-ed25519) from 127.0.0.1:") {
		t.Errorf("log:\n%s", log)
	}
	material := strings.Fields(stranger.Line("", ""))[1]
	if strings.Contains(log, material) {
		t.Errorf("the log holds key material:\n%s", log)
	}
	// Passwords are not even offered.
	_, err := gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{User: "oncall", Auth: []gossh.AuthMethod{gossh.Password("x")},
		HostKeyCallback: gossh.FixedHostKey(ts.srv.HostPublicKey()), Timeout: 10 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "attempted methods [none]") {
		t.Errorf("password login: %v", err)
	}
}

// A key added to the file lets its owner in at once; a key removed ends
// its sessions.
func TestAuthorizedKeysChangeTakesEffect(t *testing.T) {
	t.Parallel()
	ts := startServer(t, nil, false, 0)
	carol := newTestKey(t)
	if _, err := ts.tryDial(carol); err == nil {
		t.Fatal("carol let in before being added")
	}
	rewrite := func(lines ...string) {
		tmp := ts.keysPath + ".new"
		if err := os.WriteFile(tmp, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, ts.keysPath); err != nil {
			t.Fatal(err)
		}
	}
	rewrite(ts.alice.Line("", "alice"), carol.Line("", "carol"))
	tm := sshdtest.Open(t, ts.dial(t, carol), "xterm", 80, 24, nil, "")
	tm.WaitFor(t, 0, 10*time.Second, "user=carol")

	rewrite(ts.alice.Line("", "alice"))
	ts.srv.checkKeys()
	tm.WaitFor(t, 0, 10*time.Second, "your key was removed or changed")
	if code := tm.Wait(t); code != exitRefused {
		t.Errorf("exit %d", code)
	}
}

func TestExecCommands(t *testing.T) {
	t.Parallel()
	ts := startServer(t, nil, false, 0)
	c := ts.dial(t, ts.bob)
	run := func(cmd string) (string, string, int) { return sshdtest.Run(t, c, cmd) }
	if out, _, code := run("whoami"); code != 0 || out != "bob "+ts.bob.Fingerprint()+" ro=true\n" {
		t.Errorf("whoami: %q exit %d", out, code)
	}
	if _, errs, code := run("fail"); code != 7 || errs != "failed on purpose\n" {
		t.Errorf("fail: %q exit %d", errs, code)
	}
	if _, _, code := run(`whoami "a b" c`); code != 0 {
		t.Errorf("exit %d", code)
	}
	ts.mu.Lock()
	last := ts.execs[len(ts.execs)-1]
	ts.mu.Unlock()
	if last != "bob: whoami a b c" {
		t.Errorf("args %q", last)
	}
	// No terminal and no command: nothing to run.
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var errb bytes.Buffer
	s.Stderr = &errb
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	var ee *gossh.ExitError
	if err := s.Wait(); !errors.As(err, &ee) || ee.ExitStatus() != exitUsage || !strings.Contains(errb.String(), "needs a terminal") {
		t.Errorf("shell without a terminal: %v %q", err, errb.String())
	}
}

func TestMaxSessions(t *testing.T) {
	t.Parallel()
	ts := startServer(t, func(c *Config, _ *Server) { c.MaxSessions = 1 }, false, 0)
	c := ts.dial(t, ts.alice)
	first := sshdtest.Open(t, c, "xterm", 80, 24, nil, "")
	first.WaitFor(t, 0, 10*time.Second, "user=alice")
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var errb bytes.Buffer
	s.Stderr = &errb
	err = s.Run("whoami")
	var ee *gossh.ExitError
	if !errors.As(err, &ee) || ee.ExitStatus() != exitRefused || !strings.Contains(errb.String(), "already has 1 sessions open, its limit (--max-sessions)") {
		t.Errorf("second session: %v %q", err, errb.String())
	}
	first.Press(t, "q")
	first.Wait(t)
	if _, _, code := sshdtest.Run(t, c, "whoami"); code != 0 {
		t.Errorf("after the first closed: exit %d", code)
	}
}

// The idle timeout counts keys, not frames: a session watching a screen
// that changes still times out, and a key starts the count again.
func TestIdleTimeout(t *testing.T) {
	t.Parallel()
	var now atomic.Int64
	now.Store(time.Date(2024, 4, 15, 3, 0, 0, 0, time.UTC).UnixNano())
	ts := startServer(t, func(c *Config, s *Server) {
		c.IdleTimeout = time.Hour // the timer never fires by itself here
		s.now = func() time.Time { return time.Unix(0, now.Load()) }
	}, true, 0)
	tm := sshdtest.Open(t, ts.dial(t, ts.alice), "xterm", 80, 24, nil, "")
	tm.WaitFor(t, 0, 10*time.Second, "user=alice")
	sess := ts.srv.Sessions()[0]

	now.Add(int64(50 * time.Minute))
	m := tm.Mark()
	tm.Press(t, "x")
	tm.WaitFor(t, m, 10*time.Second, "keys=[x]")
	now.Add(int64(50 * time.Minute)) // 100 minutes in, 50 since the key
	sess.checkIdle()
	if sess.ctx.Err() != nil {
		t.Fatal("closed although a key came 50 minutes ago")
	}
	now.Add(int64(10 * time.Minute))
	sess.checkIdle()
	tm.WaitFor(t, 0, 10*time.Second, "no key pressed for 1h0m0s: closing")
	tm.Wait(t)
}

// Stopping the server tells every session why and ends it; commands see
// their context cancelled.
func TestShutdownClosesSessionsWithAMessage(t *testing.T) {
	t.Parallel()
	ts := startServer(t, nil, true, 0)
	c := ts.dial(t, ts.alice)
	tm := sshdtest.Open(t, c, "xterm", 80, 24, nil, "")
	tm.WaitFor(t, 0, 10*time.Second, "user=alice")
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var errb syncBuffer
	s.Stderr = &errb
	stdout, err := s.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start("wait"); err != nil {
		t.Fatal(err)
	}
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "waiting\n" {
		t.Fatalf("command: %q %v", line, err)
	}
	ts.stop()
	tm.WaitFor(t, 0, 10*time.Second, ShutdownMessage)
	if code := tm.Wait(t); code != exitRefused {
		t.Errorf("console exit %d", code)
	}
	var ee *gossh.ExitError
	if err := s.Wait(); !errors.As(err, &ee) || ee.ExitStatus() != 130 || !strings.Contains(errb.String(), ShutdownMessage) {
		t.Errorf("command: %v %q", err, errb.String())
	}
	c.Close() // the client hangs up, as OpenSSH's does when its last session ends
	select {
	case err := <-ts.served:
		ts.served <- err
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not return")
	}
	raw := tm.Raw()
	if i, j := strings.LastIndex(raw, ansi.ResetModeAltScreenSaveCursor), strings.LastIndex(raw, ShutdownMessage); i < 0 || j < i {
		t.Errorf("the message is not written after the alternate screen is left: %q", raw[max(len(raw)-200, 0):])
	}
}

// A client that stops reading does not slow another: with one session's
// output stalled, the other's frames keep coming as fast as before, and
// the stalled session's program keeps running; once its client reads
// again it gets the current screen whole.
func TestStalledClientDoesNotSlowAnother(t *testing.T) {
	t.Parallel()
	g := newGate()
	var wrapped atomic.Int32
	ts := startServer(t, func(c *Config, s *Server) {
		c.OutputLimit = 16 << 10
		s.wrapOutput = func(w io.Writer) io.Writer {
			if wrapped.Add(1) == 1 {
				g.out = w
				return g
			}
			return w
		}
	}, true, 20)

	stalled := sshdtest.Open(t, ts.dial(t, ts.alice), "xterm", 100, 30, nil, "")
	stalled.WaitFor(t, 0, 10*time.Second, "user=alice")
	other := sshdtest.Open(t, ts.dial(t, ts.bob), "xterm", 100, 30, nil, "")
	other.WaitFor(t, 0, 10*time.Second, "user=bob")

	// frames counts the other session's frames over a window of its ticks.
	rate := func() float64 {
		start, m := time.Now(), other.Mark()
		ts.mu.Lock()
		bobTicks := ts.ticks["bob"]
		ts.mu.Unlock()
		from := bobTicks.Load()
		waitTick(t, other, m, from+40)
		return float64(strings.Count(other.Raw()[m:], "user=bob")) / time.Since(start).Seconds()
	}
	before := rate()

	g.set(true)
	ts.mu.Lock()
	aliceTicks := ts.ticks["alice@laptop"]
	ts.mu.Unlock()
	from := aliceTicks.Load()
	during := rate()
	// The stalled session's program was not held up by its output.
	if got := aliceTicks.Load(); got < from+40 {
		t.Errorf("the stalled session's program ran %d ticks while the other ran 40", got-from)
	}
	st := ts.srv.Sessions()[0].OutputStats()
	if st.Dropped == 0 {
		t.Errorf("nothing dropped for the stalled client: %+v", st)
	}
	// A measurement, not a check on timing (the harness reports it).
	t.Logf("other session: %.0f frames/s before the stall, %.0f during; stalled session: %+v", before, during, st)

	g.set(false)
	m := stalled.Mark()
	ticks := aliceTicks.Load()
	waitTick(t, stalled, m, ticks+5)
	if st := ts.srv.Sessions()[0].OutputStats(); st.Resyncs == 0 {
		t.Errorf("no whole frame after the stall: %+v", st)
	}
}
