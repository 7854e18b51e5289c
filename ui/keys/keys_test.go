package keys

import (
	"testing"
	"unicode"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

func press(s string) tea.KeyMsg {
	switch s {
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "ctrl+r":
		return tea.KeyMsg{Type: tea.KeyCtrlR}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

func TestDesignKeys(t *testing.T) {
	km := New(false)
	for _, tc := range []struct {
		b     key.Binding
		keys  []string
		help  string
		other []string // keys that must not match
	}{
		{km.Up, []string{"up", "k"}, "↑/k", []string{"j"}},
		{km.Down, []string{"down", "j"}, "↓/j", []string{"k"}},
		{km.Enter, []string{"enter"}, "enter", nil},
		{km.Back, []string{"esc"}, "esc", nil},
		{km.Filter, []string{"/"}, "/", nil},
		{km.Restart, []string{"r"}, "r", []string{"R", "ctrl+r"}},
		{km.Tasks, []string{"t"}, "t", nil},
		{km.Refresh, []string{"ctrl+r"}, "ctrl+r", []string{"r"}},
		{km.Help, []string{"?"}, "?", nil},
		{km.Quit, []string{"q"}, "q", []string{"ctrl+c"}},
		{km.ForceQuit, []string{"ctrl+c"}, "ctrl+c", nil},
		{km.Follow, []string{"f"}, "f", nil},
		{km.RetryTask, []string{"R"}, "R", []string{"r"}},
		{km.RollbackTask, []string{"B"}, "B", nil},
		{km.SkipStep, []string{"S"}, "S", []string{"s"}},
		{km.CancelStep, []string{"C"}, "C", nil},
		{km.Confirm, []string{"y"}, "y", []string{"Y", "enter"}},
		{km.Cancel, []string{"n", "esc"}, "n/esc", []string{"y"}},
		{km.SearchNext, []string{"n"}, "n", []string{"N"}},
		{km.SearchPrev, []string{"N"}, "N", []string{"n"}},
	} {
		for _, k := range tc.keys {
			if !key.Matches(press(k), tc.b) {
				t.Errorf("%q should match %q", k, tc.b.Help().Key)
			}
		}
		for _, k := range tc.other {
			if key.Matches(press(k), tc.b) {
				t.Errorf("%q must not match %q", k, tc.b.Help().Key)
			}
		}
		if tc.b.Help().Key != tc.help || tc.b.Help().Desc == "" {
			t.Errorf("help of %v = %+v, want key %q and a description", tc.keys, tc.b.Help(), tc.help)
		}
	}
}

func TestASCIIHelpHasNoSymbols(t *testing.T) {
	km := New(true)
	all := append(append(km.Navigation(), km.Global()...), km.Mutating()...)
	all = append(all, km.FocusNext, km.FocusPrev, km.Cancel, km.Confirm, km.ForceToggle, km.Follow, km.Log, km.SearchNext, km.SearchPrev)
	for _, b := range all {
		for _, r := range b.Help().Key + b.Help().Desc {
			if r > unicode.MaxASCII {
				t.Errorf("ASCII help %q has symbol %q", b.Help().Key, r)
			}
		}
	}
	if got := km.Up.Help().Key; got != "up/k" {
		t.Errorf("ASCII up help %q", got)
	}
}

func TestMutatingKeys(t *testing.T) {
	km := New(false)
	got := map[string]bool{}
	for _, b := range km.Mutating() {
		got[b.Help().Key] = true
	}
	for _, k := range []string{"r", "R", "B", "S", "C"} {
		if !got[k] {
			t.Errorf("%q should be listed as mutating", k)
		}
	}
	if got["q"] || got["t"] {
		t.Error("non-mutating keys listed as mutating")
	}
}
