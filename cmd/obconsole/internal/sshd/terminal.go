package sshd

import (
	"bytes"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// EnvASCII asks for ASCII-only drawing from the client's side
// (ssh -o SetEnv=OBCONSOLE_ASCII=1), as --ascii does locally.
const EnvASCII = "OBCONSOLE_ASCII"

// Terminal is what a console session knows of the client's terminal.
type Terminal struct {
	Term          string // TERM from the pty request
	Width, Height int    // at the start; window changes follow as tea.WindowSizeMsg
	// NoColor: the client set NO_COLOR, or its terminal is dumb.
	NoColor bool
	// ASCII: the client set OBCONSOLE_ASCII, or its terminal is dumb.
	ASCII bool
	// Renderer renders for this client: its colour profile comes from
	// TERM and COLORTERM (dumb or none: no attributes at all). NO_COLOR
	// does not change it: the theme drops colours itself and keeps bold
	// and reverse video, so the selection still shows.
	Renderer *lipgloss.Renderer
}

// dumb reports a terminal that takes no escape sequences worth the name.
func dumb(term string) bool { return term == "" || term == "dumb" }

// newTerminal describes the client's terminal from its pty request and
// environment, with a renderer writing to out.
func newTerminal(term string, width, height int, env []string, out io.Writer) Terminal {
	t := Terminal{Term: term, Width: width, Height: height}
	getenv := environ(env).Getenv
	t.NoColor = dumb(term) || getenv("NO_COLOR") != ""
	t.ASCII = dumb(term) || getenv(EnvASCII) != ""
	if dumb(term) {
		t.Renderer = lipgloss.NewRenderer(out, termenv.WithProfile(termenv.Ascii))
	} else {
		var keep environ
		for _, kv := range env {
			if !strings.HasPrefix(kv, "NO_COLOR=") && !strings.HasPrefix(kv, "TERM=") {
				keep = append(keep, kv)
			}
		}
		keep = append(keep, "TERM="+term)
		// WithUnsafe: the output is an SSH channel, not a file, and is a
		// terminal all the same.
		t.Renderer = lipgloss.NewRenderer(out, termenv.WithEnvironment(keep), termenv.WithUnsafe(), termenv.WithColorCache(true))
	}
	// Set, so that lipgloss never asks the terminal itself (it would read
	// the session's input behind the program's back).
	t.Renderer.SetHasDarkBackground(true)
	return t
}

// environ is a client's environment as termenv reads it.
type environ []string

func (e environ) Environ() []string { return e }

func (e environ) Getenv(k string) string {
	for i := len(e) - 1; i >= 0; i-- { // the last setting wins
		if v, ok := strings.CutPrefix(e[i], k+"="); ok {
			return v
		}
	}
	return ""
}

// backgroundQuery asks for the background colour (OSC 11) and then the
// primary device attributes (DA1), which every terminal answers: once that
// answer is in, a terminal that said nothing about its background will not.
const backgroundQuery = ansi.RequestBackgroundColor + ansi.RequestPrimaryDeviceAttributes

var (
	oscBackground = regexp.MustCompile(`\x1b\]11;([^\x07\x1b]*)(?:\x07|\x1b\\)`)
	da1Reply      = regexp.MustCompile(`\x1b\[\?[0-9;]*c`)
)

// queryDarkBackground asks the client's terminal whether its background
// is dark; ok is false when it did not say within timeout. Keys typed
// meanwhile are given back to the program.
func queryDarkBackground(out io.Writer, in *sessionInput, timeout time.Duration) (dark, ok bool) {
	if _, err := io.WriteString(out, backgroundQuery); err != nil {
		return false, false
	}
	var got []byte
	deadline := time.Now().Add(timeout)
	for !da1Reply.Match(got) {
		left := time.Until(deadline)
		if left <= 0 {
			break
		}
		b, more := in.next(left)
		if !more {
			break
		}
		got = append(got, b...)
	}
	if m := oscBackground.FindSubmatch(got); m != nil {
		dark, ok = darkColour(string(m[1]))
	}
	got = oscBackground.ReplaceAll(got, nil)
	got = da1Reply.ReplaceAll(got, nil)
	in.unread(bytes.Clone(got))
	return dark, ok
}

// darkColour reads an X11 colour spec (rgb:RRRR/GGGG/BBBB, 1 to 4 hex
// digits each, or #RRGGBB) and says whether it is dark (HSL lightness
// below one half).
func darkColour(spec string) (dark, ok bool) {
	var parts []string
	switch {
	case strings.HasPrefix(spec, "rgb:"), strings.HasPrefix(spec, "rgba:"):
		_, rest, _ := strings.Cut(spec, ":")
		parts = strings.Split(rest, "/")
		if len(parts) < 3 {
			return false, false
		}
		parts = parts[:3]
	case strings.HasPrefix(spec, "#") && len(spec) == 7:
		parts = []string{spec[1:3], spec[3:5], spec[5:7]}
	default:
		return false, false
	}
	lo, hi := 1.0, 0.0
	for _, p := range parts {
		if len(p) < 1 || len(p) > 4 {
			return false, false
		}
		v, err := strconv.ParseUint(p, 16, 16)
		if err != nil {
			return false, false
		}
		f := float64(v) / float64(uint64(1)<<(4*len(p))-1)
		lo, hi = min(lo, f), max(hi, f)
	}
	return (lo+hi)/2 < 0.5, true
}
