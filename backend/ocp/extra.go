package ocp

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"sync"
)

// Extra keeps the fields a newer OCP build sent that this client does not
// model, so nothing is lost when an object is decoded and encoded again.
type Extra map[string]json.RawMessage

var knownKeyCache sync.Map // reflect.Type -> map[string]bool

// knownKeys lists a struct's JSON names, lower-cased because encoding/json
// matches keys case-insensitively (that is how withRootServer finds
// withRootserver).
func knownKeys(t reflect.Type) map[string]bool {
	if v, ok := knownKeyCache.Load(t); ok {
		return v.(map[string]bool)
	}
	keys := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		keys[strings.ToLower(name)] = true
	}
	knownKeyCache.Store(t, keys)
	return keys
}

func isNull(b []byte) bool { return bytes.Equal(bytes.TrimSpace(b), []byte("null")) }

// decodeObject decodes b into plain (a pointer to a method-less alias of the
// real type) and returns the raw members so the caller can apply
// variations and collect Extra.
func decodeObject(b []byte, plain any) (map[string]json.RawMessage, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, plain); err != nil {
		return nil, err
	}
	return raw, nil
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

// encodeWithExtra marshals plain and appends the extra members, sorted.
func encodeWithExtra(plain any, extra Extra) ([]byte, error) {
	b, err := json.Marshal(plain)
	if err != nil || len(extra) == 0 {
		return b, err
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
	return buf.Bytes(), nil
}
