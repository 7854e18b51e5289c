package ocpserver

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// Errors are answered as OCP answers them (OCP Express's ApiError and
// RestExceptionHandler): a numeric code that is 0 when the error did not
// come from one of OCP's error codes (authentication, throttling, a
// request Spring could not bind or route), the HTTP status OCP gives it,
// and debugMessage where OCP has a cause to show. The message is the
// executor's own words: they name the task, step and state, which OCP's
// localized templates ("This operation is not supported for the {0} task
// in the {1} state.") would say less well; clients key on the code.

// OCP's English messages where OCP answers with a fixed text.
const (
	msgNotAuthenticated = "The current user has not logged on or a logon error has occurred. Please log on and try again."
	msgThrottled        = "Excessive number of requests. You have exceeded the request limit for the current throttling window."
	msgNotPermitted     = "You are not authorized to perform the corresponding operation. Contact the administrator."
)

// fail writes e with the HTTP status status.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, status int, e ocp.APIError) {
	h.write(w, r, status, nil, &e)
}

// springError is an error Spring answers without an error code: the HTTP
// status alone says what happened.
func springError(message, debug string) ocp.APIError {
	return ocp.APIError{Code: ocp.CodeUnset, Message: message, DebugMessage: debug}
}

// unknownRoute answers a method and path no handler serves as OCP's
// NoHandlerFoundException handler does: 400, code 0.
func (h *Handler) unknownRoute(w http.ResponseWriter, r *http.Request) {
	h.fail(w, r, http.StatusBadRequest, springError(
		fmt.Sprintf("Could not find the %s method for URL %s", r.Method, r.URL.Path),
		fmt.Sprintf("No handler found for %s %s", r.Method, r.URL.Path)))
}

// typeMismatch answers a parameter that is not of its type as Spring's
// MethodArgumentTypeMismatchException handler does: 400, code 0.
func (h *Handler) typeMismatch(w http.ResponseWriter, r *http.Request, name, value, javaType string) {
	h.fail(w, r, http.StatusBadRequest, springError(
		fmt.Sprintf("The parameter '%s' of value '%s' could not be converted to type '%s'", name, value, javaType),
		fmt.Sprintf("Failed to convert value of type 'java.lang.String' to required type 'java.lang.%s'", javaType)))
}

// illegalArgument is OCP's COMMON_ILLEGAL_ARGUMENT: 400, code 10001.
func (h *Handler) illegalArgument(w http.ResponseWriter, r *http.Request, format string, args ...any) {
	h.fail(w, r, http.StatusBadRequest, ocp.APIError{Code: ocp.CodeIllegalArgument, Message: fmt.Sprintf(format, args...)})
}

// unauthenticated is OCP's answer to a request without valid credentials
// (Spring Security's entry point): 401, code 0, OCP's fixed message and
// the reason as the debug message.
func unauthenticated(reason string) ocp.APIError {
	return springError(msgNotAuthenticated, reason)
}

// throttled is OCP's documented 429: code 0 and its fixed message.
func throttled(reason string) ocp.APIError {
	return springError(msgThrottled, reason)
}

// StatusOf is the HTTP status a backend error kind is served with. A
// Conflict (an operation the task's or step's state does not allow, or a
// server that already runs a task) is 400 as in OCP, where it is an
// IllegalArgumentException with code 20003.
func StatusOf(k backend.Kind) int {
	if a, ok := asOCP[k]; ok {
		return a.status
	}
	return http.StatusInternalServerError
}

// CodeOf is OCP's error code for a backend error kind; notFound is the
// code of a NotFound (20000 for a task or subtask, 10002 otherwise).
func CodeOf(k backend.Kind, notFound ocp.Code) ocp.Code {
	if a, ok := asOCP[k]; ok && k != backend.NotFound {
		return a.code
	}
	if k == backend.NotFound {
		return notFound
	}
	return ocp.CodeUnexpected
}

