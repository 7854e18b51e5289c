package main

import (
	"context"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/keys"
	"github.com/obconsole/obconsole/ui/presence"
	"github.com/obconsole/obconsole/ui/store"
)

// consoleSpec is what one console is built from: the local terminal's
// (runProgram) or one obconsole ssh session's.
type consoleSpec struct {
	// Lifetime ends with the console; requests made from it pass it on.
	Lifetime context.Context
	Exec     backend.Executor
	Theme    *theme.Theme
	ReadOnly bool
	Refresh  time.Duration
	Redactor *safetext.Redactor
	Bell     func() // nil: no bell
	// Mouse turns mouse reporting on; Copy writes the terminal's clipboard
	// (nil: refused, saying NoCopy).
	Mouse  bool
	Copy   func(string) error
	NoCopy string
	// Shared is the read layer every console of the process reads
	// through (obconsole ssh: one store.NewShared(refresh) for all
	// sessions); nil: this console reads alone.
	Shared *store.Shared
	// Presence is the console's place among the operators of one
	// obconsole ssh server; nil: a console of its own.
	Presence *presence.Member
}

// newConsoleModel builds the console's root model.
func newConsoleModel(s consoleSpec) *ui.Model {
	cctx := common.NewContext(s.Exec, s.Theme, keys.New(s.Theme.ASCII()), s.ReadOnly, s.Refresh)
	cctx.Lifetime = s.Lifetime
	cctx.Redactor = s.Redactor
	cctx.UseShared(s.Shared)
	return ui.New(cctx, ui.Options{TaskView: openTaskView, Bell: s.Bell, Mouse: s.Mouse, Copy: s.Copy, NoCopy: s.NoCopy,
		Presence: s.Presence})
}
