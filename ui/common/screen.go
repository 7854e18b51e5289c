package common

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// Screen is one page of the console: a list, the Task view, or a dialog.
// The root model keeps a stack of them; only the top one is shown.
//
// Life of a screen:
//  1. It is built by its package's constructor, e.g. taskview.New(ctx,
//     taskID), which takes the shared *Context and does no I/O.
//  2. The root pushes it (PushMsg, OpenTaskMsg), calls SetSize with the
//     area below the breadcrumb and above the footer, then runs Init and
//     sends ShownMsg.
//  3. Update receives:
//     - tea.KeyMsg, only while it is on top. The root handles ctrl+c
//     always, and q, ?, t and ctrl+r itself unless Capturing() is true;
//     every other key (esc included) goes to the screen, which returns
//     Pop() when esc means "back".
//     - tea.MouseMsg, only while it is on top, with Y counted from the
//     top of its own area (the root takes the breadcrumb off); a screen
//     with a HandleMouse(tea.MouseMsg) bool method gets it there instead.
//     - TickMsg (ctx.Now already updated) and RefreshMsg, ShownMsg, only
//     while on top: poll on these, so nothing polls while hidden. The root
//     holds ticks back while reads fail (back-off) and while OCP denies
//     access; a RefreshMsg with Probe asks for one read only.
//     - every other message, whether on top or not: results of its own
//     Cmds, which it recognises by an id from ctx.NewID() carried in the
//     message, ignoring everyone else's.
//     After each fetch it returns Fetched(at, err) so the status bar shows
//     the refresh age and connection health (and the root can stop or slow
//     polling); on a failed refresh it keeps the last data, marks it stale
//     in its View, and returns an error toast, except for a denial
//     (common.Denied), which the root says once.
//  4. It is dropped when popped; Cmds still running deliver results nobody
//     claims, which is harmless.
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
	// Init returns the first fetch, if any.
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
	// footer cuts from the end when narrow). Globals are added by the root.
	ShortHelp() []key.Binding
	// FullHelp lists this screen's keys in columns for the ? overlay.
	FullHelp() [][]key.Binding
	// Capturing reports that the screen is taking text (a filter prompt, a
	// typed confirmation): the root then passes q, t and ? to it as text
	// instead of acting on them. ctrl+c still quits; ctrl+r still refreshes.
	Capturing() bool
}

// Modal is implemented by dialogs. The root draws a modal centred in the
// content area and skips global keys other than ctrl+c while it is shown.
type Modal interface {
	Screen
	Modal() bool
}

// IsModal reports whether s is a modal dialog.
func IsModal(s Screen) bool {
	m, ok := s.(Modal)
	return ok && m.Modal()
}
