package restart

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/common/commontest"
)

// serverDialog opens the dialog on the server at addr of cluster, its
// check answered.
func serverDialog(t *testing.T, exec backend.Executor, th *theme.Theme, cluster, addr string) *Model {
	t.Helper()
	ctx := common.NewContext(exec, th, nil, false, 0)
	clusters, err := exec.ListClusters(ctx.Lifetime)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range clusters {
		if c.Name != cluster {
			continue
		}
		for _, s := range mustServers(t, exec, c.ID) {
			if s.Address() == addr {
				m := New(ctx, c, s)
				m.SetSize(80, 21)
				drain(m, []tea.Cmd{m.Init()})
				return m
			}
		}
	}
	t.Fatalf("no server %s in %s", addr, cluster)
	return nil
}

func openMsg(msgs []tea.Msg) *common.OpenTaskMsg {
	for _, msg := range msgs {
		if o, ok := msg.(common.OpenTaskMsg); ok {
			return &o
		}
	}
	return nil
}

func TestFreezeServerIsOnByDefaultAndSpaceToggles(t *testing.T) {
	for _, tc := range []struct {
		name   string
		keys   []tea.KeyMsg
		freeze bool
		force  bool
	}{
		{"default", []tea.KeyMsg{runes("y")}, true, false},
		{"space turns it off", []tea.KeyMsg{space, runes("y")}, false, false},
		{"space twice", []tea.KeyMsg{space, space, runes("y")}, true, false},
		// In the IP field space is never text: it toggles, and the IP
		// typed around it stays whole.
		{"forced, space in the field", []tea.KeyMsg{runes("f"), runes("192.0"), space, runes(".2.14"), enter}, false, true},
		{"forced, freeze kept", []tea.KeyMsg{runes("f"), runes("192.0.2.14"), enter}, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			exec := demo(t)
			m := serverDialog(t, exec, nil, "protoss", "192.0.2.14:2882")
			if !m.Freeze() || !strings.Contains(view(m), "[x] minor compaction first (freeze server) space toggles") ||
				!strings.Contains(view(m), "a minor compaction before the observer stops: stopping takes longer, recovery is much faster") {
				t.Fatalf("freeze should be offered, on:\n%s", ansi.Strip(m.View()))
			}
			drain(m, send(m, tc.keys...))
			calls := exec.Calls()
			if len(calls) != 1 || calls[0].freeze != tc.freeze || calls[0].force != tc.force || calls[0].serverID != 13000004 {
				t.Fatalf("calls %+v, want freeze %v force %v", calls, tc.freeze, tc.force)
			}
		})
	}
}

// A force restart of a terran zone3 server while zone2 has an
// UNAVAILABLE server: the dialog says the cluster loses its majority, in
// the error colour, and still wants the IP typed.
func TestForceShowsTheMajorityLostInTheErrorColour(t *testing.T) {
	old := lipgloss.ColorProfile()
	lipgloss.SetColorProfile(termenv.TrueColor)
	t.Cleanup(func() { lipgloss.SetColorProfile(old) })
	th := theme.New(theme.Options{Mode: theme.Dark})
	colour := func(style lipgloss.Style) string { return strings.Split(style.Render("X"), "X")[0] }
	if colour(th.Styles.Error) == "" || colour(th.Styles.Error) == colour(th.Styles.OK) {
		t.Fatal("the theme should colour errors")
	}

	exec := demo(t)
	m := serverDialog(t, exec, th, "terran", "203.0.113.33:2882")
	send(m, runes("f"))
	if !m.Force() || m.FocusName() != "input" {
		t.Fatalf("force %v focus %s", m.Force(), m.FocusName())
	}
	raw := m.View()
	if !strings.Contains(raw, colour(th.Styles.Error)+"2 of 3 serve now; after this restart 1 of 3 zones") {
		t.Errorf("the verdict should be in the error colour:\n%q", raw)
	}
	v := view(m)
	for _, want := range []string{"FORCE restart OBServer 203.0.113.33:2882",
		"zones 2 of 3 serve now; after this restart 1 of 3 zones serve: below the majority of 2, so terran loses its majority",
		"down zone2 (203.0.113.32:2882 UNAVAILABLE)", "role ★ root server (holds a root service replica)", "tasks none running on terran",
		"Type the server's IP to confirm"} {
		if !strings.Contains(v, want) {
			t.Errorf("force dialog lacks %q:\n%s", want, ansi.Strip(raw))
		}
	}
	if cmds := send(m, enter); len(cmds) != 0 {
		t.Fatal("force confirmed without the IP")
	}
	typeText(m, "203.0.113.33")
	drain(m, send(m, enter))
	if calls := exec.Calls(); len(calls) != 1 || !calls[0].force {
		t.Fatalf("calls %+v", calls)
	}

	// On healthy protoss the same line is in the ok colour.
	m = serverDialog(t, demo(t), th, "protoss", "192.0.2.14:2882")
	if raw := m.View(); !strings.Contains(raw, colour(th.Styles.OK)+"3 of 3 serve now; after this restart 2 of 3 zones") {
		t.Errorf("a healthy verdict should be in the ok colour:\n%q", raw)
	}
}

