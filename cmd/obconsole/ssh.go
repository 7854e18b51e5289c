package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/spf13/cobra"
	gossh "golang.org/x/crypto/ssh"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/cmd/obconsole/internal/sshd"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/presence"
	"github.com/obconsole/obconsole/ui/store"
)

type sshOptions struct {
	listen         string
	authorizedKeys string
	hostKey        string
	maxSessions    int
	idleTimeout    time.Duration
}

func (c *cli) sshCommand() *cobra.Command {
	var so sshOptions
	cmd := &cobra.Command{
		Use:   "ssh --authorized-keys FILE",
		Short: "Serve the console over SSH, one operator per key (for a jump host)",
		Long: `ssh serves the console, and the scriptable commands, over SSH: operators run
"ssh -p 2222 oncall@jump" and the console is there, nothing installed per person.
Every session is a full console of its own (size, colours, screens) on the one
executor the server opens with the usual flags: the embedded fleet, shared by
every session, or one OCP (--ocp-url; credentials from the server's environment
only, never from a client).

Keys: --authorized-keys is an OpenSSH authorized_keys file. A key's comment (its
first word), or an obconsole-user=NAME option, names the operator; the
obconsole-readonly option makes that key read-only. Lines with options
obconsole does not enforce (from=, command=, restrict, ...) are left out. The
file is read again when it changes (not on SIGHUP, which stops obconsole like
SIGTERM); sessions of a removed or changed key are closed. No password or
keyboard-interactive login is offered. Unknown keys are refused and logged
(fingerprint and address).

The host key is created on first start (ed25519, mode 0600) at --host-key,
by default $XDG_STATE_HOME/obconsole/ssh_host_ed25519_key; its fingerprint is
printed at start.

Every action is journaled in this server's audit journal with the operator's
name, key fingerprint and address beside the server's user and host (obconsole
audit). A session whose connection drops lets a request already sent finish
and journals its outcome; nothing is cancelled, tasks run on.

Commands over SSH: "ssh -p 2222 oncall@jump tasks -o json" runs clusters,
zones, servers, tasks, task, restart or audit with the same identity and
journal; restart needs --yes (there is no terminal to confirm on), and a
read-only key is refused it (exit 3).

A client picks its look with its TERM (dumb: ASCII, no colour) and
environment: ssh -o SetEnv=NO_COLOR=1, ssh -o SetEnv=OBCONSOLE_ASCII=1.

Limits: --max-sessions (more are told so and closed), --idle-timeout (keys,
not screen updates, count as activity; 0: none). A client that stops reading
is skipped, frames dropped, and sent the whole screen when it reads again.
SIGINT or SIGTERM tells every session "obconsole is shutting down" and stops.`,
		Example: `  obconsole ssh --listen 0.0.0.0:2222 --authorized-keys /etc/obconsole/authorized_keys
  OCP_PASSWORD=… obconsole ssh --ocp-url https://ocp.example:8080 --user admin --authorized-keys keys
  ssh -p 2222 oncall@jump                     # the console
  ssh -p 2222 oncall@jump tasks -o json       # a command`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.runSSH(cmd, so)
		},
	}
	f := cmd.Flags()
	f.StringVar(&so.listen, "listen", "127.0.0.1:2222", "address to listen on (host:port; port 0 picks a free one)")
	f.StringVar(&so.authorizedKeys, "authorized-keys", "", "OpenSSH authorized_keys file of the operators' keys (required)")
	f.StringVar(&so.hostKey, "host-key", "", "the server's private host key, created if missing (default $XDG_STATE_HOME/obconsole/"+sshd.HostKeyFile+")")
	f.IntVar(&so.maxSessions, "max-sessions", sshd.DefaultMaxSessions, "most sessions open at once (consoles and commands)")
	f.DurationVar(&so.idleTimeout, "idle-timeout", sshd.DefaultIdleTimeout, "close a console after this long without a key pressed (0: never)")
	return scriptable(cmd)
}

