package main

import (
	"context"
	"errors"
	"io"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/term"
)

// promptInPTY runs promptSecret on a fresh pseudo-terminal, types keys once
// the prompt shows (then ends the prompt's context when stop is set) and
// returns what the prompt returned, with whether the terminal's state
// (echo, line editing, signals) was restored exactly.
func promptInPTY(t *testing.T, keys string, stop bool) (string, error, bool) {
	t.Helper()
	ptmx, tty := openPTY(t, 80, 24)
	before, err := term.GetState(tty.Fd())
	if err != nil {
		t.Fatal(err)
	}
	scr := newScreen(ptmx)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		s   string
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := promptSecret(ctx, tty, tty, "secret: ")
		done <- result{s, err}
	}()
	scr.waitFor(t, 0, 5*time.Second, "secret: ")
	if keys != "" {
		scr.press(t, keys)
	}
	if stop {
		cancel()
	}
	select {
	case r := <-done:
		now, err := term.GetState(tty.Fd())
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(scr.text(0), "hunt") {
			t.Errorf("the secret was echoed: %q", scr.text(0))
		}
		return r.s, r.err, reflect.DeepEqual(before, now)
	case <-time.After(5 * time.Second):
		t.Fatal("the prompt did not return")
	}
	return "", nil, false
}

func TestSecretPromptReadsAndRestores(t *testing.T) {
	t.Parallel()
	s, err, restored := promptInPTY(t, "hunter3\x7f2\r", false)
	if s != "hunter2" || err != nil || !restored {
		t.Fatalf("got %q, %v, terminal restored %v", s, err, restored)
	}
}

// Ctrl-C at the prompt aborts at once (term.ReadPassword waited for Enter)
// and gives the terminal its echo back.
func TestSecretPromptCtrlC(t *testing.T) {
	t.Parallel()
	s, err, restored := promptInPTY(t, "hunter\x03", false)
	if s != "" || !errors.Is(err, errPromptInterrupted) || !restored {
		t.Fatalf("got %q, %v, terminal restored %v", s, err, restored)
	}
}

// A stop signal (the context ending: SIGTERM, SIGHUP) while the prompt
// waits aborts it the same way.
func TestSecretPromptStopSignal(t *testing.T) {
	t.Parallel()
	s, err, restored := promptInPTY(t, "", true)
	if s != "" || !errors.Is(err, errPromptInterrupted) || !restored {
		t.Fatalf("got %q, %v, terminal restored %v", s, err, restored)
	}
}

// The built binary, asked for a password on a terminal: Ctrl-C exits 130
// at once, nothing sent.
func TestCtrlCAtThePasswordPrompt(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	cmd := exec.Command(bin, "--ocp-url", closedURL(t), "--user", "admin", "clusters")
	cmd.Env = consoleEnv(t.TempDir(), "OCP_PASSWORD=", "OCP_USERNAME=")
	scr, exited := runInPTY(t, cmd, 80, 24)
	scr.waitFor(t, 0, 10*time.Second, "OCP password of admin for")
	scr.press(t, "hunter\x03")
	select {
	case err := <-exited:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
			t.Fatalf("after Ctrl-C: %v, want exit 130; output %q", err, scr.text(0))
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("Ctrl-C at the prompt was ignored; output %q", scr.text(0))
	}
	scr.waitFor(t, 0, 5*time.Second, "interrupted at the prompt; nothing was sent")
}

func TestSecretLineEditing(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		keys, want string
		err        error
	}{
		{"pw\r", "pw", nil},
		{"pw\n", "pw", nil},
		{"pä\x7f\x7fw\r", "w", nil}, // backspace takes a whole rune
		{"wrong\x15right\r", "right", nil},
		{"\x1bx\r", "x", nil}, // control keys are not part of a secret
		{"\x04", "", io.EOF},
		{"pw", "pw", nil}, // end of input ends the line
		{"pw\x03", "", errPromptInterrupted},
	} {
		got, err := readSecretLine(strings.NewReader(c.keys))
		if got != c.want || !errors.Is(err, c.err) && err != c.err {
			t.Errorf("%q: %q, %v; want %q, %v", c.keys, got, err, c.want, c.err)
		}
	}
}
