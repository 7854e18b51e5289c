package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/taskview"
)

// openTaskView is how the console opens a task: ui/taskview.
func openTaskView(ctx *common.Context, id int64) common.Screen { return taskview.New(ctx, id) }

// runConsole starts the full-screen console.
func (c *cli) runConsole(ctx context.Context) error {
	th, err := c.consoleTheme()
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if !c.isTerminal(c.stdin) || !c.isTerminal(c.terminal) {
		return &exitError{code: exitUsage, err: errors.New("the console needs a terminal; for scripts use the clusters, zones, servers, tasks, restart and task commands")}
	}
	// The commands' exit codes: a missing --user is a usage error (2).
	// The embedded fleet loads while the first frame is drawn; a fleet file
	// that is plainly bad is still refused before the terminal is taken.
	c.loadInBackground = true
	exec, closeExec, err := c.openExecutor(ctx)
	if err != nil {
		return err
	}
	defer closeExec()
	if err := fleetFailsFast(ctx, exec); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	// Every mutating action from the console is journaled like the
	// commands' are; a console that could not journal must not mutate.
	if !c.readonly {
		audited, err := c.audited(exec, "obconsole console", nil)
		if err != nil {
			return &exitError{code: exitRefused, err: fmt.Errorf("%w (use --readonly to browse without the audit journal)", err)}
		}
		exec = audited
	}
	return c.runProgram(ctx, th, exec)
}

// consoleTheme resolves --theme, --no-color (and NO_COLOR, the flag's
// default) and --ascii. The background is queried only for --theme auto
// with colour on, once, before the program owns the terminal.
func (c *cli) consoleTheme() (*theme.Theme, error) {
	mode, err := theme.ParseMode(c.theme)
	if err != nil {
		return nil, err
	}
	o := theme.Options{Mode: mode, NoColor: c.noColor || c.getenv("NO_COLOR") != "", ASCII: c.ascii, DarkBackground: true}
	if mode == theme.Auto && !o.NoColor && c.isTerminal(c.terminal) {
		o.DarkBackground = lipgloss.HasDarkBackground()
	}
	return theme.New(o), nil
}

// runProgram runs the console on exec until the operator quits or ctx
// ends. The terminal is restored in every case, panics included.
func (c *cli) runProgram(ctx context.Context, th *theme.Theme, exec backend.Executor) (err error) {
	life, cancel := context.WithCancel(ctx)
	defer cancel()

	var bell func()
	if c.bell {
		bell = terminalBell(c.terminal)
	}
	copyFn, noCopy := ui.Clipboard(c.terminal, c.getenv("TERM"), c.noClipboard)
	model := newConsoleModel(consoleSpec{Lifetime: life, Exec: exec, Theme: th, ReadOnly: c.readonly,
		Refresh: c.refresh, Redactor: c.redactor, Bell: bell, Mouse: !c.noMouse, Copy: copyFn, NoCopy: noCopy})

	// ctx ending (SIGINT/SIGTERM/SIGHUP through main) quits the program rather
	// than killing it: a killed bubbletea program closes its input reader
	// without waiting for the read loop, a data race, and skips the last
	// frame; a quit waits and restores the terminal in order. main owns
	// the signals: bubbletea's own handler would race that quit with an
	// unguarded send and hang the shutdown.
	p := tea.NewProgram(model,
		tea.WithAltScreen(),
		tea.WithoutSignalHandler(),
		tea.WithInput(c.stdin),
		tea.WithOutput(c.terminal),
	)
	go func() {
		<-life.Done()
		p.Quit()
	}()
	// A journal line that could not be written after a request was sent
	// must reach the operator: the journal will say "outcome unknown".
	if a, ok := exec.(*audit.Executor); ok {
		a.OnOutcomeError(func(err error) {
			p.Send(common.ToastMsg{Level: common.ToastError, Text: "audit journal: " + err.Error()})
		})
	}
	defer func() {
		if r := recover(); r != nil {
			p.Kill()
			_ = p.ReleaseTerminal()
			err = fmt.Errorf("internal error: %v\n%s", r, debug.Stack())
		}
	}()
	_, err = p.Run()
	interrupted := errors.Is(err, tea.ErrInterrupted) || (ctx.Err() != nil && (err == nil || errors.Is(err, tea.ErrProgramKilled)))
	if interrupted {
		// SIGINT/SIGTERM/SIGHUP: the terminal is restored where it still
		// exists; exit 130.
		return &exitError{code: exitInterrupted, err: nil}
	}
	return err
}

// terminalBell rings the bell (BEL) on the terminal the console draws on
// (--bell: a watched task ended while the operator was elsewhere). The
// renderer writes each frame in one write, so the BEL lands between frames.
func terminalBell(w io.Writer) func() {
	return func() { _, _ = io.WriteString(w, "\a") }
}

// fleetCheck is how long the console waits for the embedded fleet before it
// draws: long enough for a bad file's error, short enough for the first
// frame (a big fleet goes on loading behind it).
const fleetCheck = 50 * time.Millisecond

// fleetFailsFast returns the embedded fleet's error when it fails within
// fleetCheck; nil when it loaded, is still loading, or exec is not embedded.
func fleetFailsFast(ctx context.Context, exec backend.Executor) error {
	emb, ok := exec.(*embedded.Executor)
	if !ok {
		return nil
	}
	wait, cancel := context.WithTimeout(ctx, fleetCheck)
	defer cancel()
	if err := emb.Ready(wait); err != nil && wait.Err() == nil {
		return err
	}
	return nil
}
