package embedded

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestScaleHarness measures what a large fleet costs the simulator: how
// long New takes and how much resident memory the fleet adds, for 10,000
// and 100,000 servers, generated (Options.Generate) or read from a JSON
// fleet file, each in a fresh process, medians of 5 runs. It is a
// measurement, not a check, so it runs only when asked:
//
//	OBCONSOLE_HARNESS=1 go test -run TestScaleHarness -v ./backend/embedded/
func TestScaleHarness(t *testing.T) {
	if os.Getenv("OBCONSOLE_HARNESS") == "" {
		t.Skip("set OBCONSOLE_HARNESS=1 to measure")
	}
	dir := t.TempDir()
	for _, n := range []int{10, 100} {
		f := GenerateFleet(n, 10, 100)
		b, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("fleet-%dk.json", n)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, how := range []string{"generate", "file", "background-file"} {
		for _, n := range []int{10, 100} {
			var newMs, readyMs, rss, live []float64
			for range 5 {
				m := child(t, how, filepath.Join(dir, fmt.Sprintf("fleet-%dk.json", n)), n)
				newMs, readyMs = append(newMs, m["newMs"]), append(readyMs, m["readyMs"])
				rss, live = append(rss, m["rssBytes"]/float64(n*1000)), append(live, m["liveRssBytes"]/float64(n*1000))
			}
			fmt.Printf("%-15s %3dk servers: New %6.1f ms, ready %6.1f ms, RSS +%4.0f B/server (+%4.0f B/server once freed memory is returned), medians of 5 %v\n",
				how, n, median(newMs), median(readyMs), median(rss), median(live), newMs)
		}
	}
}

// child runs one measurement in a fresh process.
func child(t *testing.T, how, file string, n int) map[string]float64 {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestScaleChild$", "-test.v")
	cmd.Env = append(os.Environ(), "OBCONSOLE_SCALE_CHILD="+how+","+file+","+strconv.Itoa(n))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", how, err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, "SCALE "); ok {
			m := map[string]float64{}
			if err := json.Unmarshal([]byte(rest), &m); err != nil {
				t.Fatal(err)
			}
			return m
		}
	}
	t.Fatalf("no figures from the child:\n%s", out)
	return nil
}

// TestScaleChild is the harness's child: it starts the simulator once as
// told and prints what that took.
func TestScaleChild(t *testing.T) {
	spec := os.Getenv("OBCONSOLE_SCALE_CHILD")
	if spec == "" {
		t.Skip("run by TestScaleHarness")
	}
	parts := strings.Split(spec, ",")
	how, file := parts[0], parts[1]
	n, _ := strconv.Atoi(parts[2])
	opts := Options{FleetFile: file}
	switch how {
	case "generate":
		opts = Options{Generate: &FleetSize{Clusters: n, Zones: 10, ServersPerZone: 100}}
	case "background-file":
		opts.Background = true
	}
	runtime.GC()
	before := rssBytes(t)
	start := time.Now()
	e, err := New(opts)
	newTook := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Ready(t.Context()); err != nil {
		t.Fatal(err)
	}
	readyTook := time.Since(start)
	runtime.GC()
	rss := rssBytes(t) - before
	debug.FreeOSMemory()
	live := rssBytes(t) - before
	runtime.KeepAlive(e)
	b, _ := json.Marshal(map[string]float64{"newMs": ms(newTook), "readyMs": ms(readyTook), "rssBytes": float64(rss), "liveRssBytes": float64(live)})
	fmt.Printf("SCALE %s\n", b)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func rssBytes(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status")
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
