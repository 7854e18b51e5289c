package embedded

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

func TestDemoFleet(t *testing.T) {
	e, _ := newTestExecutor(t, Options{})
	clusters, err := e.ListClusters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(clusters) != 3 {
		t.Fatalf("%d clusters, want 3", len(clusters))
	}
	docNets := []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("198.51.100.0/24"), netip.MustParsePrefix("203.0.113.0/24")}
	types := map[ocp.ClusterType]int{}
	unavailable := []int64{}
	for _, c := range clusters {
		types[c.Type]++
		if c.Status != ocp.ClusterRunning || c.ObVersion == "" || c.RegionCount < 1 || len(c.RootServers) == 0 || c.TenantCount == 0 || c.CreateTime.IsZero() {
			t.Errorf("cluster %s: %+v", c.Name, c)
		}
		if c.ID < 12000001 || c.ID > 12000003 {
			t.Errorf("cluster %s id %d", c.Name, c.ID)
		}
		zones, _ := e.ListZones(ctx, c.ID)
		if len(zones) != 3 || len(c.Zones) != 3 {
			t.Errorf("cluster %s has %d zones", c.Name, len(zones))
		}
		n := 0
		for _, z := range zones {
			if len(z.Servers) < 1 || len(z.Servers) > 3 || z.ServerCount != len(z.Servers) || z.RegionName == "" || z.IDCName == "" || z.RootServer == nil {
				t.Errorf("zone %s/%s: %+v", c.Name, z.Name, z)
			}
			for _, s := range z.Servers {
				n++
				a := netip.MustParseAddr(s.IP)
				if !docNets[0].Contains(a) && !docNets[1].Contains(a) && !docNets[2].Contains(a) {
					t.Errorf("server %s outside the documentation ranges", s.IP)
				}
				if s.Port != 2882 || s.SQLPort != 2881 || s.ID < 13000001 || s.Version != c.ObVersion || s.ZoneName != z.Name || s.ClusterID != c.ID || s.StartTime.IsZero() {
					t.Errorf("server %+v", s)
				}
				if s.Status == ocp.ServerUnavailable {
					unavailable = append(unavailable, s.ID)
				}
			}
		}
		if n != c.ServerCount {
			t.Errorf("cluster %s counts %d servers, has %d", c.Name, c.ServerCount, n)
		}
	}
	if types[ocp.ClusterPrimary] != 2 || types[ocp.ClusterStandby] != 1 {
		t.Errorf("cluster types %v", types)
	}
	if len(unavailable) != 1 || unavailable[0] != DemoUnavailableServerID {
		t.Errorf("UNAVAILABLE servers %v, want [%d]", unavailable, DemoUnavailableServerID)
	}
	s := serverStatus(t, e, DemoPrimaryClusterID, DemoSampleServerID)
	if s.IP != "192.0.2.12" || s.ZoneName != "zone2" {
		t.Errorf("the sample server is %s in %s", s.Address(), s.ZoneName)
	}
	zone2, _ := e.ListServers(ctx, DemoPrimaryClusterID, "zone2")
	if len(zone2) != 2 {
		t.Errorf("protoss zone2 lists %d servers", len(zone2))
	}
}

