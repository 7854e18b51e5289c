package main

import (
	"strings"
	"testing"

	"github.com/obconsole/obconsole/backend/embedded"
)

// --speed and --refresh outside their ranges exit 2 with the range named,
// before anything is opened.
func TestSpeedAndRefreshOutsideTheirRanges(t *testing.T) {
	t.Parallel()
	c := newCLI(t, embedded.Options{})
	for _, args := range [][]string{
		{"--speed", "NaN"}, {"--speed", "+Inf"}, {"--speed", "-Inf"}, {"--speed", "0"}, {"--speed", "-1"},
		{"--speed", "1e308"}, {"--speed", "0.001"}, {"--speed", "1001"},
	} {
		code, out, errOut := c.run("", append(args, "clusters")...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, "want a number from 0.01 to 1000") {
			t.Errorf("%v: exit %d: %q %q", args, code, out, errOut)
		}
	}
	for _, args := range [][]string{{"--refresh", "1ns"}, {"--refresh", "99ms"}, {"--refresh", "-1s"}, {"--refresh", "2h"}} {
		code, out, errOut := c.run("", append(args, "clusters")...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, "want a duration from 100ms to 1h") {
			t.Errorf("%v: exit %d: %q %q", args, code, out, errOut)
		}
	}
	for _, args := range [][]string{{"--speed", "0.01"}, {"--speed", "1000"}, {"--refresh", "100ms"}, {"--refresh", "1h"}} {
		if code, _, errOut := c.run("", append(args, "clusters")...); code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, errOut)
		}
	}
}

// serve --no-auth listens on loopback only, as its help says: any other
// address is refused before anything listens.
func TestServeNoAuthRefusesNonLoopback(t *testing.T) {
	t.Parallel()
	c := newCLIFlags(t)
	for _, listen := range []string{"0.0.0.0:0", "[::]:0", ":0", "192.0.2.1:0", "[2001:db8::1]:0", "example.com:0", "localhost.example.com:0", "127.0.0.1"} {
		code, out, errOut := c.run("", "serve", "--no-auth", "--listen", listen)
		if code != exitUsage || out != "" || !strings.Contains(errOut, "loopback address only") {
			t.Errorf("--listen %s: exit %d: %q %q", listen, code, out, errOut)
		}
	}
	s := c.startServe("--no-auth", "--listen", "localhost:0")
	s.stop(t)
}
