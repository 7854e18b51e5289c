package theme

import "github.com/charmbracelet/lipgloss"

// Palette is the set of colours one theme uses. Every field is a
// lipgloss.TerminalColor so that NO_COLOR can swap them all for
// lipgloss.NoColor{}.
type Palette struct {
	Text      lipgloss.TerminalColor // body text
	Muted     lipgloss.TerminalColor // secondary text, idle and waiting states
	Accent    lipgloss.TerminalColor // titles, breadcrumbs, focused elements
	AccentFg  lipgloss.TerminalColor // text drawn on Accent
	Subtle    lipgloss.TerminalColor // bars and panel backgrounds
	Border    lipgloss.TerminalColor
	Selection lipgloss.TerminalColor // background of the selected row
	OK        lipgloss.TerminalColor
	Busy      lipgloss.TerminalColor
	Warn      lipgloss.TerminalColor
	Error     lipgloss.TerminalColor
	Unknown   lipgloss.TerminalColor
	Undone    lipgloss.TerminalColor // rolled back: not a success, not a failure
	Skipped   lipgloss.TerminalColor // skipped: marked done without running
	OnStatus  lipgloss.TerminalColor // text drawn on OK/Warn/Error badges
}

// A zero Palette field means "no colour"; c turns that into NoColor{}.
func c(tc lipgloss.TerminalColor) lipgloss.TerminalColor {
	if tc == nil {
		return lipgloss.NoColor{}
	}
	return tc
}

var darkPalette = Palette{
	Text:      lipgloss.Color("252"),
	Muted:     lipgloss.Color("245"),
	Accent:    lipgloss.Color("75"),
	AccentFg:  lipgloss.Color("16"),
	Subtle:    lipgloss.Color("236"),
	Border:    lipgloss.Color("240"),
	Selection: lipgloss.Color("238"),
	OK:        lipgloss.Color("78"),
	Busy:      lipgloss.Color("39"),
	Warn:      lipgloss.Color("214"),
	Error:     lipgloss.Color("203"),
	Unknown:   lipgloss.Color("176"),
	Undone:    lipgloss.Color("141"),
	Skipped:   lipgloss.Color("109"),
	OnStatus:  lipgloss.Color("16"),
}

var lightPalette = Palette{
	Text:      lipgloss.Color("235"),
	Muted:     lipgloss.Color("242"),
	Accent:    lipgloss.Color("25"),
	AccentFg:  lipgloss.Color("231"),
	Subtle:    lipgloss.Color("254"),
	Border:    lipgloss.Color("248"),
	Selection: lipgloss.Color("252"),
	OK:        lipgloss.Color("28"),
	Busy:      lipgloss.Color("26"),
	Warn:      lipgloss.Color("130"),
	Error:     lipgloss.Color("160"),
	Unknown:   lipgloss.Color("90"),
	Undone:    lipgloss.Color("55"),
	Skipped:   lipgloss.Color("66"),
	OnStatus:  lipgloss.Color("231"),
}
