package common

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/ui/store"
)

// ListSpec makes a list screen: its columns, where its items come from in
// the store, how an item becomes a row, and its own keys. Everything else
// (polling through the store, stale data kept on failure, the `/` filter,
// moving, sorting, the mouse, the heading and its counts) is List's.
type ListSpec[T any] struct {
	Crumb   string // the breadcrumb's part: "clusters", "zone2"
	Noun    string // names the items: "clusters", "servers"
	Heading string // the first line: "Servers of zone2 in protoss"
	Columns []Column
	// Key is the store entry listed.
	Key store.Key
	// Items reads the entry's items and state from the store.
	Items func(st *store.Store, k store.Key) ([]T, store.State)
	// Row maps item i to its row.
	Row func(i int, item *T) Row
	// Keys handles the screen's own keys (enter, r…); sel is the selected
	// item, nil when none. Nil: none.
	Keys func(msg tea.KeyMsg, sel *T) tea.Cmd
	// Short is the footer's keys, most important first (sel as in Keys).
	Short func(sel *T) []key.Binding
	// Full is the screen's own keys for the help screen.
	Full [][]key.Binding
	// Copy is what c copies of the selected item.
	Copy func(*T) string
	// Back: esc with nothing to clear goes back (every list but the first).
	Back bool
	// Extra are further entries the screen uses (a roll-up, a lookup), and
	// Changed takes their answers: whether the rows must be rebuilt, and
	// what to do.
	Extra   func() []store.Use
	Changed func(store.ChangedMsg) (rebuild bool, cmd tea.Cmd)
}

// List is a list screen over a ListSpec; a screen embeds it (or is it)
// and adds what only it has. It implements Screen for the screen that
// embeds it (self).
type List[T any] struct {
	Ctx   *Context
	Table *Table
	spec  ListSpec[T]
	self  Screen

	key     store.Key // the entry the rows were built from
	version uint64    // its version then
	items   []T       // its items then: item i is row i
	loaded  bool      // rows were built from an answer
	err     error     // the last answer's error, nil when it worked
	typing  bool
	prompt  Prompt
	width   int
	height  int
}

// NewList builds a list for self (the screen embedding it), starting from
// what the store already holds.
func NewList[T any](ctx *Context, self Screen, spec ListSpec[T]) *List[T] {
	l := &List[T]{Ctx: ctx, Table: NewTable(ctx.Theme, spec.Columns), spec: spec, self: self, key: spec.Key, prompt: NewPrompt(0)}
	l.sync(false)
	return l
}

// sync takes the entry's items from the store when they are newer than
// the rows (always, with force), and its error.
func (l *List[T]) sync(force bool) {
	items, st := l.spec.Items(l.Ctx.Store, l.spec.Key)
	l.err = st.Err
	if !st.Loaded || (!force && l.loaded && l.key == l.spec.Key && st.Version == l.version) {
		return
	}
	l.key, l.version, l.items, l.loaded = l.spec.Key, st.Version, items, true
	l.Rebuild()
}

// Rebuild maps every item to its row again (what a row shows changed
// elsewhere: a roll-up).
func (l *List[T]) Rebuild() {
	rows := make([]Row, len(l.items))
	for i := range l.items {
		rows[i] = l.spec.Row(i, &l.items[i])
	}
	l.Table.SetRows(rows)
}

// Set shows items as if the store had answered them (tests, benchmarks).
func (l *List[T]) Set(items []T) {
	l.items, l.loaded, l.err = items, true, nil
	l.Rebuild()
}

// SetKey lists another entry (a changed server-side filter) under a new
// heading; the rows stay until its first answer.
func (l *List[T]) SetKey(k store.Key, heading string) {
	l.spec.Key, l.spec.Heading = k, heading
	l.sync(false)
}

// Key is the entry listed.
func (l *List[T]) Key() store.Key { return l.spec.Key }

// Items are the items the rows show.
func (l *List[T]) Items() []T { return l.items }

// Selected is the selected item, nil when none.
func (l *List[T]) Selected() *T {
	i := l.Table.SelectedIndex()
	if i < 0 || i >= len(l.items) {
		return nil
	}
	return &l.items[i]
}