func TestFleetFiles(t *testing.T) {
	e, clk := newTestExecutor(t, Options{FleetFile: "testdata/fleet.yaml"})
	if d := e.Describe().String(); d != "embedded fleet testdata/fleet.yaml" {
		t.Errorf("describe %q", d)
	}
	clusters, _ := e.ListClusters(ctx)
	if len(clusters) != 1 || clusters[0].Name != "aiur" || clusters[0].ID != 12000101 || clusters[0].TenantCount != 3 || clusters[0].RegionCount != 2 {
		t.Fatalf("clusters %+v", clusters)
	}
	servers, _ := e.ListServers(ctx, 12000101, "")
	if len(servers) != 4 {
		t.Fatalf("%d servers", len(servers))
	}
	byIP := map[string]ocp.Server{}
	for _, s := range servers {
		byIP[s.IP] = s
	}
	if s := byIP["192.0.2.103"]; s.Port != 2892 || s.SQLPort != 2891 || s.Status != ocp.ServerStopped || !s.WithRootserver {
		t.Errorf("zone3 server %+v", s)
	}
	if s := byIP["192.0.2.104"]; s.ID == 0 || s.Port != 2882 || s.SQLPort != 2881 || s.Status != ocp.ServerRunning || s.WithRootserver || s.Version != "4.2.1.8" {
		t.Errorf("defaults not applied: %+v", s)
	}
	// The per-server scenario from the file applies to that server only.
	task := restart(t, e, 12000101, byIP["192.0.2.104"].ID, true)
	if got := runToEnd(t, e, clk, task.ID); got.Status != ocp.TaskFailed || mustStep(t, got, "Wait observer active").Status != ocp.SubtaskFailed {
		t.Errorf("fail-once from the file: %s", got.Status)
	}

	j, _ := newTestExecutor(t, Options{FleetFile: "testdata/fleet.json"})
	clusters, _ = j.ListClusters(ctx)
	if len(clusters) != 1 || clusters[0].Type != ocp.ClusterStandby || clusters[0].ID != 12000001 {
		t.Fatalf("JSON fleet %+v", clusters)
	}
	servers, _ = j.ListServers(ctx, 12000001, "")
	if len(servers) != 2 || servers[0].ID != 13000901 || servers[1].ID != 13000001 {
		t.Errorf("JSON fleet servers %+v", servers)
	}
}

func TestBadFleetFilesNameFieldAndLine(t *testing.T) {
	cases := []struct {
		name, doc string
		line      int
		field     string
		msg       string
	}{
		{"unknown field", `
clusters:
  - name: a
    zones:
      - name: z
        servers:
          - ip: 192.0.2.1
            prot: 2882
`, 8, "clusters[0].zones[0].servers[0].prot", "unknown field; known fields here: id, ip, port,"},
		{"bad ip", `
clusters:
  - name: a
    zones:
      - name: z
        servers:
          - ip: 192.0.2.1
          - ip: 192.0.2.300
`, 8, "clusters[0].zones[0].servers[1].ip", `"192.0.2.300" is not an IP address`},
		{"port not a number", `
clusters:
  - name: a
    zones:
      - name: z
        servers:
          - ip: 192.0.2.1
            port: twenty
`, 8, "clusters[0].zones[0].servers[0].port", `want a whole number, got "twenty"`},
		{"port out of range", `
clusters:
  - name: a
    zones:
      - name: z
        servers:
          - ip: 192.0.2.1
            port: 70000
`, 8, "clusters[0].zones[0].servers[0].port", "70000 is not a port number"},
		{"duplicate address", `
clusters:
  - name: a
    zones:
      - name: z1
        servers: [{ip: 192.0.2.1}]
      - name: z2
        servers:
          - ip: 192.0.2.1
`, 9, "clusters[0].zones[1].servers[0].ip", "192.0.2.1:2882 is already clusters[0].zones[0].servers[0]"},
		{"bad type", `
clusters:
  - name: a
    type: SECONDARY
    zones: []
`, 4, "clusters[0].type", `"SECONDARY" is not a cluster type; use PRIMARY or STANDBY`},
		{"bad status", `
clusters:
  - name: a
    zones:
      - name: z
        servers:
          - ip: 192.0.2.1
            status: ASLEEP
`, 8, "clusters[0].zones[0].servers[0].status", `"ASLEEP" is not a server status`},
		{"bad scenario", `
clusters:
  - name: a
    zones:
      - name: z
        servers:
          - ip: 192.0.2.1
            scenario: hang:coffee
`, 8, "clusters[0].zones[0].servers[0].scenario", `unknown step "coffee"`},
		{"missing name", `
clusters:
  - zones:
      - name: z
        servers: [{ip: 192.0.2.1}]
`, 3, "clusters[0].name", "a cluster needs a name"},
		{"duplicate cluster", `
clusters:
  - name: a
    zones: [{name: z, servers: [{ip: 192.0.2.1}]}]
  - name: a
    zones: [{name: z, servers: [{ip: 192.0.2.2}]}]
`, 5, "clusters[1].name", `cluster name "a" is used twice`},
		{"duplicate server id", `
clusters:
  - name: a
    zones:
      - name: z
        servers:
          - {id: 5, ip: 192.0.2.1}
          - id: 5
            ip: 192.0.2.2
`, 8, "clusters[0].zones[0].servers[1].id", "id 5 is used by another server"},
		{"zone without servers", `
clusters:
  - name: a
    zones:
      - name: z
`, 5, "clusters[0].zones[0].servers", `zone "z" needs at least one server`},
		{"zones not a list", `
clusters:
  - name: a
    zones: zone1
`, 4, "clusters[0].zones", `want a list, got "zone1"`},
		{"no clusters", `clusters: []
`, 1, "clusters", "at least one cluster"},
		{"no clusters key", `servers: []
`, 1, "servers", "unknown field; known fields here: clusters"},
		{"syntax", `
clusters:
  - name: [a
`, 3, "", "did not find expected ',' or ']'"},
		{"json syntax", `{"clusters": [
  {"name": "a"
]}`, 2, "", "did not find expected ',' or '}'"},
		{"scanner error", `
clusters:
  - name: a
    zones: @
`, 4, "", "found character that cannot start any token"},
		{"duplicate field", `
clusters:
  - name: a
    zones: []
    name: b
`, 5, "clusters[0].name", "given twice (first on line 3)"},
		{"empty", ``, 1, "", "the file is empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "fleet.yaml")
			if err := os.WriteFile(path, []byte(c.doc), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := New(Options{FleetFile: path, Clock: NewFakeClock(testStart)})
			var fe *FleetError
			if !errors.As(err, &fe) || backend.KindOf(err) != backend.BadRequest {
				t.Fatalf("error %v, want a BadRequest wrapping a FleetError", err)
			}
			if fe.File != "fleet.yaml" || fe.Line != c.line || fe.Field != c.field || !strings.Contains(fe.Msg, c.msg) {
				t.Errorf("got file %q line %d field %q msg %q\nwant line %d field %q msg containing %q", fe.File, fe.Line, fe.Field, fe.Msg, c.line, c.field, c.msg)
			}
			if !strings.Contains(err.Error(), "line "+strconv.Itoa(c.line)) {
				t.Errorf("message %q does not name the line", err)
			}
		})
	}
}

