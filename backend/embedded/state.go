package embedded

import (
	"math"
	"net"
	"strconv"
	"time"

	"github.com/obconsole/obconsole/backend/ocp"
)

// The live fleet. Clusters and zones are few and keep their OCP form; a
// server is a compact record (about 120 bytes, its texts shared with its
// zone and cluster) from which its OCP form is made on every read, so a
// fleet of 100,000 servers costs a few tens of megabytes.

type cluster struct {
	w     ocp.Cluster // Zones left empty; built on read
	zones []*zone
}

type zone struct {
	w       ocp.Zone // Servers left empty; built on read
	cluster *cluster
	servers []*server
	task    *task // running zone restart
}

type server struct {
	zone     *zone
	scenario *Scenario // nil: the run's
	task     *task     // the running task holding this server
	id       int64
	hostID   int64
	ip       string
	version  string // the cluster's, unless the fleet gives the server its own
	status   ocp.ServerStatus
	port     uint16
	sqlPort  uint16
	withRS   bool // holds a root service replica
	started  stamp
	stopped  stamp
	updated  stamp
}

// stamp is a time as nanoseconds from the executor's epoch: a third of
// an ocp.Time.
type stamp int64

// never is the stamp of a time that has not happened.
const never stamp = math.MinInt64

func (e *Executor) stampOf(t time.Time) stamp {
	if t.IsZero() {
		return never
	}
	return stamp(t.Sub(e.epoch))
}

func (e *Executor) timeOf(s stamp) ocp.Time {
	if s == never {
		return ocp.Time{}
	}
	return ocp.NewTime(e.epoch.Add(time.Duration(s)))
}

// address is ip:port, the way operators name a server.
func (s *server) address() string {
	return net.JoinHostPort(s.ip, strconv.Itoa(int(s.port)))
}

// view is the server as OCP lists it.
func (e *Executor) view(s *server) ocp.Server {
	z := &s.zone.w
	return ocp.Server{
		ID: s.id, IP: s.ip, Port: int(s.port), SQLPort: int(s.sqlPort), Version: s.version,
		WithRootserver: s.withRS, Status: s.status, InnerStatus: innerStatus(s.status),
		ClusterID: z.ClusterID, ZoneName: z.Name, RegionName: z.RegionName, IDCName: z.IDCName, HostID: s.hostID,
		StartTime: e.timeOf(s.started), StopTime: e.timeOf(s.stopped), UpdateTime: e.timeOf(s.updated),
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

func (e *Executor) setServerStatus(s *server, st ocp.ServerStatus, at time.Time) {
	s.status = st
	s.updated = e.stampOf(at)
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
