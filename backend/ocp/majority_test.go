package ocp

import (
	"slices"
	"strings"
	"testing"
)

// fleet3 is a cluster of three zones: zone1 with servers 1 (root) and 2,
// zone2 with 3 (root) and 4, zone3 with 5 (root); statuses override
// RUNNING by server id.
func fleet3(down map[int64]ServerStatus) ([]Zone, []Server) {
	zones := []Zone{{Name: "zone1", Status: ZoneRunning}, {Name: "zone2", Status: ZoneRunning}, {Name: "zone3", Status: ZoneRunning}}
	var servers []Server
	for id, zone := range map[int64]string{1: "zone1", 2: "zone1", 3: "zone2", 4: "zone2", 5: "zone3"} {
		st := ServerRunning
		if d, ok := down[id]; ok {
			st = d
		}
		servers = append(servers, Server{ID: id, IP: "192.0.2." + string(rune('0'+id)), Port: 2882, ZoneName: zone,
			Status: st, WithRootserver: id == 1 || id == 3 || id == 5})
	}
	slices.SortFunc(servers, func(a, b Server) int { return int(a.ID - b.ID) })
	return zones, servers
}

func TestAssessRestart(t *testing.T) {
	for _, tc := range []struct {
		name       string
		down       map[int64]ServerStatus
		zoneStatus map[string]ZoneStatus
		target     RestartTarget
		now, after int
		loses      bool
		refuses    bool     // a normal restart's pre-check
		othersDown []string // zones other than the target's not serving
		restarted  []int64
		roots      []int64
		verdict    string
	}{
		{name: "healthy, one server", target: RestartTarget{ServerID: 2},
			now: 3, after: 2, restarted: []int64{2},
			verdict: "after this restart 2 of 3 zones serve; the majority of 2 holds"},
		{name: "root server", target: RestartTarget{ServerID: 1},
			now: 3, after: 2, restarted: []int64{1}, roots: []int64{1},
			verdict: "after this restart 2 of 3 zones serve; the majority of 2 holds"},
		{name: "one zone down, restart in another", down: map[int64]ServerStatus{4: ServerUnavailable}, target: RestartTarget{ServerID: 5},
			now: 2, after: 1, loses: true, refuses: true, othersDown: []string{"zone2"}, restarted: []int64{5}, roots: []int64{5},
			verdict: "after this restart 1 of 3 zones serve: below the majority of 2"},
		{name: "one zone down, restart inside it", down: map[int64]ServerStatus{4: ServerUnavailable}, target: RestartTarget{ServerID: 3},
			now: 2, after: 2, restarted: []int64{3}, roots: []int64{3},
			verdict: "after this restart 2 of 3 zones serve; the majority of 2 holds"},
		{name: "last healthy server of a zone", down: map[int64]ServerStatus{1: ServerStopped}, target: RestartTarget{ServerID: 2},
			now: 2, after: 2, restarted: []int64{2},
			verdict: "after this restart 2 of 3 zones serve; the majority of 2 holds"},
		{name: "zone status alone takes a zone down", zoneStatus: map[string]ZoneStatus{"zone3": ZoneRestarting}, target: RestartTarget{ServerID: 2},
			now: 2, after: 1, loses: true, refuses: true, othersDown: []string{"zone3"}, restarted: []int64{2},
			verdict: "after this restart 1 of 3 zones serve: below the majority of 2"},
		{name: "zone restart, healthy", target: RestartTarget{Zone: "zone2"},
			now: 3, after: 2, restarted: []int64{3, 4}, roots: []int64{3},
			verdict: "after this restart 2 of 3 zones serve; the majority of 2 holds"},
		{name: "zone restart, another zone down", down: map[int64]ServerStatus{5: ServerStopped}, target: RestartTarget{Zone: "zone1"},
			now: 2, after: 1, loses: true, refuses: true, othersDown: []string{"zone3"}, restarted: []int64{1, 2}, roots: []int64{1},
			verdict: "after this restart 1 of 3 zones serve: below the majority of 2"},
		{name: "zone restart of the zone that is down", down: map[int64]ServerStatus{5: ServerStopped}, target: RestartTarget{Zone: "zone3"},
			now: 2, after: 2, restarted: []int64{5}, roots: []int64{5},
			verdict: "after this restart 2 of 3 zones serve; the majority of 2 holds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			zones, servers := fleet3(tc.down)
			for i := range zones {
				if st, ok := tc.zoneStatus[zones[i].Name]; ok {
					zones[i].Status = st
				}
			}
			imp := AssessRestart(zones, servers, tc.target)
			if imp.Total() != 3 || imp.Majority != 2 || imp.ServingNow != tc.now || imp.ServingAfter != tc.after {
				t.Errorf("total %d majority %d now %d after %d; want 3 2 %d %d", imp.Total(), imp.Majority, imp.ServingNow, imp.ServingAfter, tc.now, tc.after)
			}
			if imp.LosesMajority() != tc.loses || imp.PrecheckRefuses() != tc.refuses {
				t.Errorf("loses %v refuses %v; want %v %v", imp.LosesMajority(), imp.PrecheckRefuses(), tc.loses, tc.refuses)
			}
			var down []string
			for _, z := range imp.OthersDown() {
				down = append(down, z.Name)
			}
			if !slices.Equal(down, tc.othersDown) {
				t.Errorf("others down %v, want %v", down, tc.othersDown)
			}
			if ids := idsOf(imp.Restarted); !slices.Equal(ids, tc.restarted) {
				t.Errorf("restarted %v, want %v", ids, tc.restarted)
			}
			if ids := idsOf(imp.RootServers()); !slices.Equal(ids, tc.roots) {
				t.Errorf("root servers %v, want %v", ids, tc.roots)
			}
			if got := imp.Verdict(); got != tc.verdict {
				t.Errorf("verdict %q, want %q", got, tc.verdict)
			}
		})
	}
}

