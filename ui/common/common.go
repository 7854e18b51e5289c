// Package common is what every screen of the console shares: the program
// Context (size, theme, keys, executor, flags, backend time), the Screen
// interface the root's screen stack is made of, and the messages screens
// use to talk to the root (navigation, toasts, ticks, fetch results).
//
// Rules every screen follows (DESIGN.md, "Rules of the house"):
//   - View() is a pure function of the model and the size given by SetSize:
//     no I/O, no clock reads, no goroutines in Update or View.
//   - All I/O runs in tea.Cmds that return messages. Time arrives as TickMsg
//     carrying the backend's now (backend.Executor.Now, called inside a Cmd);
//     screens read ctx.Now, never time.Now.
//   - Look comes from ctx.Theme, keys from ctx.Keys; nothing is hard-coded.
package common

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/keys"
	"github.com/obconsole/obconsole/ui/presence"
	"github.com/obconsole/obconsole/ui/store"
)

// DefaultRefresh is the polling interval when none is configured.
const DefaultRefresh = time.Second

// Context is the one program context every screen receives (as a pointer,
// shared): it is owned by the root model, which updates Width, Height and
// Now from Update; screens read it and never write it.
//
// A tea.Cmd runs on another goroutine: a screen must copy what it needs
// from the Context (the store's reader, ids, Now) into locals before
// building the Cmd's closure, never read the Context from inside it.
type Context struct {
	// Width and Height are the terminal's size. A screen's own area is
	// given by Screen.SetSize.
	Width, Height int
	Theme         *theme.Theme
	Keys          *keys.KeyMap
	// Store is the console's data: screens read what they show from it
	// and ask it for what they need (Uses, Reload, actions). It is the
	// only way a screen reaches the executor.
	Store *store.Store
	// Exec is the executor with every answer feeding Names and every
	// mutating call named for the journal; the Store reads and acts
	// through it. Screens never call it.
	Exec backend.Executor
	// Names is what the console has read, by id (see Names).
	Names *Names
	// Target is Exec.Describe(), taken once at start.
	Target   backend.Target
	ReadOnly bool
	// Refresh is how often shown lists and live views poll.
	Refresh time.Duration
	// Now is the backend's time as of the latest TickMsg (zero before the
	// first): elapsed times and ages are measured against it.
	Now time.Time
	// Redactor is the process's one redactor: the root passes every frame
	// through it, so a secret that reached a string from anywhere never
	// reaches the screen. Nil redacts nothing.
	Redactor *safetext.Redactor
	// Lifetime is cancelled when the program ends; the store's reads and
	// actions run in it, so nothing outlives the console.
	Lifetime context.Context
	// Presence is this console's place among the operators of one
	// obconsole ssh server (the root sets it from ui.Options); nil for a
	// console of its own, which shows nothing of others. Screens read it
	// in Update only (a restart dialog on OthersMsg), never in View.
	Presence *presence.Member

	ids atomic.Int64
}

// NewContext builds a Context; exec may not be nil. A zero refresh means
// DefaultRefresh; nil theme or keys mean the defaults.
func NewContext(exec backend.Executor, th *theme.Theme, km *keys.KeyMap, readOnly bool, refresh time.Duration) *Context {
	if th == nil {
		th = theme.Default()
	}
	if km == nil {
		km = keys.New(th.ASCII())
	}
	if refresh <= 0 {
		refresh = DefaultRefresh
	}
	names := NewNames()
	c := &Context{
		Theme:    th,
		Keys:     km,
		Exec:     names.Wrap(exec),
		Names:    names,
		Target:   exec.Describe(),
		ReadOnly: readOnly,
		Refresh:  refresh,
		Lifetime: context.Background(),
	}
	// Reads go to exec itself and teach Names through the store (whose
	// answers may come from the shared layer); actions go through the
	// naming executor, for the journal.
	c.Store = store.New(store.Options{Read: exec, Act: c.Exec, Learn: names, Refresh: refresh,
		Base: func() context.Context { return c.Lifetime }})
	return c
}

// UseShared makes the console read through the shared layer sh, which
// every console of the process (obconsole ssh: one per session) is given.
func (c *Context) UseShared(sh *store.Shared) { c.Store.UseShared(sh) }

// NewID returns a number unique within the program: a screen tags a
// one-off read with it, so an answer to an older read is ignored.
func (c *Context) NewID() int64 { return c.ids.Add(1) }

// Line is s, text from outside (a name, a message), made safe for one line
// of the screen with every secret the process knows removed. Secrets go
// before the text is cut to a width, so no part of one is ever drawn.
func (c *Context) Line(s string) string { return c.Redactor.SafeLine(s) }

