package ui

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/ui/common/commontest"
)

// hostileSecret is a credential a hostile OCP echoes back in its errors,
// trace ids and a step log.
const hostileSecret = "Basic YWRtaW46aHVudGVyMg=="

// frameProblem reports the first thing in frame a terminal would act on or
// that breaks the layout, "" when there is none. With color, ESC may only
// start an SGR sequence; without, no ESC at all.
func frameProblem(frame string, w, h int, color bool) string {
	if !utf8.ValidString(frame) {
		return "invalid UTF-8"
	}
	for i := 0; i < len(frame); i++ {
		c := frame[i]
		switch {
		case c == 0x1b && color:
			n := sgrLen(frame[i:])
			if n == 0 {
				return fmt.Sprintf("escape that is not SGR at %d: %q", i, frame[i:min(i+12, len(frame))])
			}
			i += n - 1
		case c < 0x20 && c != '\n', c == 0x7f:
			return fmt.Sprintf("control byte %#x at %d: %q", c, i, frame[max(i-20, 0):min(i+12, len(frame))])
		}
	}
	for i, r := range frame {
		switch {
		case r >= 0x80 && r <= 0x9f:
			return fmt.Sprintf("C1 control %U at %d", r, i)
		case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return fmt.Sprintf("bidi control %U at %d", r, i)
		case r == 0x2028, r == 0x2029:
			return fmt.Sprintf("line separator %U at %d", r, i)
		}
	}
	lines := strings.Split(frame, "\n")
	if len(lines) > h {
		return fmt.Sprintf("%d lines for a height of %d", len(lines), h)
	}
	for _, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			return fmt.Sprintf("line of %d columns for a width of %d: %q", lw, w, ansi.Strip(l))
		}
	}
	if strings.Contains(frame, hostileSecret) || strings.Contains(frame, "aHVudGVyMg") {
		return "the secret is shown"
	}
	return ""
}

type hostileMode int

const (
	hostilePlain hostileMode = iota // the ASCII colour profile, as the goldens
	hostileColor                    // TrueColor: ESC only in SGR
	hostileASCII                    // --ascii: every byte is ASCII
)

// TestHostileOCPReachesNoTerminal drives the console through every screen
// and dialog against an OCP whose every string carries escape sequences,
// C1 and bidi controls and bytes that are not UTF-8, and whose errors and
// trace ids echo a credential: no frame, at 120×40 or 40×12, carries
// anything a terminal would act on, a line wider than the screen or the
// secret. Each frame is checked before the safety net too: the screens
// make the text safe themselves, so the net never fires.
func TestHostileOCPReachesNoTerminal(t *testing.T) {
	for _, mode := range []hostileMode{hostilePlain, hostileColor, hostileASCII} {
		t.Run([...]string{"plain", "truecolor", "ascii"}[mode], func(t *testing.T) {
			if mode == hostileColor {
				lipgloss.SetColorProfile(termenv.TrueColor)
				defer lipgloss.SetColorProfile(termenv.Ascii)
			}
			runHostile(t, mode)
		})
	}
}

