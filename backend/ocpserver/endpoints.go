package ocpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// The endpoints: one executor call each.

func (h *Handler) listClusters(w http.ResponseWriter, r *http.Request) {
	page, size, ok := h.paging(w, r)
	if !ok {
		return
	}
	all, err := h.cfg.Executor.ListClusters(r.Context())
	if err != nil {
		h.answer(w, r, nil, err)
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
	if ids, ok := h.pathIDs(w, r, "id"); ok {
		zones, err := h.cfg.Executor.ListZones(r.Context(), ids[0])
		h.answer(w, r, ocp.List[ocp.Zone]{Contents: zones}, err)
	}
}

// listServers serves a cluster's or a zone's servers, unpaged as OCP
// does, filtered by regionName and idcName.
func (h *Handler) listServers(w http.ResponseWriter, r *http.Request) {
	ids, ok := h.pathIDs(w, r, "id")
	if !ok {
		return
	}
	servers, err := h.cfg.Executor.ListServers(r.Context(), ids[0], r.PathValue("zone"))
	if err != nil {
		h.answer(w, r, nil, err)
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
	if !queryParam(h, w, r, "force", "Boolean", strconv.ParseBool, &opts.Force) {
		return opts, false
	}
	if server && !queryParam(h, w, r, "freezeServer", "Boolean", strconv.ParseBool, &opts.FreezeServer) {
		return opts, false
	}
	return opts, true
}

func (h *Handler) restartServer(w http.ResponseWriter, r *http.Request) {
	ids, ok := h.pathIDs(w, r, "id", "server")
	if !ok {
		return
	}
	if opts, ok := h.restartParams(w, r, true); ok {
		t, err := h.cfg.Executor.RestartServer(r.Context(), ids[0], ids[1], opts)
		h.answer(w, r, t, err)
	}
}

func (h *Handler) restartZone(w http.ResponseWriter, r *http.Request) {
	ids, ok := h.pathIDs(w, r, "id")
	if !ok {
		return
	}
	if opts, ok := h.restartParams(w, r, false); ok {
		t, err := h.cfg.Executor.RestartZone(r.Context(), ids[0], r.PathValue("zone"), opts)
		h.answer(w, r, t, err)
	}
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
		h.answer(w, r, nil, err)
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

// idsCall serves an endpoint about one task or one of its steps: the ids
// named from the path, one executor call, and its answer.
func (h *Handler) idsCall(call func(ctx context.Context, ex backend.Executor, ids []int64) (any, error), names ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ids, ok := h.pathIDs(w, r, names...); ok {
			data, err := call(r.Context(), h.cfg.Executor, ids)
			h.answer(w, r, data, err)
		}
	}
}
