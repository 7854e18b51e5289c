package taskview

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// paint is a theme style taken apart into the escape sequences before and
// after the text, so a frame wraps text in them instead of running
// lipgloss.Style.Render for every cell (most of a frame's cost otherwise).
// It is exact for single-line text and styles without padding, margins,
// borders, width or underlined spaces, which are the only ones used here;
// paint_test.go checks each against Render. It captures the colour profile
// in effect when built: the console sets it once before the first frame.
type paint struct{ pre, post string }

func newPaint(st lipgloss.Style) paint {
	r := st.Render("x")
	i := strings.IndexByte(r, 'x')
	if i < 0 {
		return paint{}
	}
	return paint{pre: r[:i], post: r[i+1:]}
}

// s wraps text, which must be one line.
func (p paint) s(text string) string {
	if text == "" || (p.pre == "" && p.post == "") {
		return text
	}
	return p.pre + text + p.post
}

// paints are the styles a frame uses, taken apart once per view.
type paints struct {
	title, muted, warning, error, ok, lanes, selected, stale paint
}
