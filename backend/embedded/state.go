package embedded

import (
	"net"
	"strconv"
	"time"

	"github.com/obconsole/obconsole/backend/ocp"
)

// build turns a normalized fleet into the live state. Ages (cluster
// creation, server start) are drawn from the seed so the same seed shows
// the same fleet.
func (e *Executor) build(f *Fleet, now time.Time) {
	idcIDs := map[string]int64{}
	hostIDs := map[string]int64{}
	for ci := range f.Clusters {
		fc := &f.Clusters[ci]
		c := &cluster{w: ocp.Cluster{
			ID: fc.ID, Name: fc.Name, ObClusterID: fc.ObClusterID, ObVersion: fc.Version,
			Type: ocp.ClusterType(fc.Type), Status: ocp.ClusterStatus(fc.Status), TenantCount: fc.TenantCount,
			CreateTime: ocp.NewTime(now.Add(-time.Duration(200+e.rand(uint64(fc.ID), 0, saltAge)*400) * 24 * time.Hour).Truncate(time.Second)),
			UpdateTime: ocp.NewTime(now.Add(-time.Duration(5+e.rand(uint64(fc.ID), 1, saltAge)*55) * time.Minute).Truncate(time.Second)),
		}}
		regions := map[string]bool{}
		explicitRS := false
		for _, fz := range fc.Zones {
			for _, fs := range fz.Servers {
				explicitRS = explicitRS || fs.RootServer
			}
		}
		for _, fz := range fc.Zones {
			regions[fz.Region] = true
			idc := fz.IDC
			if idc != "" && idcIDs[idc] == 0 {
				idcIDs[idc] = 15000001 + int64(len(idcIDs))
			}
			z := &zone{cluster: c, w: ocp.Zone{
				Name: fz.Name, ClusterID: c.w.ID, ObClusterID: c.w.ObClusterID, RegionName: fz.Region,
				IDCName: idc, IDCID: idcIDs[idc], Status: ocp.ZoneStatus(fz.Status), InnerStatus: "ACTIVE",
				CompactionStatus: "IDLE", ServerCount: len(fz.Servers),
			}}
			hosts := map[string]bool{}
			for si, fs := range fz.Servers {
				if hostIDs[fs.IP] == 0 {
					hostIDs[fs.IP] = 14000001 + int64(len(hostIDs))
				}
				hosts[fs.IP] = true
				age := time.Duration(2+e.rand(uint64(fs.ID), 0, saltAge)*60*24) * time.Hour
				age += time.Duration(e.rand(uint64(fs.ID), 1, saltAge)*3600) * time.Second
				s := &server{zone: z, w: ocp.Server{
					ID: fs.ID, IP: fs.IP, Port: fs.Port, SQLPort: fs.SQLPort, Version: fs.Version,
					WithRootserver: fs.RootServer || (!explicitRS && si == 0),
					Status:         ocp.ServerStatus(fs.Status), ClusterID: c.w.ID, ZoneName: z.w.Name,
					RegionName: fz.Region, IDCName: idc, HostID: hostIDs[fs.IP],
					StartTime:  ocp.NewTime(now.Add(-age).Truncate(time.Second)),
					UpdateTime: c.w.UpdateTime,
				}}
				s.w.InnerStatus = innerStatus(s.w.Status)
				if fs.Scenario != "" {
					sc, _ := ParseScenario(fs.Scenario) // checked by normalize
					s.scenario = &sc
				}
				if s.w.WithRootserver {
					rs := ocp.RootServer{Address: net.JoinHostPort(s.w.IP, strconv.Itoa(s.w.Port)), SQLPort: s.w.SQLPort, Role: "FOLLOWER"}
					if len(c.w.RootServers) == 0 {
						rs.Role = "LEADER"
					}
					c.w.RootServers = append(c.w.RootServers, rs)
					if z.w.RootServer == nil {
						zrs := rs
						z.w.RootServer = &zrs
					}
				}
				z.servers = append(z.servers, s)
				e.serverByID[s.w.ID] = s
				c.w.ServerCount++
			}
			z.w.HostCount = len(hosts)
			c.zones = append(c.zones, z)
		}
		c.w.RegionCount = len(regions)
		e.clusters = append(e.clusters, c)
		e.clusterByID[c.w.ID] = c
	}
}

// innerStatus is the observer's own view OCP shows beside the status.
func innerStatus(s ocp.ServerStatus) string {
	switch s {
	case ocp.ServerRunning:
		return "ACTIVE"
	case ocp.ServerRestarting, ocp.ServerStarting, ocp.ServerStopping:
		return "INACTIVE"
	case ocp.ServerStopped:
		return "STOPPED"
	case ocp.ServerUnavailable:
		return "INACTIVE"
	}
	return ""
}

func setServerStatus(s *server, st ocp.ServerStatus, at time.Time) {
	s.w.Status = st
	s.w.InnerStatus = innerStatus(st)
	s.w.UpdateTime = ocp.NewTime(at)
}

// Randomness is a pure function of (seed, id, n, salt), not a shared
// stream: the same seed gives the same drill whatever order concurrent
// restarts happen to run in.
const (
	saltAge uint64 = iota + 1
	saltDuration
	saltDispatch
	saltPID
	saltDetail
	saltFreeze
)

func (e *Executor) rand(id, n, salt uint64) float64 {
	x := e.seed ^ id*0x9e3779b97f4a7c15 ^ n*0xbf58476d1ce4e5b9 ^ salt*0x94d049bb133111eb
	// splitmix64 finalizer
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return float64(x>>11) / (1 << 53)
}
