package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common/commontest"
)

// journalBreaker breaks the journal while the restart is in flight, after
// the intent line was written and before the outcome line is.
type journalBreaker struct {
	*commontest.Fake
	path string
}

func (b *journalBreaker) RestartServer(ctx context.Context, clusterID, serverID int64, opts backend.RestartOptions) (*ocp.Task, error) {
	if err := os.Remove(b.path); err != nil {
		return nil, err
	}
	if err := os.Mkdir(b.path, 0o700); err != nil { // a directory cannot be appended to, even by root
		return nil, err
	}
	return b.Fake.RestartServer(ctx, clusterID, serverID, opts)
}

// TestConsoleToastsALostOutcomeLine: when the journal cannot take the
// outcome of a request already sent, the operator is told on screen.
func TestConsoleToastsALostOutcomeLine(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	j, err := audit.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	exec := audit.Wrap(&journalBreaker{Fake: commontest.New(), path: path}, j, audit.CurrentActor("test console"))

	ptmx, tty := openPTY(t, 100, 30)
	scr := newScreen(ptmx)
	c := consoleCLI(newCLIFlags(t), tty, globalOptions{theme: "dark", refresh: time.Second})
	th, err := c.consoleTheme()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- c.runProgram(ctx, th, exec) }()

	scr.waitFor(t, 0, 10*time.Second, "terran")
	m := scr.mark()
	scr.press(t, "\r")
	scr.waitFor(t, m, 5*time.Second, "Zones of protoss")
	m = scr.mark()
	scr.press(t, "\r")
	scr.waitFor(t, m, 5*time.Second, "Servers of")
	m = scr.mark()
	scr.press(t, "r")
	scr.waitFor(t, m, 5*time.Second, "Cancel")
	m = scr.mark()
	scr.press(t, "y")
	scr.waitFor(t, m, 5*time.Second, "audit journal")
	cancel()
	<-done
}
