package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// errNotConfirmed: the operator did not confirm; nothing was sent.
var errNotConfirmed = errors.New("not confirmed; nothing was sent")

// confirm asks a question on stderr and reads one line from stdin. Without
// a terminal on stdin it refuses unless yes is set (--yes); yes skips the
// question. want is the exact answer required ("" means y or yes).
func confirm(opts *globalOptions, yes bool, question, want string) error {
	if yes {
		return nil
	}
	if !stdinIsTerminal(opts.stdin) {
		return &exitError{code: exitRefused, err: errors.New("stdin is not a terminal, so nobody can confirm: pass --yes to confirm in a script; nothing was sent")}
	}
	fmt.Fprint(opts.stderr, question)
	line, err := bufio.NewReader(opts.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return &exitError{code: exitRefused, err: fmt.Errorf("reading the answer: %w; nothing was sent", err)}
	}
	answer := strings.TrimSpace(line)
	ok := answer == want
	if want == "" {
		ok = strings.EqualFold(answer, "y") || strings.EqualFold(answer, "yes")
	}
	if !ok {
		if errors.Is(err, io.EOF) && line == "" {
			fmt.Fprintln(opts.stderr)
		}
		return &exitError{code: exitRefused, err: errNotConfirmed}
	}
	return nil
}
