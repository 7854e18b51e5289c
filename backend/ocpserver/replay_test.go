package ocpserver_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/ocpserver"
)

// A captured signed restart sent again within the Date window is refused:
// one restart, not two. A fresh signature for the same restart is judged
// as any request is; signed reads may repeat.
func TestReplayedSignedChangeIsRefused(t *testing.T) {
	f := newFixture(t, ocpserver.Config{AccessKeys: map[string]string{"AK1": "sk-secret-1"}})
	restart := "/api/v2/ob/clusters/" + itoa(embedded.DemoPrimaryClusterID) + "/servers/13000001/restart"

	// The very same request twice: same Date, same signature.
	req := func(date time.Time) *http.Request {
		r := f.req("POST", restart, `{"force":false}`)
		s := ocp.Sign(ocp.SignRequest{Method: "POST", Host: r.URL.Host, Path: r.URL.EscapedPath(), Header: r.Header,
			Body: []byte(`{"force":false}`), Date: date}, "AK1", "sk-secret-1")
		for k, v := range s.Header {
			r.Header[k] = v
		}
		return r
	}
	first := f.do(req(f.wall))
	task := decode[ocp.Task](t, first)
	if first.HTTP != 200 || task.ID == 0 {
		t.Fatalf("first: HTTP %d %+v", first.HTTP, first.Error)
	}
	f.wall = f.wall.Add(8 * time.Second) // the replay comes 8 s later
	replay := f.do(req(f.wall.Add(-8 * time.Second)))
	if replay.HTTP != 401 || replay.Successful || replay.Error == nil || replay.Error.Code != ocp.CodeUnset ||
		!strings.Contains(replay.Error.DebugMessage, "signature already used") {
		t.Errorf("replay: HTTP %d %+v", replay.HTTP, replay.Error)
	}
	tasks, err := f.ex.ListTasks(t.Context(), backend.TaskFilter{ClusterID: embedded.DemoPrimaryClusterID})
	if err != nil || len(tasks) != 1 {
		t.Fatalf("%d restarts (%v), want one", len(tasks), err)
	}

	// Signed again with a new Date: authenticated, and judged normally
	// (the first restart still runs: a conflict naming it).
	fresh := f.do(req(f.wall))
	if fresh.HTTP != 400 || fresh.Error == nil || fresh.Error.Code != ocp.CodeTaskStateInvalid || !strings.Contains(fresh.Error.Message, itoa(task.ID)) {
		t.Errorf("fresh signature: HTTP %d %+v, want 400 and 20003 naming task %d", fresh.HTTP, fresh.Error, task.ID)
	}

	// Reads are not affected.
	for range 2 {
		if r := f.signed("GET", "/api/v2/ob/clusters", "", "AK1", "sk-secret-1", start); r.HTTP != 200 {
			t.Errorf("repeated signed GET: HTTP %d %+v", r.HTTP, r.Error)
		}
	}
}
