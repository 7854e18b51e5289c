package ocp

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// A small strict JSON scanner for the fast decoding path (decodefast.go):
// it finds an object's members and the extent of each value without
// allocating. Whatever it does not accept sends the caller to the general
// path, which decides (and words any error) as before.

// scanner walks b from pos.
type scanner struct {
	b   []byte
	pos int
}

// maxScanDepth bounds nesting inside one member's value; deeper values go
// to the general path.
const maxScanDepth = 512

func (s *scanner) space() {
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
func (s *scanner) next(c byte) bool {
	s.space()
	if s.pos < len(s.b) && s.b[s.pos] == c {
		s.pos++
		return true
	}
	return false
}

// str scans a string starting at pos (a '"'). plain says it holds no
// escape and only valid UTF-8, so its bytes are its text.
func (s *scanner) str() (start, end int, plain, ok bool) {
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
				ascii = ascii && c < 0x80
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

// value scans one JSON value at pos (blanks before it skipped) and
// returns its extent.
func (s *scanner) value(depth int) (start, end int, ok bool) {
	s.space()
	if s.pos >= len(s.b) || depth > maxScanDepth {
		return 0, 0, false
	}
	start = s.pos
	switch c := s.b[s.pos]; {
	case c == '"':
		_, end, _, ok = s.str()
		return start, end, ok
	case c == '{':
		s.pos++
		if s.next('}') {
			return start, s.pos, true
		}
		for {
			s.space()
			if _, _, _, ok := s.str(); !ok || !s.next(':') {
				return 0, 0, false
			}
			if _, _, ok := s.value(depth + 1); !ok {
				return 0, 0, false
			}
			if s.next('}') {
				return start, s.pos, true
			}
			if !s.next(',') {
				return 0, 0, false
			}
		}
	case c == '[':
		s.pos++
		if s.next(']') {
			return start, s.pos, true
		}
		for {
			if _, _, ok := s.value(depth + 1); !ok {
				return 0, 0, false
			}
			if s.next(']') {
				return start, s.pos, true
			}
			if !s.next(',') {
				return 0, 0, false
			}
		}
	case c == '-' || '0' <= c && c <= '9':
		return start, s.number(), s.pos > start
	}
	for _, lit := range [...]string{"true", "false", "null"} {
		if len(s.b)-s.pos >= len(lit) && string(s.b[s.pos:s.pos+len(lit)]) == lit {
			s.pos += len(lit)
			return start, s.pos, true
		}
	}
	return 0, 0, false
}

// number scans a number as JSON writes it and returns where it ends; pos
// is left where it started when there is none.
func (s *scanner) number() int {
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
		return s.pos
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return s.pos
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return s.pos
		}
	}
	s.pos = i
	return i
}

// parseInt reads a JSON integer literal that fits 64 bits.
func parseInt(b []byte) (int64, bool) {
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

// text is the string value at b (quotes included): its bytes when plain,
// else as encoding/json unquotes it.
func text(b []byte, plain bool) (string, bool) {
	if plain {
		return intern(b[1 : len(b)-1]), true
	}
	var s string
	if json.Unmarshal(b, &s) != nil {
		return "", false
	}
	return s, true
}
