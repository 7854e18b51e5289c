// Package ocpserver serves any backend.Executor as OCP API v2 (OCP-API.md):
// the documented paths, the response envelope, paging on the cluster and
// task lists, errors as OCP answers them (errors.go: OCP's numeric codes
// and HTTP statuses), and Basic or AK/SK authentication (either query
// encoding of the signing pages, ocp.VerifySignature). Beyond what OCP documents, a
// signed change (POST, PUT, DELETE, PATCH) is accepted once: its replay
// within the Date window is refused. `obconsole serve` puts the
// embedded simulator behind it; tests put it behind httptest so the remote
// executor is checked against the embedded one over real HTTP.
package ocpserver

import (
	"bytes"
	"context"
	"crypto/subtle"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// Limits of the handler.
const (
	// MaxPageSize is the largest page served; a bigger size is clamped.
	MaxPageSize = 2000
	// DefaultPageSize is the page size when the request gives none.
	DefaultPageSize = 10
	// MaxRequestBody caps a request body.
	MaxRequestBody = 1 << 20
)

// Config configures New.
type Config struct {
	// Executor is what the handler serves.
	Executor backend.Executor
	// Users maps Basic user names to passwords.
	Users map[string]string
	// AccessKeys maps AK/SK access key ids to their secrets.
	AccessKeys map[string]string
	// NoAuth serves every request without credentials (loopback demos).
	// Without it, and without Users or AccessKeys, every request gets 401.
	NoAuth bool
	// Now is the wall clock that checks an AK/SK Date (nil: time.Now).
	// Envelope timestamps come from the Executor's Now.
	Now func() time.Time
	// ServerName is the envelope's "server" (empty: the request's Host).
	ServerName string
}

// Handler is the http.Handler New returns.
type Handler struct {
	cfg     Config
	mux     *http.ServeMux
	replays replayGuard
}

// New builds the handler.
func New(cfg Config) *Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	h := &Handler{cfg: cfg, mux: http.NewServeMux()}
	h.routes()
	return h
}

type ctxKey int

const startKey ctxKey = 0

// ServeHTTP authenticates the request and routes it.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	r = r.WithContext(context.WithValue(r.Context(), startKey, start))
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxRequestBody+1))
	if err != nil {
		h.fail(w, r, http.StatusBadRequest, springError("Malformed JSON request", "cannot read the request body: "+err.Error()))
		return
	}
	if len(body) > MaxRequestBody {
		h.fail(w, r, http.StatusRequestEntityTooLarge, springError("request body too large", fmt.Sprintf("the body exceeds %d bytes", MaxRequestBody)))
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if no := h.authenticate(r, body); no != nil {
		switch no.status {
		case http.StatusUnauthorized:
			w.Header().Set("WWW-Authenticate", `Basic realm="OCP"`)
			h.fail(w, r, no.status, unauthenticated(no.msg))
		default:
			w.Header().Set("RateLimit-Reset", strconv.Itoa(int((no.retryAfter+time.Second-1)/time.Second)))
			h.fail(w, r, no.status, throttled(no.msg))
		}
		return
	}
	h.mux.ServeHTTP(w, r)
}

// refusal is why a request is not served.
type refusal struct {
	status     int
	msg        string
	retryAfter time.Duration
}

func unauthorized(msg string) *refusal { return &refusal{status: http.StatusUnauthorized, msg: msg} }

// authenticate checks Basic or AK/SK credentials and refuses a replayed
// AK/SK signature on a change; the message says why not without echoing
// any secret.
func (h *Handler) authenticate(r *http.Request, body []byte) *refusal {
	if h.cfg.NoAuth {
		return nil
	}
	authz := r.Header.Get("Authorization")
	if authz == "" {
		return unauthorized("authentication required: HTTP Basic or AK/SK")
	}
	if user, pass, ok := r.BasicAuth(); ok {
		want, known := h.cfg.Users[user]
		// Compare even for an unknown user so timing says nothing.
		match := subtle.ConstantTimeCompare([]byte(pass), []byte(want)) == 1
		if !known || !match || want == "" {
			return unauthorized("bad user name or password")
		}
		return nil
	}
	id, sig, ok := ocp.ParseAuthorization(authz)
	if !ok {
		return unauthorized("unsupported Authorization scheme: use Basic or " + ocp.AuthScheme)
	}
	secret, known := h.cfg.AccessKeys[id]
	if !known || secret == "" {
		return unauthorized("unknown access key")
	}
	dateText := r.Header.Get("Date")
	date, err := http.ParseTime(dateText)
	if err != nil {
		return unauthorized("AK/SK request without a valid RFC 1123 Date header")
	}
	now := h.cfg.Now()
	if skew := now.Sub(date); skew > ocp.MaxDateSkew || skew < -ocp.MaxDateSkew {
		return unauthorized(fmt.Sprintf("request Date %s is more than %s from the server clock", dateText, ocp.MaxDateSkew))
	}
	req := ocp.SignRequest{
		Method: r.Method,
		Host:   r.Host,
		Path:   r.URL.EscapedPath(),
		Query:  r.URL.Query(),
		Header: r.Header,
		Body:   body,
		Date:   date,
	}
	if !ocp.VerifySignature(req, secret, sig) {
		return unauthorized("signature does not match")
	}
	if !isChange(r.Method) {
		return nil
	}
	switch v, wait := h.replays.admit(id, sig, date, now); v {
	case replayed:
		return unauthorized("signature already used: a signed change is accepted once; sign it again with a new Date")
	case full:
		return &refusal{status: http.StatusTooManyRequests, retryAfter: wait,
			msg: "too many signed changes within the Date window; try again later"}
	}
	return nil
}

