// Package help is the help screen (`?`): every key of the screen under it
// and of the console, and what every mark means. It is a modal screen on
// the root's stack, drawn over the screen it is about (an overlay: what
// that screen shows goes on refreshing); esc or ? close it.
package help

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/store"
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

// Model is the help screen; it scrolls when taller than its area. It
// implements common.Screen (modal, an overlay).
type Model struct {
	ctx      *common.Context
	sections []Section
	note     string
	offset   int
	width    int
	height   int
}

// New builds the help screen from sections; empty sections are dropped.
// note, when not empty, is a line under the title (read-only: what is
// refused).
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

func (m *Model) Init() tea.Cmd    { return nil }
func (m *Model) Title() string    { return "help" }
func (m *Model) Modal() bool      { return true }
func (m *Model) Overlay() bool    { return true }
func (m *Model) Capturing() bool  { return true } // q, t and ? are its keys
func (m *Model) Uses() store.Uses { return common.NoUses() }

// SetSize gives the screen its area.
func (m *Model) SetSize(width, height int) { m.width, m.height = width, height }

// ShortHelp is the footer: how to close it, and q.
func (m *Model) ShortHelp() []key.Binding {
	return []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc/?", "close help")), m.ctx.Keys.Quit}
}

// FullHelp is nothing: help does not explain itself.
func (m *Model) FullHelp() [][]key.Binding { return nil }

// Update closes on esc or ?, quits on q, scrolls on the arrows, the
// pages and the wheel.
func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	km := m.ctx.Keys
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, km.Back), key.Matches(msg, km.Help):
			return m, common.Pop()
		case key.Matches(msg, km.Quit):
			return m, common.Quit()
		case key.Matches(msg, km.Up):
			m.Scroll(-1)
		case key.Matches(msg, km.Down):
			m.Scroll(1)
		case key.Matches(msg, km.PageUp):
			m.Scroll(-m.height)
		case key.Matches(msg, km.PageDown):
			m.Scroll(m.height)
		}
	case tea.MouseMsg:
		switch msg.Button {
		case tea.MouseButtonWheelUp:
			m.Scroll(-1)
		case tea.MouseButtonWheelDown:
			m.Scroll(1)
		}
	}
	return m, nil
}

// Scroll moves the screen by delta lines.
func (m *Model) Scroll(delta int) {
	m.offset = min(max(m.offset+delta, 0), max(len(m.lines())-m.height, 0))
}

// block is a section: its title over its keys and marks, drawn by
// bubbles/help (keys in a column padded to the widest, then what they do).
func (m *Model) block(s Section) string {
	st := &m.ctx.Theme.Styles
	h := help.New()
	h.Styles.FullKey = st.HelpKey.PaddingRight(1)
	h.Styles.FullDesc = st.HelpDesc
	col := append([]key.Binding(nil), s.Keys...)
	for _, l := range s.Legend {
		col = append(col, key.NewBinding(key.WithKeys(l.Meaning), key.WithHelp(l.Mark, l.Meaning)))
	}
	return st.Title.Render(s.Title) + "\n" + h.FullHelpView([][]key.Binding{col})
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
