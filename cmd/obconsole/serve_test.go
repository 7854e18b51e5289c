package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/remote"
)

// served is a running `obconsole serve`.
type served struct {
	url    string
	cancel context.CancelFunc
	done   chan int // the exit code
	stdout *bufio.Reader
	stderr *strings.Builder
}

// startServe runs `obconsole serve` in process on a free loopback port
// and waits for the address line.
func (c *cliEnv) startServe(args ...string) *served {
	t := c.t
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	s := &served{cancel: cancel, done: make(chan int, 1), stdout: bufio.NewReader(pr), stderr: &strings.Builder{}}
	a := c.app(strings.NewReader(""), pw, s.stderr)
	go func() {
		code := a.run(ctx, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...))
		pw.Close()
		s.done <- code
	}()
	t.Cleanup(cancel)
	line, err := s.stdout.ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("serve printed no address: %v (exit %d, stderr %q)", err, <-s.done, s.stderr.String())
	}
	const prefix = "obconsole serve: listening on "
	if !strings.HasPrefix(line, prefix) {
		t.Fatalf("first line %q", line)
	}
	s.url, _, _ = strings.Cut(strings.TrimPrefix(line, prefix), " ")
	// The rest of stdout is not looked at, but must be read: a pipe blocks.
	go func() { _, _ = io.Copy(io.Discard, s.stdout) }()
	return s
}

