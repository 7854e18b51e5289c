package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/obconsole/obconsole/cmd/obconsole/internal/sshd/sshdtest"
)

// TestSSHHarness measures `obconsole ssh` on the built binary over
// loopback and prints the figures (medians of several runs). A
// measurement, not a check on timing, so it runs only when asked:
//
//	OBCONSOLE_HARNESS=1 go test -run TestSSHHarness -v ./cmd/obconsole/
func TestSSHHarness(t *testing.T) {
	if os.Getenv("OBCONSOLE_HARNESS") == "" {
		t.Skip("set OBCONSOLE_HARNESS=1 to measure")
	}
	bin := buildBinary(t)
	const runs = 5
	const window = 10 * time.Second

	t.Run("first frame", func(t *testing.T) {
		if _, err := exec.LookPath("ssh"); err != nil {
			t.Skip("no ssh client here")
		}
		srv := startSSHBinary(t, bin, "--theme", "dark")
		host := srv.hostKey(t)
		var sys, goc []float64
		for range 2 * runs {
			began := time.Now()
			scr, exited := runInPTY(t, srv.sshClient(t.TempDir()), 120, 40)
			scr.waitFor(t, 0, 10*time.Second, "3 clusters")
			sys = append(sys, ms(time.Since(began)))
			scr.press(t, "q")
			<-exited

			began = time.Now()
			c := sshdtest.MustDial(t, srv.addr, srv.alice, host)
			tm := sshdtest.Open(t, c, "xterm-256color", 120, 40, nil, "")
			tm.WaitFor(t, 0, 10*time.Second, "3 clusters")
			goc = append(goc, ms(time.Since(began)))
			c.Close()
		}
		fmt.Printf("ssh: first frame over loopback, system ssh client started to clusters drawn: median %.1f ms over %d runs %v\n", median(sys), len(sys), sys)
		fmt.Printf("ssh: first frame over loopback, Go client from TCP connect: median %.1f ms over %d runs %v\n", median(goc), len(goc), goc)
	})

	t.Run("bytes per watching session", func(t *testing.T) {
		var local, one []float64
		for range runs {
			srv := startSSHBinary(t, bin, "--theme", "dark", "--speed", "1")
			id := srv.restart(t, 0) // the server the local run restarts
			c := sshdtest.MustDial(t, srv.addr, srv.alice, srv.hostKey(t))
			tm := watchTask(t, c, id)
			one = append(one, bytesPerSecond(tm, window))
			c.Close()
			srv.stop(t)
			local = append(local, localWatchBytes(t, bin, window))
		}
		fmt.Printf("ssh: bytes per second, one session watching a running restart at 120x40: median %.0f B/s over %d runs %v (local terminal, same conditions: median %.0f B/s %v; target ≤ 600 B/s)\n",
			median(one), len(one), one, median(local), local)
	})

	t.Run("bytes to watch a whole restart", func(t *testing.T) {
		// The same keys, the same restart watched end to end (--speed
		// 5), over ssh and on a local terminal: the bytes either way.
		var remote, local []float64
		for range runs {
			srv := startSSHBinary(t, bin, "--theme", "dark", "--speed", "5")
			c := sshdtest.MustDial(t, srv.addr, srv.alice, srv.hostKey(t))
			tm := sshdtest.Open(t, c, "xterm-256color", 120, 40, nil, "")
			// The keys the local run presses.
			tm.WaitFor(t, 0, 10*time.Second, "3 clusters")
			tm.Press(t, "\r")
			tm.WaitFor(t, 0, 5*time.Second, "Zones of protoss", "hz-idc-a")
			m := tm.Mark()
			tm.Press(t, "\r")
			tm.WaitFor(t, m, 5*time.Second, "192.0.2.11:2882")
			m = tm.Mark()
			tm.Press(t, "r")
			tm.WaitFor(t, m, 5*time.Second, "Cancel")
			tm.Press(t, "y")
			tm.WaitFor(t, m, 60*time.Second, "Task SUCCESSFUL")
			remote = append(remote, float64(tm.Mark()))
			c.Close()
			srv.stop(t)
			local = append(local, float64(localWholeRestartBytes(t, bin)))
		}
		fmt.Printf("ssh: bytes from start to a whole restart watched to SUCCESSFUL at 120x40 (--speed 5): over ssh median %.0f B %v, local terminal median %.0f B %v\n",
			median(remote), remote, median(local), local)
	})

	t.Run("20 sessions watching one task", func(t *testing.T) {
		const sessions = 20
		var base, full, perSession, bps []float64
		for range runs {
			srv := startSSHBinary(t, bin, "--theme", "dark", "--speed", "1")
			host := srv.hostKey(t)
			<-time.After(500 * time.Millisecond) // let start-up settle
			rss0 := rssKB(t, srv.cmd.Process.Pid)
			id := srv.restart(t, 0)
			var terms []*sshdtest.Term
			for range sessions {
				c := sshdtest.MustDial(t, srv.addr, srv.alice, host)
				terms = append(terms, watchTask(t, c, id))
			}
			<-time.After(3 * time.Second)
			rss := rssKB(t, srv.cmd.Process.Pid)
			marks := make([]int, len(terms))
			for j, tm := range terms {
				marks[j] = tm.Mark()
			}
			<-time.After(window)
			var total int
			for j, tm := range terms {
				total += tm.Mark() - marks[j]
			}
			base = append(base, float64(rss0)/1024)
			full = append(full, float64(rss)/1024)
			perSession = append(perSession, float64(rss-rss0)/1024/sessions)
			bps = append(bps, float64(total)/window.Seconds()/sessions)
			srv.stop(t)
		}
		fmt.Printf("ssh: memory with %d sessions watching one task: median %.1f MB RSS over %d runs %v (idle server %.1f MB %v; per session %.2f MB %v; target 20 sessions ≤ 100 MB)\n",
			sessions, median(full), len(full), rounded(full), median(base), rounded(base), median(perSession), rounded(perSession))
		fmt.Printf("ssh: bytes per second per session with %d watching: median %.0f B/s %v\n", sessions, median(bps), rounded(bps))
	})

	t.Run("GetTask per interval with 20 sessions watching one task", func(t *testing.T) {
		// Through --ocp-url to obconsole serve, so every request is
		// counted where it leaves the server (--debug-http); the
		// default refresh, 1 s.
		const sessions = 20
		var perInterval []float64
		for range runs {
			serve := exec.Command(bin, "serve", "--listen", "127.0.0.1:0", "--no-auth", "--speed", "1")
			serve.Env = consoleEnv(t.TempDir())
			out, err := serve.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			serve.Stderr = serve.Stdout
			if err := serve.Start(); err != nil {
				t.Fatal(err)
			}
			ocpAddr := serveAddress(t, out)
			debug := filepath.Join(t.TempDir(), "http.log")
			srv := startSSHBinaryEnv(t, bin, []string{"OCP_PASSWORD=any"}, "--theme", "dark",
				"--ocp-url", "http://"+ocpAddr, "--user", "demo", "--debug-http", debug)
			host := srv.hostKey(t)
			id := srv.restart(t, 0)
			for range sessions {
				c := sshdtest.MustDial(t, srv.addr, srv.alice, host)
				watchTask(t, c, id)
			}
			<-time.After(3 * time.Second)
			gets := func() int {
				b, err := os.ReadFile(debug)
				if err != nil {
					t.Fatal(err)
				}
				return strings.Count(string(b), "> GET /api/v2/tasks/instances/"+id+" ")
			}
			g0 := gets()
			<-time.After(window)
			n := gets() - g0
			if n == 0 {
				t.Fatalf("no GetTask of task %s counted in %v: is the path the client's?", id, window)
			}
			perInterval = append(perInterval, float64(n)/window.Seconds())
			srv.stop(t)
			_ = serve.Process.Kill() // the measurement is taken; this process is ours
			_ = serve.Wait()
		}
		fmt.Printf("ssh: GetTask per 1 s refresh interval, %d sessions watching one task (counted at the server's OCP client): median %.2f %v (one console alone: 1)\n",
			sessions, median(perInterval), rounded(perInterval))
	})
}

