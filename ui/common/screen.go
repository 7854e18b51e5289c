package common

import (
	"cmp"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/presence"
	"github.com/obconsole/obconsole/ui/store"
)

// Screen is one page of the console: a list, the Task view, a dialog or
// the help. The root model keeps a stack of them; only the top one is
// shown.
//
// Data flows one way: a screen says what it uses (Uses: entries of the
// store, and how fresh it wants them) and renders what the store holds;
// keys go the other way, screen → store → executor (Store.Do, Reload).
//
// Life of a screen:
//  1. It is built by its package's constructor, e.g. taskview.New(ctx,
//     taskID), which takes the shared *Context and does no I/O.
//  2. The root pushes it (PushMsg, OpenTaskMsg), tells the store (its
//     stack listener: the store now polls what this screen uses, and
//     loads what it lacks), calls SetSize with the area below the
//     breadcrumb and above the footer, then runs Init and sends ShownMsg.
//  3. Update receives:
//     - store.ChangedMsg when an entry it uses has a new answer (data or
//     error), whether on top or not: it reads the entry from ctx.Store
//     and rebuilds what it draws. Failed is set on the shown screen
//     when the entry has just started failing: it says so once, in its
//     words (a denial is said by the root).
//     - tea.KeyMsg, only while it is on top. The root handles ctrl+c
//     always, and q, ?, t, :, c and ctrl+r itself unless Capturing() is
//     true; every other key (esc included) goes to the screen, which
//     returns Pop() when esc means "back". After every key the root asks
//     the store for what the screen's uses now lack (a new step's log).
//     - tea.MouseMsg, only while it is on top, with Y counted from the
//     top of its own area (the root takes the breadcrumb off); a screen
//     with a HandleMouse(tea.MouseMsg) bool method gets it there instead.
//     - TickMsg (ctx.Now already updated), RefreshMsg and ShownMsg, only
//     while on top. The store does the polling; these are for what a
//     screen reads on its own (a restart dialog's check).
//     - the answers of its own Cmds (a dialog's check, an action's
//     outcome), while on top.
//  4. It is dropped when popped; the store forgets what no screen uses.
//
// Text from outside (names, statuses, messages, logs) is made safe where it
// is drawn (safetext.Line or Text, Context.Line, Context.ErrorText), before
// it is measured or cut; the root's safety net is the last resort, not the
// means.
//
// Update returns the screen itself (or a replacement) and a Cmd; it never
// blocks, reads the clock or starts goroutines. Mutating actions check
// ctx.ReadOnly and return ctx.Refuse(...) instead of asking to confirm.
type Screen interface {
	// Init returns the screen's own first Cmd, if any (the store loads
	// what it uses).
	Init() tea.Cmd
	// Update handles one message (see above).
	Update(msg tea.Msg) (Screen, tea.Cmd)
	// View renders the screen into exactly the area given by SetSize: at
	// most width columns on each line and at most height lines. Pure.
	View() string
	// SetSize gives the screen its area. It may be as small as 1×1 (the
	// console goes down to 40×12) and must never panic.
	SetSize(width, height int)
	// Title is this screen's part of the breadcrumb: "protoss", "zone2",
	// "198.51.100.12:2882", "tasks", "task 42".
	Title() string
	// ShortHelp lists the keys for the footer, most important first (the
	// footer drops the least important when narrow). Globals are added by
	// the root.
	ShortHelp() []key.Binding
	// FullHelp lists this screen's keys in columns for the help screen.
	FullHelp() [][]key.Binding
	// Capturing reports that the screen is taking text (a filter prompt, a
	// typed confirmation): the root then passes q, t and ? to it as text
	// instead of acting on them. ctrl+c still quits; ctrl+r still refreshes.
	Capturing() bool
	// Uses is what the screen shows from the store, the main read first.
	Uses() store.Uses
}

// Modal is implemented by dialogs and the help screen: the root skips
// global keys other than ctrl+c while one is shown.
type Modal interface {
	Screen
	Modal() bool
}

// IsModal reports whether s is a modal screen.
func IsModal(s Screen) bool {
	m, ok := s.(Modal)
	return ok && m.Modal()
}

// Overlay is implemented by a screen drawn over the one below without
// replacing it (help): the store keeps polling what the one below uses.
type Overlay interface {
	Overlay() bool
}

// IsOverlay reports whether s is an overlay.
func IsOverlay(s Screen) bool {
	o, ok := s.(Overlay)
	return ok && o.Overlay()
}

// Placed is implemented by a screen that says what it shows, for the other
// operators of an obconsole ssh server (presence): the kind of screen, the
// cluster, zone and task, the restart dialog open. The root tells
// presence the place of the shown screen whenever it changes.
type Placed interface {
	Place() presence.Place
}

// NoUses is the Uses of a screen that shows nothing from the store.
func NoUses() store.Uses { return store.Uses{} }

// TaskPlace is the place of a screen showing task id (the Task view, a
// step's log): its cluster from t, the task as last read (nil: not read),
// or from what the console has read of it.
func TaskPlace(ctx *Context, id int64, t *ocp.Task) presence.Place {
	p := presence.Place{Screen: presence.ScreenTask, TaskID: id}
	if t != nil {
		p.ClusterID, p.Cluster = t.ClusterID, t.ClusterName()
	}
	if p.ClusterID == 0 || p.Cluster == "" {
		if ti, ok := ctx.Names.Task(id); ok {
			p.ClusterID = cmp.Or(p.ClusterID, ti.ClusterID)
			p.Cluster = cmp.Or(p.Cluster, ti.Cluster)
		}
	}
	return p
}
