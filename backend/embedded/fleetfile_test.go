package embedded

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend/safetext"
)

// aliasBomb is the classic "billion laughs" in YAML: nine levels of nine
// aliases each, 9^9 (387 million) values once expanded, from a few hundred
// bytes; wide widens each level (the 33 KB bomb took 2.2 GB).
func aliasBomb(wide int) string {
	var b strings.Builder
	b.WriteString("a0: &a0 [\"lol\"]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := range wide {
			if j > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	b.WriteString("clusters: *a9\n")
	return b.String()
}

// fleetBomb fits the fleet's schema: each zone's server list is an alias
// to one big list, so the walker itself would expand it.
func fleetBomb() string {
	var b strings.Builder
	b.WriteString("s0: &s0 [{ip: 192.0.2.1}]\n")
	for i := 1; i <= 6; i++ {
		fmt.Fprintf(&b, "s%d: &s%d [", i, i)
		for j := range 30 {
			if j > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "*s%d", i-1)
		}
		b.WriteString("]\n")
	}
	b.WriteString("clusters: [{name: c, zones: [{name: z, servers: *s6}]}]\n")
	return b.String()
}

// allocatedBy is how many bytes f allocates.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestAliasBombsAreRefusedCheaply(t *testing.T) {
	for name, doc := range map[string]string{
		"billion laughs":       aliasBomb(9),
		"33 KB billion laughs": aliasBomb(400),
		"fleet-shaped":         fleetBomb(),
	} {
		t.Run(name, func(t *testing.T) {
			var err error
			bytes := allocatedBy(func() { _, err = ParseFleet([]byte(doc), "bomb.yaml") })
			var fe *FleetError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), "more than 4000000 values (YAML aliases expanded)") {
				t.Fatalf("%d-byte bomb: %v", len(doc), err)
			}
			if limit := uint64(64 << 20); bytes > limit {
				t.Errorf("refusing a %d-byte bomb allocated %d MB", len(doc), bytes>>20)
			}
		})
	}
}

func TestAliasesWithinLimitsStillWork(t *testing.T) {
	doc := `
clusters:
  - name: c
    version: &v 4.2.1.8
    zones:
      - {name: z1, region: &r cn-hangzhou, servers: [{ip: 192.0.2.1, version: *v}]}
      - {name: z2, region: *r, servers: [{ip: 192.0.2.2}]}
`
	f, err := ParseFleet([]byte(doc), "f.yaml")
	if err != nil || f.Clusters[0].Zones[1].Region != "cn-hangzhou" {
		t.Fatalf("aliases: %v %+v", err, f)
	}
}

func TestDeepNestingIsRefused(t *testing.T) {
	deep := "clusters: " + strings.Repeat("[", 200) + strings.Repeat("]", 200) + "\n"
	var chain strings.Builder
	chain.WriteString("a0: &a0 [x]\n")
	for i := 1; i <= 100; i++ {
		fmt.Fprintf(&chain, "a%d: &a%d [*a%d]\n", i, i, i-1)
	}
	chain.WriteString("clusters: *a100\n")
	for name, doc := range map[string]string{
		"literal":     deep,
		"alias chain": chain.String(),
		"self alias":  "clusters: &a [*a]\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseFleet([]byte(doc), "deep.yaml")
			var fe *FleetError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), "nest more than 64 levels") && !strings.Contains(err.Error(), "refers to a value that contains it") {
				t.Fatalf("%v", err)
			}
		})
	}
}

func TestOnlyRegularFilesAreRead(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fleet.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: the size is what counts, and it costs no disk.
	if err := f.Truncate(MaxFleetFileBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	cases := map[string]struct{ path, want string }{
		"FIFO":      {fifo, "is a named pipe (FIFO), not a regular file"},
		"directory": {dir, "is a directory, not a regular file"},
		"too large": {big, "8388609 bytes is larger than the limit of 8 MiB"},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		cases["/dev/zero"] = struct{ path, want string }{"/dev/zero", "is a device, not a regular file"}
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			// A FIFO must be refused at once, never waited on: the read
			// runs aside so that a hang fails the test instead of stalling it.
			done := make(chan error, 1)
			go func() {
				_, err := LoadFleetFile(c.path)
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("%s: %v, want %q", c.path, err, c.want)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("LoadFleetFile(%s) hangs", c.path)
			}
		})
	}
	// The executor reports it as a bad request naming the file.
	if _, err := New(Options{FleetFile: fifo}); err == nil || !strings.Contains(err.Error(), "named pipe") {
		t.Fatalf("New on a FIFO: %v", err)
	}
}

// endless is an io.Reader that never ends, like /dev/zero.
type endless struct{ read int64 }

func (e *endless) Read(p []byte) (int, error) {
	clear(p)
	e.read += int64(len(p))
	return len(p), nil
}

func TestReadingStopsAtTheLimit(t *testing.T) {
	r := &endless{}
	if _, err := readAtMost(r, 1<<20); !errors.Is(err, errFleetTooLarge) {
		t.Fatalf("endless input: %v", err)
	}
	if r.read > 1<<20+64<<10 {
		t.Fatalf("read %d bytes past a limit of %d", r.read, 1<<20)
	}
}

