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

// Section is one titled group of keys, or of marks and what they mean
// (the legend).
type Section struct {
	Title  string
	Keys   []key.Binding
	Legend []LegendItem
}

// LegendItem is one mark the console draws (a status icon, ★, a gauge)
// and what it means. Mark may be styled (drawn in its colour).
type LegendItem struct {
	Mark    string
	Meaning string
}

// Model is the help overlay; it scrolls when taller than its area.
type Model struct {
	ctx      *common.Context
	sections []Section
	note     string
	offset   int
	width    int
	height   int
}

// New builds the overlay from sections; empty sections are dropped. note,
// when not empty, is a line under the title (read-only: what is refused).
func New(ctx *common.Context, sections []Section, note ...string) *Model {
	m := &Model{ctx: ctx, note: strings.Join(note, " ")}
	for _, s := range sections {
		var keys []key.Binding
		for _, k := range s.Keys {
			if k.Enabled() && k.Help().Key != "" {
				keys = append(keys, k)
			}
		}
		if len(keys) > 0 || len(s.Legend) > 0 {
			m.sections = append(m.sections, Section{Title: s.Title, Keys: keys, Legend: s.Legend})
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
	case key.Matches(msg, km.PageUp):
		m.offset = max(m.offset-m.height, 0)
	case key.Matches(msg, km.PageDown):
		m.offset = min(m.offset+m.height, max(len(m.lines())-m.height, 0))
	}
	return false
}

// Scroll moves the overlay by delta lines (the mouse wheel).
func (m *Model) Scroll(delta int) {
	m.offset = min(max(m.offset+delta, 0), max(len(m.lines())-m.height, 0))
}

func (m *Model) block(s Section) string {
	st := &m.ctx.Theme.Styles
	kw := 0
	for _, k := range s.Keys {
		kw = max(kw, lipgloss.Width(k.Help().Key))
	}
	for _, l := range s.Legend {
		kw = max(kw, lipgloss.Width(l.Mark))
	}
	lines := []string{st.Title.Render(s.Title)}
	for _, k := range s.Keys {
		h := k.Help()
		lines = append(lines, st.HelpKey.Render(h.Key+strings.Repeat(" ", kw-lipgloss.Width(h.Key)))+"  "+st.HelpDesc.Render(h.Desc))
	}
	for _, l := range s.Legend {
		lines = append(lines, l.Mark+strings.Repeat(" ", kw-lipgloss.Width(l.Mark))+"  "+st.HelpDesc.Render(l.Meaning))
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
	if len(lines) > m.height {
		// Say that there is more, and which way.
		th := m.ctx.Theme
		more := ""
		if off > 0 {
			more += th.Glyphs.Up
		}
		if off+m.height < len(lines) {
			more += th.Glyphs.Down
		}
		lines = append([]string(nil), lines...)
		lines[off] = common.JoinEnds(lines[off], th.Styles.Muted.Render(more+" more (scroll with "+m.ctx.Keys.Up.Help().Key+" "+m.ctx.Keys.Down.Help().Key+")"), m.width)
	}
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
	st := &m.ctx.Theme.Styles
	head := []string{st.Title.Render("Keys") + st.Muted.Render("  (esc or ? closes)")}
	if m.note != "" {
		head = append(head, st.Warning.Render(m.note))
	}
	return append(append(head, ""), strings.Split(strings.Join(rows, "\n\n"), "\n")...)
}
