package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend/audit"
)

// Every embedded run numbers its tasks from its start time, so the journal,
// shared by every run on the machine, never shows two runs' restarts
// under one id (each run once numbered its first task 89027028).
func TestEmbeddedRunsJournalDistinctTaskIDs(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	t.Setenv("OCP_URL", "")
	var ids []int64
	var spans [][2]int64
	for range 2 {
		before := time.Now().UnixMilli()
		var out, errOut strings.Builder
		code := run(t.Context(), []string{"restart", "--cluster", "protoss", "--server", "192.0.2.12", "--yes"}, strings.NewReader(""), &out, &errOut)
		after := time.Now().UnixMilli()
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
		spans = append(spans, [2]int64{before, after})
	}
	log, err := audit.ReadFile(filepath.Join(state, "obconsole", audit.FileName))
	if err != nil || len(log.Records) != 2 {
		t.Fatalf("journal: %v %+v", err, log)
	}
	for i, r := range log.Records {
		id := r.Outcome.TaskID
		if id < spans[i][0] || id > spans[i][1] {
			t.Errorf("run %d numbered its task %d, not from its start (%d..%d ms)", i, id, spans[i][0], spans[i][1])
		}
		ids = append(ids, id)
	}
	if spans[1][0] > spans[0][1] && ids[0] == ids[1] {
		t.Errorf("two runs journaled the same task id %d", ids[0])
	}
}
