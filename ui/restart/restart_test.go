package restart

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/common/commontest"
	"github.com/obconsole/obconsole/ui/store"
)

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

var (
	esc   = tea.KeyMsg{Type: tea.KeyEsc}
	enter = tea.KeyMsg{Type: tea.KeyEnter}
	tab   = tea.KeyMsg{Type: tea.KeyTab}
	ctrlF = tea.KeyMsg{Type: tea.KeyCtrlF}
	space = tea.KeyMsg{Type: tea.KeySpace}
	down  = tea.KeyMsg{Type: tea.KeyDown}
	up    = tea.KeyMsg{Type: tea.KeyUp}
)

func setup(t *testing.T, readOnly bool) (*Model, *commontest.Fake) {
	t.Helper()
	f := commontest.New()
	ctx := common.NewContext(f, nil, nil, readOnly, 0)
	clusters, _ := f.ListClusters(ctx.Lifetime)
	servers, _ := f.ListServers(ctx.Lifetime, clusters[0].ID, "zone2")
	m := New(ctx, clusters[0], servers[0])
	m.SetSize(80, 21)
	drain(m, []tea.Cmd{m.Init()})
	return m, f
}

// send feeds keys and collects the Cmds they return.
func send(m *Model, keys ...tea.KeyMsg) []tea.Cmd {
	var cmds []tea.Cmd
	for _, k := range keys {
		_, cmd := m.Update(k)
		if cmd != nil {
			cmds = append(cmds, cmd)
		}
	}
	return cmds
}

// drain runs cmds (and batches) and feeds their messages back, returning
// everything that came out.
func drain(m *Model, cmds []tea.Cmd) []tea.Msg {
	var out []tea.Msg
	for len(cmds) > 0 {
		c := cmds[0]
		cmds = cmds[1:]
		msg := c()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				if c != nil {
					cmds = append(cmds, c)
				}
			}
			continue
		}
		out = append(out, msg)
		if _, cmd := m.Update(msg); cmd != nil {
			cmds = append(cmds, cmd)
		}
	}
	return out
}

// serverOf is the server a server dialog restarts.
func serverOf(m *Model) ocp.Server { return m.subj.(*serverSubject).server }

func isPop(msgs []tea.Msg) bool {
	for _, m := range msgs {
		if _, ok := m.(common.PopMsg); ok {
			return true
		}
	}
	return false
}

func TestFocusStartsOnCancelAndForceIsOff(t *testing.T) {
	m, f := setup(t, false)
	if m.FocusName() != "cancel" || m.Force() {
		t.Fatalf("focus %s force %v", m.FocusName(), m.Force())
	}
	// enter on the initial focus cancels, sending nothing.
	msgs := drain(m, send(m, enter))
	if !isPop(msgs) || len(f.Calls()) != 0 {
		t.Fatalf("enter on Cancel: msgs %v calls %v", msgs, f.Calls())
	}
	v := view(m)
	for _, want := range []string{"protoss (PRIMARY)", "zone2", "198.51.100.13:2882", "RUNNING", "root server", "[ ] force",
		"[x] minor compaction first (freeze server)", "3 of 3 serve now; after this restart 2 of 3 zones serve; the majority of 2 holds",
		"none running on protoss", "a pre-check runs first"} {
		if !strings.Contains(v, want) {
			t.Errorf("dialog does not name %q:\n%s", want, ansi.Strip(m.View()))
		}
	}
}

func TestYSendsExactlyOneRequestEvenPressedTwice(t *testing.T) {
	m, f := setup(t, false)
	cmds := send(m, runes("y"), runes("y"), enter, runes("y"))
	if len(cmds) != 1 {
		t.Fatalf("want one Cmd for four confirmations, got %d", len(cmds))
	}
	msgs := drain(m, cmds)
	// More presses after the answer send nothing either.
	msgs = append(msgs, drain(m, send(m, runes("y"), enter))...)
	calls := f.Calls()
	if len(calls) != 1 || calls[0].Force || calls[0].ServerID != serverOf(m).ID || calls[0].ClusterID != 1 {
		t.Fatalf("calls = %+v", calls)
	}
	var open *common.OpenTaskMsg
	for _, msg := range msgs {
		if o, ok := msg.(common.OpenTaskMsg); ok {
			open = &o
		}
	}
	if open == nil || open.TaskID != 101 || !open.ReplaceTop {
		t.Fatalf("success must open the task view in place of the dialog: %v", msgs)
	}
	if m.Sent() != 1 {
		t.Errorf("Sent = %d", m.Sent())
	}
}

