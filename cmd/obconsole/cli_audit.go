package main

import (
	"fmt"
	"io"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/audit"
)

// auditedExecutor wraps ex so that every mutating call is journaled in the
// default audit journal as the local user, via the named command. It fails
// (exit 3) when the journal cannot be written, before anything is sent.
// An outcome line that cannot be written is reported on stderr.
func auditedExecutor(ex backend.Executor, via string, stderr io.Writer) (*audit.Executor, error) {
	j, err := audit.Open("")
	if err != nil {
		return nil, &exitError{code: exitRefused, err: err}
	}
	w := audit.Wrap(ex, j, audit.CurrentActor(via))
	w.OnOutcomeError(func(err error) { fmt.Fprintln(stderr, "obconsole: warning:", err) })
	return w, nil
}
