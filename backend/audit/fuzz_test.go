package audit

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// FuzzRead: the reader never panics, and every line of the input that is
// a well-formed entry is returned in some record, whatever surrounds it.
func FuzzRead(f *testing.F) {
	t0 := time.Date(2021, 9, 5, 22, 46, 20, 0, time.UTC)
	var journal bytes.Buffer
	for _, e := range []Entry{
		{Time: t0, Phase: PhaseIntent, ID: "a", User: "oncall", Operation: OpRestartServer, Params: Params{ClusterID: 1, ServerID: 2},
			Subject: Subject{Cluster: "protoss", Server: "192.0.2.12:2882"}, Target: Target{Kind: "remote", Label: "https://ocp"}},
		{Time: t0, Phase: PhaseOutcome, ID: "a", Operation: OpRestartServer, Result: ResultOK, TaskID: 89027028, Status: "RUNNING"},
		{Time: t0, Phase: PhaseIntent, ID: "b", Operation: OpSkipSubtask, Params: Params{TaskID: 9, SubtaskID: 4}},
		{Time: t0, Phase: PhaseOutcome, ID: "b", Result: ResultError, ErrorKind: "Conflict", Error: "busy", OutcomeUnknown: true},
	} {
		b, _ := json.Marshal(e)
		journal.Write(b)
		journal.WriteByte('\n')
	}
	whole := journal.String()
	lines := strings.Split(whole, "\n")
	f.Add(whole)
	f.Add(lines[0] + "\n" + lines[1][:40] + lines[2] + "\n" + lines[3] + "\n")
	f.Add(lines[0][:20] + lines[1][:30] + lines[2] + "\r\n\n\n")
	f.Add(`{"time":"x","phase":"later"}` + "\n" + `{"time":` + "\n" + "not json\n")
	f.Add("")

	f.Fuzz(func(t *testing.T, in string) {
		log, err := Read(strings.NewReader(in))
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		returned := map[string]int{}
		for _, r := range log.Records {
			if r.Intent == nil && r.Outcome == nil {
				t.Fatalf("empty record")
			}
			for _, e := range []*Entry{r.Intent, r.Outcome} {
				if e != nil {
					returned[key(t, *e)]++
				}
			}
		}
		want := map[string]int{}
		for _, line := range strings.Split(in, "\n") {
			line = strings.TrimSuffix(line, "\r")
			var e Entry
			if len(line) > maxLine || json.Unmarshal([]byte(line), &e) != nil || (e.Phase != PhaseIntent && e.Phase != PhaseOutcome) {
				continue
			}
			want[key(t, e)]++
		}
		for k, n := range want {
			if returned[k] < n {
				t.Fatalf("entry %s appears %d times in the input, %d in the records", k, n, returned[k])
			}
		}
	})
}

func key(t *testing.T, e Entry) string {
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
