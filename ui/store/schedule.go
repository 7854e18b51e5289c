package store

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Use is one entry a screen uses, and how fresh it wants it.
type Use struct {
	Key Key
	// Every is how many ticks pass between reads while the screen is shown
	// (1: every refresh); a big list may ask for less (see adapt). 0: read
	// once, then again only on ctrl+r or a new Stamp.
	Every int
	// Stamp says what the data must be newer than: when it differs from
	// the stamp of the entry's last read, the entry is read again at once
	// (a step's log after the step changed status).
	Stamp string
	// Owed: a read made between ticks for this use (for a new Stamp, after
	// an answer) is paid for by skipping the next tick, so polling stays at
	// one request per interval.
	Owed bool
	// Slow: read on the root's background tick, not on every refresh (a
	// roll-up of every cluster's servers, the status bar's counts).
	Slow bool
	// Quiet: what its reads find is the screen's to show, not news of the
	// connection: they leave the status bar's health, its age and the
	// back-off alone (a step's log in the Task view's pane, which OCP may
	// have purged), unless OCP denies access.
	Quiet bool
}

// Uses is what a screen uses, the main read first: a ctrl+r while OCP
// denies access reads only that one.
type Uses struct {
	List []Use
	// OnePerTick: the uses share one read per tick; of those due, the
	// one polled least often goes first (the others wait a tick).
	OnePerTick bool
}

// Has reports whether u uses k.
func (u Uses) Has(k Key) bool {
	for _, x := range u.List {
		if x.Key == k {
			return true
		}
	}
	return false
}

// User is a screen as the store sees it: what it uses.
type User interface{ Uses() Uses }

// Change is what one answer changed, for the root: it hands a ChangedMsg
// to the screens that use Key, and turns the rest into toasts.
type Change struct {
	Key     Key
	State   State
	Err     error
	At      time.Time // the backend's time of the answer
	Changed bool      // the data (or its being gone) changed
	// Failed: the entry went from working to failing; its screen says so
	// once (a denial is said by the root, never here).
	Failed bool
	// Access is news of OCP's access: denied (polling stopped), still
	// denied after ctrl+r, or granted again.
	Access Access
	// Ended is a watched task that ended while the operator was elsewhere.
	Ended *Ended

	quiet bool // a quiet read's answer (Use.Quiet)
}

// ChangedMsg tells a screen that an entry it uses has a new answer; the
// screen reads the entry from the store. Failed is set only for the shown
// screen, which says the failure once.
type ChangedMsg struct {
	Key     Key
	State   State
	Changed bool
	Failed  bool
}

// Msg is the ChangedMsg for the screens of c.
func (c Change) Msg(shown bool) ChangedMsg {
	return ChangedMsg{Key: c.Key, State: c.State, Changed: c.Changed, Failed: c.Failed && shown}
}

// SetStack is the root's stack listener: users are its screens, bottom
// first; shown is the index of the one whose uses are polled (the top, or
// the one under an overlay such as help).
func (s *Store) SetStack(users []User, shown int) {
	s.users, s.shown = users, shown
	s.syncWatch()
	s.evict()
}

// SetOwn sets what the root itself uses (the status bar's counts).
func (s *Store) SetOwn(u Uses) { s.own = u }

// shownUses is what the shown screen uses.
func (s *Store) shownUses() Uses {
	if s.shown < 0 || s.shown >= len(s.users) {
		return Uses{}
	}
	return s.users[s.shown].Uses()
}

// Users is the indices of the stack's screens that use k.
func (s *Store) Users(k Key) []int {
	var out []int
	for i, u := range s.users {
		if u.Uses().Has(k) {
			out = append(out, i)
		}
	}
	return out
}

// Shown reports whether i is the index of the shown screen.
func (s *Store) Shown(i int) bool { return i == s.shown }

// evict drops the entries no screen on the stack, the root nor a watch
// uses: what is no longer shown is not kept in memory.
func (s *Store) evict() {
	used := map[Key]bool{}
	for _, u := range s.users {
		for _, x := range u.Uses().List {
			used[x.Key] = true
		}
	}
	for _, x := range s.own.List {
		used[x.Key] = true
	}
	for id := range s.watched {
		used[TaskKey(id)] = true
	}
	dropUnused(s.clusters, used)
	dropUnused(s.zones, used)
	dropUnused(s.servers, used)
	dropUnused(s.tasks, used)
	dropUnused(s.task, used)
	dropUnused(s.logs, used)
	dropUnused(s.health, used)
}

func dropUnused[T any](t *table[T], used map[Key]bool) {
	for k, e := range t.m {
		if !used[k] && !e.st.Inflight {
			delete(t.m, k)
		}
	}
}

// Tick is the refresh tick: the shown screen's uses that are due, and the
// watched tasks the operator left, each at most once, unless polling is
// stopped (a denial) or backing off (failures). due reports whether this
// tick polls: a screen's own reads (a dialog's check) wait for one that
// does.
func (s *Store) Tick(now time.Time) (cmd tea.Cmd, due bool) {
	s.now = now
	s.fresh.Tick()
	s.tick++
	if !s.pollDue() {
		return nil, false
	}

	var cmds []tea.Cmd
	if s.owed > 0 {
		s.owed--
	} else {
		cmds = append(cmds, s.pollDueUses(s.shownUses(), false))
	}
	return tea.Batch(append(cmds, s.pollWatched())...), true
}

