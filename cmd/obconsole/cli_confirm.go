package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// errNotConfirmed: the operator did not confirm; nothing was sent.
var errNotConfirmed = errors.New("not confirmed; nothing was sent")

// confirm asks a question on stderr and reads one line from stdin. Without
// a terminal on stdin it refuses unless yes is set (--yes); yes skips the
// question. want is the exact answer required ("" means y or yes). An
// interruption (ctx done: SIGINT is caught by main) stops the question.
func (c *cli) confirm(ctx context.Context, yes bool, question, want string) error {
	if yes {
		return nil
	}
	if !c.isTerminal(c.stdin) {
		return &exitError{code: exitRefused, err: errors.New("stdin is not a terminal, so nobody can confirm: pass --yes to confirm in a script; nothing was sent")}
	}
	fmt.Fprint(c.stderr, question)
	type answer struct {
		line string
		err  error
	}
	// The read cannot be cancelled; on interruption it is left behind and
	// the process exits.
	got := make(chan answer, 1)
	go func() {
		line, err := bufio.NewReader(c.stdin).ReadString('\n')
		got <- answer{line, err}
	}()
	var a answer
	select {
	case <-ctx.Done():
		fmt.Fprintln(c.stderr)
		return &exitError{code: exitInterrupted, err: errors.New("interrupted; nothing was sent")}
	case a = <-got:
	}
	if a.err != nil && !errors.Is(a.err, io.EOF) {
		return &exitError{code: exitRefused, err: fmt.Errorf("reading the answer: %w; nothing was sent", a.err)}
	}
	text := strings.TrimSpace(a.line)
	ok := text == want
	if want == "" {
		ok = strings.EqualFold(text, "y") || strings.EqualFold(text, "yes")
	}
	if !ok {
		if a.line == "" {
			fmt.Fprintln(c.stderr)
		}
		return &exitError{code: exitRefused, err: errNotConfirmed}
	}
	return nil
}
