// Package theme decides how everything in the console looks: one palette
// (light or dark), one Styles struct, one table from status to icon, word
// and colour, and the glyphs for borders, lanes and gauges. It honours
// NO_COLOR/--no-color (no colour; icons and words stay) and --ascii (no
// box-drawing characters or symbols anywhere, for old jump hosts).
//
// A Theme is immutable once built and safe to share between screens and
// goroutines. It never talks to the terminal: whether the background is dark
// is detected once by the caller (lipgloss.HasDarkBackground) before the
// program starts and passed in Options, so rendering stays a pure function.
package theme

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Mode chooses the palette.
type Mode int

const (
	// Auto picks Dark or Light from Options.DarkBackground.
	Auto Mode = iota
	Dark
	Light
)

func (m Mode) String() string {
	switch m {
	case Dark:
		return "dark"
	case Light:
		return "light"
	}
	return "auto"
}

// ParseMode reads the --theme flag: auto, dark or light (case-insensitive).
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return Auto, nil
	case "dark":
		return Dark, nil
	case "light":
		return Light, nil
	}
	return Auto, fmt.Errorf("unknown theme %q: want auto, dark or light", s)
}

// Options are the look flags.
type Options struct {
	Mode Mode
	// DarkBackground is what the terminal reported, used when Mode is Auto.
	DarkBackground bool
	// NoColor drops every colour (NO_COLOR, --no-color). Bold, underline and
	// reverse video stay so the selection and headers remain visible: NO_COLOR
	// means no colour, not no emphasis.
	NoColor bool
	// ASCII uses only printable ASCII: no box drawing, no symbols.
	ASCII bool
	// Renderer builds every style, so that they render for its output's
	// colour profile: a console served over SSH gives each session its own.
	// Nil means lipgloss's default renderer (the process's terminal).
	Renderer *lipgloss.Renderer
}

// Theme is the resolved look: palette, styles, glyphs and status table.
type Theme struct {
	opts    Options
	r       *lipgloss.Renderer
	dark    bool
	palette Palette
	Styles  Styles
	Glyphs  Glyphs
}

// New resolves opts into a Theme.
func New(opts Options) *Theme {
	dark := opts.DarkBackground
	switch opts.Mode {
	case Dark:
		dark = true
	case Light:
		dark = false
	}
	t := &Theme{opts: opts, dark: dark, r: opts.Renderer}
	if t.r == nil {
		t.r = lipgloss.DefaultRenderer()
	}
	if dark {
		t.palette = darkPalette
	} else {
		t.palette = lightPalette
	}
	if opts.NoColor {
		t.palette = Palette{}
		// A session's own renderer with the Ascii profile is a terminal that
		// takes no attributes at all (TERM=dumb): keep it.
		if opts.Renderer == nil || opts.Renderer.ColorProfile() != termenv.Ascii {
			t.r = attributesOnly()
		}
	}
	if opts.ASCII {
		t.Glyphs = asciiGlyphs
	} else {
		t.Glyphs = unicodeGlyphs
	}
	t.Styles = newStyles(t)
	return t
}

// Default is the theme tests and tools use when nothing is configured:
// dark palette, colour, Unicode.
func Default() *Theme { return New(Options{Mode: Dark}) }

// attributesOnly is the renderer of the colourless theme. The default
// renderer follows the environment, and with NO_COLOR set termenv picks its
// Ascii profile, which drops every SGR: bold and reverse video too, leaving
// the cursor glyph as the only mark of the selection. This one writes
// attributes (ANSI profile) while the palette, all NoColor, writes no
// colour. It writes nowhere itself: the program prints what it renders.
func attributesOnly() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI)
	return r
}

// NewStyle is an empty style of this theme's renderer: a screen that needs
// a style the theme does not have (padding, width) starts from it, so the
// emphasis rules of NO_COLOR hold there too.
func (t *Theme) NewStyle() lipgloss.Style { return t.r.NewStyle() }

// Options returns the options the theme was built from.
func (t *Theme) Options() Options { return t.opts }

// ASCII reports ASCII mode: screens must use Glyphs and never write symbols
// of their own.
func (t *Theme) ASCII() bool { return t.opts.ASCII }

// NoColor reports whether colour is off.
func (t *Theme) NoColor() bool { return t.opts.NoColor }

// IsDark reports whether the dark palette is in use.
func (t *Theme) IsDark() bool { return t.dark }

// Palette returns the resolved colours (all NoColor when colour is off).
func (t *Theme) Palette() Palette { return t.palette }

// Border is the border for boxes and dialogs: rounded, or +-| in ASCII mode.
func (t *Theme) Border() lipgloss.Border {
	if t.opts.ASCII {
		return lipgloss.ASCIIBorder()
	}
	return lipgloss.RoundedBorder()
}

// ToneColor is the colour of a tone (NoColor when colour is off).
func (t *Theme) ToneColor(tone Tone) lipgloss.TerminalColor { return c(t.toneColor(tone)) }

func (t *Theme) toneColor(tone Tone) lipgloss.TerminalColor {
	p := &t.palette
	colors := [...]lipgloss.TerminalColor{ToneOK: p.OK, ToneBusy: p.Busy, ToneWaiting: p.Muted, ToneWarn: p.Warn,
		ToneError: p.Error, ToneIdle: p.Muted, ToneUndone: p.Undone, ToneSkipped: p.Skipped}
	if tone > ToneUnknown && int(tone) < len(colors) {
		return colors[tone]
	}
	return p.Unknown
}

// ToneStyle is a foreground style of the tone's colour; error tones are
// bold so they stand out without colour too.
func (t *Theme) ToneStyle(tone Tone) lipgloss.Style {
	s := t.NewStyle().Foreground(t.ToneColor(tone))
	if tone == ToneError {
		s = s.Bold(true)
	}
	return s
}
