package ocp

import (
	"encoding/json"
	"reflect"
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
	kind    fieldKind
}

// fieldKind is how the fast path decodes a member.
type fieldKind uint8

const (
	kindOther       fieldKind = iota // encoding/json decodes it
	kindString                       // a string, or a string enum
	kindInt                          // a signed integer: a number, or a string of digits
	kindBool                         // true or false
	kindIDs                          // []int64: numbers or strings of digits
	kindUnmarshaler                  // a value whose pointer decodes itself (Time, Creator, Code, …)
)

// wireType is what this package knows of a struct type it decodes.
type wireType struct {
	fields []wireField
	// exact and folded find a member's field: by its name as tagged, else
	// by its ASCII lower-case (encoding/json matches keys
	// case-insensitively: withRootServer finds withRootserver).
	exact, folded map[string]int
	// fast: the fast path can decode the type (at most 64 members).
	fast   bool
	shapes shapeCache
}

var wireTypeCache sync.Map // reflect.Type -> *wireType

var (
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	idsType         = reflect.TypeFor[[]int64]()
)

// wireTypeOf describes struct type t. Unexported fields and fields tagged
// "-" are not members.
func wireTypeOf(t reflect.Type) *wireType {
	if v, ok := wireTypeCache.Load(t); ok {
		return v.(*wireType)
	}
	wt := &wireType{exact: map[string]int{}, folded: map[string]int{}}
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
		wf := wireField{name: name, index: i, kind: kindOf(f.Type)}
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
		n := len(wt.fields)
		wt.exact[name] = n
		if _, taken := wt.folded[lowerASCII(name)]; !taken {
			wt.folded[lowerASCII(name)] = n
		}
		wt.fields = append(wt.fields, wf)
	}
	wt.fast = len(wt.fields) <= 64
	v, _ := wireTypeCache.LoadOrStore(t, wt)
	return v.(*wireType)
}

// wireFields lists the JSON members of struct type t.
func wireFields(t reflect.Type) []wireField { return wireTypeOf(t).fields }

func kindOf(t reflect.Type) fieldKind {
	switch {
	case reflect.PointerTo(t).Implements(unmarshalerType) && t.Kind() != reflect.Pointer:
		return kindUnmarshaler
	case t == idsType:
		return kindIDs
	}
	switch t.Kind() {
	case reflect.String:
		return kindString
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return kindInt
	case reflect.Bool:
		return kindBool
	}
	return kindOther
}

// lowerASCII lower-cases the ASCII letters of s.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
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
