package restart

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/ui/common"
)

// typing reports whether a text field has focus: every printable key is
// text then.
func (m *Model) typing() bool { return m.state == editing && m.focus == focusInput }

// bindings are the keys that work right now, most important first: the
// footer and the dialog's own hint line both show them.
func (m *Model) bindings() []key.Binding {
	km := m.ctx.Keys
	b := func(k, desc string) key.Binding { return key.NewBinding(key.WithKeys(k), key.WithHelp(k, desc)) }
	switch m.state {
	case sending:
		return nil
	}
	if m.state == failed || m.held() != nil {
		if t := m.openable(); t != nil {
			return []key.Binding{withDesc(km.OpenTask, fmt.Sprintf("open task %d", t.ID)), b("esc", "close"), withDesc(km.FocusNext, "move")}
		}
		return []key.Binding{b("esc", "close")}
	}
	var out []key.Binding
	want := m.subj.want(m.force)
	switch {
	case m.typing():
		out = append(out, b("enter", "confirm"), b("esc", "cancel"), withDesc(km.ForceTyping, "force"))
	case want == "" && m.subj.traits().yConfirms:
		out = append(out, withDesc(km.Confirm, "restart"), km.Cancel, withDesc(km.ForceToggle, "force"))
	case m.focus == focusConfirm:
		out = append(out, b("enter", "confirm"), km.Cancel, withDesc(km.ForceToggle, "force"))
	default:
		out = append(out, km.Cancel, withDesc(km.ForceToggle, "force"))
	}
	if m.subj.traits().freeze {
		out = append(out, withDesc(km.Toggle, "freeze"))
	}
	if m.typing() {
		// The arrows are the field's own: only tab leaves it.
		return append(out, b("tab", "move"))
	}
	return append(out, withDesc(km.FocusNext, "move"))
}

func withDesc(b key.Binding, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
}

// ShortHelp is the footer: the bindings, and the arrows while the body
// scrolls (the dialog's hidden-lines line names them itself).
func (m *Model) ShortHelp() []key.Binding {
	out := m.bindings()
	if m.bodyScrolls() {
		up, down := arrows(m)
		out = append(out, key.NewBinding(key.WithKeys("up", "down"), key.WithHelp(up+"/"+down, "scroll")))
	}
	return out
}

func (m *Model) FullHelp() [][]key.Binding {
	km := m.ctx.Keys
	return [][]key.Binding{{km.Confirm, km.Cancel, km.ForceToggle, km.ForceTyping, km.Toggle, km.FocusNext, km.FocusPrev, km.OpenTask}}
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	km := m.ctx.Keys
	switch m.state {
	case sending:
		if key.Matches(msg, km.Back, km.Cancel) {
			m.note = "The request is on its way; waiting for OCP's answer."
		}
		return nil
	case failed:
		return m.openOrClose(msg)
	}
	if m.held() != nil {
		return m.openOrClose(msg)
	}

	m.note = ""
	switch {
	case key.Matches(msg, km.Back):
		return common.Pop()
	case key.Matches(msg, km.ForceTyping):
		m.toggleForce()
		return nil
	}
	if m.focus == focusInput {
		if cmd, done := m.fieldKey(msg); done {
			return cmd
		}
	}
	switch {
	case key.Matches(msg, km.Toggle):
		m.toggleFreeze()
	case key.Matches(msg, km.FocusNext):
		m.focus = m.nextFocus(1)
	case key.Matches(msg, km.FocusPrev):
		m.focus = m.nextFocus(-1)
	case key.Matches(msg, km.Up):
		m.scrollBy(-1)
	case key.Matches(msg, km.Down):
		m.scrollBy(1)
	case key.Matches(msg, km.ForceToggle):
		m.toggleForce()
	case key.Matches(msg, km.Confirm):
		return m.yes()
	case key.Matches(msg, km.Cancel):
		return common.Pop()
	case msg.Type == tea.KeyEnter:
		if m.focus == focusCancel {
			return common.Pop()
		}
		return m.confirm()
	}
	return nil
}

