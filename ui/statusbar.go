package ui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
)

// statusBar: badges (read-only, insecure TLS) and the target on the left;
// the target's task counts, refresh age and connection health on the
// right. When narrow the age goes first, then the counts, then the target
// is cut; badges and health stay.
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
	// What gives way when narrow: the age first, then the task counts;
	// then the target is cut.
	fits := func(r string) bool { return ansi.StringWidth(left)+len(target)+ansi.StringWidth(r)+1 <= w }
	counts, age := m.countsText(), m.age()
	if age != "" {
		age = bar.Render(age + "  ")
	}
	if counts != "" {
		counts += bar.Render("  ")
	}
	switch {
	case fits(counts + age + right):
		right = counts + age + right
	case fits(counts + right):
		right = counts + right
	case fits(age + right):
		right = age + right
	}
	room := w - ansi.StringWidth(left) - ansi.StringWidth(right) - 1
	if room < 4 {
		target = ""
	} else {
		target = th.Truncate(target, room)
	}
	l := left + bar.Render(target)
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
	answered, lastErr := m.store.Health()
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
