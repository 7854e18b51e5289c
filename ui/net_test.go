package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/common/commontest"
	"github.com/obconsole/obconsole/ui/keys"
	"github.com/obconsole/obconsole/ui/store"
	"github.com/obconsole/obconsole/ui/taskview"
)

// rawScreen draws whatever it is given, unmade safe: the screen that forgot.
type rawScreen struct{ text string }

func (s rawScreen) Init() tea.Cmd                           { return nil }
func (s rawScreen) Update(tea.Msg) (common.Screen, tea.Cmd) { return s, nil }
func (s rawScreen) View() string                            { return s.text }
func (s rawScreen) SetSize(int, int)                        {}
func (s rawScreen) Title() string                           { return "raw" }
func (s rawScreen) ShortHelp() []key.Binding                { return nil }
func (s rawScreen) FullHelp() [][]key.Binding               { return nil }
func (s rawScreen) Capturing() bool                         { return false }
func (s rawScreen) Uses() store.Uses                        { return store.Uses{} }

func TestSafetyNetSpellsOutWhatAScreenLetThrough(t *testing.T) {
	red := safetext.NewRedactor()
	red.Add("s3cr3t-token")
	raw := "title \x1b]0;pwned\x07 clip \x1b]52;c;ZXZpbA==\x1b\\ clear \x1b[2J c1 \u009b31m nel \u0085 dcs \x1bPq\x1b\\ " +
		"bs a\bb bidi \u202e bad \xff tab \t cr \r kept \x1b[1;38;2;1:2:3mbold\x1b[m token s3cr3t-token"
	d := newDriver(t, driverOpts{first: rawScreen{text: raw}, redactor: red, w: 400, h: 10})
	view := d.m.View()
	want := "title ^[]0;pwned^G clip ^[]52;c;ZXZpbA==^[\\ clear ^[[2J c1 \\u009b31m nel \\u0085 dcs ^[Pq^[\\ " +
		"bs a^Hb bidi \\u202e bad \\xff tab ^I cr ^M kept \x1b[1;38;2;1:2:3mbold\x1b[m token [REDACTED]"
	if !strings.Contains(view, want) {
		t.Fatalf("the net let through or mangled:\n%q\nwant a line with\n%q", view, want)
	}
	if p := frameProblem(view, 400, 10, true); p != "" {
		t.Fatal(p)
	}
}

func TestSgrLen(t *testing.T) {
	for s, want := range map[string]int{
		"\x1b[m": 3, "\x1b[0m": 4, "\x1b[1;38;2;10;20;30mx": 18, "\x1b[38:2::1:2:3m": 14,
		"\x1b[2J": 0, "\x1b]0;x\x07": 0, "\x1b[": 0, "\x1b[1": 0, "\x1b[?25lm": 0, "x\x1b[m": 0, "\x1bm": 0,
	} {
		if got := sgrLen(s); got != want {
			t.Errorf("sgrLen(%q) = %d, want %d", s, got, want)
		}
	}
}

// styledFrames renders every kind of frame the console draws, in colour.
func styledFrames(t testing.TB) []string {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	var frames []string
	for _, ascii := range []bool{false, true} {
		fake := commontest.New()
		d := newDriver(t.(*testing.T), driverOpts{fake: fake, ascii: ascii, w: 120, h: 40})
		for _, ks := range [][]string{{}, {"enter"}, {"r"}, {"f"}, {"esc", "enter"}, {"enter"}, {"r"}, {"esc", "esc", "?"}, {"esc", "t"}} {
			d.keys(ks...)
			frames = append(frames, d.m.frame())
		}
	}
	return frames
}

// The console's own styling passes the net byte for byte (the goldens,
// drawn without colour, are unchanged too).
func TestSafetyNetKeepsStyledFramesAsTheyAre(t *testing.T) {
	for i, f := range styledFrames(t) {
		if !strings.Contains(f, "\x1b[") {
			t.Fatalf("frame %d has no styling: the test draws without colour", i)
		}
		if got := safeFrame(f); got != f {
			t.Fatalf("frame %d changed by the net", i)
		}
	}
}

// BenchmarkSafetyNet is the net's cost on a styled 120×40 frame (the
// Task view of a running task, its detail pane and log): it runs on every
// frame.
func BenchmarkSafetyNet(b *testing.B) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	fake := commontest.NewHostile("secret")
	red := safetext.NewRedactor()
	red.Add("secret", "another-secret")
	th := theme.New(theme.Options{Mode: theme.Dark})
	ctx := common.NewContext(fake, th, keys.New(false), false, time.Second)
	ctx.Redactor = red
	m := New(ctx, Options{First: taskview.New(ctx, commontest.HostileRunningTask),
		Schedule: func(time.Duration, func() tea.Msg) tea.Cmd { return nil }})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	settle(m, m.Init())
	frame := m.frame()
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = safeFrame(red.String(frame))
	}
}
