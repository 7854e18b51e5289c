package store

import (
	"encoding/json"
	"testing"

	"github.com/obconsole/obconsole/backend/ocp"
)

// A server list is kept without the fields the console never reads, and
// the executor's own answer is never written to.
func TestCompactDropsWhatIsNotShownWithoutWritingTheAnswer(t *testing.T) {
	plain := []ocp.Server{{ID: 1, IP: "192.0.2.1"}}
	if got := compact(plain); &got[0] != &plain[0] {
		t.Error("a list with nothing to drop is kept as it is")
	}
	extra := []ocp.Server{{ID: 1, IP: "192.0.2.1", HostID: 9}}
	extra[0].Extra = ocp.Extra{"x": json.RawMessage(`1`)}
	got := compact(extra)
	if got[0].Extra != nil || got[0].HostID != 0 || got[0].IP != "192.0.2.1" {
		t.Errorf("compacted %+v", got[0])
	}
	if extra[0].Extra == nil || extra[0].HostID != 9 {
		t.Error("the executor's answer was written to")
	}
}
