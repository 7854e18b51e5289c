package theme

import "github.com/charmbracelet/lipgloss"

// Styles are every lipgloss style the console uses. Screens take styles
// from here and never build colours of their own.
type Styles struct {
	// Frame
	Title          lipgloss.Style // screen titles, dialog titles
	Breadcrumb     lipgloss.Style // earlier breadcrumb parts
	BreadcrumbLast lipgloss.Style // the current screen
	BreadcrumbSep  lipgloss.Style
	StatusBar      lipgloss.Style // the bottom bar
	StatusKey      lipgloss.Style // "target:" labels in the bar
	Footer         lipgloss.Style // the key hints line

	// Badges: short reversed labels such as READ-ONLY or STALE.
	BadgeInfo  lipgloss.Style
	BadgeWarn  lipgloss.Style
	BadgeError lipgloss.Style

	// Text
	Text    lipgloss.Style
	Muted   lipgloss.Style
	Bold    lipgloss.Style
	Accent  lipgloss.Style
	Warning lipgloss.Style
	Error   lipgloss.Style
	OK      lipgloss.Style

	// Tables and lists
	Header      lipgloss.Style // column headers
	Row         lipgloss.Style
	SelectedRow lipgloss.Style // reverse video without colour
	Stale       lipgloss.Style // rows shown from the last good refresh
	FilterBar   lipgloss.Style // the "/ query" prompt
	MatchCount  lipgloss.Style

	// Boxes and dialogs
	Box           lipgloss.Style // a bordered panel (theme border)
	Dialog        lipgloss.Style // a bordered modal
	DangerDialog  lipgloss.Style // a modal whose action interrupts service
	Button        lipgloss.Style
	ButtonFocused lipgloss.Style
	ButtonDanger  lipgloss.Style // focused button of a dangerous action
	Input         lipgloss.Style

	// Toasts
	ToastInfo  lipgloss.Style
	ToastWarn  lipgloss.Style
	ToastError lipgloss.Style

	// Gauges (see Theme.Gauge)
	GaugeOK    lipgloss.Style
	GaugeWarn  lipgloss.Style
	GaugeError lipgloss.Style
	GaugeEmpty lipgloss.Style

	// Help
	HelpKey  lipgloss.Style
	HelpDesc lipgloss.Style
	HelpSep  lipgloss.Style
}

func newStyles(t *Theme) Styles {
	p := t.palette
	ns := t.NewStyle
	fg := func(tc lipgloss.TerminalColor) lipgloss.Style { return ns().Foreground(c(tc)) }
	badge := func(bg lipgloss.TerminalColor) lipgloss.Style {
		s := ns().Bold(true).Padding(0, 1).Foreground(c(p.OnStatus)).Background(c(bg))
		if t.opts.NoColor {
			s = s.Reverse(true)
		}
		return s
	}
	border := t.Border()

	s := Styles{
		Title:          fg(p.Accent).Bold(true),
		Breadcrumb:     fg(p.Muted),
		BreadcrumbLast: fg(p.Accent).Bold(true),
		BreadcrumbSep:  fg(p.Muted),
		StatusBar:      fg(p.Text).Background(c(p.Subtle)),
		StatusKey:      fg(p.Muted).Background(c(p.Subtle)),
		Footer:         fg(p.Muted),

		BadgeInfo:  badge(p.Accent),
		BadgeWarn:  badge(p.Warn),
		BadgeError: badge(p.Error),

		Text:    fg(p.Text),
		Muted:   fg(p.Muted),
		Bold:    ns().Bold(true),
		Accent:  fg(p.Accent),
		Warning: fg(p.Warn).Bold(true),
		Error:   fg(p.Error).Bold(true),
		OK:      fg(p.OK),

		Header:      fg(p.Muted).Bold(true).Underline(t.opts.NoColor),
		Row:         ns(),
		SelectedRow: ns().Background(c(p.Selection)).Bold(true),
		Stale:       fg(p.Muted).Faint(true),
		FilterBar:   fg(p.Accent),
		MatchCount:  fg(p.Muted),

		Box:          ns().Border(border).BorderForeground(c(p.Border)),
		Dialog:       ns().Border(border).BorderForeground(c(p.Accent)).Padding(0, 1),
		DangerDialog: ns().Border(border).BorderForeground(c(p.Error)).Padding(0, 1),
		Button:       fg(p.Text).Padding(0, 1),
		ButtonFocused: ns().Padding(0, 1).Bold(true).
			Foreground(c(p.AccentFg)).Background(c(p.Accent)),
		ButtonDanger: ns().Padding(0, 1).Bold(true).
			Foreground(c(p.OnStatus)).Background(c(p.Error)),
		Input: fg(p.Text).Underline(true),

		ToastInfo:  fg(p.Text),
		ToastWarn:  fg(p.Warn).Bold(true),
		ToastError: fg(p.Error).Bold(true),

		GaugeOK:    fg(p.OK),
		GaugeWarn:  fg(p.Warn),
		GaugeError: fg(p.Error),
		GaugeEmpty: fg(p.Muted),

		HelpKey:  fg(p.Accent).Bold(true),
		HelpDesc: fg(p.Muted),
		HelpSep:  fg(p.Border),
	}
	if t.opts.NoColor {
		// Without colour, selection and focus must still show.
		s.SelectedRow = ns().Reverse(true)
		s.ButtonFocused = ns().Padding(0, 1).Reverse(true).Bold(true)
		s.ButtonDanger = ns().Padding(0, 1).Reverse(true).Bold(true)
		s.Stale = ns().Faint(true)
	}
	return s
}
