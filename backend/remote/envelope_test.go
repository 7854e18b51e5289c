package remote

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzEnvelope checks the one-pass envelope reader against encoding/json:
// the same fields, the same verdict.
func FuzzEnvelope(f *testing.F) {
	for _, s := range []string{
		`{"data":{"contents":[1,2]},"successful":true,"timestamp":"2024-04-15T17:25:02.5+08:00","duration":3,"status":200,"traceId":"t","server":"s"}`,
		`{"successful":false,"status":429,"error":{"code":0,"message":"busy"},"traceId":""}`,
		`{"Data":1,"data":2}`, `{"data":1,"data":2}`, `{"status":"200"}`, `{"status":"x"}`, `{"successful":"yes"}`,
		`{"data":null,"error":null,"successful":null}`, `{"ſuccessful":true}`, `{"d\u0061ta":1}`, `[]`, `{}`, `{"data":1} x`,
		`{"other":{"deep":[1,{"x":null}]},"data":[1, 2 ,3]}`, `{"timestamp":12,"traceId":7}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var fast, std wireEnvelope
		ferr := decodeEnvelope(in, &fast)
		serr := json.Unmarshal(in, &std)
		if (ferr == nil) != (serr == nil) {
			t.Fatalf("%q: one pass %v, encoding/json %v", in, ferr, serr)
		}
		if ferr == nil && !reflect.DeepEqual(fast, std) {
			t.Fatalf("%q:\none pass      %+v\nencoding/json %+v", in, fast, std)
		}
	})
}
