package help

import (
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/common/commontest"
)

func model() *Model {
	ctx := common.NewContext(commontest.New(), nil, nil, false, 0)
	km := ctx.Keys
	return New(ctx, []Section{
		{Title: "This screen", Keys: []key.Binding{km.Enter, km.Restart}},
		{Title: "Empty", Keys: nil},
		{Title: "Moving", Keys: km.Navigation()},
		{Title: "Everywhere", Keys: km.Global()},
	})
}

func TestHelpListsKeysSideBySide(t *testing.T) {
	m := model()
	m.SetSize(80, 21)
	v := ansi.Strip(m.View())
	lines := strings.Split(v, "\n")
	if len(lines) != 21 {
		t.Fatalf("%d lines", len(lines))
	}
	if !strings.Contains(lines[2], "This screen") || !strings.Contains(lines[2], "Moving") || !strings.Contains(lines[2], "Everywhere") {
		t.Errorf("sections should sit side by side at 80 columns:\n%s", v)
	}
	if strings.Contains(v, "Empty") {
		t.Error("an empty section is dropped")
	}
	for _, want := range []string{"r       restart", "ctrl+r  refresh now", "/       filter"} {
		if !strings.Contains(strings.Join(strings.Fields(v), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("help lacks %q:\n%s", want, v)
		}
	}
}

func TestHelpStacksAndScrollsWhenSmall(t *testing.T) {
	m := model()
	m.SetSize(30, 6)
	first := ansi.Strip(m.View())
	if !strings.HasPrefix(first, "Keys") {
		t.Fatalf("top first:\n%s", first)
	}
	for i := 0; i < 100; i++ {
		m.Update(tea.KeyMsg{Type: tea.KeyDown})
	}
	last := ansi.Strip(m.View())
	if !strings.Contains(last, "quit") || strings.Contains(last, "Keys") {
		t.Fatalf("scrolled to the end:\n%s", last)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyUp})
	if ansi.Strip(m.View()) == last {
		t.Fatal("up scrolls back at once, however far down was pressed")
	}
	for _, line := range strings.Split(m.View(), "\n") {
		if ansi.StringWidth(line) != 30 {
			t.Fatalf("line %q is not 30 wide", ansi.Strip(line))
		}
	}
}

// answer is what m's Update returns for key k, run.
func answer(m *Model, k tea.KeyMsg) tea.Msg {
	_, cmd := m.Update(k)
	if cmd == nil {
		return nil
	}
	return cmd()
}

func TestHelpClosesAndQuits(t *testing.T) {
	m := model()
	for _, k := range []tea.KeyMsg{{Type: tea.KeyEsc}, {Type: tea.KeyRunes, Runes: []rune("?")}} {
		if _, ok := answer(m, k).(common.PopMsg); !ok {
			t.Fatalf("%s closes help", k)
		}
	}
	if _, ok := answer(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")}).(common.QuitMsg); !ok {
		t.Fatal("q quits from help")
	}
	if answer(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")}) != nil {
		t.Fatal("other keys keep it open")
	}
	if !m.Modal() || !m.Overlay() || !m.Capturing() || m.Title() != "help" {
		t.Fatal("help is a modal overlay that takes q, t and ? itself")
	}
}
