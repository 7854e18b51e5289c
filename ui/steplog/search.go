package steplog

import (
	"strings"
)

// find finds the lines holding the query (case-insensitive); the current
// match is the first at or below the top of the view.
func (m *Model) find() {
	m.matches = m.matches[:0]
	m.current = 0
	if m.search.Value() == "" {
		return
	}
	q := strings.ToLower(m.search.Value())
	for i, l := range m.lines {
		if strings.Contains(strings.ToLower(l), q) {
			m.matches = append(m.matches, i)
		}
	}
	top := m.lineAt(m.vp.YOffset)
	for i, l := range m.matches {
		if l >= top {
			m.current = i
			return
		}
	}
}

// keepMatch makes the match on log line line current again when that line
// still reads text (the log grew below it); when it changed (the log was
// rewritten), the first match at or after it.
func (m *Model) keepMatch(line int, text string) {
	if len(m.matches) == 0 {
		return
	}
	for i, l := range m.matches {
		if l == line && m.lines[l] == text {
			m.current = i
			return
		}
		if l > line {
			m.current = i
			return
		}
	}
	m.current = len(m.matches) - 1
}

// lineAt is the log line a wrapped line belongs to.
func (m *Model) lineAt(wrapped int) int {
	lo, hi := 0, len(m.starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if m.starts[mid] <= wrapped {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// step1 moves to the next (+1) or previous (-1) match, wrapping around.
func (m *Model) step1(dir int) {
	if len(m.matches) == 0 {
		return
	}
	m.current = (m.current + dir + len(m.matches)) % len(m.matches)
	m.layout()
	m.showMatch()
}

// showMatch scrolls the current match into view; scrolling away from
// the bottom stops following.
func (m *Model) showMatch() {
	if len(m.matches) == 0 || len(m.starts) == 0 {
		return
	}
	at := m.starts[m.matches[m.current]]
	if at < m.vp.YOffset || at >= m.vp.YOffset+m.vp.Height {
		m.vp.SetYOffset(at - m.vp.Height/3)
		m.follow = m.vp.AtBottom() && m.follow
	}
}
