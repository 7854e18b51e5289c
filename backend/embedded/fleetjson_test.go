package embedded

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// A fleet read by the JSON fast path is the fleet the YAML reader reads,
// and every document the fast path gives up on gets the YAML reader's
// verdict, line numbers and all.
func TestJSONFleetsReadAsYAMLReadsThem(t *testing.T) {
	compact, _ := json.Marshal(GenerateFleet(2, 3, 4))
	indented, _ := json.MarshalIndent(GenerateFleet(1, 2, 2), "", "\t")
	docs := []string{string(compact), string(indented),
		`{"clusters":[{"id":7,"name":"a","obClusterId":9,"version":"4.3","type":"STANDBY","status":"RUNNING","tenantCount":3,
		  "zones":[{"name":"z","region":"r","idc":"i","status":"RUNNING","servers":[
		    {"id":-0,"ip":"192.0.2.1","port":2882,"sqlPort":2881,"version":"4.3.1","status":"UNAVAILABLE","rootServer":true,"scenario":"slow"},
		    {"ip":"::ffff:192.0.2.2","rootServer":false}]}]}]}`,
	}
	server := `{"ip":"192.0.2.1"%s}`
	for _, extra := range []string{
		`,"ip":"192.0.2.9"`, `,"IP":"192.0.2.9"`, `,"port":null`, `,"port":2882.0`, `,"port":"2882"`, `,"port":1e3`,
		`,"port":99999999999999999999`, `,"id":-5`, `,"prot":1`, `,"status":"RUNN\u0049NG"`, `,"version":"4.2\t"`,
		`,"version":"été"`, `,"rootServer":"yes"`, `,"scenario":"hang:coffee"`, `,"port":70000`, `,"status":"ASLEEP"`,
	} {
		docs = append(docs, `{"clusters":[{"name":"a","zones":[{"name":"z","servers":[`+strings.Replace(server, "%s", extra, 1)+`]}]}]}`)
	}
	docs = append(docs,
		`{"clusters":[{"name":"a","zones":[{"name":"z","servers":[{"ip":"192.0.2.1"},{"ip":"192.0.2.1"}]}]}]}`,
		`{"clusters":[]}`, `{"clusters":null}`, `{}`, `[]`, `{"clusters":[{"name":"a","zones":[]}]} x`,
		"\ufeff{\"clusters\":[]}", `{"clusters":[{"name":"a","zones":[{"name":"z","servers":[{"ip":"192.0.2.1"}]}]}],"clusters":[]}`,
	)
	for _, doc := range docs {
		fast, fastErr := ParseFleet([]byte(doc), "f.json")
		slow, slowErr := parseFleetYAML([]byte(doc), "f.json")
		if (fastErr == nil) != (slowErr == nil) || fastErr != nil && fastErr.Error() != slowErr.Error() {
			t.Errorf("%.120s:\nfast %v\nyaml %v", doc, fastErr, slowErr)
			continue
		}
		if fastErr == nil && !reflect.DeepEqual(withoutPositions(fast), withoutPositions(slow)) {
			t.Errorf("%.120s:\nfast %+v\nyaml %+v", doc, fast, slow)
		}
	}
}

// A generated fleet file takes the fast path (it keeps no line numbers).
func TestGeneratedFleetFilesTakeTheFastPath(t *testing.T) {
	b, _ := json.Marshal(GenerateFleet(3, 3, 50))
	f, err := ParseFleet(b, "big.json")
	if err != nil || f.Clusters[2].Zones[2].Servers[49].pos != nil {
		t.Errorf("err %v; a generated fleet went through YAML nodes", err)
	}
}

func withoutPositions(f *Fleet) *Fleet {
	for i := range f.Clusters {
		c := &f.Clusters[i]
		c.pos = nil
		for j := range c.Zones {
			z := &c.Zones[j]
			z.pos = nil
			for k := range z.Servers {
				z.Servers[k].pos = nil
			}
		}
	}
	return f
}
