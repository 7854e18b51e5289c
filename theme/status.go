package theme

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
)

// Tone is how a status looks: its colour and, unless the status has an
// icon of its own, its icon. Colour is never the only signal: every tone
// has its own icon as well, and every status its word.
type Tone int

const (
	ToneUnknown Tone = iota // a value this build was not told about
	ToneOK                  // healthy, finished well
	ToneBusy                // in progress
	ToneWaiting             // queued, not started
	ToneWarn                // transitional but worth attention
	ToneError               // failed or unreachable
	ToneIdle                // deliberately stopped or gone
	ToneUndone              // rolled back: what was done has been undone
	ToneSkipped             // skipped: marked done without doing it
)

// Tones lists every tone, in order.
func Tones() []Tone {
	return []Tone{ToneUnknown, ToneOK, ToneBusy, ToneWaiting, ToneWarn, ToneError, ToneIdle, ToneUndone, ToneSkipped}
}

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
	case ToneUndone:
		return "undone"
	case ToneSkipped:
		return "skipped"
	}
	return "unknown"
}

// ToneOf is the tone of what OCP's status class means (backend/ocp
// decides the meaning, the theme the look).
func ToneOf(c ocp.StatusClass) Tone {
	switch c {
	case ocp.ClassOK:
		return ToneOK
	case ocp.ClassInProgress:
		return ToneBusy
	case ocp.ClassWaiting:
		return ToneWaiting
	case ocp.ClassAttention:
		return ToneWarn
	case ocp.ClassError:
		return ToneError
	case ocp.ClassStopped:
		return ToneIdle
	}
	return ToneUnknown
}

// icons is an icon in both modes: [0] Unicode, [1] ASCII. ASCII icons are
// all four columns wide so columns line up.
type icons [2]string

// toneIcons are the icons of each tone.
var toneIcons = map[Tone]icons{
	ToneOK:      {"✓", "[ok]"},
	ToneBusy:    {"◐", "[..]"},
	ToneWaiting: {"○", "[--]"},
	ToneWarn:    {"▲", "[! ]"},
	ToneError:   {"✗", "[!!]"},
	ToneIdle:    {"■", "[||]"},
	ToneUnknown: {"?", "[??]"},
	ToneUndone:  {"↺", "[<-]"},
	ToneSkipped: {"»", "[>>]"},
}

// Icons of states that share a tone's colour but must not pass for its
// other states.
var (
	iconRollingBack     = icons{"↶", "[<.]"} // busy, but going backwards
	iconRollbackFailed  = icons{"↯", "[<!]"} // an error, in the undo
	iconCanceling       = icons{"⊘", "[x.]"} // attention: being stopped
	iconRollbackSkipped = icons{"»", "[>!]"} // attention: undo skipped
)

// Subject is what a status belongs to: the same word means different
// things for different subjects (a RUNNING cluster is healthy, a RUNNING
// task is busy).
type Subject int

const (
	SubjectCluster Subject = iota
	SubjectServer
	SubjectTask    // a task's status as OCP sends it; see SubjectTaskOutcome
	SubjectSubtask // a step's status as OCP sends it; see SubjectStepOutcome
	SubjectZone
	SubjectServerInner // the status OceanBase reports for a server (Server.InnerStatus)
	SubjectZoneInner   // the status OceanBase reports for a zone (Zone.InnerStatus)
	// SubjectTaskOutcome is what a task shows as (ocp.Task.Outcome): its
	// status, or ROLLING BACK, ROLLED BACK, ROLLBACK FAILED.
	SubjectTaskOutcome
	// SubjectStepOutcome is what a step shows as (ocp.Subtask.Outcome): its
	// status, or SKIPPED, ROLLED BACK, ROLLBACK SKIPPED.
	SubjectStepOutcome
	numSubjects
)

// look is how one value looks: its tone and, when it has one of its own,
// its icon (else the tone's).
type look struct {
	tone  Tone
	class ocp.StatusClass
	icon  *icons
}

