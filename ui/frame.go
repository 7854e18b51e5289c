package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/ui/common"
)

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
