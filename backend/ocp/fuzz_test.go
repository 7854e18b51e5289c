package ocp

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// FuzzDecode feeds arbitrary bytes to every OCP answer the client decodes.
// Decoding never panics, and whatever decodes encodes and decodes again to
// the same value, and then to the same bytes (a fixed point).
func FuzzDecode(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.json")
	more, _ := filepath.Glob("testdata/ocpdoc/*")
	for _, name := range append(seeds, more...) {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		// The data member alone, as the list and object decoders see it.
		var env struct {
			Data json.RawMessage `json:"data"`
		}
		if json.Unmarshal(b, &env) == nil && len(env.Data) > 0 {
			f.Add([]byte(env.Data))
		}
	}
	for _, s := range []string{
		`{"contents":[{"name":"zone1","rootServer":"192.0.2.1:2882","servers":[{"ip":"192.0.2.1","port":2882,"withRootServer":true}]}]}`,
		`{"code":60018,"message":"busy"}`, `{"code":"TASK_RUNNING"}`, `null`, `{}`, `[]`,
		`{"id":1,"creator":{"id":2,"name":"admin","x":[1, 2]},"context":"{\"stringMap\":{\"force\":\"true\"}}","startTime":1630853180220}`,
		`{"id":1,"tasks":[{"id":2,"startTime":"2021-09-05 22:46:20","timeout":-1,"runTime":9223372036854775807}]}`,
		// Found by this target: past year 9999 a time did not survive re-encoding,
		// nor did the microseconds of the documented server list.
		`{"id":1,"startTime":253402300800000,"finishTime":"2021-09-02T08:39:29.295684Z"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		roundTrip[Envelope[Task]](t, in)
		roundTrip[Task](t, in)
		roundTrip[Envelope[List[Cluster]]](t, in)
		roundTrip[List[Cluster]](t, in)
		roundTrip[Envelope[List[Server]]](t, in)
		roundTrip[List[Server]](t, in)
		roundTrip[Envelope[List[Zone]]](t, in)
		roundTrip[List[Zone]](t, in)
		roundTrip[Envelope[List[Task]]](t, in)
		roundTrip[Envelope[Log]](t, in)
		roundTrip[Envelope[Subtask]](t, in)
		roundTrip[APIError](t, in)
	})
}

func roundTrip[T any](t *testing.T, in []byte) {
	t.Helper()
	var v1 T
	if json.Unmarshal(in, &v1) != nil {
		return
	}
	b1, err := json.Marshal(v1)
	if err != nil {
		t.Fatalf("%T decoded from %q does not encode: %v", v1, in, err)
	}
	var v2 T
	if err := json.Unmarshal(b1, &v2); err != nil {
		t.Fatalf("%T: its own encoding %s does not decode: %v (input %q)", v1, b1, err, in)
	}
	if path, ok := sameValue(reflect.ValueOf(v1), reflect.ValueOf(v2), "v"); !ok {
		t.Fatalf("%T changed at %s through encoding\ninput   %q\nencoded %s", v1, path, in, b1)
	}
	b2, err := json.Marshal(v2)
	if err != nil || !bytes.Equal(b1, b2) {
		t.Fatalf("%T: encoding is not a fixed point (%v)\nfirst  %s\nsecond %s", v1, err, b1, b2)
	}
}

var (
	timeType = reflect.TypeFor[time.Time]()
	rawType  = reflect.TypeFor[json.RawMessage]()
)

// sameValue is reflect.DeepEqual, except that times are equal when they
// are the same instant at the same offset (a parsed zone is a new
// *Location each time), and raw JSON when it holds the same value however
// spelled (encoding/json escapes & < > in what it writes).
// Unexported fields are not compared. It names the first difference.
func sameValue(a, b reflect.Value, path string) (string, bool) {
	if a.IsValid() != b.IsValid() {
		return path, false
	}
	if !a.IsValid() {
		return "", true
	}
	switch a.Type() {
	case timeType:
		ta, tb := a.Interface().(time.Time), b.Interface().(time.Time)
		_, oa := ta.Zone()
		_, ob := tb.Zone()
		return path, ta.Equal(tb) && oa == ob
	case rawType:
		ja, ea := jsonValue(a.Bytes())
		jb, eb := jsonValue(b.Bytes())
		return path, (ea == nil) == (eb == nil) && reflect.DeepEqual(ja, jb)
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return path, a.IsNil() == b.IsNil()
		}
		return sameValue(a.Elem(), b.Elem(), path)
	case reflect.Struct:
		for i := range a.NumField() {
			// Unexported fields are bookkeeping (which members arrived), not
			// the value: a zero value decoded from null writes every member.
			if !a.Type().Field(i).IsExported() {
				continue
			}
			if p, ok := sameValue(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); !ok {
				return p, false
			}
		}
		return "", true
	case reflect.Slice:
		if a.IsNil() != b.IsNil() && (a.Len() != 0 || b.Len() != 0) {
			return path, false
		}
		fallthrough
	case reflect.Array:
		if a.Len() != b.Len() {
			return path + " (length)", false
		}
		for i := range a.Len() {
			if p, ok := sameValue(a.Index(i), b.Index(i), path+"[]"); !ok {
				return p, false
			}
		}
		return "", true
	case reflect.Map:
		if a.Len() != b.Len() {
			return path + " (length)", false
		}
		for _, k := range a.MapKeys() {
			if p, ok := sameValue(a.MapIndex(k), b.MapIndex(k), path+"["+k.String()+"]"); !ok {
				return p, false
			}
		}
		return "", true
	case reflect.Bool:
		return path, a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return path, a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return path, a.Uint() == b.Uint()
	case reflect.Float32, reflect.Float64:
		return path, a.Float() == b.Float()
	case reflect.String:
		return path, a.String() == b.String()
	}
	return path + " (" + a.Kind().String() + ")", false
}

func jsonValue(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}
