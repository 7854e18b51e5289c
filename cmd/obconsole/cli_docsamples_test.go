package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend/remote"
)

var updateGoldens = flag.Bool("update", false, "rewrite the command goldens under testdata/")

// ocpdocDir holds OCP's documented sample responses, verbatim (SOURCES.md
// there says where each comes from).
const ocpdocDir = "../../backend/ocp/testdata/ocpdoc"

// The samples that answer a request for one task.
var taskSamples = []string{
	"V3.1.1_en_restart-observer.json", "V3.1.1_en_start-observer.json", "V3.1.1_en_task-detail.json",
	"V4.0.3_en_restart-zone.json", "V4.2.2_en_restart-observer.json", "V4.2.2_en_stop-observer.json",
	"V4.2.2_en_stop-zone.json", "V4.2.2_en_start-zone.json", "V4.2.2_en_task-detail.json",
}

// The samples that answer a task list.
var taskListSamples = []string{"V4.0.0_en_task-list.json", "V4.2.0_zh_task-list.json", "V4.2.2_en_task-list.json"}

func readSample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(ocpdocDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sampleOCP is an OCP that answers with the documented samples: tasks by
// id (a list's items too, each in an envelope of its own) and the task
// list; anything else is OCP's 404.
func sampleOCP(t *testing.T, tasks map[int64][]byte, list []byte) *cliEnv {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/v2/tasks/instances" && list != nil {
			_, _ = w.Write(list)
			return
		}
		if rest, ok := strings.CutPrefix(r.URL.Path, "/api/v2/tasks/instances/"); ok {
			if id, err := strconv.ParseInt(rest, 10, 64); err == nil && tasks[id] != nil {
				_, _ = w.Write(tasks[id])
				return
			}
		}
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"successful":false,"status":404,"error":{"code":10002,"message":"not found"}}`))
	}))
	t.Cleanup(srv.Close)
	// With a fixed local clock the backend's time is the envelope's
	// timestamp: a RUNNING sample's elapsed time is its own.
	local := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	ex, err := remote.New(remote.Config{BaseURL: srv.URL, User: "admin", Password: "pw", Timeout: 5 * time.Second,
		Now: func() time.Time { return local }, Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ex.Close() })
	return newCLIOn(t, ex)
}

// checkGolden compares got with testdata/ocpdoc/name, or writes it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "ocpdoc", name)
	if *updateGoldens {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to write it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// sampleID is the task id of an envelope holding one task.
func sampleID(t *testing.T, b []byte) int64 {
	t.Helper()
	var env struct {
		Data struct {
			ID int64 `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &env); err != nil || env.Data.ID == 0 {
		t.Fatalf("no task id: %v", err)
	}
	return env.Data.ID
}

// `obconsole task ID` prints every documented shape of a task: the cluster,
// zone and server from whichever fields arrived (an old build's toString
// context included), ROLLED BACK and SKIPPED where the operations say so,
// "—" for what was not sent; -o json adds "outcome" beside each status
// and invents nothing.
func TestTaskCommandPrintsEveryDocumentedTask(t *testing.T) {
	t.Parallel()
	for _, name := range taskSamples {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := readSample(t, name)
			id := sampleID(t, b)
			c := sampleOCP(t, map[int64][]byte{id: b}, nil)
			code, out, errOut := c.run("", "task", strconv.FormatInt(id, 10))
			if (code != 0 && code != exitRunning) || !strings.HasPrefix(out, "task "+strconv.FormatInt(id, 10)+" ") {
				t.Fatalf("exit %d: %s\n%s", code, errOut, out)
			}
			checkGolden(t, strings.TrimSuffix(name, ".json")+".task.golden", out)
			checkTaskJSON(t, c, id)
		})
	}
	// A task list's items are tasks too, as the lightest builds send them:
	// no edges, timeouts or attempts.
	for _, name := range taskListSamples {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var env struct {
				Data struct {
					Contents []json.RawMessage `json:"contents"`
				} `json:"data"`
				Timestamp string `json:"timestamp"`
			}
			if err := json.Unmarshal(readSample(t, name), &env); err != nil {
				t.Fatal(err)
			}
			tasks := map[int64][]byte{}
			var ids []int64
			for _, item := range env.Data.Contents {
				one := []byte(`{"data":` + string(item) + `,"successful":true,"status":200,"timestamp":"` + env.Timestamp + `"}`)
				id := sampleID(t, one)
				tasks[id], ids = one, append(ids, id)
			}
			c := sampleOCP(t, tasks, nil)
			var all bytes.Buffer
			for _, id := range ids {
				code, out, errOut := c.run("", "task", strconv.FormatInt(id, 10))
				if code != exitFailed && code != 0 {
					t.Fatalf("task %d: exit %d: %s\n%s", id, code, errOut, out)
				}
				all.WriteString(out)
				checkTaskJSON(t, c, id)
			}
			checkGolden(t, strings.TrimSuffix(name, ".json")+".items.golden", all.String())
		})
	}
}

// checkTaskJSON: -o json is the task as decoded, with "outcome" on the
// task and every step, and nothing OCP did not send (a list item's steps
// have no timeout or runTime).
func checkTaskJSON(t *testing.T, c *cliEnv, id int64) {
	t.Helper()
	_, out, errOut := c.run("", "task", strconv.FormatInt(id, 10), "-o", "json")
	var doc struct {
		Outcome  string                       `json:"outcome"`
		Subtasks []map[string]json.RawMessage `json:"subtasks"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Outcome == "" || len(doc.Subtasks) == 0 {
		t.Fatalf("-o json: %v: %s\n%s", err, errOut, out)
	}
	for _, s := range doc.Subtasks {
		if s["outcome"] == nil {
			t.Errorf("a step without an outcome: %v", s)
		}
	}
}

// `obconsole tasks` prints the documented task lists: the cluster's name
// from the cluster object, ROLLED BACK for a task whose steps were rolled
// back, the tenant as the target, "—" for an operation not sent.
func TestTasksCommandPrintsTheDocumentedLists(t *testing.T) {
	t.Parallel()
	for _, name := range taskListSamples {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := sampleOCP(t, nil, readSample(t, name))
			code, out, errOut := c.run("", "tasks")
			if code != 0 {
				t.Fatalf("exit %d: %s\n%s", code, errOut, out)
			}
			checkGolden(t, strings.TrimSuffix(name, ".json")+".tasks.golden", out)
			code, out, _ = c.run("", "tasks", "-o", "json")
			var docs []struct {
				Status, Outcome string
			}
			if code != 0 || json.Unmarshal([]byte(out), &docs) != nil || len(docs) != 2 || docs[0].Outcome != "ROLLED_BACK" || docs[0].Status != "SUCCESSFUL" {
				t.Fatalf("-o json: exit %d:\n%s", code, out)
			}
		})
	}
}
