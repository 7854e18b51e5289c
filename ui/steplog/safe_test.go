package steplog

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/common/commontest"
	"github.com/obconsole/obconsole/ui/common/commontest/screens"
	"github.com/obconsole/obconsole/ui/keys"
)

// A log from OCP is shown as text (escapes spelled out, never run), rid of
// secrets, and the search finds what the operator reads.
func TestLogIsShownAndSearchedAsText(t *testing.T) {
	fake := commontest.New()
	fake.SetLog("boot \x1b[31mred\x1b[0m\n\x1b]0;title\x07 token=hunter2\nplain\n")
	ctx := common.NewContext(fake, theme.New(theme.Options{ASCII: true}), keys.New(true), false, time.Second)
	ctx.Redactor = safetext.NewRedactor()
	ctx.Redactor.Add("hunter2")
	m := New(ctx, 7, ocp.Subtask{ID: 1, Name: "Stop\x1b[2J", Status: ocp.SubtaskSuccessful})
	m.SetSize(80, 10)
	screens.New(t, ctx, m)
	view := m.View()
	for _, want := range []string{"Log of Stop^[[2J", "boot ^[[31mred^[[0m", "^[]0;title^G token=[REDACTED]"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	if strings.ContainsAny(view, "\x1b\x07") || strings.Contains(view, "hunter2") {
		t.Fatalf("unsafe view %q", view)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/")})
	for _, r := range "^[[31m" {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	if m.Matches() != 1 {
		t.Errorf("searching the text as shown: %d matches", m.Matches())
	}
	if got := m.Title(); got != "log Stop^[[2J" {
		t.Errorf("title %q", got)
	}
}
