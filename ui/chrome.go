package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/presence"
)

// The console's chrome around the shown screen: the breadcrumb, the
// footer (toast or keys) and the status bar.

// View draws breadcrumb, screen, footer and status bar in exactly the
// terminal's size. The whole frame passes a safety net last (see net.go):
// every secret is removed and nothing but the console's own colours can
// reach the terminal, whatever a screen let through.
func (m *Model) View() string {
	return safeFrame(m.ctx.Redactor.String(m.frame()))
}

// frame is the View before the safety net.
func (m *Model) frame() string {
	w, h := m.ctx.Width, m.ctx.Height
	if w <= 0 || h <= 0 {
		return ""
	}
	_, ch := m.contentSize()
	body := common.Fit(m.Top().View(), w, ch)
	if h <= chrome {
		return trimTrailingSpaces(body)
	}
	footer, status := m.footer(w), m.statusBar(w)
	switch {
	case m.quitAsk != nil:
		footer, status = m.quitLines(w)
	case m.cmd != nil:
		footer, status = m.cmdLines(w)
	}
	return trimTrailingSpaces(strings.Join([]string{m.breadcrumb(w), body, footer, status}, "\n"))
}

// trimTrailingSpaces drops the unstyled spaces that pad each line to the
// terminal's width: the renderer clears the rest of a short line itself,
// so the padding is only bytes on a slow link. Spaces inside a styled run
// (a highlighted row, the status bar) end before its reset and stay.
func trimTrailingSpaces(view string) string {
	lines := strings.Split(view, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// breadcrumb shows the stack's titles; when narrow, the oldest parts go
// first (the current screen stays).
func (m *Model) breadcrumb(w int) string {
	th := m.ctx.Theme
	st := &th.Styles
	sep := st.BreadcrumbSep.Render(th.Glyphs.BreadcrumbSep)
	titles := make([]string, len(m.stack))
	for i, s := range m.stack {
		// Titles name clusters, zones and servers as OCP spells them.
		titles[i] = safetext.Line(s.Title())
	}
	render := func(from int) string {
		parts := make([]string, 0, len(titles)-from+1)
		if from > 0 {
			parts = append(parts, st.Breadcrumb.Render(th.Glyphs.Ellipsis))
		}
		for i := from; i < len(titles); i++ {
			if i == len(titles)-1 {
				parts = append(parts, st.BreadcrumbLast.Render(titles[i]))
			} else {
				parts = append(parts, st.Breadcrumb.Render(titles[i]))
			}
		}
		return " " + strings.Join(parts, sep)
	}
	line := render(0)
	for from := 1; ansi.StringWidth(line) > w && from < len(titles); from++ {
		line = render(from)
	}
	return common.PadRight(line, w)
}

// footer shows a toast, or the screen's keys followed by ? and q (which
// always stay visible).
func (m *Model) footer(w int) string {
	th := m.ctx.Theme
	st := &th.Styles
	if m.toast != nil {
		style, icon := st.ToastInfo, ""
		switch m.toast.Level {
		case common.ToastWarn:
			style, icon = st.ToastWarn, th.Icon(theme.ToneWarn)+" "
		case common.ToastError:
			style, icon = st.ToastError, th.Icon(theme.ToneError)+" "
		}
		return common.PadRight(" "+style.Render(th.Truncate(icon+m.toast.Text, w-1)), w)
	}
	km := m.ctx.Keys
	top := m.Top()
	keys := m.allowed(top.ShortHelp())
	switch {
	case !common.IsModal(top) && !top.Capturing():
		keys = append(keys, km.Tasks, km.Help, km.Quit)
	case !slices.ContainsFunc(keys, func(b key.Binding) bool { return b.Help() == km.Quit.Help() }):
		// A dialog or a prompt takes q as text: ctrl+c is the way out
		// (help, which takes q, lists it itself).
		keys = append(keys, km.ForceQuit)
	}
	return common.PadRight(" "+m.keyHints(keys, w-1), w)
}

// hintPriority is how long a key stays in the footer as the width shrinks
// (higher stays longer): movement goes first (it is obvious and listed in
// ?), then t, then q; the screen's own keys stay, and esc, ?, y and n
// stay longest, so a narrow footer still says how to get out, confirm,
// cancel and find the rest.
func (m *Model) hintPriority(b key.Binding) int {
	km := m.ctx.Keys
	is := func(o key.Binding) bool { return b.Help() == o.Help() }
	switch {
	case is(km.Up), is(km.Down), is(km.PageUp), is(km.PageDown), is(km.Top), is(km.Bottom):
		return 0
	case is(km.Tasks):
		return 1
	case is(km.Quit), is(km.Filter):
		return 2
	case is(km.Back), is(km.Help), is(km.Confirm), is(km.Cancel), is(km.ForceQuit), slices.Contains(b.Keys(), "esc"):
		return 4
	}
	return 3
}

// keyHints renders the bindings' "key desc" items with bubbles/help,
// separated by bullets, in width: when they do not all fit, the least
// important go (see hintPriority) and ? says the rest are in help; an
// item is never cut.
func (m *Model) keyHints(bindings []key.Binding, width int) string {
	th := m.ctx.Theme
	st := &th.Styles
	h := help.New()
	h.ShortSeparator = th.Glyphs.Bullet
	h.Styles.ShortSeparator, h.Styles.ShortKey, h.Styles.ShortDesc = st.HelpSep, st.HelpKey, st.HelpDesc
	type hint struct {
		b    key.Binding
		prio int
	}
	var hints []hint
	for _, kb := range bindings {
		if !kb.Enabled() || kb.Help().Key == "" {
			continue
		}
		hints = append(hints, hint{b: kb, prio: m.hintPriority(kb)})
	}
	render := func(dropped bool) string {
		shown := make([]key.Binding, 0, len(hints))
		for _, x := range hints {
			b := x.b
			if dropped && b.Help() == m.ctx.Keys.Help.Help() {
				b = key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, "more keys"))
			}
			shown = append(shown, b)
		}
		return h.ShortHelpView(shown)
	}
	line := render(false)
	for ansi.StringWidth(line) > width && len(hints) > 0 {
		// Drop the last of the least important; movement keys go together
		// (↑ without ↓ would read oddly).
		low := 0
		for i, x := range hints {
			if x.prio <= hints[low].prio {
				low = i
			}
		}
		if hints[low].prio == 0 {
			hints = slices.DeleteFunc(hints, func(x hint) bool { return x.prio == 0 })
		} else {
			hints = append(hints[:low], hints[low+1:]...)
		}
		line = render(true)
	}
	return line
}