// Uses is the entry listed (and, while another is loading after a filter
// changed, the one the rows show), and the spec's extra entries.
func (l *List[T]) Uses() store.Uses {
	uses := []store.Use{{Key: l.spec.Key, Every: 1}}
	if l.loaded && l.key != l.spec.Key {
		uses = append(uses, store.Use{Key: l.key})
	}
	if l.spec.Extra != nil {
		uses = append(uses, l.spec.Extra()...)
	}
	return store.Uses{List: uses}
}

func (l *List[T]) Init() tea.Cmd    { return nil }
func (l *List[T]) Title() string    { return l.spec.Crumb }
func (l *List[T]) Capturing() bool  { return l.typing }
func (l *List[T]) SetSize(w, h int) { l.width, l.height = w, h; l.resizeTable() }

// Update takes the store's answers, the filter prompt, moving and
// sorting, then the screen's own keys.
func (l *List[T]) Update(msg tea.Msg) (Screen, tea.Cmd) {
	switch msg := msg.(type) {
	case store.ChangedMsg:
		if msg.Key != l.spec.Key {
			if l.spec.Changed == nil {
				return l.self, nil
			}
			rebuild, cmd := l.spec.Changed(msg)
			if rebuild {
				l.Rebuild()
			}
			return l.self, cmd
		}
		l.sync(msg.Changed)
		if msg.Failed {
			return l.self, Toast(ToastError, "refresh failed, showing the last %s: %s", l.spec.Noun, ErrorText(msg.State.Err))
		}
	case ShownMsg:
		l.sync(false)
	case tea.KeyMsg:
		if l.HandleKey(msg) {
			return l.self, nil
		}
		if l.spec.Back && key.Matches(msg, l.Ctx.Keys.Back) {
			return l.self, Pop()
		}
		if l.spec.Keys != nil {
			return l.self, l.spec.Keys(msg, l.Selected())
		}
	}
	return l.self, nil
}

// noun is Noun, singular for one item ("1 server").
func (l *List[T]) noun(n int) string {
	if n == 1 {
		return strings.TrimSuffix(l.spec.Noun, "s")
	}
	return l.spec.Noun
}

// Stale reports that the rows shown are from before a failed refresh.
func (l *List[T]) Stale() bool { return l.loaded && l.err != nil }

// Loaded reports that the rows are an answer's.
func (l *List[T]) Loaded() bool { return l.loaded }

// Typing reports the filter prompt is open (the screen is capturing).
func (l *List[T]) Typing() bool { return l.typing }

// HandleKey handles the filter prompt, moving and sorting. It returns
// false for keys the screen handles itself (enter, r, esc with nothing to
// clear…).
func (l *List[T]) HandleKey(msg tea.KeyMsg) (handled bool) {
	km := l.Ctx.Keys
	t := l.Table
	if l.typing {
		switch msg.Type {
		case tea.KeyEsc:
			l.typing = false
			l.setFilter("")
		case tea.KeyEnter:
			l.typing = false
		case tea.KeyUp:
			t.Move(-1)
		case tea.KeyDown:
			t.Move(1)
		case tea.KeyBackspace:
			if l.prompt.Value() == "" {
				l.typing = false
				break
			}
			fallthrough
		default:
			if l.prompt.Edit(msg) {
				t.SetFilter(l.prompt.Value())
			}
		}
		return true
	}
	if delta, ok := km.Move(msg, t.Page()); ok {
		t.Move(delta)
		return true
	}
	if key.Matches(msg, km.Back) && t.Filter() != "" {
		l.setFilter("")
		return true
	}
	for _, a := range []struct {
		b  key.Binding
		do func()
	}{
		{km.Filter, func() { l.typing = true }}, {km.SortNext, func() { t.SortNext(1) }},
		{km.SortPrev, func() { t.SortNext(-1) }}, {km.SortInvert, t.InvertSort},
	} {
		if key.Matches(msg, a.b) {
			a.do()
			return true
		}
	}
	return false
}

func (l *List[T]) setFilter(q string) {
	l.prompt.SetValue(q)
	l.Table.SetFilter(q)
}

func (l *List[T]) filterShown() bool { return l.typing || l.Table.Filter() != "" }

func (l *List[T]) resizeTable() {
	h := l.height - 1
	if l.filterShown() {
		h--
	}
	l.Table.SetSize(l.width, max(h, 0))
}

