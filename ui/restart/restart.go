// Package restart holds the restart confirmation dialogs: one OBServer
// (New) and a rolling restart of a whole zone (NewZone). Both are the same
// Model, which owns the safety machinery; what differs (what is named,
// what must be typed, when confirming is refused, which request is sent)
// is the dialog's subject.
//
// Safety rules (DESIGN.md, issues 4, 6 and 12):
//   - the dialog names what it restarts and, before any restart, shows the
//     majority arithmetic (ocp.AssessRestart, the rules the simulator's
//     pre-check applies) over a fresh list of the cluster's zones and
//     servers, and the cluster's running tasks (check.go);
//   - a force restart and a zone restart wait for that check (it gives up
//     after checkTimeout); a normal server restart need not, since OCP's
//     pre-check applies the same rules; a normal restart the rules refuse
//     is refused up front, unless forced;
//   - force is off until `f` (where no field has focus) or `ctrl+f`
//     (anywhere) turns it on; the dialog then says what force does;
//   - where something must be typed (a zone's name, a forced server's IP)
//     focus starts in the field and every printable key is text there: `n`,
//     `y` and `f` too. `esc` always cancels; `n` cancels and `y` confirms
//     only where no field has focus. Without a field focus starts on Cancel;
//   - a server: `y` confirms a normal restart; a force restart needs the
//     server's IP typed. A zone: its name typed, then enter; `y` alone never
//     confirms. The server dialog offers a minor compaction first (freeze
//     server, on by default), toggled with space, which is never text;
//   - exactly one request is sent per dialog, however keys repeat. After an
//     error nothing is re-sent: the operator closes the dialog and decides
//     again. A Conflict names the running task and offers to open it;
//   - at any size the confirmation controls (the field, the buttons and a
//     one-line hint) stay on screen; the rest is compressed, then scrolled
//     (layout.go).
package restart

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/presence"
	"github.com/obconsole/obconsole/ui/store"
)

type focus int

const (
	focusCancel focus = iota
	focusConfirm
	focusInput // only while the subject wants something typed
	focusOpen  // after a Conflict: the button opening the running task
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
// are pure; the Model calls them with itself for the theme, force and the
// cluster check.
type subject interface {
	// traits are the subject's words and what its dialog allows.
	traits() traits
	cluster() ocp.Cluster
	target() ocp.RestartTarget
	// want is what must be typed to confirm ("" when nothing needs typing).
	want(force bool) string
	// accepts reports whether r can be typed into the confirmation field.
	accepts(r rune) bool
	// take updates the subject's statuses from a fresh check.
	take(imp ocp.RestartImpact)
	// blocked says why confirming is refused right now ("" when it is not),
	// once the first check has answered.
	blocked(m *Model) string
	// fields are the rows naming the subject; explain says what the
	// restart (or force) does, and why it is refused if it is.
	fields(m *Model) []item
	explain(m *Model) []item
	// holds reports whether a running task works on the subject.
	holds(t *ocp.Task) bool
	// request is the one request to send.
	request(m *Model) store.Action
	// dialog is where the dialog is open, for the other operators.
	dialog() presence.Dialog
}

// traits are a subject's words and what its dialog allows.
type traits struct {
	crumb string // the dialog's breadcrumb title
	// noun names the subject in the heading and toasts ("OBServer
	// 192.0.2.12:2882", "zone zone1"); short where the heading is narrow.
	noun, short string
	here        string // the subject in a sentence: "this server", "zone zone1"
	whatLong    string // what is typed, in a sentence: "an IP"
	// prompt asks for what is typed; promptShort where narrow.
	prompt, promptShort string
	yConfirms           bool // y confirms (a zone needs its name, then enter)
	freeze              bool // the restart takes freezeServer
	// labels are the confirm button's: normal, normal short, forced,
	// forced short.
	labels [4]string
}

// label is the confirm button's label.
func (t traits) label(force, short bool) string {
	i := 0
	if force {
		i = 2
	}
	if short {
		i++
	}
	return t.labels[i]
}

// name is the noun, short where narrow.
func (t traits) name(short bool) string {
	if short {
		return t.short
	}
	return t.noun
}

// ask is the prompt, short where narrow.
func (t traits) ask(short bool) string {
	if short {
		return t.promptShort
	}
	return t.prompt
}

// Model is a restart dialog; it implements common.Modal.
type Model struct {
	ctx  *common.Context
	id   int64
	subj subject

	force  bool
	freeze bool // freezeServer, when the subject offers it
	focus  focus
	typed  common.Prompt // what has been typed to confirm
	state  state
	sent   int // requests sent: 0 or 1, never more
	err    error
	note   string
	scroll int // first body line shown when the body scrolls

	check  check
	holder holder // after a Conflict: the task holding the subject
	others string // the warning about the other operators (others.go)

	width, height int
}

func newModel(ctx *common.Context, subj subject) *Model {
	m := &Model{ctx: ctx, id: ctx.NewID(), subj: subj, freeze: subj.traits().freeze, typed: common.NewPrompt(maxTyped)}
	m.focus = m.initialFocus()
	return m
}

// Force reports whether force is on; Freeze whether freezeServer is;
// Sent how many requests were sent.
func (m *Model) Force() bool  { return m.force }
func (m *Model) Freeze() bool { return m.freeze }
func (m *Model) Sent() int    { return m.sent }

// FocusName names the focused element: "cancel", "confirm", "input" or
// "open".
func (m *Model) FocusName() string {
	return [...]string{"cancel", "confirm", "input", "open"}[m.focus]
}

func (m *Model) Init() tea.Cmd             { return m.startCheck() }
func (m *Model) Uses() store.Uses          { return common.NoUses() }
func (m *Model) Modal() bool               { return true }
func (m *Model) Capturing() bool           { return true }
func (m *Model) Title() string             { return m.subj.traits().crumb }
func (m *Model) SetSize(width, height int) { m.width, m.height = width, height }

func (m *Model) Update(msg tea.Msg) (common.Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case checkMsg:
		cmd := m.checked(msg)
		m.seeOthers()
		return m, cmd
	case holderMsg:
		m.found(msg)
		m.seeOthers()
		return m, nil
	case common.ShownMsg:
		m.seeOthers()
		return m, nil
	case common.OthersMsg:
		return m, m.othersMoved(msg.Event)
	case common.RefreshMsg:
		if m.state != editing {
			return m, nil
		}
		return m, m.startCheck()
	case common.TickMsg:
		return m, m.recheck(msg.Now)
	case store.ActionMsg:
		if m.state != sending {
			return m, nil // not this dialog's: it sent nothing
		}
		if msg.Err != nil {
			m.state, m.err = failed, msg.Err
			m.note = ""
			if backend.KindOf(msg.Err) == backend.Conflict {
				return m, m.findHolder()
			}
			return m, nil
		}
		return m, tea.Batch(
			common.Toast(common.ToastInfo, "restart task %d started for %s", msg.Started, m.subj.traits().noun),
			common.OpenTask(msg.Started, true),
		)
	case tea.KeyMsg:
		return m, m.key(msg)
	}
	return m, nil
}

