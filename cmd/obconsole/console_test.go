package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common/commontest"
)

// consoleCLI is a console's command line on env's app, with these flags,
// drawing on terminal (which is its stdin too).
func consoleCLI(env *cliEnv, terminal io.ReadWriter, flags globalOptions) *cli {
	return &cli{app: env.app(terminal, terminal, io.Discard), globalOptions: flags}
}

// discard is a terminal nobody reads or types on.
type discard struct{ io.Writer }

func (discard) Read([]byte) (int, error) { return 0, io.EOF }

func TestConsoleTheme(t *testing.T) {
	t.Parallel()
	env := newCLIFlags(t)
	consoleTheme := func(flags globalOptions) (*theme.Theme, error) {
		return consoleCLI(env, discard{io.Discard}, flags).consoleTheme()
	}
	th, err := consoleTheme(globalOptions{theme: "light", ascii: true})
	if err != nil || th.IsDark() || !th.ASCII() || th.NoColor() {
		t.Fatalf("light ascii: %+v %v", th.Options(), err)
	}
	th, err = consoleTheme(globalOptions{theme: "auto", noColor: true})
	if err != nil || !th.NoColor() || th.Options().Mode != theme.Auto {
		t.Fatalf("no-color: %+v %v", th.Options(), err)
	}
	env.setenv("NO_COLOR", "1")
	if th, _ := consoleTheme(globalOptions{theme: "dark"}); !th.NoColor() {
		t.Fatal("NO_COLOR in the environment turns colour off")
	}
	if _, err := consoleTheme(globalOptions{theme: "sepia"}); err == nil {
		t.Fatal("unknown theme accepted")
	}
}

func TestConsoleNeedsATerminal(t *testing.T) {
	t.Parallel()
	code, _, errOut := newCLIFlags(t).run("", "--theme", "dark")
	if code != 2 || !strings.Contains(errOut, "needs a terminal") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

// The console in a real pseudo-terminal, in process, on the test fleet:
// alternate screen entered, a drill-down to a server and the restart
// dialog, q quits, and the alternate screen is left.
func TestConsoleInPTY(t *testing.T) {
	t.Parallel()
	ptmx, tty := openPTY(t, 80, 24)
	scr := newScreen(ptmx)

	fake := commontest.New()
	c := consoleCLI(newCLIFlags(t), tty, globalOptions{theme: "dark", refresh: 100 * time.Millisecond})
	th, err := c.consoleTheme()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.runProgram(context.Background(), th, fake) }()

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
	t.Parallel()
	ptmx, tty := openPTY(t, 80, 24)
	scr := newScreen(ptmx)
	c := consoleCLI(newCLIFlags(t), tty, globalOptions{theme: "dark", refresh: time.Second})
	th, _ := c.consoleTheme()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.runProgram(ctx, th, commontest.New()) }()
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
	t.Parallel()
	var out strings.Builder
	terminalBell(&out)()
	if out.String() != "\a" {
		t.Fatalf("bell wrote %q, want BEL", out.String())
	}
}

// The console draws while the embedded fleet loads, but a fleet file that
// is plainly bad is still refused before the terminal is taken (exit 2).
func TestConsoleRefusesABadFleetBeforeDrawing(t *testing.T) {
	t.Parallel()
	bad := filepath.Join(t.TempDir(), "fleet.yaml")
	if err := os.WriteFile(bad, []byte("clusters:\n  - name: x\n    zones: 7\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	emb, err := embedded.New(embedded.Options{FleetFile: bad, Background: true})
	if err != nil {
		t.Fatalf("a background load reports its error later, not from New: %v", err)
	}
	defer emb.Close()
	if err := fleetFailsFast(context.Background(), emb); err == nil || !strings.Contains(err.Error(), "fleet.yaml") {
		t.Fatalf("bad fleet: %v", err)
	}
	good, err := embedded.New(embedded.Options{Background: true})
	if err != nil {
		t.Fatal(err)
	}
	defer good.Close()
	if err := fleetFailsFast(context.Background(), good); err != nil {
		t.Fatalf("demo fleet: %v", err)
	}
}
