package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/charmbracelet/x/term"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/backend/safetext"
)

// app is everything the commands reach beyond their flags: the process's
// streams, environment, terminal, wall clock, audit journal and the
// executor the flags name. main builds the real one (newApp); a test
// builds its own with its own fakes, so that tests share no package state
// and run in parallel; an obconsole ssh session runs in a copy of the
// server's (sshServer.sessionApp).
//
// Its fields are values and functions that capture no app, so a copy is
// a whole app of its own.
type app struct {
	stdin io.Reader
	// stdout and stderr are the commands' output, redacted and made safe
	// (redactor.Writer); terminal is the raw stdout the console draws on.
	stdout, stderr io.Writer
	terminal       io.Writer
	// redactor is the process's one redactor: the remote executor
	// registers its secrets and signatures with it; stdout, stderr, the
	// journal and the console's screen pass through it.
	redactor *safetext.Redactor

	getenv func(string) string
	// isTerminal reports whether a stream is a terminal: stdin, whether
	// the operator can be asked; stdout, whether the console can draw.
	isTerminal func(any) bool
	// readSecret asks for a secret on the terminal stdin without echoing
	// it; it is only called when isTerminal(stdin) says yes.
	readSecret func(ctx context.Context, stdin io.Reader, stderr io.Writer, prompt string) (string, error)
	clock      clock
	// zone is the zone command output shows times in: the operator's.
	zone *time.Location

	// open opens the executor a command line names (openFromFlags).
	open func(ctx context.Context, c *cli) (backend.Executor, func(), error)
	// journal opens the audit journal mutating actions are written to
	// (openJournal); actor says who sends them, via which command.
	journal func(a *app) (*audit.Journal, error)
	actor   func(via string) audit.Actor
	// journalPath is where the journal lives: audit reads it, ssh keeps
	// its host key beside it.
	journalPath func() (string, error)
}

// newApp is the process's app on its own streams and environment.
// Everything written on stdout and stderr passes the one redactor and is
// made safe to print.
func newApp(stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) *app {
	redactor := safetext.NewRedactor()
	return &app{
		stdin: stdin, stdout: redactor.Writer(stdout), stderr: redactor.Writer(stderr), terminal: stdout, redactor: redactor,
		getenv: getenv, isTerminal: isTerminal, readSecret: promptStdin, clock: wallClock{}, zone: time.Local,
		open: openFromFlags, journal: openJournal, actor: audit.CurrentActor, journalPath: audit.DefaultPath,
	}
}

// run executes one command line and returns the process exit code.
func (a *app) run(ctx context.Context, args []string) int {
	root := a.rootCommand()
	root.SetArgs(args)
	return exitStatus(root.ExecuteContext(ctx), a.stderr)
}

func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(file.Fd())
}

// clock is the wall clock: what audit --since counts back from, what an
// embedded fleet numbers its tasks from, and the pause between two polls
// of a watched task (a test's advances a fake clock instead of sleeping).
type clock interface {
	Now() time.Time
	// Sleep waits d, or until ctx ends (its error).
	Sleep(ctx context.Context, d time.Duration) error
}

type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

func (wallClock) Sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// cli is one command line being run: the app it runs in and the flags it
// was given. Every command is built from one.
type cli struct {
	*app
	globalOptions
}

// openExecutor opens the executor of the command line. The second result
// releases it.
func (c *cli) openExecutor(ctx context.Context) (backend.Executor, func(), error) {
	ex, closeFn, err := c.open(ctx, c)
	if err != nil {
		return nil, nil, commandError(err)
	}
	if closeFn == nil {
		closeFn = func() {}
	}
	return ex, closeFn, nil
}

// openJournal opens the journal at the app's journal path, with the
// process's redactor.
func openJournal(a *app) (*audit.Journal, error) {
	path, err := a.journalPath()
	if err != nil {
		return nil, err
	}
	j, err := audit.Open(path)
	if err != nil {
		return nil, err
	}
	j.SetRedactor(a.redactor)
	return j, nil
}

// audited wraps ex so that every mutating call is journaled as the app's
// actor via the named console or command. It fails (exit 3) when the
// journal cannot be written, before anything is sent.
//
// An outcome line that cannot be written is reported on stderr (nil: not
// here, the caller hooks OnOutcomeError), once, in the journal's words
// (what was sent, and that the journal shows its outcome as unknown). It
// does not change the exit code: the request was sent and its answer is
// known to the command, which reports it as usual (a script must not take
// an accepted restart for an unknown one and send it again).
func (a *app) audited(ex backend.Executor, via string, stderr io.Writer) (*audit.Executor, error) {
	j, err := a.journal(a)
	if err != nil {
		return nil, &exitError{code: exitRefused, err: err}
	}
	w := audit.Wrap(ex, j, a.actor(via))
	if stderr != nil {
		w.OnOutcomeError(func(err error) {
			fmt.Fprintln(stderr, "obconsole: warning: the audit journal is missing an outcome:", err)
		})
	}
	return w, nil
}

// formatTime shows a timestamp in the app's zone, with the year and the
// zone (2026-11-28 20:47:45 +00:00), so that a line pasted into a ticket
// says when it happened; "-" for never.
func (a *app) formatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(a.zone).Format(timeLayout)
}

// timeLayout is how command output shows a time.
const timeLayout = "2006-01-02 15:04:05 -07:00"
