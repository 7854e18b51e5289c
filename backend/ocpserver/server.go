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
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
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
	m.HandleFunc("GET /api/v2/tasks/instances/{task}", h.taskCall(func(ctx context.Context, ex backend.Executor, tid int64) (any, error) {
		return ex.GetTask(ctx, tid)
	}))
	m.HandleFunc("GET /api/v2/tasks/instances/{task}/subtasks/{sub}/log", h.subtaskCall(func(ctx context.Context, ex backend.Executor, tid, sid int64) (any, error) {
		text, err := ex.SubtaskLog(ctx, tid, sid)
		return ocp.Log{Log: text}, err
	}))
	m.HandleFunc("POST /api/v2/tasks/instances/{task}/retry", h.taskCall(func(ctx context.Context, ex backend.Executor, tid int64) (any, error) {
		return ex.RetryTask(ctx, tid)
	}))
	m.HandleFunc("POST /api/v2/tasks/instances/{task}/rollback", h.taskCall(func(ctx context.Context, ex backend.Executor, tid int64) (any, error) {
		return ex.RollbackTask(ctx, tid)
	}))
	m.HandleFunc("POST /api/v2/tasks/instances/{task}/subtasks/{sub}/retry", h.subtaskCall(func(ctx context.Context, ex backend.Executor, tid, sid int64) (any, error) {
		return ex.RetrySubtask(ctx, tid, sid)
	}))
	// Skip and cancel answer with no data, as OCP documents.
	m.HandleFunc("POST /api/v2/tasks/instances/{task}/subtasks/{sub}/skip", h.subtaskCall(func(ctx context.Context, ex backend.Executor, tid, sid int64) (any, error) {
		return nil, ex.SkipSubtask(ctx, tid, sid)
	}))
	m.HandleFunc("POST /api/v2/tasks/instances/{task}/subtasks/{sub}/cancel", h.subtaskCall(func(ctx context.Context, ex backend.Executor, tid, sid int64) (any, error) {
		return nil, ex.CancelSubtask(ctx, tid, sid)
	}))
	// Everything else, including the start and stop of a server or a zone
	// that OCP documents but the Executor contract has no call for, is
	// answered as an OCP without that route answers: not pretending to
	// serve them keeps a client from mistaking a refusal (20003) or a
	// success for what the simulator did.
	m.HandleFunc("/", h.unknownRoute)
}

// envelope is the documented response shape.
type envelope struct {
	Data       any           `json:"data,omitempty"`
	Successful bool          `json:"successful"`
	Timestamp  ocp.Time      `json:"timestamp"`
	Duration   int64         `json:"duration"`
	Status     int           `json:"status"`
	TraceID    string        `json:"traceId"`
	Server     string        `json:"server"`
	Error      *ocp.APIError `json:"error,omitempty"`
}

func traceID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (h *Handler) write(w http.ResponseWriter, r *http.Request, status int, data any, apiErr *ocp.APIError) {
	env := envelope{
		Successful: apiErr == nil,
		Timestamp:  ocp.Time{Time: h.now()},
		Status:     status,
		TraceID:    traceID(),
		Server:     h.cfg.ServerName,
		Error:      apiErr,
	}
	if env.Server == "" {
		env.Server = r.Host
	}
	if start, ok := r.Context().Value(startKey).(time.Time); ok {
		env.Duration = time.Since(start).Milliseconds()
	}
	b, err := json.Marshal(env)
	if err == nil && data != nil {
		// The data, written first as encoding/json would, and the rest
		// of the envelope after it: a long list goes straight into the
		// answer (ocp.AppendJSON).
		rest := b
		b = append(make([]byte, 0, 64<<10), `{"data":`...)
		b, err = ocp.AppendJSON(b, data)
		b = append(append(b, ','), rest[1:]...)
	}
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"successful":false,"status":500,"error":{"code":10010,"message":"cannot encode the response"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b))) // lets a client read a long list at once
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// now is the executor's clock when there is one.
func (h *Handler) now() time.Time {
	if h.cfg.Executor != nil {
		return h.cfg.Executor.Now()
	}
	return h.cfg.Now()
}

func (h *Handler) ok(w http.ResponseWriter, r *http.Request, data any) {
	h.write(w, r, http.StatusOK, data, nil)
}

