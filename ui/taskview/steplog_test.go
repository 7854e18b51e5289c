package taskview

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/steplog"
	"github.com/obconsole/obconsole/ui/store"
)

// enter opens the selected step's whole log in the step log view, and
// says so in the ? overlay.
func TestEnterOpensTheStepLog(t *testing.T) {
	h := newHarness(t, progress(restartTask(t), 3))
	sel := h.m.selectedStep()
	if sel == nil {
		t.Fatal("nothing selected")
	}
	h.out = nil
	h.send(tea.KeyMsg{Type: tea.KeyEnter})
	var pushed common.Screen
	for _, msg := range h.out {
		if p, ok := msg.(common.PushMsg); ok {
			pushed = p.Screen
		}
	}
	lv, ok := pushed.(*steplog.Model)
	if !ok {
		t.Fatalf("enter pushed %T, want the step log view (messages %v)", pushed, h.out)
	}
	if lv.Title() != "log "+sel.Name || !lv.Uses().Has(store.LogKey(h.m.taskID, sel.ID)) || !lv.Uses().Has(store.TaskKey(h.m.taskID)) {
		t.Errorf("log view %q uses %+v; want the log of %q of task %d, and the task", lv.Title(), lv.Uses(), sel.Name, h.m.taskID)
	}
	found := false
	for _, col := range h.m.FullHelp() {
		for _, b := range col {
			if b.Help().Desc == "whole log" {
				found = true
			}
		}
	}
	if !found {
		t.Error("the ? overlay should list enter: whole log")
	}
}
