package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/ocpserver"
	"github.com/obconsole/obconsole/backend/remote"
)

const (
	testOCPUser     = "admin"
	testOCPPassword = "Adm1n-pa55word"
	testAccessKey   = "AKID-obconsole"
	testAccessSK    = "d75332c5eed8d440a84a35ac6248d397"
)

// newCLIOverHTTP runs the commands on the remote executor talking over
// httptest to ocpserver, which serves an embedded fleet on a fake clock:
// the same fleet, the same clock as newCLI, through real HTTP.
func newCLIOverHTTP(t *testing.T, opts embedded.Options, auth string) *cliEnv {
	t.Helper()
	clock := embedded.NewFakeClock(cliStart)
	opts.Clock = clock
	emb, err := embedded.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Close)
	srv := httptest.NewServer(ocpserver.New(ocpserver.Config{
		Executor:   emb,
		Users:      map[string]string{testOCPUser: testOCPPassword},
		AccessKeys: map[string]string{testAccessKey: testAccessSK},
	}))
	t.Cleanup(srv.Close)
	cfg := remote.Config{BaseURL: srv.URL, Auth: auth, Sleep: func(context.Context, time.Duration) error { return nil }}
	if auth == remote.AuthAKSK {
		cfg.AccessKeyID, cfg.AccessKeySecret = testAccessKey, testAccessSK
	} else {
		cfg.User, cfg.Password = testOCPUser, testOCPPassword
	}
	rex, err := remote.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rex.Close() })
	c := newCLIOn(t, rex)
	c.emb, c.clock = emb, clock
	return c
}

// forEachBackend runs f on the embedded executor directly and on the
// remote executor over ocpserver with Basic and with AK/SK.
func forEachBackend(t *testing.T, opts embedded.Options, f func(t *testing.T, c *cliEnv, remoteUser string)) {
	t.Run("embedded", func(t *testing.T) { t.Parallel(); f(t, newCLI(t, opts), "") })
	t.Run("ocpserver-basic", func(t *testing.T) { t.Parallel(); f(t, newCLIOverHTTP(t, opts, remote.AuthBasic), testOCPUser) })
	t.Run("ocpserver-aksk", func(t *testing.T) { t.Parallel(); f(t, newCLIOverHTTP(t, opts, remote.AuthAKSK), testAccessKey) })
}

func TestReadCommandsOnEveryBackend(t *testing.T) {
	t.Parallel()
	forEachBackend(t, embedded.Options{}, func(t *testing.T, c *cliEnv, _ string) {
		code, out, errOut := c.run("", "clusters")
		if code != 0 || !strings.Contains(out, "12000001  protoss  PRIMARY") || strings.Count(out, "\n") != 4 {
			t.Fatalf("clusters: exit %d: %s\n%s", code, errOut, out)
		}
		var clusters []ocp.Cluster
		if code, out, _ := c.run("", "clusters", "-o", "json"); code != 0 || json.Unmarshal([]byte(out), &clusters) != nil || len(clusters) != 3 {
			t.Fatalf("clusters json: exit %d: %s", code, out)
		}
		if code, out, _ := c.run("", "zones", "zerg"); code != 0 || strings.Count(out, "\n") != 4 || !strings.Contains(out, "cn-shenzhen") {
			t.Fatalf("zones: exit %d:\n%s", code, out)
		}
		var servers []ocp.Server
		if code, out, _ := c.run("", "servers", "terran", "--zone", "zone2", "-o", "json"); code != 0 ||
			json.Unmarshal([]byte(out), &servers) != nil || len(servers) != 3 || servers[0].Status != ocp.ServerUnavailable {
			t.Fatalf("servers: exit %d: %s", code, out)
		}
		if code, _, errOut := c.run("", "servers", "terrans"); code != exitUsage || !strings.Contains(errOut, "terran (id 12000003") {
			t.Fatalf("unknown cluster: exit %d: %s", code, errOut)
		}
		if code, out, _ := c.run("", "tasks", "-o", "json"); code != 0 || strings.TrimSpace(out) != "[]" {
			t.Fatalf("no tasks: exit %d: %s", code, out)
		}
		if code, _, errOut := c.run("", "task", "12345"); code != exitUsage || !strings.Contains(errOut, "NotFound") {
			t.Fatalf("unknown task: exit %d: %s", code, errOut)
		}
	})
}

