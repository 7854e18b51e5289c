package remote

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/internal/jsonscan"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
)

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
	// The body is read here, not by resty: at once into a buffer of the
	// announced length, and capped by what was asked for.
	req := e.client.R().SetContext(actx).SetDoNotParseResponse(true)
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
	var raw []byte
	if resp != nil && resp.RawResponse != nil {
		if err == nil {
			raw, err = readBody(resp.RawResponse.Body, resp.RawResponse.ContentLength, c.limit)
		}
		resp.RawResponse.Body.Close()
	}
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
	// Nothing of the answer is read before the secrets are out of it, so
	// no field (trace id, error message, a cluster name) can carry one in.
	body, scrubErr := e.scrub(raw, own)
	var env wireEnvelope
	envErr := scrubErr
	if envErr == nil {
		envErr = decodeEnvelope(body, &env)
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

// readBody reads a response body of at most limit bytes; a longer one is
// resty.ErrResponseBodyTooLarge, refused as soon as it is announced or
// read that far.
func readBody(body io.Reader, length, limit int64) ([]byte, error) {
	if length > limit {
		return nil, resty.ErrResponseBodyTooLarge
	}
	var buf bytes.Buffer
	if length > 0 {
		buf.Grow(int(length) + bytes.MinRead) // room to read the end
	}
	n, err := buf.ReadFrom(io.LimitReader(body, limit+1))
	if err != nil {
		return nil, err
	}
	if n > limit {
		return nil, resty.ErrResponseBodyTooLarge
	}
	return buf.Bytes(), nil
}

// decodeEnvelope reads an OCP envelope in one pass, its data kept as the
// bytes it is (decodeData reads them next) rather than checked, scanned
// and copied by encoding/json first: a list of 100,000 servers is 50 MB.
// Anything unusual (a member in another case or given twice, a value
// encoding/json refuses) is left to encoding/json.
func decodeEnvelope(body []byte, env *wireEnvelope) error {
	var seen [6]bool
	s := jsonscan.New(body)
	ok := s.Object(func(key []byte) bool {
		val, ok := s.Value()
		if !ok {
			return false
		}
		for i, name := range envelopeMembers {
			switch {
			case string(key) == name:
				if seen[i] {
					return false
				}
				seen[i] = true
				if i == 0 {
					env.Data = val
					return true
				}
				return json.Unmarshal(val, envelopeField(env, i)) == nil
			case strings.EqualFold(string(key), name):
				return false
			}
		}
		return true // a member encoding/json would skip
	}) && s.End()
	if ok {
		return nil
	}
	*env = wireEnvelope{}
	return json.Unmarshal(body, env)
}

// envelopeMembers are wireEnvelope's members, data first.
var envelopeMembers = [...]string{"data", "successful", "timestamp", "status", "traceId", "error"}

func envelopeField(env *wireEnvelope, i int) any {
	return [...]any{&env.Data, &env.Successful, &env.Timestamp, &env.Status, &env.TraceID, &env.Error}[i]
}
