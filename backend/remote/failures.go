package remote

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// How a failed exchange is told: its kind, its message, whether it may be
// tried again.

// transportFailure classifies an error that left no usable response.
func (e *Executor) transportFailure(ctx, actx context.Context, c call, err error, wrote bool, status int) outcome {
	isGet := c.method == http.MethodGet
	be := &backend.Error{Op: c.op, HTTP: status, Err: e.redactErr(err)}
	unknown := !isGet && (wrote || status != 0)
	switch {
	case ctx.Err() != nil:
		be.Kind = backend.Canceled
		be.Err = ctx.Err()
		be.OutcomeUnknown = unknown
		return outcome{err: be}
	case errors.Is(err, resty.ErrResponseBodyTooLarge):
		be.Kind = backend.BadResponse
		be.Message = fmt.Sprintf("response body larger than %d bytes", c.limit)
		be.OutcomeUnknown = unknown
		return outcome{err: be}
	case actx.Err() != nil:
		be.Kind = backend.Unavailable
		be.Message = fmt.Sprintf("no response within %v", e.cfg.Timeout)
		be.Err = context.DeadlineExceeded
		be.OutcomeUnknown = unknown
		return outcome{err: be, retry: isGet}
	}
	be.Kind = backend.Unavailable
	be.Message = e.redact(describeTransportError(err))
	if isTLSVerification(err) {
		be.Message += " (TLS verification failed; trust the CA with --ca-file)"
		return outcome{err: be}
	}
	if !isGet {
		if unknown {
			be.OutcomeUnknown = true
		} else {
			be.Message += " (the request was not sent)"
		}
	}
	return outcome{err: be, retry: isGet}
}

// describeTransportError drops the `Post "url": ` wrapper.
func describeTransportError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return "cannot connect: " + op.Err.Error()
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "connection closed before a complete response"
	}
	return err.Error()
}

func isTLSVerification(err error) bool {
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci)
}

// kindFor maps an HTTP status and OCP's error code to a backend kind.
// OCP answers an operation the task's or step's state does not allow with
// 400 and code 20003 (TASK_STATE_INVALID), a prohibited rollback with 400
// and 20004: both are Conflicts, as a 409 (what earlier obconsole serve
// builds sent) still is. A 400 with a not-found code is NotFound. Other
// 400s (10001, or 0 where Spring refused the request) are BadRequest.
// Every other status keeps its kind whatever the code.
func kindFor(status int, code ocp.Code) backend.Kind {
	k := kindForStatus(status)
	if k != backend.BadRequest && k != backend.Conflict {
		return k
	}
	switch strings.ToUpper(strings.TrimSpace(string(code))) {
	case string(ocp.CodeTaskStateInvalid), string(ocp.CodeTaskProhibitRollback), "CONFLICT":
		return backend.Conflict
	case string(ocp.CodeTaskNotExists), string(ocp.CodeNotFound), "NOT_FOUND":
		return backend.NotFound
	}
	return k
}

// kindForStatus maps an HTTP status to a backend kind.
func kindForStatus(status int) backend.Kind {
	switch {
	case status == http.StatusUnauthorized:
		return backend.Unauthorized
	case status == http.StatusForbidden:
		return backend.Forbidden
	case status == http.StatusNotFound:
		return backend.NotFound
	case status == http.StatusConflict:
		return backend.Conflict
	case status == http.StatusTooManyRequests:
		return backend.RateLimited
	case status >= 500:
		return backend.Unavailable
	case status >= 400:
		return backend.BadRequest
	}
	return backend.BadResponse
}

// rateLimitWait reads RateLimit-Reset (seconds to wait, or a Unix time
// when it is that large), else Retry-After (seconds or an HTTP date).
func rateLimitWait(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("RateLimit-Reset")); v != "" {
		if n, err := strconv.ParseFloat(v, 64); err == nil && n >= 0 {
			if n > 1e9 { // an absolute Unix time
				return max(time.Unix(int64(n), 0).Sub(now), 0)
			}
			return time.Duration(n * float64(time.Second))
		}
	}
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			return time.Duration(n) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(t.Sub(now), 0)
		}
	}
	return 0
}

func contentType(h http.Header) string {
	if ct := h.Get("Content-Type"); ct != "" {
		return ct
	}
	return "no content type"
}

// discardLogger keeps resty quiet: nothing it could log reaches a terminal.
type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Debugf(string, ...any) {}
