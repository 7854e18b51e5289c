// Package presence lets the operators sharing one obconsole ssh server see
// each other: who is connected, what each is looking at, which restart
// dialogs are open where, and who started or finished a mutating action on
// which cluster.
//
// A Hub is the server's one register; each session joins it once and gets
// a Member, through which it says what it looks at (Look), asks about the
// others (Others, DialogsOn, ActionsOn) and hears their actions (Events).
// It draws nothing: the console's status bar, restart dialogs and toasts
// read it. Every method is safe for concurrent use, and none blocks on a
// session: events go to a bounded queue per member that drops its oldest
// news rather than wait for a session that is not reading.
package presence

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/backend/safetext"
)

// Who is one connected operator, as their SSH key names them.
type Who struct {
	User        string // the operator authorized_keys names
	Fingerprint string // SHA256:… of their key
	Remote      string // the client's address
}

// Screen is the kind of screen an operator has on top.
type Screen string

// The console's screens.
const (
	ScreenClusters Screen = "clusters"
	ScreenZones    Screen = "zones"
	ScreenServers  Screen = "servers"
	ScreenTasks    Screen = "tasks"
	ScreenTask     Screen = "task"
)

// Place is what an operator looks at: a screen, the cluster (and zone)
// it is about, the task shown, and the restart dialog open, if any.
type Place struct {
	Screen    Screen
	ClusterID int64
	Cluster   string // name, for the words; may be empty
	Zone      string
	TaskID    int64
	Dialog    *Dialog
	// Command is the command an ssh exec request runs ("tasks"), for a
	// session that is not a console.
	Command string
}

// Dialog is an open restart dialog: on one server, or on a whole zone
// (ServerID 0).
type Dialog struct {
	ClusterID int64
	Cluster   string
	Zone      string // the zone restarted, or the server's zone
	ServerID  int64
	Server    string // ip:port
}

// Overlaps reports whether two dialogs are about the same server or the
// same zone of one cluster: restarting both at once is what an operator
// must be warned about.
func (d Dialog) Overlaps(o Dialog) bool {
	if d.ClusterID != o.ClusterID {
		return false
	}
	if d.ServerID != 0 && d.ServerID == o.ServerID {
		return true
	}
	return d.Zone != "" && d.Zone == o.Zone
}

// what names the dialog's subject: "192.0.2.12:2882" or "zone zone1".
func (d Dialog) what() string {
	if d.ServerID != 0 {
		if d.Server != "" {
			return safetext.Line(d.Server)
		}
		return fmt.Sprintf("server %d", d.ServerID)
	}
	return "zone " + safetext.Line(d.Zone)
}

// Describe says what is looked at, the way a status bar says it:
// "watching task 89027028", "on servers of protoss".
func (p Place) Describe() string {
	cluster := safetext.Line(p.Cluster)
	if cluster == "" && p.ClusterID != 0 {
		cluster = fmt.Sprintf("cluster %d", p.ClusterID)
	}
	of := func(what string) string {
		if cluster == "" {
			return "on " + what
		}
		return "on " + what + " of " + cluster
	}
	switch {
	case p.Dialog != nil:
		return "in a restart dialog for " + p.Dialog.what()
	case p.Command != "":
		return "running obconsole " + safetext.Line(p.Command)
	case p.Screen == ScreenTask && p.TaskID != 0:
		return fmt.Sprintf("watching task %d", p.TaskID)
	case p.Screen == ScreenServers && p.Zone != "":
		return of("servers of zone " + safetext.Line(p.Zone))
	case p.Screen == ScreenServers:
		return of("servers")
	case p.Screen == ScreenZones:
		return of("zones")
	case p.Screen == ScreenTasks:
		return of("tasks")
	case p.Screen == ScreenClusters:
		return "on clusters"
	}
	return "here"
}

// Action is a mutating request one operator sent: a restart, retry,
// rollback, skip or cancel. Ids are always set where the request has them;
// names when the sender knew them.
type Action struct {
	Op        string // audit's operation names: restart-server, retry-task, …
	ClusterID int64
	Cluster   string
	Zone      string
	ServerID  int64
	Server    string
	TaskID    int64 // the task acted on (retry, rollback, skip, cancel)
	SubtaskID int64
	Step      string // the step's name, when known
	Force     bool
}