// View renders the list in its area.
func (l *List[T]) View() string {
	if l.width <= 0 || l.height <= 0 {
		return ""
	}
	l.resizeTable()
	th := l.Ctx.Theme
	st := &th.Styles
	t := l.Table
	noun := l.spec.Noun

	right := fmt.Sprintf("%d %s", t.Len(), l.noun(t.Len()))
	if t.Filter() != "" {
		right = fmt.Sprintf("%d of %d %s", t.Matches(), t.Len(), noun)
	}
	if t.Matches() > t.Page() {
		from, to := t.Window()
		right = fmt.Sprintf("%d-%d of ", from+1, to) + right
	}
	right = st.Muted.Render(right)
	if l.Stale() {
		right = st.BadgeWarn.Render("STALE") + " " + right
	}
	lines := []string{JoinEnds(st.Title.Render(safetext.Line(l.spec.Heading)), right, l.width)}

	body := ""
	switch {
	case !l.loaded && l.err != nil:
		retry := "Retrying, less often while it fails; ctrl+r retries now."
		if Denied(l.err) {
			retry = "Not retrying while access is denied; ctrl+r tries again."
		}
		body = st.Error.Render(th.Truncate("Could not load "+noun+": "+l.Ctx.ErrorText(l.err), l.width)) + "\n" +
			st.Muted.Render(th.Truncate(retry, l.width))
	case !l.loaded:
		body = st.Muted.Render("Loading " + noun + th.Glyphs.Ellipsis)
	case t.Len() == 0:
		body = st.Muted.Render("No " + noun + ".")
	case t.Matches() == 0:
		body = t.View(l.Stale()) + "\n" + st.Muted.Render(th.Truncate("  Nothing matches \""+safetext.Line(t.Filter())+"\".", l.width))
	default:
		body = t.View(l.Stale())
	}
	lines = append(lines, body)
	if l.filterShown() {
		lines = append(lines, l.filterLine())
	}
	return Fit(strings.Join(lines, "\n"), l.width, l.height)
}

func (l *List[T]) filterLine() string {
	st := &l.Ctx.Theme.Styles
	t := l.Table
	count := st.MatchCount.Render(fmt.Sprintf("%d of %d match", t.Matches(), t.Len()))
	if l.typing {
		s := st.FilterBar.Render("/ ") + l.prompt.View(st.FilterBar, st.SelectedRow) + "  " + count
		if hint := st.Muted.Render("  enter keep esc clear"); ansi.StringWidth(s+hint) <= l.width {
			s += hint
		}
		return s
	}
	return st.FilterBar.Render("filter: "+safetext.Line(t.Filter())) + "  " + count + st.Muted.Render("  (esc clears)")
}

// ShortHelp is the footer's keys: the prompt's while typing, else the
// screen's.
func (l *List[T]) ShortHelp() []key.Binding {
	km := l.Ctx.Keys
	if l.typing {
		return []key.Binding{km.FilterApply, key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter"))}
	}
	if l.spec.Short == nil {
		return []key.Binding{km.Up, km.Down, km.Filter}
	}
	return l.spec.Short(l.Selected())
}

// FullHelp is the screen's own keys.
func (l *List[T]) FullHelp() [][]key.Binding { return l.spec.Full }

// NavHelp is the list keys for the help screen: moving, filtering and
// sorting.
func (l *List[T]) NavHelp() []key.Binding {
	return append(l.Ctx.Keys.Navigation(), l.Ctx.Keys.Sorting()...)
}

// CopyText is what c copies: the spec's Copy of the selected item.
func (l *List[T]) CopyText() (string, bool) {
	sel := l.Selected()
	if sel == nil || l.spec.Copy == nil {
		return "", false
	}
	return l.spec.Copy(sel), true
}

// HandleMouse selects the row clicked, scrolls with the wheel, and sorts
// by the column whose title is clicked (again: the other way). y is the
// line in the list's area (0 is the heading).
func (l *List[T]) HandleMouse(msg tea.MouseMsg) bool {
	t := l.Table
	switch {
	case msg.Button == tea.MouseButtonWheelUp && msg.Action == tea.MouseActionPress:
		t.Move(-1)
	case msg.Button == tea.MouseButtonWheelDown && msg.Action == tea.MouseActionPress:
		t.Move(1)
	case msg.Button == tea.MouseButtonLeft && msg.Action == tea.MouseActionPress:
		if !l.loaded {
			return false
		}
		return t.Click(msg.X, msg.Y-1)
	default:
		return false
	}
	return true
}