// stop ends the server (SIGTERM) and waits for it.
func (p *sshServerProcess) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.stopped:
	case <-time.After(15 * time.Second):
		t.Fatal("obconsole ssh did not stop")
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func rounded(xs []float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(int(x*10+0.5)) / 10
	}
	return out
}

func (p *sshServerProcess) hostKey(t *testing.T) gossh.PublicKey {
	t.Helper()
	b, err := os.ReadFile(p.knownHosts)
	if err != nil {
		t.Fatal(err)
	}
	_, _, key, _, _, err := gossh.ParseKnownHosts(b)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

var acceptedRE = regexp.MustCompile(`accepted: task (\d+)`)

// restart starts a restart of protoss's i-th server over ssh and returns
// the task id.
func (p *sshServerProcess) restart(t *testing.T, i int) string {
	t.Helper()
	c := sshdtest.MustDial(t, p.addr, p.alice, p.hostKey(t))
	defer c.Close()
	servers := []string{"192.0.2.11", "192.0.2.12", "192.0.2.13", "192.0.2.14", "192.0.2.15", "192.0.2.16"}
	out, stderr, code := sshdtest.Run(t, c, "restart --cluster protoss --server "+servers[i%len(servers)]+" --yes")
	m := acceptedRE.FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("restart: exit %d %q %q", code, out, stderr)
	}
	return m[1]
}

