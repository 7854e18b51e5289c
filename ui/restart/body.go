package restart

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/theme"
)

// title is the dialog's heading, the subject named in full when it fits
// and never cut inside an address.
func (m *Model) title() string {
	th := m.ctx.Theme
	head := func(short bool) string {
		if m.force {
			return "FORCE restart " + m.subj.traits().name(short)
		}
		return "Restart " + m.subj.traits().name(short)
	}
	// The short form only where it fits whole: cut, the full one says more.
	t := head(false)
	if short := head(true); ansi.StringWidth(t) > m.inner() && ansi.StringWidth(short) <= m.inner() {
		t = short
	}
	return th.Styles.Title.Render(th.Truncate(t, m.inner()))
}

// body is the dialog's body in reading order.
func (m *Model) body() []item {
	st := &m.ctx.Theme.Styles
	items := append(m.subj.fields(m), blankItem)
	switch m.state {
	case sending:
		return append(items, item{lines: m.para(st.Accent, "Sending the restart request"+m.ctx.Theme.Glyphs.Ellipsis)})
	case failed:
		items = append(items, item{lines: m.para(st.Error, "Restart failed: "+m.ctx.ErrorText(m.err))})
		if backend.KindOf(m.err) == backend.Conflict {
			items = append(items, m.conflictItem())
		}
		return items
	}
	items = append(items, m.impactItems()...)
	if t := m.held(); t != nil {
		return append(items, blankItem, item{lines: m.para(st.Warning, fmt.Sprintf("A restart is refused while task %s runs on %s: %s opens it in the Task view.",
			taskName(t), m.subj.traits().here, m.ctx.Keys.OpenTask.Help().Key)), prio: prioVerdict})
	}
	items = append(items, blankItem)
	items = append(items, m.boxes()...)
	return append(items, m.subj.explain(m)...)
}

// conflictItem names the running task a Conflict was about.
func (m *Model) conflictItem() item {
	st := &m.ctx.Theme.Styles
	km := m.ctx.Keys
	switch t := m.holder.task; {
	case t != nil:
		return item{lines: m.para(st.Warning, fmt.Sprintf("Task %s is running on %s: %s opens it in the Task view.",
			taskName(t), m.subj.traits().here, km.OpenTask.Help().Key))}
	case m.holder.looking:
		return item{lines: m.para(st.Muted, "Looking for the running task"+m.ctx.Theme.Glyphs.Ellipsis)}
	}
	return item{lines: m.para(st.Muted, "Another task is running on "+m.subj.traits().here+": press t for the task list after closing.")}
}

// impactItems are the check's findings: the majority arithmetic, the
// zones that do not serve, the cluster's running tasks.
func (m *Model) impactItems() []item {
	th := m.ctx.Theme
	st := &th.Styles
	cluster := safetext.Line(m.subj.cluster().Name)
	switch m.check.state {
	case checking:
		text := "checking the zones, servers and running tasks of " + cluster + th.Glyphs.Ellipsis
		return []item{{lines: m.wrapRow("zones", st.Muted, text), prio: prioVerdict}}
	case checkFailed:
		text := "could not check " + cluster + ": " + m.ctx.ErrorText(m.check.err) + " (ctrl+r checks again)"
		return []item{{lines: m.wrapRow("zones", st.Warning, text), prio: prioVerdict}}
	}
	imp := m.check.impact
	style, verdict := st.OK, imp.Verdict()
	now := fmt.Sprintf("%d of %d serve now; ", imp.ServingNow, imp.Total())
	full := now + verdict
	if imp.LosesMajority() {
		style = st.Error
		full += ", so " + cluster + " loses its majority"
	}
	items := []item{{lines: m.wrapRow("zones", style, full), short: m.para(style, verdict), prio: prioVerdict}}
	if down := imp.OthersDown(); len(down) > 0 {
		var names []string
		for i, z := range down {
			if i == 2 {
				names = append(names, fmt.Sprintf("%d more zones", len(down)-2))
				break
			}
			faults := z.Faults()
			if len(faults) > 2 {
				faults = append(faults[:1], fmt.Sprintf("+%d more", len(faults)-1))
			}
			names = append(names, safetext.Line(z.Name)+" ("+safetext.Line(strings.Join(faults, "; "))+")")
		}
		items = append(items, item{lines: m.wrapRow("down", st.Warning, strings.Join(names, ", ")), prio: prioSubject})
	}
	return append(items, m.tasksItem())
}

