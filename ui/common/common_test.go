package common

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/safetext"
)

// nowExec is the smallest Executor: it only knows its target and time.
type nowExec struct {
	backend.Executor
	now time.Time
}

func (e nowExec) Describe() backend.Target { return backend.Target{Label: "test fleet"} }
func (e nowExec) Now() time.Time           { return e.now }

func TestNewContextDefaults(t *testing.T) {
	ctx := NewContext(nowExec{}, nil, nil, true, 0)
	if ctx.Theme == nil || ctx.Keys == nil || ctx.Refresh != DefaultRefresh || !ctx.ReadOnly {
		t.Fatalf("defaults not applied: %+v", ctx)
	}
	if ctx.Target.String() != "test fleet" {
		t.Errorf("target %q", ctx.Target)
	}
	if a, b := ctx.NewID(), ctx.NewID(); a == b || a == 0 {
		t.Errorf("ids not unique: %d %d", a, b)
	}
}

func TestToasts(t *testing.T) {
	ctx := NewContext(nowExec{}, nil, nil, true, 0)
	msg := ctx.Refuse("restart")().(ToastMsg)
	if msg.Level != ToastWarn || !strings.Contains(msg.Text, "read-only") || !strings.Contains(msg.Text, "restart") {
		t.Errorf("refusal %+v", msg)
	}
	err := &backend.Error{Kind: backend.Conflict, Op: "restart server 7", Message: "task 42 is running"}
	msg = ErrorToast(err)().(ToastMsg)
	if msg.Level != ToastError || msg.Text != "restart server 7: Conflict: task 42 is running" {
		t.Errorf("error toast %+v", msg)
	}
	if ErrorToast(nil) != nil {
		t.Error("no error, no toast")
	}
	if got := ErrorText(errors.New("plain")); got != "plain" {
		t.Errorf("ErrorText %q", got)
	}
}

func TestNavigationMsgs(t *testing.T) {
	if got := OpenTask(42, true)(); got != (OpenTaskMsg{TaskID: 42, ReplaceTop: true}) {
		t.Errorf("OpenTask = %#v", got)
	}
	if _, ok := Pop()().(PopMsg); !ok {
		t.Error("Pop")
	}
	if IsModal(nil) {
		t.Error("nil is not modal")
	}
}

// Errors drawn in panes and dialogs carry OCP's message and trace id: made
// safe for one line, and rid of every secret the process knows.
func TestContextErrorTextIsSafeAndRedacted(t *testing.T) {
	ctx := NewContext(nowExec{}, nil, nil, false, 0)
	ctx.Redactor = safetext.NewRedactor()
	ctx.Redactor.Add("hunter2")
	err := &backend.Error{Kind: backend.Unauthorized, Op: "list", Message: "bad \x1b[2J hunter2", TraceID: "t\u202ehunter2"}
	want := `list: Unauthorized: bad ^[[2J [REDACTED] [trace t\u202e[REDACTED]]`
	if got := ctx.ErrorText(err); got != want {
		t.Errorf("ErrorText = %q, want %q", got, want)
	}
	if got := ErrorText(errors.New("a\nb")); got != "a^Jb" {
		t.Errorf("plain ErrorText %q", got)
	}
	if !Denied(err) || !Denied(&backend.Error{Kind: backend.Forbidden}) || Denied(errors.New("x")) || Denied(nil) {
		t.Error("Denied")
	}
	if ctx.ErrorText(nil) != "" {
		t.Error("no error, no text")
	}
}