// openable is the running task the dialog offers to open: the one a
// Conflict named, or the one the check found working on the subject.
func (m *Model) openable() *ocp.Task {
	if m.state == failed {
		return m.holder.task
	}
	return m.held()
}

// openID is the id of the task openable names, 0 when none.
func (m *Model) openID() int64 {
	if t := m.openable(); t != nil {
		return t.ID
	}
	return 0
}

// held is the running task the check found working on the subject while
// the operator can still confirm: a restart now would be refused (OCP
// runs one task per server), so the dialog offers that task instead.
func (m *Model) held() *ocp.Task {
	if m.state != editing || m.check.state != checked {
		return nil
	}
	return m.runningHere()
}

// blocked says why confirming is refused now: the first check has not
// answered, or the subject's rules refuse.
//
// A normal server restart may be confirmed before the check answers: OCP's
// pre-check applies the same majority rules (the simulator's reads
// ocp.AssessRestart) when it runs, fresher than anything the dialog could
// show, and restarts nothing if they fail; and y pressed at once, as
// operators do, must not be lost. A force restart, which goes on despite
// the pre-check, and a zone restart wait for the check.
func (m *Model) blocked() string {
	if m.check.state == checking && (m.force || !m.subj.traits().yConfirms) {
		return "Still checking " + safetext.Line(m.subj.cluster().Name) + "; confirm again in a moment."
	}
	return m.subj.blocked(m)
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
	if why := m.blocked(); why != "" {
		m.note = why
		return nil
	}
	if want := m.subj.want(m.force); want != "" && m.typed.Value() != want {
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
	return m.ctx.Store.Do(m.subj.request(m))
}

// clusterName is "protoss (PRIMARY)", made safe to draw.
func clusterName(c ocp.Cluster) string {
	if c.Type != "" {
		return safetext.Line(c.Name) + " (" + safetext.Line(string(c.Type)) + ")"
	}
	return safetext.Line(c.Name)
}

// taskName is "89027028 Restart OB server", made safe to draw.
func taskName(t *ocp.Task) string {
	return strings.TrimSpace(fmt.Sprintf("%d %s", t.ID, safetext.Line(t.Name)))
}