// watchTask opens a console at 120×40 and the Task view of id.
func watchTask(t *testing.T, c *gossh.Client, id string) *sshdtest.Term {
	t.Helper()
	tm := sshdtest.Open(t, c, "xterm-256color", 120, 40, nil, "")
	tm.WaitFor(t, 0, 10*time.Second, "3 clusters")
	m := tm.Mark()
	tm.Press(t, "t")
	// The row, not the id alone: the status bar names the task the
	// others watch.
	tm.WaitFor(t, m, 10*time.Second, id+"  Restart OB server")
	m = tm.Mark()
	tm.Press(t, "\r")
	tm.WaitFor(t, m, 10*time.Second, "Restart OB server #"+id)
	return tm
}

func bytesPerSecond(tm *sshdtest.Term, window time.Duration) float64 {
	<-time.After(time.Second) // the first frames of the view
	m := tm.Mark()
	<-time.After(window)
	return float64(tm.Mark()-m) / window.Seconds()
}

// localWatchBytes is the same measurement on a local terminal: the
// console in a pseudo-terminal watching a restart it started.
func localWatchBytes(t *testing.T, bin string, window time.Duration) float64 {
	t.Helper()
	cmd := exec.Command(bin, "--theme", "dark", "--speed", "1")
	cmd.Env = consoleEnv(t.TempDir())
	scr, _ := runInPTY(t, cmd, 120, 40)
	scr.waitFor(t, 0, 10*time.Second, "3 clusters")
	scr.press(t, "\r")
	scr.waitFor(t, 0, 5*time.Second, "Zones of protoss", "hz-idc-a")
	m := scr.mark()
	scr.press(t, "\r")
	scr.waitFor(t, m, 5*time.Second, "192.0.2.11:2882")
	m = scr.mark()
	scr.press(t, "r")
	scr.waitFor(t, m, 5*time.Second, "Cancel")
	scr.press(t, "y")
	scr.waitFor(t, m, 5*time.Second, "Restart OB server #")
	<-time.After(time.Second)
	m = scr.mark()
	<-time.After(window)
	n := scr.mark() - m
	_ = cmd.Process.Kill() // the measurement is taken; this process is ours
	return float64(n) / window.Seconds()
}

// localWholeRestartBytes is what the console writes to a local terminal
// from start until a restart it started ends.
func localWholeRestartBytes(t *testing.T, bin string) int {
	t.Helper()
	cmd := exec.Command(bin, "--theme", "dark", "--speed", "5")
	cmd.Env = consoleEnv(t.TempDir())
	scr, _ := runInPTY(t, cmd, 120, 40)
	scr.waitFor(t, 0, 10*time.Second, "3 clusters")
	scr.press(t, "\r")
	scr.waitFor(t, 0, 5*time.Second, "Zones of protoss", "hz-idc-a")
	m := scr.mark()
	scr.press(t, "\r")
	scr.waitFor(t, m, 5*time.Second, "192.0.2.11:2882")
	m = scr.mark()
	scr.press(t, "r")
	scr.waitFor(t, m, 5*time.Second, "Cancel")
	scr.press(t, "y")
	scr.waitFor(t, m, 60*time.Second, "Task SUCCESSFUL")
	n := scr.mark()
	_ = cmd.Process.Kill() // the measurement is taken; this process is ours
	return n
}

func rssKB(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.Atoi(f[1])
			return kb
		}
	}
	t.Fatal("no VmRSS")
	return 0
}
