package ocp

import (
	"bytes"
	"encoding/json"
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
	*l = List[T]{Contents: l.Contents, Page: l.Page}
	return json.Unmarshal(b, (*listWire[T])(l))
}

func (l *List[T]) decodeFast(b []byte) bool {
	var probe T
	if _, ok := any(&probe).(json.Unmarshaler); !ok {
		return false
	}
	var contents, page []byte
	s := scanner{b: b}
	if !s.next('{') {
		return false
	}
	for !s.next('}') {
		if (contents != nil || page != nil) && !s.next(',') {
			return false
		}
		s.space()
		ks, ke, plain, ok := s.str()
		if !ok || !plain || !s.next(':') {
			return false
		}
		vs, ve, ok := s.value(0)
		if !ok {
			return false
		}
		switch key := b[ks+1 : ke-1]; {
		case string(key) == "contents" && contents == nil:
			contents = b[vs:ve]
		case string(key) == "page" && page == nil:
			page = b[vs:ve]
		default:
			return false // another member, or one given twice: encoding/json's rules
		}
	}
	if s.space(); s.pos != len(b) || contents == nil {
		return false
	}
	items, ok := elements(contents)
	if !ok {
		return false
	}
	var out []T
	if items != nil {
		out = make([]T, len(items))
		for i, it := range items {
			if any(&out[i]).(json.Unmarshaler).UnmarshalJSON(contents[it[0]:it[1]]) != nil {
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

// elements splits a JSON array into its items' extents; nil, true for
// null.
func elements(arr []byte) ([][2]int, bool) {
	if bytes.Equal(arr, []byte("null")) {
		return nil, true
	}
	s := scanner{b: arr}
	if !s.next('[') {
		return nil, false
	}
	out := [][2]int{}
	if s.next(']') {
		return out, true
	}
	for {
		vs, ve, ok := s.value(0)
		if !ok {
			return nil, false
		}
		out = append(out, [2]int{vs, ve})
		if s.next(']') {
			return out, true
		}
		if !s.next(',') {
			return nil, false
		}
	}
}
