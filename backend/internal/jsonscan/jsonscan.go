// Package jsonscan reads JSON strictly and without allocating: the
// members of an object and the items of an array as the bytes they are
// written in. It serves the fast paths of the OCP decoders and of fleet
// files, which take the common case and leave anything unusual (an
// escape, a duplicate, a malformed text) to encoding/json or YAML, whose
// verdicts and messages then stand.
package jsonscan

import (
	"bytes"
	"unicode/utf8"
)

// MaxDepth bounds nesting; deeper values are refused.
const MaxDepth = 512

// Scanner walks one JSON text.
type Scanner struct {
	b   []byte
	pos int
}

// New starts a scanner at the beginning of b.
func New(b []byte) Scanner { return Scanner{b: b} }

func (s *Scanner) space() {
	for s.pos < len(s.b) {
		switch s.b[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// next skips blanks and reports whether the next byte is c, consuming it.
func (s *Scanner) next(c byte) bool {
	s.space()
	if s.pos < len(s.b) && s.b[s.pos] == c {
		s.pos++
		return true
	}
	return false
}

// End reports whether only blanks are left.
func (s *Scanner) End() bool {
	s.space()
	return s.pos == len(s.b)
}

// Object reads an object, calling each with every member's key (its text
// between the quotes), in order, with the scanner at the member's value,
// which each must read (Value, Object, Array) before it returns true. ok
// is false when the text is not an object, a key holds an escape or
// invalid UTF-8, or each returned false.
func (s *Scanner) Object(each func(key []byte) bool) (ok bool) { return s.object(0, each) }

func (s *Scanner) object(depth int, each func(key []byte) bool) bool {
	return s.sequence(depth, '{', '}', func() bool {
		s.space()
		start, end, plain, ok := s.str()
		if !ok || !plain || !s.next(':') {
			return false
		}
		s.space()
		return each(s.b[start+1 : end-1])
	})
}

// Array reads an array, calling each with the scanner at every item,
// which each must read before it returns true; ok as for Object.
func (s *Scanner) Array(each func() bool) (ok bool) { return s.array(0, each) }

func (s *Scanner) array(depth int, each func() bool) bool {
	return s.sequence(depth, '[', ']', func() bool { s.space(); return each() })
}

// sequence reads open, items separated by commas, and closing.
func (s *Scanner) sequence(depth int, open, closing byte, item func() bool) bool {
	if depth > MaxDepth || !s.next(open) {
		return false
	}
	if s.next(closing) {
		return true
	}
	for {
		if !item() {
			return false
		}
		if s.next(closing) {
			return true
		}
		if !s.next(',') {
			return false
		}
	}
}

// Null reads a null if one comes next; false, having read nothing, when
// something else does.
func (s *Scanner) Null() bool {
	s.space()
	if bytes.HasPrefix(s.b[s.pos:], []byte("null")) {
		s.pos += len("null")
		return true
	}
	return false
}

// Value reads one value of any kind and returns its text.
func (s *Scanner) Value() ([]byte, bool) { return s.value(0) }

// str scans a string starting at pos. plain says it holds no escape and
// only valid UTF-8, so its bytes are its text.
func (s *Scanner) str() (start, end int, plain, ok bool) {
	if s.pos >= len(s.b) || s.b[s.pos] != '"' {
		return 0, 0, false, false
	}
	start = s.pos
	// Most strings hold no escape: find the closing quote at once and
	// check what lies before it.
	if n := bytes.IndexByte(s.b[start+1:], '"'); n >= 0 {
		seg := s.b[start+1 : start+1+n]
		if bytes.IndexByte(seg, '\\') < 0 {
			ascii := true
			for _, c := range seg {
				if c < 0x20 {
					return 0, 0, false, false
				}
				ascii = ascii && c < utf8.RuneSelf
			}
			s.pos = start + n + 2
			return start, s.pos, ascii || utf8.Valid(seg), true
		}
	}
	for i := s.pos + 1; i < len(s.b); i++ {
		switch c := s.b[i]; {
		case c == '"':
			s.pos = i + 1
			return start, s.pos, false, true
		case c == '\\':
			i++
			if i >= len(s.b) {
				return 0, 0, false, false
			}
			switch s.b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(s.b) || !isHex(s.b[i+1]) || !isHex(s.b[i+2]) || !isHex(s.b[i+3]) || !isHex(s.b[i+4]) {
					return 0, 0, false, false
				}
				i += 4
			default:
				return 0, 0, false, false
			}
		case c < 0x20:
			return 0, 0, false, false
		}
	}
	return 0, 0, false, false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func (s *Scanner) value(depth int) ([]byte, bool) {
	s.space()
	if s.pos >= len(s.b) || depth > MaxDepth {
		return nil, false
	}
	start := s.pos
	ok := false
	switch c := s.b[s.pos]; {
	case c == '"':
		_, _, _, ok = s.str()
	case c == '{':
		ok = s.object(depth, func([]byte) bool { _, ok := s.value(depth + 1); return ok })
	case c == '[':
		ok = s.array(depth, func() bool { _, ok := s.value(depth + 1); return ok })
	case c == '-' || '0' <= c && c <= '9':
		ok = s.number()
	default:
		for _, lit := range [...]string{"true", "false", "null"} {
			if bytes.HasPrefix(s.b[s.pos:], []byte(lit)) {
				s.pos += len(lit)
				ok = true
				break
			}
		}
	}
	if !ok {
		return nil, false
	}
	return s.b[start:s.pos], true
}

// number scans a number as JSON writes it.
func (s *Scanner) number() bool {
	b, i := s.b, s.pos
	digits := func() bool {
		from := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		return i > from
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case !digits():
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	s.pos = i
	return true
}

// Int reads an integer written without fraction or exponent that fits
// 64 bits; leading zeros are accepted (strings of digits carry them).
func Int(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	switch {
	case neg && n <= 1<<63:
		return -int64(n), true
	case !neg && n < 1<<63:
		return int64(n), true
	}
	return 0, false
}

// Plain reports whether the string val (quotes included) holds no escape
// and only valid UTF-8: its bytes are then its text.
func Plain(val []byte) bool {
	if len(val) < 2 || val[0] != '"' {
		return false
	}
	inner := val[1 : len(val)-1]
	ascii := true
	for _, c := range inner {
		switch {
		case c == '\\':
			return false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return ascii || utf8.Valid(inner)
}
