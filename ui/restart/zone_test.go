package restart

import (
	"context"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/common/commontest"
	"github.com/obconsole/obconsole/ui/store"
)

// counting wraps an executor: it records every RestartZone call and can
// fail or hold it, and can fail the reads the dialog's check makes.
type counting struct {
	backend.Executor
	mu      sync.Mutex
	calls   []zoneCall
	err     error
	listErr error
	block   chan struct{}
}

type zoneCall struct {
	clusterID int64
	zone      string
	force     bool
	serverID  int64 // a server restart's
	freeze    bool
}

func (c *counting) RestartServer(ctx context.Context, clusterID, serverID int64, opts backend.RestartOptions) (*ocp.Task, error) {
	c.mu.Lock()
	c.calls = append(c.calls, zoneCall{clusterID: clusterID, serverID: serverID, force: opts.Force, freeze: opts.FreezeServer})
	err := c.err
	c.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return c.Executor.RestartServer(ctx, clusterID, serverID, opts)
}

func (c *counting) RestartZone(ctx context.Context, clusterID int64, zone string, opts backend.RestartOptions) (*ocp.Task, error) {
	c.mu.Lock()
	c.calls = append(c.calls, zoneCall{clusterID: clusterID, zone: zone, force: opts.Force})
	err, block := c.err, c.block
	c.mu.Unlock()
	if block != nil {
		<-block
	}
	if err != nil {
		return nil, err
	}
	return c.Executor.RestartZone(ctx, clusterID, zone, opts)
}

func (c *counting) ListZones(ctx context.Context, clusterID int64) ([]ocp.Zone, error) {
	c.mu.Lock()
	err := c.listErr
	c.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return c.Executor.ListZones(ctx, clusterID)
}

func (c *counting) set(f func(c *counting)) { c.mu.Lock(); f(c); c.mu.Unlock() }

func (c *counting) Calls() []zoneCall {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]zoneCall(nil), c.calls...)
}

// demo is the embedded demo fleet on a fake clock: terran's zone2 has an
// UNAVAILABLE server, protoss is healthy.
func demo(t *testing.T) *counting {
	t.Helper()
	emb, err := embedded.New(embedded.Options{Clock: embedded.NewFakeClock(commontest.Epoch), Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	return &counting{Executor: emb}
}

// zoneDialog opens the dialog on zone of cluster without running its
// check; opened runs it.
func zoneDialog(t *testing.T, exec backend.Executor, readOnly bool, cluster, zone string) *Model {
	t.Helper()
	ctx := common.NewContext(exec, nil, nil, readOnly, 0)
	clusters, err := exec.ListClusters(ctx.Lifetime)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range clusters {
		if c.Name != cluster {
			continue
		}
		zones, err := exec.ListZones(ctx.Lifetime, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, z := range zones {
			if z.Name == zone {
				m := NewZone(ctx, c, z)
				m.SetSize(80, 21)
				return m
			}
		}
	}
	t.Fatalf("no zone %s in %s", zone, cluster)
	return nil
}

func opened(t *testing.T, exec backend.Executor, readOnly bool, cluster, zone string) *Model {
	t.Helper()
	m := zoneDialog(t, exec, readOnly, cluster, zone)
	drain(m, []tea.Cmd{m.Init()})
	return m
}

// view is the dialog's text without its frame, whitespace folded, so
// wrapped sentences read whole.
func view(m *Model) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(ansi.Strip(m.View()), "│", " ")), " ")
}

func typeText(m *Model, s string) {
	for _, r := range s {
		m.Update(runes(string(r)))
	}
}

