package taskview

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// textWidth is ansi.StringWidth with a fast path for plain ASCII.
func textWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// frame collects a view's lines with their widths where known, so
// assembling the frame measures only the lines built without one.
type frame struct {
	lines  []string
	widths []int // -1: unknown, measured when assembled
}

func (f *frame) add(s string, width int) {
	f.lines = append(f.lines, s)
	f.widths = append(f.widths, width)
}

// string is exactly h lines of exactly w columns.
func (f *frame) string(w, h int) string {
	var b strings.Builder
	b.Grow(h * (w + 24))
	for i := 0; i < h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i >= len(f.lines) {
			writeSpaces(&b, w)
			continue
		}
		s, sw := f.lines[i], f.widths[i]
		if sw < 0 {
			sw = ansi.StringWidth(s)
		}
		if sw > w {
			s = ansi.Truncate(s, w, "")
			sw = ansi.StringWidth(s)
		}
		b.WriteString(s)
		writeSpaces(&b, w-sw)
	}
	return b.String()
}

const spaces = "                                                                                "

func writeSpaces(b *strings.Builder, n int) {
	for n > len(spaces) {
		b.WriteString(spaces)
		n -= len(spaces)
	}
	if n > 0 {
		b.WriteString(spaces[:n])
	}
}

func padTo(s string, w int) string {
	if n := w - textWidth(s); n > 0 {
		return s + spaces[:min(n, len(spaces))]
	}
	return s
}

func padLeft(s string, w int) string {
	if n := w - textWidth(s); n > 0 {
		return spaces[:min(n, len(spaces))] + s
	}
	return s
}