// A normal restart the pre-check would refuse is refused up front, with
// the same arithmetic the simulator's pre-check logs; force goes on.
func TestNormalServerRestartRefusedWhereThePrecheckRefuses(t *testing.T) {
	for _, tc := range []struct {
		addr string
		want string
	}{
		{"203.0.113.33:2882", "Refused: with another zone down, the pre-check refuses a normal restart that costs the majority; f forces."},
		{"203.0.113.32:2882", "Refused: 203.0.113.32:2882 is UNAVAILABLE, and the pre-check refuses a normal restart of a server that is not RUNNING; f forces."},
	} {
		exec := demo(t)
		m := serverDialog(t, exec, nil, "terran", tc.addr)
		if v := view(m); !strings.Contains(v, tc.want) || !strings.Contains(v, "[ Restart: refused ]") {
			t.Errorf("%s: want %q:\n%s", tc.addr, tc.want, ansi.Strip(m.View()))
		}
		if cmds := send(m, runes("y")); len(cmds) != 0 || len(exec.Calls()) != 0 {
			t.Fatalf("%s: a refused restart was sent", tc.addr)
		}
		if !strings.Contains(view(m), "f forces.") || !strings.Contains(view(m), "after this restart") {
			t.Errorf("%s: y should say why not:\n%s", tc.addr, ansi.Strip(m.View()))
		}
	}
}

// A force restart is not confirmed before the check answers; an OCP that
// never answers is reported after checkTimeout, and the operator then
// decides without it. A normal restart may go at once: OCP's pre-check
// applies the same rules.
func TestCheckTimesOut(t *testing.T) {
	old := checkTimeout
	checkTimeout = time.Millisecond
	t.Cleanup(func() { checkTimeout = old })
	exec := &silent{Fake: commontest.New()}
	ctx := common.NewContext(exec, nil, nil, false, 0)
	clusters, _ := exec.ListClusters(ctx.Lifetime)
	servers, _ := exec.ListServers(ctx.Lifetime, clusters[0].ID, "zone1")
	m := New(ctx, clusters[0], servers[0])
	m.SetSize(80, 21)
	check := m.Init()
	send(m, runes("f"))
	typeText(m, servers[0].IP)
	if cmds := send(m, enter); len(cmds) != 0 || !strings.Contains(view(m), "Still checking protoss") {
		t.Fatalf("force confirmed before the check:\n%s", ansi.Strip(m.View()))
	}
	drain(m, []tea.Cmd{check})
	if v := view(m); !strings.Contains(v, "could not check protoss") || !strings.Contains(v, "no answer within 1ms") {
		t.Fatalf("timeout not said:\n%s", ansi.Strip(m.View()))
	}
	drain(m, send(m, enter))
	if calls := exec.Calls(); len(calls) != 1 || !calls[0].Force {
		t.Fatalf("calls %+v", calls)
	}

	// A normal restart, y at once: sent while the check is on its way.
	m = New(ctx, clusters[0], servers[1])
	m.SetSize(80, 21)
	m.Init()
	drain(m, send(m, runes("y")))
	if calls := exec.Calls(); len(calls) != 2 || calls[1].Force {
		t.Fatalf("calls %+v", calls)
	}
}