// pathID parses a numeric path value; false after writing a 400.
func (h *Handler) pathID(w http.ResponseWriter, r *http.Request, name string) (int64, bool) {
	v := r.PathValue(name)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		h.typeMismatch(w, r, name, v, "Long")
		return 0, false
	}
	return n, true
}

// paging reads page (from 1) and size (clamped to MaxPageSize).
func (h *Handler) paging(w http.ResponseWriter, r *http.Request) (page, size int, ok bool) {
	page, size = 1, DefaultPageSize
	q := r.URL.Query()
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			h.typeMismatch(w, r, "page", v, "Integer")
			return 0, 0, false
		}
		if n < 1 {
			h.illegalArgument(w, r, "The input parameter page is empty or invalid: %d; pages count from 1.", n)
			return 0, 0, false
		}
		page = n
	}
	if v := q.Get("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			h.typeMismatch(w, r, "size", v, "Integer")
			return 0, 0, false
		}
		if n < 1 {
			h.illegalArgument(w, r, "The input parameter size is empty or invalid: %d; a page holds at least one item.", n)
			return 0, 0, false
		}
		size = min(n, MaxPageSize)
	}
	return page, size, true
}

func pageOf[T any](all []T, page, size int) ocp.List[T] {
	total := len(all)
	from := min((page-1)*size, total)
	to := min(from+size, total)
	contents := all[from:to]
	if contents == nil {
		contents = []T{}
	}
	return ocp.List[T]{
		Contents: contents,
		Page: &ocp.Page{
			Number:        page,
			Size:          size,
			TotalElements: int64(total),
			TotalPages:    (total + size - 1) / size,
		},
	}
}

// commaList is the non-empty upper-cased parts of a list parameter given
// as "A,B", as A and B repeated (status=A&status=B), or both: Spring binds
// a list parameter either way.
func commaList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, strings.ToUpper(p))
			}
		}
	}
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (h *Handler) listClusters(w http.ResponseWriter, r *http.Request) {
	page, size, ok := h.paging(w, r)
	if !ok {
		return
	}
	all, err := h.cfg.Executor.ListClusters(r.Context())
	if err != nil {
		h.failErr(w, r, err)
		return
	}
	q := r.URL.Query()
	name := strings.ToLower(q.Get("name"))
	statuses := commaList(q["status"])
	kept := all[:0:0]
	for _, c := range all {
		if name != "" && !strings.Contains(strings.ToLower(c.Name), name) {
			continue
		}
		if len(statuses) > 0 && !contains(statuses, string(c.Status)) {
			continue
		}
		kept = append(kept, c)
	}
	h.ok(w, r, pageOf(kept, page, size))
}

func (h *Handler) listZones(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r, "id")
	if !ok {
		return
	}
	zones, err := h.cfg.Executor.ListZones(r.Context(), id)
	if err != nil {
		h.failErr(w, r, err)
		return
	}
	h.ok(w, r, ocp.List[ocp.Zone]{Contents: zones})
}

// listServers serves a cluster's or a zone's servers, unpaged as OCP
// does, filtered by regionName and idcName.
func (h *Handler) listServers(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r, "id")
	if !ok {
		return
	}
	servers, err := h.cfg.Executor.ListServers(r.Context(), id, r.PathValue("zone"))
	if err != nil {
		h.failErr(w, r, err)
		return
	}
	q := r.URL.Query()
	region, idc := q.Get("regionName"), q.Get("idcName")
	if region != "" || idc != "" {
		servers = slices.DeleteFunc(servers, func(s ocp.Server) bool {
			return region != "" && s.RegionName != region || idc != "" && s.IDCName != idc
		})
	}
	h.ok(w, r, ocp.List[ocp.Server]{Contents: servers})
}

