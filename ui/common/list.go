package common

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend/safetext"
)

// ListFetchedMsg carries one list screen's fetch result. ID is the List's
// id: every other list ignores it.
type ListFetchedMsg struct {
	ID   int64
	Data any
	Err  error
	At   time.Time // backend time of the answer
}

// FetchFunc loads a list; it runs inside a tea.Cmd.
type FetchFunc func(ctx context.Context) (any, error)

// List is the behaviour every list screen shares: polling only while
// shown, one request in flight at most, stale data kept on failure, the
// `/` filter prompt with its match count, and list movement keys. A screen
// embeds a List, builds its rows, and adds its own keys (enter, r, s…).
type List struct {
	Ctx   *Context
	ID    int64
	Table *Table
	// Noun names the items: "clusters", "servers".
	Noun string
	// Heading is the first line: "Servers of zone2 (protoss)".
	Heading string

	fetch    FetchFunc
	typing   bool
	loaded   bool
	err      error // last fetch error; nil when the last fetch worked
	inflight bool
	width    int
	height   int
}

// NewList builds a List over table, loading with fetch.
func NewList(ctx *Context, table *Table, noun, heading string, fetch FetchFunc) *List {
	return &List{Ctx: ctx, ID: ctx.NewID(), Table: table, Noun: noun, Heading: heading, fetch: fetch}
}

// SetFetch replaces how the list loads (a changed server-side filter);
// the next Load uses it.
func (l *List) SetFetch(fetch FetchFunc) { l.fetch = fetch }

// SetHeading replaces the first line's title.
func (l *List) SetHeading(h string) { l.Heading = h }

// Load returns the Cmd fetching the list now, or nil when a fetch is
// already in flight (never two at once).
func (l *List) Load() tea.Cmd {
	if l.inflight {
		return nil
	}
	l.inflight = true
	id, exec, fetch, base := l.ID, l.Ctx.Exec, l.fetch, l.Ctx.Lifetime
	return func() tea.Msg {
		data, err := fetch(base)
		return ListFetchedMsg{ID: id, Data: data, Err: err, At: exec.Now()}
	}
}

// Poll answers TickMsg, ShownMsg and RefreshMsg with a fetch; the root
// only sends them while the list is shown.
func (l *List) Poll(msg tea.Msg) (tea.Cmd, bool) {
	switch msg.(type) {
	case TickMsg, ShownMsg, RefreshMsg:
		return l.Load(), true
	}
	return nil, false
}

// Done records a fetch result and returns the messages for the root: the
// status bar's FetchedMsg and, when the list goes from fresh to failing,
// one error toast (not one per tick). ok tells the caller to use msg.Data.
func (l *List) Done(msg ListFetchedMsg) (cmd tea.Cmd, ok bool) {
	l.inflight = false
	cmds := []tea.Cmd{Fetched(msg.At, msg.Err)}
	if msg.Err != nil {
		// A denial is said once, by the root, which stops all polling.
		if l.err == nil && !Denied(msg.Err) {
			cmds = append(cmds, Toast(ToastError, "refresh failed, showing the last %s: %s", l.Noun, ErrorText(msg.Err)))
		}
		l.err = msg.Err
		return tea.Batch(cmds...), false
	}
	l.err = nil
	l.loaded = true
	return tea.Batch(cmds...), true
}

// noun is Noun, singular for one item ("1 server").
func (l *List) noun(n int) string {
	if n == 1 {
		return strings.TrimSuffix(l.Noun, "s")
	}
	return l.Noun
}

// Stale reports that the rows shown are from before a failed refresh.
func (l *List) Stale() bool { return l.loaded && l.err != nil }

// Loaded reports that at least one fetch worked.
func (l *List) Loaded() bool { return l.loaded }

// Err is the last fetch error, nil when the last fetch worked.
func (l *List) Err() error { return l.err }

// Typing reports the filter prompt is open (the screen is capturing).
func (l *List) Typing() bool { return l.typing }