// statusBar: badges (read-only, insecure TLS), the target and who else is
// here (obconsole ssh) on the left; the target's task counts, refresh age
// and connection health on the right. When narrow the age goes first,
// then who else is here, then the counts, then the target is cut; badges
// and health stay.
func (m *Model) statusBar(w int) string {
	th := m.ctx.Theme
	st := &th.Styles
	bar := st.StatusBar
	var badges []string
	if m.ctx.ReadOnly {
		badges = append(badges, st.BadgeInfo.Render("READ-ONLY"))
	}
	if m.ctx.Target.Insecure {
		badges = append(badges, st.BadgeError.Render("INSECURE TLS"))
	}
	left := bar.Render(" ")
	for _, b := range badges {
		left += b + bar.Render(" ")
	}
	// The target's label and user came from flags, the environment or a
	// fleet file: drawn as text, without secrets.
	target := m.ctx.Line(m.ctx.Target.String())
	if target == "" {
		target = m.ctx.Line(m.ctx.Target.Kind)
	}

	health := m.health()
	right := health + bar.Render(" ")
	// What gives way when narrow: the age first, then who else is here
	// (obconsole ssh: cut, then gone), then the task counts; then the
	// target is cut.
	counts, age := m.countsText(), m.age()
	if age != "" {
		age = bar.Render(age + "  ")
	}
	if counts != "" {
		counts += bar.Render("  ")
	}
	sep := th.Glyphs.Bullet
	// others is how much of the others' line a layout keeps: all of it,
	// its head ("2 others here"), or none.
	var fullOthers, minOthers int
	if n := len(m.others.peers); n > 0 {
		fullOthers = ansi.StringWidth(sep + m.ctx.Line(presence.Summary(m.others.peers, sep)))
		minOthers = ansi.StringWidth(sep + presence.Here(n))
	}
	type layout struct {
		right  string
		others int
	}
	var layouts []layout
	if minOthers > 0 {
		layouts = append(layouts, layout{counts + age + right, fullOthers}, layout{counts + right, fullOthers},
			layout{counts + age + right, minOthers}, layout{counts + right, minOthers})
	}
	layouts = append(layouts, layout{counts + age + right, 0}, layout{counts + right, 0}, layout{age + right, 0})
	chosen := layout{right: right}
	for _, l := range layouts {
		need := ansi.StringWidth(left) + len(target) + ansi.StringWidth(l.right) + 1
		if l.others > 0 {
			need += l.others + 1
		}
		if need <= w {
			chosen = l
			break
		}
	}
	right = chosen.right
	room := w - ansi.StringWidth(left) - ansi.StringWidth(right) - 1
	if room < 4 {
		target = ""
	} else {
		target = th.Truncate(target, room)
	}
	l := left + bar.Render(target)
	if chosen.others > 0 {
		// Two spaces at least before what is on the right, as between
		// its items.
		if others := m.othersText(room - ansi.StringWidth(target+sep) - 1); others != "" {
			l += bar.Render(sep + others)
		}
	}
	pad := w - ansi.StringWidth(l) - ansi.StringWidth(right)
	if pad < 0 {
		return common.PadRight(l+right, w)
	}
	return l + bar.Render(strings.Repeat(" ", pad)) + right
}

