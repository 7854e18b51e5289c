package ui

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/common/commontest"
	"github.com/obconsole/obconsole/ui/keys"
	"github.com/obconsole/obconsole/ui/presence"
)

var (
	whoAlice = presence.Who{User: "alice", Fingerprint: "SHA256:a", Remote: "192.0.2.1:5001"}
	whoCarol = presence.Who{User: "carol", Fingerprint: "SHA256:c", Remote: "192.0.2.3:5003"}
)

// statusLine is the view's last line.
func (d *driver) statusLine() string {
	lines := strings.Split(d.view(), "\n")
	return lines[len(lines)-1]
}

// The status bar names who else is connected and what they look at,
// refreshed on the tick; when narrow it goes before the target is cut;
// alone, nothing. What the operator looks at reaches presence as the
// shown screen changes.
func TestStatusBarSaysWhoElseIsHere(t *testing.T) {
	hub := presence.NewHub()
	me := hub.Join(whoCarol)
	d := newDriver(t, driverOpts{w: 120, h: 30, presence: me, taskView: true})
	if s := d.statusLine(); strings.Contains(s, "other") {
		t.Fatalf("alone: %q", s)
	}
	if got := me.Place(); got.Screen != presence.ScreenClusters {
		t.Errorf("at start: %+v", got)
	}

	alice := hub.Join(whoAlice)
	alice.Look(presence.Place{Screen: presence.ScreenTask, TaskID: 89027028, ClusterID: 1, Cluster: "protoss"})
	if s := d.statusLine(); strings.Contains(s, "other") {
		t.Fatalf("before the tick: %q", s)
	}
	d.tick()
	if s, want := d.statusLine(), "test fleet · 1 other here · alice watching task 89027028"; !strings.Contains(s, want) {
		t.Fatalf("status bar %q lacks %q", s, want)
	}
	for _, w := range []int{120, 80, 60, 50, 40} {
		d.send(resize(w, 30))
		s := d.statusLine()
		if ansi.StringWidth(s) > w {
			t.Errorf("width %d: status bar %d wide: %q", w, ansi.StringWidth(s), s)
		}
		if !strings.Contains(s, "test fleet") {
			t.Errorf("width %d: the target was cut before the others: %q", w, s)
		}
		if strings.Contains(s, "alice") && !strings.Contains(s, "1 other here · alice") {
			t.Errorf("width %d: %q", w, s)
		}
	}
	d.send(resize(120, 30))
	if s := d.statusLine(); !strings.Contains(s, "live") {
		t.Fatalf("no age at 120: %q", s)
	}
	// The age gives way first: where it first goes, the others are whole.
	for w := 120; w >= 40; w-- {
		d.send(resize(w, 30))
		if s := d.statusLine(); !strings.Contains(s, "live") {
			if !strings.Contains(s, "1 other here · alice watching task 89027028") {
				t.Errorf("width %d: the age went and the others are cut: %q", w, s)
			}
			break
		}
	}
	d.send(resize(80, 30))
	if s := d.statusLine(); !strings.Contains(s, "1 other here") || !strings.Contains(s, "connected") {
		t.Errorf("at 80: %q", s)
	}
	d.send(resize(120, 30))

	// Where the operator goes, presence follows.
	d.keys("enter") // protoss's zones
	if got := me.Place(); got.Screen != presence.ScreenZones || got.ClusterID != 1 || got.Cluster != "protoss" {
		t.Errorf("on zones: %+v", got)
	}
	d.keys("enter", "r") // zone1's servers, the restart dialog of the first
	got := me.Place()
	if got.Dialog == nil || got.Dialog.ClusterID != 1 || got.Dialog.Server != "198.51.100.11:2882" || got.Dialog.Zone != "zone1" {
		t.Fatalf("in the dialog: %+v %+v", got, got.Dialog)
	}
	d.keys("esc", "?") // help over the servers: still the servers
	if got := me.Place(); got.Screen != presence.ScreenServers || got.Zone != "zone1" || got.Dialog != nil {
		t.Errorf("help over servers: %+v", got)
	}

	alice.Leave()
	d.tick()
	if s := d.statusLine(); strings.Contains(s, "other") {
		t.Errorf("alone again: %q", s)
	}
}

