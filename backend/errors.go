package backend

import (
	"errors"
	"fmt"
)

// Kind classifies a backend failure so the UI can react without knowing
// whether it came from the embedded engine or from HTTP.
type Kind int

const (
	KindUnknown Kind = iota
	NotFound
	Conflict
	Unauthorized
	Forbidden
	RateLimited
	Unavailable
	BadResponse
	Canceled
	Internal
	// BadRequest: the caller asked for something malformed (bad parameter).
	BadRequest
)

var kindNames = [...]string{
	KindUnknown:  "Unknown",
	NotFound:     "NotFound",
	Conflict:     "Conflict",
	Unauthorized: "Unauthorized",
	Forbidden:    "Forbidden",
	RateLimited:  "RateLimited",
	Unavailable:  "Unavailable",
	BadResponse:  "BadResponse",
	Canceled:     "Canceled",
	Internal:     "Internal",
	BadRequest:   "BadRequest",
}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Error implements error so a bare kind works as a sentinel:
// errors.Is(err, backend.NotFound).
func (k Kind) Error() string { return k.String() }

// Error is the one error type both executors return.
type Error struct {
	Kind    Kind
	Op      string // what was attempted, e.g. "restart server 13000002"
	Message string // the server's or engine's words, safe to show
	Code    string // OCP error code when there is one
	HTTP    int    // HTTP status, 0 for the embedded executor
	TraceID string // OCP trace id, for support
	// OutcomeUnknown is set when a mutating request may have reached the
	// server but no answer came back: look the task up, do not resend.
	OutcomeUnknown bool
	// RetryAfter hints, in seconds, when a rate-limited call may be retried.
	RetryAfter int
	Err        error // underlying cause, if any
}

func (e *Error) Error() string {
	msg := e.Kind.String()
	if e.Op != "" {
		msg = e.Op + ": " + msg
	}
	if e.Message != "" {
		msg += ": " + e.Message
	} else if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	if e.OutcomeUnknown {
		msg += " (outcome unknown: the request may have been applied; check the task list before retrying)"
	}
	if e.TraceID != "" {
		msg += " [trace " + e.TraceID + "]"
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Is lets errors.Is(err, backend.Conflict) match on kind.
func (e *Error) Is(target error) bool {
	if k, ok := target.(Kind); ok {
		return e.Kind == k
	}
	return false
}

// Errorf builds an *Error of the given kind.
func Errorf(kind Kind, op, format string, args ...any) *Error {
	return &Error{Kind: kind, Op: op, Message: fmt.Sprintf(format, args...)}
}

// KindOf returns the kind of err, KindUnknown for foreign errors and nil.
func KindOf(err error) Kind {
	var be *Error
	if errors.As(err, &be) {
		return be.Kind
	}
	var k Kind
	if errors.As(err, &k) {
		return k
	}
	return KindUnknown
}