// verbs are the nouns of the operations, as a sentence says them.
var verbs = map[string]string{
	audit.OpRestartServer: "restart",
	audit.OpRestartZone:   "restart",
	audit.OpRetryTask:     "retry",
	audit.OpRollbackTask:  "rollback",
	audit.OpRetrySubtask:  "retry",
	audit.OpSkipSubtask:   "skip",
	audit.OpCancelSubtask: "cancel",
}

// noun names the action the way a sentence does: "restart of
// 192.0.2.12:2882 (protoss)", "force restart of zone zone1", "retry of
// step Stop observer of task 42"; withCluster adds the cluster's name.
func (a Action) noun(withCluster bool) string {
	verb, ok := verbs[a.Op]
	if !ok {
		verb = safetext.Line(a.Op)
	}
	if a.Force {
		verb = "force " + verb
	}
	target := ""
	switch {
	case a.Server != "":
		target = safetext.Line(a.Server)
	case a.ServerID != 0:
		target = fmt.Sprintf("server %d", a.ServerID)
	case a.Zone != "":
		target = "zone " + safetext.Line(a.Zone)
	}
	var of string
	switch {
	case a.TaskID == 0:
		of = target
	default:
		// A task's action: the task first, what it works on after.
		of = fmt.Sprintf("task %d", a.TaskID)
		switch {
		case a.Step != "":
			of = "step " + safetext.Line(a.Step) + " of " + of
		case a.SubtaskID != 0:
			of = fmt.Sprintf("step %d of %s", a.SubtaskID, of)
		}
		if target != "" {
			of += " on " + target
		}
	}
	s := verb
	if of != "" {
		s += " of " + of
	}
	if !withCluster {
		return s
	}
	switch {
	case a.Cluster != "":
		s += " (" + safetext.Line(a.Cluster) + ")"
	case a.ClusterID != 0:
		s += fmt.Sprintf(" (cluster %d)", a.ClusterID)
	}
	return s
}

// Peer is another member as seen at one moment.
type Peer struct {
	ID    int64 // unique within the hub, in joining order
	Who   Who
	Place Place
}

// Describe is "alice watching task 89027028".
func (p Peer) Describe() string {
	return safetext.Line(p.Who.User) + " " + p.Place.Describe()
}

// PeerAction is an action some other member has in flight.
type PeerAction struct {
	Peer   Peer
	Action Action
}

// EventKind says what happened.
type EventKind int

const (
	// Started: a member sent a mutating request.
	Started EventKind = iota + 1
	// Finished: its answer came (Err empty) or it failed (Err says why).
	Finished
)

// Event is news about another member's action.
type Event struct {
	Kind   EventKind
	From   Who
	Action Action
	TaskID int64  // Finished: the task the answer named, if any
	Err    string // Finished: why it failed, one safe line; empty on success
}

// String is the toast's text: "alice started a restart of
// 192.0.2.12:2882 (protoss)", "alice's restart of 192.0.2.12:2882
// (protoss) was accepted: task 42", "… failed: Conflict: …".
func (e Event) String() string {
	who := safetext.Line(e.From.User)
	if e.Kind == Started {
		return who + " started a " + e.Action.noun(true)
	}
	s := who + "'s " + e.Action.noun(true)
	switch {
	case e.Err != "":
		return s + " failed: " + e.Err
	case e.TaskID != 0 && e.TaskID != e.Action.TaskID:
		return s + fmt.Sprintf(" was accepted: task %d", e.TaskID)
	}
	return s + " was accepted"
}

// Task is the task an accepted action started or set running again.
func (e Event) Task() (PeerTask, bool) {
	if e.Kind != Finished || e.Err != "" || e.TaskID == 0 {
		return PeerTask{}, false
	}
	return PeerTask{Who: e.From, Action: e.Action, TaskID: e.TaskID}, true
}

// Concerns reports whether the event is about what place shows: the same
// cluster (by id, or by name where the action's sender knew only the
// name: a task's action names its cluster), or the task shown.
func (e Event) Concerns(p Place) bool {
	a := e.Action
	switch {
	case p.ClusterID != 0 && a.ClusterID == p.ClusterID:
		return true
	case a.ClusterID == 0 && a.Cluster != "" && a.Cluster == p.Cluster:
		return true
	}
	return p.TaskID != 0 && (a.TaskID == p.TaskID || e.TaskID == p.TaskID)
}

