package ui

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/embedded"
	"github.com/obconsole/obconsole/theme"
	"github.com/obconsole/obconsole/ui/common"
	"github.com/obconsole/obconsole/ui/common/commontest"
	"github.com/obconsole/obconsole/ui/keys"
	"github.com/obconsole/obconsole/ui/taskview"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// step is one key press (or message) and the text to wait for after it.
type step struct {
	keys string // space-separated keys for keyMsg; "" sends nothing
	text string // wait until the output shows this ("" waits for nothing)
	do   func(env *goldenEnv)
}

// goldenEnv is the backend a golden case runs on: the test fake, or the
// embedded simulator on its fake clock.
type goldenEnv struct {
	fake  *commontest.Fake
	clock *embedded.FakeClock
}

type goldenCase struct {
	name     string
	ascii    bool
	noColor  bool
	readOnly bool
	embedded bool // the embedded demo fleet on a fake clock
	target   *backend.Target
	steps    []step
	scenario string   // embedded: the drill scenario
	sizes    [][2]int // nil: 80×24 and 120×40
	noToast  bool     // the last frame without the toast (toasts never expire here): the footer
}

var goldenCases = []goldenCase{
	{name: "clusters", steps: []step{{text: "terran"}}},
	{name: "zones", steps: []step{{text: "terran"}, {keys: "enter", text: "Zones of protoss"}}},
	{name: "servers", steps: []step{{text: "terran"}, {keys: "enter", text: "idc3"}, {keys: "down enter", text: "198.51.100.15"}}},
	{name: "servers-all-filtered", steps: []step{{text: "terran"}, {keys: "s", text: "6 servers"}, {keys: "/ z o n e 2", text: "3 of 6 match"}}},
	{name: "server-detail", steps: []step{{text: "terran"}, {keys: "enter", text: "idc3"}, {keys: "down enter", text: "198.51.100.15"}, {keys: "enter", text: "ports"}}},
	{name: "tasks", steps: []step{{text: "terran"}, {keys: "t", text: "FAILED"}}},
	{name: "restart", steps: []step{{text: "terran"}, {keys: "enter", text: "idc3"}, {keys: "down enter", text: "198.51.100.15"}, {keys: "r", text: "majority of 2 holds"}}},
	{name: "restart-force", steps: []step{{text: "terran"}, {keys: "enter", text: "idc3"}, {keys: "down enter", text: "198.51.100.15"}, {keys: "r", text: "majority of 2 holds"}, {keys: "f 1 9 8", text: "Type the server"}}},
	{name: "restart-conflict", steps: []step{
		{text: "terran", do: func(env *goldenEnv) {
			env.fake.SetRestartErr(&backend.Error{Kind: backend.Conflict, Op: "restart server 1003", Message: "task 42 (Restart observer) is already running on this server"})
		}},
		{keys: "enter", text: "idc3"}, {keys: "down enter", text: "198.51.100.15"}, {keys: "r", text: "majority of 2 holds"}, {keys: "y", text: "Restart failed"}}},
	{name: "unavailable-server", steps: []step{{text: "terran"}, {keys: "down down enter", text: "Zones of terran"}, {keys: "down down enter", text: "192.0.2.14:2882"}}},
	{name: "help", steps: []step{{text: "terran"}, {keys: "enter", text: "idc3"}, {keys: "down enter", text: "198.51.100.15"}, {keys: "?", text: "Everywhere"}}},
	{name: "ascii-servers", ascii: true, steps: []step{{text: "terran"}, {keys: "s", text: "6 servers"}}},
	{name: "ascii-restart-force", ascii: true, steps: []step{{text: "terran"}, {keys: "enter", text: "idc3"}, {keys: "down enter", text: "198.51.100.15"}, {keys: "r", text: "majority of 2 holds"}, {keys: "f", text: "Type the server"}}},
	{name: "ascii-help", ascii: true, steps: []step{{text: "terran"}, {keys: "?", text: "Everywhere"}}},
	{name: "readonly-refused", readOnly: true, noColor: true, steps: []step{{text: "terran"}, {keys: "enter", text: "idc3"}, {keys: "down enter", text: "198.51.100.15"}, {keys: "r", text: "read-only"}}},
	{name: "stale-insecure", target: &backend.Target{Kind: "remote", Label: "https://ocp.example:8080", User: "admin", Insecure: true}, steps: []step{
		{text: "terran", do: func(env *goldenEnv) {
			env.fake.SetListErr(&backend.Error{Kind: backend.Unavailable, Op: "list clusters", Message: "dial tcp 192.0.2.1:8080: connection refused"})
		}},
		{keys: "ctrl+r", text: "STALE"}}},
	{name: "embedded-clusters", embedded: true, steps: []step{{text: "terran"}}},
	{name: "embedded-unavailable", embedded: true, steps: []step{{text: "terran"}, {keys: "down down s", text: "UNAVAILABLE"}}},
	// Zone restart dialog on the embedded fleet: protoss is healthy; terran's
	// zone2 has an UNAVAILABLE server, so its zone1 is refused unless forced.
	{name: "zone-restart", embedded: true, steps: []step{{text: "terran"}, {keys: "enter", text: "Zones of protoss"},
		{keys: "r", text: "majority of 2 holds"}}},
	{name: "zone-restart-refused", embedded: true, steps: []step{{text: "terran"}, {keys: "down down enter", text: "Zones of terran"},
		{keys: "r", text: "Refused"}}},
	{name: "zone-restart-forced", embedded: true, steps: []step{{text: "terran"}, {keys: "down down enter", text: "Zones of terran"},
		{keys: "r", text: "Refused"}, {keys: "ctrl+f z o n", text: "FORCE restart zone"}, {keys: "e", text: "confirm: zone"}}},
	{name: "ascii-zone-restart-refused", ascii: true, embedded: true, steps: []step{{text: "terran"}, {keys: "down down enter", text: "Zones of terran"},
		{keys: "r", text: "Refused"}}},
	// space turns freezeServer off: these Task view goldens keep the
	// timeline of a restart without the minor compaction.
	{name: "embedded-restart-midway", embedded: true, steps: []step{{text: "terran"}, {keys: "enter", text: "Zones of protoss"},
		{keys: "enter", text: "192.0.2.14"}, {keys: "r", text: "majority of 2 holds"}, {keys: "space y", text: "Restart OB server #",
			do: func(env *goldenEnv) { env.clock.Advance(20 * time.Second) }},
		{keys: "ctrl+r", text: "Run subtask, id=89030479"}}},
	// enter on the running step: its whole log.
	{name: "embedded-step-log", embedded: true, steps: []step{{text: "terran"}, {keys: "enter", text: "Zones of protoss"},
		{keys: "enter", text: "192.0.2.14"}, {keys: "r", text: "majority of 2 holds"}, {keys: "space y", text: "Restart OB server #",
			do: func(env *goldenEnv) { env.clock.Advance(24 * time.Second) }},
		{keys: "ctrl+r", text: "listening on"}, {keys: "enter", text: "lines 1-"}}},
	// The operator leaves the running task for the tasks list.
	{name: "embedded-restart-tasks", embedded: true, steps: []step{{text: "terran"}, {keys: "enter", text: "Zones of protoss"},
		{keys: "enter", text: "192.0.2.14"}, {keys: "r", text: "majority of 2 holds"}, {keys: "space y", text: "Restart OB server #",
			do: func(env *goldenEnv) { env.clock.Advance(20 * time.Second) }},
		{keys: "t", text: "1 task"}}}, // the Task view shows RUNNING already: wait for the loaded list
	// The footer of a failed task at 100 and 120 columns keeps esc and the
	// task's actions; the rest is in ?.
	{name: "embedded-failed-footer", embedded: true, scenario: "fail-once:stop-server", noToast: true, sizes: [][2]int{{100, 30}, {120, 40}},
		steps: []step{{text: "terran"}, {keys: "enter", text: "Zones of protoss"}, {keys: "enter", text: "192.0.2.11"},
			{keys: "r", text: "Normal restart"}, {keys: "y", text: "Restart OB server #", do: func(env *goldenEnv) { env.clock.RunUntilIdle() }},
			{keys: "ctrl+r", text: "state: FAILED"}}}, // the log tail too: the frame is whole
	// q while the restart started here runs: the question and where the
	// task goes on.
	{name: "quit-question", sizes: [][2]int{{100, 24}, {120, 40}}, steps: []step{{text: "terran"}, {keys: "enter", text: "idc3"},
		{keys: "down enter", text: "198.51.100.15"}, {keys: "r", text: "Normal restart"}, {keys: "y", text: "task 101"}, {keys: "esc q", text: "quit anyway"}}},
	// The Task view's help: its own keys, no list keys; the legend.
	{name: "help-taskview", embedded: true, sizes: [][2]int{{100, 40}, {120, 40}}, steps: []step{{text: "terran"}, {keys: "enter", text: "Zones of protoss"},
		{keys: "enter", text: "192.0.2.11"}, {keys: "r", text: "Normal restart"}, {keys: "y", text: "Restart OB server #"}, {keys: "?", text: "retry task"}}},
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		sizes := tc.sizes
		if sizes == nil {
			sizes = [][2]int{{80, 24}, {120, 40}}
		}
		for _, size := range sizes {
			t.Run(fmt.Sprintf("%s_%dx%d", tc.name, size[0], size[1]), func(t *testing.T) {
				runGolden(t, tc, size[0], size[1])
			})
		}
	}
}

