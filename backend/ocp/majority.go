package ocp

import (
	"slices"
	"strconv"
)

// The majority arithmetic of a restart: what taking a server or a zone
// down does to its cluster. Every zone of an OceanBase cluster holds a
// replica of every log stream, and a log stream serves while a majority of
// its replicas do; so the cluster serves while a majority of its zones
// serve. The console's restart dialogs and the simulator's pre-check both
// read it here, so what the dialog predicts is what the pre-check decides.
//
// A zone serves when its status is RUNNING (or unknown, for a zone only
// the server list names) and every server in it is RUNNING: a zone with a
// server down has lost the replicas that server held. A restart takes the
// target's whole zone out of that count while it runs (a server's replicas
// are that zone's), whether the target is one server or the zone.

// RestartTarget is what a restart takes down: one server (ServerID), or a
// whole zone (ServerID 0). Zone names the server's zone when the server
// list does not.
type RestartTarget struct {
	ServerID int64
	Zone     string
}

// ZoneHealth is one zone of a cluster as the arithmetic sees it.
type ZoneHealth struct {
	Name    string
	Status  ZoneStatus // "" when only the server list names the zone
	Servers []Server
	Down    []Server // its servers that are not RUNNING
}

// Serving reports whether the zone serves: it and all its servers RUNNING.
func (z ZoneHealth) Serving() bool {
	return (z.Status == "" || z.Status == ZoneRunning) && len(z.Down) == 0
}

// Faults name what keeps the zone from serving ("zone UNAVAILABLE",
// "192.0.2.12:2882 STOPPED"), in that order; none when it serves.
func (z ZoneHealth) Faults() []string {
	var out []string
	if z.Status != "" && z.Status != ZoneRunning {
		out = append(out, "zone "+string(z.Status))
	}
	for _, s := range z.Down {
		out = append(out, s.Address()+" "+string(s.Status))
	}
	return out
}

// RestartImpact is what a restart does to its cluster's majority.
type RestartImpact struct {
	Target RestartTarget // Zone filled in from the server list
	// Zones are the cluster's zones: those of the zone list in its order,
	// then any only the server list names.
	Zones []ZoneHealth
	// Restarted are the servers the restart takes down.
	Restarted []Server
	// ServingNow counts the zones serving now, ServingAfter those still
	// serving once the restart has taken the target's zone down; Majority
	// is how many must serve for the cluster to keep its majority.
	ServingNow, ServingAfter, Majority int
}

// AssessRestart works out what restarting target does to the cluster whose
// zones and servers are given (as OCP lists them, fresh).
func AssessRestart(zones []Zone, servers []Server, target RestartTarget) RestartImpact {
	imp := RestartImpact{Target: target}
	index := map[string]int{}
	add := func(name string, status ZoneStatus) int {
		if i, ok := index[name]; ok {
			return i
		}
		index[name] = len(imp.Zones)
		imp.Zones = append(imp.Zones, ZoneHealth{Name: name, Status: status})
		return len(imp.Zones) - 1
	}
	for _, z := range zones {
		add(z.Name, z.Status)
	}
	for _, s := range servers {
		if target.ServerID != 0 && s.ID == target.ServerID {
			imp.Target.Zone = s.ZoneName
		}
		z := &imp.Zones[add(s.ZoneName, "")]
		z.Servers = append(z.Servers, s)
		if s.Status != ServerRunning {
			z.Down = append(z.Down, s)
		}
	}
	for _, z := range imp.Zones {
		switch {
		case z.Name != imp.Target.Zone:
			if z.Serving() {
				imp.ServingNow++
				imp.ServingAfter++
			}
			continue
		case z.Serving():
			imp.ServingNow++
		}
		for _, s := range z.Servers {
			if target.ServerID == 0 || s.ID == target.ServerID {
				imp.Restarted = append(imp.Restarted, s)
			}
		}
	}
	imp.Majority = len(imp.Zones)/2 + 1
	return imp
}

// Total is how many zones the cluster has.
func (i RestartImpact) Total() int { return len(i.Zones) }

// LosesMajority reports whether fewer than a majority of zones serve once
// the restart has taken the target's zone down.
func (i RestartImpact) LosesMajority() bool { return i.ServingAfter < i.Majority }

// OthersDown are the zones, other than the target's, that do not serve.
func (i RestartImpact) OthersDown() []ZoneHealth {
	var out []ZoneHealth
	for _, z := range i.Zones {
		if z.Name != i.Target.Zone && !z.Serving() {
			out = append(out, z)
		}
	}
	return out
}

// OthersServing are the names of the zones, other than the target's, that
// serve.
func (i RestartImpact) OthersServing() []string {
	var out []string
	for _, z := range i.Zones {
		if z.Name != i.Target.Zone && z.Serving() {
			out = append(out, z.Name)
		}
	}
	return out
}

// TargetZone is the target's zone; ok is false when no list names it.
func (i RestartImpact) TargetZone() (ZoneHealth, bool) {
	k := slices.IndexFunc(i.Zones, func(z ZoneHealth) bool { return z.Name == i.Target.Zone })
	if k < 0 {
		return ZoneHealth{Name: i.Target.Zone}, false
	}
	return i.Zones[k], true
}

// RootServers are the restarted servers that hold a root service replica.
func (i RestartImpact) RootServers() []Server {
	var out []Server
	for _, s := range i.Restarted {
		if s.WithRootserver {
			out = append(out, s)
		}
	}
	return out
}

// PrecheckRefuses reports whether a normal restart's pre-check refuses it
// for the cluster's sake: a zone restart while any other zone does not
// serve; a server restart while another zone does not serve and the
// restart would leave fewer than a majority serving. A cluster whose other
// zones all serve is never refused a server restart on these grounds (one
// of one or two zones cannot keep a majority through any restart).
// Whether the target server itself is RUNNING is the pre-check's other
// rule, not the majority's.
func (i RestartImpact) PrecheckRefuses() bool {
	down := len(i.OthersDown()) > 0
	if i.Target.ServerID == 0 {
		return down
	}
	return down && i.LosesMajority()
}

// Verdict is the arithmetic in one sentence: "after this restart 1 of 3
// zones serve: below the majority of 2", or "... serve; the majority of 2
// holds".
func (i RestartImpact) Verdict() string {
	s := "after this restart " + strconv.Itoa(i.ServingAfter) + " of " + strconv.Itoa(i.Total()) + " zones serve"
	if i.Total() == 1 {
		s = "after this restart " + strconv.Itoa(i.ServingAfter) + " of 1 zone serves"
	}
	if i.LosesMajority() {
		return s + ": below the majority of " + strconv.Itoa(i.Majority)
	}
	return s + "; the majority of " + strconv.Itoa(i.Majority) + " holds"
}