// sshServer is what the sessions of one obconsole ssh share.
type sshServer struct {
	*cli                  // the server's app and flags
	exec backend.Executor // the one executor
	// auditJournal is the server's journal, every session's; nil with
	// --readonly.
	auditJournal *audit.Journal
	hub          *presence.Hub
	// shared is the read layer every session's console reads through:
	// twenty sessions watching one task cost one GetTask per refresh.
	shared *store.Shared
	mode   theme.Mode
	// noColorForAll: --no-color given to the server, no colour for anyone.
	noColorForAll bool
}

func (c *cli) runSSH(cmd *cobra.Command, so sshOptions) error {
	ctx := commandContext(cmd)
	if so.authorizedKeys == "" {
		return usageError("ssh needs --authorized-keys FILE (OpenSSH format): the operators' keys")
	}
	if so.maxSessions < 1 {
		return usageError("--max-sessions %d: want at least 1", so.maxSessions)
	}
	if so.idleTimeout < 0 {
		return usageError("--idle-timeout %v: want a duration, or 0 for none", so.idleTimeout)
	}
	mode, err := theme.ParseMode(c.theme)
	if err != nil {
		return usageError("%v", err)
	}
	hostKey := so.hostKey
	if hostKey == "" {
		journalPath, err := c.journalPath()
		if err != nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("--host-key: %w", err)}
		}
		hostKey = filepath.Join(filepath.Dir(journalPath), sshd.HostKeyFile)
	}

	ex, closeEx, err := c.openExecutor(ctx)
	if err != nil {
		return err
	}
	defer closeEx()
	sv := &sshServer{cli: c, exec: ex, hub: presence.NewHub(), shared: store.NewShared(c.refresh), mode: mode,
		noColorForAll: cmd.Flags().Changed("no-color") && c.noColor}
	if !c.readonly {
		// The server journals every session's actions; a server that
		// could not must not let anyone mutate.
		j, err := c.journal(c.app)
		if err != nil {
			return &exitError{code: exitRefused, err: fmt.Errorf("%w (use --readonly to serve without the audit journal)", err)}
		}
		sv.auditJournal = j
	}

	srv, err := sshd.New(sshd.Config{
		AuthorizedKeys:  so.authorizedKeys,
		HostKey:         hostKey,
		MaxSessions:     so.maxSessions,
		IdleTimeout:     so.idleTimeout,
		Grace:           shutdownGrace,
		QueryBackground: mode == theme.Auto && !sv.noColorForAll,
		Console:         sv.console,
		Exec:            sv.runExec,
		Log:             c.stderr,
		Version:         versionString(),
	})
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("ssh: %w", err)}
	}
	l, err := net.Listen("tcp", so.listen)
	if err != nil {
		return &exitError{code: exitFailed, err: fmt.Errorf("ssh: %w", err)}
	}
	keyState := "from"
	if srv.HostKeyCreated() {
		keyState = "created in"
	}
	fmt.Fprintf(c.stdout, "obconsole ssh: listening on %s (%s)\n", l.Addr(), ex.Describe())
	fmt.Fprintf(c.stdout, "obconsole ssh: host key %s (ED25519), %s %s\n", srv.HostKeyFingerprint(), keyState, hostKey)
	fmt.Fprintf(c.stdout, "obconsole ssh: known_hosts line: %s\n", knownHostsLine(l.Addr().String(), srv.HostPublicKey()))
	fmt.Fprintf(c.stdout, "obconsole ssh: operators' keys from %s; connect with: %s\n", so.authorizedKeys, connectCommand(l.Addr().String()))

	if err := srv.Serve(ctx, l); err != nil {
		return &exitError{code: exitFailed, err: fmt.Errorf("ssh: %w", err)}
	}
	fmt.Fprintln(c.stdout, "obconsole ssh: stopped")
	return nil
}

// knownHostsLine pins the host key for a client: "[host]:port ssh-ed25519 AAAA…".
func knownHostsLine(addr string, key gossh.PublicKey) string {
	return strings.TrimSpace(knownHostsAddr(addr) + " " + string(gossh.MarshalAuthorizedKey(key)))
}

func knownHostsAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "22" {
		return addr
	}
	return "[" + host + "]:" + port
}

