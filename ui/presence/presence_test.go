package presence

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

var (
	alice = Who{User: "alice", Fingerprint: "SHA256:a", Remote: "192.0.2.1:5001"}
	bob   = Who{User: "bob", Fingerprint: "SHA256:b", Remote: "192.0.2.2:5002"}
	carol = Who{User: "carol", Fingerprint: "SHA256:c", Remote: "192.0.2.3:5003"}
)

func TestSummaryNamesWhoElseIsHere(t *testing.T) {
	h := NewHub()
	me := h.Join(carol)
	if got := Summary(me.Others(), " · "); got != "" {
		t.Fatalf("alone: %q", got)
	}
	a := h.Join(alice)
	b := h.Join(bob)
	a.Look(Place{Screen: ScreenTask, TaskID: 89027028, ClusterID: 1, Cluster: "protoss"})
	b.Look(Place{Screen: ScreenServers, ClusterID: 1, Cluster: "protoss"})
	if got, want := Summary(me.Others(), " · "), "2 others here · alice watching task 89027028"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	// One in a restart dialog is what matters most.
	b.Look(Place{Screen: ScreenServers, ClusterID: 1, Dialog: &Dialog{ClusterID: 1, Zone: "zone1", ServerID: 7, Server: "192.0.2.12:2882"}})
	if got, want := Summary(me.Others(), " - "), "2 others here - bob in a restart dialog for 192.0.2.12:2882"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	b.Leave()
	b.Leave() // twice is harmless
	if got, want := Summary(me.Others(), " · "), "1 other here · alice watching task 89027028"; got != want {
		t.Errorf("after bob left: %q, want %q", got, want)
	}
	if h.Count() != 2 {
		t.Errorf("count %d", h.Count())
	}
}

func TestPlaceDescribe(t *testing.T) {
	for _, c := range []struct {
		p    Place
		want string
	}{
		{Place{}, "here"},
		{Place{Screen: ScreenClusters}, "on clusters"},
		{Place{Screen: ScreenZones, ClusterID: 1, Cluster: "protoss"}, "on zones of protoss"},
		{Place{Screen: ScreenServers, ClusterID: 1}, "on servers of cluster 1"},
		{Place{Screen: ScreenServers, Cluster: "protoss", Zone: "zone2"}, "on servers of zone zone2 of protoss"},
		{Place{Screen: ScreenTasks}, "on tasks"},
		{Place{Screen: ScreenTask, TaskID: 42}, "watching task 42"},
		{Place{Dialog: &Dialog{Zone: "zone1"}}, "in a restart dialog for zone zone1"},
		{Place{Dialog: &Dialog{ServerID: 9}}, "in a restart dialog for server 9"},
		{Place{Command: "restart"}, "running obconsole restart"},
		// Names from outside cannot drive the terminal.
		{Place{Screen: ScreenZones, Cluster: "evil\x1b[2J"}, "on zones of evil^[[2J"},
	} {
		if got := c.p.Describe(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.p, got, c.want)
		}
	}
}

func TestDialogsOnSameServerOrZone(t *testing.T) {
	h := NewHub()
	me, a, b, c := h.Join(carol), h.Join(alice), h.Join(bob), h.Join(Who{User: "dave"})
	mine := Dialog{ClusterID: 1, Zone: "zone1", ServerID: 7, Server: "192.0.2.12:2882"}
	a.Look(Place{Dialog: &Dialog{ClusterID: 1, Zone: "zone1", ServerID: 7}})            // same server
	b.Look(Place{Dialog: &Dialog{ClusterID: 1, Zone: "zone1"}})                         // its zone
	c.Look(Place{Dialog: &Dialog{ClusterID: 2, Zone: "zone1", ServerID: 7}})            // another cluster
	me.Look(Place{Dialog: &mine})                                                       // my own is not a warning
	h.Join(Who{User: "erin"}).Look(Place{Dialog: &Dialog{ClusterID: 1, Zone: "zone2"}}) // another zone
	got := me.DialogsOn(mine)
	if len(got) != 2 || got[0].Who != alice || got[1].Who != bob {
		t.Fatalf("dialogs on my server: %+v", got)
	}
	if w, want := Warning(got, nil, nil), "alice has a restart dialog open on server 7; bob has a restart dialog open on zone zone1"; w != want {
		t.Errorf("warning %q, want %q", w, want)
	}
	// A zone dialog overlaps every server dialog of that zone.
	if got := me.DialogsOn(Dialog{ClusterID: 1, Zone: "zone1"}); len(got) != 2 {
		t.Errorf("dialogs on zone1: %+v", got)
	}
	// Closing the dialog clears the warning.
	a.Look(Place{Screen: ScreenServers, ClusterID: 1})
	b.Look(Place{})
	if got := me.DialogsOn(mine); len(got) != 0 {
		t.Errorf("after closing: %+v", got)
	}
}

