package ocp

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Extra keeps the fields a newer OCP build sent that this client does not
// model, so nothing is lost when an object is decoded and encoded again.
type Extra map[string]json.RawMessage

// wireField is one JSON member of a struct this package decodes.
type wireField struct {
	name    string // as in the tag
	index   int
	omit    bool // omitempty or omitzero: left out when empty
	omitZ   bool // omitzero (else omitempty)
	integer bool // an integer or a slice of integers: ids may arrive as strings
}

var wireFieldCache sync.Map // reflect.Type -> []wireField

// wireFields lists the JSON members of struct type t. Unexported fields and
// fields tagged "-" are not members.
func wireFields(t reflect.Type) []wireField {
	if v, ok := wireFieldCache.Load(t); ok {
		return v.([]wireField)
	}
	var out []wireField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		wf := wireField{name: name, index: i}
		for _, o := range strings.Split(opts, ",") {
			switch o {
			case "omitempty":
				wf.omit = true
			case "omitzero":
				wf.omit, wf.omitZ = true, true
			}
		}
		ft := f.Type
		if ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		switch ft.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			wf.integer = f.Type.Kind() != reflect.Slice || f.Type.Elem().Kind() != reflect.Uint8
		}
		out = append(out, wf)
	}
	wireFieldCache.Store(t, out)
	return out
}

// knownKeys lists a struct's JSON names, lower-cased because encoding/json
// matches keys case-insensitively (that is how withRootServer finds
// withRootserver).
func knownKeys(t reflect.Type) map[string]bool {
	keys := map[string]bool{}
	for _, f := range wireFields(t) {
		keys[strings.ToLower(f.name)] = true
	}
	return keys
}

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

// wireShape remembers how an object arrived, so that encoding it again
// writes the members that came and no others: a member the type always
// writes is left out if it did not arrive (and its field is still zero),
// and a member the type leaves out when empty (omitempty, omitzero: an
// empty list, a "1970…" time, an empty string) is written back as it came
// (while its field is still empty). Objects built in Go have no shape and
// encode as their tags say.
type wireShape struct {
	absent  map[string]bool // tag names
	omitted Extra           // keyed by the name as it arrived
}

// isAbsent reports whether the member named (as in its tag) did not arrive;
// false for an object built in Go.
func (sh *wireShape) isAbsent(name string) bool { return sh != nil && sh.absent[name] }

// arrived is sh with the member name counted as arrived: a copy, as a
// shape may be shared by many objects.
func (sh *wireShape) arrived(name string) *wireShape {
	if !sh.isAbsent(name) {
		return sh
	}
	out := &wireShape{omitted: sh.omitted}
	for k := range sh.absent {
		if k != name {
			if out.absent == nil {
				out.absent = map[string]bool{}
			}
			out.absent[k] = true
		}
	}
	if out.absent == nil && out.omitted == nil {
		return nil
	}
	return out
}

// shapeOf records the shape of the members raw against the decoded plain
// (a pointer to a struct).
func shapeOf(raw map[string]json.RawMessage, plain any) *wireShape {
	v := reflect.ValueOf(plain).Elem()
	lower := make(map[string]string, len(raw))
	for k := range raw {
		lower[strings.ToLower(k)] = k
	}
	var sh wireShape
	for _, f := range wireFields(v.Type()) {
		val, arrived := raw[f.name]
		name := f.name
		if !arrived {
			name, arrived = lower[strings.ToLower(f.name)]
			val = raw[name]
		}
		switch {
		case !arrived:
			if sh.absent == nil {
				sh.absent = map[string]bool{}
			}
			sh.absent[f.name] = true
		case f.omit && emptyField(v.Field(f.index), f):
			if sh.omitted == nil {
				sh.omitted = Extra{}
			}
			sh.omitted[name] = val
		}
	}
	if sh.absent == nil && sh.omitted == nil {
		return nil
	}
	return &sh
}

// emptyField is encoding/json's rule for leaving a member out.
func emptyField(v reflect.Value, f wireField) bool {
	if f.omitZ {
		if z, ok := v.Interface().(interface{ IsZero() bool }); ok {
			return z.IsZero()
		}
		return v.IsZero()
	}
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}

// zeroField reports whether a field holds its zero value (or, for a type
// with an IsZero method, says it is zero).
func zeroField(v reflect.Value) bool {
	if z, ok := v.Interface().(interface{ IsZero() bool }); ok {
		return z.IsZero()
	}
	return v.IsZero()
}

// encodeShaped marshals plain (a struct value), applies the shape it
// arrived in, leaves out the members named in drop, and appends the extra
// members, sorted.
func encodeShaped(plain any, extra Extra, sh *wireShape, drop map[string]bool) ([]byte, error) {
	b, err := json.Marshal(plain)
	if err != nil {
		return b, err
	}
	if sh != nil {
		v := reflect.ValueOf(plain)
		for _, f := range wireFields(v.Type()) {
			fv := v.Field(f.index)
			if sh.absent[f.name] && zeroField(fv) {
				if drop == nil {
					drop = map[string]bool{}
				}
				drop[f.name] = true
			}
			if !f.omit || !emptyField(fv, f) {
				continue
			}
			for k, raw := range sh.omitted {
				if strings.EqualFold(k, f.name) {
					if _, taken := extra[k]; !taken {
						extra = withMember(extra, k, raw)
					}
				}
			}
		}
	}
	if len(drop) > 0 {
		if b, err = dropMembers(b, drop); err != nil {
			return b, err
		}
	}
	return appendMembers(b, extra), nil
}

// withMember returns a copy of extra with k set, leaving extra unchanged.
func withMember(extra Extra, k string, v json.RawMessage) Extra {
	out := make(Extra, len(extra)+1)
	for ek, ev := range extra {
		out[ek] = ev
	}
	out[k] = v
	return out
}

// dropMembers removes the named top-level members of the JSON object b,
// keeping the others in order.
func dropMembers(b []byte, drop map[string]bool) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil { // {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteByte('{')
	first := true
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return nil, err
		}
		if drop[key] {
			continue
		}
		if !first {
			buf.WriteByte(',')
		}
		first = false
		kb, _ := json.Marshal(key)
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(val)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// appendMembers appends the members of extra, sorted, to the JSON object b.
func appendMembers(b []byte, extra Extra) []byte {
	if len(extra) == 0 {
		return b
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var buf bytes.Buffer
	buf.Write(b[:len(b)-1])
	first := len(b) == 2 // "{}"
	for _, k := range keys {
		if !first {
			buf.WriteByte(',')
		}
		first = false
		kb, _ := json.Marshal(k)
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(extra[k])
	}
	buf.WriteByte('}')
	return buf.Bytes()
}
