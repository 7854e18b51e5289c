package ocp

import (
	"strconv"
	"strings"
)

// JavaContext is what ParseJavaContext reads from the text older OCP builds
// send as a task's context.
type JavaContext struct {
	ParallelIdx int
	StringMap   map[string]string
	ListMap     map[string][]string
}

// ParseJavaContext reads the Java toString of OCP's task Context, as OCP
// sends it for server start and stop ("Context(parallelIdx=-1,
// stringMap={cluster_id=20, zone_name=zone2}, listMap={server_ids=[3]})")
// and as OCP Express logs it ("Context{parallelIdx=-1, stringMap={…},
// listMap={…}}"). ok is false for any other text.
//
// Java prints map entries as key=value joined by ", " and lists as
// [a, b], without quoting, so the text is ambiguous and this is a best
// effort, never an error:
//   - an entry ends at a ", " that is followed by a key and "=" (a key is a
//     letter or "_" then letters, digits, "_", "." or "-"), outside any
//     brackets; so "note=a, b" keeps "a, b" whole, but "note=a, b=c" reads
//     as two entries, note=a and b=c;
//   - a value runs to the end of its entry, "=" included ("url=x?a=b" is
//     url → "x?a=b");
//   - brackets in values are counted, so balanced ones ("v=f(x, y)") stay
//     whole, and an unbalanced one swallows the rest of its map (only: a
//     ", " before parallelIdx=, stringMap= or listMap= always ends a field
//     of the Context);
//   - list elements are split at every ", " outside brackets;
//   - a parallelIdx that is not a number leaves ParallelIdx 0.
func ParseJavaContext(s string) (JavaContext, bool) {
	s = strings.TrimSpace(s)
	var body string
	switch {
	case strings.HasPrefix(s, "Context(") && strings.HasSuffix(s, ")"),
		strings.HasPrefix(s, "Context{") && strings.HasSuffix(s, "}"):
		body = s[len("Context(") : len(s)-1]
	default:
		return JavaContext{}, false
	}
	var c JavaContext
	for _, f := range javaEntries(body, contextFields) {
		switch f.key {
		case "parallelIdx":
			if n, err := strconv.Atoi(f.value); err == nil {
				c.ParallelIdx = n
			}
		case "stringMap":
			inner, ok := unwrap(f.value, '{', '}')
			if !ok {
				continue
			}
			c.StringMap = map[string]string{}
			for _, e := range javaEntries(inner, nil) {
				c.StringMap[e.key] = e.value
			}
		case "listMap":
			inner, ok := unwrap(f.value, '{', '}')
			if !ok {
				continue
			}
			c.ListMap = map[string][]string{}
			for _, e := range javaEntries(inner, nil) {
				c.ListMap[e.key] = javaList(e.value)
			}
		}
	}
	return c, true
}

type javaEntry struct{ key, value string }

// contextFields are the fields of OCP's Context: a ", " before one of them
// ends the previous field even inside brackets, so an unbalanced bracket in
// a value spoils only its own map.
var contextFields = map[string]bool{"parallelIdx": true, "stringMap": true, "listMap": true}

// javaEntries splits "k1=v1, k2=v2" by the rule ParseJavaContext states;
// a ", " before one of the keys in always is a separator at any depth.
func javaEntries(t string, always map[string]bool) []javaEntry {
	var out []javaEntry
	for _, seg := range splitJava(t, func(rest string, depth int) bool {
		k, ok := entryKey(rest)
		return ok && (depth == 0 || always[k])
	}) {
		if k, v, ok := strings.Cut(seg, "="); ok && javaKey(k) {
			out = append(out, javaEntry{k, v})
		}
	}
	return out
}

// splitJava cuts t at each ", " where cut says so, given what follows and
// the nesting depth there (brackets of every kind counted); after a cut
// the depth counts from 0 again.
func splitJava(t string, cut func(rest string, depth int) bool) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '{', '[', '(':
			depth++
		case '}', ']', ')':
			if depth > 0 {
				depth--
			}
		case ',':
			if strings.HasPrefix(t[i+1:], " ") && cut(t[i+2:], depth) {
				parts = append(parts, t[start:i])
				start, depth = i+2, 0
			}
		}
	}
	return append(parts, t[start:])
}

// entryKey returns the key t begins with, if it begins with a key and "=".
func entryKey(t string) (string, bool) {
	k, _, ok := strings.Cut(t, "=")
	return k, ok && javaKey(k)
}

func javaKey(k string) bool {
	if k == "" {
		return false
	}
	for i, r := range k {
		switch {
		case r == '_', 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
		case i > 0 && ('0' <= r && r <= '9' || r == '.' || r == '-'):
		default:
			return false
		}
	}
	return true
}

// javaList reads "[a, b]"; a value without brackets is one element.
func javaList(v string) []string {
	inner, ok := unwrap(v, '[', ']')
	if !ok {
		return []string{v}
	}
	if inner == "" {
		return []string{}
	}
	return splitJava(inner, func(_ string, depth int) bool { return depth == 0 })
}

func unwrap(v string, open, closing byte) (string, bool) {
	if len(v) < 2 || v[0] != open || v[len(v)-1] != closing {
		return "", false
	}
	return v[1 : len(v)-1], true
}
