// Package restart holds the restart confirmation dialogs: one OBServer
// (New) and a rolling restart of a whole zone (NewZone). Both are the same
// Model, which owns the safety machinery; what differs (what is named,
// what must be typed, when confirming is refused, which request is sent)
// is the dialog's subject.
//
// Safety rules (DESIGN.md, issues 4 and 6):
//   - the dialog names what it restarts (cluster, zone, server or the
//     zone's servers, statuses); force is off until `f` turns it on, and
//     the dialog then says what force does;
//   - focus starts on Cancel; `esc` cancels (and `n`, unless it is being
//     typed into the confirmation field);
//   - a server: `y` confirms a normal restart; a force restart needs the
//     server's IP typed. A zone: confirming always needs the zone's name
//     typed, then enter; `y` alone never confirms; and it is refused up
//     front while another zone of the cluster is not fully RUNNING, unless
//     forced;
//   - exactly one request is sent per dialog, however keys repeat. After an
//     error nothing is re-sent: the operator closes the dialog and decides
//     again.
package restart

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/ui/common"
)

type focus int

const (
	focusCancel focus = iota
	focusConfirm
	focusInput // only while the subject wants something typed
)

type state int

const (
	editing state = iota
	sending
	failed
)

// maxTyped bounds the confirmation field.
const maxTyped = 64

// subject is what a dialog restarts: one server or one zone. Its methods
// are pure; the Model calls them with itself for the theme and force.
type subject interface {
	// crumb is the dialog's breadcrumb title; noun names the subject in
	// the heading and toasts ("OBServer 192.0.2.12:2882", "zone zone1").
	crumb() string
	noun() string
	// want is what must be typed to confirm ("" when nothing needs typing);
	// what says what it is ("IP", "name"), prompt asks for it.
	want(force bool) string
	what() string
	prompt() string
	// accepts reports whether r can be typed into the confirmation field.
	accepts(r rune) bool
	// yConfirms reports whether y confirms (a zone always needs enter).
	yConfirms() bool
	// blocked says why confirming is refused right now ("" when it is not).
	blocked(force bool) string
	// init starts the subject's own checks; update takes their results.
	init(m *Model) tea.Cmd
	update(m *Model, msg tea.Msg) (tea.Cmd, bool)
	// fields are the lines naming the subject; explain says what the
	// restart (or force) does, and why it is refused if it is.
	fields(m *Model, compact bool) []string
	explain(m *Model, wrap func(lipgloss.Style, string) string) []string
	// label is the confirm button's label; conflictHint the advice after
	// a Conflict.
	label(force bool) string
	conflictHint() string
	// request is the one call to make, run inside a tea.Cmd.
	request(m *Model, force bool) func() (started, error)
}

// started is what a successful request returns: the new task's id.
type started struct{ taskID int64 }

// resultMsg is the answer to the one restart request.
type resultMsg struct {
	id   int64
	task started
	err  error
}

// Model is a restart dialog; it implements common.Modal.
type Model struct {
	ctx  *common.Context
	id   int64
	subj subject

	force bool
	focus focus
	typed string
	state state
	sent  int // requests sent: 0 or 1, never more
	err   error
	note  string

	width, height int
}

func newModel(ctx *common.Context, subj subject) *Model {
	return &Model{ctx: ctx, id: ctx.NewID(), subj: subj, focus: focusCancel}
}

// Force reports whether force is on; Sent how many requests were sent.
func (m *Model) Force() bool { return m.force }
func (m *Model) Sent() int   { return m.sent }

// FocusName names the focused element: "cancel", "confirm" or "input".
func (m *Model) FocusName() string {
	return [...]string{"cancel", "confirm", "input"}[m.focus]
}

func (m *Model) Init() tea.Cmd             { return m.subj.init(m) }
func (m *Model) Modal() bool               { return true }
func (m *Model) Capturing() bool           { return true }
func (m *Model) Title() string             { return m.subj.crumb() }
func (m *Model) SetSize(width, height int) { m.width, m.height = width, height }

func (m *Model) ShortHelp() []key.Binding {
	km := m.ctx.Keys
	if m.state == failed {
		return []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close"))}
	}
	confirm := km.Confirm
	if want := m.subj.want(m.force); want != "" {
		desc := "restart (" + m.subj.what() + " typed)"
		if m.force {
			desc = "force " + desc
		}
		confirm = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", desc))
	}
	return []key.Binding{confirm, m.cancelKey(), km.ForceToggle, km.FocusNext}
}

// cancelKey is the keymap's cancel, without n where n is text (a zone's
// name may hold one).
func (m *Model) cancelKey() key.Binding {
	km := m.ctx.Keys
	if !m.subj.accepts('n') {
		return km.Cancel
	}
	return key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", km.Cancel.Help().Desc))
}

