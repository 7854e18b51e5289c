// Package sshd is the SSH side of `obconsole ssh`: it accepts the keys of
// an OpenSSH authorized_keys file and nothing else, names the operator of
// each session from their key, and gives every session its own terminal
// (size, colour profile and renderer, a bounded output) under the
// server's limits (sessions, idle time, a graceful stop). What a session
// runs is given by the caller: a bubbletea model for an interactive
// session (through wish's bubbletea middleware), or a command line for an
// exec request.
//
// It knows nothing of screens, executors or the journal, and lives under
// cmd/obconsole/internal because it is the transport of one command, not
// part of the console: ui talks to the world only through
// backend.Executor, and a network server is not a screen.
package sshd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	bm "github.com/charmbracelet/wish/bubbletea"
	"github.com/muesli/termenv"
	gossh "golang.org/x/crypto/ssh"

	"github.com/obconsole/obconsole/backend/safetext"
)

// Defaults of the limits.
const (
	DefaultMaxSessions = 32
	DefaultIdleTimeout = 30 * time.Minute
	DefaultGrace       = 5 * time.Second
)

// How long the server waits for things that should be quick.
const (
	// handshakeTimeout closes a connection that opened no session by
	// then (a scanner, a stuck client).
	handshakeTimeout = 30 * time.Second
	// queryTimeout bounds the wait for the terminal's background colour.
	queryTimeout = time.Second
	// closeTimeout bounds the wait for a client to take its last bytes.
	closeTimeout = 2 * time.Second
	// hangUpWait is how long a stop waits for clients to hang up once
	// their sessions have ended.
	hangUpWait = time.Second
	// keyCheckEvery is how often the authorized keys file is looked at, so
	// that a removed key ends its sessions.
	keyCheckEvery = 2 * time.Second
)

// Exit statuses the server itself returns to a client.
const (
	exitUsage   = 2 // the console without a terminal
	exitRefused = 3 // too many sessions, shutting down, key no longer authorized
)

// ShutdownMessage is what every session is told when the server stops.
const ShutdownMessage = "obconsole is shutting down"

// Identity is who a session's key names.
type Identity struct {
	User        string // the operator (authorized_keys)
	Fingerprint string // SHA256:… of the key
	Remote      string // the client's address
	ReadOnly    bool   // obconsole-readonly
}

// ConsoleFunc builds the model of an interactive session. It runs before
// the program starts; s.Context() ends with the session.
type ConsoleFunc func(s *Session, t Terminal) (tea.Model, error)

// ExecFunc runs the command line of an exec request and returns its exit
// status; s.Context() is cancelled when the session ends.
type ExecFunc func(s *Session, args []string, stdin io.Reader, stdout, stderr io.Writer) int

// Config is the server's configuration.
type Config struct {
	AuthorizedKeys string // OpenSSH authorized_keys file
	HostKey        string // private host key; created (ed25519, 0600) if missing
	MaxSessions    int    // 0: DefaultMaxSessions
	IdleTimeout    time.Duration
	Grace          time.Duration // how long a stop waits for sessions to end
	OutputLimit    int           // bytes a session may have queued; 0: DefaultOutputLimit
	// QueryBackground asks each client's terminal whether its background
	// is dark (for --theme auto with colour); otherwise Session.Dark says
	// nothing.
	QueryBackground bool
	Console         ConsoleFunc
	Exec            ExecFunc
	// Log hears what the server does: sessions, refused keys, errors. Its
	// lines carry no key material and no secret.
	Log     io.Writer
	Version string // for the SSH version string
}

// Server serves the console over SSH.
type Server struct {
	cfg     Config
	ring    *keyRing
	signer  gossh.Signer
	created bool
	ssh     *ssh.Server
	now     func() time.Time
	// wrapOutput, when set, stands between a console session and its
	// client (tests stall a client with it).
	wrapOutput func(io.Writer) io.Writer

	logMu sync.Mutex

	mu       sync.Mutex
	nextID   int64
	sessions map[int64]*Session
	bySSH    map[ssh.Session]*Session
	closing  bool
	// active counts session handlers until their client was told the
	// exit status.
	active sync.WaitGroup
}

