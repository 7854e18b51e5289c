package jsonscan

import (
	"encoding/json"
	"strings"
	"testing"
)

// The scanner accepts exactly what encoding/json accepts as one value
// (it may refuse more: those go to the general paths).
func TestValueAgreesWithEncodingJSON(t *testing.T) {
	for _, in := range []string{
		`{}`, `[]`, `""`, `0`, `-0`, `1.5e-3`, `true`, `false`, `null`, ` {"a" : [1, {"b": null}, "c\"\\\/\b\f\n\r\t\u00e9"]} `,
		`{"a":1,}`, `[1,]`, `01`, `1.`, `.5`, `-`, `"\x"`, `"\u12"`, "\"\x01\"", `tru`, `{"a" 1}`, `{1:2}`, `[1 2]`, `"abc`,
		`{"a":1}x`, `nul`, `1e`, `"é"`, "\"\xff\"",
	} {
		s := New([]byte(in))
		_, ok := s.Value()
		ok = ok && s.End()
		if ok && !json.Valid([]byte(in)) {
			t.Errorf("%q: accepted, encoding/json refuses it", in)
		}
		if !ok && json.Valid([]byte(in)) && in != "\"\xff\"" {
			t.Errorf("%q: refused, encoding/json accepts it", in)
		}
	}
}

func TestObjectAndArray(t *testing.T) {
	s := New([]byte(`{"a": 1, "b": [true, "x"], "c\u0041": 2}`))
	var keys []string
	ok := s.Object(func(k []byte) bool {
		v, ok := s.Value()
		keys = append(keys, string(k)+"="+string(v))
		return ok
	})
	if ok || strings.Join(keys, " ") != `a=1 b=[true, "x"]` {
		t.Errorf("an escaped key must stop the object: %v %v", ok, keys)
	}
	s = New([]byte(`[1, "2", {"3": 4}]`))
	var items []string
	if !s.Array(func() bool { it, ok := s.Value(); items = append(items, string(it)); return ok }) || len(items) != 3 || items[2] != `{"3": 4}` {
		t.Errorf("items %q", items)
	}
}

func TestDepthIsBounded(t *testing.T) {
	deep := strings.Repeat("[", MaxDepth+2) + strings.Repeat("]", MaxDepth+2)
	s := New([]byte(deep))
	if _, ok := s.Value(); ok {
		t.Error("nesting past MaxDepth accepted")
	}
	ok := strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)
	s = New([]byte(ok))
	if _, accepted := s.Value(); !accepted {
		t.Error("nesting within MaxDepth refused")
	}
}

func TestInt(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "-0": 0, "007": 7, "9223372036854775807": 1<<63 - 1, "-9223372036854775808": -1 << 63} {
		if n, ok := Int([]byte(in)); !ok || n != want {
			t.Errorf("Int(%s) = %d %v", in, n, ok)
		}
	}
	for _, in := range []string{"", "-", "+1", "1.0", "1e2", "9223372036854775808", "12345678901234567890", " 1"} {
		if _, ok := Int([]byte(in)); ok {
			t.Errorf("Int(%q) accepted", in)
		}
	}
}

func TestPlain(t *testing.T) {
	for in, want := range map[string]bool{`"abc"`: true, `"é"`: true, `"a\"b"`: false, "\"\xff\"": false, `abc`: false, `"`: false} {
		if Plain([]byte(in)) != want {
			t.Errorf("Plain(%q) = %v", in, !want)
		}
	}
}
