package ocp

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
)

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