// tasksItem is the cluster's running tasks: how many, and the first.
func (m *Model) tasksItem() item {
	st := &m.ctx.Theme.Styles
	cluster := safetext.Line(m.subj.cluster().Name)
	switch tasks := m.check.tasks; {
	case m.check.tasksErr != nil:
		return item{lines: m.wrapRow("tasks", st.Warning, "could not list the running tasks: "+m.ctx.ErrorText(m.check.tasksErr)), prio: prioState}
	case m.runningHere() != nil:
		text := taskName(m.runningHere()) + " is running on " + m.subj.traits().here + ": OCP refuses a restart until it ends"
		return item{lines: m.wrapRow("tasks", st.Warning, text), prio: prioSubject}
	case len(tasks) == 0:
		return item{lines: m.row("tasks", st.Muted.Render("none running on "+cluster)), prio: prioState}
	default:
		text := fmt.Sprintf("%d running on %s: %s", len(tasks), cluster, taskName(&tasks[0]))
		if len(tasks) > 1 {
			text += fmt.Sprintf(" (+%d more)", len(tasks)-1)
		}
		return item{lines: m.wrapRow("tasks", st.Warning, text), prio: prioState}
	}
}

// boxes are the options: force, and freezeServer where it applies.
func (m *Model) boxes() []item {
	th := m.ctx.Theme
	st := &th.Styles
	check := func(on bool) string {
		if on {
			return "[x]"
		}
		return "[ ]"
	}
	inner := m.inner()
	items := []item{{lines: []string{th.Truncate(st.Bold.Render(check(m.force)+" force")+st.Muted.Render("  "+m.forceKey()+" toggles"), inner)},
		prio: prioState}}
	if m.subj.traits().freeze {
		toggle := m.ctx.Keys.Toggle.Help().Key
		items = append(items,
			item{lines: []string{th.Truncate(st.Bold.Render(check(m.freeze)+" minor compaction first (freeze server)")+st.Muted.Render("  "+toggle+" toggles"), inner)},
				prio: prioContext},
			item{lines: indent(wrapLines(st.Muted, "a minor compaction before the observer stops: stopping takes longer, recovery is much faster", inner-4), 4),
				prio: prioExplain})
	}
	return items
}

func indent(lines []string, n int) []string {
	pad := strings.Repeat(" ", n)
	for i := range lines {
		lines[i] = pad + lines[i]
	}
	return lines
}

// controls are the note, the field, the buttons and the hint, in that
// order; their prio says what goes first when even they do not fit.
func (m *Model) controls() []item {
	th := m.ctx.Theme
	st := &th.Styles
	var out []item
	if m.others != "" && m.state != sending {
		// The other operators, above the buttons: whoever else is about
		// to restart, or restarting, the same server or zone.
		out = append(out, item{lines: m.para(st.Warning, th.Icon(theme.ToneWarn)+" "+m.others), prio: prioSubject, gap: true})
	}
	if m.note != "" {
		out = append(out, item{lines: m.para(st.Warning, m.note), prio: prioState})
	}
	switch m.state {
	case sending:
		return append(out, item{lines: []string{st.Muted.Render("waiting for OCP" + th.Glyphs.Ellipsis)}, prio: prioVerdict})
	}
	if m.state == failed || m.held() != nil {
		t := m.openable()
		closeFocused := t == nil || m.focus != focusOpen
		draw := func(open string) string {
			var b string
			if t != nil {
				b = button(th.Glyphs.Cursor, m.buttonStyle(!closeFocused), open, !closeFocused) + " "
			}
			return b + button(th.Glyphs.Cursor, m.buttonStyle(closeFocused), "Close", closeFocused)
		}
		buttons := draw(fmt.Sprintf("Open task %d", m.openID()))
		if ansi.StringWidth(buttons) > m.inner() {
			buttons = draw("Open task")
		}
		return append(out, item{lines: []string{th.Truncate(buttons, m.inner())}, prio: prioVerdict, gap: true}, m.hintItem())
	}
	if want := m.subj.want(m.force); want != "" {
		out = append(out, item{lines: []string{m.field()}, prio: prioVerdict})
	}
	return append(out, item{lines: []string{m.buttons()}, prio: prioVerdict, gap: true}, m.hintItem())
}

