package ocp

import (
	"encoding/json"
	"fmt"
	"net"
	"strconv"
)

// RootServer is one root-service replica of a cluster. Zones have been seen
// to carry it as a bare address string; that form is kept for re-encoding.
type RootServer struct {
	Address  string     `json:"address"`
	Role     string     `json:"role,omitempty"`
	SQLPort  int        `json:"sql_port,omitempty"`
	wireMeta `json:"-"` // Extra: the members this type does not model

	asString bool
}

// rootServerWire is RootServer without its methods, for encoding/json.
type rootServerWire RootServer

func (r *RootServer) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		*r = RootServer{asString: true}
		return json.Unmarshal(b, &r.Address)
	}
	return decodeInto(b, (*rootServerWire)(r))
}

func (r RootServer) MarshalJSON() ([]byte, error) {
	if r.asString {
		return json.Marshal(r.Address)
	}
	return encodeWire(rootServerWire(r), nil)
}

// Cluster is an OceanBase cluster as OCP lists it.
type Cluster struct {
	ID          int64         `json:"id"`
	Name        string        `json:"name"`
	ObClusterID int64         `json:"obClusterId,omitempty"`
	ObVersion   string        `json:"obVersion,omitempty"`
	Type        ClusterType   `json:"type,omitempty"` // a STANDBY follows its PRIMARY: SyncStatus says how well
	Status      ClusterStatus `json:"status"`
	RegionCount int           `json:"regionCount"`
	ServerCount int           `json:"serverCount"`
	TenantCount int           `json:"tenantCount"`
	Zones       []Zone        `json:"zones,omitempty"` // without their servers in the cluster list
	RootServers []RootServer  `json:"rootServers,omitempty"`
	SyncStatus  string        `json:"syncStatus,omitempty"`
	CreateTime  Time          `json:"createTime,omitzero"`
	UpdateTime  Time          `json:"updateTime,omitzero"`
	wireMeta    `json:"-"`    // Extra: the members this type does not model
}

// Zone is one zone of a cluster; it may embed its servers.
type Zone struct {
	Name             string      `json:"name"`
	ClusterID        int64       `json:"clusterId"`
	ObClusterID      int64       `json:"obClusterId,omitempty"`
	RegionName       string      `json:"regionName,omitempty"`
	IDCName          string      `json:"idcName,omitempty"`
	IDCID            int64       `json:"idcId,omitempty"`
	Status           ZoneStatus  `json:"status"`
	InnerStatus      string      `json:"innerStatus,omitempty"` // an InnerStatus
	OperateStatus    string      `json:"operateStatus,omitempty"`
	CompactionStatus string      `json:"compactionStatus,omitempty"`
	ServerCount      int         `json:"serverCount"`
	HostCount        int         `json:"hostCount,omitempty"`
	RootServer       *RootServer `json:"rootServer,omitempty"`
	Servers          []Server    `json:"servers,omitempty"`
	wireMeta         `json:"-"`  // Extra: the members this type does not model
}

// Inner is the zone's status as OceanBase reports it.
func (z Zone) Inner() InnerStatus { return InnerStatus(z.InnerStatus) }

// Server is one OBServer. Port is the RPC port (2882 by convention).
type Server struct {
	ID      int64  `json:"id"`
	IP      string `json:"ip"`
	Port    int    `json:"port"`
	SQLPort int    `json:"sqlPort"`
	Version string `json:"version,omitempty"`
	// OCP spells it withRootserver in JSON and withRootServer in its docs;
	// encoding/json's case-insensitive match accepts both.
	WithRootserver bool         `json:"withRootserver"`
	Status         ServerStatus `json:"status"`
	InnerStatus    string       `json:"innerStatus,omitempty"` // an InnerStatus
	ClusterID      int64        `json:"clusterId"`
	ZoneName       string       `json:"zoneName"`
	RegionName     string       `json:"regionName,omitempty"`
	IDCName        string       `json:"idcName,omitempty"`
	HostID         int64        `json:"hostId,omitempty"`
	StartTime      Time         `json:"startTime,omitzero"`
	StopTime       Time         `json:"stopTime,omitzero"`
	UpdateTime     Time         `json:"updateTime,omitzero"`
	wireMeta       `json:"-"`   // Extra: the members this type does not model
}

// Inner is the server's status as OceanBase reports it.
func (s Server) Inner() InnerStatus { return InnerStatus(s.InnerStatus) }

// Address is ip:port, the way operators name a server.
func (s Server) Address() string { return net.JoinHostPort(s.IP, strconv.Itoa(s.Port)) }

// Creator is who started a task: a bare user name in some builds, an
// object {id, name} in others. The form it came in is kept.
type Creator struct {
	ID       int64
	Name     string
	IsObject bool
	wireMeta // Extra: the members of the object form this type does not model
}

// creatorObject is the object form of Creator. OCP Express sends only the
// name.
type creatorObject struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	wireMeta `json:"-"`
}

func (c Creator) String() string {
	if c.Name == "" && c.ID != 0 {
		return fmt.Sprintf("user %d", c.ID)
	}
	return c.Name
}

// IsZero lets `omitzero` drop an absent creator.
func (c Creator) IsZero() bool { return c.Name == "" && c.ID == 0 && !c.IsObject }

func (c *Creator) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		*c = Creator{}
		return json.Unmarshal(b, &c.Name)
	}
	var p creatorObject
	if ok, err := decodeWire(b, &p); !ok {
		return err
	}
	*c = Creator{ID: p.ID, Name: p.Name, IsObject: true, wireMeta: p.wireMeta}
	return nil
}

func (c Creator) MarshalJSON() ([]byte, error) {
	if !c.IsObject {
		return json.Marshal(c.Name)
	}
	return encodeWire(creatorObject{c.ID, c.Name, c.wireMeta}, nil)
}
