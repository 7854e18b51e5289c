package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common/commontest"
)

func TestConsoleTheme(t *testing.T) {
	t.Setenv("NO_COLOR", "")
	th, err := consoleTheme(&globalOptions{theme: "light", ascii: true, terminal: io.Discard})
	if err != nil || th.IsDark() || !th.ASCII() || th.NoColor() {
		t.Fatalf("light ascii: %+v %v", th.Options(), err)
	}
	th, err = consoleTheme(&globalOptions{theme: "auto", noColor: true, terminal: io.Discard})
	if err != nil || !th.NoColor() || th.Options().Mode != theme.Auto {
		t.Fatalf("no-color: %+v %v", th.Options(), err)
	}
	t.Setenv("NO_COLOR", "1")
	if th, _ := consoleTheme(&globalOptions{theme: "dark", terminal: io.Discard}); !th.NoColor() {
		t.Fatal("NO_COLOR in the environment turns colour off")
	}
	if _, err := consoleTheme(&globalOptions{theme: "sepia"}); err == nil {
		t.Fatal("unknown theme accepted")
	}
}

func TestConsoleNeedsATerminal(t *testing.T) {
	var out strings.Builder
	code := run(context.Background(), []string{"--theme", "dark"}, strings.NewReader(""), &out, &out)
	if code != 2 || !strings.Contains(out.String(), "needs a terminal") {
		t.Fatalf("exit %d: %s", code, out.String())
	}
}

// The console in a real pseudo-terminal, in process, on the test fleet:
// alternate screen entered, a drill-down to a server and the restart
// dialog, q quits, and the alternate screen is left.
func TestConsoleInPTY(t *testing.T) {
	ptmx, tty := openPTY(t, 80, 24)
	scr := newScreen(ptmx)

	fake := commontest.New()
	opts := &globalOptions{stdin: tty, terminal: tty, stderr: io.Discard, theme: "dark", refresh: 100 * time.Millisecond}
	th, err := consoleTheme(opts)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- runProgram(context.Background(), opts, th, fake) }()

	scr.waitFor(t, 0, 10*time.Second, "terran", "connected")
	m := scr.mark()
	scr.press(t, "\r") // enter: protoss
	scr.waitFor(t, m, 5*time.Second, "Zones of protoss")
	m = scr.mark()
	scr.press(t, "j\r") // zone2
	scr.waitFor(t, m, 5*time.Second, "198.51.100.15:2882")
	m = scr.mark()
	scr.press(t, "r")
	scr.waitFor(t, m, 5*time.Second, "Restart OBServer 198.51.100.13:2882")
	m = scr.mark()
	scr.press(t, "\x1b") // esc: cancel
	scr.waitFor(t, m, 5*time.Second, "Servers of zone2")
	scr.press(t, "q")
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("console: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("q did not quit")
	}
	scr.waitRaw(t, 5*time.Second, altScreenOff)
	raw := scr.Raw()
	if !strings.Contains(raw, altScreenOn) || strings.LastIndex(raw, altScreenOff) < strings.LastIndex(raw, altScreenOn) {
		t.Fatalf("alternate screen not entered and left: %q", raw[max(len(raw)-200, 0):])
	}
	if n := len(fake.Calls()); n != 0 {
		t.Fatalf("cancelled dialog sent %d requests", n)
	}
}

func TestConsoleInterruptRestoresTerminal(t *testing.T) {
	ptmx, tty := openPTY(t, 80, 24)
	scr := newScreen(ptmx)
	opts := &globalOptions{stdin: tty, terminal: tty, stderr: io.Discard, theme: "dark", refresh: time.Second}
	th, _ := consoleTheme(opts)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- runProgram(ctx, opts, th, commontest.New()) }()
	scr.waitFor(t, 0, 10*time.Second, "terran")
	cancel() // what SIGINT/SIGTERM do through main's NotifyContext
	select {
	case err := <-done:
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != 130 {
			t.Fatalf("interrupted console returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("cancel did not stop the console")
	}
	scr.waitRaw(t, 5*time.Second, altScreenOff)
}

func TestTerminalBell(t *testing.T) {
	var out strings.Builder
	terminalBell(&out)()
	if out.String() != "\a" {
		t.Fatalf("bell wrote %q, want BEL", out.String())
	}
}
