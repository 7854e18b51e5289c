package remote

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
)

// serversBody is a 10,000-server list answer, as the idle-list target reads it.
func serversBody(b *testing.B) []byte {
	servers := make([]ocp.Server, 10000)
	for i := range servers {
		servers[i] = ocp.Server{ID: int64(i), IP: fmt.Sprintf("198.51.%d.%d", i/250, i%250), Port: 2882, SQLPort: 2881,
			Version: "4.2.1.0", Status: ocp.ServerStatus("RUNNING"), ClusterID: 1, ZoneName: fmt.Sprintf("zone%d", i%3),
			RegionName: "region-a", IDCName: "idc-1", HostID: int64(i)}
	}
	body, err := json.Marshal(ocp.Envelope[ocp.List[ocp.Server]]{Data: ocp.List[ocp.Server]{Contents: servers}, Successful: true, Status: 200})
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkScrubServerList is what redacting costs one AK/SK answer of
// 10,000 servers with the shared redactor full of recent signatures.
func BenchmarkScrubServerList(b *testing.B) {
	body := serversBody(b)
	shared := safetext.NewRedactor()
	shared.Add(testAKSecret)
	for i := range 100 {
		shared.AddTransient(fmt.Sprintf("%s AKID-4711:sig%025d=", ocp.AuthScheme, i))
	}
	e := &Executor{redactor: shared}
	own := safetext.NewRedactor()
	own.Add(ocp.AuthScheme+" AKID-4711:abcdefghijklmnopqrstuvwxyz0=", "abcdefghijklmnopqrstuvwxyz0=")
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for range b.N {
		if _, err := e.scrub(body, own); err != nil {
			b.Fatal(err)
		}
	}
}
