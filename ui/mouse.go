package ui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// The mouse (on unless --no-mouse): a click selects a row, a click on a
// column title sorts by it, the wheel moves the selection (lists) or
// scrolls (help, which takes it in Update). The root takes the breadcrumb line off Y and hands the
// event to the shown screen: lists through HandleMouse, any other screen
// through Update, as a tea.MouseMsg in its own area's coordinates. Clicks
// on the footer or the status bar do nothing.

// mouser is a screen that handles the mouse itself (the lists).
type mouser interface{ HandleMouse(tea.MouseMsg) bool }

func (m *Model) mouse(msg tea.MouseMsg) tea.Cmd {
	if m.quitAsk != nil || m.quitting {
		return nil
	}
	_, ch := m.contentSize()
	y := msg.Y - 1 // the breadcrumb
	if y < 0 || y >= ch {
		return nil
	}
	msg.Y = y
	if s, ok := m.Top().(mouser); ok {
		s.HandleMouse(msg)
		return nil
	}
	return m.toTop(msg)
}