// countsText is the target's running and failed tasks, as last counted:
// "◐ 2 running · ✗ 1 failed"; "" before the first count.
func (m *Model) countsText() string {
	c, known := m.counts()
	if !known {
		return ""
	}
	th := m.ctx.Theme
	bar := th.Styles.StatusBar
	n := func(v int) string {
		if v >= countLimit {
			return fmt.Sprintf("%d+", countLimit)
		}
		return fmt.Sprint(v)
	}
	running := bar.Foreground(th.ToneColor(theme.ToneBusy)).Render(th.Icon(theme.ToneBusy) + " " + n(c.running) + " running")
	if c.running == 0 {
		running = bar.Render("0 running")
	}
	if c.failed == 0 {
		return running
	}
	return running + bar.Render(th.Glyphs.Bullet) + bar.Foreground(th.ToneColor(theme.ToneError)).Render(th.Icon(theme.ToneError)+" "+n(c.failed)+" failed")
}

func (m *Model) health() string {
	th := m.ctx.Theme
	bar := th.Styles.StatusBar
	tone, word := theme.ToneWaiting, "connecting"
	answered, lastErr := m.store.Connection()
	switch {
	case m.store.Denial() != nil:
		tone, word = theme.ToneError, "denied"+th.Glyphs.Bullet+"ctrl+r to try again"
	case !answered:
	case lastErr == nil:
		tone, word = theme.ToneOK, "connected"
	default:
		tone, word = theme.ToneError, "error"
		var be *backend.Error
		switch backend.KindOf(lastErr) {
		case backend.Unavailable, backend.Canceled:
			word = "unreachable"
		case backend.Unauthorized, backend.Forbidden:
			word = "denied"
		case backend.RateLimited:
			word = "rate-limited"
		}
		if !errors.As(lastErr, &be) {
			word = "unreachable"
		}
	}
	style := bar.Foreground(th.ToneColor(tone))
	if tone == theme.ToneError {
		style = style.Bold(true)
	}
	return style.Render(th.Icon(tone) + " " + word)
}

// age is the last refresh's age (store.Freshness, which a stale screen
// reads too, so both say the same): "live" while fresh.
func (m *Model) age() string { return m.store.Fresh().Text(m.ctx.Refresh) }
