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
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals(signal.Ignored)...)
	code := newApp(os.Stdin, os.Stdout, os.Stderr, os.Getenv).run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// stopSignals end a run cleanly: the console quits and restores the
// terminal, a command stops waiting (the task goes on), an outcome is
// journaled. SIGHUP, a dropped SSH connection, is one of them, unless the
// process was started with it ignored (nohup obconsole serve): asking for
// it would undo that. ignored is signal.Ignored (a test's fake).
func stopSignals(ignored func(os.Signal) bool) []os.Signal {
	sigs := []os.Signal{os.Interrupt, syscall.SIGTERM}
	if !ignored(syscall.SIGHUP) {
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

// exitStatus is the exit status a command's error gives, said on stderr:
// a command line's, locally or over obconsole ssh.
func exitStatus(err error, stderr io.Writer) int {
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
	return exitFailed
}