// New reads the authorized keys and the host key (creating it on first
// start) and prepares the server.
func New(cfg Config) (*Server, error) {
	if cfg.Console == nil || cfg.Exec == nil {
		return nil, errors.New("sshd: Console and Exec are required")
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = DefaultMaxSessions
	}
	if cfg.Grace <= 0 {
		cfg.Grace = DefaultGrace
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	srv := &Server{cfg: cfg, now: time.Now, sessions: map[int64]*Session{}, bySSH: map[ssh.Session]*Session{}}
	ring, err := newKeyRing(cfg.AuthorizedKeys, srv.logf)
	if err != nil {
		return nil, err
	}
	srv.ring = ring
	if ring.count() == 0 {
		srv.logf("%s authorizes no key yet: add one, it is read again when it changes", cfg.AuthorizedKeys)
	}
	srv.signer, srv.created, err = loadOrCreateHostKey(cfg.HostKey)
	if err != nil {
		return nil, err
	}
	version := "obconsole"
	if cfg.Version != "" {
		version += "_" + cfg.Version
	}
	srv.ssh, err = wish.NewServer(
		func(s *ssh.Server) error { s.AddHostKey(srv.signer); return nil },
		wish.WithVersion(version),
		// Keys only: no password or keyboard-interactive handler, so the
		// server offers neither.
		wish.WithPublicKeyAuth(srv.authorize),
		ssh.EmulatePty(),
		ssh.WrapConn(srv.wrapConn),
		func(s *ssh.Server) error {
			s.ConnectionFailedCallback = srv.connectionFailed
			return nil
		},
		wish.WithMiddleware(
			bm.MiddlewareWithProgramHandler(srv.program, termenv.Ascii),
			srv.session,
		),
	)
	if err != nil {
		return nil, err
	}
	return srv, nil
}

// HostKeyFingerprint is the host key's SHA256 fingerprint, for operators
// to check against what their ssh client shows on first connection.
func (srv *Server) HostKeyFingerprint() string {
	return gossh.FingerprintSHA256(srv.signer.PublicKey())
}

// HostKeyCreated reports whether New created the host key.
func (srv *Server) HostKeyCreated() bool { return srv.created }

// HostPublicKey is the host key's public half, authorized_keys format
// (for a known_hosts line).
func (srv *Server) HostPublicKey() gossh.PublicKey { return srv.signer.PublicKey() }

func (srv *Server) logf(format string, args ...any) {
	srv.logMu.Lock()
	defer srv.logMu.Unlock()
	fmt.Fprintf(srv.cfg.Log, "obconsole ssh: "+format+"\n", args...)
}

// Serve accepts connections on l until ctx ends, then tells every session
// ShutdownMessage, ends it (a task in progress goes on: only the sessions
// stop) and waits up to the grace period for the connections to close.
func (srv *Server) Serve(ctx context.Context, l net.Listener) error {
	served := make(chan error, 1)
	go func() { served <- srv.ssh.Serve(l) }()
	check := time.NewTicker(keyCheckEvery)
	defer check.Stop()
	for {
		select {
		case err := <-served:
			if errors.Is(err, ssh.ErrServerClosed) {
				return nil
			}
			return err
		case <-check.C:
			srv.checkKeys()
		case <-ctx.Done():
			srv.shutdown()
			<-served
			return nil
		}
	}
}

func (srv *Server) shutdown() {
	srv.mu.Lock()
	srv.closing = true
	all := make([]*Session, 0, len(srv.sessions))
	for _, s := range srv.sessions {
		all = append(all, s)
	}
	srv.mu.Unlock()
	srv.logf("stopping: closing %d sessions", len(all))
	for _, s := range all {
		s.end(ShutdownMessage, exitRefused)
	}
	gctx, cancel := context.WithTimeout(context.Background(), srv.cfg.Grace)
	defer cancel()
	ended := make(chan struct{})
	go func() {
		srv.active.Wait()
		close(ended)
	}()
	go func() {
		select {
		case <-ended:
			// Every session has ended and told its client why. Clients
			// hang up on their own at once (OpenSSH does); what is left
			// after a moment (a multiplexing client) is closed.
			t := time.NewTimer(hangUpWait)
			defer t.Stop()
			select {
			case <-t.C:
				cancel()
			case <-gctx.Done():
			}
		case <-gctx.Done():
		}
	}()
	_ = srv.ssh.Shutdown(gctx) // stops accepting; waits for the connections until then
	select {
	case <-ended:
	default:
		srv.logf("sessions still open after %v: closing their connections", srv.cfg.Grace)
	}
	_ = srv.ssh.Close()
	srv.logf("stopped")
}

// checkKeys re-reads the authorized keys if they changed and ends the
// sessions whose key is gone or now names someone else or other rights.
func (srv *Server) checkKeys() {
	if !srv.ring.refresh() {
		return
	}
	srv.mu.Lock()
	all := make([]*Session, 0, len(srv.sessions))
	for _, s := range srv.sessions {
		all = append(all, s)
	}
	srv.mu.Unlock()
	for _, s := range all {
		k, ok := srv.ring.lookup(s.pub)
		if !ok || k.User != s.Identity.User || k.ReadOnly != s.Identity.ReadOnly {
			srv.logf("session %d (%s, %s): key removed or changed in %s: closing", s.ID, s.Identity.User, s.Identity.Fingerprint, srv.cfg.AuthorizedKeys)
			s.end("obconsole: your key was removed or changed in the server's authorized keys: log in again", exitRefused)
		}
	}
}

// connState is what the server knows of one connection.
type connState struct {
	hasSession atomic.Bool
}

type connStateKey struct{}

// wrapConn closes a connection that has not opened a session in time.
func (srv *Server) wrapConn(ctx ssh.Context, c net.Conn) net.Conn {
	st := &connState{}
	ctx.SetValue(connStateKey{}, st)
	time.AfterFunc(handshakeTimeout, func() {
		if !st.hasSession.Load() {
			c.Close()
		}
	})
	return c
}

func (srv *Server) connectionFailed(c net.Conn, err error) {
	if errors.Is(err, io.EOF) {
		return // a client that gave up, or a port check
	}
	srv.logf("connection from %s failed: %s", c.RemoteAddr(), safetext.Line(err.Error()))
}

// authorize accepts a key the authorized keys file lists; every other is
// refused and logged with its fingerprint and the client's address.
func (srv *Server) authorize(ctx ssh.Context, key ssh.PublicKey) bool {
	if _, ok := srv.ring.lookup(key); !ok {
		srv.logf("refused key %s (%s) from %s for user %s: not in %s", gossh.FingerprintSHA256(key), key.Type(),
			ctx.RemoteAddr(), safetext.Excerpt(ctx.User()), srv.cfg.AuthorizedKeys)
		return false
	}
	return true
}

// Session is one SSH session: a console or a command.
type Session struct {
	ID       int64
	Identity Identity

	srv    *Server
	ssh    ssh.Session
	pub    gossh.PublicKey
	env    []string
	ctx    context.Context
	cancel context.CancelFunc

	// console sessions
	term      Terminal
	in        *sessionInput
	out       *frameWriter
	lastInput atomic.Int64 // unix nanoseconds
	idle      *time.Timer
	program   atomic.Pointer[tea.Program]

	mu     sync.Mutex
	reason string // why the server ended the session
	code   int
}

// Context ends when the session does.
func (s *Session) Context() context.Context { return s.ctx }

// Getenv is a variable the client set (ssh -o SetEnv=NAME=VALUE).
func (s *Session) Getenv(name string) string { return environ(s.env).Getenv(name) }

// Output is what a console session draws on (nil for a command): the
// bounded writer, for a bell between frames.
func (s *Session) Output() io.Writer {
	if s.out == nil {
		return nil
	}
	return s.out
}

// OutputStats counts a console session's output so far.
func (s *Session) OutputStats() OutputStats {
	if s.out == nil {
		return OutputStats{}
	}
	return s.out.Stats()
}

// DarkBackground asks the client's terminal whether its background is
// dark, when Config.QueryBackground is set; ok is false when it did not
// say. Call it from ConsoleFunc only (before the program reads keys).
func (s *Session) DarkBackground() (dark, ok bool) {
	if !s.srv.cfg.QueryBackground || s.in == nil || dumb(s.term.Term) {
		return false, false
	}
	return queryDarkBackground(s.out, s.in, queryTimeout)
}

// Send delivers msg to a console session's program from outside it (a
// toast about the journal, news from the other sessions). It never
// blocks the caller, and does nothing for a command or before the
// program exists.
func (s *Session) Send(msg tea.Msg) {
	if p := s.program.Load(); p != nil {
		go p.Send(msg) // returns once the program reads it or has ended
	}
}

// end stops the session, saying why; the first reason stays.
func (s *Session) end(reason string, code int) {
	s.mu.Lock()
	if s.reason == "" {
		s.reason, s.code = reason, code
	}
	s.mu.Unlock()
	s.cancel()
}

func (s *Session) endReason() (string, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reason, s.code
}

// touch notes a key from the client.
func (s *Session) touch() { s.lastInput.Store(s.srv.now().UnixNano()) }

// checkIdle ends a console session that had no key for the idle timeout,
// or looks again when it could next be due.
func (s *Session) checkIdle() {
	limit := s.srv.cfg.IdleTimeout
	since := s.srv.now().Sub(time.Unix(0, s.lastInput.Load()))
	if since >= limit {
		s.srv.logf("session %d (%s): idle for %v: closing", s.ID, s.Identity.User, limit)
		s.end(fmt.Sprintf("obconsole: no key pressed for %v: closing (the server's --idle-timeout)", limit), 0)
		return
	}
	s.idle.Reset(limit - since)
}

// Sessions lists the open sessions, oldest first.
func (srv *Server) Sessions() []*Session {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	out := make([]*Session, 0, len(srv.sessions))
	for _, s := range srv.sessions {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// open registers a session, unless the server is full or stopping.
func (srv *Server) open(sess ssh.Session, id Identity, pub gossh.PublicKey) (*Session, error) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.closing {
		return nil, errors.New(ShutdownMessage)
	}
	if len(srv.sessions) >= srv.cfg.MaxSessions {
		return nil, fmt.Errorf("the server already has %d sessions open, its limit (--max-sessions): try again later", len(srv.sessions))
	}
	srv.nextID++
	ctx, cancel := context.WithCancel(sess.Context())
	s := &Session{ID: srv.nextID, Identity: id, srv: srv, ssh: sess, pub: pub, env: sess.Environ(), ctx: ctx, cancel: cancel}
	srv.sessions[s.ID] = s
	srv.bySSH[sess] = s
	srv.active.Add(1)
	return s, nil
}

func (srv *Server) close(s *Session) {
	s.cancel()
	srv.mu.Lock()
	delete(srv.sessions, s.ID)
	delete(srv.bySSH, s.ssh)
	srv.mu.Unlock()
}

func (srv *Server) lookup(sess ssh.Session) *Session {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	return srv.bySSH[sess]
}

// session is the outer middleware: it names the operator, applies the
// limits and runs a command, or hands a terminal session on to the
// console (the bubbletea middleware, next).
func (srv *Server) session(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		if st, ok := sess.Context().Value(connStateKey{}).(*connState); ok {
			st.hasSession.Store(true)
		}
		pub := sess.PublicKey()
		var k Key
		ok := pub != nil
		if ok {
			k, ok = srv.ring.lookup(pub)
		}
		if !ok {
			// Removed between authentication and the session.
			fmt.Fprint(sess.Stderr(), "obconsole: this key is not authorized\r\n")
			_ = sess.Exit(exitRefused)
			return
		}
		id := Identity{User: k.User, Fingerprint: k.Fingerprint, Remote: sess.RemoteAddr().String(), ReadOnly: k.ReadOnly}
		s, err := srv.open(sess, id, pub)
		if err != nil {
			srv.logf("refused a session of %s (%s) from %s: %v", id.User, id.Fingerprint, id.Remote, err)
			fmt.Fprintf(sess.Stderr(), "obconsole: %v\r\n", err)
			_ = sess.Exit(exitRefused)
			return
		}
		code := srv.run(s, next)
		// The session leaves the register before the client hears its
		// end, so that a client may open the next one at once.
		srv.close(s)
		_ = sess.Exit(code)
		srv.active.Done()
	}
}

// run runs a session's command or console and returns its exit status.
func (srv *Server) run(s *Session, next ssh.Handler) int {
	sess, id := s.ssh, s.Identity
	ptyReq, winCh, isPty := sess.Pty()
	if args := sess.Command(); len(args) > 0 {
		srv.logf("session %d: %s (%s) from %s runs %s", s.ID, id.User, id.Fingerprint, id.Remote, safetext.Excerpt(sess.RawCommand()))
		if isPty {
			go func() {
				for range winCh { // a command has no use for them; unread, they would stall the session's requests
				}
			}()
		}
		code := srv.cfg.Exec(s, args, sess, sess, sess.Stderr())
		if reason, _ := s.endReason(); reason != "" {
			fmt.Fprintf(sess.Stderr(), "\r\n%s\r\n", reason)
		}
		srv.logf("session %d: %s's command ended: exit %d", s.ID, id.User, code)
		return code
	}
	if !isPty {
		fmt.Fprint(sess.Stderr(), "obconsole: the console needs a terminal (ssh -t); or run a command: clusters, zones, servers, tasks, task, restart, audit\r\n")
		return exitUsage
	}

	var out io.Writer = sess
	if srv.wrapOutput != nil {
		out = srv.wrapOutput(out)
	}
	s.out = newFrameWriter(out, srv.cfg.OutputLimit)
	s.touch()
	s.in = newSessionInput(sess, s.ctx.Done(), s.touch)
	go func() {
		// A client that closed its side is gone (a terminal sends no EOF).
		select {
		case <-s.in.eof:
			s.end("", 0)
		case <-s.ctx.Done():
		}
	}()
	if srv.cfg.IdleTimeout > 0 {
		s.idle = time.AfterFunc(srv.cfg.IdleTimeout, s.checkIdle)
		defer s.idle.Stop()
	}
	s.term = newTerminal(ptyReq.Term, ptyReq.Window.Width, ptyReq.Window.Height, s.env, s.out)
	srv.logf("session %d: %s (%s) from %s opens the console (%dx%d, TERM=%s%s)", s.ID, id.User, id.Fingerprint, id.Remote,
		ptyReq.Window.Width, ptyReq.Window.Height, safetext.Excerpt(ptyReq.Term), readOnlyNote(id.ReadOnly))

	next(sess) // runs the program until it quits or s.ctx ends

	code := 0
	if reason, c := s.endReason(); reason != "" {
		code = c
		fmt.Fprintf(s.out, "\r\n%s\r\n", reason)
	}
	s.out.close(closeTimeout)
	st := s.out.Stats()
	srv.logf("session %d: %s's console closed: %d bytes sent, %d dropped (%d redraws after a stall)", s.ID, id.User, st.Sent, st.Dropped, st.Resyncs)
	return code
}

func readOnlyNote(ro bool) string {
	if ro {
		return ", read-only"
	}
	return ""
}

// program builds a console session's bubbletea program (wish's
// bubbletea middleware runs it, resizes it and quits it when the
// connection goes).
func (srv *Server) program(sess ssh.Session) *tea.Program {
	s := srv.lookup(sess)
	if s == nil {
		return nil
	}
	model, err := srv.cfg.Console(s, s.term)
	if err != nil {
		s.end("obconsole: "+safetext.Line(err.Error()), 1)
		return nil
	}
	p := tea.NewProgram(model,
		tea.WithInput(s.in),
		tea.WithOutput(s.out),
		tea.WithAltScreen(),
		// The server's signals are the server's: one program per session
		// must not catch SIGINT or SIGTERM.
		tea.WithoutSignalHandler(),
	)
	s.out.setResync(func() { p.Send(tea.ClearScreen()) })
	s.program.Store(p)
	go func() {
		<-s.ctx.Done()
		p.Quit() // quit, not kill: the terminal is restored in order
	}()
	return p
}
