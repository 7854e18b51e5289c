package theme

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/obconsole/obconsole/backend/ocp"
)

func TestParseMode(t *testing.T) {
	for in, want := range map[string]Mode{"": Auto, "auto": Auto, "DARK": Dark, " light ": Light} {
		got, err := ParseMode(in)
		if err != nil || got != want {
			t.Errorf("ParseMode(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseMode("solarized"); err == nil {
		t.Error("ParseMode(solarized): want an error")
	}
}

func TestModeResolution(t *testing.T) {
	if !New(Options{Mode: Auto, DarkBackground: true}).IsDark() {
		t.Error("auto on a dark background should be dark")
	}
	if New(Options{Mode: Auto, DarkBackground: false}).IsDark() {
		t.Error("auto on a light background should be light")
	}
	if New(Options{Mode: Light, DarkBackground: true}).IsDark() {
		t.Error("--theme light must win over detection")
	}
	if New(Options{Mode: Dark}).Palette().OK == New(Options{Mode: Light}).Palette().OK {
		t.Error("dark and light palettes should differ")
	}
}

// Every documented status of every subject is in the table, with the
// meaning backend/ocp gives it (Class) and the tone of that meaning, but
// for the states that must not pass for their class's others.
func TestStatusTableCoversEveryKnownValue(t *testing.T) {
	th := Default()
	check := func(subject Subject, values []string, known func(string) bool) {
		t.Helper()
		for _, v := range values {
			if !known(v) {
				t.Fatalf("test lists %q, which ocp does not know", v)
			}
			st := th.Status(subject, v)
			if !st.Known || st.Tone == ToneUnknown || st.Word != v || st.Class != classOf(subject, v) {
				t.Errorf("subject %d status %q: got %+v", subject, v, st)
			}
			if _, _, own := ownLook(subject, v); !own && st.Tone != ToneOf(st.Class) {
				t.Errorf("subject %d status %q: tone %v, its class %v says %v", subject, v, st.Tone, st.Class, ToneOf(st.Class))
			}
		}
		if len(statusTable[subject]) != len(values) {
			t.Errorf("subject %d: table has %d entries, ocp documents %d", subject, len(statusTable[subject]), len(values))
		}
	}
	check(SubjectCluster, []string{"RUNNING", "CREATING", "DELETING", "STARTING", "RESTARTING", "STOPPING",
		"STOPPED", "TAKINGOVER", "MOVINGOUT", "SWITCHOVER", "FAILOVER", "OPERATING",
		"UNAVAILABLE", "UPGRADING", "STARTING_IN_READ_ONLY"},
		func(s string) bool { return ocp.ClusterStatus(s).Known() })
	check(SubjectServer, []string{"CREATING", "RUNNING", "STOPPING", "STOPPED", "STARTING", "RESTARTING",
		"DELETING", "UNAVAILABLE", "OPERATING", "DELETED",
		"SERVICE_STOPPING", "SERVICE_STOPPED", "PROCESS_STOPPING", "PROCESS_STOPPED"},
		func(s string) bool { return ocp.ServerStatus(s).Known() })
	check(SubjectZone, []string{"RUNNING", "UNAVAILABLE", "SERVICE_STOPPED", "STOPPED", "DELETED", "CREATING",
		"STOPPING", "STARTING", "RESTARTING", "DELETING", "OPERATING"},
		func(s string) bool { return ocp.ZoneStatusKnown(ocp.ZoneStatus(s)) })
	check(SubjectServerInner, []string{"ACTIVE", "INACTIVE", "DELETING", "TAKEOVER_BY_RS"},
		func(s string) bool { return ocp.InnerStatus(s).Known() })
	check(SubjectZoneInner, []string{"ACTIVE", "INACTIVE"},
		func(s string) bool { return ocp.InnerStatus(s).ZoneClass() != ocp.ClassUnknown })
	check(SubjectTask, []string{"PENDING", "RUNNING", "FAILED", "SUCCESSFUL"},
		func(s string) bool { return ocp.TaskStatus(s).Known() })
	check(SubjectSubtask, []string{"PENDING", "READY", "RUNNING", "CANCELING", "FAILED", "SUCCESSFUL"},
		func(s string) bool { return ocp.SubtaskStatus(s).Known() })
	check(SubjectTaskOutcome, []string{"PENDING", "RUNNING", "ROLLING BACK", "SUCCESSFUL", "ROLLED BACK", "FAILED",
		"ROLLBACK FAILED"},
		func(s string) bool { return ocp.TaskOutcome(s).Class() != ocp.ClassUnknown })
	check(SubjectStepOutcome, []string{"PENDING", "READY", "RUNNING", "CANCELING", "FAILED", "SUCCESSFUL",
		"SKIPPED", "ROLLED BACK", "ROLLBACK SKIPPED"},
		func(s string) bool { return ocp.StepOutcome(s).Class() != ocp.ClassUnknown })
	// A zone has no PROCESS_ statuses: drawn as unknown, with their word.
	if st := th.Zone(ocp.ServerProcessStopped); st.Known || st.Word != "PROCESS_STOPPED" {
		t.Errorf("zone PROCESS_STOPPED: %+v", st)
	}
}

// A rolled-back task and a skipped step are shown as what they are, never
// with success's icon, word or colour: derived from OCP's fields (task
// operation ROLLBACK, step operation SKIP), in both modes.
func TestRolledBackAndSkippedDoNotLookLikeSuccess(t *testing.T) {
	for _, ascii := range []bool{false, true} {
		th := New(Options{Mode: Dark, ASCII: ascii})
		success := th.Outcome(ocp.OutcomeSuccessful)
		rolled := th.TaskOutcome(&ocp.Task{Status: ocp.TaskSuccessful, Operation: ocp.OpRollback})
		if rolled.Word != "ROLLED BACK" || rolled.Icon == success.Icon || rolled.Tone == success.Tone ||
			th.ToneColor(rolled.Tone) == th.ToneColor(success.Tone) {
			t.Errorf("ascii=%v: rolled-back task %+v looks like %+v", ascii, rolled, success)
		}
		if !ascii && rolled.Icon != "↺" {
			t.Errorf("rolled-back icon %q", rolled.Icon)
		}
		done := th.StepOutcomeOf(ocp.StepOutcome(ocp.SubtaskSuccessful))
		skipped := th.StepOutcome(&ocp.Subtask{Status: ocp.SubtaskSuccessful, Operation: ocp.OpSkip})
		if skipped.Word != "SKIPPED" || skipped.Icon == done.Icon || th.ToneColor(skipped.Tone) == th.ToneColor(done.Tone) {
			t.Errorf("ascii=%v: skipped step %+v looks like %+v", ascii, skipped, done)
		}
		for _, c := range []struct {
			got  Status
			word string
		}{
			{th.TaskOutcome(&ocp.Task{Status: ocp.TaskRunning, Operation: ocp.OpRollback}), "ROLLING BACK"},
			{th.TaskOutcome(&ocp.Task{Status: ocp.TaskFailed, Operation: ocp.OpRollback}), "ROLLBACK FAILED"},
			{th.StepOutcome(&ocp.Subtask{Status: ocp.SubtaskPending, Operation: ocp.OpRollback}), "ROLLED BACK"},
			{th.StepOutcome(&ocp.Subtask{Status: ocp.SubtaskPending, Operation: ocp.OpRollbackSkip}), "ROLLBACK SKIPPED"},
			{th.StepOutcome(&ocp.Subtask{Status: ocp.SubtaskCanceling}), "CANCELING"},
			{th.TaskOutcome(nil), "UNKNOWN"},
		} {
			if c.got.Word != c.word || (c.word != "UNKNOWN" && !c.got.Known) {
				t.Errorf("ascii=%v: %+v, want %s", ascii, c.got, c.word)
			}
			if ascii && lipgloss.Width(c.got.Icon) != 4 {
				t.Errorf("ASCII icon %q of %s is not four columns", c.got.Icon, c.word)
			}
		}
		if th.Outcome(ocp.OutcomeRollingBack).Icon == th.Outcome(ocp.OutcomeRunning).Icon {
			t.Errorf("ascii=%v: rolling back shares running's icon", ascii)
		}
	}
}

// Within a subject, two states with different words never look the same
// (icon and colour both equal): colour is never the only signal, and the
// icon alone tells most states apart.
func TestOutcomeLooksAreDistinct(t *testing.T) {
	for _, ascii := range []bool{false, true} {
		th := New(Options{ASCII: ascii})
		for _, subject := range []Subject{SubjectTaskOutcome, SubjectStepOutcome} {
			seen := map[string]string{}
			for _, v := range subjectValues(subject) {
				st := th.Status(subject, v)
				k := st.Icon + "|" + st.Tone.String()
				if st.Tone == ToneWaiting {
					continue // PENDING and READY: both wait, the word tells
				}
				if prev, dup := seen[k]; dup {
					t.Errorf("ascii=%v subject %d: %s and %s look alike (%s)", ascii, subject, prev, v, k)
				}
				seen[k] = v
			}
		}
	}
}

func TestStatusMeaningDependsOnSubject(t *testing.T) {
	th := Default()
	if got := th.Cluster(ocp.ClusterRunning).Tone; got != ToneOK {
		t.Errorf("RUNNING cluster: %v, want ok", got)
	}
	if got := th.Task(ocp.TaskRunning).Tone; got != ToneBusy {
		t.Errorf("RUNNING task: %v, want busy", got)
	}
	if got := th.Server(ocp.ServerUnavailable).Tone; got != ToneError {
		t.Errorf("UNAVAILABLE server: %v, want error", got)
	}
	if got := th.Subtask(ocp.SubtaskFailed); got.Tone != ToneError || got.Icon != "✗" {
		t.Errorf("FAILED subtask: %+v", got)
	}
}

func TestUnknownStatusKeepsItsWord(t *testing.T) {
	for _, ascii := range []bool{false, true} {
		th := New(Options{ASCII: ascii})
		st := th.Server("HIBERNATING")
		if st.Known || st.Tone != ToneUnknown || st.Word != "HIBERNATING" {
			t.Errorf("ascii=%v: %+v", ascii, st)
		}
		if st.Icon != th.Icon(ToneUnknown) {
			t.Errorf("ascii=%v: icon %q", ascii, st.Icon)
		}
		if got := th.Task("").Word; got != "UNKNOWN" {
			t.Errorf("empty status word %q", got)
		}
	}
}

// An unknown status came from OCP as is: its word is drawn as text, never as
// a control or escape sequence, and the spelling is ASCII (--ascii stays pure).
func TestUnknownStatusWordIsMadeSafe(t *testing.T) {
	th := New(Options{ASCII: true})
	st := th.Cluster("\x1b]0;X\x07R\u202eN\x9b")
	if st.Known || st.Word != `^[]0;X^GR\u202eN\x9b` {
		t.Errorf("word %q", st.Word)
	}
	// A long one is cut: it must not push names off their rows.
	if got := th.Status(SubjectCluster, strings.Repeat("\x1b", 40)).Word; got != strings.Repeat("^[", 8)+"^..." {
		t.Errorf("long word %q", got)
	}
	if got := th.Zone("\n\t").Word; got != "^J^I" {
		t.Errorf("control-only word %q", got)
	}
}

// Every tone has an icon of its own in both modes, so colour is never the
// only signal.
func TestIconsAreDistinct(t *testing.T) {
	for _, ascii := range []bool{false, true} {
		th := New(Options{ASCII: ascii})
		seen := map[string]Tone{}
		for _, tone := range Tones() {
			icon := th.Icon(tone)
			if prev, dup := seen[icon]; dup {
				t.Errorf("ascii=%v: %v and %v share icon %q", ascii, prev, tone, icon)
			}
			seen[icon] = tone
			if ascii && lipgloss.Width(icon) != 4 {
				t.Errorf("ASCII icon %q is not four columns", icon)
			}
		}
	}
	th := New(Options{ASCII: true})
	for want, tone := range map[string]Tone{"[ok]": ToneOK, "[..]": ToneBusy, "[!!]": ToneError, "[--]": ToneWaiting} {
		if got := th.Icon(tone); got != want {
			t.Errorf("ASCII icon of %v = %q, want %q", tone, got, want)
		}
	}
}

func isASCII(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII {
			return false
		}
	}
	return true
}

func TestASCIIModeHasNoSymbols(t *testing.T) {
	th := New(Options{ASCII: true})
	g := th.Glyphs
	for _, s := range []string{g.BreadcrumbSep, g.Cursor, g.RootServer, g.Ellipsis, g.Bullet, g.Up, g.Down,
		g.Times, g.NotSent, g.LaneVertical, g.LaneFork, g.LaneMerge, g.LaneHorizontal, g.LaneNode, g.GaugeFull, g.GaugeEmpty,
		g.LaneCross, g.LaneForkRight, g.LaneJoinRight, g.LaneForkJoinRight, g.LaneForkLeft, g.LaneJoinLeft,
		g.LaneForkJoinLeft, g.LaneForkMid, g.LaneJoinMid, g.LaneForkJoinMid} {
		if !isASCII(s) || s == "" {
			t.Errorf("glyph %q is not plain ASCII", s)
		}
	}
	for _, s := range []string{"|", "/", "\\", "*"} {
		if !strings.Contains(g.LaneVertical+g.LaneFork+g.LaneMerge+g.LaneNode, s) {
			t.Errorf("lanes should use %q", s)
		}
	}
	box := th.Styles.Dialog.Render("restart?")
	if !isASCII(ansi.Strip(box)) {
		t.Errorf("ASCII dialog border has symbols:\n%s", box)
	}
	if got := ansi.Strip(th.Gauge(90*time.Second, 100*time.Second, 10)); got != "#########." {
		t.Errorf("ASCII gauge %q", got)
	}
}

// NO_COLOR: no colour escape at all, even on a true-colour terminal, and
// icons and words stay.
func TestNoColor(t *testing.T) {
	old := lipgloss.ColorProfile()
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(old)

	colourful := New(Options{Mode: Dark})
	if out := colourful.Render(colourful.Task(ocp.TaskFailed)); !strings.Contains(out, "38;5;") {
		t.Fatalf("colour theme should colour: %q", out)
	}
	th := New(Options{Mode: Dark, NoColor: true})
	outs := []string{
		th.Render(th.Task(ocp.TaskFailed)),
		th.Styles.BadgeWarn.Render("READ-ONLY"),
		th.Styles.SelectedRow.Render("row"),
		th.Styles.ButtonFocused.Render("Cancel"),
		th.Gauge(95*time.Second, 100*time.Second, 10),
		th.Styles.StatusBar.Render("bar"),
		th.Render(th.TaskOutcome(&ocp.Task{Status: ocp.TaskSuccessful, Operation: ocp.OpRollback})),
	}
	for _, out := range outs {
		if strings.Contains(out, "38;") || strings.Contains(out, "48;") {
			t.Errorf("NO_COLOR output has colour: %q", out)
		}
	}
	if got := ansi.Strip(outs[0]); got != "✗ FAILED" {
		t.Errorf("icon and word must stay: %q", got)
	}
	if !strings.Contains(outs[2], "\x1b[7m") {
		t.Errorf("selection must stay visible without colour (reverse video): %q", outs[2])
	}
}

// NO_COLOR in the environment makes termenv pick its Ascii profile, which
// drops every SGR, bold and reverse video included: the colourless theme
// still emphasises (selection reversed, focus and errors bold, headers
// underlined) and still writes no colour.
func TestNoColorKeepsEmphasisUnderTheAsciiProfile(t *testing.T) {
	old := lipgloss.ColorProfile()
	lipgloss.SetColorProfile(termenv.Ascii) // what NO_COLOR=1 gives the default renderer
	defer lipgloss.SetColorProfile(old)

	th := New(Options{Mode: Dark, NoColor: true})
	for name, c := range map[string]struct {
		out, sgr string
	}{
		"selected row":   {th.Styles.SelectedRow.Render("row"), "7"},
		"focused button": {th.Styles.ButtonFocused.Render("Cancel"), "1"},
		"error status":   {th.Render(th.Task(ocp.TaskFailed)), "1"},
		"column header":  {th.Styles.Header.Render("STEP"), "4"},
		"badge":          {th.Styles.BadgeWarn.Render("STALE"), "7"},
		"new style":      {th.NewStyle().Reverse(true).Render("x"), "7"},
	} {
		if !hasSGR(c.out, c.sgr) {
			t.Errorf("%s: no SGR %s under NO_COLOR: %q", name, c.sgr, c.out)
		}
		if strings.Contains(c.out, "38;") || strings.Contains(c.out, "48;") || strings.Contains(c.out, "[3") {
			t.Errorf("%s: colour under NO_COLOR: %q", name, c.out)
		}
	}
	// The coloured theme on that profile stays plain: the profile is the
	// terminal's business, only the colourless theme overrides it.
	if out := Default().Styles.SelectedRow.Render("row"); out != "row" {
		t.Errorf("colour theme on the Ascii profile: %q", out)
	}
}

// hasSGR reports whether s holds an SGR sequence setting attribute a
// (alone or among others).
func hasSGR(s, a string) bool {
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return false
		}
		s = s[i+2:]
		j := strings.IndexByte(s, 'm')
		if j < 0 {
			return false
		}
		for _, p := range strings.Split(s[:j], ";") {
			if p == a {
				return true
			}
		}
		s = s[j+1:]
	}
}

