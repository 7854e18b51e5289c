package ui

import (
	"strings"

	"github.com/obconsole/obconsole/backend/safetext"
)

// safeFrame is the last safety net between the screens and the terminal:
// it keeps the SGR sequences the console's own styling writes (ESC [
// digits, ';' and ':' then 'm') and newlines, and spells out every other
// control character, escape sequence, C1 or bidi control and byte that is
// not UTF-8 with safetext. Every screen already makes text from outside
// safe where it draws it (widths and cuts stay right that way), so the net
// never changes a frame the console drew itself; it is there for the one
// string a screen forgets. A frame with nothing to change is returned as
// is, without allocating: it runs on every frame.
func safeFrame(frame string) string {
	var b strings.Builder
	changed := false
	// keep writes frame[from:to] unchanged (once something was changed).
	keep := func(from, to int) {
		if changed {
			b.WriteString(frame[from:to])
		}
	}
	// spell writes frame[from:to] made safe, copying what came before on
	// the first change.
	spell := func(from, to int) {
		if !changed {
			changed = true
			b.Grow(len(frame) + 64)
			b.WriteString(frame[:from])
		}
		b.WriteString(safetext.Line(frame[from:to]))
	}
	for i := 0; i < len(frame); {
		// A run of text up to the next newline or escape.
		j := i
		for j < len(frame) && frame[j] != '\n' && frame[j] != 0x1b {
			j++
		}
		if safetext.IsSafe(frame[i:j]) {
			keep(i, j)
		} else {
			spell(i, j)
		}
		if j == len(frame) {
			break
		}
		if frame[j] == '\n' {
			keep(j, j+1)
			i = j + 1
			continue
		}
		if n := sgrLen(frame[j:]); n > 0 {
			keep(j, j+n)
			i = j + n
			continue
		}
		// Any other escape: the ESC is spelled out, what follows is text.
		spell(j, j+1)
		i = j + 1
	}
	if !changed {
		return frame
	}
	return b.String()
}

// sgrLen is the length of the SGR sequence s starts with (ESC [ params m,
// params being digits, ';' and ':'), or 0 when s starts with none.
func sgrLen(s string) int {
	if len(s) < 3 || s[0] != 0x1b || s[1] != '[' {
		return 0
	}
	for i := 2; i < len(s); i++ {
		switch c := s[i]; {
		case c == 'm':
			return i + 1
		case c >= '0' && c <= '9', c == ';', c == ':':
		default:
			return 0
		}
	}
	return 0
}