func TestZoneDialogNamesTheZoneAndStartsInTheField(t *testing.T) {
	exec := demo(t)
	m := opened(t, exec, false, "protoss", "zone1")
	if m.FocusName() != "input" || m.Force() {
		t.Fatalf("focus %s force %v", m.FocusName(), m.Force())
	}
	v := view(m)
	for _, want := range []string{"Restart zone zone1", "zone zone1 of protoss (PRIMARY) ✓ RUNNING", "cn-hangzhou, IDC hz-idc-a",
		"servers 2 ✓ RUNNING 192.0.2.11:2882, 192.0.2.14:2882", "root ★ 192.0.2.11:2882 holds a root service replica",
		"zones 3 of 3 serve now; after this restart 2 of 3 zones serve; the majority of 2 holds", "tasks none running on protoss",
		"[ ] force ctrl+f toggles", "Type the zone's name to confirm", "enter confirm · esc cancel · ctrl+f force · tab move"} {
		if !strings.Contains(v, want) {
			t.Errorf("dialog lacks %q:\n%s", want, ansi.Strip(m.View()))
		}
	}
	if m.Title() != "restart zone1" {
		t.Errorf("breadcrumb title %q", m.Title())
	}
	// enter on the empty field says what to type; esc cancels, sending nothing.
	if cmds := send(m, enter); len(cmds) != 0 || !strings.Contains(view(m), "Type zone1 exactly to restart") {
		t.Fatalf("enter on the empty field:\n%s", ansi.Strip(m.View()))
	}
	msgs := drain(m, send(m, esc))
	if !isPop(msgs) || len(exec.Calls()) != 0 {
		t.Fatalf("esc: msgs %v calls %v", msgs, exec.Calls())
	}
}

// The operator's first move: r, then the zone's name, then enter. Every
// key of the name is text from the first (n too), and one request goes.
func TestZoneNameTypedFromTheFirstKey(t *testing.T) {
	for _, name := range []string{"zone1", "zone2"} {
		exec := demo(t)
		m := opened(t, exec, false, "protoss", name)
		for _, r := range name {
			if cmds := send(m, runes(string(r))); len(cmds) != 0 {
				t.Fatalf("%q returned a Cmd", r)
			}
		}
		if m.typed.Value() != name {
			t.Fatalf("typed %q, want %q", m.typed.Value(), name)
		}
		msgs := drain(m, send(m, enter))
		if calls := exec.Calls(); len(calls) != 1 || calls[0].zone != name || calls[0].force || isPop(msgs) {
			t.Fatalf("%s: calls %+v", name, calls)
		}
	}
	// n, y and f are letters in the field: nothing closes, confirms or forces.
	exec := demo(t)
	m := opened(t, exec, false, "protoss", "zone1")
	msgs := drain(m, send(m, runes("n"), runes("y"), runes("f")))
	if isPop(msgs) || m.typed.Value() != "nyf" || m.Force() || len(exec.Calls()) != 0 {
		t.Fatalf("n y f in the field: pop %v typed %q force %v", isPop(msgs), m.typed.Value(), m.Force())
	}
}

func TestZoneYAloneNeverConfirms(t *testing.T) {
	exec := demo(t)
	m := opened(t, exec, false, "protoss", "zone1")
	send(m, tab) // the field → Cancel, where y is a key
	if cmds := send(m, runes("y")); len(cmds) != 0 {
		t.Fatal("y confirmed a zone restart")
	}
	if m.FocusName() != "input" || !strings.Contains(view(m), "y does not confirm here: type zone1, then press enter") {
		t.Fatalf("y should lead to the name field (focus %s):\n%s", m.FocusName(), ansi.Strip(m.View()))
	}
	// With the name typed, y on the confirm button still does nothing.
	send(m, tea.KeyMsg{Type: tea.KeyCtrlU})
	typeText(m, "zone1")
	send(m, tab, tab)
	if m.FocusName() != "confirm" {
		t.Fatalf("tab from the field: focus %s", m.FocusName())
	}
	if cmds := send(m, runes("y"), runes("y")); len(cmds) != 0 || len(exec.Calls()) != 0 {
		t.Fatalf("y on the confirm button sent: %d cmds, calls %v", len(cmds), exec.Calls())
	}
}

func TestZoneWrongNameIsRefused(t *testing.T) {
	exec := demo(t)
	m := opened(t, exec, false, "protoss", "zone1")
	for _, wrong := range []string{"", "zone", "zone2", "ZONE1", "zone11"} {
		send(m, tea.KeyMsg{Type: tea.KeyCtrlU})
		typeText(m, wrong)
		if cmds := send(m, enter); len(cmds) != 0 {
			t.Fatalf("%q confirmed", wrong)
		}
		if !strings.Contains(view(m), "Type zone1 exactly to restart") {
			t.Errorf("%q: should say what to type:\n%s", wrong, ansi.Strip(m.View()))
		}
	}
	// The confirm button with a wrong name refuses too, and goes back to the field.
	send(m, tab, tab)
	if cmds := send(m, enter); len(cmds) != 0 || m.FocusName() != "input" {
		t.Fatalf("confirm button with %q: focus %s", m.typed.Value(), m.FocusName())
	}
	if len(exec.Calls()) != 0 {
		t.Fatalf("calls %v", exec.Calls())
	}
}

