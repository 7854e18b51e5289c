package embedded

import (
	"fmt"
	"net/netip"
	"strconv"

	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
)

// Fleet describes the simulated OCP's clusters. It is what a fleet file
// holds; zero fields get the defaults documented on each field.
type Fleet struct {
	Clusters []FleetCluster `yaml:"clusters" json:"clusters"`
}

// FleetCluster is one OceanBase cluster.
type FleetCluster struct {
	ID          int64       `yaml:"id,omitempty" json:"id,omitempty"`                   // OCP id; default 12000001, 12000002, …
	Name        string      `yaml:"name" json:"name"`                                   // required, unique
	ObClusterID int64       `yaml:"obClusterId,omitempty" json:"obClusterId,omitempty"` // default 100000 + position
	Version     string      `yaml:"version,omitempty" json:"version,omitempty"`         // default 4.2.1.8
	Type        string      `yaml:"type,omitempty" json:"type,omitempty"`               // PRIMARY (default) or STANDBY
	Status      string      `yaml:"status,omitempty" json:"status,omitempty"`           // default RUNNING
	TenantCount int         `yaml:"tenantCount,omitempty" json:"tenantCount,omitempty"`
	Zones       []FleetZone `yaml:"zones" json:"zones"`

	pos positions
}

// FleetZone is one zone of a cluster.
type FleetZone struct {
	Name    string        `yaml:"name" json:"name"` // required, unique in its cluster
	Region  string        `yaml:"region,omitempty" json:"region,omitempty"`
	IDC     string        `yaml:"idc,omitempty" json:"idc,omitempty"`
	Status  string        `yaml:"status,omitempty" json:"status,omitempty"` // default RUNNING
	Servers []FleetServer `yaml:"servers" json:"servers"`

	pos positions
}

// FleetServer is one OBServer.
type FleetServer struct {
	ID         int64  `yaml:"id,omitempty" json:"id,omitempty"` // default 13000001, …
	IP         string `yaml:"ip" json:"ip"`                     // required; ip:port unique in the fleet
	Port       int    `yaml:"port,omitempty" json:"port,omitempty"`
	SQLPort    int    `yaml:"sqlPort,omitempty" json:"sqlPort,omitempty"`
	Version    string `yaml:"version,omitempty" json:"version,omitempty"` // default: the cluster's
	Status     string `yaml:"status,omitempty" json:"status,omitempty"`   // default RUNNING
	RootServer bool   `yaml:"rootServer,omitempty" json:"rootServer,omitempty"`
	// Scenario overrides the run's scenario for restarts of this server.
	Scenario string `yaml:"scenario,omitempty" json:"scenario,omitempty"`

	pos positions
}

// positions remembers the line of each field read from a file, so a
// validation error can point at it. Empty for programmatic fleets.
type positions map[string]int

func (p positions) line(field string) int {
	if l, ok := p[field]; ok {
		return l
	}
	return p[""]
}

// FleetError is a fleet that cannot be used: which file, line and field,
// and why.
type FleetError struct {
	File  string
	Line  int    // 0 when unknown (programmatic fleets)
	Field string // path such as clusters[0].zones[1].servers[0].ip
	Msg   string
}

func (e *FleetError) Error() string {
	s := "fleet"
	if e.File != "" {
		s += " file " + strconv.Quote(e.File)
	}
	if e.Line > 0 {
		s += " line " + strconv.Itoa(e.Line)
	}
	if e.Field != "" {
		s += ": field " + e.Field
	}
	return s + ": " + e.Msg
}

// Demo fleet ids other packages (tests, goldens, docs) may rely on.
const (
	// DemoPrimaryClusterID is "protoss", a PRIMARY cluster, all servers RUNNING.
	DemoPrimaryClusterID int64 = 12000001
	// DemoStandbyClusterID is "zerg", the STANDBY of protoss.
	DemoStandbyClusterID int64 = 12000002
	// DemoDegradedClusterID is "terran", a PRIMARY with one UNAVAILABLE server.
	DemoDegradedClusterID int64 = 12000003
	// DemoSampleServerID is protoss zone2 192.0.2.12:2882, the server of
	// OCP's documented sample restart.
	DemoSampleServerID int64 = 13000002
	// DemoUnavailableServerID is terran zone2 203.0.113.32:2882, UNAVAILABLE:
	// a normal restart fails its pre-check, a force restart brings it back.
	DemoUnavailableServerID int64 = 13000011
)

