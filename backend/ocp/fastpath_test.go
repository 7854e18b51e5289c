package ocp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzFastPathAgrees checks the fast decoding path against the general
// one: whatever object the fast path takes, the general path decodes to
// the same fields, Extra, shape and aliases.
func FuzzFastPathAgrees(f *testing.F) {
	for _, s := range fastPathSeeds {
		f.Add([]byte(s))
	}
	samples, _ := filepath.Glob("testdata/ocpdoc/*.json")
	for _, name := range samples {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		var env struct {
			Data struct {
				Contents []json.RawMessage `json:"contents"`
			} `json:"data"`
		}
		if json.Unmarshal(b, &env) == nil {
			for _, item := range env.Data.Contents {
				f.Add([]byte(item))
			}
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) { allAgree(t, in) })
}

// fastPathSeeds are objects at the edges of what the fast path takes.
var fastPathSeeds = []string{
	`{"id":1,"ip":"192.0.2.1","port":2882,"status":"RUNNING","stopTime":"1970-01-01T08:00:00+08:00"}`,
	`{"ID":1,"IP":"192.0.2.1","withRootServer":true}`, // keys in another case
	`{"id":1,"Id":2}`, // one member twice
	`{"id":"9007199254740993","upstreams":["1",2],"downstreams":[]}`, // ids as strings
	`{"id":"007","runTime":"-0","timeout":"+1"}`,
	`{"id":1.0}`, `{"id":1e2}`, `{"id":99999999999999999999}`, `{"id":"x"}`,
	`{"name":"zone\u0031","status":"RUNN\"ING","ip":"\u00e9"}`, // escapes
	`{"name":"zöne","ſtatus":"RUNNING"}`,                       // beyond ASCII
	`{"name":null,"status":null,"servers":null,"upstreams":null,"startTime":null,"creator":null}`,
	`{"name":"","regionName":"","hostCount":0,"servers":[],"rootServer":null}`,
	`{"servers":[{"id":1}],"rootServer":"192.0.2.1:2882"}`,
	`{"tasks":[{"id":2}],"id":1}`, `{"subtasks":[],"tasks":[{"id":2}]}`, `{"Tasks":[{"id":2}]}`,
	`{"creator":"admin","context":"Context(parallelIdx=-1, stringMap={a=b}, listMap={})"}`,
	`{"newField":{"a":[1,{"b":null}]},"other":"x","newField":2}`,
	`{"withRootserver":1}`, `{"port":"2882"}`, `{"status":7}`, `{}`, ` { "id" : 1 } `,
	`{"id":1,}`, `{"id":1} x`, `{"a":"\ud800"}`, `{"id":1`, `{"id":01}`,
}

func TestFastPathAgreesOnTheEdges(t *testing.T) {
	for _, s := range fastPathSeeds {
		allAgree(t, []byte(s))
	}
}

func allAgree(t *testing.T, in []byte) {
	t.Helper()
	agrees[clusterWire](t, in)
	agrees[zoneWire](t, in)
	agrees[serverWire](t, in)
	agrees[rootServerWire](t, in)
	agrees[creatorObject](t, in)
	agrees[taskWire](t, in, "tasks")
	agrees[subtaskWire](t, in)
	agrees[contextWire](t, in)
	agrees[taskClusterWire](t, in)
	agrees[taskTenantWire](t, in)
	agrees[apiErrorWire](t, in)
	agrees[subErrorWire](t, in)
	agrees[envelopeWire[json.RawMessage]](t, in)
}

func agrees[P any, PP wired[P]](t *testing.T, in []byte, aliasNames ...string) {
	t.Helper()
	newAliases := func() []*alias {
		out := make([]*alias, len(aliasNames))
		for i, n := range aliasNames {
			out[i] = &alias{name: n}
		}
		return out
	}
	var fast P
	fa := newAliases()
	v := reflect.ValueOf(&fast).Elem()
	extra, sh, ok := decodeFast(in, v, wireTypeOf(v.Type()), fa)
	if !ok {
		return
	}
	PP(&fast).meta().Extra, PP(&fast).meta().shape = extra, sh
	var general P
	ga := newAliases()
	if err := decodeGeneral(in, PP(&general), ga); err != nil {
		t.Fatalf("%T: the fast path took %q, which the general path refuses: %v", fast, in, err)
	}
	if !reflect.DeepEqual(fast, general) {
		t.Fatalf("%T from %q:\nfast    %#v\ngeneral %#v", fast, in, fast, general)
	}
	for i := range fa {
		if string(fa[i].raw) != string(ga[i].raw) || (fa[i].raw == nil) != (ga[i].raw == nil) {
			t.Fatalf("%T from %q: alias %s fast %q general %q", fast, in, fa[i].name, fa[i].raw, ga[i].raw)
		}
	}
}

// The fast path takes what OCP sends: every server, zone and cluster of
// the documented samples.
func TestFastPathTakesTheSamples(t *testing.T) {
	for _, name := range []string{"V4.2.2_en_server-list.json", "V4.2.2_en_zone-list.json", "V4.2.2_en_cluster-list.json", "V4.2.2_en_task-list.json"} {
		b, err := os.ReadFile(filepath.Join("testdata/ocpdoc", name))
		if err != nil {
			t.Fatal(err)
		}
		var env struct {
			Data struct {
				Contents []json.RawMessage `json:"contents"`
			} `json:"data"`
		}
		if err := json.Unmarshal(b, &env); err != nil || len(env.Data.Contents) == 0 {
			t.Fatalf("%s: %v", name, err)
		}
		for _, item := range env.Data.Contents {
			var s serverWire
			var c taskWire
			var took bool
			switch name {
			case "V4.2.2_en_task-list.json":
				_, _, took = decodeFast(item, reflect.ValueOf(&c).Elem(), wireTypeOf(reflect.TypeFor[taskWire]()), []*alias{{name: "tasks"}})
			default:
				_, _, took = decodeFast(item, reflect.ValueOf(&s).Elem(), wireTypeOf(reflect.TypeFor[serverWire]()), nil)
			}
			if !took {
				t.Errorf("%s: the fast path left %.80s… to the general path", name, item)
			}
		}
	}
}

// A list of servers costs a few allocations a server, not a hundred, and
// its servers share one shape and their repeated texts.
func TestServerListDecodesCheaply(t *testing.T) {
	body := serverListJSON(1000)
	var l List[Server]
	allocs := testing.AllocsPerRun(5, func() {
		l = List[Server]{}
		if err := json.Unmarshal(body, &l); err != nil {
			t.Fatal(err)
		}
	})
	if perServer := allocs / 1000; perServer > 6 {
		t.Errorf("%.1f allocations a server, want ≤ 6", perServer)
	}
	a, b := l.Contents[1], l.Contents[2]
	if a.shape == nil || a.shape != b.shape {
		t.Errorf("servers that arrived alike do not share a shape: %p %p", a.shape, b.shape)
	}
	if a.StartTime.Location() != b.StartTime.Location() {
		t.Error("times at the same offset do not share a zone")
	}
	out, _ := json.Marshal(l)
	var again List[Server]
	if err := json.Unmarshal(out, &again); err != nil || len(again.Contents) != 1000 || again.Contents[999].IP != l.Contents[999].IP {
		t.Errorf("round trip: %v", err)
	}
}
