package steplog

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/keys"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// Goldens of the log view inside the console (breadcrumb, footer and
// status bar included), on the embedded simulator's fake clock.
func TestGolden(t *testing.T) {
	type step struct{ keys, text string }
	cases := []struct {
		name  string
		ascii bool
		steps []step
	}{
		{name: "running", steps: []step{{text: "following"}}},
		{name: "search", steps: []step{{text: "following"}, {keys: "/ o b s e r v e r enter", text: "search: observer"}}},
		{name: "ascii-search", ascii: true, steps: []step{{text: "following"}, {keys: "/ c l o g enter", text: "search: clog"}}},
	}
	for _, tc := range cases {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s_%dx%d", tc.name, size[0], size[1]), func(t *testing.T) {
				w, h := size[0], size[1]
				e := newEnv(t, "")
				e.waitRunning("Wait observer active")
				e.clock.Advance(9 * time.Second)
				th := theme.New(theme.Options{Mode: theme.Dark, ASCII: tc.ascii})
				ctx := common.NewContext(e.exec, th, keys.New(tc.ascii), false, time.Second)
				root := ui.New(ctx, ui.Options{
					First:    New(ctx, e.task.ID, e.step("Wait observer active")),
					Schedule: func(time.Duration, func() tea.Msg) tea.Cmd { return nil },
				})
				tm := teatest.NewTestModel(t, root, teatest.WithInitialTermSize(w, h))
				for _, s := range tc.steps {
					for _, k := range strings.Fields(s.keys) {
						tm.Send(keyMsg(k))
					}
					teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s.text)) },
						teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(time.Millisecond))
				}
				tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
				final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*ui.Model)
				view := final.View()
				if got := strings.Count(view, "\n") + 1; got != h {
					t.Errorf("view is %d lines, want %d", got, h)
				}
				golden.RequireEqual(t, []byte(view))
			})
		}
	}
}
