// Package remote is the Executor of a real OCP: OCP API v2 over HTTP with
// resty, Basic or AK/SK authentication, verified TLS, per-request timeouts,
// retried reads, never-retried writes, paging to the end and a capped
// response size. Every failure is a *backend.Error.
package remote

import (
	"context"
	crand "crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
)

// Executor talks to one OCP. It is safe for concurrent use.
type Executor struct {
	cfg      Config
	base     *url.URL
	client   *resty.Client
	basic    string // "Basic …" header value
	redactor *safetext.Redactor
	debug    *debugLog
	file     io.Closer

	mu     sync.Mutex
	offset time.Duration // server clock minus local clock

	// formURL: this OCP verified a GET signed with the newer signing
	// page's java.net.URLEncoder query encoding after refusing it signed
	// with RFC 3986; every later request is signed that way.
	formURL atomic.Bool
}

var _ backend.Executor = (*Executor)(nil)

// New checks cfg and builds the client. It does not contact the server.
// Errors are *backend.Error of kind BadRequest and never hold a secret.
func New(cfg Config) (*Executor, error) {
	base, err := cfg.normalize()
	if err != nil {
		return nil, err
	}
	tlsCfg, err := cfg.tlsConfig()
	if err != nil {
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tlsCfg
	// No cookie jar: every request authenticates itself.
	client := resty.NewWithClient(&http.Client{Transport: tr}).
		SetLogger(discardLogger{}).
		SetResponseBodyLimit(int(min(cfg.MaxBodyBytes, math.MaxInt32))).
		SetRedirectPolicy(resty.RedirectPolicyFunc(func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}))

	e := &Executor{cfg: cfg, base: base, client: client, redactor: cfg.Redactor}
	if e.redactor == nil {
		e.redactor = safetext.NewRedactor()
	}
	switch cfg.Auth {
	case AuthBasic:
		cred := base64.StdEncoding.EncodeToString([]byte(cfg.User + ":" + cfg.Password))
		e.basic = "Basic " + cred
		e.redactor.Add(cfg.Password, cred)
	case AuthAKSK:
		e.redactor.Add(cfg.AccessKeySecret)
	}

	var sinks []io.Writer
	if cfg.DebugHTTP != nil {
		sinks = append(sinks, cfg.DebugHTTP)
	}
	if cfg.DebugHTTPFile != "" {
		f, err := os.OpenFile(cfg.DebugHTTPFile, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return nil, configError("open --debug-http file: %v", err)
		}
		e.file = f
		sinks = append(sinks, f)
	}
	if len(sinks) > 0 {
		e.debug = &debugLog{w: io.MultiWriter(sinks...), now: cfg.Now, redact: e.redact}
	}
	return e, nil
}

// Close releases idle connections and the debug file, if any.
func (e *Executor) Close() error {
	e.client.GetClient().CloseIdleConnections()
	if e.file != nil {
		return e.file.Close()
	}
	return nil
}

// Describe names the OCP and the user (or access key id); never a secret.
func (e *Executor) Describe() backend.Target {
	label := e.base.String()
	user := e.cfg.User
	if e.cfg.Auth == AuthAKSK {
		user = e.cfg.AccessKeyID
	}
	return backend.Target{Kind: "remote", Label: label, URL: label, User: user, Insecure: e.cfg.InsecureSkipVerify}
}

// String names the target; printing an Executor never shows its secrets.
func (e *Executor) String() string { return "remote.Executor(" + e.Describe().String() + ")" }

// GoString is String, for %#v.
func (e *Executor) GoString() string { return e.String() }

// Now estimates the OCP server's clock: the local clock plus the offset
// between the last response's envelope timestamp and the local time it
// arrived. Before any response it is the local clock.
func (e *Executor) Now() time.Time {
	e.mu.Lock()
	off := e.offset
	e.mu.Unlock()
	return e.cfg.Now().Add(off)
}

func (e *Executor) observeServerTime(ts ocp.Time, received time.Time) {
	if ts.IsZero() || !ts.Valid() {
		return
	}
	e.mu.Lock()
	e.offset = ts.Sub(received)
	e.mu.Unlock()
}

