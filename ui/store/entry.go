package store

import (
	"context"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend"
)

// State is what the store knows of an entry besides its data.
type State struct {
	// Loaded: an answer has worked (the data is an answer's).
	Loaded bool
	// Err is the last answer's error; nil when it worked.
	Err error
	// At is the backend's time of the last answer that worked.
	At time.Time
	// Inflight: a read is on its way.
	Inflight bool
	// Gone: the backend answered NotFound for what it had shown (a task
	// gone from it); the last data stays.
	Gone bool
	// Version counts the answers that changed the data.
	Version uint64
	// Stamp is the stamp (Use.Stamp) the data was read for.
	Stamp string
}

// Stale reports that the data is from before a failed refresh.
func (s State) Stale() bool { return s.Loaded && s.Err != nil }

// Loading reports that nothing has answered yet, and nothing failed: the
// screen says it is loading (it draws before any data arrives).
func (s State) Loading() bool { return !s.Loaded && s.Err == nil }

// entry is one resource: its data, its state, and when it was last read.
type entry[T any] struct {
	data  T
	st    State
	sent  int    // the tick the last read was sent on; -1 before any
	good  int    // the tick of the last answer that worked
	quiet bool   // the read on its way is a quiet one (Use.Quiet)
	stamp string // the stamp the last read was made for (Use.Stamp)
	every int    // ticks between polls a list's size and changes ask for; 0 before its first answer
	// revived: an action set the task running again; it is polled even
	// though its last answer had ended, until the next answer.
	revived bool
	names   *claims
}

// table holds one resource type's entries and knows how to read one.
type table[T any] struct {
	m map[Key]*entry[T]
	// fetch reads k through r (in a Cmd).
	fetch func(ctx context.Context, r *Reader, k Key, c *claims) (T, error)
	// same reports that b draws like a (no rebuild, and a list's polling
	// slows down); nil: every answer is a change.
	same func(a, b T) bool
	// size is a list's length, for its polling interval; nil: not a list.
	size func(T) int
	// ended reports data that will not change any more (a task that
	// ended): it is not polled.
	ended func(T) bool
}

func newTable[T any](fetch func(context.Context, *Reader, Key, *claims) (T, error)) *table[T] {
	return &table[T]{m: map[Key]*entry[T]{}, fetch: fetch}
}

func (t *table[T]) entry(k Key) *entry[T] {
	e, ok := t.m[k]
	if !ok {
		e = &entry[T]{sent: -1}
		if k.Kind == KindTasks && k.Query.Named {
			e.names = &claims{read: map[int64]bool{}}
		}
		t.m[k] = e
	}
	return e
}

// get is k's data and state; the zero value before any answer.
func (t *table[T]) get(k Key) (T, State) {
	if e, ok := t.m[k]; ok {
		return e.data, e.st
	}
	var zero T
	return zero, State{}
}

// FetchedMsg is one read's answer. The root hands every store message to
// Store.Apply, which files it in its entry.
type FetchedMsg[T any] struct {
	Key  Key
	Data T
	Err  error
	At   time.Time // the backend's time of the answer
	tab  *table[T]
}

func (m FetchedMsg[T]) apply(s *Store) Change { return m.tab.take(s, m) }

// Msg is a store message (a read's answer, an action's outcome): the root
// hands it to Store.Apply.
type Msg interface{ apply(*Store) Change }

// request sends one read of u's entry, or nothing while one is on its
// way.
func (t *table[T]) request(s *Store, u Use, slow bool) tea.Cmd {
	k := u.Key
	e := t.entry(k)
	if e.st.Inflight {
		return nil
	}
	e.st.Inflight = true
	e.sent, e.stamp, e.quiet = s.tick, u.Stamp, u.Quiet
	r, base, names, sem := s.reader, s.base(), e.names, s.slow
	return func() tea.Msg {
		if slow {
			sem <- struct{}{}
			defer func() { <-sem }()
		}
		data, err := t.fetch(base, r, k, names)
		return FetchedMsg[T]{Key: k, Data: data, Err: err, At: r.exec.Now(), tab: t}
	}
}

// take files an answer.
func (t *table[T]) take(s *Store, m FetchedMsg[T]) Change {
	e := t.entry(m.Key)
	e.st.Inflight = false
	e.revived = false
	ch := Change{Key: m.Key, Err: m.Err, At: m.At, quiet: e.quiet}
	if m.Err != nil {
		ch.Failed = e.st.Err == nil && !Denied(m.Err)
		gone := e.st.Loaded && backend.KindOf(m.Err) == backend.NotFound
		ch.Changed = gone != e.st.Gone
		e.st.Err, e.st.Gone = m.Err, gone
		ch.State = e.st
		return ch
	}
	changed := !e.st.Loaded || t.same == nil || !t.same(e.data, m.Data)
	if t.size != nil {
		e.every = adapt(e.every, t.size(m.Data), changed && e.st.Loaded, s.refresh)
	}
	if changed || e.st.Err != nil || e.st.Gone {
		e.st.Version++
		ch.Changed = true
	}
	e.data = m.Data
	e.good = s.tick
	e.st.Loaded, e.st.Err, e.st.Gone, e.st.At, e.st.Stamp = true, nil, false, m.At, e.stamp
	ch.State = e.st
	return ch
}

// claims are the clusters whose servers a task list already read to name
// its tasks' servers: each at most once per entry (the read runs in a
// Cmd, hence the lock).
type claims struct {
	mu   sync.Mutex
	read map[int64]bool
}

func (c *claims) claim(id int64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.read[id] {
		return false
	}
	c.read[id] = true
	return true
}

// Denied reports an error by which OCP refused the credentials or the
// access (401 Unauthorized, 403 Forbidden): all polling stops until the
// operator acts, since a real OCP locks accounts after repeated failures.
func Denied(err error) bool {
	k := backend.KindOf(err)
	return k == backend.Unauthorized || k == backend.Forbidden
}