func TestActionsAreAnnouncedAndTrackedInFlight(t *testing.T) {
	h := NewHub()
	me, a := h.Join(carol), h.Join(alice)
	me.Look(Place{Screen: ScreenServers, ClusterID: 1})
	act := Action{Op: "restart-server", ClusterID: 1, Cluster: "protoss", Zone: "zone1", ServerID: 7, Server: "192.0.2.12:2882"}
	finish := a.Start(act)

	ev := <-me.Events()
	if ev.Kind != Started || ev.From != alice || ev.String() != "alice started a restart of 192.0.2.12:2882 (protoss)" {
		t.Errorf("started event %+v %q", ev, ev.String())
	}
	if !ev.Concerns(me.Place()) || ev.Concerns(Place{ClusterID: 2}) {
		t.Error("an action on cluster 1 concerns cluster 1 only")
	}
	select {
	case ev := <-a.Events():
		t.Errorf("the sender hears its own action: %+v", ev)
	default:
	}
	inFlight := me.ActionsOn(Dialog{ClusterID: 1, Zone: "zone1", ServerID: 8})
	if len(inFlight) != 1 || inFlight[0].Peer.Who != alice {
		t.Fatalf("in flight in zone1: %+v", inFlight)
	}
	if w, want := Warning(nil, inFlight, nil), "alice's restart of 192.0.2.12:2882 is on its way"; w != want {
		t.Errorf("warning %q, want %q", w, want)
	}

	finish(4242, nil)
	finish(0, errors.New("twice")) // once only
	ev = <-me.Events()
	if ev.Kind != Finished || ev.TaskID != 4242 || ev.String() != "alice's restart of 192.0.2.12:2882 (protoss) was accepted: task 4242" {
		t.Errorf("finished event %+v %q", ev, ev.String())
	}
	if !ev.Concerns(Place{Screen: ScreenTask, TaskID: 4242}) {
		t.Error("the task it started concerns who watches it")
	}
	select {
	case ev := <-me.Events():
		t.Errorf("finish twice announced twice: %+v", ev)
	default:
	}
	if got := me.ActionsOn(Dialog{ClusterID: 1, Zone: "zone1"}); len(got) != 0 {
		t.Errorf("still in flight after it finished: %+v", got)
	}

	retry := Action{Op: "retry-task", TaskID: 4242}
	a.Start(retry)(0, errors.New("Conflict: task 4242 is running\x1b[2J"))
	<-me.Events()
	ev = <-me.Events()
	if got, want := ev.String(), "alice's retry of task 4242 failed: Conflict: task 4242 is running^[[2J"; got != want {
		t.Errorf("failed event %q, want %q", got, want)
	}
}

// The hub remembers who started a task, after the answer and after they
// left (the task runs on), so a restart dialog can say whose task runs on
// its server; a task the member itself set running last is not news.
func TestStartedTasksAreRemembered(t *testing.T) {
	h := NewHub()
	me, a := h.Join(carol), h.Join(alice)
	restart := Action{Op: "restart-zone", ClusterID: 1, Cluster: "protoss", Zone: "zone2"}
	a.Start(restart)(42, nil)
	a.Start(Action{Op: "restart-server", ClusterID: 1, ServerID: 7})(0, errors.New("Conflict")) // refused: no task
	a.Leave()
	got, ok := me.StartedBy(42)
	if !ok || got.Who != alice || got.Action != restart {
		t.Fatalf("started by %+v %v", got, ok)
	}
	if w, want := Warning(nil, nil, []PeerTask{got}), "alice's restart of zone zone2 is running (task 42)"; w != want {
		t.Errorf("warning %q, want %q", w, want)
	}
	if s, want := got.Ended("SUCCESSFUL"), "alice's restart of zone zone2 (protoss) finished: SUCCESSFUL (task 42)"; s != want {
		t.Errorf("ended %q, want %q", s, want)
	}
	if _, ok := me.StartedBy(43); ok {
		t.Error("a task nobody started here has a starter")
	}
	me.Start(Action{Op: "retry-task", TaskID: 42})(42, nil)
	if _, ok := me.StartedBy(42); ok {
		t.Error("my own retry of the task is news to me")
	}
	// Bounded: the oldest are forgotten.
	b := h.Join(bob)
	for i := range startedKept {
		b.Start(Action{Op: "retry-task", TaskID: int64(1000 + i)})(int64(1000+i), nil)
	}
	if _, ok := me.StartedBy(42); ok || len(h.started) != startedKept {
		t.Errorf("kept %d", len(h.started))
	}
}

