package embedded

import (
	"cmp"
	"fmt"
	"net"
	"slices"
	"strconv"
	"time"

	"github.com/obconsole/obconsole/backend/ocp"
)

// builder lays out the live fleet: every server record of the fleet in
// one array, host and IDC ids numbered as OCP numbers them (in the order
// first seen), ages drawn from the seed so the same seed shows the same
// fleet.
type builder struct {
	e       *Executor
	now     time.Time
	idcIDs  map[string]int64
	hostIDs map[string]int64
	servers []server // the whole fleet's, in fleet order
	hosts   map[int64]bool
	regions map[string]bool
}

func newBuilder(e *Executor, now time.Time, servers int) *builder {
	return &builder{e: e, now: now, idcIDs: map[string]int64{}, hostIDs: map[string]int64{},
		servers: make([]server, 0, servers)}
}

// cluster opens a cluster; its zones follow.
func (b *builder) cluster(w ocp.Cluster) *cluster {
	e := b.e
	w.CreateTime = ocp.NewTime(b.now.Add(-time.Duration(200+e.rand(uint64(w.ID), 0, saltAge)*400) * 24 * time.Hour).Truncate(time.Second))
	w.UpdateTime = ocp.NewTime(b.now.Add(-time.Duration(5+e.rand(uint64(w.ID), 1, saltAge)*55) * time.Minute).Truncate(time.Second))
	c := &cluster{w: w}
	e.clusters = append(e.clusters, c)
	e.clusterByID[w.ID] = c
	b.regions = map[string]bool{}
	return c
}

// zone opens a zone of c with room for n servers.
func (b *builder) zone(c *cluster, name, region, idc string, status ocp.ZoneStatus, n int) *zone {
	if idc != "" && b.idcIDs[idc] == 0 {
		b.idcIDs[idc] = 15000001 + int64(len(b.idcIDs))
	}
	z := &zone{cluster: c, servers: make([]*server, 0, n), w: ocp.Zone{
		Name: name, ClusterID: c.w.ID, ObClusterID: c.w.ObClusterID, RegionName: region,
		IDCName: idc, IDCID: b.idcIDs[idc], Status: status, InnerStatus: "ACTIVE",
		CompactionStatus: "IDLE",
	}}
	c.zones = append(c.zones, z)
	c.w.RegionCount += boolInt(!b.regions[region])
	b.regions[region] = true
	b.hosts = map[int64]bool{}
	return z
}

// server adds a server to z; s carries its id, address, version, status
// and whether it holds a root service replica.
func (b *builder) server(z *zone, s server) *server {
	e, c := b.e, z.cluster
	if b.hostIDs[s.ip] == 0 {
		b.hostIDs[s.ip] = 14000001 + int64(len(b.hostIDs))
	}
	s.zone, s.hostID = z, b.hostIDs[s.ip]
	age := time.Duration(2+e.rand(uint64(s.id), 0, saltAge)*60*24) * time.Hour
	age += time.Duration(e.rand(uint64(s.id), 1, saltAge)*3600) * time.Second
	s.started = e.stampOf(b.now.Add(-age).Truncate(time.Second))
	s.stopped = never
	s.updated = e.stampOf(c.w.UpdateTime.Time)
	b.servers = append(b.servers, s)
	p := &b.servers[len(b.servers)-1]
	if p.withRS {
		rs := ocp.RootServer{Address: net.JoinHostPort(p.ip, strconv.Itoa(int(p.port))), SQLPort: int(p.sqlPort), Role: "FOLLOWER"}
		if len(c.w.RootServers) == 0 {
			rs.Role = "LEADER"
		}
		c.w.RootServers = append(c.w.RootServers, rs)
		if z.w.RootServer == nil {
			zrs := rs
			z.w.RootServer = &zrs
		}
	}
	z.servers = append(z.servers, p)
	z.w.ServerCount++
	z.w.HostCount += boolInt(!b.hosts[p.hostID])
	b.hosts[p.hostID] = true
	c.w.ServerCount++
	return p
}

// done indexes the servers by id.
func (b *builder) done() {
	byID := make([]*server, len(b.servers))
	for i := range b.servers {
		byID[i] = &b.servers[i]
	}
	byIDs := func(a, b *server) int { return cmp.Compare(a.id, b.id) }
	if !slices.IsSortedFunc(byID, byIDs) { // ids a fleet file gives may come in any order
		slices.SortFunc(byID, byIDs)
	}
	b.e.byID = byID
}

