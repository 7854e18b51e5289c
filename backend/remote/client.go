// Package remote is the Executor of a real OCP: OCP API v2 over HTTP with
// resty, Basic or AK/SK authentication, verified TLS, per-request timeouts,
// retried reads, never-retried writes, paging to the end and a capped
// response size. Every failure is a *backend.Error.
package remote

import (
	"context"
	crand "crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
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

	sizes sizes // of the clusters, as the cluster list last said

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
	// limit caps the response body: MaxBodyBytes when 0, more for a list
	// that is long (lists.go).
	limit int64
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
	if c.limit < e.cfg.MaxBodyBytes {
		c.limit = e.cfg.MaxBodyBytes
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
			if err := decodeData(res.data, out); err != nil {
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

// decodeData decodes an envelope's data, already checked to be JSON with
// the envelope: a type that decodes itself (a list of 100,000 servers)
// is handed the bytes at once instead of encoding/json checking and
// scanning them twice more first.
func decodeData(data []byte, out any) error {
	if u, ok := out.(json.Unmarshaler); ok {
		return u.UnmarshalJSON(data)
	}
	return json.Unmarshal(data, out)
}