func (m *Model) FullHelp() [][]key.Binding {
	km := m.ctx.Keys
	first := km.Confirm
	if !m.subj.yConfirms() {
		first = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm (name typed)"))
	}
	return [][]key.Binding{{first, km.ForceToggle, km.FocusNext, km.FocusPrev, km.Enter, m.cancelKey()}}
}

func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	if cmd, ok := m.subj.update(m, msg); ok {
		return m, cmd
	}
	switch msg := msg.(type) {
	case resultMsg:
		if msg.id != m.id {
			return m, nil
		}
		if msg.err != nil {
			m.state, m.err = failed, msg.err
			m.note = ""
			return m, nil
		}
		return m, tea.Batch(
			common.Toast(common.ToastInfo, "restart task %d started for %s", msg.task.taskID, m.subj.noun()),
			common.OpenTask(msg.task.taskID, true),
		)
	case tea.KeyMsg:
		return m.key(msg)
	}
	return m, nil
}

func (m *Model) key(msg tea.KeyMsg) (common.Screen, tea.Cmd) {
	km := m.ctx.Keys
	switch m.state {
	case sending:
		if msg.Type == tea.KeyEsc || key.Matches(msg, km.Cancel) {
			m.note = "The request is on its way; waiting for OCP's answer."
		}
		return m, nil
	case failed:
		switch {
		case key.Matches(msg, km.Cancel), msg.Type == tea.KeyEnter:
			return m, common.Pop()
		case key.Matches(msg, km.Confirm):
			m.note = "Not sent again. Close with esc, check the task list, and press r to start over."
		}
		return m, nil
	}

	m.note = ""
	if msg.Type == tea.KeyEsc {
		return m, common.Pop()
	}
	if m.focus == focusInput {
		switch msg.Type {
		case tea.KeyRunes:
			// A rune the field takes is text (so a zone name may hold
			// n, y or f); other single keys keep their meaning.
			if len(msg.Runes) == 1 && !m.subj.accepts(msg.Runes[0]) {
				switch {
				case key.Matches(msg, km.Cancel):
					return m, common.Pop()
				case key.Matches(msg, km.Confirm):
					return m, m.yes()
				}
			}
			for _, r := range msg.Runes {
				if m.subj.accepts(r) && len(m.typed) < maxTyped {
					m.typed += string(r)
				}
			}
			return m, nil
		case tea.KeySpace:
			return m, nil
		case tea.KeyBackspace:
			if m.typed != "" {
				_, size := lastRune(m.typed)
				m.typed = m.typed[:len(m.typed)-size]
			}
			return m, nil
		case tea.KeyCtrlU:
			m.typed = ""
			return m, nil
		case tea.KeyEnter:
			return m, m.confirm()
		}
	}
	switch {
	case key.Matches(msg, km.FocusNext):
		m.focus = m.nextFocus(1)
	case key.Matches(msg, km.FocusPrev):
		m.focus = m.nextFocus(-1)
	case key.Matches(msg, km.ForceToggle):
		m.force = !m.force
		m.typed = ""
		if m.force {
			m.focus = focusInput
		} else {
			m.focus = focusCancel
		}
	case key.Matches(msg, km.Confirm):
		return m, m.yes()
	case key.Matches(msg, km.Cancel):
		return m, common.Pop()
	case msg.Type == tea.KeyEnter:
		if m.focus == focusCancel {
			return m, common.Pop()
		}
		return m, m.confirm()
	}
	return m, nil
}

func lastRune(s string) (rune, int) {
	rs := []rune(s)
	r := rs[len(rs)-1]
	return r, len(string(r))
}

// order is the focus cycle: Cancel, then the field when something must be
// typed, then the confirm button.
func (m *Model) order() []focus {
	if m.subj.want(m.force) != "" {
		return []focus{focusCancel, focusInput, focusConfirm}
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

// yes is `y`: it confirms where y confirms, and otherwise says what to do.
func (m *Model) yes() tea.Cmd {
	if !m.subj.yConfirms() {
		if m.state == editing && m.sent == 0 {
			m.note = fmt.Sprintf("y does not confirm here: type %s, then press enter.", safetext.Line(m.subj.want(m.force)))
			m.focus = focusInput
		}
		return nil
	}
	return m.confirm()
}

// confirm sends the one request, or says why not.
func (m *Model) confirm() tea.Cmd {
	if m.state != editing || m.sent > 0 {
		return nil
	}
	if m.ctx.ReadOnly {
		m.note = "Read-only: restart is disabled (started with --readonly)."
		return m.ctx.Refuse("restart")
	}
	if why := m.subj.blocked(m.force); why != "" {
		m.note = why
		return nil
	}
	if want := m.subj.want(m.force); want != "" && m.typed != want {
		verb := "restart"
		if m.force {
			verb = "force a restart"
		}
		m.note = fmt.Sprintf("Type %s exactly to %s.", safetext.Line(want), verb)
		m.focus = focusInput
		return nil
	}
	m.state = sending
	m.sent++
	id, call := m.id, m.subj.request(m, m.force)
	return func() tea.Msg {
		task, err := call()
		return resultMsg{id: id, task: task, err: err}
	}
}

// View draws the dialog centred in its area; when the area is short it
// drops blank lines and the key hints first.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	box := m.box(false)
	if lipgloss.Height(box) > m.height {
		box = m.box(true)
	}
	if lipgloss.Height(box) > m.height || lipgloss.Width(box) > m.width {
		return common.Fit(box, m.width, m.height)
	}
	return lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, box)
}