// silent is an OCP whose zone list never answers.
type silent struct{ *commontest.Fake }

func (s *silent) ListZones(ctx context.Context, _ int64) ([]ocp.Zone, error) {
	<-ctx.Done()
	return nil, &backend.Error{Kind: backend.Canceled, Op: "list zones", Err: ctx.Err()}
}

// A refresh tick re-checks once the check is older than recheckAfter, and
// not before; the dialog keeps the last answer meanwhile.
func TestRecheckOnTicks(t *testing.T) {
	m, f := setup(t, false)
	at := m.check.at
	if _, cmd := m.Update(common.TickMsg{Now: at.Add(recheckAfter - time.Second)}); cmd != nil {
		t.Fatal("re-checked too soon")
	}
	_, cmd := m.Update(common.TickMsg{Now: at.Add(recheckAfter)})
	if cmd == nil || m.check.state != checked {
		t.Fatalf("no re-check, or the last answer dropped: %v", m.check.state)
	}
	f.SetServerStatus(1001, ocp.ServerStopped) // 198.51.100.11, zone1 of protoss
	drain(m, []tea.Cmd{cmd})
	if v := view(m); !strings.Contains(v, "2 of 3 serve now") || !strings.Contains(v, "down zone1 (198.51.100.11:2882 STOPPED)") {
		t.Fatalf("re-check not shown:\n%s", ansi.Strip(m.View()))
	}
}

