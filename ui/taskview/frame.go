package taskview

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/obconsole/obconsole/theme"
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

// logTail is the newest log entries that fit whole in n screen lines of
// width w, wrapped rather than cut, so a step's last message (often the
// error) reads in full. An entry too long for n lines alone shows its
// beginning, cut with an ellipsis.
func logTail(th *theme.Theme, text string, n, w int) []string {
	text = strings.TrimRight(text, "\n")
	if text == "" || n <= 0 || w <= 0 {
		return nil
	}
	var entries [][]string // newest first
	used := 0
	for end := len(text); end >= 0; {
		start := strings.LastIndexByte(text[:end], '\n') + 1
		// text is safetext.Text: no tab, carriage return or escape is left
		// to break the layout.
		line := text[start:end]
		var wrapped []string
		if textWidth(line) == len(line) {
			wrapped = wrapASCII(line, w)
		} else {
			wrapped = strings.Split(ansi.Wrap(line, w, ""), "\n")
		}
		if used+len(wrapped) > n {
			if len(entries) == 0 {
				wrapped = wrapped[:n]
				wrapped[n-1] = th.Truncate(wrapped[n-1]+" "+th.Glyphs.Ellipsis, w)
				entries = append(entries, wrapped)
			}
			break
		}
		entries = append(entries, wrapped)
		used += len(wrapped)
		end = start - 1
	}
	out := make([]string, 0, n)
	for i := len(entries) - 1; i >= 0; i-- {
		out = append(out, entries[i]...)
	}
	return out
}

// wrapASCII wraps printable ASCII text at spaces into lines of at most w
// columns, breaking words longer than a line: the common case of a log
// line, without ansi.Wrap's grapheme work.
func wrapASCII(s string, w int) []string {
	var out []string
	for len(s) > w {
		cut := strings.LastIndexByte(s[:w+1], ' ')
		if cut <= 0 {
			out = append(out, s[:w])
			s = s[w:]
			continue
		}
		out = append(out, strings.TrimRight(s[:cut], " "))
		s = strings.TrimLeft(s[cut+1:], " ")
	}
	return append(out, s)
}

// truncLeft keeps the end of s (a class name's simple name matters most).
func truncLeft(th *theme.Theme, s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	ell := th.Glyphs.Ellipsis
	ew := ansi.StringWidth(ell)
	if w <= ew {
		return ansi.TruncateLeft(s, ansi.StringWidth(s)-w, "")
	}
	return ell + ansi.TruncateLeft(s, ansi.StringWidth(s)-(w-ew), "")
}