// PeerTask is a task another operator's action started, or set running
// again.
type PeerTask struct {
	Who    Who
	Action Action
	TaskID int64
}

// Running is the restart dialog's words for it while it runs: "alice's
// restart of zone zone2 is running (task 42)".
func (t PeerTask) Running() string { return t.said(false, "is running") }

// Ended is the toast's words once it ended, word its outcome: "alice's
// restart of 192.0.2.12:2882 (protoss) finished: SUCCESSFUL (task 42)".
func (t PeerTask) Ended(word string) string { return t.said(true, "finished: "+safetext.Line(word)) }

func (t PeerTask) said(withCluster bool, what string) string {
	s := safetext.Line(t.Who.User) + "'s " + t.Action.noun(withCluster) + " " + what
	if t.Action.TaskID != t.TaskID {
		s += fmt.Sprintf(" (task %d)", t.TaskID)
	}
	return s
}

// queueSize bounds the news kept for a member that is not reading.
const queueSize = 32

// startedKept bounds the tasks the hub remembers who started.
const startedKept = 256

// Hub is the register of one server's sessions.
type Hub struct {
	mu      sync.Mutex
	nextID  int64
	members []*Member // in joining order
	// started are the tasks members' accepted actions started or set
	// running again, oldest first; kept after the member leaves (the task
	// runs on), at most startedKept.
	started []startedTask
}

type startedTask struct {
	member int64
	task   PeerTask
}

// NewHub returns an empty hub.
func NewHub() *Hub { return &Hub{} }

// Member is one session's place in the hub.
type Member struct {
	hub    *Hub
	id     int64
	events chan Event

	// guarded by hub.mu
	who      Who
	place    Place
	inFlight map[int64]Action
	nextSeq  int64
	left     bool
	dropped  int
}

// Join registers a session.
func (h *Hub) Join(who Who) *Member {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.nextID++
	m := &Member{hub: h, id: h.nextID, who: who, events: make(chan Event, queueSize), inFlight: map[int64]Action{}}
	h.members = append(h.members, m)
	return m
}

// Count is the number of members.
func (h *Hub) Count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.members)
}

// ID is the member's number in the hub.
func (m *Member) ID() int64 { return m.id }

// Leave removes the member; its actions in flight are forgotten (their
// requests go on: a dropped session cancels nothing). Calling it again
// does nothing.
func (m *Member) Leave() {
	h := m.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	if m.left {
		return
	}
	m.left = true
	h.members = slices.DeleteFunc(h.members, func(o *Member) bool { return o == m })
}

// Look records what the member looks at now.
func (m *Member) Look(p Place) {
	if p.Dialog != nil {
		d := *p.Dialog
		p.Dialog = &d // the caller's copy may change
	}
	m.hub.mu.Lock()
	defer m.hub.mu.Unlock()
	m.place = p
}

// Place is what the member last said it looks at.
func (m *Member) Place() Place {
	m.hub.mu.Lock()
	defer m.hub.mu.Unlock()
	return m.place
}

// Others are every other member, in joining order.
func (m *Member) Others() []Peer {
	h := m.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []Peer
	for _, o := range h.members {
		if o != m {
			out = append(out, o.peer())
		}
	}
	return out
}

func (m *Member) peer() Peer {
	p := Peer{ID: m.id, Who: m.who, Place: m.place}
	if d := m.place.Dialog; d != nil {
		c := *d
		p.Place.Dialog = &c
	}
	return p
}

// DialogsOn are the other members with a restart dialog open on the same
// server or zone as d.
func (m *Member) DialogsOn(d Dialog) []Peer {
	var out []Peer
	for _, p := range m.Others() {
		if p.Place.Dialog != nil && p.Place.Dialog.Overlaps(d) {
			out = append(out, p)
		}
	}
	return out
}

// ActionsOn are the other members' requests in flight on the same server or
// zone as d (sent, no answer yet).
func (m *Member) ActionsOn(d Dialog) []PeerAction {
	h := m.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []PeerAction
	for _, o := range h.members {
		if o == m {
			continue
		}
		seqs := make([]int64, 0, len(o.inFlight))
		for s := range o.inFlight {
			seqs = append(seqs, s)
		}
		slices.Sort(seqs)
		for _, s := range seqs {
			a := o.inFlight[s]
			on := Dialog{ClusterID: a.ClusterID, Zone: a.Zone, ServerID: a.ServerID}
			if on.Overlaps(d) {
				out = append(out, PeerAction{Peer: o.peer(), Action: a})
			}
		}
	}
	return out
}

