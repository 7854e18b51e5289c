package sshd

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	gossh "golang.org/x/crypto/ssh"

	"github.com/obconsole/obconsole/backend/safetext"
)

// The options obconsole reads in authorized_keys.
const (
	optionUser     = "obconsole-user"
	optionReadOnly = "obconsole-readonly"
)

// ignoredOptions restrict what obconsole never offers anyway (forwarding,
// X11, ~/.ssh/rc), so a line copied from an OpenSSH file may keep them.
// Every other option (from=, command=, expiry-time=, restrict, no-pty, …)
// asks for a restriction obconsole does not enforce: such a key is left out
// rather than let in with less protection than its line promises.
var ignoredOptions = map[string]bool{
	"no-agent-forwarding": true,
	"no-port-forwarding":  true,
	"no-x11-forwarding":   true,
	"no-user-rc":          true,
}

// maxName bounds an operator's name.
const maxName = 64

// Key is one authorized key and who it names.
type Key struct {
	User        string // the operator: obconsole-user=NAME, else the comment's first word
	Fingerprint string // SHA256:…
	ReadOnly    bool   // obconsole-readonly
	Type        string // ssh-ed25519, …
}

// parseAuthorizedKeys reads an OpenSSH authorized_keys file. Lines that
// cannot be used are left out and explained in warnings (line number, key
// fingerprint and why; never the key material). The map is keyed by the
// key's wire encoding.
func parseAuthorizedKeys(data []byte, path string) (map[string]Key, []string) {
	keys := map[string]Key{}
	var warnings []string
	warn := func(n int, format string, args ...any) {
		warnings = append(warnings, fmt.Sprintf("%s line %d: ", path, n)+fmt.Sprintf(format, args...))
	}
	for i, line := range bytes.Split(data, []byte("\n")) {
		n := i + 1
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		pub, comment, options, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			warn(n, "not a public key (%v): left out", err)
			continue
		}
		fp := gossh.FingerprintSHA256(pub)
		k := Key{Fingerprint: fp, Type: pub.Type()}
		if first := strings.Fields(comment); len(first) > 0 {
			k.User = first[0]
		}
		usable := true
		for _, o := range options {
			name, value, hasValue := strings.Cut(o, "=")
			switch lower := strings.ToLower(name); {
			case lower == optionUser && hasValue:
				k.User = strings.Trim(value, `"`)
			case lower == optionReadOnly && !hasValue:
				k.ReadOnly = true
			case ignoredOptions[lower] && !hasValue:
			default:
				warn(n, "key %s: option %s is not enforced by obconsole: left out", fp, safetext.Excerpt(name))
				usable = false
			}
		}
		if !usable {
			continue
		}
		if err := checkName(k.User); err != nil {
			warn(n, "key %s: %v: left out", fp, err)
			continue
		}
		id := string(pub.Marshal())
		if first, dup := keys[id]; dup {
			warn(n, "key %s is listed again (first as %s): this line is ignored", fp, first.User)
			continue
		}
		keys[id] = k
	}
	return keys, warnings
}

// checkName accepts an operator name that reads as one word in the journal
// and on the status bar.
func checkName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("no operator name: give the key a comment or %s=NAME", optionUser)
	case !safetext.IsSafe(name) || strings.ContainsAny(name, " \t\","):
		return fmt.Errorf("operator name %s: want one word of printable characters", safetext.Excerpt(name))
	case utf8.RuneCountInString(name) > maxName:
		return fmt.Errorf("operator name %s: longer than %d characters", safetext.Excerpt(name), maxName)
	}
	return nil
}

// keyRing is the authorized_keys file as last read. It is re-read when the
// file changes (modification time, size or inode), checked at every
// authentication and on the server's periodic check: SIGHUP ends an
// obconsole run (cmd/obconsole/main.go), so it cannot mean "reload".
// A file that cannot be read authorizes nobody until it can.
type keyRing struct {
	path string
	logf func(format string, args ...any)

	mu    sync.Mutex
	stamp fileStamp
	keys  map[string]Key
}

type fileStamp struct {
	mod  time.Time
	size int64
	ino  uint64
	err  string
}

func stampOf(path string) fileStamp {
	st, err := os.Stat(path)
	if err != nil {
		return fileStamp{err: err.Error()}
	}
	s := fileStamp{mod: st.ModTime(), size: st.Size()}
	if sys, ok := st.Sys().(*syscall.Stat_t); ok {
		s.ino = sys.Ino
	}
	return s
}

// newKeyRing reads path; an unreadable file is an error here, at start.
func newKeyRing(path string, logf func(string, ...any)) (*keyRing, error) {
	r := &keyRing{path: path, logf: logf}
	if err := r.load(stampOf(path)); err != nil {
		return nil, err
	}
	return r, nil
}

// load reads the file; r.mu is held or r is not shared yet.
func (r *keyRing) load(stamp fileStamp) error {
	r.stamp = stamp
	data, err := os.ReadFile(r.path)
	if err != nil {
		r.keys = map[string]Key{}
		return fmt.Errorf("authorized keys: %w", err)
	}
	keys, warnings := parseAuthorizedKeys(data, r.path)
	for _, w := range warnings {
		r.logf("%s", w)
	}
	r.keys = keys
	return nil
}

// refresh re-reads the file if it changed and reports whether it did.
func (r *keyRing) refresh() bool {
	stamp := stampOf(r.path)
	r.mu.Lock()
	defer r.mu.Unlock()
	if stamp == r.stamp {
		return false
	}
	if err := r.load(stamp); err != nil {
		r.logf("%v: nobody can log in until it can be read", err)
	} else {
		r.logf("%s changed: %d keys authorized", r.path, len(r.keys))
	}
	return true
}

// lookup is the entry of pub, after a refresh.
func (r *keyRing) lookup(pub gossh.PublicKey) (Key, bool) {
	r.refresh()
	r.mu.Lock()
	defer r.mu.Unlock()
	k, ok := r.keys[string(pub.Marshal())]
	return k, ok
}

// count is how many keys are authorized.
func (r *keyRing) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.keys)
}