// RequestIDHeader carries a random id on every AK/SK-signed change, so no
// two signed changes are alike.
const RequestIDHeader = "X-Ocp-Request-Id"

func requestID() string {
	var b [12]byte
	_, _ = crand.Read(b[:]) // crypto/rand does not fail on supported platforms
	return hex.EncodeToString(b[:])
}

// redact replaces every secret in s.
func (e *Executor) redact(s string) string { return e.redactor.String(s) }

// call is one API request.
type call struct {
	op     string
	method string
	path   string // under the base URL, escaped, starting with /api/v2
	query  url.Values
	body   []byte // nil: no body
	// encoding is the query encoding an AK/SK signature uses.
	encoding ocp.QueryEncoding
}

// wireEnvelope is the OCP envelope with the payload left raw.
type wireEnvelope struct {
	Data       json.RawMessage `json:"data"`
	Successful *bool           `json:"successful"`
	Timestamp  ocp.Time        `json:"timestamp"`
	Status     json.Number     `json:"status"`
	TraceID    string          `json:"traceId"`
	Error      *ocp.APIError   `json:"error"`
}

// outcome is what one attempt came to.
type outcome struct {
	data  json.RawMessage
	err   *backend.Error
	retry bool          // a GET may try again
	wait  time.Duration // the server asked for this wait first (429)
}

// do sends c, retrying a GET on transport errors, 5xx and 429, and decodes
// the envelope's data into out (when out is not nil).
func (e *Executor) do(ctx context.Context, c call, out any) error {
	retries := 0
	if c.method == http.MethodGet {
		retries = e.cfg.Retries
	}
	if e.formURL.Load() {
		c.encoding = ocp.FormURL
	}
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return &backend.Error{Kind: backend.Canceled, Op: c.op, Err: err}
		}
		res := e.once(ctx, c, attempt)
		if e.signedTheOtherWay(c, res) {
			c.encoding = ocp.FormURL
			res = e.once(ctx, c, attempt)
			if res.err == nil {
				e.formURL.Store(true)
			} else if res.err.HTTP == http.StatusUnauthorized {
				res.err.Message += " (signed with either query encoding of OCP's signing pages)"
			}
		}
		if res.err == nil {
			if out == nil || len(res.data) == 0 || string(res.data) == "null" {
				return nil
			}
			if err := json.Unmarshal(res.data, out); err != nil {
				return &backend.Error{Kind: backend.BadResponse, Op: c.op, Message: "cannot decode the response data: " + e.redact(err.Error()),
					OutcomeUnknown: c.method != http.MethodGet, Err: e.redactErr(err)}
			}
			return nil
		}
		if !res.retry || attempt > retries {
			return res.err
		}
		wait := res.wait
		if wait == 0 {
			wait = e.backoff(attempt)
		}
		if wait > e.cfg.MaxRateLimitWait {
			return res.err
		}
		if err := e.cfg.Sleep(ctx, wait); err != nil {
			return &backend.Error{Kind: backend.Canceled, Op: c.op, Message: "canceled while waiting to retry after: " + res.err.Error(), Err: err}
		}
	}
}

// signedTheOtherWay reports whether a refused AK/SK request is worth one
// more try signed with the newer signing page's java.net.URLEncoder query
// encoding (ocp.FormURL) instead of RFC 3986: OCP's two reference codes
// differ only there, and only for some characters (space, "*", "~", …),
// so an OCP that follows the other one refuses exactly those queries with
// a 401. Only a GET is tried again: a POST is never sent twice, whatever
// the answer, so a change signed the wrong way is refused, not repeated
// (obconsole's changes carry no query where the encodings differ).
func (e *Executor) signedTheOtherWay(c call, res outcome) bool {
	return res.err != nil && res.err.HTTP == http.StatusUnauthorized && e.cfg.Auth == AuthAKSK &&
		c.method == http.MethodGet && c.encoding == ocp.RFC3986 && encodingsDiffer(c.query)
}