// DemoFleet is the built-in fleet: three clusters of three zones.
//
//	protoss 12000001 PRIMARY 4.2.1.8  zone1 zone2 (cn-hangzhou), zone3 (cn-shanghai)
//	        2 servers a zone, 192.0.2.11-16, ids 13000001-13000006
//	zerg    12000002 STANDBY 4.2.1.8  1 server a zone, 198.51.100.21-23, ids 13000007-13000009
//	terran  12000003 PRIMARY 4.2.4.0  3 servers a zone, 203.0.113.31-39, ids 13000010-13000018,
//	        13000011 (zone2, 203.0.113.32) UNAVAILABLE
//
// Server ids run zone by zone within a rank (zone1's first, zone2's first, …),
// the way OCP numbers servers added zone by zone.
func DemoFleet() *Fleet {
	f := &Fleet{Clusters: []FleetCluster{
		{ID: DemoPrimaryClusterID, Name: "protoss", ObClusterID: 100001, Version: "4.2.1.8", Type: "PRIMARY", TenantCount: 6,
			Zones: []FleetZone{
				{Name: "zone1", Region: "cn-hangzhou", IDC: "hz-idc-a"},
				{Name: "zone2", Region: "cn-hangzhou", IDC: "hz-idc-b"},
				{Name: "zone3", Region: "cn-shanghai", IDC: "sh-idc-a"},
			}},
		{ID: DemoStandbyClusterID, Name: "zerg", ObClusterID: 100002, Version: "4.2.1.8", Type: "STANDBY", TenantCount: 4,
			Zones: []FleetZone{
				{Name: "zone1", Region: "cn-shenzhen", IDC: "sz-idc-a"},
				{Name: "zone2", Region: "cn-shenzhen", IDC: "sz-idc-b"},
				{Name: "zone3", Region: "cn-guangzhou", IDC: "gz-idc-a"},
			}},
		{ID: DemoDegradedClusterID, Name: "terran", ObClusterID: 100003, Version: "4.2.4.0", Type: "PRIMARY", TenantCount: 9,
			Zones: []FleetZone{
				{Name: "zone1", Region: "cn-beijing", IDC: "bj-idc-a"},
				{Name: "zone2", Region: "cn-beijing", IDC: "bj-idc-b"},
				{Name: "zone3", Region: "cn-tianjin", IDC: "tj-idc-a"},
			}},
	}}
	id := int64(13000001)
	add := func(c *FleetCluster, perZone int, prefix string, host int) {
		for rank := 0; rank < perZone; rank++ {
			for z := range c.Zones {
				c.Zones[z].Servers = append(c.Zones[z].Servers, FleetServer{
					ID: id, IP: fmt.Sprintf("%s.%d", prefix, host+rank*len(c.Zones)+z),
					Port: 2882, SQLPort: 2881, RootServer: rank == 0,
				})
				id++
			}
		}
	}
	add(&f.Clusters[0], 2, "192.0.2", 11)
	add(&f.Clusters[1], 1, "198.51.100", 21)
	add(&f.Clusters[2], 3, "203.0.113", 31)
	f.Clusters[2].Zones[1].Servers[0].Status = string(ocp.ServerUnavailable)
	return f
}

// docRanges are the documentation address blocks (RFC 5737): a generated
// or demo fleet never names a real host.
var docRanges = [...]string{"192.0.2", "198.51.100", "203.0.113"}

// A generated fleet's hosts: .1-.254 of each documentation block.
const genHosts = 3 * 254

// genVersion is a generated cluster's OceanBase version.
const genVersion = "4.2.1.8"

func genClusterName(i int) string { return fmt.Sprintf("gen-%04d", i+1) }

// genZone is zone i of a generated cluster: its name, region and IDC.
func genZone(i int) (name, region, idc string) {
	return fmt.Sprintf("zone%d", i+1), fmt.Sprintf("region-%d", i%2+1), fmt.Sprintf("idc-%d", i+1)
}

// genAddress is where the generated fleet's server n runs: a host, and a
// port that grows by 10 each time the hosts run out.
func genAddress(n int) (host, port int) { return n % genHosts, 2882 + 10*(n/genHosts) }

func genIP(host int) string { return docRanges[host/254] + "." + strconv.Itoa(host%254+1) }

