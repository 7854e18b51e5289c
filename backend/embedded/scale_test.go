package embedded

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"unsafe"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// Options.Generate builds exactly the fleet GenerateFleet describes.
func TestGenerateIsGenerateFleet(t *testing.T) {
	size := FleetSize{Clusters: 3, Zones: 4, ServersPerZone: 70} // past 762 servers: ports move on
	generated, _ := newTestExecutor(t, Options{Generate: &size, Seed: 3})
	described, _ := newTestExecutor(t, Options{Fleet: GenerateFleet(3, 4, 70), Seed: 3})
	a, _ := generated.ListClusters(ctx)
	b, _ := described.ListClusters(ctx)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("clusters differ:\n%+v\n%+v", a[0], b[0])
	}
	for _, c := range a {
		za, _ := generated.ListZones(ctx, c.ID)
		zb, _ := described.ListZones(ctx, c.ID)
		if !reflect.DeepEqual(za, zb) {
			t.Fatalf("zones of %s differ:\n%+v\n%+v", c.Name, za[0], zb[0])
		}
	}
	if d := generated.Describe().Label; d != "embedded generated fleet (3 clusters × 4 zones × 70 servers)" {
		t.Errorf("label %q", d)
	}
	task := restart(t, generated, a[2].ID, 13000001+2*4*70+5, false)
	if task.ClusterID != a[2].ID {
		t.Errorf("restart of a generated server: %+v", task)
	}
}

func TestGenerateRefusesNonsense(t *testing.T) {
	for _, opts := range []Options{
		{Generate: &FleetSize{0, 1, 1}},
		{Generate: &FleetSize{1000, 1000, 1000}},
		{Generate: &FleetSize{1, 1, 1}, Fleet: DemoFleet()},
		{Generate: &FleetSize{1, 1, 1}, FleetFile: "testdata/fleet.yaml"},
	} {
		if _, err := New(opts); backend.KindOf(err) != backend.BadRequest {
			t.Errorf("%+v: %v", opts, err)
		}
	}
}

// A server's record stays small: the fleet's memory is a hundred-odd
// bytes a server, not kilobytes.
func TestServerRecordIsCompact(t *testing.T) {
	if n := unsafe.Sizeof(server{}); n > 128 {
		t.Errorf("a server record is %d bytes, want ≤ 128", n)
	}
	if n := unsafe.Sizeof(ocp.Server{}); n < 256 {
		t.Logf("ocp.Server is %d bytes: the record may keep it", n)
	}
}

// BenchmarkNew is what starting the simulator costs with a large fleet,
// generated or given in code (the harness in cmd measures a fleet file).
func BenchmarkNew(b *testing.B) {
	for _, size := range []FleetSize{{10, 10, 100}, {100, 10, 100}} {
		b.Run("generate "+size.String(), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				e, err := New(Options{Generate: &size})
				if err != nil {
					b.Fatal(err)
				}
				e.Close()
			}
		})
	}
	for _, n := range []int{10, 100} {
		data, _ := json.Marshal(GenerateFleet(n, 10, 100))
		path := filepath.Join(b.TempDir(), "fleet.json")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("file of %d clusters × 10 zones × 100 servers", n), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				e, err := New(Options{FleetFile: path})
				if err != nil {
					b.Fatal(err)
				}
				e.Close()
			}
		})
	}
	f := GenerateFleet(10, 10, 100)
	b.Run("fleet in code 10×10×100", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			e, err := New(Options{Fleet: f})
			if err != nil {
				b.Fatal(err)
			}
			e.Close()
		}
	})
}

// With Background, New leaves the fleet to load on its own: every call
// waits for it, and a fleet that cannot be loaded is every call's error.
func TestBackgroundLoading(t *testing.T) {
	e, err := New(Options{Background: true, FleetFile: "testdata/fleet.yaml", Clock: NewFakeClock(testStart)})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := e.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	sync, _ := newTestExecutor(t, Options{FleetFile: "testdata/fleet.yaml"})
	a, err := e.ListClusters(ctx)
	b, _ := sync.ListClusters(ctx)
	if err != nil || !reflect.DeepEqual(a, b) {
		t.Errorf("loaded in the background: %v\n%+v\n%+v", err, a, b)
	}

	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("clusters: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, want := New(Options{FleetFile: bad})
	e, err = New(Options{Background: true, FleetFile: bad})
	if err != nil || want == nil {
		t.Fatalf("New: %v; without Background: %v", err, want)
	}
	defer e.Close()
	for _, err := range []error{e.Ready(ctx), func() error { _, err := e.ListClusters(ctx); return err }(),
		func() error { _, err := e.RestartServer(ctx, 1, 2, backend.RestartOptions{}); return err }()} {
		if backend.KindOf(err) != backend.BadRequest || err.Error() != want.Error() {
			t.Errorf("got %v, want %v", err, want)
		}
	}
	canceled, cancel := contextWithCancel()
	cancel()
	if _, err := e.ListClusters(canceled); backend.KindOf(err) != backend.Canceled {
		t.Errorf("canceled call: %v", err)
	}
}
