package ocp

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// encodeShaped writes the struct v (addressable) as encoding/json would,
// then applies the shape it arrived in: members that did not arrive (and
// are still zero) and those named in drop are left out, members that came
// empty are written back as they came, and the extra members follow,
// sorted. Strings, numbers, booleans, id lists and times are written here;
// other members by encoding/json. The bytes are those encoding/json would
// write, only faster: a list of 100,000 servers is served in a fraction
// of the time.
func encodeShaped(v reflect.Value, extra Extra, sh *wireShape, drop map[string]bool) ([]byte, error) {
	scratch := scratchPool.Get().(*[]byte)
	b, err := appendShaped((*scratch)[:0], v, extra, sh, drop)
	out := bytes.Clone(b)
	if cap(b) <= maxScratch {
		*scratch = b[:0]
		scratchPool.Put(scratch)
	}
	return out, err
}

// scratchPool holds the buffers objects are written in before they are
// copied out at their size: a server's 400 bytes cost one allocation.
var scratchPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// maxScratch is the largest buffer kept for the next object (a zone
// written with its servers is not).
const maxScratch = 64 << 10

func appendShaped(b []byte, v reflect.Value, extra Extra, sh *wireShape, drop map[string]bool) ([]byte, error) {
	wt := wireTypeOf(v.Type())
	b = append(b, '{')
	open := len(b) // where the first member goes: none before it
	for _, f := range wt.fields {
		fv := v.Field(f.index)
		if drop[f.name] || sh.isAbsent(f.name) && zeroAt(fv) {
			continue
		}
		if f.omit && emptyAt(fv, f) {
			extra = sh.omittedFor(f.name, extra)
			continue
		}
		if len(b) > open {
			b = append(b, ',')
		}
		b = appendString(b, f.name)
		b = append(b, ':')
		var err error
		if b, err = appendValue(b, fv, f.kind); err != nil {
			return nil, err
		}
	}
	if len(extra) > 0 {
		keys := make([]string, 0, len(extra))
		for k := range extra {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if len(b) > open {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = appendRaw(b, extra[k])
		}
	}
	return append(b, '}'), nil
}

// omittedFor adds to extra (a copy) the members that arrived empty under
// a spelling of name, unless extra has them already.
func (sh *wireShape) omittedFor(name string, extra Extra) Extra {
	if sh == nil {
		return extra
	}
	for k, raw := range sh.omitted {
		if _, taken := extra[k]; !taken && strings.EqualFold(k, name) {
			out := make(Extra, len(extra)+1)
			for ek, ev := range extra {
				out[ek] = ev
			}
			out[k] = raw
			extra = out
		}
	}
	return extra
}

var (
	timeValueType = reflect.TypeFor[Time]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
)

// appendValue writes one member's value.
func appendValue(b []byte, v reflect.Value, kind fieldKind) ([]byte, error) {
	switch {
	case v.Type() == timeValueType:
		return v.Addr().Interface().(*Time).appendJSON(b), nil
	case v.Type().Implements(marshalerType) || reflect.PointerTo(v.Type()).Implements(marshalerType):
		// encoding/json's way: it also compacts and escapes what the
		// marshaler wrote.
	case kind == kindString:
		return appendString(b, v.String()), nil
	case kind == kindInt:
		return strconv.AppendInt(b, v.Int(), 10), nil
	case kind == kindBool:
		return strconv.AppendBool(b, v.Bool()), nil
	case kind == kindIDs:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, id := range v.Interface().([]int64) {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, id, 10)
		}
		return append(b, ']'), nil
	}
	out, err := json.Marshal(v.Addr().Interface())
	return append(b, out...), err
}

// appendJSON is MarshalJSON appended to b.
func (t *Time) appendJSON(b []byte) []byte {
	switch {
	case t.Raw != "":
		return appendString(b, t.Raw)
	case t.Time.IsZero():
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = t.Time.AppendFormat(b, wireLayout)
	return append(b, '"')
}

// htmlSafe are the ASCII bytes encoding/json writes as they are.
var htmlSafe = func() (safe [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		safe[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return safe
}()

// appendString writes s quoted as encoding/json does: ", \ and control
// characters escaped, < > & as \u003c \u003e \u0026, invalid UTF-8 as
// \ufffd, U+2028 and U+2029 escaped.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if htmlSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendRaw writes a member kept as it arrived the way encoding/json
// writes a json.RawMessage: compacted, with < > & and U+2028, U+2029
// escaped inside its strings.
func appendRaw(b []byte, raw json.RawMessage) []byte {
	if !bytes.ContainsAny(raw, " \t\r\n<>&\u2028\u2029") {
		return append(b, raw...)
	}
	out, err := json.Marshal(raw)
	if err != nil { // not JSON: as it was, as before
		return append(b, raw...)
	}
	return append(b, out...)
}

// AppendJSON appends v as json.Marshal writes it. A list of servers,
// zones or clusters is written item by item into b, without encoding/json
// compacting each item's encoding again: obconsole serve answers a list of
// 10,000 servers in a fraction of the time. Anything else is
// json.Marshal's.
func AppendJSON(b []byte, v any) ([]byte, error) {
	switch l := v.(type) {
	case List[Server]:
		return appendList(b, l)
	case List[Zone]:
		return appendList(b, l)
	case List[Cluster]:
		return appendList(b, l)
	}
	out, err := json.Marshal(v)
	return append(b, out...), err
}

// appendList writes a list of objects that have no encoding variations of
// their own (wire.go's table).
func appendList[T any, PT interface {
	*T
	meta() *wireMeta
}](b []byte, l List[T]) ([]byte, error) {
	b = append(b, `{"contents":`...)
	if l.Contents == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range l.Contents {
			if i > 0 {
				b = append(b, ',')
			}
			m := PT(&l.Contents[i]).meta()
			var err error
			if b, err = appendShaped(b, reflect.ValueOf(&l.Contents[i]).Elem(), m.Extra, m.shape, nil); err != nil {
				return nil, err
			}
		}
		b = append(b, ']')
	}
	if l.Page != nil {
		page, err := json.Marshal(l.Page)
		if err != nil {
			return nil, err
		}
		b = append(b, `,"page":`...)
		b = append(b, page...)
	}
	return append(b, '}'), nil
}