func idsOf(servers []Server) []int64 {
	var ids []int64
	for _, s := range servers {
		ids = append(ids, s.ID)
	}
	return ids
}

func TestAssessRestartSmallClustersAndStrayZones(t *testing.T) {
	// Two healthy zones: a restart leaves 1 of 2, below the majority of 2,
	// but the pre-check does not refuse a healthy cluster's restart.
	zones := []Zone{{Name: "a", Status: ZoneRunning}, {Name: "b", Status: ZoneRunning}}
	servers := []Server{{ID: 1, ZoneName: "a", Status: ServerRunning}, {ID: 2, ZoneName: "b", Status: ServerRunning}}
	imp := AssessRestart(zones, servers, RestartTarget{ServerID: 1})
	if !imp.LosesMajority() || imp.PrecheckRefuses() || imp.Target.Zone != "a" {
		t.Errorf("two zones: loses %v refuses %v zone %q", imp.LosesMajority(), imp.PrecheckRefuses(), imp.Target.Zone)
	}
	// One zone: the singular, and no majority left.
	imp = AssessRestart(zones[:1], servers[:1], RestartTarget{Zone: "a"})
	if got := imp.Verdict(); got != "after this restart 0 of 1 zone serves: below the majority of 1" {
		t.Errorf("one zone: %q", got)
	}
	// A zone only the server list names counts, in list order after the
	// zone list's; its unknown status does not take it down.
	servers = append(servers, Server{ID: 3, ZoneName: "c", Status: ServerRunning})
	imp = AssessRestart(zones, servers, RestartTarget{ServerID: 3})
	if imp.Total() != 3 || imp.Zones[2].Name != "c" || imp.ServingNow != 3 || imp.Target.Zone != "c" {
		t.Errorf("stray zone: %+v", imp)
	}
	// A server the list does not name keeps the zone it was given.
	imp = AssessRestart(zones, servers, RestartTarget{ServerID: 99, Zone: "b"})
	if imp.Target.Zone != "b" || len(imp.Restarted) != 0 || imp.ServingAfter != 2 {
		t.Errorf("unknown server: %+v", imp)
	}
	if z, ok := imp.TargetZone(); !ok || z.Name != "b" {
		t.Errorf("target zone %+v %v", z, ok)
	}
	if f := (ZoneHealth{Name: "x", Status: ZoneUnavailable, Down: []Server{{IP: "192.0.2.9", Port: 2882, Status: ServerStopped}}}).Faults(); strings.Join(f, "; ") != "zone UNAVAILABLE; 192.0.2.9:2882 STOPPED" {
		t.Errorf("faults %v", f)
	}
}
