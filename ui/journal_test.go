package ui

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/common/commontest"
)

var journalActor = audit.Actor{User: "oncall", Host: "jump-1", Via: "obconsole console"}

func tempJournal(t *testing.T) *audit.Journal {
	t.Helper()
	j, err := audit.Open(filepath.Join(t.TempDir(), audit.FileName))
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// intents are the journal's intent lines, oldest first.
func intents(t *testing.T, j *audit.Journal) []audit.Entry {
	t.Helper()
	log, err := audit.ReadFile(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	var out []audit.Entry
	for _, r := range log.Since(time.Time{}) {
		out = append(out, r.Entry())
	}
	return out
}

// Every action from the console is journaled with the names operators use,
// as the commands journal them: the dialogs name nothing themselves, the
// console's executor does, from what the console read.
func TestConsoleJournalsNames(t *testing.T) {
	j := tempJournal(t)
	audited := driverOpts{exec: func(f *commontest.Fake) backend.Executor { return audit.Wrap(f, j, journalActor) }}
	d := newDriver(t, audited)
	d.keys("enter", "down", "enter", "r", "y", "y") // restart 198.51.100.13 in protoss/zone2
	// A fleet of its own for the zone: the first restart now runs in zone2.
	d = newDriver(t, audited)
	d.keys("enter", "down", "r") // on the zones: restart zone2, typing its name from the first key
	d.typeText("zone2")
	d.keys("enter")
	got := intents(t, j)
	if len(got) != 2 {
		t.Fatalf("%d journaled actions, want 2: %+v", len(got), got)
	}
	if s := got[0].Subject; got[0].Operation != audit.OpRestartServer ||
		s != (audit.Subject{Cluster: "protoss", Zone: "zone2", Server: "198.51.100.13:2882"}) {
		t.Errorf("server restart journaled as %s %+v", got[0].Operation, s)
	}
	if s := got[1].Subject; got[1].Operation != audit.OpRestartZone || s != (audit.Subject{Cluster: "protoss", Zone: "zone2"}) {
		t.Errorf("zone restart journaled as %s %+v", got[1].Operation, s)
	}
}

// The Task view's actions name the task's cluster, zone, server and step.
func TestTaskViewActionsJournalNames(t *testing.T) {
	j := tempJournal(t)
	clock := embedded.NewFakeClock(commontest.Epoch)
	emb, err := embedded.New(embedded.Options{Clock: clock, Seed: 1, Scenario: "fail-once:stop-server"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	d := newDriver(t, driverOpts{taskView: true, w: 120, h: 40,
		exec: func(*commontest.Fake) backend.Executor { return audit.Wrap(emb, j, journalActor) }})
	d.keys("enter", "enter") // protoss › zone1
	d.requireView("192.0.2.11:2882")
	d.keys("r", "y") // restart 192.0.2.11
	clock.RunUntilIdle()
	d.send(common.TickMsg{Now: clock.Now()})
	d.requireView("FAILED")
	d.keys("R", "y") // retry the task
	got := intents(t, j)
	if len(got) != 2 || got[1].Operation != audit.OpRetryTask {
		t.Fatalf("journal: %+v", got)
	}
	want := audit.Subject{Cluster: "protoss", Zone: "zone1", Server: "192.0.2.11:2882"}
	for _, e := range got {
		if e.Subject != want {
			t.Errorf("%s journaled as %+v, want %+v", e.Operation, e.Subject, want)
		}
	}
}

// A step action names the step too; a subject given by the caller wins.
func TestActionContextAndStepNames(t *testing.T) {
	j := tempJournal(t)
	clock := embedded.NewFakeClock(commontest.Epoch)
	emb, err := embedded.New(embedded.Options{Clock: clock, Seed: 1, Scenario: "fail-once:stop-server"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	ctx := common.NewContext(audit.Wrap(emb, j, journalActor), nil, nil, false, 0)
	bg := ctx.Lifetime
	clusters, _ := ctx.Exec.ListClusters(bg)
	servers, _ := ctx.Exec.ListServers(bg, clusters[0].ID, "")
	task, err := ctx.Exec.RestartServer(common.ActionContext(bg, common.Subject{Cluster: "named by caller"}), clusters[0].ID, servers[0].ID, backend.RestartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	clock.RunUntilIdle()
	full, err := ctx.Exec.GetTask(bg, task.ID)
	if err != nil {
		t.Fatal(err)
	}
	var failed int64
	var name string
	for _, s := range full.Subtasks {
		if s.Status == "FAILED" {
			failed, name = s.ID, s.Name
		}
	}
	if failed == 0 {
		t.Fatal("no failed step")
	}
	if _, err := ctx.Exec.RetrySubtask(bg, task.ID, failed); err != nil {
		t.Fatal(err)
	}
	got := intents(t, j)
	if len(got) != 2 {
		t.Fatalf("journal: %+v", got)
	}
	if s := got[0].Subject; s.Cluster != "named by caller" || s.Server != servers[0].Address() || s.Zone != servers[0].ZoneName {
		t.Errorf("restart journaled as %+v", s)
	}
	want := audit.Subject{Cluster: clusters[0].Name, Zone: servers[0].ZoneName, Server: servers[0].Address(), Step: name}
	if s := got[1].Subject; s != want {
		t.Errorf("step retry journaled as %+v, want %+v", s, want)
	}
	if ti, _ := ctx.Names.Task(task.ID); !ti.Started || !ti.Running() {
		t.Errorf("a retried task started here is running: %+v", ti)
	}
}
