package taskview

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/obconsole/obconsole/backend/dag"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
	"github.com/obconsole/obconsole/theme"
)

// fanOutIn is 1 → {2, 3, 4} → 5, as the dag orders it.
func fanOutIn() *dag.Graph {
	return dag.Build([]dag.Node{
		{ID: 1, Downstreams: []int64{2, 3, 4}},
		{ID: 2, Downstreams: []int64{5}},
		{ID: 3, Downstreams: []int64{5}},
		{ID: 4, Downstreams: []int64{5}},
		{ID: 5},
	})
}

func drawAll(lg *laneGlyphs, g *dag.Graph, cols int) []string {
	var out []string
	for i := range g.Rows {
		out = append(out, lg.lanes(&g.Rows[i], cols))
	}
	return out
}

func TestLaneGlyphs(t *testing.T) {
	g := fanOutIn()
	uni := drawAll(newLaneGlyphs(theme.Default()), g, g.Width)
	wantUni := []string{"●─┬─╮", "● │ │", "│ ● │", "│ │ ●", "●─┴─╯"}
	if !reflect.DeepEqual(uni, wantUni) {
		t.Errorf("unicode lanes\n%s\nwant\n%s", strings.Join(uni, "\n"), strings.Join(wantUni, "\n"))
	}
	ascii := drawAll(newLaneGlyphs(theme.New(theme.Options{ASCII: true})), g, g.Width)
	wantASCII := []string{`*-+-\`, "* | |", "| * |", "| | *", "*-+-/"}
	if !reflect.DeepEqual(ascii, wantASCII) {
		t.Errorf("ascii lanes\n%s\nwant\n%s", strings.Join(ascii, "\n"), strings.Join(wantASCII, "\n"))
	}
}

func TestEveryCellHasAGlyph(t *testing.T) {
	for _, ascii := range []bool{false, true} {
		lg := newLaneGlyphs(theme.New(theme.Options{ASCII: ascii}))
		for c, s := range lg.cell {
			if len([]rune(s)) != 1 {
				t.Errorf("ascii=%v: cell %d drawn as %q, want one column", ascii, c, s)
			}
			if ascii && s[0] > 0x7e {
				t.Errorf("ascii cell %d is %q", c, s)
			}
		}
	}
}

func TestLanesNarrowerThanTheGraphKeepTheStep(t *testing.T) {
	g := fanOutIn()
	lg := newLaneGlyphs(theme.Default())
	got := drawAll(lg, g, 2)
	// Cut to two columns, the step in the third lane shows in the last one.
	want := []string{"●─┬", "● │", "│ ●", "│ ●", "●─┴"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("cut lanes %q, want %q", got, want)
	}
	if lg.lanes(&g.Rows[0], 0) != "" {
		t.Error("zero columns must draw nothing")
	}
}

func TestTimeoutMath(t *testing.T) {
	if r := timeoutRatio(24*time.Minute, 1800); r != 0.8 {
		t.Errorf("24m of 30m = %v", r)
	}
	if r := timeoutRatio(time.Hour, 0); r != 0 {
		t.Errorf("no timeout = %v", r)
	}
	for ratio, want := range map[float64]string{0: "  0%", 0.07: "  7%", 0.874: " 87%", 1.12: "112%", 50: ">999", -1: "  0%"} {
		if got := percent(ratio); got != want {
			t.Errorf("percent(%v) = %q, want %q", ratio, got, want)
		}
	}
	th := theme.Default()
	for sec, want := range map[int64]string{-5: "-", 30: "0:30", 1800: "30:00", 7200: "2:00:00",
		math.MaxInt64: "> 100y", int64(ocp.MaxShownDuration/time.Second) + 1: "> 100y", math.MaxInt64 / 1_000_000_000: "> 100y"} {
		if got := timeoutText(th, &ocp.Subtask{Timeout: sec}); got != want {
			t.Errorf("timeoutText(%d) = %q, want %q", sec, got, want)
		}
	}
	runs := func(n int) *ocp.Subtask { return &ocp.Subtask{RunTime: n} }
	if attempts(th, runs(1)) != "" || attempts(th, runs(3)) != "×3" || attempts(theme.New(theme.Options{ASCII: true}), runs(12)) != "x12" {
		t.Error("attempts")
	}
	for _, n := range []int{math.MinInt64, -1, ocp.MaxAttempts + 1, math.MaxInt64} {
		if got := attempts(th, runs(n)); got != "?" {
			t.Errorf("attempts(%d) = %q, want ?", n, got)
		}
		if got, ok := runCount(th, runs(n)); got != "?" || ok {
			t.Errorf("runCount(%d) = %q, %v, want ?", n, got, ok)
		}
	}
}

// A timeout of 2^63-1 s (garbled or hostile) is far from any elapsed time:
// it never wraps into a small or negative limit that would read as overrun.
func TestHugeTimeoutIsFarFromTheLimit(t *testing.T) {
	for _, sec := range []int64{math.MaxInt64, math.MaxInt64 / 1_000_000_000, math.MaxInt64/1_000_000_000 + 1} {
		r := timeoutRatio(1000*time.Hour, sec)
		if r < 0 || r > 0.01 || theme.GaugeTone(r) != theme.ToneOK {
			t.Errorf("timeout %d s: ratio %v", sec, r)
		}
		if got := percent(r); got != "  0%" {
			t.Errorf("timeout %d s: percent %q", sec, got)
		}
	}
}

// The documented give-way order: the gauge bar narrows, then the timeout
// column, the gauge bar, the status word and the lanes go. The name keeps
// the longest step name when it can.
func TestColumnsGiveWayInOrder(t *testing.T) {
	th := theme.Default()
	const name = 24
	sw := th.StatusWidth(theme.SubjectSubtask)
	wide := layoutColumns(th, 120, 3, name, 0, sw)
	if !wide.limit || wide.gaugeBar < gaugeBarW || !wide.words || wide.graph != 3 || wide.name != name+1 {
		t.Fatalf("120 columns: %+v", wide)
	}
	var prev columns
	order := []string{}
	for w := 120; w >= 20; w-- {
		c := layoutColumns(th, w, 3, name, 0, sw)
		if w < 120 {
			switch {
			case c.limit && c.gaugeBar < gaugeBarW && len(order) == 0:
				order = append(order, "narrow")
			case prev.limit && !c.limit:
				order = append(order, "limit")
			case prev.gaugeBar > 0 && c.gaugeBar == 0:
				order = append(order, "gauge")
			case prev.words && !c.words:
				order = append(order, "words")
			case prev.graph > c.graph && c.graph == 1:
				order = append(order, "lanes")
			}
		}
		if total := cursorW + 2*c.graph - 1 + 1 + c.statusW + 1 + c.name; total > w {
			t.Fatalf("width %d: the name column ends at %d", w, total)
		}
		prev = c
	}
	if want := []string{"narrow", "limit", "gauge", "words", "lanes"}; !reflect.DeepEqual(order, want) {
		t.Fatalf("give-way order %v, want %v", order, want)
	}
	// At 80 columns the restart's names are whole.
	if c := layoutColumns(th, 80, 1, name, 0, sw); c.name < name {
		t.Fatalf("80 columns cut the names: %+v", c)
	}
}

func TestLogTail(t *testing.T) {
	th := theme.Default()
	// The view hands logTail the log made safe (safetext.Text), as gotLog does.
	log := safetext.Text("first entry\nsecond entry is long enough to wrap\r\nthird\tentry\n\n")
	if got := logTail(th, log, 10, 20); !reflect.DeepEqual(got, []string{
		"first entry", "second entry is long", "enough to wrap", "third   entry"}) {
		t.Errorf("whole log: %q", got)
	}
	// Only whole entries: the second does not fit beside the third.
	if got := logTail(th, "a\nsecond entry is long enough to wrap\nthird", 2, 20); !reflect.DeepEqual(got, []string{"third"}) {
		t.Errorf("two lines: %q", got)
	}
	// One entry too long alone shows its beginning.
	got := logTail(th, "x\n"+strings.Repeat("word ", 20), 2, 20)
	if len(got) != 2 || !strings.HasPrefix(got[0], "word word") || !strings.HasSuffix(got[1], "…") {
		t.Errorf("long entry: %q", got)
	}
	if logTail(th, "", 5, 20) != nil || logTail(th, "x", 0, 20) != nil {
		t.Error("empty cases")
	}
	// Escapes from the log are shown as text, never run (nor hidden).
	if got := logTail(th, safetext.Text("\x1b[31mred\x1b[0m"), 1, 20); !reflect.DeepEqual(got, []string{"^[[31mred^[[0m"}) {
		t.Errorf("escapes: %q", got)
	}
}

func TestWrapASCII(t *testing.T) {
	for _, c := range []struct {
		in   string
		w    int
		want []string
	}{
		{"short", 10, []string{"short"}},
		{"one two three four", 9, []string{"one two", "three", "four"}},
		{"abcdefghijkl mn", 5, []string{"abcde", "fghij", "kl mn"}},
		{"exactly10!", 10, []string{"exactly10!"}},
		{"a  b", 1, []string{"a", "b"}},
	} {
		if got := wrapASCII(c.in, c.w); !reflect.DeepEqual(got, c.want) {
			t.Errorf("wrapASCII(%q, %d) = %q, want %q", c.in, c.w, got, c.want)
		}
	}
}