// The legend names every task and step state with the icon it is drawn
// with, the root-service mark and the gauge's colours, in the theme's mode.
func TestLegend(t *testing.T) {
	for _, ascii := range []bool{false, true} {
		th := New(Options{Mode: Dark, ASCII: ascii})
		var all strings.Builder
		for _, g := range th.Legend() {
			if g.Title == "" || len(g.Items) == 0 {
				t.Errorf("ascii=%v: empty group %+v", ascii, g)
			}
			for _, it := range g.Items {
				all.WriteString(ansi.Strip(it.Mark) + " " + it.Meaning + "\n")
			}
		}
		text := all.String()
		for _, subject := range []Subject{SubjectTaskOutcome, SubjectStepOutcome} {
			for _, v := range subjectValues(subject) {
				st := th.Status(subject, v)
				if v != "PENDING" || subject == SubjectStepOutcome {
					if !strings.Contains(text, st.Icon+" "+st.Word+" ") {
						t.Errorf("ascii=%v: legend lacks %q", ascii, st.Icon+" "+st.Word)
					}
				}
			}
		}
		for _, want := range []string{th.Glyphs.RootServer + " ", th.Glyphs.Times + "3", "80 %", "past it",
			th.Icon(ToneError) + " down", "UNAVAILABLE", "SERVICE_STOPPED", th.Glyphs.NotSent + " not sent"} {
			if !strings.Contains(text, want) {
				t.Errorf("ascii=%v: legend lacks %q:\n%s", ascii, want, text)
			}
		}
		if ascii && !isASCII(text) {
			t.Errorf("ASCII legend has symbols:\n%s", text)
		}
	}
}

