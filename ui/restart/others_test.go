package restart

import (
	"context"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/common/commontest"
	"github.com/obconsole/obconsole/ui/presence"
)

// togetherEnv is carol's console (its context's Presence) beside alice's
// in one hub, on the fake fleet: protoss zone2 is 198.51.100.13-15.
type togetherEnv struct {
	fake      *commontest.Fake
	ctx       *common.Context
	me, alice *presence.Member
	cluster   ocp.Cluster
	zone2     []ocp.Server
}

func newTogether(t *testing.T) *togetherEnv {
	t.Helper()
	f := commontest.New()
	ctx := common.NewContext(f, nil, nil, false, 0)
	hub := presence.NewHub()
	e := &togetherEnv{fake: f, ctx: ctx, me: hub.Join(presence.Who{User: "carol"}), alice: hub.Join(presence.Who{User: "alice"})}
	ctx.Presence = e.me
	clusters, _ := f.ListClusters(context.Background())
	e.cluster = clusters[0]
	e.zone2, _ = f.ListServers(context.Background(), e.cluster.ID, "zone2")
	return e
}

// open shows m as the root does: sized, checked, shown.
func (e *togetherEnv) open(m *Model, w, h int) *Model {
	m.SetSize(w, h)
	drain(m, []tea.Cmd{m.Init()})
	_, cmd := m.Update(common.ShownMsg{})
	run(m, cmd)
	return m
}

// tick is the root's news of the others on a tick.
func tick(m *Model) { _, cmd := m.Update(common.OthersMsg{}); run(m, cmd) }

// run drains cmd, if any.
func run(m *Model, cmd tea.Cmd) {
	if cmd != nil {
		drain(m, []tea.Cmd{cmd})
	}
}

// lineOf is the index of the first view line holding s, -1 when none.
func lineOf(view, s string) int {
	for i, l := range strings.Split(ansi.Strip(view), "\n") {
		if strings.Contains(l, s) {
			return i
		}
	}
	return -1
}

// A restart dialog says where it is open, and warns above its buttons of
// another operator's dialog on the same server, or on a server of the
// same zone for a zone dialog; closing theirs clears it.
func TestDialogWarnsOfAnotherOperatorsDialog(t *testing.T) {
	e := newTogether(t)
	srv := e.zone2[0]
	m := e.open(New(e.ctx, e.cluster, srv), 80, 30)
	if p := m.Place(); p.Dialog == nil || p.Dialog.ServerID != srv.ID || p.Dialog.Server != "198.51.100.13:2882" ||
		p.Dialog.Zone != "zone2" || p.ClusterID != e.cluster.ID || p.Cluster != "protoss" {
		t.Fatalf("place %+v %+v", p, p.Dialog)
	}
	if m.Others() != "" || strings.Contains(m.View(), "dialog open") {
		t.Fatalf("alone: %q", m.Others())
	}

	e.alice.Look(presence.Place{Dialog: &presence.Dialog{ClusterID: e.cluster.ID, Zone: "zone2", ServerID: srv.ID, Server: srv.Address()}})
	tick(m)
	want := "alice has a restart dialog open on 198.51.100.13:2882"
	if m.Others() != want {
		t.Fatalf("warning %q, want %q", m.Others(), want)
	}
	v := m.View()
	if w, b := lineOf(v, "alice has a restart dialog"), lineOf(v, "[ Cancel ]"); w < 0 || w > b {
		t.Errorf("the warning (line %d) is not above the buttons (line %d):\n%s", w, b, ansi.Strip(v))
	}
	if !strings.Contains(v, m.ctx.Theme.Styles.Warning.Render("▲ alice has a restart dialog open on 198.51.100.13:2882")) {
		t.Errorf("not in the warning colour:\n%q", v)
	}

	// A zone dialog on zone2 overlaps alice's server dialog there.
	z := e.open(NewZone(e.ctx, e.cluster, ocp.Zone{Name: "zone2", ClusterID: e.cluster.ID}), 80, 30)
	if z.Others() != want || z.Place().Dialog.ServerID != 0 || z.Place().Screen != presence.ScreenZones {
		t.Errorf("zone dialog: %q %+v", z.Others(), z.Place())
	}
	// Another zone does not.
	z3 := e.open(NewZone(e.ctx, e.cluster, ocp.Zone{Name: "zone3", ClusterID: e.cluster.ID}), 80, 30)
	if z3.Others() != "" {
		t.Errorf("zone3 dialog: %q", z3.Others())
	}

	e.alice.Look(presence.Place{Screen: presence.ScreenServers, ClusterID: e.cluster.ID})
	tick(m)
	if m.Others() != "" || strings.Contains(m.View(), "alice") {
		t.Errorf("after alice closed hers: %q", m.Others())
	}

	// Small: the buttons stay, whatever the warning.
	e.alice.Look(presence.Place{Dialog: &presence.Dialog{ClusterID: e.cluster.ID, Zone: "zone2", ServerID: srv.ID}})
	for _, size := range [][2]int{{40, 9}, {40, 12}, {60, 14}} {
		m.SetSize(size[0], size[1])
		tick(m)
		if v := ansi.Strip(m.View()); !strings.Contains(v, "Cancel") || !strings.Contains(v, "Restart") {
			t.Errorf("%dx%d: the buttons went:\n%s", size[0], size[1], v)
		}
	}
}

// A request of theirs on its way there, then the task it started running
// there, are warned of; their action on the cluster makes the dialog
// check again at once, so the task shows before the next re-check.
func TestDialogWarnsOfAnotherOperatorsRestart(t *testing.T) {
	e := newTogether(t)
	srv := e.zone2[1]
	m := e.open(New(e.ctx, e.cluster, srv), 80, 30)
	act := presence.Action{Op: "restart-server", ClusterID: e.cluster.ID, Cluster: "protoss", Zone: "zone2", ServerID: srv.ID, Server: srv.Address()}
	finish := e.alice.Start(act)
	tick(m)
	if want := "alice's restart of 198.51.100.14:2882 is on its way"; m.Others() != want {
		t.Fatalf("in flight: %q, want %q", m.Others(), want)
	}
	task, err := e.fake.RestartServer(context.Background(), e.cluster.ID, srv.ID, backend.RestartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	finish(task.ID, nil)
	ev := <-e.me.Events() // started
	ev = <-e.me.Events()  // finished
	_, cmd := m.Update(common.OthersMsg{Event: &ev})
	if cmd == nil {
		t.Fatal("their restart of this cluster did not make the dialog check again")
	}
	run(m, cmd)
	want := "alice's restart of 198.51.100.14:2882 is running (task " + itoa(task.ID) + ")"
	if m.Others() != want {
		t.Fatalf("running: %q, want %q", m.Others(), want)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "A restart is refused while task "+itoa(task.ID)) {
		t.Errorf("the check did not find the task:\n%s", v)
	}
	// Another cluster's news is not a reason to check.
	other := presence.Event{Kind: presence.Finished, Action: presence.Action{Op: "restart-zone", ClusterID: 3, Cluster: "terran", Zone: "zone1"}, TaskID: 9}
	if _, cmd := m.Update(common.OthersMsg{Event: &other}); cmd != nil {
		t.Error("terran's news made a protoss dialog check again")
	}
}

// Without presence (a console of its own) the dialog reads nothing and
// warns of nothing.
func TestDialogWithoutPresence(t *testing.T) {
	m, _ := setup(t, false)
	tick(m)
	if m.Others() != "" {
		t.Errorf("warning %q", m.Others())
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
