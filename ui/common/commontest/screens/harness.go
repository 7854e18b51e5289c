// Package screens drives one screen the way the console's root does, for
// the screens' own tests: the screen is the store's shown user, every Cmd
// runs at once, store answers are filed and handed to the screen as
// store.ChangedMsg, and what the root would take (toasts, pushes, pops)
// is kept in Out.
package screens

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/store"
)

// Harness runs one screen over its context's store.
type Harness struct {
	T      testing.TB
	Ctx    *common.Context
	Screen common.Screen
	// Out holds the messages for the root: toasts, pushes, pops, actions'
	// outcomes (after the store took them).
	Out []tea.Msg
}

// New shows s as the console would: the store's only user, loaded, then
// its Init run.
func New(t testing.TB, ctx *common.Context, s common.Screen) *Harness {
	h := &Harness{T: t, Ctx: ctx, Screen: s}
	ctx.Store.SetStack([]store.User{s}, 0)
	h.Run(tea.Batch(ctx.Store.Show(true), s.Init()))
	return h
}

// Run executes cmd and everything it leads to.
func (h *Harness) Run(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case store.Msg:
			ch := h.Ctx.Store.Apply(msg)
			if ch.Err == nil && ch.At.After(h.Ctx.Now) {
				h.Ctx.Now = ch.At
			}
			if h.Screen.Uses().Has(ch.Key) {
				queue = append(queue, h.update(ch.Msg(true)))
			}
			queue = append(queue, h.Ctx.Store.Sync(true))
		case store.ActionMsg:
			h.Out = append(h.Out, msg)
			queue = append(queue, h.Ctx.Store.Done(msg), h.update(msg))
		default:
			h.Out = append(h.Out, msg)
		}
	}
}

func (h *Harness) update(msg tea.Msg) tea.Cmd {
	s, cmd := h.Screen.Update(msg)
	if s != h.Screen {
		h.T.Fatalf("Update replaced the screen")
	}
	return cmd
}

// Send delivers msg as the root would: a tick to the store (and, when it
// polls, the screen), ctrl+r's RefreshMsg after the store read again,
// ShownMsg after the store loaded what the screen lacks, a key then what
// the screen's uses now lack.
func (h *Harness) Send(msg tea.Msg) {
	st := h.Ctx.Store
	switch m := msg.(type) {
	case common.TickMsg:
		h.Ctx.Now = m.Now
		poll, due := st.Tick(m.Now)
		h.Run(poll)
		if due {
			h.Run(h.update(msg))
		}
	case common.RefreshMsg:
		h.Run(tea.Batch(st.Refresh(), h.update(msg)))
	case common.ShownMsg:
		h.Run(tea.Batch(st.Show(false), h.update(msg)))
	default:
		h.Run(h.update(msg))
		h.Run(st.Sync(false))
	}
}

// Toasts returns the toasts sent so far and forgets them.
func (h *Harness) Toasts() []common.ToastMsg {
	var out []common.ToastMsg
	rest := h.Out[:0]
	for _, m := range h.Out {
		if t, ok := m.(common.ToastMsg); ok {
			out = append(out, t)
		} else {
			rest = append(rest, m)
		}
	}
	h.Out = rest
	return out
}
