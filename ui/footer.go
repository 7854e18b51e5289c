package ui

import (
	"slices"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
)

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