// A task already running on the server: the dialog names it, offers to
// open it, and sends nothing.
func TestRunningTaskOnTheServerIsOfferedInstead(t *testing.T) {
	exec := demo(t)
	task, err := exec.Executor.RestartServer(context.Background(), embedded.DemoPrimaryClusterID, 13000004, backend.RestartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := serverDialog(t, exec, nil, "protoss", "192.0.2.14:2882")
	v := view(m)
	for _, want := range []string{"is running on this server: OCP refuses a restart until it ends",
		"A restart is refused while task " + taskName(task) + " runs on this server: o opens it in the Task view.",
		"[ Open task", "[ Close ]"} {
		if !strings.Contains(v, want) {
			t.Errorf("dialog lacks %q:\n%s", want, ansi.Strip(m.View()))
		}
	}
	if m.FocusName() != "open" {
		t.Errorf("the task's button should take focus: %s", m.FocusName())
	}
	if cmds := send(m, runes("y"), runes("f"), ctrlF); len(cmds) != 0 || m.Force() {
		t.Fatalf("y/f with a task running: %d cmds, force %v", len(cmds), m.Force())
	}
	msgs := drain(m, send(m, runes("o")))
	if o := openMsg(msgs); o == nil || o.TaskID != task.ID || !o.ReplaceTop {
		t.Fatalf("o should open task %d: %v", task.ID, msgs)
	}
	if len(exec.Calls()) != 0 {
		t.Fatalf("calls %+v", exec.Calls())
	}
}

// A Conflict (the task started after the dialog checked) names the
// running task and opens it with o, or with enter on its button.
func TestConflictOffersTheRunningTask(t *testing.T) {
	for _, zone := range []bool{false, true} {
		exec := demo(t)
		var m *Model
		if zone {
			m = opened(t, exec, false, "protoss", "zone1")
		} else {
			m = serverDialog(t, exec, nil, "protoss", "192.0.2.14:2882")
		}
		task, err := exec.Executor.RestartServer(context.Background(), embedded.DemoPrimaryClusterID, 13000004, backend.RestartOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if zone {
			typeText(m, "zone1")
			drain(m, send(m, enter))
		} else {
			drain(m, send(m, runes("y")))
		}
		here := "this server"
		if zone {
			here = "zone zone1"
		}
		v := view(m)
		for _, want := range []string{"Restart failed", "Conflict",
			"Task " + taskName(task) + " is running on " + here + ": o opens it in the Task view.", "[ Open task", "o open task"} {
			if !strings.Contains(v, want) {
				t.Errorf("zone %v: dialog lacks %q:\n%s", zone, want, ansi.Strip(m.View()))
			}
		}
		if m.FocusName() != "open" {
			t.Errorf("focus %s", m.FocusName())
		}
		msgs := drain(m, send(m, enter))
		if o := openMsg(msgs); o == nil || o.TaskID != task.ID || !o.ReplaceTop {
			t.Fatalf("zone %v: enter on Open should open task %d: %v", zone, task.ID, msgs)
		}
		if msgs := drain(m, send(m, tab, enter)); !isPop(msgs) {
			t.Fatalf("tab, enter should close: %v", msgs)
		}
		if o := openMsg(drain(m, send(m, runes("o")))); o == nil || o.TaskID != task.ID {
			t.Fatal("o should open the task")
		}
		if n := len(exec.Calls()); n != 1 {
			t.Fatalf("calls %d", n)
		}
	}
}

// At any size from 40×12 up (the dialog's area is three lines shorter)
// the field, the buttons and the hint show; the verdict comes first when
// the rest is compressed, and the arrows scroll to everything else.
func TestControlsAlwaysShowAndTheRestScrolls(t *testing.T) {
	for _, tc := range []struct {
		name  string
		open  func(t *testing.T) *Model
		field bool
	}{
		{"server", func(t *testing.T) *Model { return serverDialog(t, demo(t), nil, "terran", "203.0.113.36:2882") }, false},
		{"server forced", func(t *testing.T) *Model {
			m := serverDialog(t, demo(t), nil, "terran", "203.0.113.36:2882")
			send(m, runes("f"))
			return m
		}, true},
		{"zone", func(t *testing.T) *Model { return opened(t, demo(t), false, "terran", "zone3") }, true},
		{"zone forced", func(t *testing.T) *Model {
			m := opened(t, demo(t), false, "terran", "zone3")
			send(m, ctrlF)
			return m
		}, true},
	} {
		for _, size := range [][2]int{{40, 9}, {50, 11}, {80, 21}, {120, 37}} {
			m := tc.open(t)
			m.SetSize(size[0], size[1])
			v := view(m)
			wants := []string{"[ Cancel ]", "esc cancel", "after this restart 1 of 3 zones serve"}
			if tc.field {
				wants = append(wants, "enter confirm")
			}
			for _, want := range wants {
				if !strings.Contains(v, want) {
					t.Errorf("%s at %dx%d lacks %q:\n%s", tc.name, size[0], size[1], want, ansi.Strip(m.View()))
				}
			}
			if tc.field && !strings.Contains(v, "IP:") && !strings.Contains(v, "to confirm:") && !strings.Contains(v, "name:") {
				t.Errorf("%s at %dx%d: no field:\n%s", tc.name, size[0], size[1], ansi.Strip(m.View()))
			}
			if lines := strings.Count(m.View(), "\n") + 1; lines > size[1] {
				t.Errorf("%s at %dx%d: %d lines", tc.name, size[0], size[1], lines)
			}
			if size[0] > 40 {
				continue
			}
			// Scrolled to the end, the explanation shows and the top
			// says what is above; back up, the verdict again.
			if !m.bodyScrolls() || strings.Contains(v, "relies on") || strings.Contains(v, "pre-check") {
				t.Fatalf("%s at 40x9 should be compressed:\n%s", tc.name, ansi.Strip(m.View()))
			}
			for range 30 {
				send(m, down)
			}
			v = view(m)
			if !strings.Contains(v, "more above") || !strings.Contains(v, "[ Cancel ]") {
				t.Errorf("%s scrolled:\n%s", tc.name, ansi.Strip(m.View()))
			}
			for range 30 {
				send(m, up)
			}
			if v = view(m); !strings.Contains(v, "after this restart 1 of 3 zones serve") || !strings.Contains(v, "more lines") {
				t.Errorf("%s back at the top:\n%s", tc.name, ansi.Strip(m.View()))
			}
		}
	}
}