// stop cancels the command's context (what SIGINT does through main) and
// waits for it to return.
func (s *served) stop(t *testing.T) {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		if code != 0 {
			t.Errorf("serve exited %d after cancel: %s", code, s.stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not shut down within 10s of cancel")
	}
}

func TestServeWithBasicThenShutdown(t *testing.T) {
	t.Parallel()
	c := newCLIFlags(t)
	const password = "serve-Pa55-word"
	c.setenv("OCP_PASSWORD", password)
	s := c.startServe("--user", "operator", "--scenario", "fail-once:start-server", "--speed", "2")

	client, err := remote.New(remote.Config{BaseURL: s.url, User: "operator", Password: password})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	ctx := t.Context()
	clusters, err := client.ListClusters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(clusters) != 3 || clusters[0].Name != "protoss" {
		t.Fatalf("clusters over serve: %+v", clusters)
	}
	task, err := client.RestartServer(ctx, embedded.DemoPrimaryClusterID, 13000001, backend.RestartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := client.GetTask(ctx, task.ID)
	if err != nil || got.ID != task.ID || len(got.Subtasks) != 11 {
		t.Fatalf("GetTask over serve: %+v %v", got, err)
	}
	if _, err := client.RestartServer(ctx, embedded.DemoPrimaryClusterID, 13000001, backend.RestartOptions{}); !errors.Is(err, backend.Conflict) {
		t.Errorf("second restart over serve: %v, want Conflict", err)
	}

	wrong, err := remote.New(remote.Config{BaseURL: s.url, User: "operator", Password: "nope", Retries: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Close()
	if _, err := wrong.ListClusters(ctx); !errors.Is(err, backend.Unauthorized) {
		t.Errorf("wrong password: %v, want Unauthorized", err)
	}

	s.stop(t)
	if strings.Contains(s.stderr.String(), password) {
		t.Error("serve wrote the password to stderr")
	}
	resp, err := http.Get(s.url + "/api/v2/ob/clusters")
	if err == nil {
		resp.Body.Close()
		t.Error("the server still answers after shutdown")
	}
}

func TestServeWithAKSKOnly(t *testing.T) {
	t.Parallel()
	c := newCLIFlags(t)
	c.setenv("OCP_ACCESS_KEY_ID", "AK-serve")
	c.setenv("OCP_ACCESS_KEY_SECRET", "sk-serve-secret")
	s := c.startServe()
	defer s.stop(t)
	client, err := remote.New(remote.Config{BaseURL: s.url, Auth: remote.AuthAKSK, AccessKeyID: "AK-serve", AccessKeySecret: "sk-serve-secret"})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	zones, err := client.ListZones(t.Context(), embedded.DemoStandbyClusterID)
	if err != nil || len(zones) != 3 {
		t.Fatalf("zones over AK/SK: %d %v", len(zones), err)
	}
	resp, err := http.Get(s.url + "/api/v2/ob/clusters")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no credentials: HTTP %d, want 401", resp.StatusCode)
	}
}

func TestServeNoAuthIsExplicit(t *testing.T) {
	t.Parallel()
	c := newCLIFlags(t)
	code, out, errOut := c.run("", "serve", "--listen", "127.0.0.1:0")
	if code != exitUsage || !strings.Contains(errOut, "--no-auth") || out != "" {
		t.Errorf("serve without credentials: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	c.setenv("OCP_PASSWORD", "pw")
	code, _, errOut = c.run("", "serve", "--listen", "127.0.0.1:0")
	if code != exitUsage || !strings.Contains(errOut, "OCP_USERNAME") || strings.Contains(errOut, "pw\n") {
		t.Errorf("a password without a user: exit %d, stderr %q", code, errOut)
	}
	c.setenv("OCP_PASSWORD", "")
	c.setenv("OCP_ACCESS_KEY_ID", "AK-only")
	if code, _, errOut = c.run("", "serve", "--listen", "127.0.0.1:0"); code != exitUsage {
		t.Errorf("an access key id without its secret: exit %d, stderr %q", code, errOut)
	}
	c.setenv("OCP_ACCESS_KEY_ID", "")

	s := c.startServe("--no-auth")
	defer s.stop(t)
	resp, err := http.Get(s.url + "/api/v2/ob/clusters?size=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("--no-auth: HTTP %d, want 200", resp.StatusCode)
	}
}

func TestServeRejectsABadScenario(t *testing.T) {
	t.Parallel()
	code, _, errOut := newCLIFlags(t).run("", "serve", "--no-auth", "--listen", "127.0.0.1:0", "--scenario", "explode")
	if code != exitUsage || !strings.Contains(errOut, "explode") {
		t.Errorf("bad scenario: exit %d, stderr %q", code, errOut)
	}
}

func TestIsLoopback(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "[::1]:80": true, "localhost:1": true,
		"0.0.0.0:8080": false, ":8080": false, "192.0.2.1:80": false, "garbage": false,
	} {
		if got := isLoopback(addr); got != want {
			t.Errorf("isLoopback(%q) = %v", addr, got)
		}
	}
}

func TestServeHintsAndSummaryShowNoSecret(t *testing.T) {
	t.Parallel()
	users, keys := map[string]string{"admin": "pw-hint-1"}, map[string]string{"AK-h": "sk-hint-2"}
	for _, text := range []string{
		connectHint("127.0.0.1:8080", users, nil), connectHint("127.0.0.1:8080", nil, keys),
		authSummary(users, keys, false),
	} {
		if strings.Contains(text, "pw-hint-1") || strings.Contains(text, "sk-hint-2") {
			t.Errorf("%q shows a secret", text)
		}
	}
	if h := connectHint("127.0.0.1:8080", users, nil); !strings.Contains(h, "--ocp-url http://127.0.0.1:8080 --user admin") {
		t.Errorf("basic hint %q", h)
	}
	if h := connectHint("127.0.0.1:8080", nil, keys); !strings.Contains(h, "OCP_ACCESS_KEY_ID=AK-h") || !strings.Contains(h, "--auth aksk") {
		t.Errorf("AK/SK hint %q", h)
	}
	if s := authSummary(users, keys, false); !strings.Contains(s, "basic as admin") || !strings.Contains(s, "AK/SK key AK-h") {
		t.Errorf("summary %q", s)
	}
	if s := authSummary(nil, nil, true); !strings.Contains(s, "--no-auth") {
		t.Errorf("no-auth summary %q", s)
	}
}
