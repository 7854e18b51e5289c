package common

import (
	"context"
	"testing"

	"github.com/obconsole/obconsole/ui/common/commontest"
)

// BenchmarkNamesListServers10k is what naming costs one refresh of a
// 10,000-server list (in the fetch's Cmd, not the frame).
func BenchmarkNamesListServers10k(b *testing.B) {
	f := commontest.NewFleet(10000)
	n := NewNames()
	exec := n.Wrap(f)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := exec.ListServers(context.Background(), 1, ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawListServers10k is the same read without naming, to compare:
// naming adds well under a millisecond to it.
func BenchmarkRawListServers10k(b *testing.B) {
	f := commontest.NewFleet(10000)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := f.ListServers(context.Background(), 1, ""); err != nil {
			b.Fatal(err)
		}
	}
}
