package ocp

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// FuzzEncodeAgrees checks the encoder against the one it replaced
// (encoding/json, then the shape applied to its output): whatever
// decodes, both write the same bytes.
func FuzzEncodeAgrees(f *testing.F) {
	for _, s := range fastPathSeeds {
		f.Add([]byte(s))
	}
	for _, s := range []string{
		`{"name":"a<b>&c\u2028\u0001","ip":"\u00e9\ud800","version":"x\"y\\z","status":"\t"}`,
		`{"startTime":"garbled <time>","updateTime":1630853180220,"stopTime":"2021-09-02T08:39:29.295684Z"}`,
		`{"id":1,"subtasks":[{"id":2,"upstreams":[],"className":"a&b"}],"context":{"stringMap":{"k":"<v>"}},"creator":{"id":1,"name":"<x>"}}`,
		`{"code":"<1>","target":{"a" : [1, 2]},"subErrors":[{"rejectedValue":" <x> "}]}`,
		`{"extra":{"a" :  "<b>"},"zones":[{"servers":[{"id":1,"x":1}]}],"rootServers":["192.0.2.1:2882"]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		encodesAlike[Cluster, clusterWire](t, in)
		encodesAlike[Zone, zoneWire](t, in)
		encodesAlike[Server, serverWire](t, in)
		encodesAlike[Task, taskWire](t, in)
		encodesAlike[Subtask, subtaskWire](t, in)
		encodesAlike[APIError, apiErrorWire](t, in)
		encodesAlike[Envelope[json.RawMessage], envelopeWire[json.RawMessage]](t, in)
		appendsAlike[Server](t, in)
		appendsAlike[Zone](t, in)
		appendsAlike[Cluster](t, in)
	})
}

// appendsAlike checks AppendJSON against json.Marshal for a list of T
// holding what in decodes to (once as it is, once with a page).
func appendsAlike[T any](t *testing.T, in []byte) {
	t.Helper()
	var item T
	if json.Unmarshal(in, &item) != nil {
		return
	}
	for _, l := range []List[T]{{Contents: []T{item, item}}, {Contents: []T{}, Page: &Page{Number: 1, Size: 2}}, {}} {
		got, err := AppendJSON([]byte("x"), l)
		want, werr := json.Marshal(l)
		if (err == nil) != (werr == nil) || !bytes.Equal(got[1:], want) {
			t.Fatalf("List[%T] from %q:\n got %s (%v)\nwant %s (%v)", item, in, got, err, want, werr)
		}
	}
}

func TestEncodeAgreesOnTheEdges(t *testing.T) {
	appendsAlike[Server](t, []byte(`{"ip":"<\u2029>","x":{"a" : "<b>"},"regionName":"","stopTime":"1970-01-01T08:00:00+08:00"}`))
	appendsAlike[Cluster](t, []byte(`{"zones":[{"servers":[{"id":1,"x":" <y> "}]}],"rootServers":["192.0.2.1:2882"]}`))
	encodesAlike[Server, serverWire](t, []byte(`{"ip":"<\u2029>","version":"\u00e9\ud800\u0000","status":"\t\b\f"}`))
	encodesAlike[Server, serverWire](t, []byte(`{"ID":1,"regionName":"","stopTime":"1970-01-01T08:00:00+08:00","hostTypeName":"forge"}`))
	encodesAlike[Task, taskWire](t, []byte(`{"id":1,"cluster":{"id":3,"name":"c"},"tasks":[{"id":2}]}`))
	built := Server{ID: 1, IP: "192.0.2.1", Status: ServerRunning, StartTime: NewTime(time.Unix(1600000000, 5).UTC())}
	got, _ := json.Marshal(built)
	want, _ := json.Marshal(serverWire(built))
	if !bytes.Equal(got, want) {
		t.Errorf("a Go-built server:\n got %s\nwant %s", got, want)
	}
}

// encodesAlike decodes in as T, then compares T's encoding with the
// former encoder's, both compacted by encoding/json as every caller sees
// them.
func encodesAlike[T any, W any, PW wired[W]](t *testing.T, in []byte) {
	t.Helper()
	var v T
	if json.Unmarshal(in, &v) != nil {
		return
	}
	got, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%T from %q: %v", v, in, err)
	}
	// The former encoder, applied to the same value.
	wv := reflect.ValueOf(v).Convert(reflect.TypeFor[W]()).Interface().(W)
	m := PW(&wv).meta()
	var w any = wv
	var drop map[string]bool
	if task, ok := any(v).(Task); ok {
		if task.Subtasks == nil && !task.shape.isAbsent("subtasks") {
			task.Subtasks = []Subtask{}
		}
		if task.derivedClusterID != 0 && task.ClusterID == task.derivedClusterID {
			drop = map[string]bool{"clusterId": true}
		}
		w = taskWire(task)
	}
	if s, ok := any(v).(Subtask); ok {
		if s.Upstreams == nil && !s.shape.isAbsent("upstreams") {
			s.Upstreams = []int64{}
		}
		if s.Downstreams == nil && !s.shape.isAbsent("downstreams") {
			s.Downstreams = []int64{}
		}
		w = subtaskWire(s)
	}
	before, err := encodeShapedBefore(w, m.Extra, m.shape, drop)
	if err != nil {
		t.Fatalf("%T from %q: former encoder: %v", v, in, err)
	}
	// As encoding/json writes a marshaler's output: compacted, < > & escaped.
	want, err := json.Marshal(json.RawMessage(before))
	if err != nil {
		t.Fatalf("%T from %q: former encoder wrote %s: %v", v, in, before, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%T from %q:\n got %s\nwant %s", v, in, got, want)
	}
}

// encodeShapedBefore is the encoder as it was before the fast one.
func encodeShapedBefore(plain any, extra Extra, sh *wireShape, drop map[string]bool) ([]byte, error) {
	b, err := json.Marshal(plain)
	if err != nil {
		return b, err
	}
	if sh != nil {
		v := reflect.ValueOf(plain)
		for _, f := range wireFields(v.Type()) {
			fv := v.Field(f.index)
			if sh.absent[f.name] && zeroBefore(fv) {
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

func zeroBefore(v reflect.Value) bool {
	if z, ok := v.Interface().(interface{ IsZero() bool }); ok {
		return z.IsZero()
	}
	return v.IsZero()
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