func TestRestartAndTaskOnEveryBackend(t *testing.T) {
	t.Parallel()
	forEachBackend(t, embedded.Options{Seed: 5}, func(t *testing.T, c *cliEnv, remoteUser string) {
		code, out, errOut := c.run("", "--refresh", "3s", "restart", "--cluster", "protoss", "--server", "192.0.2.12:2882", "--yes", "--wait", "-o", "json")
		if code != 0 {
			t.Fatalf("restart: exit %d: %s\n%s", code, errOut, out)
		}
		evs := parseJSONLines(t, out)
		last := evs[len(evs)-1]
		if last["event"] != "summary" || last["status"] != "SUCCESSFUL" || last["successful"] != 11.0 {
			t.Fatalf("summary %v", last)
		}
		taskID := jsonNumber(int64(last["taskId"].(float64)))

		// A second restart while one runs is a conflict: exit 3.
		running := c.restartDirect(embedded.DemoPrimaryClusterID, 13000003, false)
		code, _, errOut = c.run("", "restart", "--cluster", "protoss", "--server", "13000003", "--yes")
		if code != exitRefused || !strings.Contains(errOut, "Conflict") || !strings.Contains(errOut, jsonNumber(running.ID)) {
			t.Fatalf("conflict: exit %d: %s", code, errOut)
		}
		if code, _, _ := c.run("", "task", jsonNumber(running.ID)); code != exitRunning {
			t.Fatalf("running task: exit %d", code)
		}
		if code, out, _ := c.run("", "task", jsonNumber(running.ID), "--wait"); code != 0 || !strings.Contains(out, "11 of 11 steps done") {
			t.Fatalf("task --wait: exit %d:\n%s", code, out)
		}
		if code, out, _ := c.run("", "tasks", "--cluster", "protoss", "--status", "SUCCESSFUL"); code != 0 || strings.Count(out, "\n") != 3 || !strings.Contains(out, taskID) {
			t.Fatalf("tasks: exit %d:\n%s", code, out)
		}

		// The journal names the target and its user, never a secret.
		log := c.journal()
		if len(log.Records) != 2 || log.Records[0].Result() != audit.ResultOK || log.Records[1].Result() != audit.ResultError {
			t.Fatalf("journal %+v", log.Records)
		}
		in := log.Records[0].Intent
		if remoteUser == "" {
			if in.Target.Kind != "embedded" {
				t.Fatalf("target %+v", in.Target)
			}
		} else if in.Target.Kind != "remote" || in.Target.User != remoteUser || !strings.HasPrefix(in.Target.URL, "http://127.0.0.1:") {
			t.Fatalf("target %+v", in.Target)
		}
		raw, err := os.ReadFile(c.journalPath())
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{testOCPPassword, testAccessSK} {
			if strings.Contains(string(raw), secret) {
				t.Fatalf("journal holds a secret:\n%s", raw)
			}
		}
	})
}

func TestFailedRestartOnEveryBackend(t *testing.T) {
	t.Parallel()
	forEachBackend(t, embedded.Options{Scenario: "precheck-fail"}, func(t *testing.T, c *cliEnv, _ string) {
		code, out, errOut := c.run("", "restart", "--cluster", "zerg", "--server", "198.51.100.21", "--yes", "--wait")
		if code != exitFailed || !strings.Contains(out, "failed: Prepare restart observer") || !strings.Contains(errOut, "FAILED") {
			t.Fatalf("exit %d: %s\n%s", code, errOut, out)
		}
	})
}
