package sshd

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/muesli/termenv"

	"github.com/obconsole/obconsole/cmd/obconsole/internal/sshd/sshdtest"
)

func TestNewTerminal(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		term           string
		env            []string
		noColor, ascii bool
		profile        termenv.Profile
	}{
		{"xterm-256color", nil, false, false, termenv.ANSI256},
		{"xterm-256color", []string{"COLORTERM=truecolor"}, false, false, termenv.TrueColor},
		// NO_COLOR turns the theme's colours off, not bold and reverse.
		{"xterm-256color", []string{"NO_COLOR=1"}, true, false, termenv.ANSI256},
		{"xterm-256color", []string{"NO_COLOR="}, false, false, termenv.ANSI256},
		{"vt100", []string{"OBCONSOLE_ASCII=1"}, false, true, termenv.Ascii},
		{"dumb", nil, true, true, termenv.Ascii},
		{"", nil, true, true, termenv.Ascii},
		// The client's TERM is the pty request's, not an env request's.
		{"xterm", []string{"TERM=dumb"}, false, false, termenv.ANSI},
	} {
		tm := newTerminal(c.term, 80, 24, c.env, io.Discard)
		if tm.NoColor != c.noColor || tm.ASCII != c.ascii || tm.Renderer.ColorProfile() != c.profile {
			t.Errorf("TERM=%q %v: no colour %v, ascii %v, profile %v; want %v %v %v", c.term, c.env,
				tm.NoColor, tm.ASCII, tm.Renderer.ColorProfile(), c.noColor, c.ascii, c.profile)
		}
		if !tm.Renderer.HasDarkBackground() {
			t.Errorf("TERM=%q: background not set", c.term)
		}
	}
}

func TestTestClientAnswersTheQuery(t *testing.T) {
	t.Parallel()
	if backgroundQuery != sshdtest.BackgroundQuery {
		t.Fatalf("the server asks %q, the test client answers %q", backgroundQuery, sshdtest.BackgroundQuery)
	}
}

func TestDarkColour(t *testing.T) {
	t.Parallel()
	for spec, want := range map[string]bool{
		"rgb:0000/0000/0000": true,
		"rgb:ffff/ffff/ffff": false,
		"rgb:1e/1e/2e":       true,
		"rgba:f/f/f/f":       false,
		"#fdf6e3":            false,
		"#002b36":            true,
	} {
		if dark, ok := darkColour(spec); !ok || dark != want {
			t.Errorf("%s: dark %v ok %v", spec, dark, ok)
		}
	}
	for _, bad := range []string{"", "rgb:", "rgb:xx/yy/zz", "rgb:12345/0/0", "blue"} {
		if _, ok := darkColour(bad); ok {
			t.Errorf("%q read as a colour", bad)
		}
	}
}

// The background query reads its answer from the session's input and
// hands back whatever else was typed.
func TestQueryDarkBackground(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	done := make(chan struct{})
	defer close(done)
	in := newSessionInput(pr, done, func() {})
	var out strings.Builder
	go func() {
		pw.Write([]byte("j"))
		pw.Write([]byte("\x1b]11;rgb:ffff/ffff/ffff\x1b\\"))
		pw.Write([]byte("\x1b[?62;22c"))
		pw.Write([]byte("k"))
	}()
	dark, ok := queryDarkBackground(&out, in, 10*time.Second)
	if !ok || dark {
		t.Fatalf("white background: dark %v ok %v", dark, ok)
	}
	if out.String() != backgroundQuery {
		t.Errorf("asked %q", out.String())
	}
	buf := make([]byte, 8)
	var keys string
	for len(keys) < 2 {
		n, err := in.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		keys += string(buf[:n])
	}
	if keys != "jk" {
		t.Errorf("keys given back %q", keys)
	}
}

func TestHostKey(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state", "obconsole", HostKeyFile)
	s1, created, err := loadOrCreateHostKey(path)
	if err != nil || !created {
		t.Fatalf("first start: %v created %v", err, created)
	}
	if s1.PublicKey().Type() != "ssh-ed25519" {
		t.Errorf("type %s", s1.PublicKey().Type())
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v %v", st.Mode(), err)
	}
	if dir, _ := os.Stat(filepath.Dir(path)); dir.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v", dir.Mode())
	}
	s2, created, err := loadOrCreateHostKey(path)
	if err != nil || created || string(s2.PublicKey().Marshal()) != string(s1.PublicKey().Marshal()) {
		t.Fatalf("second start: %v created %v, same key %v", err, created, err == nil && string(s2.PublicKey().Marshal()) == string(s1.PublicKey().Marshal()))
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := loadOrCreateHostKey(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a key others can read: %v", err)
	}
}
