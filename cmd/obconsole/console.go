package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/taskview"
)

// openTaskView is how the console opens a task: ui/taskview.
func openTaskView(ctx *common.Context, id int64) common.Screen { return taskview.New(ctx, id) }

// runConsole starts the full-screen console.
func runConsole(cmd *cobra.Command, opts *globalOptions) error {
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	th, err := consoleTheme(opts)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	if !isTerminal(opts.stdin) || !isTerminal(opts.terminal) {
		return &exitError{code: 2, err: errors.New("the console needs a terminal; for scripts use the clusters, zones, servers, tasks, restart and task commands")}
	}
	exec, closeExec, err := opts.openExecutor(ctx)
	if err != nil {
		// The commands' exit codes: a missing --user is a usage error (2).
		return commandError(err)
	}
	if closeExec != nil {
		defer closeExec()
	}
	// Every mutating action from the console is journaled like the
	// commands' are; a console that could not journal must not mutate.
	if !opts.readonly {
		audited, err := auditedExecutor(exec, "obconsole console", io.Discard, opts.redactor)
		if err != nil {
			return &exitError{code: exitRefused, err: fmt.Errorf("%w (use --readonly to browse without the audit journal)", err)}
		}
		exec = audited
	}
	return runProgram(ctx, opts, th, exec)
}

// consoleTheme resolves --theme, --no-color (and NO_COLOR, the flag's
// default) and --ascii. The background is queried only for --theme auto
// with colour on, once, before the program owns the terminal.
func consoleTheme(opts *globalOptions) (*theme.Theme, error) {
	mode, err := theme.ParseMode(opts.theme)
	if err != nil {
		return nil, err
	}
	o := theme.Options{Mode: mode, NoColor: opts.noColor || os.Getenv("NO_COLOR") != "", ASCII: opts.ascii, DarkBackground: true}
	if mode == theme.Auto && !o.NoColor && isTerminal(opts.terminal) {
		o.DarkBackground = lipgloss.HasDarkBackground()
	}
	return theme.New(o), nil
}

func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(file.Fd())
}

// runProgram runs the console on exec until the operator quits or ctx
// ends. The terminal is restored in every case, panics included.
func runProgram(ctx context.Context, opts *globalOptions, th *theme.Theme, exec backend.Executor) (err error) {
	life, cancel := context.WithCancel(ctx)
	defer cancel()

	var bell func()
	if opts.bell {
		bell = terminalBell(opts.terminal)
	}
	copyFn, noCopy := ui.Clipboard(opts.terminal, os.Getenv("TERM"), opts.noClipboard)
	model := newConsoleModel(consoleSpec{Lifetime: life, Exec: exec, Theme: th, ReadOnly: opts.readonly,
		Refresh: opts.refresh, Redactor: opts.redactor, Bell: bell, Mouse: !opts.noMouse, Copy: copyFn, NoCopy: noCopy})

	// ctx ending (SIGINT/SIGTERM/SIGHUP through main) quits the program rather
	// than killing it: a killed bubbletea program closes its input reader
	// without waiting for the read loop, a data race, and skips the last
	// frame; a quit waits and restores the terminal in order. main owns
	// the signals: bubbletea's own handler would race that quit with an
	// unguarded send and hang the shutdown.
	p := tea.NewProgram(model,
		tea.WithAltScreen(),
		tea.WithoutSignalHandler(),
		tea.WithInput(opts.stdin),
		tea.WithOutput(opts.terminal),
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
		return &exitError{code: 130, err: nil}
	}
	return err
}

// terminalBell rings the bell (BEL) on the terminal the console draws on
// (--bell: a watched task ended while the operator was elsewhere). The
// renderer writes each frame in one write, so the BEL lands between frames.
func terminalBell(w io.Writer) func() {
	return func() { _, _ = io.WriteString(w, "\a") }
}
