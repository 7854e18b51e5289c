// Package keys is the one place the console declares its keys: a single
// bubbles/key KeyMap whose help text feeds both the footer and the `?`
// overlay. Screens match keys with key.Matches(msg, km.X) and list the
// bindings they use in ShortHelp/FullHelp; they never hard-code key names.
package keys

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// KeyMap holds every binding. Bindings that mean different things in
// different places (f: force in the restart dialog, follow in the task
// view) are separate fields that happen to share a key.
type KeyMap struct {
	// Navigation (every list)
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
	Enter    key.Binding // open / drill down
	Back     key.Binding // esc: clear the filter, close a dialog, go back

	// Global
	Filter      key.Binding
	Tasks       key.Binding
	Refresh     key.Binding
	Help        key.Binding
	Quit        key.Binding
	ForceQuit   key.Binding // ctrl+c, always, even while typing
	AllServers  key.Binding // a cluster's servers across all zones
	Restart     key.Binding // mutating: refused in --readonly
	FilterApply key.Binding // enter while typing a filter: keep it, leave the prompt
	Command     key.Binding // ":": the command line (jump to a screen, a task, a server)
	Copy        key.Binding // c: copy the selected id or address (OSC 52)
	OpenTask    key.Binding // o: open the task running on the selected server

	// Lists
	SortNext     key.Binding // >: sort by the next column
	SortPrev     key.Binding // <: sort by the previous column
	SortInvert   key.Binding // I: invert the sort
	StatusFilter key.Binding // f in Tasks: cycle the status filter (OCP's statuses)

	// Dialogs
	Confirm     key.Binding // y
	Cancel      key.Binding // n
	ForceToggle key.Binding // f in the restart dialog
	FocusNext   key.Binding // tab, →
	FocusPrev   key.Binding // shift+tab, ←
	// ForceTyping toggles force in the restart dialog even while a text
	// field has focus, where f is a letter (an IPv6 address or a zone
	// name may hold one); Toggle flips the focused checkbox. OpenTask (o,
	// above) also opens the running task a Conflict named.
	ForceTyping key.Binding // ctrl+f
	Toggle      key.Binding // space

	// Task view
	Follow       key.Binding // f: follow the running step again
	RetryTask    key.Binding // R, mutating
	RollbackTask key.Binding // B, mutating
	SkipStep     key.Binding // S, mutating
	RetryStep    key.Binding // T, mutating: the selected failed step alone
	CancelStep   key.Binding // C, mutating
	Log          key.Binding // l: the step's whole log

	// Step log view
	SearchNext key.Binding // n: next match of the / search
	SearchPrev key.Binding // N: previous match
}

// New builds the keymap. In ASCII mode the help text spells arrows as
// words, since --ascii allows no symbols anywhere.
func New(ascii bool) *KeyMap {
	up, down, left, right := "↑", "↓", "←", "→"
	if ascii {
		up, down, left, right = "up", "down", "left", "right"
	}
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return &KeyMap{
		Up:       b(up+"/k", "up", "up", "k"),
		Down:     b(down+"/j", "down", "down", "j"),
		PageUp:   b("pgup", "page up", "pgup", "ctrl+b"),
		PageDown: b("pgdn", "page down", "pgdown", "ctrl+f"),
		Top:      b("g/home", "top", "home", "g"),
		Bottom:   b("G/end", "bottom", "end", "G"),
		Enter:    b("enter", "open", "enter"),
		Back:     b("esc", "back", "esc"),

		Filter:      b("/", "filter", "/"),
		Tasks:       b("t", "tasks", "t"),
		Refresh:     b("ctrl+r", "refresh now", "ctrl+r"),
		Help:        b("?", "help", "?"),
		Quit:        b("q", "quit", "q"),
		ForceQuit:   b("ctrl+c", "quit", "ctrl+c"),
		AllServers:  b("s", "all servers", "s"),
		Restart:     b("r", "restart", "r"),
		FilterApply: b("enter", "keep filter", "enter"),
		Command:     b(":", "command line", ":"),
		Copy:        b("c", "copy id/address", "c"),
		OpenTask:    b("o", "open task", "o"),

		SortNext:     b(">", "sort column right", ">"),
		SortPrev:     b("<", "sort column left", "<"),
		SortInvert:   b("I", "invert sort", "I"),
		StatusFilter: b("f", "status filter", "f"),

		Confirm:     b("y", "confirm", "y"),
		Cancel:      b("n/esc", "cancel", "n", "esc"),
		ForceToggle: b("f", "force on/off", "f"),
		FocusNext:   b("tab/"+right, "next", "tab", "right"),
		FocusPrev:   b("shift+tab/"+left, "previous", "shift+tab", "left"),
		ForceTyping: b("ctrl+f", "force on/off", "ctrl+f"),
		Toggle:      b("space", "toggle", " "),

		Follow:       b("f", "follow", "f"),
		RetryTask:    b("R", "retry task", "R"),
		RollbackTask: b("B", "roll back", "B"),
		SkipStep:     b("S", "skip step", "S"),
		RetryStep:    b("T", "retry step", "T"),
		CancelStep:   b("C", "cancel step", "C"),
		Log:          b("l", "log", "l"),

		SearchNext: b("n", "next match", "n"),
		SearchPrev: b("N", "previous match", "N"),
	}
}

// Mutating lists the bindings that change the world; --readonly refuses
// every one of them.
func (k *KeyMap) Mutating() []key.Binding {
	return []key.Binding{k.Restart, k.RetryTask, k.RollbackTask, k.SkipStep, k.RetryStep, k.CancelStep}
}

// Global are the keys every screen accepts, for the help overlay.
func (k *KeyMap) Global() []key.Binding {
	return []key.Binding{k.Command, k.Tasks, k.Copy, k.Refresh, k.Help, k.Quit, k.ForceQuit}
}

// Moves are the movement keys (see Move), for help.
func (k *KeyMap) Moves() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}
}

// Navigation are the list movement keys, for the help overlay.
func (k *KeyMap) Navigation() []key.Binding {
	return append(k.Moves(), k.Enter, k.Back, k.Filter)
}

// Sorting are the list sort keys, for the help overlay.
func (k *KeyMap) Sorting() []key.Binding {
	return []key.Binding{k.SortPrev, k.SortNext, k.SortInvert}
}

// Far is a movement to the very top (-Far) or bottom (Far): clamped by
// whatever moves.
const Far = 1 << 30

// Move is what a movement key does, as a number of rows (page of them per
// page key, Far for the ends): up and k -1, down and j 1, pgup -page,
// pgdn page, g and home -Far, G and end Far. ok is false for other keys.
func (k *KeyMap) Move(msg tea.KeyMsg, page int) (delta int, ok bool) {
	for _, m := range []struct {
		b     key.Binding
		delta int
	}{{k.Up, -1}, {k.Down, 1}, {k.PageUp, -page}, {k.PageDown, page}, {k.Top, -Far}, {k.Bottom, Far}} {
		if key.Matches(msg, m.b) {
			return m.delta, true
		}
	}
	return 0, false
}
