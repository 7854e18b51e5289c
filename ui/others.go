package ui

import (
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/presence"
)

// On-call together (obconsole ssh; Options.Presence). The root tells the
// server's presence hub what the operator looks at whenever the shown
// screen's place changes (common.Placed); on every tick it reads who else
// is connected, for the status bar, and tells the shown screen
// (common.OthersMsg: a restart dialog's warning). The others' actions
// arrive as presence.Event messages (obconsole ssh delivers them, in
// order): one that concerns what the operator looks at is a toast, and a
// task it started is watched until it ends, which is a toast too. A local
// console has no Presence and does none of this.

// maxOthersTasks bounds the others' tasks a console watches for their end.
const maxOthersTasks = 64

// others is what the console knows of the other operators.
type others struct {
	place presence.Place // what presence was last told
	told  bool
	peers []presence.Peer // as of the last tick
	// tasks are the others' tasks this console watches until they end,
	// by id.
	tasks map[int64]presence.PeerTask
}

// shownIndex is the index of the shown screen: the top, or the one under
// an overlay (help).
func (m *Model) shownIndex() int {
	shown := len(m.stack) - 1
	for shown > 0 && common.IsOverlay(m.stack[shown]) {
		shown--
	}
	return shown
}

// placeNow is what the operator looks at: the place of the shown screen,
// or of the nearest one under it that has one.
func (m *Model) placeNow() presence.Place {
	for i := m.shownIndex(); i >= 0; i-- {
		if p, ok := m.stack[i].(common.Placed); ok {
			return p.Place()
		}
	}
	return presence.Place{}
}

// look tells presence what the operator looks at, when it changed.
func (m *Model) look() {
	me := m.opts.Presence
	if me == nil {
		return
	}
	p := m.placeNow()
	if m.others.told && samePlace(p, m.others.place) {
		return
	}
	m.others.place, m.others.told = p, true
	me.Look(p)
}

func samePlace(a, b presence.Place) bool {
	ad, bd := a.Dialog, b.Dialog
	a.Dialog, b.Dialog = nil, nil
	if a != b || (ad == nil) != (bd == nil) {
		return false
	}
	return ad == nil || *ad == *bd
}

// othersTick reads who else is connected, for the status bar, and tells
// the shown screen.
func (m *Model) othersTick() tea.Cmd {
	me := m.opts.Presence
	if me == nil {
		return nil
	}
	m.others.peers = me.Others()
	return m.toTop(common.OthersMsg{})
}

// othersActed takes another operator's action: said when it concerns
// what the operator looks at, and the task it started watched to its end.
func (m *Model) othersActed(ev presence.Event) tea.Cmd {
	me := m.opts.Presence
	if me == nil {
		return nil
	}
	m.others.peers = me.Others()
	if !ev.Concerns(m.others.place) {
		return nil
	}
	level := common.ToastInfo
	if ev.Err != "" {
		level = common.ToastWarn
	}
	cmds := []tea.Cmd{common.Toast(level, "%s", ev.String())}
	if t, ok := ev.Task(); ok {
		if _, known := m.others.tasks[t.TaskID]; known || len(m.others.tasks) < maxOthersTasks {
			if m.others.tasks == nil {
				m.others.tasks = map[int64]presence.PeerTask{}
			}
			m.others.tasks[t.TaskID] = t
			m.store.WatchElsewhere(t.TaskID)
		}
		cmds = append(cmds, m.recount())
	}
	return tea.Batch(append(cmds, m.toTop(common.OthersMsg{Event: &ev}))...)
}

// othersTaskEnded says that a task another operator started ended: true
// when it was one (then there is no bell: the operator did not start it).
func (m *Model) othersTaskEnded(id int64, level common.ToastLevel, word string) (tea.Cmd, bool) {
	t, ok := m.others.tasks[id]
	if !ok {
		return nil, false
	}
	delete(m.others.tasks, id)
	return tea.Batch(common.Toast(level, "%s", t.Ended(word)), m.recount()), true
}

// othersText is the status bar's words about the others: "" when alone,
// else "2 others here · alice watching task 89027028", cut to width: the
// one named is cut first, then "2 others here" goes whole.
func (m *Model) othersText(width int) string {
	if len(m.others.peers) == 0 || width <= 0 {
		return ""
	}
	th := m.ctx.Theme
	s := m.ctx.Line(presence.Summary(m.others.peers, th.Glyphs.Bullet))
	if ansi.StringWidth(s) <= width {
		return s
	}
	head := presence.Here(len(m.others.peers))
	// A name cut to a few letters says nothing: the head alone then.
	if width >= ansi.StringWidth(head+th.Glyphs.Bullet)+6 {
		return th.Truncate(s, width)
	}
	if ansi.StringWidth(head) <= width {
		return head
	}
	return ""
}