// statusTable is THE table from status to look, built from the values
// OCP is known to send and what backend/ocp says each means (Class).
var statusTable = buildStatusTable()

// Known values of each subject, in the order the legend lists them.
var (
	clusterStatuses = []ocp.ClusterStatus{ocp.ClusterRunning, ocp.ClusterCreating, ocp.ClusterStarting,
		ocp.ClusterStartingInReadOnly, ocp.ClusterRestarting, ocp.ClusterStopping, ocp.ClusterTakingOver,
		ocp.ClusterMovingOut, ocp.ClusterSwitchover, ocp.ClusterOperating, ocp.ClusterUpgrading,
		ocp.ClusterDeleting, ocp.ClusterFailover, ocp.ClusterUnavailable, ocp.ClusterStopped}
	serverStatuses = []ocp.ServerStatus{ocp.ServerRunning, ocp.ServerCreating, ocp.ServerStarting,
		ocp.ServerRestarting, ocp.ServerStopping, ocp.ServerServiceStopping, ocp.ServerProcessStopping,
		ocp.ServerOperating, ocp.ServerDeleting, ocp.ServerUnavailable, ocp.ServerStopped,
		ocp.ServerServiceStopped, ocp.ServerProcessStopped, ocp.ServerDeleted}
	zoneStatuses = []ocp.ZoneStatus{ocp.ZoneRunning, ocp.ZoneCreating, ocp.ZoneStarting, ocp.ZoneRestarting,
		ocp.ZoneStopping, ocp.ZoneOperating, ocp.ZoneDeleting, ocp.ZoneUnavailable, ocp.ZoneStopped,
		ocp.ZoneServiceStopped, ocp.ZoneDeleted}
	innerServerStatuses = []ocp.InnerStatus{ocp.InnerActive, ocp.InnerTakeoverByRS, ocp.InnerDeleting, ocp.InnerInactive}
	innerZoneStatuses   = []ocp.InnerStatus{ocp.InnerActive, ocp.InnerInactive}
	taskStatuses        = []ocp.TaskStatus{ocp.TaskPending, ocp.TaskRunning, ocp.TaskSuccessful, ocp.TaskFailed}
	subtaskStatuses     = []ocp.SubtaskStatus{ocp.SubtaskPending, ocp.SubtaskReady, ocp.SubtaskRunning,
		ocp.SubtaskCanceling, ocp.SubtaskSuccessful, ocp.SubtaskFailed}
	taskOutcomes = []ocp.TaskOutcome{ocp.TaskOutcome(ocp.TaskPending), ocp.OutcomeRunning, ocp.OutcomeRollingBack,
		ocp.OutcomeSuccessful, ocp.OutcomeRolledBack, ocp.OutcomeFailed, ocp.OutcomeRollbackFailed}
	stepOutcomes = []ocp.StepOutcome{ocp.StepOutcome(ocp.SubtaskPending), ocp.StepOutcome(ocp.SubtaskReady),
		ocp.StepOutcome(ocp.SubtaskRunning), ocp.StepOutcome(ocp.SubtaskCanceling),
		ocp.StepOutcome(ocp.SubtaskSuccessful), ocp.StepSkipped, ocp.StepRolledBack, ocp.StepRollbackSkipped,
		ocp.StepOutcome(ocp.SubtaskFailed)}
)

// subjectWords are the known values of each subject, as strings.
var subjectWords = map[Subject][]string{
	SubjectCluster: words(clusterStatuses), SubjectServer: words(serverStatuses), SubjectZone: words(zoneStatuses),
	SubjectServerInner: words(innerServerStatuses), SubjectZoneInner: words(innerZoneStatuses),
	SubjectTask: words(taskStatuses), SubjectSubtask: words(subtaskStatuses),
	SubjectTaskOutcome: words(taskOutcomes), SubjectStepOutcome: words(stepOutcomes),
}

// subjectValues lists the known values of a subject as strings.
func subjectValues(s Subject) []string { return subjectWords[s] }