func TestKeysWhileInFlightSendNothing(t *testing.T) {
	m, f := setup(t, false)
	block := make(chan struct{})
	f.SetBlock(block)
	cmds := send(m, runes("y"))
	done := make(chan tea.Msg)
	go func() { done <- cmds[0]() }()
	if extra := send(m, runes("y"), enter, esc, runes("n")); len(extra) != 0 {
		t.Fatalf("keys while sending returned Cmds: %d", len(extra))
	}
	if !strings.Contains(ansi.Strip(m.View()), "on its way") {
		t.Errorf("esc while sending should say the request is on its way:\n%s", ansi.Strip(m.View()))
	}
	close(block)
	m.Update(<-done)
	if n := len(f.Calls()); n != 1 {
		t.Fatalf("calls = %d", n)
	}
}

func TestForceNeedsTheTypedIP(t *testing.T) {
	m, f := setup(t, false)
	ip := serverOf(m).IP
	send(m, runes("f"))
	if !m.Force() || m.FocusName() != "input" {
		t.Fatalf("f: force %v focus %s", m.Force(), m.FocusName())
	}
	v := view(m)
	for _, want := range []string{"[x] force", "ends the observer process directly", "even if the pre-check fails", "service on this server is interrupted", "Type the server's IP"} {
		if !strings.Contains(v, want) {
			t.Errorf("force dialog lacks %q:\n%s", want, ansi.Strip(m.View()))
		}
	}
	// y and enter without the IP send nothing: in the field y is no
	// command, and says so.
	if cmds := send(m, runes("y")); len(cmds) != 0 || !strings.Contains(view(m), `"y" is not in an IP; esc cancels.`) {
		t.Fatalf("y in the IP field:\n%s", ansi.Strip(m.View()))
	}
	if cmds := send(m, enter); len(cmds) != 0 {
		t.Fatalf("force confirmed without the IP")
	}
	if !strings.Contains(ansi.Strip(m.View()), "Type "+ip+" exactly") {
		t.Errorf("should say what to type:\n%s", ansi.Strip(m.View()))
	}
	// A wrong IP is refused too.
	send(m, runes("10.0.0.1"))
	if cmds := send(m, enter); len(cmds) != 0 {
		t.Fatal("force confirmed with a wrong IP")
	}
	// Letters that cannot be in an IP are ignored; backspace edits.
	send(m, tea.KeyMsg{Type: tea.KeyCtrlU}, runes(ip+"zz9"), tea.KeyMsg{Type: tea.KeyBackspace})
	cmds := send(m, enter, enter)
	if len(cmds) != 1 {
		t.Fatalf("typed IP + enter twice: %d Cmds", len(cmds))
	}
	drain(m, cmds)
	calls := f.Calls()
	if len(calls) != 1 || !calls[0].Force {
		t.Fatalf("calls = %+v", calls)
	}
}

func TestForceToggleOffReturnsToNormal(t *testing.T) {
	m, f := setup(t, false)
	// f on the buttons toggles force; in the IP field f is a hex digit,
	// and only ctrl+f toggles.
	send(m, runes("f"), runes("1f"))
	if !m.Force() || m.typed.Value() != "1f" {
		t.Fatalf("f in the IP field: force %v typed %q", m.Force(), m.typed.Value())
	}
	send(m, ctrlF)
	if m.Force() || m.FocusName() != "cancel" || m.typed.Value() != "" {
		t.Fatalf("ctrl+f in the field: force %v focus %s typed %q", m.Force(), m.FocusName(), m.typed.Value())
	}
	send(m, runes("f"), tab, tab, runes("f"))
	if m.Force() || m.FocusName() != "cancel" || m.typed.Value() != "" {
		t.Fatalf("force %v focus %s typed %q", m.Force(), m.FocusName(), m.typed.Value())
	}
	drain(m, send(m, runes("y")))
	if calls := f.Calls(); len(calls) != 1 || calls[0].Force {
		t.Fatalf("calls %+v", calls)
	}
}