func runHostile(t *testing.T, mode hostileMode) {
	red := safetext.NewRedactor()
	red.Add(hostileSecret)
	fake := commontest.NewHostile(hostileSecret)
	fake.SetRestartErr(commontest.HostileError(backend.Conflict, hostileSecret))
	d := newDriver(t, driverOpts{fake: fake, redactor: red, taskView: true, ascii: mode == hostileASCII, w: 120, h: 40})
	visited := 0
	visit := func(where string, want ...string) {
		t.Helper()
		visited++
		for _, sz := range [][2]int{{40, 12}, {120, 40}} {
			d.send(resize(sz[0], sz[1]))
			raw := d.m.frame()
			if p := frameProblem(raw, sz[0], sz[1], mode == hostileColor); p != "" {
				t.Fatalf("%s at %dx%d, before the safety net: %s\n%s", where, sz[0], sz[1], p, ansi.Strip(raw))
			}
			view := d.m.View()
			if view != raw {
				t.Fatalf("%s at %dx%d: the safety net fired", where, sz[0], sz[1])
			}
			if mode == hostileASCII {
				for i := 0; i < len(view); i++ {
					if view[i] >= 0x80 {
						t.Fatalf("%s at %dx%d: byte %#x in --ascii:\n%s", where, sz[0], sz[1], view[i], view)
					}
				}
			}
		}
		for _, w := range want {
			if v := d.view(); !strings.Contains(v, w) {
				t.Fatalf("%s: view lacks %q:\n%s", where, w, v)
			}
		}
	}
	// What the payload reads as on screen.
	spelled := "^[]0;pwned^G"

	visit("clusters", "protoss"+spelled, "HTTPS://"[:0]+"ocp.example"+spelled)
	d.keys("enter")
	visit("zones", "zone1"+spelled, "region^[]0;pwned^")
	d.keys("r")
	visit("zone restart dialog", "Restart zone zone1", "Open task 900")
	fake.SetListErr(commontest.HostileError(backend.Unavailable, hostileSecret))
	d.keys("ctrl+r")
	visit("zone restart dialog, check failed", "could not check", "[REDACTED]")
	d.keys("ctrl+f")
	visit("zone restart dialog, forced", "FORCE restart zone")
	fake.SetListErr(nil)
	d.keys("esc", "enter")
	visit("servers of a zone", "Servers of zone1", "WEIRD^[]0;pw")
	d.keys("enter")
	visit("server detail", "yesterday"+spelled)
	d.keys("r")
	// Task 900 runs in zone1 (its server id is not a number): r offers it
	// instead of a second restart.
	visit("server detail, a task runs on it", "A task is running on this server")
	d.keys("esc", "esc", "down", "enter")
	visit("servers of the other zone", "Servers of zone2"+spelled)
	d.keys("enter")
	visit("server detail in the other zone", "198.51.100.")
	d.keys("r")
	visit("restart dialog from the detail", "Restart OBServer")
	d.keys("f")
	visit("restart dialog, forced", "FORCE restart OBServer", "IP: ")
	// The hostile fleet has lost its majority, so a normal restart is
	// refused up front; with the check failing, OCP's pre-check decides.
	d.keys("esc", "esc", "r")
	fake.SetListErr(commontest.HostileError(backend.Unavailable, hostileSecret))
	d.keys("ctrl+r", "y")
	visit("restart failed", "Restart failed", "[REDACTED]")
	fake.SetListErr(nil)
	d.keys("esc")
	d.keys("esc", "s")
	visit("all servers", "All servers of protoss")
	d.keys("esc", "esc", "t")
	visit("tasks", "Odd task"+spelled, "HALF"+spelled)
	d.keys("enter")
	visit("task view", "Restart observer"+spelled, "step3"+spelled, "> 100y")
	d.keys("up")
	visit("task view, failed step", "attempts    ?  timeout > 100y", `\xfecom.oceanbase.ocp.Step`)
	d.keys("S")
	visit("task view, skip confirmation", "Skip \"step2"+spelled)
	d.keys("n", "down", "down")
	visit("task view, step of unknown status", "LIMBO^[", "step4"+spelled)
	d.keys("up", "enter")
	visit("step log", "Log of step3"+spelled, "log"+spelled, "echoed credential [REDACTED]")
	d.keys("/")
	d.typeText("pwned^g")
	visit("step log search", "match 1 of 40")
	d.keys("enter", "n")
	visit("step log search kept", "search: pwned^g")
	d.keys("esc", "esc", "?")
	visit("help", "Keys")
	d.keys("esc")

	fake.SetListErr(commontest.HostileError(backend.Unavailable, hostileSecret))
	d.keys("ctrl+r")
	visit("task view, refresh failed", "STALE", "[REDACTED]", "unreachable")
	d.keys("enter", "ctrl+r")
	visit("step log, refresh failed")
	d.keys("esc", "esc")
	visit("tasks, stale")
	d.keys("esc", "enter")
	visit("zones, failed", "Could not load zones")

	fake.SetListErr(commontest.HostileError(backend.Unauthorized, hostileSecret))
	d.keys("ctrl+r")
	visit("denied", "access denied", "denied · ctrl+r"[:0]+"ctrl+r to try again")
	fake.SetListErr(nil)
	d.keys("ctrl+r", "esc", "t", "down", "enter")
	visit("task of an unknown status", "Odd task"+spelled)
	if visited < 25 {
		t.Fatalf("only %d screens visited", visited)
	}
}