// GenerateFleet builds a large healthy fleet for tests and benchmarks:
// clusters × zones × serversPerZone servers named gen-0001…, all RUNNING.
// Addresses cycle through the three documentation /24 blocks (.1-.254);
// past 762 servers the same hosts carry more observers on ports 2882+10k
// (SQL port one below), as OceanBase allows several observers per host.
// Options.Generate builds the same fleet without this description.
func GenerateFleet(clusters, zones, serversPerZone int) *Fleet {
	f := &Fleet{Clusters: make([]FleetCluster, 0, clusters)}
	n := 0
	for c := 0; c < clusters; c++ {
		fc := FleetCluster{Name: genClusterName(c), Version: genVersion, Type: "PRIMARY", TenantCount: 2,
			Zones: make([]FleetZone, 0, zones)}
		for z := 0; z < zones; z++ {
			name, region, idc := genZone(z)
			fz := FleetZone{Name: name, Region: region, IDC: idc, Servers: make([]FleetServer, 0, serversPerZone)}
			for s := 0; s < serversPerZone; s++ {
				host, port := genAddress(n)
				fz.Servers = append(fz.Servers, FleetServer{IP: genIP(host), Port: port, SQLPort: port - 1, RootServer: s == 0})
				n++
			}
			fc.Zones = append(fc.Zones, fz)
		}
		f.Clusters = append(f.Clusters, fc)
	}
	return f
}

