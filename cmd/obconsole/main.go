// Command obconsole is a terminal console for OceanBase Cloud Platform
// on-call work: browse clusters, restart OBServers, watch restart tasks.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/obconsole/obconsole/backend/safetext"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals()...)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// stopSignals end a run cleanly: the console quits and restores the
// terminal, a command stops waiting (the task goes on), an outcome is
// journaled. SIGHUP, a dropped SSH connection, is one of them, unless the
// process was started with it ignored (nohup obconsole serve): asking for
// it would undo that.
func stopSignals() []os.Signal {
	sigs := []os.Signal{os.Interrupt, syscall.SIGTERM}
	if !signal.Ignored(syscall.SIGHUP) {
		sigs = append(sigs, syscall.SIGHUP)
	}
	return sigs
}

// exitError carries a specific exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// run executes one command line and returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// The process's one redactor. Everything written on stderr (errors
	// from outside included) passes it and is made safe to print.
	redactor := safetext.NewRedactor()
	stderr = redactor.Writer(stderr)
	root := newRootCommand(stdin, stdout, stderr, redactor)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(stderr, "obconsole:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "obconsole:", err)
	return 1
}