func TestActionWords(t *testing.T) {
	for _, c := range []struct {
		a    Action
		want string
	}{
		{Action{Op: "restart-server", ClusterID: 1, Cluster: "protoss", ServerID: 7, Server: "192.0.2.12:2882", Force: true},
			"alice started a force restart of 192.0.2.12:2882 (protoss)"},
		{Action{Op: "restart-server", ClusterID: 3, ServerID: 7}, "alice started a restart of server 7 (cluster 3)"},
		{Action{Op: "restart-zone", ClusterID: 1, Cluster: "protoss", Zone: "zone1"}, "alice started a restart of zone zone1 (protoss)"},
		{Action{Op: "rollback-task", TaskID: 42, Cluster: "protoss", Server: "192.0.2.12:2882"}, "alice started a rollback of task 42 on 192.0.2.12:2882 (protoss)"},
		{Action{Op: "skip-subtask", TaskID: 42, SubtaskID: 5, Step: "Stop observer"}, "alice started a skip of step Stop observer of task 42"},
		{Action{Op: "cancel-subtask", TaskID: 42, SubtaskID: 5}, "alice started a cancel of step 5 of task 42"},
		{Action{Op: "retry-subtask", TaskID: 42, SubtaskID: 5, Zone: "zone1"}, "alice started a retry of step 5 of task 42 on zone zone1"},
		{Action{Op: "drop-\x1b[2J", Cluster: "evil\x1b]0;x\a"}, "alice started a drop-^[[2J (evil^[]0;x^G)"},
	} {
		if got := (Event{Kind: Started, From: alice, Action: c.a}).String(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.a, got, c.want)
		}
	}
	// A task's action names its cluster only: it concerns who looks at
	// that cluster by name.
	ev := Event{Kind: Started, From: alice, Action: Action{Op: "retry-task", TaskID: 42, Cluster: "protoss"}}
	if !ev.Concerns(Place{Screen: ScreenServers, ClusterID: 1, Cluster: "protoss"}) || ev.Concerns(Place{Screen: ScreenServers, ClusterID: 2, Cluster: "terran"}) {
		t.Error("a task's action concerns its cluster by name")
	}
}

// A session that never reads its events costs the others nothing: the
// publisher never waits, the queue stays bounded and keeps the newest.
func TestStalledMemberNeverBlocks(t *testing.T) {
	h := NewHub()
	stalled, a := h.Join(bob), h.Join(alice)
	const n = 10 * queueSize
	for i := range n {
		a.Start(Action{Op: "retry-task", TaskID: int64(i)})(0, nil)
	}
	if got := len(stalled.Events()); got != queueSize {
		t.Fatalf("queue holds %d, want %d", got, queueSize)
	}
	if got := stalled.Dropped(); got != 2*n-queueSize {
		t.Errorf("dropped %d, want %d", got, 2*n-queueSize)
	}
	last := Event{}
	for len(stalled.Events()) > 0 {
		last = <-stalled.Events()
	}
	if last.Kind != Finished || last.Action.TaskID != n-1 {
		t.Errorf("newest news kept: %+v", last)
	}
}

func TestConcurrentUse(t *testing.T) {
	h := NewHub()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := h.Join(Who{User: fmt.Sprint("op", i)})
			for j := range 100 {
				m.Look(Place{Screen: ScreenTask, TaskID: int64(j), Dialog: &Dialog{ClusterID: 1, Zone: "z"}})
				m.Start(Action{Op: "restart-zone", ClusterID: 1, Zone: "z"})(int64(j), nil)
				_ = Summary(m.Others(), " · ")
				_ = m.DialogsOn(Dialog{ClusterID: 1, Zone: "z"})
				_ = m.ActionsOn(Dialog{ClusterID: 1, Zone: "z"})
			}
			m.Leave()
		}()
	}
	wg.Wait()
	if h.Count() != 0 {
		t.Errorf("%d members left behind", h.Count())
	}
}
