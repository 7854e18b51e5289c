package sshd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"github.com/obconsole/obconsole/backend/safetext"
)

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

// SendInOrder delivers msg to a console session's program and returns
// once the program has read it, or has ended: messages one goroutine
// sends this way are read in the order sent (Send's may not be). It
// reports false, delivering nothing, for a command or before the program
// exists.
func (s *Session) SendInOrder(msg tea.Msg) bool {
	p := s.program.Load()
	if p == nil {
		return false
	}
	p.Send(msg)
	return true
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