// StartedBy is who else started task id, or last set it running again,
// through this server: false when nobody did, or the member itself did
// last.
func (m *Member) StartedBy(taskID int64) (PeerTask, bool) {
	h := m.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := len(h.started) - 1; i >= 0; i-- {
		if s := h.started[i]; s.task.TaskID == taskID {
			return s.task, s.member != m.id
		}
	}
	return PeerTask{}, false
}

// Events is the member's queue of news about the others' actions. It is
// bounded: when the session does not read, the oldest news goes.
func (m *Member) Events() <-chan Event { return m.events }

// Dropped is how much news was dropped because the queue was full.
func (m *Member) Dropped() int {
	m.hub.mu.Lock()
	defer m.hub.mu.Unlock()
	return m.dropped
}

// Start tells the others that the member sent a; the returned func tells
// them how it ended (taskID from the answer, err when it failed). Call it
// exactly once.
func (m *Member) Start(a Action) (finish func(taskID int64, err error)) {
	h := m.hub
	h.mu.Lock()
	m.nextSeq++
	seq := m.nextSeq
	if !m.left {
		m.inFlight[seq] = a
	}
	h.publish(m, Event{Kind: Started, From: m.who, Action: a})
	h.mu.Unlock()
	var once sync.Once
	return func(taskID int64, err error) {
		once.Do(func() {
			ev := Event{Kind: Finished, From: m.who, Action: a, TaskID: taskID}
			if err != nil {
				ev.Err = safetext.Line(err.Error())
				if ev.Err == "" {
					ev.Err = "failed"
				}
			}
			h.mu.Lock()
			delete(m.inFlight, seq)
			if t, ok := ev.Task(); ok {
				if len(h.started) == startedKept {
					h.started = slices.Delete(h.started, 0, 1)
				}
				h.started = append(h.started, startedTask{member: m.id, task: t})
			}
			h.publish(m, ev)
			h.mu.Unlock()
		})
	}
}

// publish queues ev for every member but from; h.mu is held, so events
// reach each queue in the order they happened.
func (h *Hub) publish(from *Member, ev Event) {
	for _, o := range h.members {
		if o == from {
			continue
		}
		for sent := false; !sent; {
			select {
			case o.events <- ev:
				sent = true
			default:
				// Full: the session is not reading. Drop its oldest news.
				select {
				case <-o.events:
					o.dropped++
				default:
				}
			}
		}
	}
}

// Summary is the status bar's line about the others: "" when alone,
// else "2 others here" and the one most worth knowing about, joined by sep
// (the theme's bullet): "2 others here · alice watching task 89027028".
// A peer in a restart dialog comes first, then one watching a task, then
// the earliest to join.
func Summary(others []Peer, sep string) string {
	if len(others) == 0 {
		return ""
	}
	n := Here(len(others))
	best := others[0]
	rank := func(p Peer) int {
		switch {
		case p.Place.Dialog != nil:
			return 0
		case p.Place.Screen == ScreenTask && p.Place.TaskID != 0:
			return 1
		}
		return 2
	}
	for _, p := range others[1:] {
		if rank(p) < rank(best) {
			best = p
		}
	}
	return n + sep + best.Describe()
}

// Here is "1 other here", "2 others here": the head of Summary, what a
// narrow status bar keeps.
func Here(n int) string {
	if n == 1 {
		return "1 other here"
	}
	return fmt.Sprintf("%d others here", n)
}

// Warning is the restart dialog's line about the others on the same
// server or zone: "" when nobody; else who has a dialog open there, whose
// request is on its way there and whose task runs there, e.g. "bob has a
// restart dialog open on zone zone1; alice's restart of 192.0.2.12:2882
// is running (task 42)".
func Warning(dialogs []Peer, actions []PeerAction, tasks []PeerTask) string {
	var parts []string
	for _, p := range dialogs {
		parts = append(parts, safetext.Line(p.Who.User)+" has a restart dialog open on "+p.Place.Dialog.what())
	}
	for _, a := range actions {
		parts = append(parts, safetext.Line(a.Peer.Who.User)+"'s "+a.Action.noun(false)+" is on its way")
	}
	for _, t := range tasks {
		parts = append(parts, t.Running())
	}
	return strings.Join(parts, "; ")
}