func runGolden(t *testing.T, tc goldenCase, w, h int) {
	env := &goldenEnv{fake: commontest.New()}
	var exec backend.Executor = env.fake
	if tc.target != nil {
		env.fake.SetTarget(*tc.target)
	}
	if tc.embedded {
		env.clock = embedded.NewFakeClock(commontest.Epoch)
		emb, err := embedded.New(embedded.Options{Clock: env.clock, Seed: 1, Scenario: tc.scenario})
		if err != nil {
			t.Fatal(err)
		}
		defer emb.Close()
		exec = emb
	}
	th := theme.New(theme.Options{Mode: theme.Dark, ASCII: tc.ascii, NoColor: tc.noColor})
	ctx := common.NewContext(exec, th, keys.New(tc.ascii), tc.readOnly, time.Second)
	m := New(ctx, Options{
		// No timers: ticks and toast expiry never fire, so the frame is
		// the same on every run.
		Schedule: func(time.Duration, func() tea.Msg) tea.Cmd { return nil },
		TaskView: func(ctx *common.Context, id int64) common.Screen { return taskview.New(ctx, id) },
	})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
	for _, s := range tc.steps {
		for _, k := range strings.Fields(s.keys) {
			tm.Send(keyMsg(k))
		}
		if s.text != "" {
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s.text)) },
				teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(time.Millisecond))
		}
		if s.do != nil {
			s.do(env)
		}
	}
	tm.Send(keyMsg("ctrl+c"))
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	if tc.noToast {
		final.toast, final.waiting = nil, nil
	}
	view := final.View()
	if got := strings.Count(view, "\n") + 1; got != h {
		t.Errorf("view is %d lines, want %d", got, h)
	}
	golden.RequireEqual(t, []byte(view))
}
