package ui

import (
	"encoding/base64"
	"io"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/ui/common"
)

// c copies the selected row's id or address (k9s's key) to the operator's
// clipboard through the terminal: OSC 52, which works over SSH and in
// tmux with set-clipboard on. The text is the console's own rendering of
// a name from OCP: a name holding any control or escape character is not
// copied (it would be pasted into a shell), and secrets are never copied.

// maxCopy caps what is copied: ids and addresses are short.
const maxCopy = 256

// OSC52 returns a function writing text to the clipboard of the terminal
// w draws on, as one OSC 52 write (the renderer writes each frame in one
// write too, so the sequence lands between frames).
func OSC52(w io.Writer) func(string) error {
	return func(text string) error {
		_, err := io.WriteString(w, "\x1b]52;c;"+base64.StdEncoding.EncodeToString([]byte(text))+"\a")
		return err
	}
}

// Clipboard is Options.Copy and Options.NoCopy for a terminal: OSC 52 on
// w, or none, and why, with --no-clipboard or where TERM says the
// terminal takes no escape sequences (dumb, or unset).
func Clipboard(w io.Writer, term string, disabled bool) (func(string) error, string) {
	switch {
	case disabled:
		return nil, "started with --no-clipboard"
	case term == "" || term == "dumb":
		return nil, "TERM=" + term + " takes no clipboard sequence (OSC 52)"
	}
	return OSC52(w), ""
}

// copyText is what c copies on the shown screen: its selected row's id or
// address, the task id of a Task view or step log.
func (m *Model) copyText() (string, bool) {
	if c, ok := m.Top().(copier); ok {
		return c.CopyText()
	}
	return "", false
}

func (m *Model) canCopy() bool {
	_, ok := m.copyText()
	return ok
}

// copyMsg is a copy's outcome.
type copyMsg struct {
	text string
	err  error
}

// copy copies the shown screen's id or address, or says why not.
func (m *Model) copy() tea.Cmd {
	text, ok := m.copyText()
	switch {
	case !ok || text == "":
		return common.Toast(common.ToastInfo, "nothing to copy here")
	case m.opts.Copy == nil:
		reason := m.opts.NoCopy
		if reason == "" {
			reason = "no clipboard"
		}
		return common.Toast(common.ToastWarn, "not copied: %s", reason)
	case !safetext.IsSafe(text) || len(text) > maxCopy || m.ctx.Line(text) != text:
		return common.Toast(common.ToastWarn, "not copied: %s holds characters a terminal or shell could act on", safetext.Excerpt(text))
	}
	write := m.opts.Copy
	return func() tea.Msg { return copyMsg{text: text, err: write(text)} }
}

func (m *Model) copyDone(msg copyMsg) tea.Cmd {
	if msg.err != nil {
		return common.Toast(common.ToastError, "not copied: %v", msg.err)
	}
	return common.Toast(common.ToastInfo, "copied %s", msg.text)
}
