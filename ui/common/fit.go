package common

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Fit makes s exactly width columns wide on every line and exactly height
// lines tall: longer lines are cut (ANSI styling kept), shorter ones padded
// with spaces, extra lines dropped, missing ones added. The root applies it
// to every screen, so no screen can push the console past the terminal.
func Fit(s string, width, height int) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > height {
		lines = lines[:height]
	}
	var b strings.Builder
	for i := 0; i < height; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		line := ""
		if i < len(lines) {
			line = lines[i]
		}
		b.WriteString(PadRight(line, width))
	}
	return b.String()
}

// PadRight cuts or pads one line to exactly width columns.
func PadRight(line string, width int) string {
	if width <= 0 {
		return ""
	}
	w := ansi.StringWidth(line)
	if w > width {
		line = ansi.Truncate(line, width, "")
		w = ansi.StringWidth(line)
	}
	if w < width {
		line += strings.Repeat(" ", width-w)
	}
	return line
}

// JoinEnds puts left and right on one line of width columns, right-aligned
// right; when both do not fit, right is dropped first, then left is cut.
func JoinEnds(left, right string, width int) string {
	lw, rw := ansi.StringWidth(left), ansi.StringWidth(right)
	if right == "" || lw+1+rw > width {
		return PadRight(left, width)
	}
	return left + strings.Repeat(" ", width-lw-rw) + right
}
