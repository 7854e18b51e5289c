package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	helpview "github.com/obconsole/obconsole/ui/help"
)

// allowed drops the mutating keys from hints in --readonly (k9s-style: the
// actions are gone; pressing one still explains why).
func (m *Model) allowed(bindings []key.Binding) []key.Binding {
	if !m.ctx.ReadOnly {
		return bindings
	}
	mutating := map[string]bool{}
	for _, b := range m.ctx.Keys.Mutating() {
		for _, k := range b.Keys() {
			mutating[k] = true
		}
	}
	out := make([]key.Binding, 0, len(bindings))
	for _, b := range bindings {
		keep := true
		for _, k := range b.Keys() {
			if mutating[k] {
				keep = false
			}
		}
		if keep {
			out = append(out, b)
		}
	}
	return out
}

// helpScreen is the help screen about the shown screen.
func (m *Model) helpScreen() *helpview.Model {
	sections, note := m.helpSections()
	return helpview.New(m.ctx, sections, note)
}

// navHelper is a list: its moving, filtering and sorting keys go in
// help's Moving section. Other screens list their own moves.
type navHelper interface{ NavHelp() []key.Binding }

// copier is a screen with something to copy (c): the selected row's id or
// address, the shown task's id.
type copier interface{ CopyText() (string, bool) }

// helpSections are the help screen's sections for the shown screen: only
// keys that work there, a read-only note naming what is refused, and the
// legend of every mark.
func (m *Model) helpSections() ([]helpview.Section, string) {
	km := m.ctx.Keys
	top := m.Top()
	var screenKeys []key.Binding
	for _, col := range top.FullHelp() {
		screenKeys = append(screenKeys, m.allowed(col)...)
	}
	sections := []helpview.Section{{Title: "This screen", Keys: screenKeys}}
	if nav, ok := top.(navHelper); ok {
		sections = append(sections, helpview.Section{Title: "Moving", Keys: nav.NavHelp()})
	}
	var global []key.Binding
	for _, b := range km.Global() {
		if key.Matches(keyOf(b), km.Copy) && !m.canCopy() {
			continue
		}
		global = append(global, b)
	}
	sections = append(sections, helpview.Section{Title: "Everywhere", Keys: global})
	if m.opts.Mouse {
		sections = append(sections, helpview.Section{Title: "Mouse", Legend: []helpview.LegendItem{
			{Mark: "click", Meaning: "select a row; on a title: sort"},
			{Mark: "wheel", Meaning: "move the selection, scroll"},
		}})
	}
	for _, g := range m.ctx.Theme.Legend() {
		items := make([]helpview.LegendItem, len(g.Items))
		for i, it := range g.Items {
			items[i] = helpview.LegendItem{Mark: it.Mark, Meaning: it.Meaning}
		}
		sections = append(sections, helpview.Section{Title: g.Title, Legend: items})
	}
	if _, ok := top.(navHelper); ok {
		sections = append(sections, helpview.Section{Title: "This list", Legend: helpview.ListMarks(m.ctx.Theme)})
	}
	note := ""
	if m.ctx.ReadOnly {
		var refused []string
		for _, b := range km.Mutating() {
			refused = append(refused, b.Help().Key)
		}
		note = "read-only: " + strings.Join(refused, " ") + " are refused (started with --readonly)"
	}
	return sections, note
}

// keyOf is a key press of b's first key, to compare bindings.
func keyOf(b key.Binding) tea.KeyMsg {
	if len(b.Keys()) == 0 {
		return tea.KeyMsg{}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(b.Keys()[0])}
}