// asOCP is how OCP answers each kind of error: the HTTP status and its
// code (a NotFound's depends on what was not found; kinds not listed are
// 500 with code 10010).
var asOCP = map[backend.Kind]struct {
	status int
	code   ocp.Code
}{
	backend.NotFound:     {http.StatusNotFound, ""},
	backend.Conflict:     {http.StatusBadRequest, ocp.CodeTaskStateInvalid},
	backend.BadRequest:   {http.StatusBadRequest, ocp.CodeIllegalArgument},
	backend.Unauthorized: {http.StatusUnauthorized, ocp.CodeUnset},
	backend.Forbidden:    {http.StatusForbidden, ocp.CodeNotPermitted},
	backend.RateLimited:  {http.StatusTooManyRequests, ocp.CodeUnset},
	backend.Unavailable:  {http.StatusServiceUnavailable, ocp.CodeUnexpected},
	backend.Canceled:     {http.StatusServiceUnavailable, ocp.CodeUnexpected},
	backend.BadResponse:  {http.StatusBadGateway, ocp.CodeUnexpected},
}

// statusOfCode is the HTTP status OCP gives its own codes; ok is false
// for a code it does not know.
func statusOfCode(c ocp.Code) (int, bool) {
	status, ok := codeStatus[c]
	return status, ok
}

var codeStatus = map[ocp.Code]int{
	ocp.CodeIllegalArgument: http.StatusBadRequest, ocp.CodeTaskStateInvalid: http.StatusBadRequest,
	ocp.CodeTaskProhibitRollback: http.StatusBadRequest, ocp.CodeNotFound: http.StatusNotFound,
	ocp.CodeTaskNotExists: http.StatusNotFound, ocp.CodeNotAuthenticated: http.StatusUnauthorized,
	ocp.CodeNotPermitted: http.StatusForbidden, ocp.CodeUnexpected: http.StatusInternalServerError,
	ocp.CodeObOperationFailed: http.StatusInternalServerError,
}

// failErr answers an executor's error. A *backend.Error that carries one
// of OCP's numeric codes (the embedded engine's prohibited rollback, or an
// OCP behind a remote executor) keeps it and its status; otherwise its
// kind decides. Anything else is an unexpected error whose text is not
// shown: it may name local paths.
func (h *Handler) failErr(w http.ResponseWriter, r *http.Request, err error) {
	var be *backend.Error
	if !errors.As(err, &be) {
		h.fail(w, r, http.StatusInternalServerError, ocp.APIError{Code: ocp.CodeUnexpected, Message: "internal error"})
		return
	}
	notFound := ocp.CodeNotFound
	if r.PathValue("task") != "" {
		// OCP's task service answers a missing task or subtask with
		// TASK_NOT_EXISTS.
		notFound = ocp.CodeTaskNotExists
	}
	code := CodeOf(be.Kind, notFound)
	status := StatusOf(be.Kind)
	if c := ocp.Code(be.Code); c.Set() {
		if st, ok := statusOfCode(c); ok {
			code, status = c, st
		} else if _, numeric := c.Number(); numeric {
			code = c // an OCP code this server does not know: kept, the kind gives the status
		}
	}
	msg := be.Message
	if msg == "" {
		msg = be.Error()
	}
	e := ocp.APIError{Code: code, Message: msg}
	switch be.Kind {
	case backend.Unauthorized:
		e = unauthenticated(msg)
	case backend.RateLimited:
		e = throttled(msg)
	case backend.Forbidden:
		e.Message, e.DebugMessage = msgNotPermitted, msg
	}
	if be.RetryAfter > 0 {
		w.Header().Set("RateLimit-Reset", strconv.Itoa(be.RetryAfter))
	}
	if be.OutcomeUnknown {
		// Served in front of another OCP (a remote executor), a write
		// whose answer was lost upstream is a gateway timeout: clients
		// must look the task up, not send it again.
		status = http.StatusGatewayTimeout
		e.Message += " (outcome unknown: the request may have been applied; check the task list before retrying)"
	}
	h.fail(w, r, status, e)
}