func TestZoneTypedNameAndEnterSendsExactlyOne(t *testing.T) {
	exec := demo(t)
	m := opened(t, exec, false, "protoss", "zone1")
	typeText(m, "zone1") // holds an n: text here, not cancel
	cmds := send(m, enter, enter, enter)
	if len(cmds) != 1 {
		t.Fatalf("want one Cmd for three enters, got %d", len(cmds))
	}
	msgs := drain(m, cmds)
	msgs = append(msgs, drain(m, send(m, enter, runes("y"), enter))...)
	calls := exec.Calls()
	if len(calls) != 1 || calls[0].zone != "zone1" || calls[0].force || calls[0].clusterID != embedded.DemoPrimaryClusterID {
		t.Fatalf("calls = %+v", calls)
	}
	tasks, err := exec.ListTasks(context.Background(), backend.TaskFilter{})
	if err != nil || len(tasks) != 1 {
		t.Fatalf("tasks %v %v", tasks, err)
	}
	var open *common.OpenTaskMsg
	for _, msg := range msgs {
		if o, ok := msg.(common.OpenTaskMsg); ok {
			open = &o
		}
	}
	if open == nil || open.TaskID != tasks[0].ID || !open.ReplaceTop {
		t.Fatalf("success must open task %d in place of the dialog: %v", tasks[0].ID, msgs)
	}
	if m.Sent() != 1 {
		t.Errorf("Sent = %d", m.Sent())
	}
}

func TestZoneRefusedWhileAnotherZoneIsDegradedUnlessForced(t *testing.T) {
	for _, zone := range []string{"zone1", "zone3"} {
		exec := demo(t)
		m := opened(t, exec, false, "terran", zone)
		v := view(m)
		for _, want := range []string{"down zone2 (203.0.113.32:2882 UNAVAILABLE)",
			"zones 2 of 3 serve now; after this restart 1 of 3 zones serve: below the majority of 2, so terran loses its majority",
			"Refused: a normal zone restart needs every other zone fully RUNNING. Bring zone2 back first, or press ctrl+f to force it.",
			"Restart zone: refused"} {
			if !strings.Contains(v, want) {
				t.Errorf("%s: refused dialog lacks %q:\n%s", zone, want, ansi.Strip(m.View()))
			}
		}
		typeText(m, zone)
		if cmds := send(m, enter, enter); len(cmds) != 0 {
			t.Fatalf("%s: a refused zone restart was sent", zone)
		}
		if !strings.Contains(view(m), "Refused while another zone is not fully RUNNING; ctrl+f forces.") {
			t.Errorf("%s: confirming should say why not:\n%s", zone, ansi.Strip(m.View()))
		}

		// Force: says what it does, still needs the name (typed afresh).
		send(m, tab, runes("f"))
		if !m.Force() || m.FocusName() != "input" || m.typed.Value() != "" {
			t.Fatalf("f: force %v focus %s typed %q", m.Force(), m.FocusName(), m.typed.Value())
		}
		v = view(m)
		for _, want := range []string{"FORCE restart zone " + zone, "[x] force", "runs the same rolling restart but goes on even if its pre-check fails",
			"terran then relies on the zones that still serve", "after this restart 1 of 3 zones serve: below the majority of 2, so terran loses its majority"} {
			if !strings.Contains(v, want) {
				t.Errorf("%s: forced dialog lacks %q:\n%s", zone, want, ansi.Strip(m.View()))
			}
		}
		if cmds := send(m, enter); len(cmds) != 0 {
			t.Fatal("force confirmed without the name")
		}
		typeText(m, zone)
		drain(m, send(m, enter, enter))
		if calls := exec.Calls(); len(calls) != 1 || !calls[0].force || calls[0].zone != zone {
			t.Fatalf("%s: calls %+v", zone, calls)
		}
	}
}

