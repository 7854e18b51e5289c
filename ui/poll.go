package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/ui/store"
)

// The background tick: slower than the refresh, for what may lag behind
// it. Every BackgroundEvery of wall time (never more often than the
// refresh) the store reads the slow uses of the shown screen (the
// Clusters list's roll-up of every cluster's servers) and the root's own:
// the status bar's counts of the target's running and failed tasks (two
// small task lists). It goes through Options.Schedule like the refresh
// tick, and the store skips it while OCP denies access or reads are
// failing, so it never adds to the load of an outage. The polling rules
// themselves (denial, back-off) are the store's (store/rules.go).

// BackgroundEvery is the background tick's interval.
const BackgroundEvery = 10 * time.Second

// countLimit caps each count: the status bar says "20+ running".
const countLimit = 20

type backgroundTickMsg struct{}

// countKeys are the store entries of the status bar's counts.
func countKeys() []store.Key {
	return []store.Key{
		store.TasksKey(store.TaskQuery{Status: ocp.TaskRunning, Limit: countLimit}),
		store.TasksKey(store.TaskQuery{Status: ocp.TaskFailed, Limit: countLimit}),
	}
}

// countsUses is what the root itself uses: the counts, read slowly.
func countsUses() store.Uses {
	var u store.Uses
	for _, k := range countKeys() {
		u.List = append(u.List, store.Use{Key: k, Slow: true})
	}
	return u
}

// taskCounts are the status bar's counts.
type taskCounts struct{ running, failed int }

// counts is the counts as last read; known once both were read.
func (m *Model) counts() (taskCounts, bool) {
	keys := countKeys()
	running, rst := m.store.Tasks(keys[0].Query)
	failed, fst := m.store.Tasks(keys[1].Query)
	return taskCounts{running: len(running), failed: len(failed)}, rst.Loaded && fst.Loaded
}

func (m *Model) backgroundEvery() time.Duration { return max(BackgroundEvery, m.ctx.Refresh) }

// scheduleBackground arms the next background tick after d.
func (m *Model) scheduleBackground(d time.Duration) tea.Cmd {
	return m.opts.Schedule(d, func() tea.Msg { return backgroundTickMsg{} })
}

// background runs one background tick and arms the next.
func (m *Model) background() tea.Cmd {
	if m.quitting {
		return nil
	}
	return tea.Batch(m.scheduleBackground(m.backgroundEvery()), m.store.Background())
}

// recount counts again now that a task started or ended here, once the
// status bar shows counts and reads work.
func (m *Model) recount() tea.Cmd { return m.store.Reload(countKeys()...) }