// words is values as strings.
func words[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// classOf is what backend/ocp says a value of subject means.
func classOf(s Subject, v string) ocp.StatusClass {
	if f, ok := classes[s]; ok {
		return f(v)
	}
	return ocp.ClassUnknown
}

// classes is how backend/ocp classes each subject's values.
var classes = map[Subject]func(string) ocp.StatusClass{
	SubjectCluster: class[ocp.ClusterStatus], SubjectServer: class[ocp.ServerStatus], SubjectZone: class[ocp.ServerStatus],
	SubjectServerInner: func(v string) ocp.StatusClass { return ocp.InnerStatus(v).ServerClass() },
	SubjectZoneInner:   func(v string) ocp.StatusClass { return ocp.InnerStatus(v).ZoneClass() },
	SubjectTask:        class[ocp.TaskStatus], SubjectSubtask: class[ocp.SubtaskStatus],
	SubjectTaskOutcome: class[ocp.TaskOutcome], SubjectStepOutcome: class[ocp.StepOutcome],
}

// class is a value's class, for a value type that knows its own.
func class[T interface {
	~string
	Class() ocp.StatusClass
}](v string) ocp.StatusClass {
	return T(v).Class()
}

// ownLook is where a state looks different from its class's tone: rolled
// back and skipped must never pass for done, cancelling for trouble that
// already happened, rolling back for running forward.
func ownLook(s Subject, v string) (tone Tone, icon *icons, ok bool) {
	switch s {
	case SubjectTaskOutcome:
		switch ocp.TaskOutcome(v) {
		case ocp.OutcomeRollingBack:
			return ToneBusy, &iconRollingBack, true
		case ocp.OutcomeRolledBack:
			return ToneUndone, nil, true
		case ocp.OutcomeRollbackFailed:
			return ToneError, &iconRollbackFailed, true
		}
	case SubjectStepOutcome:
		switch ocp.StepOutcome(v) {
		case ocp.StepSkipped:
			return ToneSkipped, nil, true
		case ocp.StepRolledBack:
			return ToneUndone, nil, true
		case ocp.StepRollbackSkipped:
			return ToneWarn, &iconRollbackSkipped, true
		case ocp.StepOutcome(ocp.SubtaskCanceling):
			return ToneWarn, &iconCanceling, true
		}
	case SubjectSubtask:
		if ocp.SubtaskStatus(v) == ocp.SubtaskCanceling {
			return ToneWarn, &iconCanceling, true
		}
	}
	return 0, nil, false
}

func buildStatusTable() map[Subject]map[string]look {
	table := make(map[Subject]map[string]look, numSubjects)
	for s := Subject(0); s < numSubjects; s++ {
		vs := subjectValues(s)
		m := make(map[string]look, len(vs))
		for _, v := range vs {
			c := classOf(s, v)
			l := look{tone: ToneOf(c), class: c}
			if tone, icon, ok := ownLook(s, v); ok {
				l.tone, l.icon = tone, icon
			}
			m[v] = l
		}
		table[s] = m
	}
	return table
}

// Status is how one status value looks.
type Status struct {
	Icon  string // one symbol, or a four-column ASCII icon such as [ok]
	Word  string // the status as OCP spells it (or the outcome's words); unknown values made safe (safetext.Line)
	Tone  Tone   // colour (see ToneColor, ToneStyle)
	Class ocp.StatusClass
	Known bool // false for values this build does not know
}

// MaxUnknownWord is the widest an unknown status word is drawn; every
// status OCP documents is shorter.
const MaxUnknownWord = 20

// Status looks up value for subject. Unknown values keep their own word
// with the unknown icon; an empty value reads UNKNOWN.
func (t *Theme) Status(subject Subject, value string) Status {
	l, ok := statusTable[subject][value]
	word := value
	if !ok {
		l = look{tone: ToneUnknown, class: ocp.ClassUnknown}
		// A value this build does not know came from outside as is: it is
		// drawn as text, never as a control or escape sequence.
		// It may be long too: cut, so it never pushes a name off a row.
		word = t.Truncate(safetext.Line(word), MaxUnknownWord)
		if strings.TrimSpace(word) == "" {
			word = "UNKNOWN"
		}
	}
	return Status{Icon: t.lookIcon(l), Word: word, Tone: l.tone, Class: l.class, Known: ok}
}

func (t *Theme) lookIcon(l look) string {
	if l.icon != nil {
		return t.pick(*l.icon)
	}
	return t.Icon(l.tone)
}

func (t *Theme) pick(i icons) string {
	if t.opts.ASCII {
		return i[1]
	}
	return i[0]
}

// Icon is the icon of a tone in the current mode.
func (t *Theme) Icon(tone Tone) string {
	i, ok := toneIcons[tone]
	if !ok {
		i = toneIcons[ToneUnknown]
	}
	return t.pick(i)
}

// Cluster looks up a cluster status.
func (t *Theme) Cluster(s ocp.ClusterStatus) Status { return t.Status(SubjectCluster, string(s)) }

// Server looks up a server status.
func (t *Theme) Server(s ocp.ServerStatus) Status { return t.Status(SubjectServer, string(s)) }

// Zone looks up a zone status (zones have a set of their own).
func (t *Theme) Zone(s ocp.ZoneStatus) Status { return t.Status(SubjectZone, string(s)) }

// ServerInner looks up the status OceanBase reports for a server.
func (t *Theme) ServerInner(s ocp.InnerStatus) Status {
	return t.Status(SubjectServerInner, string(s))
}

// ZoneInner looks up the status OceanBase reports for a zone.
func (t *Theme) ZoneInner(s ocp.InnerStatus) Status { return t.Status(SubjectZoneInner, string(s)) }

// Task looks up a task status as OCP sends it. To show a task, use
// TaskOutcome: a rolled-back task is SUCCESSFUL to OCP.
func (t *Theme) Task(s ocp.TaskStatus) Status { return t.Status(SubjectTask, string(s)) }

// Subtask looks up a step status as OCP sends it. To show a step, use
// StepOutcome: a skipped step is SUCCESSFUL to OCP.
func (t *Theme) Subtask(s ocp.SubtaskStatus) Status { return t.Status(SubjectSubtask, string(s)) }

// TaskOutcome is how a task is shown, wherever it is shown (the Task view,
// Tasks, toasts, the commands): RUNNING, ROLLING BACK, SUCCESSFUL, ROLLED
// BACK, FAILED or ROLLBACK FAILED, from OCP's fields (ocp.Task.Outcome).
// A nil task reads UNKNOWN.
func (t *Theme) TaskOutcome(task *ocp.Task) Status {
	if task == nil {
		return t.Status(SubjectTaskOutcome, "")
	}
	return t.Outcome(task.Outcome())
}

// Outcome looks up a task outcome.
func (t *Theme) Outcome(o ocp.TaskOutcome) Status { return t.Status(SubjectTaskOutcome, string(o)) }

// StepOutcome is how a step is shown: its status, or SKIPPED, ROLLED BACK
// or ROLLBACK SKIPPED (ocp.Subtask.Outcome). A nil step reads UNKNOWN.
func (t *Theme) StepOutcome(s *ocp.Subtask) Status {
	if s == nil {
		return t.Status(SubjectStepOutcome, "")
	}
	return t.StepOutcomeOf(s.Outcome())
}

// StepOutcomeOf looks up a step outcome.
func (t *Theme) StepOutcomeOf(o ocp.StepOutcome) Status {
	return t.Status(SubjectStepOutcome, string(o))
}

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
	for v, l := range statusTable[subject] {
		w = max(w, lipgloss.Width(t.lookIcon(l)+" "+v))
	}
	return w
}

// Gone is how a task looks that the backend no longer knows (NotFound
// after it was seen): the console's own state, not OCP's.
func (t *Theme) Gone() Status {
	return Status{Icon: t.Icon(ToneUnknown), Word: "GONE", Tone: ToneUnknown, Class: ocp.ClassUnknown, Known: true}
}
