package main

import (
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/taskview"
)

// The console opens tasks in ui/taskview.
func init() {
	consoleTaskView = func(ctx *common.Context, id int64) common.Screen { return taskview.New(ctx, id) }
}
