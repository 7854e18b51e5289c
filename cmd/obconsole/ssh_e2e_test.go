package main

import (
	"bufio"
	"encoding/pem"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/obconsole/obconsole/backend/audit"
	"github.com/obconsole/obconsole/cmd/obconsole/internal/sshd/sshdtest"
)

// sshServerProcess is the built binary serving `obconsole ssh` on a free
// loopback port, with its journal and host key under state.
type sshServerProcess struct {
	cmd        *exec.Cmd
	addr, port string
	knownHosts string // a known_hosts file pinning its host key
	state      string
	alice      sshdtest.Key
	aliceFile  string // alice's private key, OpenSSH format, 0600
	keysPath   string
	stopped    chan error
	mu         sync.Mutex
	out        strings.Builder
}

var listenRE = regexp.MustCompile(`listening on 127\.0\.0\.1:(\d+) `)

func startSSHBinary(t *testing.T, bin string, args ...string) *sshServerProcess {
	t.Helper()
	return startSSHBinaryEnv(t, bin, nil, args...)
}

// startSSHBinaryEnv is startSSHBinary with env added to the server's
// environment (OCP_PASSWORD for --ocp-url).
func startSSHBinaryEnv(t *testing.T, bin string, env []string, args ...string) *sshServerProcess {
	t.Helper()
	dir := t.TempDir()
	p := &sshServerProcess{state: filepath.Join(dir, "state"), alice: sshdtest.NewKey(t), stopped: make(chan error, 1)}
	p.keysPath = filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(p.keysPath, []byte(p.alice.Line("", "alice@laptop")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	block, err := gossh.MarshalPrivateKey(p.alice.Priv, "alice@laptop")
	if err != nil {
		t.Fatal(err)
	}
	p.aliceFile = filepath.Join(dir, "id_alice")
	if err := os.WriteFile(p.aliceFile, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	p.cmd = exec.Command(bin, append([]string{"ssh", "--listen", "127.0.0.1:0", "--authorized-keys", p.keysPath}, args...)...)
	p.cmd.Env = consoleEnv(p.state, env...)
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stderr = io.Discard
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.stopped <- p.cmd.Wait() }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill() // an error once it has exited: nothing to do
	})
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.mu.Lock()
			p.out.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(15 * time.Second)
	var known string
	for p.port == "" || known == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("obconsole ssh ended:\n%s", p.output())
			}
			if m := listenRE.FindStringSubmatch(l); m != nil {
				p.port = m[1]
			}
			if k, ok := strings.CutPrefix(l, "obconsole ssh: known_hosts line: "); ok {
				known = k
			}
		case <-deadline:
			t.Fatalf("obconsole ssh did not start:\n%s", p.output())
		}
	}
	go func() {
		for range lines { // keep the pipe drained
		}
	}()
	p.addr = "127.0.0.1:" + p.port
	p.knownHosts = filepath.Join(dir, "known_hosts")
	if err := os.WriteFile(p.knownHosts, []byte(known+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *sshServerProcess) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// sshClient is the system ssh client's command line for alice, the host
// key pinned, no user configuration read.
func (p *sshServerProcess) sshClient(home string, extra ...string) *exec.Cmd {
	args := []string{"-tt", "-F", "/dev/null", "-i", p.aliceFile, "-p", p.port,
		"-o", "UserKnownHostsFile=" + p.knownHosts, "-o", "StrictHostKeyChecking=yes",
		"-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR"}
	args = append(append(args, extra...), "oncall@127.0.0.1")
	cmd := exec.Command("ssh", args...)
	cmd.Env = append(os.Environ(), "HOME="+home, "TERM=xterm-256color", "SSH_AUTH_SOCK=")
	return cmd
}

// End to end: the built binary serves the console, the system ssh client
// in a pseudo-terminal connects with the host key pinned, restarts a server
// and watches the task succeed; SIGTERM then stops the server.
func TestSSHEndToEnd(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if _, err := exec.LookPath("ssh"); err != nil {
		t.Skip("no ssh client here")
	}
	bin := buildBinary(t)
	srv := startSSHBinary(t, bin, "--speed", "50", "--refresh", "100ms", "--theme", "dark")

	scr, exited := runInPTY(t, srv.sshClient(t.TempDir()), 100, 30)
	scr.waitFor(t, 0, 15*time.Second, "protoss", "terran", "connected")
	m := scr.mark()
	scr.press(t, "\r") // protoss
	scr.waitFor(t, m, 5*time.Second, "Zones of protoss")
	m = scr.mark()
	scr.press(t, "\r") // zone1
	scr.waitFor(t, m, 5*time.Second, "Servers of zone1", "192.0.2.11:2882")
	m = scr.mark()
	scr.press(t, "r")
	scr.waitFor(t, m, 5*time.Second, "Restart OBServer 192.0.2.11:2882", "Cancel")
	m = scr.mark()
	scr.press(t, "y")
	scr.waitFor(t, m, 5*time.Second, "Restart OB server #", "Stop observer process")
	scr.waitFor(t, m, 30*time.Second, "Task SUCCESSFUL")
	scr.press(t, "q")
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("ssh exited with %v\n%s", err, scr.text(0))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("q did not end the session")
	}
	raw := scr.Raw()
	if on, off := strings.LastIndex(raw, altScreenOn), strings.LastIndex(raw, altScreenOff); on < 0 || off < on {
		t.Fatalf("alternate screen not left; tail %q", raw[max(len(raw)-120, 0):])
	}

	log, err := audit.ReadFile(filepath.Join(srv.state, "obconsole", audit.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if len(log.Records) != 1 {
		t.Fatalf("want one journaled restart, got %d", len(log.Records))
	}
	r := log.Records[0]
	if en := r.Entry(); en.SSH.User != "alice@laptop" || en.SSH.Fingerprint != srv.alice.Fingerprint() || r.Result() != audit.ResultOK {
		t.Fatalf("journaled %+v %s", en, r.Result())
	}

	// SIGTERM tells a session still open why it ends, then stops.
	open, openExited := runInPTY(t, srv.sshClient(t.TempDir()), 80, 24)
	open.waitFor(t, 0, 15*time.Second, "protoss", "connected")
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	open.waitFor(t, 0, 15*time.Second, "obconsole is shutting down")
	select {
	case err := <-openExited:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 3 {
			t.Errorf("the open session's ssh exited with %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the open session did not end")
	}
	select {
	case err := <-srv.stopped:
		if err != nil {
			t.Fatalf("obconsole ssh exited with %v\n%s", err, srv.output())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("SIGTERM did not stop obconsole ssh")
	}
	if !strings.Contains(srv.output(), "obconsole ssh: stopped") {
		t.Errorf("output:\n%s", srv.output())
	}
}