// serverByID finds a server; nil when there is none.
func (e *Executor) serverByID(id int64) *server {
	i, ok := slices.BinarySearchFunc(e.byID, id, func(s *server, id int64) int { return cmp.Compare(s.id, id) })
	if !ok {
		return nil
	}
	return e.byID[i]
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// build turns a normalized fleet into the live state.
func (e *Executor) build(f *Fleet, now time.Time) {
	n := 0
	for _, c := range f.Clusters {
		for _, z := range c.Zones {
			n += len(z.Servers)
		}
	}
	b := newBuilder(e, now, n)
	for ci := range f.Clusters {
		fc := &f.Clusters[ci]
		c := b.cluster(ocp.Cluster{ID: fc.ID, Name: fc.Name, ObClusterID: fc.ObClusterID, ObVersion: fc.Version,
			Type: ocp.ClusterType(fc.Type), Status: ocp.ClusterStatus(fc.Status), TenantCount: fc.TenantCount})
		explicitRS := false
		for _, fz := range fc.Zones {
			for _, fs := range fz.Servers {
				explicitRS = explicitRS || fs.RootServer
			}
		}
		for _, fz := range fc.Zones {
			z := b.zone(c, fz.Name, fz.Region, fz.IDC, ocp.ZoneStatus(fz.Status), len(fz.Servers))
			for si, fs := range fz.Servers {
				s := b.server(z, server{id: fs.ID, ip: fs.IP, port: uint16(fs.Port), sqlPort: uint16(fs.SQLPort),
					version: fs.Version, status: ocp.ServerStatus(fs.Status), withRS: fs.RootServer || (!explicitRS && si == 0)})
				if fs.Scenario != "" {
					sc, _ := ParseScenario(fs.Scenario) // checked by normalize
					s.scenario = &sc
				}
			}
		}
	}
	b.done()
}

// FleetSize is the shape of a generated fleet: Clusters × Zones ×
// ServersPerZone servers, as GenerateFleet lays them out.
type FleetSize struct {
	Clusters, Zones, ServersPerZone int
}

// MaxGeneratedServers bounds a generated fleet.
const MaxGeneratedServers = 1_000_000

// Servers is how many servers the fleet has.
func (s FleetSize) Servers() int { return s.Clusters * s.Zones * s.ServersPerZone }

func (s FleetSize) String() string {
	return fmt.Sprintf("%d clusters × %d zones × %d servers", s.Clusters, s.Zones, s.ServersPerZone)
}

func (s FleetSize) check() error {
	if s.Clusters < 1 || s.Zones < 1 || s.ServersPerZone < 1 ||
		s.Clusters > MaxGeneratedServers || s.Zones > MaxGeneratedServers || s.ServersPerZone > MaxGeneratedServers ||
		s.Servers() > MaxGeneratedServers {
		return fmt.Errorf("generated fleet of %v: want at least one of each and at most %d servers", s, MaxGeneratedServers)
	}
	return nil
}

// generate builds the fleet GenerateFleet(size) describes, as New would
// from it, without the fleet in between: a fleet of 100,000 servers is up
// in a few tens of milliseconds, and the generated hosts' addresses are
// shared by the observers on them.
func (e *Executor) generate(size FleetSize, now time.Time) {
	b := newBuilder(e, now, size.Servers())
	var hosts [genHosts]string
	id := int64(13000001)
	n := 0
	for ci := 0; ci < size.Clusters; ci++ {
		c := b.cluster(ocp.Cluster{ID: 12000001 + int64(ci), Name: genClusterName(ci), ObClusterID: 100001 + int64(ci),
			ObVersion: genVersion, Type: ocp.ClusterPrimary, Status: ocp.ClusterRunning, TenantCount: 2})
		for zi := 0; zi < size.Zones; zi++ {
			name, region, idc := genZone(zi)
			z := b.zone(c, name, region, idc, ocp.ServerRunning, size.ServersPerZone)
			for si := 0; si < size.ServersPerZone; si++ {
				host, port := genAddress(n)
				if hosts[host] == "" {
					hosts[host] = genIP(host)
				}
				b.server(z, server{id: id, ip: hosts[host], port: uint16(port), sqlPort: uint16(port - 1),
					version: c.w.ObVersion, status: ocp.ServerRunning, withRS: si == 0})
				id++
				n++
			}
		}
	}
	b.done()
}
