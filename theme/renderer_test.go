package theme

import (
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Two themes on two renderers render each for its own output: a console
// served over SSH draws colour for one session and none for another in the
// same process, whatever the process-wide default renderer says.
func TestRendererPerTheme(t *testing.T) {
	colour := lipgloss.NewRenderer(io.Discard)
	colour.SetColorProfile(termenv.ANSI256)
	plain := lipgloss.NewRenderer(io.Discard)
	plain.SetColorProfile(termenv.Ascii)

	a := New(Options{Mode: Dark, Renderer: colour})
	b := New(Options{Mode: Dark, Renderer: plain})
	for name, s := range map[string]func(*Theme) lipgloss.Style{
		"styles":     func(th *Theme) lipgloss.Style { return th.Styles.Error },
		"tone style": func(th *Theme) lipgloss.Style { return th.ToneStyle(ToneError) },
	} {
		if got := s(a).Render("x"); !strings.Contains(got, "\x1b[") {
			t.Errorf("%s on an ANSI256 renderer: %q, want colour", name, got)
		}
		if got := s(b).Render("x"); got != "x" {
			t.Errorf("%s on an ASCII renderer: %q, want plain text", name, got)
		}
	}
	if New(Options{Mode: Dark}).Options().Renderer != nil {
		t.Error("no renderer given: the default renderer, not a new one")
	}
}