func (m *Model) buttonStyle(focused bool) lipgloss.Style {
	if focused {
		return m.ctx.Theme.Styles.ButtonFocused
	}
	return m.ctx.Theme.Styles.Button
}

// field is the prompt and what has been typed; when narrow the prompt is
// shortened, then the text shows its end.
func (m *Model) field() string {
	th := m.ctx.Theme
	st := &th.Styles
	inner := m.inner()
	// The prompt is chosen by what must be typed, so it does not change
	// under the operator's fingers.
	prompt := m.subj.traits().ask(false)
	if ansi.StringWidth(prompt)+ansi.StringWidth(m.subj.want(m.force))+1 > inner {
		prompt = m.subj.traits().ask(true)
	}
	typed := []rune(m.typed.Value())
	room := max(inner-ansi.StringWidth(prompt)-1, 1)
	shown := string(typed)
	if len(typed) > room {
		shown = th.Glyphs.Ellipsis + string(typed[len(typed)-room+ansi.StringWidth(th.Glyphs.Ellipsis):])
	}
	caret := st.Input.Render(" ")
	if m.focus == focusInput {
		caret = st.SelectedRow.Render(" ")
	}
	return th.Truncate(prompt+st.Input.Render(shown)+caret, inner)
}

// buttons are Cancel and the confirm button, labelled short when narrow.
func (m *Model) buttons() string {
	th := m.ctx.Theme
	st := &th.Styles
	cancel, confirm := st.Button, st.Button
	switch m.focus {
	case focusCancel:
		cancel = st.ButtonFocused
	case focusConfirm:
		confirm = st.ButtonFocused
		if m.force {
			confirm = st.ButtonDanger
		}
	}
	draw := func(short bool) string {
		label := m.subj.traits().label(m.force, short)
		style := confirm
		if m.blocked() != "" && m.check.state != checking {
			style = st.Muted.Padding(0, 1)
			label += ": refused"
			if short {
				label = "Refused"
			}
		}
		return button(th.Glyphs.Cursor, cancel, "Cancel", m.focus == focusCancel) + " " +
			button(th.Glyphs.Cursor, style, label, m.focus == focusConfirm)
	}
	b := draw(false)
	if ansi.StringWidth(b) > m.inner() {
		b = draw(true)
	}
	return th.Truncate(b, m.inner())
}

// hintItem is the one-line hint: as many of the keys that work now as
// fit, most important first.
func (m *Model) hintItem() item {
	th := m.ctx.Theme
	st := &th.Styles
	sep := th.Glyphs.Bullet
	var parts []string
	used := 0
	for _, b := range m.bindings() {
		part := b.Help().Key + " " + b.Help().Desc
		w := ansi.StringWidth(part)
		if used > 0 {
			w += ansi.StringWidth(sep)
		}
		if used+w > m.inner() {
			break
		}
		parts = append(parts, part)
		used += w
	}
	return item{lines: []string{st.Muted.Render(strings.Join(parts, sep))}, prio: prioSubject}
}

// button draws "[ label ]", marked with the cursor glyph when focused so
// focus shows without colour or reverse video too.
func button(cursor string, style lipgloss.Style, label string, focused bool) string {
	mark := strings.Repeat(" ", lipgloss.Width(cursor))
	if focused {
		mark = cursor
	}
	return mark + style.Render("[ "+label+" ]")
}
