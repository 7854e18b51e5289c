package zones

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/common/commontest"
	"github.com/obconsole/obconsole/ui/restart"
)

func setup(t *testing.T, readOnly bool) (*Model, *commontest.Fake) {
	t.Helper()
	f := commontest.New()
	ctx := common.NewContext(f, nil, nil, readOnly, 0)
	clusters, _ := f.ListClusters(ctx.Lifetime)
	m := New(ctx, clusters[2]) // terran
	m.SetSize(80, 21)
	zones, err := f.ListZones(ctx.Lifetime, clusters[2].ID)
	if err != nil {
		t.Fatal(err)
	}
	m.SetZones(zones)
	return m, f
}

var (
	r    = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("r")}
	down = tea.KeyMsg{Type: tea.KeyDown}
)

func TestROpensTheZoneRestartDialog(t *testing.T) {
	m, f := setup(t, false)
	m.Update(down)
	_, cmd := m.Update(r)
	if cmd == nil {
		t.Fatal("r on a zone did nothing")
	}
	push, ok := cmd().(common.PushMsg)
	if !ok {
		t.Fatalf("r should push the dialog, got %T", cmd())
	}
	d, ok := push.Screen.(*restart.Model)
	if !ok || d.Title() != "restart zone2" || !d.Modal() || d.Force() || d.FocusName() != "input" {
		t.Fatalf("pushed %T %q", push.Screen, push.Screen.Title())
	}
	if len(f.Calls()) != 0 {
		t.Fatalf("opening the dialog sent %v", f.Calls())
	}
	var help []string
	for _, b := range m.ShortHelp() {
		help = append(help, b.Help().Key+" "+b.Help().Desc)
	}
	if !strings.Contains(strings.Join(help, ","), "r restart zone") {
		t.Errorf("footer keys %v lack r restart zone", help)
	}
}

func TestROnAnEmptyListDoesNothing(t *testing.T) {
	f := commontest.New()
	ctx := common.NewContext(f, nil, nil, false, 0)
	clusters, _ := f.ListClusters(ctx.Lifetime)
	m := New(ctx, clusters[0])
	m.SetSize(80, 21)
	if _, cmd := m.Update(r); cmd != nil {
		t.Fatalf("r before the zones arrived returned %T", cmd())
	}
}

func TestReadOnlyRefusesZoneRestart(t *testing.T) {
	m, f := setup(t, true)
	_, cmd := m.Update(r)
	if cmd == nil {
		t.Fatal("r in read-only must say why it is refused")
	}
	toast, ok := cmd().(common.ToastMsg)
	if !ok || toast.Level != common.ToastWarn || !strings.Contains(toast.Text, "read-only: restart is disabled") {
		t.Fatalf("want the read-only toast, got %#v", cmd())
	}
	if len(f.Calls()) != 0 {
		t.Fatalf("calls %v", f.Calls())
	}
}
