package main

import (
	"context"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/ui/presence"
	"github.com/obconsole/obconsole/ui/store"
)

// By the time the other sessions hear that a restart was answered, the
// shared read layer has forgotten the cluster's task lists: what they read
// on hearing it (a restart dialog checks again) shows the new task, not a
// list cached a moment before.
func TestSessionExecutorForgetsBeforeTheOthersHear(t *testing.T) {
	emb, err := embedded.New(embedded.Options{Clock: embedded.NewFakeClock(cliStart)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	hub := presence.NewHub()
	alice, carol := hub.Join(presence.Who{User: "alice"}), hub.Join(presence.Who{User: "carol"})
	shared := store.NewShared(time.Hour) // nothing ages out during the test
	se := newSessionExecutor(emb, false, alice, shared)
	read := store.New(store.Options{Read: emb, Shared: shared}).Reader()
	running := store.TaskQuery{Cluster: 12000001, Status: "RUNNING"}
	if ts, err := read.Tasks(context.Background(), running, nil); err != nil || len(ts) != 0 {
		t.Fatalf("before: %v %v", ts, err)
	}
	task, err := se.RestartServer(context.Background(), 12000001, embedded.DemoSampleServerID, backend.RestartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	<-carol.Events() // started
	if ev := <-carol.Events(); ev.Kind != presence.Finished || ev.TaskID != task.ID {
		t.Fatalf("news %+v", ev)
	}
	ts, err := read.Tasks(context.Background(), running, nil)
	if err != nil || len(ts) != 1 || ts[0].ID != task.ID {
		t.Fatalf("read on hearing of it: %+v %v", ts, err)
	}
}