// fieldKey handles a key while the field has focus: text and its editing
// keys, and enter. done is false for keys the field leaves to the dialog
// (tab, arrows up and down, space).
func (m *Model) fieldKey(msg tea.KeyMsg) (cmd tea.Cmd, done bool) {
	switch msg.Type {
	case tea.KeyRunes:
		var ok []rune
		for _, r := range msg.Runes {
			if m.subj.accepts(r) {
				ok = append(ok, r)
			} else if r != ' ' {
				m.note = fmt.Sprintf("%s is not in %s; esc cancels.", safetext.Excerpt(string(r)), m.subj.traits().whatLong)
			}
		}
		m.typed.Insert(ok)
		return nil, true
	case tea.KeyBackspace, tea.KeyDelete, tea.KeyCtrlU, tea.KeyCtrlW, tea.KeyLeft, tea.KeyRight, tea.KeyHome, tea.KeyEnd:
		// The field's own editing keys (the arrows move its cursor: leaving
		// it by one meant for editing would turn the next letters into
		// commands).
		m.typed.Edit(msg)
		return nil, true
	case tea.KeyEnter:
		return m.confirm(), true
	}
	return nil, false
}

// openOrClose handles keys after an error, or while a running task holds
// the subject: open that task, or close the dialog. Nothing is sent.
func (m *Model) openOrClose(msg tea.KeyMsg) tea.Cmd {
	km := m.ctx.Keys
	t := m.openable()
	switch {
	case t != nil && key.Matches(msg, km.OpenTask):
		return common.OpenTask(t.ID, true)
	case key.Matches(msg, km.Back, km.Cancel):
		return common.Pop()
	case msg.Type == tea.KeyEnter:
		if t != nil && m.focus == focusOpen {
			return common.OpenTask(t.ID, true)
		}
		return common.Pop()
	case t != nil && key.Matches(msg, km.FocusNext, km.FocusPrev):
		if m.focus == focusOpen {
			m.focus = focusCancel
		} else {
			m.focus = focusOpen
		}
	case m.state == failed && key.Matches(msg, km.Confirm):
		m.note = "Not sent again. Close with esc, check the task list, and press r to start over."
	case m.state == editing && (key.Matches(msg, km.Confirm, km.ForceToggle, km.ForceTyping) || msg.Type == tea.KeyEnter):
		m.note = fmt.Sprintf("Refused while task %d runs on %s.", t.ID, m.subj.traits().here)
	}
	return nil
}

// toggleForce turns force on or off. The typed text is cleared, so what
// was typed for one kind of restart never confirms the other; turned on,
// focus goes to the field, the next thing to do.
func (m *Model) toggleForce() {
	m.force = !m.force
	m.typed.SetValue("")
	if m.subj.want(m.force) != "" {
		m.focus = focusInput
	} else {
		m.focus = focusCancel
	}
}

// initialFocus is where focus starts: in the field when something must
// be typed, else on Cancel.
func (m *Model) initialFocus() focus {
	if m.subj.want(m.force) != "" {
		return focusInput
	}
	return focusCancel
}

func (m *Model) toggleFreeze() {
	if m.subj.traits().freeze {
		m.freeze = !m.freeze
	}
}

// order is the focus cycle, in the order drawn: the field when something
// must be typed, then Cancel and the confirm button.
func (m *Model) order() []focus {
	if m.subj.want(m.force) != "" {
		return []focus{focusInput, focusCancel, focusConfirm}
	}
	return []focus{focusCancel, focusConfirm}
}

func (m *Model) nextFocus(step int) focus {
	order := m.order()
	for i, f := range order {
		if f == m.focus {
			return order[(i+step+len(order))%len(order)]
		}
	}
	return focusCancel
}

// forceKey is the key that toggles force right now.
func (m *Model) forceKey() string {
	if m.typing() {
		return m.ctx.Keys.ForceTyping.Help().Key
	}
	return m.ctx.Keys.ForceToggle.Help().Key
}

// yes is `y` where no field has focus: it confirms where y confirms, and
// otherwise says what to do.
func (m *Model) yes() tea.Cmd {
	if !m.subj.traits().yConfirms {
		if m.state == editing && m.sent == 0 {
			m.note = fmt.Sprintf("y does not confirm here: type %s, then press enter.", safetext.Line(m.subj.want(m.force)))
			m.focus = focusInput
		}
		return nil
	}
	return m.confirm()
}
