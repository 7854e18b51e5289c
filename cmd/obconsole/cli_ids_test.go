package main

import (
	"testing"
	"time"
)

// Every embedded run numbers its tasks from its start time, so the journal,
// shared by every run on the machine, never shows two runs' restarts
// under one id (each run once numbered its first task 89027028).
func TestEmbeddedRunsJournalDistinctTaskIDs(t *testing.T) {
	t.Parallel()
	c := newCLIFlags(t)
	var ids []int64
	var spans [][2]int64
	for range 2 {
		before := time.Now().UnixMilli()
		code, _, errOut := c.run("", "restart", "--cluster", "protoss", "--server", "192.0.2.12", "--yes")
		after := time.Now().UnixMilli()
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		spans = append(spans, [2]int64{before, after})
	}
	log := c.journal()
	if len(log.Records) != 2 {
		t.Fatalf("journal: %+v", log)
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