func (h *Handler) routes() {
	m := h.mux
	m.HandleFunc("GET /api/v2/ob/clusters", h.listClusters)
	m.HandleFunc("GET /api/v2/ob/clusters/{id}/zones", h.listZones)
	m.HandleFunc("GET /api/v2/ob/clusters/{id}/servers", h.listServers)
	m.HandleFunc("GET /api/v2/ob/clusters/{id}/zones/{zone}/servers", h.listServers)
	m.HandleFunc("POST /api/v2/ob/clusters/{id}/servers/{server}/restart", h.restartServer)
	m.HandleFunc("POST /api/v2/ob/clusters/{id}/zones/{zone}/restart", h.restartZone)
	m.HandleFunc("GET /api/v2/tasks/instances", h.listTasks)
	task := func(call func(ctx context.Context, ex backend.Executor, tid int64) (any, error)) http.HandlerFunc {
		return h.idsCall(func(ctx context.Context, ex backend.Executor, ids []int64) (any, error) { return call(ctx, ex, ids[0]) }, "task")
	}
	subtask := func(call func(ctx context.Context, ex backend.Executor, tid, sid int64) (any, error)) http.HandlerFunc {
		return h.idsCall(func(ctx context.Context, ex backend.Executor, ids []int64) (any, error) {
			return call(ctx, ex, ids[0], ids[1])
		}, "task", "sub")
	}
	m.HandleFunc("GET /api/v2/tasks/instances/{task}", task(func(ctx context.Context, ex backend.Executor, tid int64) (any, error) {
		return ex.GetTask(ctx, tid)
	}))
	m.HandleFunc("GET /api/v2/tasks/instances/{task}/subtasks/{sub}/log", subtask(func(ctx context.Context, ex backend.Executor, tid, sid int64) (any, error) {
		text, err := ex.SubtaskLog(ctx, tid, sid)
		return ocp.Log{Log: text}, err
	}))
	m.HandleFunc("POST /api/v2/tasks/instances/{task}/retry", task(func(ctx context.Context, ex backend.Executor, tid int64) (any, error) {
		return ex.RetryTask(ctx, tid)
	}))
	m.HandleFunc("POST /api/v2/tasks/instances/{task}/rollback", task(func(ctx context.Context, ex backend.Executor, tid int64) (any, error) {
		return ex.RollbackTask(ctx, tid)
	}))
	m.HandleFunc("POST /api/v2/tasks/instances/{task}/subtasks/{sub}/retry", subtask(func(ctx context.Context, ex backend.Executor, tid, sid int64) (any, error) {
		return ex.RetrySubtask(ctx, tid, sid)
	}))
	// Skip and cancel answer with no data, as OCP documents.
	m.HandleFunc("POST /api/v2/tasks/instances/{task}/subtasks/{sub}/skip", subtask(func(ctx context.Context, ex backend.Executor, tid, sid int64) (any, error) {
		return nil, ex.SkipSubtask(ctx, tid, sid)
	}))
	m.HandleFunc("POST /api/v2/tasks/instances/{task}/subtasks/{sub}/cancel", subtask(func(ctx context.Context, ex backend.Executor, tid, sid int64) (any, error) {
		return nil, ex.CancelSubtask(ctx, tid, sid)
	}))
	// Everything else, including the start and stop of a server or a zone
	// that OCP documents but the Executor contract has no call for, is
	// answered as an OCP without that route answers: not pretending to
	// serve them keeps a client from mistaking a refusal (20003) or a
	// success for what the simulator did.
	m.HandleFunc("/", h.unknownRoute)
}
