package taskview

import (
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
)

// withProfile sets lipgloss's colour profile for one test (the package's
// TestMain forces ASCII for the goldens).
func withProfile(t *testing.T, p termenv.Profile) {
	prev := lipgloss.ColorProfile()
	lipgloss.SetColorProfile(p)
	t.Cleanup(func() { lipgloss.SetColorProfile(prev) })
}

// Every style the view takes apart must draw exactly what Render draws.
func TestPaintsMatchRender(t *testing.T) {
	for _, prof := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256, termenv.ANSI, termenv.Ascii} {
		withProfile(t, prof)
		for _, opts := range []theme.Options{{Mode: theme.Dark}, {Mode: theme.Light}, {NoColor: true}, {ASCII: true, NoColor: true}} {
			th := theme.New(opts)
			m := New(common.NewContext(newFake(restartTask(t)), th, nil, false, 0), 1)
			st := &th.Styles
			pairs := map[string]struct {
				p  paint
				st lipgloss.Style
			}{
				"title": {m.p.title, st.Title}, "muted": {m.p.muted, st.Muted}, "warning": {m.p.warning, st.Warning},
				"error": {m.p.error, st.Error}, "ok": {m.p.ok, st.OK}, "selected": {m.p.selected, st.SelectedRow},
				"stale": {m.p.stale, st.Stale},
			}
			for tone := range m.tone {
				pairs["tone "+theme.Tone(tone).String()] = struct {
					p  paint
					st lipgloss.Style
				}{m.tonePaint(theme.Tone(tone)), th.ToneStyle(theme.Tone(tone))}
			}
			for name, c := range pairs {
				for _, text := range []string{"x", "Stop observer process  0:12 ×2", "✓ SUCCESSFUL"} {
					if got, want := c.p.s(text), c.st.Render(text); got != want {
						t.Errorf("profile %v %+v %s: paint %q, Render %q", prof, opts, name, got, want)
					}
				}
			}
		}
	}
}