func TestZoneOwnDegradationDoesNotRefuse(t *testing.T) {
	// terran's zone2 holds the UNAVAILABLE server; its other zones are
	// fine, so restarting it is the way to repair it.
	exec := demo(t)
	m := opened(t, exec, false, "terran", "zone2")
	v := view(m)
	if strings.Contains(v, "Refused") || !strings.Contains(v, "203.0.113.32:2882 ✗ UNAVAILABLE") {
		t.Fatalf("zone2 dialog:\n%s", ansi.Strip(m.View()))
	}
	// The UNAVAILABLE server is listed first even though it is not first.
	if i, j := strings.Index(v, "203.0.113.32"), strings.Index(v, "203.0.113.35"); i < 0 || j >= 0 && j < i {
		t.Errorf("servers not RUNNING first:\n%s", ansi.Strip(m.View()))
	}
	if !strings.Contains(v, "zones 2 of 3 serve now; after this restart 2 of 3 zones serve; the majority of 2 holds") {
		t.Errorf("zone2 is down already: restarting it costs nothing:\n%s", ansi.Strip(m.View()))
	}
	typeText(m, "zone2")
	drain(m, send(m, enter))
	if calls := exec.Calls(); len(calls) != 1 || calls[0].force {
		t.Fatalf("calls %+v", calls)
	}
}

func TestZoneRefusedUntilTheCheckAnswers(t *testing.T) {
	exec := demo(t)
	m := zoneDialog(t, exec, false, "protoss", "zone1")
	check := m.Init()
	if !strings.Contains(view(m), "checking the zones, servers and running tasks of protoss") {
		t.Fatalf("should say it is checking:\n%s", ansi.Strip(m.View()))
	}
	typeText(m, "zone1")
	if cmds := send(m, enter); len(cmds) != 0 || !strings.Contains(view(m), "Still checking") {
		t.Fatalf("confirmed before the check:\n%s", ansi.Strip(m.View()))
	}
	msgs := drain(m, []tea.Cmd{check})
	fetched := false
	for _, msg := range msgs {
		if f, ok := msg.(store.ReadMsg); ok && f.Err == nil {
			fetched = true
		}
	}
	if !fetched {
		t.Errorf("the check should report its fetch to the status bar: %v", msgs)
	}
	drain(m, send(m, enter))
	if n := len(exec.Calls()); n != 1 {
		t.Fatalf("calls after the check: %d", n)
	}
}

func TestZoneCheckFailureRefusesUntilRecheckedOrForced(t *testing.T) {
	exec := demo(t)
	m := zoneDialog(t, exec, false, "protoss", "zone1")
	exec.set(func(c *counting) {
		c.listErr = &backend.Error{Kind: backend.Unavailable, Op: "list zones", Message: "connection refused"}
	})
	drain(m, []tea.Cmd{m.Init()})
	if v := view(m); !strings.Contains(v, "could not check protoss") || !strings.Contains(v, "connection refused") ||
		!strings.Contains(v, "A normal zone restart is refused until the other zones of protoss are checked") {
		t.Fatalf("check failure not shown:\n%s", ansi.Strip(m.View()))
	}
	typeText(m, "zone1")
	if cmds := send(m, enter); len(cmds) != 0 {
		t.Fatal("sent without a check")
	}
	// An answer to an older check is ignored.
	m.Update(checkMsg{id: m.check.id + 1000})
	// ctrl+r checks again; healed, the typed name now confirms.
	exec.set(func(c *counting) { c.listErr = nil })
	_, cmd := m.Update(common.RefreshMsg{})
	drain(m, []tea.Cmd{cmd})
	if v := view(m); !strings.Contains(v, "3 of 3 serve now") {
		t.Fatalf("recheck:\n%s", ansi.Strip(m.View()))
	}
	drain(m, send(m, enter))
	if n := len(exec.Calls()); n != 1 {
		t.Fatalf("calls %d", n)
	}

	// Forced, a failed check does not stop the operator, and says so.
	exec2 := demo(t)
	m2 := zoneDialog(t, exec2, false, "protoss", "zone3")
	exec2.set(func(c *counting) {
		c.listErr = &backend.Error{Kind: backend.Unavailable, Op: "list zones", Message: "timeout"}
	})
	drain(m2, []tea.Cmd{m2.Init()})
	send(m2, ctrlF)
	if !strings.Contains(view(m2), "could not check protoss") {
		t.Errorf("forced dialog should say the check failed:\n%s", ansi.Strip(m2.View()))
	}
	typeText(m2, "zone3")
	drain(m2, send(m2, enter))
	if calls := exec2.Calls(); len(calls) != 1 || !calls[0].force {
		t.Fatalf("calls %+v", calls)
	}
}

