package main

import (
	"context"
	"encoding/pem"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocpserver"
)

const (
	rcUser     = "rc-admin"
	rcPassword = "rc-Pa55-word"
	rcKeyID    = "AK-rc"
	rcSecret   = "rc-secret-key"
)

// rcServer serves an embedded fleet with ocpserver; tls picks httptest's
// TLS server with its self-signed certificate.
func rcServer(t *testing.T, tls bool) *httptest.Server {
	t.Helper()
	ex, err := embedded.New(embedded.Options{Clock: embedded.NewFakeClock(cliStart)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ex.Close)
	h := ocpserver.New(ocpserver.Config{
		Executor:   ex,
		Users:      map[string]string{rcUser: rcPassword},
		AccessKeys: map[string]string{rcKeyID: rcSecret},
	})
	var srv *httptest.Server
	if tls {
		srv = httptest.NewTLSServer(h)
	} else {
		srv = httptest.NewServer(h)
	}
	t.Cleanup(srv.Close)
	return srv
}

// rcEnv runs commands on the executor their flags name, in an empty
// environment, without a terminal: a prompt is an error.
func rcEnv(t *testing.T) *cliEnv {
	t.Helper()
	c := newCLIFlags(t)
	c.readSecret = func(context.Context, io.Reader, io.Writer, string) (string, error) {
		t.Error("prompted without a terminal")
		return "", nil
	}
	return c
}

func runRC(c *cliEnv, args ...string) (int, string, string) {
	c.t.Helper()
	code, out, errOut := c.run("", args...)
	for _, secret := range []string{rcPassword, rcSecret} {
		if strings.Contains(out, secret) || strings.Contains(errOut, secret) {
			c.t.Errorf("%v: a secret is in the output:\n%s\n%s", args, out, errOut)
		}
	}
	return code, out, errOut
}

func TestRemoteBasicFromFlagsAndEnvWithDebugFile(t *testing.T) {
	t.Parallel()
	c := rcEnv(t)
	srv := rcServer(t, false)
	c.setenv("OCP_PASSWORD", rcPassword)
	debug := filepath.Join(t.TempDir(), "http.log")
	code, out, errOut := runRC(c, "--ocp-url", srv.URL, "--user", rcUser, "--debug-http", debug, "clusters")
	if code != 0 || !strings.Contains(out, "protoss") || !strings.Contains(out, "terran") {
		t.Fatalf("clusters over --ocp-url: exit %d\n%s\n%s", code, out, errOut)
	}
	st, err := os.Stat(debug)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("debug file mode %v, want 0600", st.Mode().Perm())
	}
	// A second run appends.
	if code, _, errOut := runRC(c, "--ocp-url", srv.URL, "--user", rcUser, "--debug-http", debug, "zones", "protoss"); code != 0 {
		t.Fatalf("zones: exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(debug)
	if err != nil {
		t.Fatal(err)
	}
	log := string(b)
	if strings.Count(log, "/api/v2/ob/clusters") < 2 || !strings.Contains(log, "/zones") {
		t.Errorf("debug file misses requests of both runs:\n%s", log)
	}
	if strings.Contains(log, rcPassword) || strings.Contains(log, "Basic ") && !strings.Contains(log, "REDACTED") {
		t.Errorf("debug file leaks the credentials:\n%s", log)
	}
}

func TestRemoteMissingSecretWithoutATerminal(t *testing.T) {
	t.Parallel()
	c := rcEnv(t)
	srv := rcServer(t, false)
	code, out, errOut := runRC(c, "--ocp-url", srv.URL, "--user", rcUser, "clusters")
	if code != exitUsage || out != "" || !strings.Contains(errOut, "OCP_PASSWORD") {
		t.Errorf("basic without OCP_PASSWORD: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, _, errOut = runRC(c, "--ocp-url", srv.URL, "clusters")
	if code != exitUsage || !strings.Contains(errOut, "OCP_USERNAME") {
		t.Errorf("basic without a user: exit %d, stderr %q", code, errOut)
	}
	c.setenv("OCP_ACCESS_KEY_ID", rcKeyID)
	code, _, errOut = runRC(c, "--ocp-url", srv.URL, "--auth", "aksk", "clusters")
	if code != exitUsage || !strings.Contains(errOut, "OCP_ACCESS_KEY_SECRET") {
		t.Errorf("aksk without its secret: exit %d, stderr %q", code, errOut)
	}
	c.setenv("OCP_ACCESS_KEY_ID", "")
	c.setenv("OCP_ACCESS_KEY_SECRET", rcSecret)
	code, _, errOut = runRC(c, "--ocp-url", srv.URL, "--auth", "aksk", "clusters")
	if code != exitUsage || !strings.Contains(errOut, "OCP_ACCESS_KEY_ID") {
		t.Errorf("aksk without a key id: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runRC(c, "--ocp-url", srv.URL, "--auth", "kerberos", "clusters")
	if code != exitUsage || !strings.Contains(errOut, "kerberos") {
		t.Errorf("unknown auth: exit %d, stderr %q", code, errOut)
	}
}

func TestRemotePromptsForAMissingSecretOnATerminal(t *testing.T) {
	t.Parallel()
	c := rcEnv(t)
	srv := rcServer(t, false)
	c.terminal = true
	var prompts []string
	c.readSecret = func(_ context.Context, _ io.Reader, _ io.Writer, prompt string) (string, error) {
		prompts = append(prompts, prompt)
		if strings.Contains(prompt, rcKeyID) {
			return rcSecret, nil
		}
		return rcPassword, nil
	}
	code, out, errOut := runRC(c, "--ocp-url", srv.URL, "--user", rcUser, "servers", "zerg")
	if code != 0 || !strings.Contains(out, "198.51.100.") {
		t.Fatalf("basic with a prompted password: exit %d\n%s\n%s", code, out, errOut)
	}
	c.setenv("OCP_ACCESS_KEY_ID", rcKeyID)
	code, out, errOut = runRC(c, "--ocp-url", srv.URL, "--auth", "aksk", "clusters")
	if code != 0 || !strings.Contains(out, "zerg") {
		t.Fatalf("aksk with a prompted secret: exit %d\n%s\n%s", code, out, errOut)
	}
	if len(prompts) != 2 || !strings.Contains(prompts[0], "password of "+rcUser) || !strings.Contains(prompts[1], "secret of "+rcKeyID) {
		t.Errorf("prompts %q", prompts)
	}
	// An empty answer is refused.
	c.readSecret = func(context.Context, io.Reader, io.Writer, string) (string, error) { return "", nil }
	c.setenv("OCP_ACCESS_KEY_ID", "")
	if code, _, errOut := runRC(c, "--ocp-url", srv.URL, "--user", rcUser, "clusters"); code != exitUsage {
		t.Errorf("empty password: exit %d: %s", code, errOut)
	}
}

func TestRemoteTLSFlags(t *testing.T) {
	t.Parallel()
	c := rcEnv(t)
	srv := rcServer(t, true)
	c.setenv("OCP_PASSWORD", rcPassword)
	base := []string{"--ocp-url", srv.URL, "--user", rcUser}

	code, out, errOut := runRC(c, append(base, "clusters")...)
	if code == 0 || out != "" || !strings.Contains(strings.ToLower(errOut), "certificate") {
		t.Errorf("self-signed without flags: exit %d, stdout %q, stderr %q; want refused", code, out, errOut)
	}

	caFile := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runRC(c, append(base, "--ca-file", caFile, "clusters")...); code != 0 || !strings.Contains(out, "protoss") {
		t.Errorf("with --ca-file: exit %d\n%s\n%s", code, out, errOut)
	}

	code, out, errOut = runRC(c, append(base, "--insecure-skip-tls-verify", "clusters")...)
	if code != 0 || !strings.Contains(out, "protoss") || !strings.Contains(errOut, "TLS verification is off") {
		t.Errorf("with --insecure-skip-tls-verify: exit %d\n%s\n%s", code, out, errOut)
	}

	if code, _, errOut := runRC(c, append(base, "--ca-file", filepath.Join(t.TempDir(), "missing.pem"), "clusters")...); code != exitUsage {
		t.Errorf("missing CA file: exit %d: %s", code, errOut)
	}
}
