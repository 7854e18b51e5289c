package store

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// Watched tasks: every task opened in the Task view during the session
// (and, over obconsole ssh, every task another operator started on what
// this console looked at: the root says who when it ends).
// While a screen that uses it is shown (its Task view, its step log), the
// task is polled as that screen's use; once the operator is elsewhere (the
// view popped or covered), the store polls it in the background, once per
// tick, the same entry: a task costs one GetTask per interval however many
// screens show it. When it ends after the operator left, Apply says so
// (Change.Ended: a toast, the bell). A task that ended before the operator
// left its view ends quietly: they saw it. Polling of a task stops when it
// ended.

// watched is one task the operator opened.
type watched struct {
	id     int64
	leftAt time.Time // backend time the operator left its view
	left   bool
	done   bool
}

// Ended is a watched task that ended while the operator was elsewhere.
type Ended struct{ Task *ocp.Task }

// Watch starts watching a task opened in the Task view (again: watch it
// again).
func (s *Store) Watch(taskID int64) {
	if s.watched == nil {
		s.watched = map[int64]*watched{}
	}
	if w, ok := s.watched[taskID]; ok {
		w.done = false
		return
	}
	s.watched[taskID] = &watched{id: taskID}
	s.watchOrder = append(s.watchOrder, taskID)
}

// WatchElsewhere watches a task the operator did not open (another
// operator's, over obconsole ssh): unless the shown screen uses it, it
// counts as left from now, so its end is said however soon it comes.
func (s *Store) WatchElsewhere(taskID int64) {
	s.Watch(taskID)
	if w := s.watched[taskID]; !w.left && !s.shownUses().Has(TaskKey(taskID)) {
		w.left, w.leftAt = true, s.now
	}
}

// syncWatch records which watched tasks the operator is looking at: the
// ones the shown screen uses are shown, every other one is left (from
// now).
func (s *Store) syncWatch() {
	uses := s.shownUses()
	for _, w := range s.watched {
		switch {
		case uses.Has(TaskKey(w.id)):
			w.left, w.leftAt = false, time.Time{}
		case !w.left:
			w.left, w.leftAt = true, s.now
		}
	}
}

// pollWatched reads every left, unfinished watched task with no read on
// its way: at most one per task per tick.
func (s *Store) pollWatched() tea.Cmd {
	s.syncWatch()
	var cmds []tea.Cmd
	for _, id := range s.watchOrder {
		w := s.watched[id]
		if w.done || !w.left {
			continue
		}
		cmds = append(cmds, s.task.request(s, Use{Key: TaskKey(id)}, false))
	}
	return tea.Batch(cmds...)
}

// watchDone takes a task's answer for its watch: the task that ended
// after the operator left its view, to be said.
func (s *Store) watchDone(c Change) *Ended {
	w, ok := s.watched[c.Key.Task]
	if !ok || w.done {
		return nil
	}
	if c.Err != nil {
		if backend.KindOf(c.Err) == backend.NotFound {
			w.done = true // gone: nothing more to say
		}
		return nil
	}
	t, _ := s.Task(c.Key.Task)
	if t == nil || !t.Outcome().Ended() {
		return nil
	}
	w.done = true
	end := c.At
	if t.FinishTime.Valid() && !t.FinishTime.IsZero() {
		end = t.FinishTime.Time
	}
	if !w.left || !end.After(w.leftAt) {
		return nil // it ended while its view was shown
	}
	return &Ended{Task: t}
}
