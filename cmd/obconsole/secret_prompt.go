package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"github.com/charmbracelet/x/term"
)

// errPromptInterrupted: Ctrl-C at the prompt, or a stop signal (SIGINT,
// SIGTERM, SIGHUP) while it waited.
var errPromptInterrupted = errors.New("interrupted at the prompt; nothing was sent")

// maxSecret bounds what the prompt keeps: no password is this long.
const maxSecret = 4096

// promptStdin asks for a secret on stdin, which must be a terminal
// (app.readSecret).
func promptStdin(ctx context.Context, stdin io.Reader, stderr io.Writer, prompt string) (string, error) {
	f, ok := stdin.(*os.File)
	if !ok {
		return "", errors.New("cannot prompt: standard input is not a terminal")
	}
	return promptSecret(ctx, f, stderr, prompt)
}

// promptSecret asks for a secret on the terminal f without echoing it. The
// terminal is put in raw mode here, before anything reads, and restored
// here in every case: a blocking read (as term.ReadPassword does) would
// ignore Ctrl-C until Enter. Ctrl-C, or ctx ending, aborts at once with
// errPromptInterrupted; the read left waiting is abandoned (the process is
// ending).
func promptSecret(ctx context.Context, f *os.File, stderr io.Writer, prompt string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", errPromptInterrupted
	}
	saved, err := term.MakeRaw(f.Fd())
	if err != nil {
		return "", fmt.Errorf("read the secret: %w", err)
	}
	restored := false
	restore := func() {
		if !restored {
			restored = true
			_ = term.Restore(f.Fd(), saved)
			fmt.Fprintln(stderr)
		}
	}
	defer restore()
	fmt.Fprint(stderr, prompt)

	type result struct {
		secret string
		err    error
	}
	done := make(chan result, 1)
	go func() {
		s, err := readSecretLine(f)
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		restore()
		if r.err != nil && !errors.Is(r.err, errPromptInterrupted) {
			r.err = fmt.Errorf("read the secret: %w", r.err)
		}
		return r.secret, r.err
	case <-ctx.Done():
		restore()
		return "", errPromptInterrupted
	}
}

// readSecretLine reads keys from a terminal in raw mode up to Enter, doing
// the little line editing a password prompt needs: backspace, Ctrl-U.
// Ctrl-C is errPromptInterrupted; Ctrl-D on an empty line is io.EOF.
func readSecretLine(r io.Reader) (string, error) {
	var line []byte
	var key [1]byte
	for {
		n, err := r.Read(key[:])
		if n == 0 {
			if err == nil {
				continue
			}
			if errors.Is(err, io.EOF) && len(line) > 0 {
				return string(line), nil
			}
			return "", err
		}
		switch c := key[0]; c {
		case '\r', '\n':
			return string(line), nil
		case 0x03: // Ctrl-C
			return "", errPromptInterrupted
		case 0x04: // Ctrl-D
			if len(line) == 0 {
				return "", io.EOF
			}
		case 0x7f, '\b':
			if len(line) > 0 {
				_, size := utf8.DecodeLastRune(line)
				line = line[:len(line)-size]
			}
		case 0x15: // Ctrl-U
			line = line[:0]
		default:
			if c >= 0x20 && len(line) < maxSecret {
				line = append(line, c)
			}
		}
	}
}