func TestZoneReadOnlyRefuses(t *testing.T) {
	exec := demo(t)
	m := opened(t, exec, true, "protoss", "zone1")
	typeText(m, "zone1")
	msgs := drain(m, send(m, enter))
	if len(exec.Calls()) != 0 {
		t.Fatalf("read-only sent %v", exec.Calls())
	}
	var toast *common.ToastMsg
	for _, msg := range msgs {
		if tm, ok := msg.(common.ToastMsg); ok {
			toast = &tm
		}
	}
	if toast == nil || !strings.Contains(toast.Text, "read-only") || !strings.Contains(view(m), "Read-only") {
		t.Fatalf("want a read-only toast and note, got %v:\n%s", msgs, ansi.Strip(m.View()))
	}
}

func TestZoneErrorsShowInTheDialogAndAreNotResent(t *testing.T) {
	for _, tc := range []struct {
		name  string
		zone  string
		setup func(t *testing.T, c *counting) []string // more text to want
		want  []string
	}{
		{"not found", "zone9", nil, []string{"Restart failed", "NotFound", "zone9"}},
		{"unreachable", "zone1", func(t *testing.T, c *counting) []string {
			c.set(func(c *counting) {
				c.err = &backend.Error{Kind: backend.Unavailable, Op: "restart zone", Message: "connection refused", OutcomeUnknown: true}
			})
			return nil
		}, []string{"Restart failed", "connection refused", "outcome unknown"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			exec := demo(t)
			want := tc.want
			if tc.setup != nil {
				want = append(want, tc.setup(t, exec)...)
			}
			var m *Model
			if tc.zone == "zone9" {
				// A zone removed since the list was drawn.
				ctx := common.NewContext(exec, nil, nil, false, 0)
				clusters, _ := exec.ListClusters(ctx.Lifetime)
				m = NewZone(ctx, clusters[0], ocp.Zone{Name: "zone9", Status: ocp.ServerRunning})
				m.SetSize(80, 21)
				drain(m, []tea.Cmd{m.Init()})
			} else {
				m = opened(t, exec, false, "protoss", tc.zone)
			}
			typeText(m, tc.zone)
			drain(m, send(m, enter))
			v := view(m)
			for _, w := range want {
				if !strings.Contains(v, w) {
					t.Errorf("dialog lacks %q:\n%s", w, ansi.Strip(m.View()))
				}
			}
			cmds := send(m, runes("y"), tab)
			if len(cmds) != 0 || len(exec.Calls()) != 1 {
				t.Fatalf("after an error: %d cmds, calls %v", len(cmds), exec.Calls())
			}
			if !isPop(drain(m, send(m, enter))) || len(exec.Calls()) != 1 {
				t.Fatal("enter after an error closes the dialog and sends nothing")
			}
		})
	}
}

func TestZoneKeysWhileInFlightSendNothing(t *testing.T) {
	exec := demo(t)
	block := make(chan struct{})
	exec.set(func(c *counting) { c.block = block })
	m := opened(t, exec, false, "protoss", "zone1")
	typeText(m, "zone1")
	cmds := send(m, enter)
	done := make(chan tea.Msg)
	go func() { done <- cmds[0]() }()
	if extra := send(m, enter, esc, runes("n"), runes("y")); len(extra) != 0 {
		t.Fatalf("keys while sending returned %d Cmds", len(extra))
	}
	if _, cmd := m.Update(common.RefreshMsg{}); cmd != nil {
		t.Fatal("ctrl+r while sending must not check again")
	}
	if !strings.Contains(view(m), "on its way") {
		t.Errorf("esc while sending:\n%s", ansi.Strip(m.View()))
	}
	close(block)
	m.Update(<-done)
	if n := len(exec.Calls()); n != 1 {
		t.Fatalf("calls = %d", n)
	}
}

