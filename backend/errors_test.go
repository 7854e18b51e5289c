package backend

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestErrorKindsWorkWithErrorsIsAndAs(t *testing.T) {
	cause := context.DeadlineExceeded
	err := fmt.Errorf("restart: %w", &Error{Kind: Conflict, Op: "restart server 13000002", Message: "task 89027028 is running", TraceID: "1f3a", Err: cause})

	if !errors.Is(err, Conflict) {
		t.Error("errors.Is(err, Conflict) = false")
	}
	if errors.Is(err, NotFound) {
		t.Error("errors.Is(err, NotFound) = true")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Error("the cause must stay reachable")
	}
	var be *Error
	if !errors.As(err, &be) || be.TraceID != "1f3a" {
		t.Fatalf("errors.As = %v %+v", be != nil, be)
	}
	if KindOf(err) != Conflict || KindOf(errors.New("x")) != KindUnknown || KindOf(nil) != KindUnknown {
		t.Error("KindOf wrong")
	}
	msg := err.Error()
	for _, want := range []string{"restart server 13000002", "Conflict", "task 89027028 is running", "trace 1f3a"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}

func TestOutcomeUnknownIsSpelledOut(t *testing.T) {
	err := &Error{Kind: Unavailable, Op: "restart server 1", Message: "timeout after 10s", OutcomeUnknown: true}
	if !strings.Contains(err.Error(), "outcome unknown") {
		t.Errorf("message must tell the operator not to resend: %q", err.Error())
	}
}

func TestEveryKindHasAName(t *testing.T) {
	for k := NotFound; k <= BadRequest; k++ {
		if strings.HasPrefix(k.String(), "Kind(") {
			t.Errorf("kind %d has no name", int(k))
		}
		if !errors.Is(Errorf(k, "op", "m %d", 1), k) {
			t.Errorf("Errorf(%v) does not match its kind", k)
		}
	}
	if Kind(99).String() != "Kind(99)" {
		t.Error("out-of-range kind")
	}
}

func TestTargetString(t *testing.T) {
	if s := (Target{Label: "https://ocp.example:8080", User: "admin"}).String(); s != "https://ocp.example:8080 as admin" {
		t.Errorf("got %q", s)
	}
	if s := (Target{Label: "embedded demo fleet"}).String(); s != "embedded demo fleet" {
		t.Errorf("got %q", s)
	}
}
