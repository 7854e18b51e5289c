// Package help is the `?` overlay: every key of the shown screen and of
// the console, built from the keymaps' own help text.
package help

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/obconsole/obconsole/ui/common"
)

// Section is one titled group of keys.
type Section struct {
	Title string
	Keys  []key.Binding
}

// Model is the help overlay; it scrolls when taller than its area.
type Model struct {
	ctx      *common.Context
	sections []Section
	offset   int
	width    int
	height   int
}

// New builds the overlay from sections; empty sections are dropped.
func New(ctx *common.Context, sections []Section) *Model {
	m := &Model{ctx: ctx}
	for _, s := range sections {
		var keys []key.Binding
		for _, k := range s.Keys {
			if k.Enabled() && k.Help().Key != "" {
				keys = append(keys, k)
			}
		}
		if len(keys) > 0 {
			m.sections = append(m.sections, Section{Title: s.Title, Keys: keys})
		}
	}
	return m
}

// SetSize gives the overlay its area.
func (m *Model) SetSize(width, height int) { m.width, m.height = width, height }

// Update handles a key; closed reports the overlay should go (esc, ?).
func (m *Model) Update(msg tea.KeyMsg) (closed bool) {
	km := m.ctx.Keys
	switch {
	case key.Matches(msg, km.Back), key.Matches(msg, km.Help):
		return true
	case key.Matches(msg, km.Up):
		m.offset = max(m.offset-1, 0)
	case key.Matches(msg, km.Down):
		m.offset = min(m.offset+1, max(len(m.lines())-m.height, 0))
	}
	return false
}

func (m *Model) block(s Section) string {
	st := &m.ctx.Theme.Styles
	kw := 0
	for _, k := range s.Keys {
		kw = max(kw, lipgloss.Width(k.Help().Key))
	}
	lines := []string{st.Title.Render(s.Title)}
	for _, k := range s.Keys {
		h := k.Help()
		lines = append(lines, st.HelpKey.Render(h.Key+strings.Repeat(" ", kw-lipgloss.Width(h.Key)))+"  "+st.HelpDesc.Render(h.Desc))
	}
	return strings.Join(lines, "\n")
}

// View lays the sections out side by side while they fit, then below.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	lines := m.lines()
	off := min(m.offset, max(len(lines)-m.height, 0))
	return common.Fit(strings.Join(lines[off:], "\n"), m.width, m.height)
}

func (m *Model) lines() []string {
	const gap = 4
	var rows []string
	var row []string
	rowWidth := 0
	flush := func() {
		if len(row) > 0 {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, rowWidth = nil, 0
		}
	}
	for _, s := range m.sections {
		b := m.block(s)
		w := lipgloss.Width(b)
		if len(row) > 0 && rowWidth+gap+w > m.width {
			flush()
		}
		if len(row) > 0 {
			b = lipgloss.NewStyle().PaddingLeft(gap).Render(b)
			w += gap
		}
		row = append(row, b)
		rowWidth += w
	}
	flush()
	title := m.ctx.Theme.Styles.Title.Render("Keys") + m.ctx.Theme.Styles.Muted.Render("  (esc or ? closes)")
	return append([]string{title, ""}, strings.Split(strings.Join(rows, "\n\n"), "\n")...)
}