// restartParams reads force, and for a server restart freezeServer, from
// the query or from a JSON body (the query wins): OCP's pages call them
// "request parameters" without saying which, and clients send either.
// An absent freezeServer is false, as on OCP builds before it existed;
// newer builds document it as required, but refusing its absence here
// would refuse every client written for those builds. A zone restart
// takes no freezeServer in OCP, so it is not read there.
func (h *Handler) restartParams(w http.ResponseWriter, r *http.Request, server bool) (backend.RestartOptions, bool) {
	var opts backend.RestartOptions
	body, _ := io.ReadAll(r.Body)
	if len(bytes.TrimSpace(body)) > 0 {
		var p struct {
			Force        *bool `json:"force"`
			FreezeServer *bool `json:"freezeServer"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			h.fail(w, r, http.StatusBadRequest, springError("Malformed JSON request", err.Error()))
			return opts, false
		}
		if p.Force != nil {
			opts.Force = *p.Force
		}
		if p.FreezeServer != nil && server {
			opts.FreezeServer = *p.FreezeServer
		}
	}
	type boolParam struct {
		name string
		to   *bool
	}
	params := []boolParam{{"force", &opts.Force}}
	if server {
		params = append(params, boolParam{"freezeServer", &opts.FreezeServer})
	}
	q := r.URL.Query()
	for _, p := range params {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			h.typeMismatch(w, r, p.name, v, "Boolean")
			return opts, false
		}
		*p.to = b
	}
	return opts, true
}

func (h *Handler) restartServer(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r, "id")
	if !ok {
		return
	}
	sid, ok := h.pathID(w, r, "server")
	if !ok {
		return
	}
	opts, ok := h.restartParams(w, r, true)
	if !ok {
		return
	}
	t, err := h.cfg.Executor.RestartServer(r.Context(), id, sid, opts)
	if err != nil {
		h.failErr(w, r, err)
		return
	}
	h.ok(w, r, t)
}

func (h *Handler) restartZone(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathID(w, r, "id")
	if !ok {
		return
	}
	opts, ok := h.restartParams(w, r, false)
	if !ok {
		return
	}
	t, err := h.cfg.Executor.RestartZone(r.Context(), id, r.PathValue("zone"), opts)
	if err != nil {
		h.failErr(w, r, err)
		return
	}
	h.ok(w, r, t)
}

func (h *Handler) listTasks(w http.ResponseWriter, r *http.Request) {
	page, size, ok := h.paging(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	var f backend.TaskFilter
	if v := q.Get("clusterId"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			h.typeMismatch(w, r, "clusterId", v, "Long")
			return
		}
		f.ClusterID = n
	}
	for _, s := range commaList(q["status"]) {
		f.Status = append(f.Status, ocp.TaskStatus(s))
	}
	f.Name = q.Get("name")
	f.Limit = page * size
	all, err := h.cfg.Executor.ListTasks(r.Context(), f)
	if err != nil {
		h.failErr(w, r, err)
		return
	}
	if typ := strings.ToUpper(q.Get("type")); typ != "" {
		kept := all[:0:0]
		for _, t := range all {
			if string(t.Type) == typ {
				kept = append(kept, t)
			}
		}
		all = kept
	}
	list := pageOf(all, page, size)
	// The executor was asked for no more than this page needs; when it
	// filled that, there may be more.
	if len(all) >= f.Limit {
		list.Page.TotalElements = int64(len(all)) + 1
		list.Page.TotalPages = page + 1
		if more, err := h.cfg.Executor.ListTasks(r.Context(), backend.TaskFilter{ClusterID: f.ClusterID, Status: f.Status, Name: f.Name, Limit: 1 << 30}); err == nil {
			list.Page.TotalElements = int64(len(more))
			list.Page.TotalPages = (len(more) + size - 1) / size
		}
	}
	h.ok(w, r, list)
}

// taskCall serves an endpoint about one task: the id from the path, one
// executor call, and its answer (or error) in the envelope.
func (h *Handler) taskCall(call func(ctx context.Context, ex backend.Executor, tid int64) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tid, ok := h.pathID(w, r, "task")
		if !ok {
			return
		}
		data, err := call(r.Context(), h.cfg.Executor, tid)
		if err != nil {
			h.failErr(w, r, err)
			return
		}
		h.ok(w, r, data)
	}
}

// subtaskCall is taskCall for an endpoint about one subtask of a task.
func (h *Handler) subtaskCall(call func(ctx context.Context, ex backend.Executor, tid, sid int64) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tid, ok := h.pathID(w, r, "task")
		if !ok {
			return
		}
		sid, ok := h.pathID(w, r, "sub")
		if !ok {
			return
		}
		data, err := call(r.Context(), h.cfg.Executor, tid, sid)
		if err != nil {
			h.failErr(w, r, err)
			return
		}
		h.ok(w, r, data)
	}
}