// Background is the root's slow tick: the slow uses of the shown screen
// and of the root, only while reads work.
func (s *Store) Background() tea.Cmd {
	if !s.poll.healthy() {
		return nil
	}
	return tea.Batch(s.pollDueUses(s.shownUses(), true), s.pollDueUses(s.own, true))
}

// due reports whether u is to be read on this tick (or slow tick).
func (s *Store) due(u Use, slow bool) bool {
	if u.Slow != slow || (!slow && u.Every <= 0) {
		return false
	}
	sent, _, every, ended, ok := s.ops(u.Key).info(u.Key)
	if !ok || sent < 0 {
		return true
	}
	if ended || s.State(u.Key).Inflight {
		return false
	}
	return s.tick-sent >= max(u.Every, every, 1)
}

// pollDueUses reads the uses due now: all of them, or with OnePerTick
// the one polled least often.
func (s *Store) pollDueUses(uses Uses, slow bool) tea.Cmd {
	var due []Use
	for _, u := range uses.List {
		if s.due(u, slow) {
			due = append(due, u)
		}
	}
	if uses.OnePerTick && len(due) > 1 {
		first := due[0]
		for _, u := range due[1:] {
			if u.Every > first.Every {
				first = u
			}
		}
		due = []Use{first}
	}
	cmds := make([]tea.Cmd, 0, len(due))
	for _, u := range due {
		cmds = append(cmds, s.ops(u.Key).request(s, u, slow))
	}
	return tea.Batch(cmds...)
}

// Show loads what a screen that has just become the shown one lacks: an
// entry never read, read for another stamp, or (a polled one; with
// OnePerTick the main one only) not read this interval. opened: it was pushed (the operator asked), not
// uncovered; while OCP denies access, only an opened screen loads.
func (s *Store) Show(opened bool) tea.Cmd {
	if s.poll.denied != nil && !opened {
		return nil
	}
	var cmds []tea.Cmd
	uses := s.shownUses()
	for i, u := range uses.List {
		if u.Slow {
			continue
		}
		sent, stamp, _, ended, _ := s.ops(u.Key).info(u.Key)
		st := s.State(u.Key)
		// Sharing one read per tick, only the main read is made again.
		stale := u.Every > 0 && sent < s.tick && !(ended && st.Err == nil) && (i == 0 || !uses.OnePerTick)
		if sent < 0 || stamp != u.Stamp || stale {
			cmds = append(cmds, s.ops(u.Key).request(s, u, false))
		}
	}
	return tea.Batch(cmds...)
}

// Sync reads at once what the shown screen's uses now lack: an entry never
// read, or read for another stamp. The root calls it after the screen
// took a key (it moved to another step: the operator asked) or an answer
// (afterAnswer: a use marked Owed is then paid for by the next tick).
func (s *Store) Sync(afterAnswer bool) tea.Cmd {
	if s.poll.denied != nil {
		return nil
	}
	var cmds []tea.Cmd
	for _, u := range s.shownUses().List {
		if u.Slow {
			continue
		}
		sent, stamp, _, _, _ := s.ops(u.Key).info(u.Key)
		if sent >= 0 && stamp == u.Stamp {
			continue
		}
		if cmd := s.ops(u.Key).request(s, u, false); cmd != nil {
			if afterAnswer && u.Owed {
				s.owed++
			}
			cmds = append(cmds, cmd)
		}
	}
	return tea.Batch(cmds...)
}

// Refresh is ctrl+r: every use of the shown screen read now, whatever
// its schedule says (an ended task too). While OCP denies access it is a
// probe: the main read only, so a wrong password costs one request per
// ctrl+r; what else the screen shows follows once that read works.
func (s *Store) Refresh() tea.Cmd {
	uses := s.shownUses().List
	if s.poll.denied != nil {
		s.poll.probing = true
		if len(uses) > 1 {
			uses = uses[:1]
		}
	}
	var cmds []tea.Cmd
	for _, u := range uses {
		if !u.Slow {
			cmds = append(cmds, s.ops(u.Key).request(s, u, false))
		}
	}
	return tea.Batch(cmds...)
}

// Reload reads keys again now (a task started or ended here: the status
// bar's counts follow at once), unless polling is stopped or failing or
// the keys were never read.
func (s *Store) Reload(keys ...Key) tea.Cmd {
	if !s.poll.healthy() {
		return nil
	}
	var cmds []tea.Cmd
	for _, k := range keys {
		if s.State(k).Loaded {
			cmds = append(cmds, s.ops(k).request(s, Use{Key: k}, false))
		}
	}
	return tea.Batch(cmds...)
}

// Apply files a store message (an answer, an action's outcome) and says
// what changed: the root hands c.Msg to the screens that use c.Key, and
// says the rest.
func (s *Store) Apply(msg Msg) Change {
	c := msg.apply(s)
	if !c.quiet || Denied(c.Err) {
		c.Access = s.readDone(c.Err)
	}
	if c.Err == nil && c.At.After(s.now) {
		s.now = c.At
	}
	if c.Key.Kind == KindTask {
		c.Ended = s.watchDone(c)
	}
	return c
}
