package remote

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	"github.com/go-resty/resty/v2"

	"github.com/obconsole/obconsole/backend/ocp"
)

// How large one listed object may be. A response holding n objects may be
// n times the bound (never less than MaxBodyBytes): a list that is long is
// legitimate, a single object that is huge is not, and a single object
// (a task, a log) stays capped at MaxBodyBytes. The bounds are several
// times the largest objects OCP's documented samples show.
const (
	// MaxServerBytes bounds a server (OCP's sample: 0.6 KB).
	MaxServerBytes = 4 << 10
	// MaxZoneBytes bounds a zone without its servers.
	MaxZoneBytes = 8 << 10
	// MaxClusterBytes bounds a cluster of the cluster list, with its
	// zones and root servers (OCP's sample: 0.7 KB).
	MaxClusterBytes = 8 << 10
	// MaxTaskBytes bounds an item of the task list with its subtasks (an
	// 11-step restart is about 2 KB).
	MaxTaskBytes = 64 << 10
)

// envelopeBytes is room for the envelope around a list.
const envelopeBytes = 4 << 10

// listCap is the response cap for a list of n objects of at most per bytes.
func (e *Executor) listCap(n int, per int64) int64 {
	return max(e.cfg.MaxBodyBytes, int64(n)*per+envelopeBytes)
}

// maxPages stops a server that keeps announcing more pages.
const maxPages = 100000

// listAll follows a list to its end (or limit, when > 0). paged lists are
// asked for page 1 with the configured size; the others are asked plainly
// and followed only if the answer carries a page that is not the last.
// per bounds one object: a page of size objects may be size times it;
// an unpaged list is capped as if it held expected objects.
func listAll[T any](ctx context.Context, e *Executor, op, path string, q url.Values, paged bool, limit, expected int, per int64) ([]T, error) {
	size := e.cfg.PageSize
	if limit > 0 && limit < size {
		size = limit
	}
	out := []T{}
	for page := 1; page <= maxPages; page++ {
		pq := url.Values{}
		for k, v := range q {
			pq[k] = v
		}
		c := call{op: op, method: http.MethodGet, path: path, query: pq, limit: e.listCap(expected, per)}
		if paged || page > 1 {
			pq.Set("page", strconv.Itoa(page))
			pq.Set("size", strconv.Itoa(size))
			c.limit = e.listCap(size, per)
		}
		var data ocp.List[T]
		if err := e.do(ctx, c, &data); err != nil {
			return nil, err
		}
		out = append(out, data.Contents...)
		if limit > 0 && len(out) >= limit {
			return out[:limit], nil
		}
		if data.Page == nil || len(data.Contents) == 0 || page >= data.Page.TotalPages {
			break
		}
	}
	return out, nil
}

// sizes remembers how many servers each cluster and each of its zones
// had when the cluster list last said (it names them, their server counts
// and no servers), so that a list of a cluster's servers or zones is
// asked for with a cap that fits it, and a big cluster's servers are
// fetched zone by zone.
type sizes struct {
	mu       sync.Mutex
	clusters map[int64]clusterSize
}

type clusterSize struct {
	servers int
	zones   []zoneSize // as the cluster list names them; none when it does not
}

type zoneSize struct {
	name    string
	servers int
}

func (s *sizes) record(clusters []ocp.Cluster) {
	m := make(map[int64]clusterSize, len(clusters))
	for _, c := range clusters {
		cs := clusterSize{servers: c.ServerCount}
		for _, z := range c.Zones {
			cs.zones = append(cs.zones, zoneSize{name: z.Name, servers: max(z.ServerCount, len(z.Servers))})
		}
		m[c.ID] = cs
	}
	s.mu.Lock()
	s.clusters = m
	s.mu.Unlock()
}

func (s *sizes) of(clusterID int64) (clusterSize, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, ok := s.clusters[clusterID]
	return cs, ok
}

// zone is how many servers the named zone has; its cluster's count when
// the zone is not named.
func (cs clusterSize) zone(name string) int {
	for _, z := range cs.zones {
		if z.name == name {
			return z.servers
		}
	}
	return cs.servers
}

// sized runs fetch with what the cluster list last said of the cluster.
// When the answer is larger than that allowed, the cluster list is asked
// again and, if it now says something else, fetch runs once more: a
// cluster that grew, or one the console had not listed yet.
func sized[T any](ctx context.Context, e *Executor, clusterID int64, fetch func(clusterSize) (T, error)) (T, error) {
	before, known := e.sizes.of(clusterID)
	out, err := fetch(before)
	if err == nil || !errors.Is(err, resty.ErrResponseBodyTooLarge) {
		return out, err
	}
	if _, lerr := e.ListClusters(ctx); lerr != nil {
		return out, err
	}
	after, ok := e.sizes.of(clusterID)
	if !ok || known && after.servers == before.servers && len(after.zones) == len(before.zones) {
		return out, err
	}
	return fetch(after)
}

func (e *Executor) ListZones(ctx context.Context, clusterID int64) ([]ocp.Zone, error) {
	op := fmt.Sprintf("list zones of cluster %d", clusterID)
	return sized(ctx, e, clusterID, func(cs clusterSize) ([]ocp.Zone, error) {
		// A zone may embed its servers (OCP's sample does).
		per := int64(MaxServerBytes)
		if len(cs.zones) > 0 {
			per += MaxZoneBytes * int64(len(cs.zones)) / int64(max(cs.servers, 1))
		}
		return listAll[ocp.Zone](ctx, e, op, clusterPath(clusterID)+"/zones", nil, false, 0, cs.servers, per)
	})
}

// ListServers lists a cluster's servers, or one zone's. OCP does not page
// these lists, so a big cluster's are fetched zone by zone: one response
// of 100,000 servers is 50 MB, ten of 10,000 each are a tenth of it.
func (e *Executor) ListServers(ctx context.Context, clusterID int64, zoneName string) ([]ocp.Server, error) {
	return sized(ctx, e, clusterID, func(cs clusterSize) ([]ocp.Server, error) {
		if zoneName != "" {
			return e.zoneServers(ctx, clusterID, zoneName, cs.zone(zoneName))
		}
		if int64(cs.servers)*MaxServerBytes <= e.cfg.MaxBodyBytes || len(cs.zones) < 2 {
			op := fmt.Sprintf("list servers of cluster %d", clusterID)
			return listAll[ocp.Server](ctx, e, op, clusterPath(clusterID)+"/servers", nil, false, 0, cs.servers, MaxServerBytes)
		}
		out := make([]ocp.Server, 0, cs.servers)
		for _, z := range cs.zones {
			servers, err := e.zoneServers(ctx, clusterID, z.name, z.servers)
			if err != nil {
				return nil, err
			}
			out = append(out, servers...)
		}
		return out, nil
	})
}

func (e *Executor) zoneServers(ctx context.Context, clusterID int64, zoneName string, expected int) ([]ocp.Server, error) {
	op := fmt.Sprintf("list servers of zone %s in cluster %d", zoneName, clusterID)
	path := clusterPath(clusterID) + "/zones/" + url.PathEscape(zoneName) + "/servers"
	return listAll[ocp.Server](ctx, e, op, path, nil, false, 0, expected, MaxServerBytes)
}