// A huge name (or key, status, anchor) is quoted as a short excerpt in
// errors, never echoed whole.
func TestErrorsQuoteShortExcerpts(t *testing.T) {
	huge := strings.Repeat("\x1b[2J", 64<<10) // 256 KB of screen clears
	docs := map[string]string{
		"duplicate name": fmt.Sprintf(`
clusters:
  - name: &n %q
    zones: [{name: z, servers: [{ip: 192.0.2.1}]}]
  - name: *n
    zones: [{name: z, servers: [{ip: 192.0.2.2}]}]
`, huge),
		"bad status":  fmt.Sprintf("clusters: [{name: c, status: %q, zones: [{name: z, servers: [{ip: 192.0.2.1}]}]}]\n", huge),
		"unknown key": fmt.Sprintf("clusters: [{name: c, %q: 1, zones: []}]\n", huge),
		"bad ip":      fmt.Sprintf("clusters: [{name: c, zones: [{name: z, servers: [{ip: %q}]}]}]\n", huge),
		"not a list":  fmt.Sprintf("clusters: %q\n", huge),
		"scenario":    fmt.Sprintf("clusters: [{name: c, zones: [{name: z, servers: [{ip: 192.0.2.1, scenario: %q}]}]}]\n", "hang:"+huge),
		"anchor":      "clusters: *" + strings.Repeat("x", 256<<10) + "\n",
	}
	// The case: a 100 MB cluster name (refused for its size).
	name100MB := bytes.Repeat([]byte("n"), 100<<20)
	copy(name100MB, "clusters: [{name: ")
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			_, err := ParseFleet([]byte(doc), "huge.yaml")
			if err == nil {
				t.Fatal("accepted")
			}
			if msg := err.Error(); len(msg) > 1024 || !safetext.IsSafe(msg) {
				t.Fatalf("%d-byte error, safe %v: %.300q", len(msg), safetext.IsSafe(msg), msg)
			}
		})
	}
	if _, err := ParseFleet(name100MB, "huge.yaml"); err == nil || len(err.Error()) > 1024 {
		t.Fatalf("100 MB name: %.300v", err)
	}
	// A fleet given in code is checked with the same care.
	nameMB := strings.Repeat("n", 1<<20)
	fleet := &Fleet{Clusters: []FleetCluster{
		{Name: nameMB, Zones: []FleetZone{{Name: "z", Servers: []FleetServer{{IP: "192.0.2.1"}}}}},
		{Name: nameMB, Zones: []FleetZone{{Name: "z", Servers: []FleetServer{{IP: "192.0.2.2"}}}}},
	}}
	if _, err := New(Options{Fleet: fleet}); err == nil || len(err.Error()) > 1024 || !strings.Contains(err.Error(), "(1048576 bytes) is used twice") {
		t.Fatalf("in code: %.300v", err)
	}
}

// Names with control characters and escape sequences are accepted (drills
// use them to test the sanitizer); they are shown safely where shown.
func TestHostileNamesAreAccepted(t *testing.T) {
	doc := "clusters: [{name: \"\\e]0;pwned\\a\\e[2J\\u009b\\u202e\", zones: [{name: \"z\\u202e\", region: \"\\e[31m\", servers: [{ip: 192.0.2.1}]}]}]\n"
	f, err := ParseFleet([]byte(doc), "hostile.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Clusters[0].Name; got != "\x1b]0;pwned\a\x1b[2J\u009b\u202e" {
		t.Fatalf("name %q", got)
	}
}

func TestLargeGeneratedFleetFitsTheLimits(t *testing.T) {
	b, err := json.Marshal(GenerateFleet(10, 10, 100))
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseFleet(b, "generated.json")
	if err != nil || len(f.Clusters) != 10 {
		t.Fatalf("%v", err)
	}
}

func FuzzFleetFile(f *testing.F) {
	for _, name := range []string{"testdata/fleet.yaml", "testdata/fleet.json"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(aliasBomb(3)))
	f.Add([]byte("clusters: &a [*a]\n"))
	f.Add([]byte("clusters: [[[[[]]]]]\n"))
	f.Add([]byte("clusters: [{name: \"\\e]0;x\\a\", zones: [{name: z, servers: [{ip: 192.0.2.1, port: 1}]}]}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fleet, err := ParseFleet(data, "fuzz.yaml")
		if err != nil {
			// Errors are short and safe to print whatever the input.
			if msg := err.Error(); len(msg) > 4096 || !safetext.IsSafe(msg) {
				t.Fatalf("error of %d bytes, safe %v: %.300q", len(msg), safetext.IsSafe(msg), msg)
			}
			return
		}
		// A fleet that parsed is one the executor runs.
		e, err := New(Options{Fleet: fleet, Clock: NewFakeClock(time.Time{})})
		if err != nil {
			t.Fatalf("parsed fleet refused by New: %v", err)
		}
		e.Close()
	})
}