func TestFleetInCodeIsCheckedAndNeverModified(t *testing.T) {
	f := &Fleet{Clusters: []FleetCluster{{Name: "x", Zones: []FleetZone{{Name: "z", Servers: []FleetServer{{IP: "not-an-ip"}}}}}}}
	_, err := New(Options{Fleet: f, Clock: NewFakeClock(testStart)})
	var fe *FleetError
	if !errors.As(err, &fe) || fe.Field != "clusters[0].zones[0].servers[0].ip" || fe.Line != 0 {
		t.Errorf("error %v", err)
	}
	_, err = New(Options{Fleet: DemoFleet(), FleetFile: "testdata/fleet.yaml"})
	if backend.KindOf(err) != backend.BadRequest {
		t.Errorf("both fleet and file: %v", err)
	}
	_, err = New(Options{FleetFile: "testdata/missing.yaml"})
	if backend.KindOf(err) != backend.BadRequest || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	ok := DemoFleet()
	ok.Clusters[0].Zones[0].Servers[0].Port = 0
	if _, err := New(Options{Fleet: ok, Clock: NewFakeClock(testStart)}); err != nil {
		t.Fatal(err)
	}
	if ok.Clusters[0].Zones[0].Servers[0].Port != 0 {
		t.Error("New filled defaults into the caller's fleet")
	}
}

func TestGeneratedFleet(t *testing.T) {
	f := GenerateFleet(400, 5, 5) // 10,000 servers
	e, _ := newTestExecutor(t, Options{Fleet: f})
	clusters, _ := e.ListClusters(ctx)
	total := 0
	seen := map[string]bool{}
	for _, c := range clusters {
		servers, _ := e.ListServers(ctx, c.ID, "")
		for _, s := range servers {
			if seen[s.Address()] {
				t.Fatalf("address %s twice", s.Address())
			}
			seen[s.Address()] = true
		}
		total += len(servers)
	}
	if len(clusters) != 400 || total != 10000 {
		t.Errorf("%d clusters, %d servers", len(clusters), total)
	}
}
