package theme

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
)

// Tone is the meaning of a status, which decides its colour and icon.
// Colour is never the only signal: every tone has its own icon as well.
type Tone int

const (
	ToneUnknown Tone = iota // a value this build was not told about
	ToneOK                  // healthy, finished well
	ToneBusy                // in progress
	ToneWaiting             // queued, not started
	ToneWarn                // transitional but worth attention
	ToneError               // failed or unreachable
	ToneIdle                // deliberately stopped or gone
)

// String names the tone (for tests and debugging).
func (t Tone) String() string {
	switch t {
	case ToneOK:
		return "ok"
	case ToneBusy:
		return "busy"
	case ToneWaiting:
		return "waiting"
	case ToneWarn:
		return "warn"
	case ToneError:
		return "error"
	case ToneIdle:
		return "idle"
	}
	return "unknown"
}

// toneIcons are the icons of each tone: [0] Unicode, [1] ASCII. All ASCII
// icons are four columns wide so columns line up.
var toneIcons = map[Tone][2]string{
	ToneOK:      {"✓", "[ok]"},
	ToneBusy:    {"◐", "[..]"},
	ToneWaiting: {"○", "[--]"},
	ToneWarn:    {"▲", "[! ]"},
	ToneError:   {"✗", "[!!]"},
	ToneIdle:    {"■", "[||]"},
	ToneUnknown: {"?", "[??]"},
}

// Subject is what a status belongs to: the same word means different
// things for different subjects (a RUNNING cluster is healthy, a RUNNING
// task is busy).
type Subject int

const (
	SubjectCluster Subject = iota
	SubjectServer          // zones use server statuses
	SubjectTask
	SubjectSubtask
)

// SubjectZone is an alias: OCP does not document zone statuses, and they
// are treated like server statuses.
const SubjectZone = SubjectServer

// statusTable is THE table from status to tone. Icons come from the tone,
// the word is the status as OCP spells it.
var statusTable = map[Subject]map[string]Tone{
	SubjectCluster: {
		string(ocp.ClusterRunning):    ToneOK,
		string(ocp.ClusterCreating):   ToneBusy,
		string(ocp.ClusterDeleting):   ToneWarn,
		string(ocp.ClusterStarting):   ToneBusy,
		string(ocp.ClusterRestarting): ToneBusy,
		string(ocp.ClusterStopping):   ToneBusy,
		string(ocp.ClusterStopped):    ToneIdle,
		string(ocp.ClusterTakingOver): ToneBusy,
		string(ocp.ClusterMovingOut):  ToneBusy,
		string(ocp.ClusterSwitchover): ToneBusy,
		string(ocp.ClusterFailover):   ToneWarn,
		string(ocp.ClusterOperating):  ToneBusy,
	},
	SubjectServer: {
		string(ocp.ServerCreating):    ToneBusy,
		string(ocp.ServerRunning):     ToneOK,
		string(ocp.ServerStopping):    ToneBusy,
		string(ocp.ServerStopped):     ToneIdle,
		string(ocp.ServerStarting):    ToneBusy,
		string(ocp.ServerRestarting):  ToneBusy,
		string(ocp.ServerDeleting):    ToneWarn,
		string(ocp.ServerUnavailable): ToneError,
		string(ocp.ServerOperating):   ToneBusy,
		string(ocp.ServerDeleted):     ToneIdle,
	},
	SubjectTask: {
		string(ocp.TaskPending):    ToneWaiting,
		string(ocp.TaskRunning):    ToneBusy,
		string(ocp.TaskFailed):     ToneError,
		string(ocp.TaskSuccessful): ToneOK,
	},
	SubjectSubtask: {
		string(ocp.SubtaskPending):    ToneWaiting,
		string(ocp.SubtaskReady):      ToneWaiting,
		string(ocp.SubtaskRunning):    ToneBusy,
		string(ocp.SubtaskCanceling):  ToneWarn,
		string(ocp.SubtaskFailed):     ToneError,
		string(ocp.SubtaskSuccessful): ToneOK,
	},
}

// Status is how one status value looks.
type Status struct {
	Icon  string // one symbol, or a four-column ASCII icon such as [ok]
	Word  string // the status as OCP spells it; unknown values made safe (safetext.Line)
	Tone  Tone
	Known bool // false for values this build does not know
}

// MaxUnknownWord is the widest an unknown status word is drawn; every
// status OCP documents is shorter.
const MaxUnknownWord = 20

// Status looks up value for subject. Unknown values keep their own word
// with the unknown icon; an empty value reads UNKNOWN.
func (t *Theme) Status(subject Subject, value string) Status {
	tone, ok := statusTable[subject][value]
	word := value
	if !ok {
		tone = ToneUnknown
		// A value this build does not know came from outside as is: it is
		// drawn as text, never as a control or escape sequence.
		// It may be long too: cut, so it never pushes a name off a row.
		word = t.Truncate(safetext.Line(word), MaxUnknownWord)
		if strings.TrimSpace(word) == "" {
			word = "UNKNOWN"
		}
	}
	return Status{Icon: t.Icon(tone), Word: word, Tone: tone, Known: ok}
}

// Icon is the icon of a tone in the current mode.
func (t *Theme) Icon(tone Tone) string {
	icons, ok := toneIcons[tone]
	if !ok {
		icons = toneIcons[ToneUnknown]
	}
	if t.opts.ASCII {
		return icons[1]
	}
	return icons[0]
}

// Cluster looks up a cluster status.
func (t *Theme) Cluster(s ocp.ClusterStatus) Status { return t.Status(SubjectCluster, string(s)) }

// Server looks up a server status.
func (t *Theme) Server(s ocp.ServerStatus) Status { return t.Status(SubjectServer, string(s)) }

// Zone looks up a zone status (server values).
func (t *Theme) Zone(s ocp.ZoneStatus) Status { return t.Status(SubjectZone, string(s)) }

// Task looks up a task status.
func (t *Theme) Task(s ocp.TaskStatus) Status { return t.Status(SubjectTask, string(s)) }

// Subtask looks up a subtask status.
func (t *Theme) Subtask(s ocp.SubtaskStatus) Status { return t.Status(SubjectSubtask, string(s)) }

// Render draws "icon WORD" in the tone's colour.
func (t *Theme) Render(s Status) string {
	return t.ToneStyle(s.Tone).Render(s.Icon + " " + s.Word)
}

// RenderIcon draws just the icon in the tone's colour.
func (t *Theme) RenderIcon(s Status) string { return t.ToneStyle(s.Tone).Render(s.Icon) }

// StatusWidth is the widest "icon WORD" of the known statuses of subject,
// so a column can be sized before any data arrives.
func (t *Theme) StatusWidth(subject Subject) int {
	w := 0
	for v := range statusTable[subject] {
		w = max(w, lipgloss.Width(t.Icon(ToneOK)+" "+v))
	}
	return w
}