// encodingsDiffer reports whether a key or value of q encodes differently
// under RFC 3986 and java.net.URLEncoder.
func encodingsDiffer(q url.Values) bool {
	differs := func(s string) bool { return ocp.PercentEncode(s) != ocp.FormURLEncode(s) }
	for k, vs := range q {
		if differs(k) {
			return true
		}
		for _, v := range vs {
			if differs(v) {
				return true
			}
		}
	}
	return false
}

// backoff is the wait before retry n (1-based): Backoff·2^(n-1), spread
// by jitter over [50%, 150%), the nominal value capped at MaxBackoff.
func (e *Executor) backoff(n int) time.Duration {
	d := e.cfg.Backoff << (n - 1)
	if d <= 0 || d > MaxBackoff {
		d = MaxBackoff
	}
	j := e.cfg.Jitter
	if j == nil {
		j = rand.Float64
	}
	return d/2 + time.Duration(j()*float64(d))
}

// once performs one HTTP exchange.
func (e *Executor) once(ctx context.Context, c call, attempt int) outcome {
	u := *e.base
	u.RawPath = e.base.EscapedPath() + c.path
	u.Path, _ = url.PathUnescape(u.RawPath) // c.path is built escaped
	u.RawQuery = c.query.Encode()
	shown := u.EscapedPath()
	if u.RawQuery != "" {
		shown += "?" + u.RawQuery
	}

	header := http.Header{}
	header.Set("Content-Type", "application/json")
	header.Set("Accept", "application/json")
	header.Set("User-Agent", e.cfg.UserAgent)
	sent := e.cfg.Now()
	// own redacts this request's credentials from its own answer whatever
	// else the shared redactor has had to forget since (it keeps a bounded
	// number of per-request values).
	var own *safetext.Redactor
	switch e.cfg.Auth {
	case AuthBasic:
		header.Set("Authorization", e.basic)
		e.redactor.AddTransient(e.basic)
	case AuthAKSK:
		if c.method != http.MethodGet {
			// Two identical changes within one second (the Date's
			// resolution) would otherwise carry the same signature, and a
			// server that refuses replays (obconsole serve) would refuse
			// the second. x-ocp-* headers are signed.
			header.Set(RequestIDHeader, requestID())
		}
		signed := ocp.Sign(ocp.SignRequest{
			Method: c.method, Host: u.Host, Path: u.EscapedPath(), Query: c.query,
			Header: header, Body: c.body, Date: sent, QueryEncoding: c.encoding,
		}, e.cfg.AccessKeyID, e.cfg.AccessKeySecret)
		for k, v := range signed.Header {
			header[k] = v
		}
		// A signature replays its request until its Date leaves the
		// server's window: as secret as the key for that while.
		authz := signed.Header.Get("Authorization")
		e.redactor.AddTransient(authz)
		e.redactor.AddTransient(signed.Signature)
		own = safetext.NewRedactor()
		own.Add(authz, signed.Signature)
	}

	actx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
	defer cancel()
	var wrote atomic.Bool
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
		WroteHeaders: func() { wrote.Store(true) },
	})
	req := e.client.R().SetContext(actx)
	for k, v := range header {
		req.Header[k] = v
	}
	if c.body != nil {
		req.SetBody(c.body)
	}
	auth := e.cfg.Auth
	if auth == AuthAKSK && c.encoding == ocp.FormURL {
		auth += " query-encoding=form-url"
	}
	e.debug.request(c.method, shown, attempt, auth, e.Describe().User, len(c.body))

	resp, err := req.Execute(c.method, u.String())
	received := e.cfg.Now()
	took := received.Sub(sent)
	isGet := c.method == http.MethodGet

	if err != nil {
		status := 0
		if resp != nil && resp.RawResponse != nil {
			status = resp.StatusCode()
		}
		res := e.transportFailure(ctx, actx, c, err, wrote.Load(), status)
		e.debug.response(c.method, shown, attempt, status, took, "", 0, res.err.Message)
		return res
	}

	status := resp.StatusCode()
	raw := resp.Body()
	// Nothing of the answer is read before the secrets are out of it, so
	// no field (trace id, error message, a cluster name) can carry one in.
	body, scrubErr := e.scrub(raw, own)
	var env wireEnvelope
	envErr := scrubErr
	if envErr == nil {
		envErr = json.Unmarshal(body, &env)
	}
	isEnvelope := envErr == nil && (env.Successful != nil || env.Error != nil)
	if isEnvelope {
		e.observeServerTime(env.Timestamp, received)
	}
	failure := ""
	if isEnvelope && env.Error != nil && (status >= 400 || env.Successful == nil || !*env.Successful) {
		// --debug-http shows OCP's whole error: code, message, debug
		// message, rejected fields and target.
		failure = "code " + safetext.Line(string(env.Error.Code)) + ": " + env.Error.Summary()
	}
	e.debug.response(c.method, shown, attempt, status, took, env.TraceID, len(raw), failure)

	be := &backend.Error{Op: c.op, HTTP: status, TraceID: safetext.Line(env.TraceID)}
	switch {
	case status >= 200 && status < 300:
		if scrubErr != nil {
			be.Kind = backend.BadResponse
			be.Message = scrubErr.Error()
			be.OutcomeUnknown = !isGet
			return outcome{err: be}
		}
		if !isEnvelope {
			be.Kind = backend.BadResponse
			be.Message = fmt.Sprintf("HTTP %d with %d bytes that are not an OCP response (%s)", status, len(raw), e.headerText(contentType(resp.Header())))
			be.OutcomeUnknown = !isGet
			be.Err = e.redactErr(envErr)
			return outcome{err: be}
		}
		if env.Successful != nil && *env.Successful {
			return outcome{data: env.Data}
		}
		// A 2xx that says it failed: the envelope's status decides.
		code, _ := strconv.Atoi(env.Status.String())
		be.Kind = kindFor(code, errorCode(env.Error))
		if code < 400 {
			be.Kind = backend.BadResponse
		}
		be.HTTP = max(code, status)
		e.fillAPIError(be, env.Error, "the server reported a failure without saying why")
		return outcome{err: be}
	case status >= 300 && status < 400:
		be.Kind = backend.BadResponse
		be.Message = fmt.Sprintf("HTTP %d redirect to %q; use that address as the OCP URL", status, e.headerText(resp.Header().Get("Location")))
		return outcome{err: be}
	}

	be.Kind = kindFor(status, errorCode(env.Error))
	if isEnvelope {
		e.fillAPIError(be, env.Error, fmt.Sprintf("HTTP %d %s", status, http.StatusText(status)))
	} else {
		be.Message = fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))
	}
	res := outcome{err: be}
	if status == http.StatusTooManyRequests {
		res.wait = rateLimitWait(resp.Header(), received)
		be.RetryAfter = int((res.wait + time.Second - 1) / time.Second)
		res.retry = isGet
	}
	if status >= 500 {
		res.retry = isGet
		// A gateway that gave up on the upstream, or a crash answered by
		// something other than OCP's own error envelope, cannot say whether
		// a write was applied. OCP's envelope, or a 503, says it was not.
		if !isGet && (status == http.StatusBadGateway || status == http.StatusGatewayTimeout ||
			(!isEnvelope && status != http.StatusServiceUnavailable)) {
			be.OutcomeUnknown = true
		}
	}
	return res
}

// fillAPIError puts OCP's error into be: its code as text, and as the
// message its words with the debug message, rejected fields and target
// (ocp.APIError.Summary, one safe line), secrets redacted.
func (e *Executor) fillAPIError(be *backend.Error, apiErr *ocp.APIError, fallback string) {
	be.Message = fallback
	if apiErr != nil {
		be.Code = string(apiErr.Code)
		if sum := apiErr.Summary(); sum != "" {
			be.Message = e.redact(sum)
		}
	}
}

func errorCode(apiErr *ocp.APIError) ocp.Code {
	if apiErr == nil {
		return ""
	}
	return apiErr.Code
}

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
		be.Message = fmt.Sprintf("response body larger than %d bytes", e.cfg.MaxBodyBytes)
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