func TestZoneManyServersAreCut(t *testing.T) {
	f := commontest.NewFleet(30) // ten servers a zone
	f.SetServerStatus(16, ocp.ServerStopped)
	ctx := common.NewContext(f, nil, nil, false, 0)
	clusters, _ := f.ListClusters(ctx.Lifetime)
	m := NewZone(ctx, clusters[0], ocp.Zone{Name: "zone1", Status: ocp.ServerRunning, ServerCount: 10})
	m.SetSize(80, 21)
	if !strings.Contains(view(m), "servers 10, listing") {
		t.Errorf("before the list:\n%s", ansi.Strip(m.View()))
	}
	drain(m, []tea.Cmd{m.Init()})
	// Server id 16 is 10.0.0.15, in zone1 (15 % 3 == 0), and STOPPED: on a
	// line of its own; the nine RUNNING ones share one, addresses whole.
	if v := view(m); !strings.Contains(v, "servers 10.0.0.15:2882 ■ STOPPED 9 ✓ RUNNING 10.0.0.0:2882, 10.0.0.3:2882 +7") {
		t.Errorf("want the STOPPED server, then the RUNNING ones on one line:\n%s", ansi.Strip(m.View()))
	}
}

func TestZoneSmallSizesNeverPanicOrOverflow(t *testing.T) {
	exec := demo(t)
	for _, force := range []bool{false, true} {
		for _, zone := range []string{"zone1", "zone2"} {
			m := opened(t, exec, false, "terran", zone)
			if force {
				send(m, ctrlF)
			}
			for w := 1; w <= 120; w += 7 {
				for h := 1; h <= 40; h += 3 {
					m.SetSize(w, h)
					v := m.View()
					if lines := strings.Split(v, "\n"); len(lines) > h {
						t.Fatalf("%dx%d: %d lines", w, h, len(lines))
					}
					for _, line := range strings.Split(v, "\n") {
						if ansi.StringWidth(line) > w {
							t.Fatalf("%dx%d: line %q too wide", w, h, ansi.Strip(line))
						}
					}
				}
			}
		}
	}
}

func TestZoneManyDegradedZonesAreCut(t *testing.T) {
	f := commontest.NewFleet(60) // zone1..zone3, twenty servers each
	for _, id := range []int64{2, 3, 5, 6, 8} {
		f.SetServerStatus(id, ocp.ServerUnavailable) // zone2 and zone3
	}
	ctx := common.NewContext(f, nil, nil, false, 0)
	clusters, _ := f.ListClusters(ctx.Lifetime)
	m := NewZone(ctx, clusters[0], ocp.Zone{Name: "zone1", Status: ocp.ServerRunning})
	m.SetSize(80, 21)
	drain(m, []tea.Cmd{m.Init()})
	// Three bad servers in a zone read as one and "+2 more" (server id n
	// is 10.0.0.n-1).
	v := view(m)
	if !strings.Contains(v, "down zone2 (10.0.0.1:2882 UNAVAILABLE; +2 more), zone3 (10.0.0.2:2882 UNAVAILABLE; 10.0.0.5:2882 UNAVAILABLE)") ||
		!strings.Contains(v, "Bring zone2, zone3 back first") {
		t.Fatalf("refusal:\n%s", ansi.Strip(m.View()))
	}
	// More than two zones down: two are named, the rest counted.
	m.startCheck()
	m.Update(checkMsg{id: m.check.id, servers: append(mustServers(t, f, clusters[0].ID),
		ocp.Server{IP: "10.9.9.9", Port: 2882, ZoneName: "zone4", Status: ocp.ServerStopped},
		ocp.Server{IP: "10.9.9.8", Port: 2882, ZoneName: "zone5", Status: ocp.ServerStopped})})
	if v := view(m); !strings.Contains(v, "zone3 (10.0.0.2:2882 UNAVAILABLE; 10.0.0.5:2882 UNAVAILABLE), 2 more zones") ||
		!strings.Contains(v, "[ Restart zone: refused ]") || !strings.Contains(v, "1 of 5 serve now") {
		t.Fatalf("many degraded zones:\n%s", ansi.Strip(m.View()))
	}
}

func mustServers(t *testing.T, exec backend.Executor, clusterID int64) []ocp.Server {
	t.Helper()
	s, err := exec.ListServers(context.Background(), clusterID, "")
	if err != nil {
		t.Fatal(err)
	}
	return s
}
