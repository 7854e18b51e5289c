package common

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/obconsole/obconsole/backend/safetext"
)

// Prompt is the console's one line of text input (bubbles/textinput): the
// lists' filter, the step log's search and a restart dialog's typed
// confirmation. It never blinks (no frames while idle), never reads the
// host's clipboard (a paste comes from the terminal, as a bracketed
// paste), and draws its text safe: what was typed or pasted may hold
// controls.
type Prompt struct {
	in textinput.Model
}

// NewPrompt builds a prompt holding at most limit runes (0: no limit).
func NewPrompt(limit int) Prompt {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = limit
	in.Cursor.SetMode(cursor.CursorStatic)
	in.KeyMap.Paste = key.NewBinding(key.WithDisabled())
	// Suggestions are the command line's; tab and the arrows belong to
	// the screen here.
	in.KeyMap.AcceptSuggestion = key.NewBinding(key.WithDisabled())
	in.KeyMap.NextSuggestion = key.NewBinding(key.WithDisabled())
	in.KeyMap.PrevSuggestion = key.NewBinding(key.WithDisabled())
	in.Focus()
	return Prompt{in: in}
}

// Value is the text.
func (p *Prompt) Value() string { return p.in.Value() }

// SetValue replaces the text; the cursor goes to its end.
func (p *Prompt) SetValue(s string) {
	p.in.SetValue(s)
	p.in.CursorEnd()
}

// Edit applies an editing key (text, backspace, delete, ctrl+u, ctrl+w,
// the cursor keys left, right, home and end) and reports whether the text
// changed.
func (p *Prompt) Edit(msg tea.KeyMsg) bool {
	before := p.in.Value()
	p.in, _ = p.in.Update(msg)
	return p.in.Value() != before
}

// Insert types runes at the cursor.
func (p *Prompt) Insert(runes []rune) {
	p.in, _ = p.in.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: runes})
}

// View is the text in style with the cursor, drawn on the character under
// it (a space at the end) in cursorStyle.
func (p *Prompt) View(style, cursorStyle lipgloss.Style) string {
	runes := []rune(p.in.Value())
	pos := min(p.in.Position(), len(runes))
	under, after := " ", ""
	if pos < len(runes) {
		under, after = string(runes[pos]), string(runes[pos+1:])
	}
	out := style.Render(safetext.Line(string(runes[:pos])))
	if after != "" {
		return out + cursorStyle.Render(safetext.Line(under)) + style.Render(safetext.Line(after))
	}
	return out + cursorStyle.Render(safetext.Line(under))
}