func TestGaugeTones(t *testing.T) {
	for ratio, want := range map[float64]Tone{0: ToneOK, 0.79: ToneOK, 0.8: ToneWarn, 1.0: ToneWarn, 1.01: ToneError} {
		if got := GaugeTone(ratio); got != want {
			t.Errorf("GaugeTone(%v) = %v, want %v", ratio, got, want)
		}
	}
	th := Default()
	for _, tc := range []struct {
		elapsed, limit time.Duration
		width          int
		want           string
	}{
		{0, time.Minute, 4, "░░░░"},
		{time.Second, time.Hour, 4, "█░░░"}, // started shows
		{30 * time.Second, time.Minute, 4, "██░░"},
		{2 * time.Minute, time.Minute, 4, "████"}, // clamped
		{time.Second, 0, 3, "░░░"},
		{time.Second, time.Minute, 0, ""},
	} {
		if got := ansi.Strip(th.Gauge(tc.elapsed, tc.limit, tc.width)); got != tc.want {
			t.Errorf("Gauge(%v, %v, %d) = %q, want %q", tc.elapsed, tc.limit, tc.width, got, tc.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	u, a := Default(), New(Options{ASCII: true})
	if got := u.Truncate("198.51.100.12:2882", 8); got != "198.51.…" {
		t.Errorf("unicode truncate %q", got)
	}
	if got := a.Truncate("198.51.100.12:2882", 8); got != "198.5..." {
		t.Errorf("ascii truncate %q", got)
	}
	if got := a.Truncate("short", 8); got != "short" {
		t.Errorf("no-op truncate %q", got)
	}
	if got := a.Truncate("abcdef", 2); got != "ab" {
		t.Errorf("tiny truncate %q", got)
	}
	if got := u.Truncate("x", 0); got != "" {
		t.Errorf("zero width %q", got)
	}
}

func TestStatusWidth(t *testing.T) {
	th := New(Options{ASCII: true})
	if got, want := th.StatusWidth(SubjectSubtask), len("[ok] SUCCESSFUL"); got != want {
		t.Errorf("StatusWidth = %d, want %d", got, want)
	}
	if got, want := th.StatusWidth(SubjectStepOutcome), len("[>!] ROLLBACK SKIPPED"); got != want {
		t.Errorf("StatusWidth(step outcome) = %d, want %d", got, want)
	}
}

// Every lane glyph is one column wide in both modes, so lane columns line
// up whatever the junction.
func TestLaneGlyphsAreOneColumn(t *testing.T) {
	for _, ascii := range []bool{false, true} {
		g := New(Options{ASCII: ascii}).Glyphs
		for _, s := range []string{g.LaneVertical, g.LaneHorizontal, g.LaneNode, g.LaneCross,
			g.LaneForkRight, g.LaneJoinRight, g.LaneForkJoinRight, g.LaneForkLeft, g.LaneJoinLeft,
			g.LaneForkJoinLeft, g.LaneForkMid, g.LaneJoinMid, g.LaneForkJoinMid} {
			if w := lipgloss.Width(s); w != 1 {
				t.Errorf("ascii=%v: lane glyph %q is %d columns", ascii, s, w)
			}
		}
	}
}