func connectCommand(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "ssh " + addr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "THIS-HOST"
	}
	return "ssh -p " + port + " " + host
}

// sessionFor is a session's executor and its place in the presence hub;
// the member leaves when the session ends.
func (sv *sshServer) sessionFor(s *sshd.Session, place presence.Place) *sessionExecutor {
	id := s.Identity
	member := sv.hub.Join(presence.Who{User: id.User, Fingerprint: id.Fingerprint, Remote: id.Remote})
	member.Look(place)
	go func() {
		<-s.Context().Done()
		member.Leave()
	}()
	return newSessionExecutor(sv.exec, sv.readOnly(s), member, sv.shared)
}

// sessionApp is the app a session's console or commands run in: the
// server's, acting through the session's executor, journaled in the
// server's journal as the session's operator.
func (sv *sshServer) sessionApp(s *sshd.Session, se *sessionExecutor) *app {
	a := *sv.app
	a.open = func(context.Context, *cli) (backend.Executor, func(), error) { return se, nil, nil }
	a.journal = func(*app) (*audit.Journal, error) {
		if sv.auditJournal == nil {
			return nil, errNoJournal
		}
		return sv.auditJournal, nil
	}
	id := s.Identity
	serverActor := sv.actor
	a.actor = func(via string) audit.Actor {
		actor := serverActor(via)
		actor.SSH = audit.SSH{User: id.User, Fingerprint: id.Fingerprint, Remote: id.Remote}
		return actor
	}
	return &a
}

func (sv *sshServer) readOnly(s *sshd.Session) bool { return sv.readonly || s.Identity.ReadOnly }

// console builds one session's console: its own theme on its own
// renderer, its own screens, over the server's one executor.
func (sv *sshServer) console(s *sshd.Session, t sshd.Terminal) (tea.Model, error) {
	o := theme.Options{Mode: sv.mode, NoColor: sv.noColorForAll || t.NoColor, ASCII: sv.ascii || t.ASCII, DarkBackground: true, Renderer: t.Renderer}
	if sv.mode == theme.Auto && !o.NoColor {
		if dark, ok := s.DarkBackground(); ok {
			o.DarkBackground = dark
			t.Renderer.SetHasDarkBackground(dark)
		}
	}
	se := sv.sessionFor(s, presence.Place{Screen: presence.ScreenClusters})
	var exec backend.Executor = se
	if !se.readOnly {
		a, err := sv.sessionApp(s, se).audited(se, "obconsole console", nil)
		if err != nil {
			return nil, err
		}
		// A journal line that could not be written after a request was
		// sent must reach the operator: the journal will say "outcome
		// unknown".
		a.OnOutcomeError(func(err error) {
			s.Send(common.ToastMsg{Level: common.ToastError, Text: "audit journal: " + err.Error()})
		})
		exec = a
	}
	var bell func()
	if sv.bell {
		out := s.Output()
		bell = func() { _, _ = out.Write([]byte("\a")) }
	}
	copyFn, noCopy := ui.Clipboard(s.Output(), t.Term, sv.noClipboard)
	go forwardPresence(s, se.member)
	return newConsoleModel(consoleSpec{Lifetime: s.Context(), Exec: exec, Theme: theme.New(o), ReadOnly: se.readOnly,
		Refresh: sv.refresh, Redactor: sv.redactor, Bell: bell, Mouse: !sv.noMouse, Copy: copyFn, NoCopy: noCopy,
		Shared: sv.shared, Presence: se.member}), nil
}

// forwardPresence delivers the other operators' news to the session's
// console, in order, until the session ends. News that comes before the
// console's program runs is dropped; a console slow to read it costs the
// others nothing (the member's queue is bounded and drops its oldest).
func forwardPresence(s *sshd.Session, member *presence.Member) {
	for {
		select {
		case ev := <-member.Events():
			s.SendInOrder(ev)
		case <-s.Context().Done():
			return
		}
	}
}

// errNoJournal: the server runs --readonly; nothing can be journaled.
var errNoJournal = errors.New("the server runs --readonly: nothing can be journaled, so nothing mutates")
