package remote

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/obconsole/obconsole/backend"
)

// OCP's errors (OCP Express ApiError and RestExceptionHandler) map back to
// the kinds the console acts on, whatever status and code carry them; the
// message is OCP's words with its debug message, rejected fields and
// target, secrets redacted.
func TestOCPErrorsMapToKinds(t *testing.T) {
	cases := []struct {
		name   string
		status int
		err    string // the envelope's error object
		kind   backend.Kind
		code   string
		msg    string
	}{
		{"state invalid", 400, `{"code":20003,"message":"This operation is not supported for the 42 task in the RUNNING state."}`,
			backend.Conflict, "20003", "This operation is not supported for the 42 task in the RUNNING state."},
		{"prohibit rollback", 400, `{"code":20004,"message":"Task 42 can not rollback."}`, backend.Conflict, "20004", "Task 42 can not rollback."},
		{"task not exists", 404, `{"code":20000,"message":"The 42 task does not exist."}`, backend.NotFound, "20000", "The 42 task does not exist."},
		{"not found", 404, `{"code":10002,"message":"No records of the cluster type found based on the 7 parameter."}`, backend.NotFound, "10002", "No records"},
		{"not found as a 400", 400, `{"code":20000,"message":"The 42 task does not exist."}`, backend.NotFound, "20000", "The 42 task"},
		{"illegal argument", 400, `{"code":10001,"message":"The input parameter force is empty or invalid."}`, backend.BadRequest, "10001", "The input parameter force"},
		{"validation", 400, `{"code":0,"message":"must not be null","subErrors":[{"object":"restartParam","field":"freezeServer","message":"must not be null"}]}`,
			backend.BadRequest, "0", "must not be null (field restartParam.freezeServer: must not be null)"},
		{"missing parameter", 400, `{"code":0,"message":"freezeServer parameter is missing","debugMessage":"Required Boolean parameter 'freezeServer' is not present"}`,
			backend.BadRequest, "0", "freezeServer parameter is missing (debug: Required Boolean parameter 'freezeServer' is not present)"},
		{"not authenticated", 401, `{"code":0,"message":"The current user has not logged on or a logon error has occurred. Please log on and try again.","debugMessage":"Bad credentials"}`,
			backend.Unauthorized, "0", "Please log on and try again. (debug: Bad credentials)"},
		{"not permitted", 403, `{"code":30014,"message":"You are not authorized to perform the corresponding operation. Contact the administrator."}`,
			backend.Forbidden, "30014", "You are not authorized"},
		{"unexpected", 500, `{"code":10010,"message":"An unknown error has occurred.","debugMessage":"NullPointerException"}`,
			backend.Unavailable, "10010", "An unknown error has occurred. (debug: NullPointerException)"},
		{"tenant target", 500, `{"code":10011,"message":"Operation failed.","target":{"tenantName":"t1"},"subErrors":[{"SQLState":"42000","code":1064,"message":"syntax"}]}`,
			backend.Unavailable, "10011", "Operation failed. (SQLState 42000 code 1064: syntax; target tenantName=t1)"},
		// earlier obconsole serve builds, and string codes
		{"old conflict", 409, `{"code":"CONFLICT","message":"task 5 is running"}`, backend.Conflict, "CONFLICT", "task 5 is running"},
		{"string conflict code on a 400", 400, `{"code":"CONFLICT","message":"task 5 is running"}`, backend.Conflict, "CONFLICT", "task 5 is running"},
		{"a secret in the debug message", 400, `{"code":10001,"message":"bad","debugMessage":"password ` + testPassword + ` rejected"}`,
			backend.BadRequest, "10001", "bad (debug: password [REDACTED] rejected)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(`{"duration":0,"error":` + tc.err + `,"server":"a83ad33525","status":` + strconv.Itoa(tc.status) +
					`,"successful":false,"timestamp":"2020-12-03T09:38:24.194+08:00","traceId":"t-1"}`))
			})
			c := newClient(t, srv.URL)
			_, err := c.RetryTask(ctx, 42)
			be := wantKind(t, err, tc.kind)
			if !errors.Is(err, tc.kind) || be.Code != tc.code || be.HTTP != tc.status || !strings.Contains(be.Message, tc.msg) {
				t.Errorf("got %s code %q HTTP %d message %q, want %s %q %d %q", be.Kind, be.Code, be.HTTP, be.Message, tc.kind, tc.code, tc.status, tc.msg)
			}
			noSecrets(t, "error", err.Error())
			debug := c.debug.String()
			noSecrets(t, "debug output", debug)
			if !strings.Contains(debug, "error=") || !strings.Contains(debug, "code "+tc.code+": ") {
				t.Errorf("--debug-http does not show OCP's error:\n%s", debug)
			}
		})
	}
}

// A 200 whose envelope says it failed: the envelope's status and code decide.
func TestUnsuccessfulEnvelopeWithOCPCode(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"successful":false,"status":400,"traceId":"t-x","error":{"code":20003,"message":"not in this state"}}`))
	})
	c := newClient(t, srv.URL)
	err := c.SkipSubtask(ctx, 1, 2)
	be := wantKind(t, err, backend.Conflict)
	if be.Code != "20003" || be.HTTP != 400 || be.Message != "not in this state" {
		t.Errorf("%+v", be)
	}
}
