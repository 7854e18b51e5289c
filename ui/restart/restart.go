// Package restart is the confirmation dialog for restarting one OBServer.
//
// Safety rules (DESIGN.md, issue 4): the dialog names cluster, zone, server
// ip:port, its status and whether it holds a root service; force is off
// until `f` turns it on; focus starts on Cancel; `y` confirms a normal
// restart; a force restart needs the server's IP typed and says what force
// does; `esc` or `n` cancels; and exactly one RestartServer request is sent
// per dialog, however keys repeat. After an error nothing is re-sent: the
// operator closes the dialog and decides again.
package restart

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/common"
)

type focus int

const (
	focusCancel focus = iota
	focusConfirm
	focusInput // only while force is on
)

type state int

const (
	editing state = iota
	sending
	failed
)

// resultMsg is the answer to the one restart request.
type resultMsg struct {
	id   int64
	task *ocp.Task
	err  error
}

// Model is the restart dialog; it implements common.Modal.
type Model struct {
	ctx     *common.Context
	id      int64
	cluster ocp.Cluster
	server  ocp.Server

	force bool
	focus focus
	typed string
	state state
	sent  int // requests sent: 0 or 1, never more
	err   error
	note  string

	width, height int
}

// New builds the dialog for server of cluster. It sends nothing until the
// operator confirms.
func New(ctx *common.Context, cluster ocp.Cluster, server ocp.Server) *Model {
	return &Model{ctx: ctx, id: ctx.NewID(), cluster: cluster, server: server, focus: focusCancel}
}

// Force reports whether force is on; Sent how many requests were sent.
func (m *Model) Force() bool { return m.force }
func (m *Model) Sent() int   { return m.sent }

// FocusName names the focused element: "cancel", "confirm" or "ip".
func (m *Model) FocusName() string {
	return [...]string{"cancel", "confirm", "ip"}[m.focus]
}

func (m *Model) Init() tea.Cmd             { return nil }
func (m *Model) Modal() bool               { return true }
func (m *Model) Capturing() bool           { return true }
func (m *Model) Title() string             { return "restart " + m.server.Address() }
func (m *Model) SetSize(width, height int) { m.width, m.height = width, height }

func (m *Model) ShortHelp() []key.Binding {
	km := m.ctx.Keys
	if m.state == failed {
		return []key.Binding{key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close"))}
	}
	confirm := km.Confirm
	if m.force {
		confirm = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "force restart (IP typed)"))
	}
	return []key.Binding{confirm, km.Cancel, km.ForceToggle, km.FocusNext}
}

func (m *Model) FullHelp() [][]key.Binding {
	km := m.ctx.Keys
	return [][]key.Binding{{km.Confirm, km.ForceToggle, km.FocusNext, km.FocusPrev, km.Enter, km.Cancel}}
}

// ipChar reports whether r can be part of an IP address (v4 or v6).
func ipChar(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F' || r == '.' || r == ':'
}

func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
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
			common.Toast(common.ToastInfo, "restart task %d started for %s", msg.task.ID, m.server.Address()),
			common.OpenTask(msg.task.ID, true),
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
			if len(msg.Runes) == 1 && key.Matches(msg, km.Cancel) {
				return m, common.Pop()
			}
			if len(msg.Runes) == 1 && key.Matches(msg, km.Confirm) {
				return m, m.confirm()
			}
			for _, r := range msg.Runes {
				if ipChar(r) && len(m.typed) < 64 {
					m.typed += string(r)
				}
			}
			return m, nil
		case tea.KeyBackspace:
			if m.typed != "" {
				m.typed = m.typed[:len(m.typed)-1]
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
		return m, m.confirm()
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

func (m *Model) nextFocus(step int) focus {
	n := 2
	if m.force {
		n = 3
	}
	return focus((int(m.focus) + step + n) % n)
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
	if m.force && m.typed != m.server.IP {
		m.note = fmt.Sprintf("Type %s exactly to force a restart.", m.server.IP)
		m.focus = focusInput
		return nil
	}
	m.state = sending
	m.sent++
	id, exec, base := m.id, m.ctx.Exec, m.ctx.Lifetime
	clusterID, serverID, force := m.cluster.ID, m.server.ID, m.force
	return func() tea.Msg {
		task, err := exec.RestartServer(base, clusterID, serverID, backend.RestartOptions{Force: force})
		if err == nil && task == nil {
			err = backend.Errorf(backend.BadResponse, "restart server", "OCP answered without a task")
		}
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

func (m *Model) box(compact bool) string {
	th := m.ctx.Theme
	st := &th.Styles
	frame := st.Dialog
	if m.force {
		frame = st.DangerDialog
	}
	inner := max(min(60, m.width-frame.GetHorizontalFrameSize()), 10)
	wrap := lipgloss.NewStyle().Width(inner)
	var lines []string
	add := func(s ...string) { lines = append(lines, s...) }
	blank := func() {
		if !compact {
			add("")
		}
	}

	title := "Restart OBServer " + m.server.Address()
	if m.force {
		title = "FORCE restart OBServer " + m.server.Address()
	}
	add(st.Title.Render(th.Truncate(title, inner)))
	blank()

	field := func(name, value string) {
		add(th.Truncate(st.Muted.Render(fmt.Sprintf("%-8s ", name))+value, inner))
	}
	cluster := m.cluster.Name
	if m.cluster.Type != "" {
		cluster += " (" + string(m.cluster.Type) + ")"
	}
	field("cluster", cluster)
	field("zone", m.server.ZoneName)
	field("server", m.server.Address())
	field("status", th.Render(th.Server(m.server.Status)))
	role := "observer, no root service"
	if m.server.WithRootserver {
		role = st.Warning.Render(th.Glyphs.RootServer+" root server") + " (holds a root service replica)"
	}
	field("role", role)
	blank()

	switch m.state {
	case failed:
		add(wrap.Render(st.Error.Render("Restart failed: " + common.ErrorText(m.err))))
		if backend.KindOf(m.err) == backend.Conflict {
			add(wrap.Render(st.Muted.Render("Another task is running on this server: press t for the task list after closing.")))
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
		if m.force {
			add(wrap.Render(st.Error.Render("Force ends the observer process directly, skipping the pre-check: " +
				"service on this server is interrupted, and replicas may be leaderless for minutes.")))
			caret := " "
			input := st.Input.Render(m.typed + caret)
			if m.focus == focusInput {
				input = st.Input.Render(m.typed) + st.SelectedRow.Render(caret)
			}
			add(th.Truncate("Type the server's IP to confirm: "+input, inner))
		} else {
			add(wrap.Render(st.Muted.Render("Normal restart: a pre-check runs first; if it fails the server " +
				"is not restarted, so service is not interrupted.")))
		}
		blank()
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
		label := "Restart"
		if m.force {
			label = "Force restart"
		}
		add(button(th.Glyphs.Cursor, cancel, "Cancel", m.focus == focusCancel) + " " +
			button(th.Glyphs.Cursor, confirm, label, m.focus == focusConfirm))
	}
	if m.note != "" {
		add(wrap.Render(st.Warning.Render(m.note)))
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
	case m.force:
		return "type IP, enter confirm" + sep + "tab move" + sep + "esc cancel"
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