// ErrorText is common.ErrorText with secrets removed: for every error drawn
// in a pane or dialog (OCP may echo a credential in a message or trace id).
func (c *Context) ErrorText(err error) string {
	if err == nil {
		return ""
	}
	var be *backend.Error
	if errors.As(err, &be) {
		return c.Line(be.Error())
	}
	return c.Line(err.Error())
}

// Styles is a shortcut for c.Theme.Styles.
func (c *Context) Styles() *theme.Styles { return &c.Theme.Styles }

// Refuse returns the toast that refuses a mutating action in --readonly.
// Screens check ctx.ReadOnly before opening any confirmation and return
// this instead.
func (c *Context) Refuse(action string) tea.Cmd {
	return Toast(ToastWarn, "read-only: %s is disabled (started with --readonly)", action)
}

// ---- Messages --------------------------------------------------------

// TickMsg is the root's refresh tick, every ctx.Refresh; the root hands it
// to the store (which polls what the shown screen uses) and to the shown
// screen. Now is the backend's time, read inside the tick's Cmd; the root
// has already copied it into ctx.Now when a screen sees the message.
type TickMsg struct{ Now time.Time }

// RefreshMsg tells the shown screen the operator pressed ctrl+r; the store
// has already read again what the screen uses (Store.Refresh). A screen
// with reads of its own (a restart dialog's check) makes them again;
// Probe is set while OCP denies access: then it makes none.
type RefreshMsg struct{ Probe bool }

// ShownMsg tells a screen it has become the shown one (pushed, or
// uncovered by a pop); the store has already loaded what it lacks.
type ShownMsg struct{}

// OthersMsg tells the shown screen that the other operators (ctx.Presence)
// may have moved: sent on every tick and with each of their actions
// (Event), only when there is a Presence. A screen that shows them (a
// restart dialog's warning) reads ctx.Presence again.
type OthersMsg struct {
	// Event is another operator's action that concerns what this console
	// looks at; nil on a tick.
	Event *presence.Event
}

// QuitMsg asks the root to quit, as q does (it may ask first).
type QuitMsg struct{}

// Quit returns a Cmd delivering QuitMsg.
func Quit() tea.Cmd { return func() tea.Msg { return QuitMsg{} } }

// ToastLevel is how loud a toast is.
type ToastLevel int

const (
	ToastInfo ToastLevel = iota
	ToastWarn
	ToastError
)

// ToastMsg shows a short message above the status bar for a few ticks.
type ToastMsg struct {
	Level ToastLevel
	Text  string
}

// Toast returns a Cmd delivering a ToastMsg.
func Toast(level ToastLevel, format string, args ...any) tea.Cmd {
	text := fmt.Sprintf(format, args...)
	return func() tea.Msg { return ToastMsg{Level: level, Text: text} }
}

// ErrorToast turns a backend error into a toast naming what failed.
func ErrorToast(err error) tea.Cmd {
	if err == nil {
		return nil
	}
	return Toast(ToastError, "%s", ErrorText(err))
}

// ErrorText is the operator's wording of an error: the backend's own text
// for *backend.Error (it names the operation and kind), the plain error
// otherwise. It carries OCP's message and trace id, so it is made safe for
// one line (safetext.Line); Context.ErrorText also removes secrets.
func ErrorText(err error) string {
	var be *backend.Error
	if errors.As(err, &be) {
		return safetext.Line(be.Error())
	}
	if err == nil {
		return ""
	}
	return safetext.Line(err.Error())
}

// Denied reports an error by which OCP refused the credentials or the
// access (401 Unauthorized, 403 Forbidden): the console stops polling
// until the operator acts (store.Denied).
func Denied(err error) bool { return store.Denied(err) }

// PushMsg puts a screen on top of the stack.
type PushMsg struct{ Screen Screen }

// Push returns a Cmd pushing s.
func Push(s Screen) tea.Cmd { return func() tea.Msg { return PushMsg{Screen: s} } }

// PopMsg removes the top screen (esc on a screen with nothing to clear, or
// a dialog closing). The root never pops its last screen.
type PopMsg struct{}

// Pop returns a Cmd delivering PopMsg.
func Pop() tea.Cmd { return func() tea.Msg { return PopMsg{} } }

// OpenTaskMsg opens the Task view on a task. With ReplaceTop the top screen
// (a confirmation dialog) is closed first, so esc from the task view goes
// back to where the operator was before the dialog.
type OpenTaskMsg struct {
	TaskID     int64
	ReplaceTop bool
}

// OpenTask returns a Cmd delivering OpenTaskMsg.
func OpenTask(taskID int64, replaceTop bool) tea.Cmd {
	return func() tea.Msg { return OpenTaskMsg{TaskID: taskID, ReplaceTop: replaceTop} }
}