// normalize checks the fleet and fills in defaults, in place. file names
// the source for error messages ("" for programmatic fleets).
func (f *Fleet) normalize(file string) error {
	fail := func(pos positions, key, path, format string, args ...any) error {
		field := path
		if key != "" {
			field += "." + key
		}
		return &FleetError{File: file, Line: pos.line(key), Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	if len(f.Clusters) == 0 {
		return &FleetError{File: file, Line: 1, Field: "clusters", Msg: "at least one cluster is needed"}
	}
	clusterIDs := map[int64]bool{}
	serverIDs := map[int64]bool{}
	names := map[string]bool{}
	// The servers at each address, as indices: a path is worded only for
	// an error.
	addrs := map[netip.AddrPort]serverPath{}
	for i := range f.Clusters {
		c := &f.Clusters[i]
		if c.ID != 0 {
			if c.ID < 0 {
				return fail(c.pos, "id", clusterPath(i), "must be positive, got %d", c.ID)
			}
			if clusterIDs[c.ID] {
				return fail(c.pos, "id", clusterPath(i), "id %d is used by another cluster", c.ID)
			}
			clusterIDs[c.ID] = true
		}
		for j := range c.Zones {
			for k := range c.Zones[j].Servers {
				s := &c.Zones[j].Servers[k]
				if s.ID < 0 {
					return fail(s.pos, "id", serverPath{i, j, k}.String(), "must be positive, got %d", s.ID)
				}
				if s.ID != 0 {
					if serverIDs[s.ID] {
						return fail(s.pos, "id", serverPath{i, j, k}.String(), "id %d is used by another server", s.ID)
					}
					serverIDs[s.ID] = true
				}
			}
		}
	}
	nextCluster, nextServer := int64(12000001), int64(13000001)
	for i := range f.Clusters {
		c := &f.Clusters[i]
		cp := clusterPath(i)
		if c.Name == "" {
			return fail(c.pos, "name", cp, "a cluster needs a name")
		}
		if names[c.Name] {
			return fail(c.pos, "name", cp, "cluster name %s is used twice", safetext.Excerpt(c.Name))
		}
		names[c.Name] = true
		if c.ID == 0 {
			for clusterIDs[nextCluster] {
				nextCluster++
			}
			c.ID = nextCluster
			clusterIDs[c.ID] = true
		}
		if c.ObClusterID == 0 {
			c.ObClusterID = 100001 + int64(i)
		}
		if c.Version == "" {
			c.Version = "4.2.1.8"
		}
		switch c.Type {
		case "":
			c.Type = string(ocp.ClusterPrimary)
		case string(ocp.ClusterPrimary), string(ocp.ClusterStandby):
		default:
			return fail(c.pos, "type", cp, "%s is not a cluster type; use PRIMARY or STANDBY", safetext.Excerpt(c.Type))
		}
		if c.Status == "" {
			c.Status = string(ocp.ClusterRunning)
		} else if !ocp.ClusterStatus(c.Status).Known() {
			return fail(c.pos, "status", cp, "%s is not a cluster status", safetext.Excerpt(c.Status))
		}
		if c.TenantCount < 0 {
			return fail(c.pos, "tenantCount", cp, "must not be negative")
		}
		if len(c.Zones) == 0 {
			return fail(c.pos, "zones", cp, "cluster %s needs at least one zone", safetext.Excerpt(c.Name))
		}
		zones := map[string]bool{}
		for j := range c.Zones {
			z := &c.Zones[j]
			zp := fmt.Sprintf("%s.zones[%d]", cp, j)
			if z.Name == "" {
				return fail(z.pos, "name", zp, "a zone needs a name")
			}
			if zones[z.Name] {
				return fail(z.pos, "name", zp, "zone name %s is used twice in cluster %s", safetext.Excerpt(z.Name), safetext.Excerpt(c.Name))
			}
			zones[z.Name] = true
			if z.Region == "" {
				z.Region = "default"
			}
			if z.Status == "" {
				z.Status = string(ocp.ServerRunning)
			} else if !ocp.ServerStatus(z.Status).Known() {
				return fail(z.pos, "status", zp, "%s is not a zone status", safetext.Excerpt(z.Status))
			}
			if len(z.Servers) == 0 {
				return fail(z.pos, "servers", zp, "zone %s needs at least one server", safetext.Excerpt(z.Name))
			}
			for k := range z.Servers {
				s := &z.Servers[k]
				sp := serverPath{i, j, k}
				if s.IP == "" {
					return fail(s.pos, "ip", sp.String(), "a server needs an ip")
				}
				a, err := netip.ParseAddr(s.IP)
				if err != nil {
					return fail(s.pos, "ip", sp.String(), "%s is not an IP address", safetext.Excerpt(s.IP))
				}
				if a.Is6() { // an IPv4 address that parses is written as it is
					s.IP = a.String()
				}
				if s.Port == 0 {
					s.Port = 2882
				}
				if s.SQLPort == 0 {
					s.SQLPort = s.Port - 1
				}
				if s.Port < 1 || s.Port > 65535 {
					return fail(s.pos, "port", sp.String(), "%d is not a port number", s.Port)
				}
				if s.SQLPort < 1 || s.SQLPort > 65535 {
					return fail(s.pos, "sqlPort", sp.String(), "%d is not a port number", s.SQLPort)
				}
				addr := netip.AddrPortFrom(a, uint16(s.Port))
				if prev, dup := addrs[addr]; dup {
					return fail(s.pos, "ip", sp.String(), "%s is already %s", addr, prev)
				}
				addrs[addr] = sp
				if s.ID == 0 {
					// Ids given in the file are all in serverIDs; those
					// numbered here only grow, so they need not be.
					for serverIDs[nextServer] {
						nextServer++
					}
					s.ID = nextServer
					nextServer++
				}
				if s.Version == "" {
					s.Version = c.Version
				}
				if s.Status == "" {
					s.Status = string(ocp.ServerRunning)
				} else if !ocp.ServerStatus(s.Status).Known() {
					return fail(s.pos, "status", sp.String(), "%s is not a server status", safetext.Excerpt(s.Status))
				}
				if s.Scenario != "" {
					if _, err := ParseScenario(s.Scenario); err != nil {
						return fail(s.pos, "scenario", sp.String(), "%v", err)
					}
				}
			}
		}
	}
	return nil
}

func clusterPath(i int) string { return fmt.Sprintf("clusters[%d]", i) }

// serverPath is where a server is in its fleet; String words it.
type serverPath [3]int

func (p serverPath) String() string {
	return fmt.Sprintf("clusters[%d].zones[%d].servers[%d]", p[0], p[1], p[2])
}

// clone copies the fleet so normalizing it never touches the caller's.
func (f *Fleet) clone() *Fleet {
	out := &Fleet{Clusters: make([]FleetCluster, len(f.Clusters))}
	for i, c := range f.Clusters {
		zones := make([]FleetZone, len(c.Zones))
		for j, z := range c.Zones {
			z.Servers = append([]FleetServer(nil), z.Servers...)
			zones[j] = z
		}
		c.Zones = zones
		out.Clusters[i] = c
	}
	return out
}
