package main

import (
	"context"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/backend/remote"
)

// closedURL is an http URL on which nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// The real remote executor, pointed where no OCP listens: every command
// exits 4, and a restart's journal says it failed, without the password.
func TestCommandsAgainstAnUnreachableOCP(t *testing.T) {
	t.Parallel()
	const password = "s3cret-Pa55"
	ex, err := remote.New(remote.Config{
		BaseURL: closedURL(t), User: "admin", Password: password, Timeout: 5 * time.Second,
		Sleep: func(context.Context, time.Duration) error { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ex.Close() })
	c := newCLIOn(t, ex)
	for _, args := range [][]string{
		{"clusters"}, {"zones", "protoss"}, {"servers", "protoss"}, {"tasks"},
		{"task", "89027028"}, {"task", "89027028", "--wait", "-o", "json"},
		{"restart", "--cluster", "protoss", "--server", "192.0.2.12", "--yes", "--wait"},
	} {
		code, out, errOut := c.run("", args...)
		if code != exitUnreachable || out != "" || errOut == "" {
			t.Errorf("%v: exit %d: %q %q", args, code, out, errOut)
		}
		if strings.Contains(errOut, password) {
			t.Errorf("%v: the password is on stderr: %s", args, errOut)
		}
	}
	// The restart never got past resolving the cluster: nothing journaled.
	if log := c.journal(); len(log.Records) != 0 {
		t.Fatalf("journal %+v", log.Records)
	}

	// Sent straight to the wrapped executor, the request fails before
	// anything reached a server: the outcome says so, without a secret.
	j, err := audit.Open(c.journalPath())
	if err != nil {
		t.Fatal(err)
	}
	j.Redact(password) // as the commands' journal redacts OCP_PASSWORD
	w := audit.Wrap(ex, j, audit.CurrentActor("test"))
	if _, err := w.RestartServer(context.Background(), 12000001, 13000002, restartOpts(false)); err == nil {
		t.Fatal("restart against nothing succeeded")
	}
	log := c.journal()
	if len(log.Records) != 1 || log.Records[0].Result() != audit.ResultError || log.Records[0].Outcome.ErrorKind != "Unavailable" ||
		log.Records[0].Intent.Target.Kind != "remote" || log.Records[0].Intent.Target.User != "admin" {
		t.Fatalf("journal %+v", log.Records)
	}
	raw, err := os.ReadFile(c.journalPath())
	if err != nil || strings.Contains(string(raw), password) {
		t.Fatalf("journal holds the password: %s %v", raw, err)
	}
	code, out, _ := c.run("", "audit")
	if code != 0 || !strings.Contains(out, "error: Unavailable") || !strings.Contains(out, " as admin") {
		t.Fatalf("audit: exit %d:\n%s", code, out)
	}
}
