package ocp

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
)

// The general decoding path: every object the fast path (decodefast.go)
// does not take decodes here.

func isNull(b []byte) bool { return bytes.Equal(bytes.TrimSpace(b), []byte("null")) }

// decodeObject decodes b into plain (a pointer to a method-less alias of the
// real type) and returns the raw members so the caller can apply
// variations and collect Extra. Integer members that arrived as JSON
// strings of digits (OCP writes longs beyond ±(2^53−1) that way, and
// documents some ids as String) are read as the numbers they spell, exactly.
func decodeObject(b []byte, plain any) (map[string]json.RawMessage, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	if fixed, changed := integersFromStrings(raw, reflect.TypeOf(plain).Elem()); changed {
		var err error
		if b, err = json.Marshal(fixed); err != nil {
			return nil, err
		}
	}
	if err := json.Unmarshal(b, plain); err != nil {
		return nil, err
	}
	return raw, nil
}

// integersFromStrings returns a copy of raw in which every member that t
// decodes into an integer (or a slice of integers) and that holds a string
// of digits holds the bare number instead. Anything else is left for the
// decoder to accept or reject as before.
func integersFromStrings(raw map[string]json.RawMessage, t reflect.Type) (map[string]json.RawMessage, bool) {
	var ints map[string]bool
	for _, f := range wireFields(t) {
		if f.integer {
			if ints == nil {
				ints = map[string]bool{}
			}
			ints[strings.ToLower(f.name)] = true
		}
	}
	if ints == nil {
		return raw, false
	}
	var out map[string]json.RawMessage
	for k, v := range raw {
		if !ints[strings.ToLower(k)] {
			continue
		}
		nv, ok := unquoteIntegers(v)
		if !ok {
			continue
		}
		if out == nil {
			out = make(map[string]json.RawMessage, len(raw))
			for k2, v2 := range raw {
				out[k2] = v2
			}
		}
		out[k] = nv
	}
	if out == nil {
		return raw, false
	}
	return out, true
}

// unquoteIntegers turns "123" into 123, and ["1", 2] into [1,2]; ok is false
// when nothing changed.
func unquoteIntegers(v json.RawMessage) (json.RawMessage, bool) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return v, false
	}
	switch v[0] {
	case '"':
		var s string
		if json.Unmarshal(v, &s) != nil {
			return v, false
		}
		n, ok := integerText(s)
		if !ok {
			return v, false
		}
		return json.RawMessage(n), true
	case '[':
		var elems []json.RawMessage
		if json.Unmarshal(v, &elems) != nil {
			return v, false
		}
		changed := false
		for i, e := range elems {
			if ne, ok := unquoteIntegers(e); ok {
				elems[i], changed = ne, true
			}
		}
		if !changed {
			return v, false
		}
		b, err := json.Marshal(elems)
		return b, err == nil
	}
	return v, false
}

// integerText returns s as a JSON number when it spells a decimal integer
// that fits 64 bits (leading zeros allowed, no sign but "-").
func integerText(s string) (string, bool) {
	if s == "" || s[0] == '+' {
		return "", false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return strconv.FormatInt(n, 10), true
	}
	if n, err := strconv.ParseUint(s, 10, 64); err == nil {
		return strconv.FormatUint(n, 10), true
	}
	return "", false
}

// collectExtra returns the members of raw that plain's type does not know,
// skipping the aliases the caller handled itself.
func collectExtra(raw map[string]json.RawMessage, plain any, handled ...string) Extra {
	known := knownKeys(reflect.TypeOf(plain).Elem())
	var extra Extra
	for k, v := range raw {
		lk := strings.ToLower(k)
		if known[lk] {
			continue
		}
		skip := false
		for _, h := range handled {
			if lk == strings.ToLower(h) {
				skip = true
				break
			}
		}
		if skip {
			continue
		}
		if extra == nil {
			extra = Extra{}
		}
		extra[k] = v
	}
	return extra
}
