package main

import (
	"fmt"
	"io"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/backend/safetext"
)

// auditedExecutor wraps ex so that every mutating call is journaled in the
// default audit journal as the local user, via the named command, with
// the process's redactor. It fails (exit 3) when the journal cannot be
// written, before anything is sent.
//
// An outcome line that cannot be written is reported on stderr, once, in
// the journal's words (what was sent, and that the journal shows its
// outcome as unknown). It does not change the exit code: the request was
// sent and its answer is known to the command, which reports it as usual
// (a script must not take an accepted restart for an unknown one and
// send it again).
func auditedExecutor(ex backend.Executor, via string, stderr io.Writer, redactor *safetext.Redactor) (*audit.Executor, error) {
	if w, over, err := sshAudited(ex, via, stderr); over {
		return w, err // over obconsole ssh: the server's journal, the session's operator
	}
	j, err := audit.Open("")
	if err != nil {
		return nil, &exitError{code: exitRefused, err: err}
	}
	j.SetRedactor(redactor)
	w := audit.Wrap(ex, j, audit.CurrentActor(via))
	w.OnOutcomeError(func(err error) {
		fmt.Fprintln(stderr, "obconsole: warning: the audit journal is missing an outcome:", err)
	})
	return w, nil
}
