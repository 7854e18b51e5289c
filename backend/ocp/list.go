package ocp

import (
	"encoding/json"

	"github.com/obconsole/obconsole/backend/internal/jsonscan"
)

// listWire is List without its methods, for encoding/json.
type listWire[T any] List[T]

// UnmarshalJSON reads a list's contents into a slice of its length at
// once, each item decoded by its own decoder: a list of 100,000 servers is
// neither grown and copied item by item nor scanned again for each one.
// Anything unusual is left to encoding/json, which decides as before.
func (l *List[T]) UnmarshalJSON(b []byte) error {
	if l.Contents == nil && l.Page == nil && l.decodeFast(b) {
		return nil
	}
	return json.Unmarshal(b, (*listWire[T])(l))
}

func (l *List[T]) decodeFast(b []byte) bool {
	var probe T
	if _, ok := any(&probe).(json.Unmarshaler); !ok {
		return false
	}
	var items [][]byte
	var page []byte
	contents := false
	s := jsonscan.New(b)
	ok := s.Object(func(key []byte) bool {
		switch {
		case string(key) == "contents" && !contents:
			contents = true
			if s.Null() {
				return true
			}
			items = [][]byte{}
			return s.Array(func() bool {
				item, ok := s.Value()
				items = append(items, item)
				return ok
			})
		case string(key) == "page" && page == nil:
			var ok bool
			page, ok = s.Value()
			return ok
		}
		return false // another member, or one given twice: encoding/json's rules
	}) && s.End()
	if !ok || !contents {
		return false
	}
	var out []T
	if items != nil {
		out = make([]T, len(items))
		for i, item := range items {
			if any(&out[i]).(json.Unmarshaler).UnmarshalJSON(item) != nil {
				return false
			}
		}
	}
	var p *Page
	if page != nil && json.Unmarshal(page, &p) != nil {
		return false
	}
	l.Contents, l.Page = out, p
	return true
}