func TestEscAndNCancel(t *testing.T) {
	for _, k := range []tea.KeyMsg{esc, runes("n")} {
		for _, force := range []bool{false, true} {
			m, f := setup(t, false)
			if force {
				send(m, runes("f"), runes("198"), tab) // the field, then Cancel
			}
			msgs := drain(m, send(m, k))
			if !isPop(msgs) || len(f.Calls()) != 0 {
				t.Errorf("%q (force %v): msgs %v, calls %v", k, force, msgs, f.Calls())
			}
		}
	}
}

// In the IP field n is a letter, never cancel; esc always cancels.
func TestNInTheIPFieldDoesNotCancel(t *testing.T) {
	m, f := setup(t, false)
	send(m, runes("f"), runes("198"))
	if msgs := drain(m, send(m, runes("n"))); isPop(msgs) || m.typed.Value() != "198" {
		t.Fatalf("n in the field: msgs %v typed %q", msgs, m.typed.Value())
	}
	if !strings.Contains(view(m), `"n" is not in an IP; esc cancels.`) {
		t.Errorf("n should say what it is not:\n%s", ansi.Strip(m.View()))
	}
	if msgs := drain(m, send(m, esc)); !isPop(msgs) || len(f.Calls()) != 0 {
		t.Fatalf("esc in the field: msgs %v calls %v", msgs, f.Calls())
	}
}

func TestReadOnlyRefuses(t *testing.T) {
	m, f := setup(t, true)
	msgs := drain(m, send(m, runes("y")))
	if len(f.Calls()) != 0 {
		t.Fatalf("read-only sent %v", f.Calls())
	}
	var toast *common.ToastMsg
	for _, msg := range msgs {
		if tm, ok := msg.(common.ToastMsg); ok {
			toast = &tm
		}
	}
	if toast == nil || !strings.Contains(toast.Text, "read-only") {
		t.Fatalf("want a read-only toast, got %v", msgs)
	}
	if !strings.Contains(ansi.Strip(m.View()), "Read-only") {
		t.Errorf("dialog should say read-only:\n%s", ansi.Strip(m.View()))
	}
}

func TestErrorsShowInTheDialogAndAreNotResent(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&backend.Error{Kind: backend.Conflict, Op: "restart server 1005", Message: "task 42 (Restart observer) is running on this server"}, "task 42"},
		{&backend.Error{Kind: backend.NotFound, Op: "restart server 1005", Message: "server 1005 not found"}, "NotFound"},
		{&backend.Error{Kind: backend.Unavailable, Op: "restart server 1005", Message: "connection refused", OutcomeUnknown: true}, "outcome unknown"},
	} {
		m, f := setup(t, false)
		f.SetRestartErr(tc.err)
		drain(m, send(m, runes("y")))
		view := ansi.Strip(m.View())
		if !strings.Contains(view, "Restart failed") || !strings.Contains(strings.Join(strings.Fields(view), " "), tc.want) {
			t.Errorf("%v: dialog should show the error:\n%s", tc.err, view)
		}
		if cmds := send(m, runes("y"), enter); len(f.Calls()) != 1 || len(cmds) != 1 {
			// enter closes (one Pop Cmd), y only explains.
			t.Errorf("after an error: calls %d, cmds %d", len(f.Calls()), len(cmds))
		}
	}
}

func TestResultForAnotherDialogIsIgnored(t *testing.T) {
	m, _ := setup(t, false)
	_, cmd := m.Update(store.ActionMsg{Action: store.Action{Kind: store.RestartServer}, Started: 5})
	if cmd != nil || m.state != editing {
		t.Fatal("a result when the dialog sent nothing must be ignored")
	}
}

func TestSmallSizesNeverPanicOrOverflow(t *testing.T) {
	m, _ := setup(t, false)
	for _, force := range []bool{false, true} {
		if force {
			send(m, runes("f"))
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
