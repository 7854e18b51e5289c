package ocpserver

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/obconsole/obconsole/backend/ocp"
)

// Answers: the envelope around every response, and the parameters every
// endpoint reads alike.

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

// pathIDs parses the numeric path values named; false after writing a
// 400 for the first that is not one.
func (h *Handler) pathIDs(w http.ResponseWriter, r *http.Request, names ...string) ([]int64, bool) {
	ids := make([]int64, len(names))
	for i, name := range names {
		v := r.PathValue(name)
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			h.typeMismatch(w, r, name, v, "Long")
			return nil, false
		}
		ids[i] = n
	}
	return ids, true
}

// answer writes an executor call's result: its data, or its error.
func (h *Handler) answer(w http.ResponseWriter, r *http.Request, data any, err error) {
	if err != nil {
		h.failErr(w, r, err)
		return
	}
	h.ok(w, r, data)
}

// paging reads page (from 1) and size (clamped to MaxPageSize).
func (h *Handler) paging(w http.ResponseWriter, r *http.Request) (page, size int, ok bool) {
	page, size = 1, DefaultPageSize
	for _, p := range []struct {
		name string
		to   *int
		why  string
	}{
		{"page", &page, "pages count from 1"},
		{"size", &size, "a page holds at least one item"},
	} {
		if !queryParam(h, w, r, p.name, "Integer", strconv.Atoi, p.to) {
			return 0, 0, false
		}
		if *p.to < 1 {
			h.illegalArgument(w, r, "The input parameter %s is empty or invalid: %d; %s.", p.name, *p.to, p.why)
			return 0, 0, false
		}
	}
	return page, min(size, MaxPageSize), true
}

// queryParam reads the query parameter name into *to when it is given;
// false after answering 400 when it does not parse as javaType (the
// type Spring would name).
func queryParam[T any](h *Handler, w http.ResponseWriter, r *http.Request, name, javaType string, parse func(string) (T, error), to *T) bool {
	v := r.URL.Query().Get(name)
	if v == "" {
		return true
	}
	x, err := parse(v)
	if err != nil {
		h.typeMismatch(w, r, name, v, javaType)
		return false
	}
	*to = x
	return true
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