// ASCII: the bullet is ASCII too.
func TestStatusBarOthersASCII(t *testing.T) {
	hub := presence.NewHub()
	me := hub.Join(whoCarol)
	d := newDriver(t, driverOpts{w: 100, h: 24, ascii: true, presence: me})
	hub.Join(whoAlice).Look(presence.Place{Screen: presence.ScreenClusters})
	d.tick()
	if s := d.statusLine(); !strings.Contains(s, "test fleet | 1 other here | alice on clusters") {
		t.Errorf("status bar %q", s)
	}
}

// othersEnv runs the root on the simulator (fake clock) as carol, with
// alice beside her in the hub.
type othersEnv struct {
	*watchEnv
	me, alice *presence.Member
}

func newOthersEnv(t *testing.T) *othersEnv {
	t.Helper()
	clock := embedded.NewFakeClock(commontest.Epoch)
	emb, err := embedded.New(embedded.Options{Clock: clock, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	hub := presence.NewHub()
	e := &othersEnv{watchEnv: &watchEnv{driver: &driver{t: t}, clock: clock, emb: emb, exec: &getCounter{Executor: emb}},
		me: hub.Join(whoCarol), alice: hub.Join(whoAlice)}
	th := theme.New(theme.Options{Mode: theme.Dark})
	ctx := common.NewContext(e.exec, th, keys.New(false), false, time.Second)
	e.m = New(ctx, Options{
		Schedule: func(time.Duration, func() tea.Msg) tea.Cmd { return nil },
		TaskView: func(ctx *common.Context, id int64) common.Screen { return newStubTaskView(ctx, id) },
		Bell:     func() { e.bells++ },
		Presence: e.me,
	})
	e.send(resize(120, 30))
	e.run(e.m.Init())
	return e
}

// deliver hands carol's console the news waiting for her, as obconsole
// ssh does.
func (e *othersEnv) deliver() {
	for len(e.me.Events()) > 0 {
		e.send(<-e.me.Events())
	}
}

// Another operator's restart on the cluster shown is a toast when sent,
// when answered and when its task ends (no bell: carol did not start
// it); on another cluster it is none of carol's business. Her own
// actions are never news to her.
func TestOthersActionsAreToasts(t *testing.T) {
	e := newOthersEnv(t)
	e.keys("enter") // protoss's zones
	restart := presence.Action{Op: "restart-server", ClusterID: 12000001, Cluster: "protoss", Zone: "zone1",
		ServerID: 13000001, Server: "192.0.2.11:2882"}
	finish := e.alice.Start(restart)
	e.deliver()
	e.requireView("alice started a restart of 192.0.2.11:2882 (protoss)")
	task, err := e.emb.RestartServer(context.Background(), 12000001, 13000001, backend.RestartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e.task = task
	finish(task.ID, nil)
	e.deliver()
	e.requireView("alice's restart of 192.0.2.11:2882 (protoss) was accepted: task ")

	// On terran: not for carol.
	e.alice.Start(presence.Action{Op: "restart-zone", ClusterID: 12000003, Cluster: "terran", Zone: "zone1"})(0, nil)
	before := len(e.toasts())
	e.deliver()
	if len(e.toasts()) != before {
		t.Errorf("news of another cluster: %+v", e.toasts()[before:])
	}

	// Alice's task is watched to its end, however soon it comes.
	e.finish()
	e.tick()
	toasts := e.finishedToasts()
	if len(toasts) != 1 || toasts[0].Text != "alice's restart of 192.0.2.11:2882 (protoss) finished: SUCCESSFUL (task "+strconv.FormatInt(task.ID, 10)+")" {
		t.Fatalf("want one toast of alice's task's end: %+v", toasts)
	}
	if e.bells != 0 {
		t.Errorf("the bell rang %d times for alice's task", e.bells)
	}

	// Carol's own action is not news to her.
	e.me.Start(restart)(0, nil)
	if n := len(e.me.Events()); n != 0 {
		t.Errorf("%d events of her own action", n)
	}
}
