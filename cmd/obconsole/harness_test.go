package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend/embedded"
)

// TestHarness measures DESIGN.md's console targets on the built binary in a
// pseudo-terminal and prints the figures. It is a measurement, not a pass or
// fail check on timing, so it runs only when asked:
//
//	OBCONSOLE_HARNESS=1 go test -run TestHarness -v ./cmd/obconsole/
func TestHarness(t *testing.T) {
	if os.Getenv("OBCONSOLE_HARNESS") == "" {
		t.Skip("set OBCONSOLE_HARNESS=1 to measure")
	}
	bin := buildBinary(t)

	start := func(t *testing.T, cols, rows uint16, args ...string) (*exec.Cmd, *screen, time.Time) {
		cmd := exec.Command(bin, append([]string{"--theme", "dark"}, args...)...)
		cmd.Env = consoleEnv(t.TempDir())
		began := time.Now()
		scr, _ := runInPTY(t, cmd, cols, rows)
		return cmd, scr, began
	}
	// bytesOver counts what the console writes during d.
	bytesOver := func(scr *screen, d time.Duration) int {
		m := scr.mark()
		<-time.After(d)
		return scr.mark() - m
	}

	t.Run("first frame", func(t *testing.T) {
		var ms []float64
		for range 7 {
			_, scr, began := start(t, 120, 40)
			scr.waitFor(t, 0, 10*time.Second, "3 clusters")
			ms = append(ms, float64(time.Since(began).Microseconds())/1000)
		}
		fmt.Printf("start to first frame, embedded: median %.1f ms over %d runs %v (target ≤ 150 ms)\n", median(ms), len(ms), ms)
	})

	t.Run("idle and watching bytes", func(t *testing.T) {
		_, scr, _ := start(t, 120, 40, "--speed", "1")
		scr.waitFor(t, 0, 10*time.Second, "3 clusters")
		<-time.After(1500 * time.Millisecond) // let the first refreshes settle
		idle := bytesOver(scr, 5*time.Second)
		fmt.Printf("bytes written while nothing changes (clusters, 5 s): %d (target 0)\n", idle)

		scr.press(t, "\r")
		scr.waitFor(t, 0, 5*time.Second, "Zones of protoss")
		scr.press(t, "j")
		scr.press(t, "\r")
		scr.waitFor(t, 0, 5*time.Second, "192.0.2.12:2882")
		m := scr.mark()
		scr.press(t, "j")
		scr.press(t, "r")
		scr.waitFor(t, m, 5*time.Second, "Cancel")
		scr.press(t, "y")
		scr.waitFor(t, m, 5*time.Second, "Restart OB server")
		<-time.After(time.Second)
		const window = 20 * time.Second
		n := bytesOver(scr, window)
		fmt.Printf("bytes written watching a running restart at 120x40: %d in %s = %.0f B/s (target ≤ 600 B/s)\n",
			n, window, float64(n)/window.Seconds())
	})

	t.Run("memory with 10000 servers", func(t *testing.T) {
		fleet := embedded.GenerateFleet(10, 10, 100)
		b, err := json.Marshal(fleet)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "fleet.json")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		cmd, scr, _ := start(t, 120, 40, "--fleet", path)
		scr.waitFor(t, 0, 20*time.Second, "10 clusters")
		scr.press(t, "s") // all 1,000 servers of the first cluster
		<-time.After(2 * time.Second)
		fmt.Printf("memory with a 10,000-server fleet: %d MB RSS (target ≤ 60 MB)\n", rssMB(t, cmd.Process.Pid))
	})
}

func rssMB(t *testing.T, pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.Atoi(f[1])
			return kb / 1024
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
