package ocp

import (
	"encoding/json"
	"fmt"
	"testing"
)

// serverListJSON is a list of n servers as OCP's sample writes one
// (regionName and idcName absent, stopTime "never" as 1970).
func serverListJSON(n int) []byte {
	var b []byte
	b = append(b, `{"contents":[`...)
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, `{"clusterId":1000002,"hostId":%d,"id":%d,"innerStatus":"ACTIVE","ip":"198.51.%d.%d","port":2882,"sqlPort":2881,`+
			`"startTime":"2020-11-29T22:30:42+08:00","status":"RUNNING","stopTime":"1970-01-01T08:00:00+08:00","updateTime":"2020-11-30T14:42:23+08:00",`+
			`"version":"4.2.1.8_20231013151209-97d9a5cc5e0ca5b7cf6b8e2a0f8a5d5e0aa3b5c1(Oct 13 2023 15:16:13)","withRootserver":%t,"zoneName":"zone%d"}`,
			1000000+i/4, 1000000+i, i/250, i%250, i%1000 == 0, i%10+1)
	}
	return append(b, `]}`...)
}

// BenchmarkDecodeServerList is what the console pays to read one list of
// 10,000 servers (the idle-list target's list).
func BenchmarkDecodeServerList(b *testing.B) {
	body := serverListJSON(10000)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for range b.N {
		var l List[Server]
		if err := json.Unmarshal(body, &l); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeServerList is what serve pays to write one.
func BenchmarkEncodeServerList(b *testing.B) {
	var l List[Server]
	if err := json.Unmarshal(serverListJSON(10000), &l); err != nil {
		b.Fatal(err)
	}
	built := make([]Server, len(l.Contents))
	for i, s := range l.Contents {
		built[i] = Server{ID: s.ID, IP: s.IP, Port: s.Port, SQLPort: s.SQLPort, Version: s.Version, Status: s.Status,
			InnerStatus: s.InnerStatus, ClusterID: s.ClusterID, ZoneName: s.ZoneName, HostID: s.HostID, StartTime: s.StartTime}
	}
	for name, list := range map[string][]Server{"decoded": l.Contents, "built": built} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := json.Marshal(List[Server]{Contents: list}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
