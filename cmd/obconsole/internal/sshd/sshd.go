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
