// Package safetext makes text that came from outside the process (OCP
// responses, fleet files, step logs, errors, trace ids) safe to meet a
// terminal or a file, and removes secrets from everything that leaves the
// process. It is the one sanitizer and the one redactor of DESIGN.md.
//
// Sanitizing never executes and never drops: every control character, escape
// sequence introducer, C1 control, bidi control, line or paragraph separator
// and byte that is not UTF-8 is replaced by a visible ASCII spelling of
// itself, and all other text is kept as it was.
package safetext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Line returns s made safe for one line of a terminal or a file: newlines
// and tabs are spelled out too (^J, ^I), so the text can never break a
// table row or a one-line field.
func Line(s string) string { return clean(s, false) }

// Text returns s made safe for multi-line output such as a step log: it is
// Line, except that "\n" is kept, "\r\n" becomes "\n" and a tab becomes
// spaces up to the next multiple of 8 columns of its line (as a terminal
// would draw it, but without letting the terminal move the cursor).
func Text(s string) string { return clean(s, true) }

// IsSafe reports whether Line(s) == s.
func IsSafe(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || unsafeRune(r) {
			return false
		}
		i += n
	}
	return true
}

// unsafeRune reports whether a non-ASCII rune must be spelled out: C1
// controls (a terminal may read U+009B as CSI), the bidi controls that can
// make a line read differently from what it holds (Trojan Source), and the
// Unicode line and paragraph separators.
func unsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e:
		return true
	case r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

func clean(s string, multiline bool) string {
	if IsSafe(s) && (!multiline || !strings.ContainsAny(s, "\t\r")) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	col := 0 // display column, for tab stops in Text; approximate (runes)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case multiline && c == '\n':
				b.WriteByte('\n')
				col = 0
			case multiline && c == '\r' && i < len(s) && s[i] == '\n':
				// \r\n: the \n that follows ends the line.
			case multiline && c == '\t':
				n := 8 - col%8
				b.WriteString("        "[:n])
				col += n
			case c < 0x20:
				b.WriteByte('^')
				b.WriteByte(c + '@')
				col += 2
			case c == 0x7f:
				b.WriteString("^?")
				col += 2
			default:
				b.WriteByte(c)
				col++
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, c)
			col += 4
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
			col += 6
		default:
			b.WriteString(s[i : i+n])
			col++
		}
		i += n
	}
	return b.String()
}

// MaxExcerpt is how many runes of bad input an error message quotes.
const MaxExcerpt = 64

// Excerpt quotes at most MaxExcerpt runes of s, made safe, for an error
// message about bad input: a 100 MB name is never echoed whole. A cut
// excerpt says how long the whole was.
func Excerpt(s string) string {
	runes := 0
	for i := range s {
		if runes == MaxExcerpt {
			return fmt.Sprintf(`"%s…" (%d bytes)`, Line(s[:i]), len(s))
		}
		runes++
	}
	return `"` + Line(s) + `"`
}
