package sshd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/obconsole/obconsole/cmd/obconsole/internal/sshd/sshdtest"
)

func newTestKey(t testing.TB) sshdtest.Key { return sshdtest.NewKey(t) }

func TestParseAuthorizedKeys(t *testing.T) {
	t.Parallel()
	alice, bob, carol, dave, erin, frank, grace := newTestKey(t), newTestKey(t), newTestKey(t), newTestKey(t), newTestKey(t), newTestKey(t), newTestKey(t)
	file := strings.Join([]string{
		"# on-call keys",
		"",
		alice.Line("", "alice@laptop work key"),
		bob.Line(`obconsole-user="bob",obconsole-readonly,no-port-forwarding`, "bob@old-laptop"),
		carol.Line(`from="10.0.0.0/8"`, "carol"),        // a restriction obconsole does not enforce
		dave.Line("", ""),                               // nobody named
		erin.Line(`obconsole-user="two words"`, "erin"), // not one word
		"ssh-ed25519 AAAAnotbase64!! broken",
		alice.Line("obconsole-readonly", "alice-again"), // listed twice: the first stays
		frank.Line("OBCONSOLE-USER=frank", ""),          // options are case-insensitive
		grace.Line(`command="/bin/true"`, "grace"),
	}, "\n")
	keys, warnings := parseAuthorizedKeys([]byte(file), "keys")

	got := func(k sshdtest.Key) (Key, bool) { e, ok := keys[string(k.Pub.Marshal())]; return e, ok }
	if k, ok := got(alice); !ok || k.User != "alice@laptop" || k.ReadOnly || k.Fingerprint != alice.Fingerprint() || k.Type != "ssh-ed25519" {
		t.Errorf("alice: %+v %v", k, ok)
	}
	if k, ok := got(bob); !ok || k.User != "bob" || !k.ReadOnly {
		t.Errorf("bob: %+v %v", k, ok)
	}
	if k, ok := got(frank); !ok || k.User != "frank" {
		t.Errorf("frank: %+v %v", k, ok)
	}
	for name, k := range map[string]sshdtest.Key{"carol": carol, "dave": dave, "erin": erin, "grace": grace} {
		if e, ok := got(k); ok {
			t.Errorf("%s let in: %+v", name, e)
		}
	}
	if len(keys) != 3 {
		t.Errorf("%d keys", len(keys))
	}
	all := strings.Join(warnings, "\n")
	for _, want := range []string{
		"keys line 5: key " + carol.Fingerprint() + ": option \"from\" is not enforced by obconsole: left out",
		"keys line 6: key " + dave.Fingerprint() + ": no operator name",
		"keys line 7: key " + erin.Fingerprint() + `: operator name "two words": want one word`,
		"keys line 8: not a public key",
		"keys line 9: key " + alice.Fingerprint() + " is listed again (first as alice@laptop)",
		"keys line 11: key " + grace.Fingerprint() + ": option \"command\" is not enforced",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
	// Warnings name keys by fingerprint, never by their material.
	material := strings.Fields(carol.Line("", ""))[1]
	if strings.Contains(all, material) {
		t.Errorf("a warning quotes key material:\n%s", all)
	}
}

func TestKeyRingRereadsOnChange(t *testing.T) {
	t.Parallel()
	alice, bob := newTestKey(t), newTestKey(t)
	path := filepath.Join(t.TempDir(), "authorized_keys")
	write := func(lines ...string) {
		t.Helper()
		// Through a new file, as editors save: the inode changes even
		// within one mtime tick.
		tmp := path + ".new"
		if err := os.WriteFile(tmp, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
	}
	write(alice.Line("", "alice"))
	var log strings.Builder
	r, err := newKeyRing(path, func(f string, a ...any) { log.WriteString(strings.TrimSpace(f) + "\n") })
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.lookup(alice.Pub); !ok {
		t.Fatal("alice not authorized")
	}
	if _, ok := r.lookup(bob.Pub); ok {
		t.Fatal("bob authorized before being added")
	}
	write(bob.Line("obconsole-readonly", "bob"))
	if k, ok := r.lookup(bob.Pub); !ok || !k.ReadOnly {
		t.Fatalf("bob after the change: %+v %v", k, ok)
	}
	if _, ok := r.lookup(alice.Pub); ok {
		t.Fatal("alice still authorized after her line went")
	}
	if r.refresh() {
		t.Error("an unchanged file read again")
	}
	// A file that cannot be read authorizes nobody.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if _, ok := r.lookup(bob.Pub); ok {
		t.Fatal("bob authorized by a file that is gone")
	}
	if !strings.Contains(log.String(), "nobody can log in until it can be read") {
		t.Errorf("log: %s", log.String())
	}
	if _, err := newKeyRing(path, func(string, ...any) {}); err == nil {
		t.Error("a missing file accepted at start")
	}
}