// HandleKey handles the filter prompt and movement. It returns handled =
// false for keys the screen must handle itself (enter, r, esc with nothing
// to clear…).
func (l *List) HandleKey(msg tea.KeyMsg) (handled bool) {
	km := l.Ctx.Keys
	t := l.Table
	if l.typing {
		switch msg.Type {
		case tea.KeyEsc:
			l.typing = false
			t.SetFilter("")
		case tea.KeyEnter:
			l.typing = false
		case tea.KeyBackspace:
			if q := []rune(t.Filter()); len(q) > 0 {
				t.SetFilter(string(q[:len(q)-1]))
			} else {
				l.typing = false
			}
		case tea.KeyCtrlU:
			t.SetFilter("")
		case tea.KeyUp, tea.KeyDown:
			if msg.Type == tea.KeyUp {
				t.Move(-1)
			} else {
				t.Move(1)
			}
		case tea.KeyRunes, tea.KeySpace:
			t.SetFilter(t.Filter() + string(msg.Runes))
		}
		return true
	}
	switch {
	case key.Matches(msg, km.Up):
		t.Move(-1)
	case key.Matches(msg, km.Down):
		t.Move(1)
	case key.Matches(msg, km.PageUp):
		t.Move(-t.Page())
	case key.Matches(msg, km.PageDown):
		t.Move(t.Page())
	case key.Matches(msg, km.Top):
		t.Top()
	case key.Matches(msg, km.Bottom):
		t.Bottom()
	case key.Matches(msg, km.Filter):
		l.typing = true
	case key.Matches(msg, km.SortNext):
		t.SortNext(1)
	case key.Matches(msg, km.SortPrev):
		t.SortNext(-1)
	case key.Matches(msg, km.SortInvert):
		t.InvertSort()
	case key.Matches(msg, km.Back) && t.Filter() != "":
		t.SetFilter("")
	default:
		return false
	}
	return true
}

// SetSize gives the list its area: heading, table, and the filter line
// when a filter is open or set.
func (l *List) SetSize(width, height int) {
	l.width, l.height = width, height
	l.resizeTable()
}

func (l *List) filterShown() bool { return l.typing || l.Table.Filter() != "" }

func (l *List) resizeTable() {
	h := l.height - 1
	if l.filterShown() {
		h--
	}
	l.Table.SetSize(l.width, max(h, 0))
}

// View renders the list in its area.
func (l *List) View() string {
	if l.width <= 0 || l.height <= 0 {
		return ""
	}
	l.resizeTable()
	th := l.Ctx.Theme
	st := &th.Styles
	t := l.Table

	right := fmt.Sprintf("%d %s", t.Len(), l.noun(t.Len()))
	if t.Filter() != "" {
		right = fmt.Sprintf("%d of %d %s", t.Matches(), t.Len(), l.Noun)
	}
	if t.Matches() > t.Page() {
		from, to := t.Window()
		right = fmt.Sprintf("%d-%d of ", from+1, to) + right
	}
	right = st.Muted.Render(right)
	if l.Stale() {
		right = st.BadgeWarn.Render("STALE") + " " + right
	}
	lines := []string{JoinEnds(st.Title.Render(safetext.Line(l.Heading)), right, l.width)}

	body := ""
	switch {
	case !l.loaded && l.err != nil:
		retry := "Retrying, less often while it fails; ctrl+r retries now."
		if Denied(l.err) {
			retry = "Not retrying while access is denied; ctrl+r tries again."
		}
		body = st.Error.Render(th.Truncate("Could not load "+l.Noun+": "+l.Ctx.ErrorText(l.err), l.width)) + "\n" +
			st.Muted.Render(th.Truncate(retry, l.width))
	case !l.loaded:
		body = st.Muted.Render("Loading " + l.Noun + th.Glyphs.Ellipsis)
	case t.Len() == 0:
		body = st.Muted.Render("No " + l.Noun + ".")
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

func (l *List) filterLine() string {
	st := &l.Ctx.Theme.Styles
	t := l.Table
	count := st.MatchCount.Render(fmt.Sprintf("%d of %d match", t.Matches(), t.Len()))
	if l.typing {
		// The filter may hold a paste: drawn as text, never as controls.
		prompt := st.FilterBar.Render("/ " + safetext.Line(t.Filter()))
		caret := st.SelectedRow.Render(" ")
		hint := st.Muted.Render("  enter keep" + " " + "esc clear")
		s := prompt + caret + "  " + count
		if ansi.StringWidth(s+hint) <= l.width {
			s += hint
		}
		return s
	}
	return st.FilterBar.Render("filter: "+safetext.Line(t.Filter())) + "  " + count + st.Muted.Render("  (esc clears)")
}

// ShortHelp is the list keys for the footer.
func (l *List) ShortHelp() []key.Binding {
	km := l.Ctx.Keys
	if l.typing {
		return []key.Binding{km.FilterApply, key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter"))}
	}
	return []key.Binding{km.Up, km.Down, km.Filter}
}

// NavHelp is the list keys for the help overlay: moving, filtering and
// sorting.
func (l *List) NavHelp() []key.Binding {
	return append(l.Ctx.Keys.Navigation(), l.Ctx.Keys.Sorting()...)
}

// HandleMouse selects the row clicked, scrolls with the wheel, and sorts
// by the column whose title is clicked (again: the other way). y is the
// line in the list's area (0 is the heading).
func (l *List) HandleMouse(msg tea.MouseMsg) bool {
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