// inner is the text width inside the dialog's frame.
func (m *Model) inner() int {
	frame := m.ctx.Theme.Styles.Dialog
	return max(min(60, m.width-frame.GetHorizontalFrameSize()), 10)
}

// field draws one "name     value" line.
func (m *Model) field(name, value string) string {
	th := m.ctx.Theme
	return th.Truncate(th.Styles.Muted.Render(fmt.Sprintf("%-8s ", name))+value, m.inner())
}

func (m *Model) box(compact bool) string {
	th := m.ctx.Theme
	st := &th.Styles
	frame := st.Dialog
	if m.force {
		frame = st.DangerDialog
	}
	inner := m.inner()
	wrap := func(style lipgloss.Style, s string) string {
		return lipgloss.NewStyle().Width(inner).Render(style.Render(s))
	}
	var lines []string
	add := func(s ...string) { lines = append(lines, s...) }
	blank := func() {
		if !compact {
			add("")
		}
	}

	title := "Restart " + m.subj.noun()
	if m.force {
		title = "FORCE restart " + m.subj.noun()
	}
	add(st.Title.Render(th.Truncate(title, inner)))
	blank()
	add(m.subj.fields(m, compact)...)
	blank()

	switch m.state {
	case failed:
		add(wrap(st.Error, "Restart failed: "+m.ctx.ErrorText(m.err)))
		if backend.KindOf(m.err) == backend.Conflict {
			add(wrap(st.Muted, m.subj.conflictHint()))
		}
		blank()
		add(button(th.Glyphs.Cursor, st.ButtonFocused, "Close", true))
	case sending:
		add(st.Accent.Render("Sending the restart request" + th.Glyphs.Ellipsis))
	default:
		box := "[ ]"
		if m.force {
			box = "[x]"
		}
		add(st.Bold.Render(box+" force") + st.Muted.Render("  (f toggles)"))
		add(m.subj.explain(m, wrap)...)
		if want := m.subj.want(m.force); want != "" {
			caret := " "
			input := st.Input.Render(m.typed + caret)
			if m.focus == focusInput {
				input = st.Input.Render(m.typed) + st.SelectedRow.Render(caret)
			}
			add(th.Truncate(m.subj.prompt()+input, inner))
		}
		blank()
		blocked := m.subj.blocked(m.force) != ""
		cancel, confirm := st.Button, st.Button
		switch m.focus {
		case focusCancel:
			cancel = st.ButtonFocused
		case focusConfirm:
			confirm = st.ButtonFocused
			if m.force {
				confirm = st.ButtonDanger
			}
		}
		label := m.subj.label(m.force)
		if blocked {
			confirm, label = st.Muted.Padding(0, 1), label+": refused"
		}
		add(button(th.Glyphs.Cursor, cancel, "Cancel", m.focus == focusCancel) + " " +
			button(th.Glyphs.Cursor, confirm, label, m.focus == focusConfirm))
	}
	if m.note != "" {
		add(wrap(st.Warning, m.note))
	}
	if !compact {
		add(st.Muted.Render(th.Truncate(m.hints(), inner)))
	}
	return frame.Render(strings.Join(lines, "\n"))
}

func (m *Model) hints() string {
	sep := m.ctx.Theme.Glyphs.Bullet
	switch {
	case m.state == failed:
		return "esc close"
	case m.state == sending:
		return "waiting for OCP"
	case m.subj.want(m.force) != "":
		what := m.subj.what()
		h := "type " + what + ", enter confirm" + sep + "tab move" + sep + "esc cancel"
		if !m.force && !m.subj.yConfirms() {
			h = "type " + what + ", enter confirm" + sep + "f force" + sep + "tab move" + sep + "esc cancel"
		}
		return h
	}
	return "y restart" + sep + "f force" + sep + "tab move" + sep + "n/esc cancel"
}

// button draws "[ label ]", marked with the cursor glyph when focused so
// focus shows without colour or reverse video too.
func button(cursor string, style lipgloss.Style, label string, focused bool) string {
	mark := strings.Repeat(" ", lipgloss.Width(cursor))
	if focused {
		mark = cursor
	}
	return mark + style.Render("[ "+label+" ]")
}
