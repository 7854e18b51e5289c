package audit

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
)

// An action over obconsole ssh is journaled with the operator the key
// names, the key's fingerprint and the client's address, on the intent and
// the outcome alike, beside the server's local user and host; a local
// action's lines carry no "ssh" key at all. Fields from outside are made
// one safe line like every other.
func TestSSHIdentityJournaled(t *testing.T) {
	j := openJournal(t)
	ex := newEmbedded(t)
	actor := testActor
	actor.SSH = SSH{User: "alice\x1b[31m", Fingerprint: "SHA256:abc", Remote: "203.0.113.7:52114"}
	if _, err := Wrap(ex, j, actor).RestartServer(bg, embedded.DemoPrimaryClusterID, embedded.DemoSampleServerID, backend.RestartOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Wrap(ex, j, testActor).RetryTask(bg, 1); err == nil {
		t.Fatal("retry of a task that does not exist succeeded")
	}
	got := lines(t, j)
	if len(got) != 4 {
		t.Fatalf("want 4 lines, got %d", len(got))
	}
	want := SSH{User: "alice^[[31m", Fingerprint: "SHA256:abc", Remote: "203.0.113.7:52114"}
	for _, e := range got[:2] {
		if e.SSH != want || e.User != "oncall" || e.Host != "jump-1" {
			t.Errorf("ssh action journaled as %+v / %q@%q", e.SSH, e.User, e.Host)
		}
	}
	raw, err := os.ReadFile(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	ls := bytes.Split(bytes.TrimSpace(raw), []byte("\n"))
	if !bytes.Contains(ls[0], []byte(`"ssh":{"user":"alice^[[31m","fingerprint":"SHA256:abc","remote":"203.0.113.7:52114"}`)) {
		t.Errorf("intent line: %s", ls[0])
	}
	for _, l := range ls[2:] {
		if strings.Contains(string(l), `"ssh"`) {
			t.Errorf("a local action's line names an ssh identity: %s", l)
		}
	}
	log := readLog(t, j)
	if e := log.Records[0].Entry(); e.SSH != want {
		t.Errorf("read back %+v", e.SSH)
	}
}
