package ocp

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
)

// TaskContext is a task's parameters. Newer builds send an object
// {listMap, stringMap, parallel, parallelIdx}; older ones an opaque string,
// kept in Raw (and parsed into the maps too when it happens to be JSON).
// Ids inside the maps are strings ("13000002").
type TaskContext struct {
	ListMap     map[string][]string `json:"listMap,omitempty"`
	StringMap   map[string]string   `json:"stringMap,omitempty"`
	Parallel    bool                `json:"parallel"`
	ParallelIdx int                 `json:"parallelIdx"`
	Raw         string              `json:"-"`
	Extra       Extra               `json:"-"`

	present bool
}

// Get returns a stringMap entry, "" when absent.
func (c TaskContext) Get(key string) string { return c.StringMap[key] }

// IsZero lets `omitzero` drop a context that was never sent.
func (c TaskContext) IsZero() bool {
	return !c.present && c.Raw == "" && len(c.StringMap) == 0 && len(c.ListMap) == 0
}

func (c *TaskContext) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return nil
	}
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*c = TaskContext{Raw: s}
		var inner TaskContext
		if len(s) > 0 && s[0] == '{' && json.Unmarshal([]byte(s), &inner) == nil {
			c.ListMap, c.StringMap = inner.ListMap, inner.StringMap
			c.Parallel, c.ParallelIdx = inner.Parallel, inner.ParallelIdx
		}
		return nil
	}
	// Map values are decoded loosely: a build that sends numbers or bools
	// where strings are documented still gives usable text.
	var p struct {
		ListMap     map[string][]json.RawMessage `json:"listMap"`
		StringMap   map[string]json.RawMessage   `json:"stringMap"`
		Parallel    bool                         `json:"parallel"`
		ParallelIdx int                          `json:"parallelIdx"`
	}
	raw, err := decodeObject(b, &p)
	if err != nil {
		return err
	}
	*c = TaskContext{Parallel: p.Parallel, ParallelIdx: p.ParallelIdx, present: true}
	if p.ListMap != nil {
		c.ListMap = make(map[string][]string, len(p.ListMap))
		for k, vs := range p.ListMap {
			out := make([]string, len(vs))
			for i, v := range vs {
				out[i] = scalarText(v)
			}
			c.ListMap[k] = out
		}
	}
	if p.StringMap != nil {
		c.StringMap = make(map[string]string, len(p.StringMap))
		for k, v := range p.StringMap {
			c.StringMap[k] = scalarText(v)
		}
	}
	c.Extra = collectExtra(raw, &p)
	return nil
}

func (c TaskContext) MarshalJSON() ([]byte, error) {
	if c.Raw != "" {
		return json.Marshal(c.Raw)
	}
	type plain TaskContext
	p := plain(c)
	if p.ListMap == nil {
		p.ListMap = map[string][]string{}
	}
	if p.StringMap == nil {
		p.StringMap = map[string]string{}
	}
	return encodeWithExtra(p, c.Extra)
}

// scalarText turns a JSON scalar into text: strings unquoted, others as written.
func scalarText(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	return string(bytes.TrimSpace(v))
}

// Task is an OCP task instance with its subtasks.
type Task struct {
	ID               int64       `json:"id"`
	Name             string      `json:"name"`
	Status           TaskStatus  `json:"status"`
	Type             TaskType    `json:"type,omitempty"`
	Operation        Operation   `json:"operation,omitempty"`
	Creator          Creator     `json:"creator,omitzero"`
	Executor         string      `json:"executor,omitempty"`
	ClusterID        int64       `json:"clusterId,omitempty"`
	Context          TaskContext `json:"context,omitzero"`
	CreateTime       Time        `json:"createTime,omitzero"`
	StartTime        Time        `json:"startTime,omitzero"`
	FinishTime       Time        `json:"finishTime,omitzero"`
	ProhibitRollback bool        `json:"prohibitRollback"`
	TaskDefinitionID int64       `json:"taskDefinitionId"`
	// Older builds send the subtasks under "tasks"; both decode here and
	// encoding always writes "subtasks".
	Subtasks []Subtask `json:"subtasks"`
	Extra    Extra     `json:"-"`
}

func (t *Task) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return nil
	}
	type plain Task
	var p plain
	raw, err := decodeObject(b, &p)
	if err != nil {
		return err
	}
	if _, hasSubtasks := raw["subtasks"]; !hasSubtasks {
		if old, ok := raw["tasks"]; ok && !isNull(old) {
			if err := json.Unmarshal(old, &p.Subtasks); err != nil {
				return err
			}
		}
	}
	*t = Task(p)
	t.Extra = collectExtra(raw, &p, "tasks")
	return nil
}

func (t Task) MarshalJSON() ([]byte, error) {
	type plain Task
	p := plain(t)
	if p.Subtasks == nil {
		p.Subtasks = []Subtask{}
	}
	return encodeWithExtra(p, t.Extra)
}

// Subtask lookup by id; nil when absent.
func (t *Task) Subtask(id int64) *Subtask {
	for i := range t.Subtasks {
		if t.Subtasks[i].ID == id {
			return &t.Subtasks[i]
		}
	}
	return nil
}

// Force reports whether the task is a force restart (as the context says).
func (t *Task) Force() bool {
	v, err := strconv.ParseBool(t.Context.Get("force"))
	return err == nil && v
}

// Subtask is one step of a task. Timeout is in seconds; RunTime counts how
// many times the step has been executed (attempts), not a duration.
type Subtask struct {
	ID               int64         `json:"id"`
	Name             string        `json:"name"`
	Description      string        `json:"description,omitempty"`
	ClassName        string        `json:"className,omitempty"`
	NodeType         NodeType      `json:"nodeType,omitempty"`
	Status           SubtaskStatus `json:"status"`
	Operation        Operation     `json:"operation,omitempty"`
	Timeout          int64         `json:"timeout"`
	RunTime          int           `json:"runTime"`
	StartTime        Time          `json:"startTime,omitzero"`
	FinishTime       Time          `json:"finishTime,omitzero"`
	CreateTime       Time          `json:"createTime,omitzero"`
	Executor         string        `json:"executor,omitempty"`
	SeriesID         int64         `json:"seriesId"`
	ParallelIdx      int           `json:"parallelIdx"`
	Upstreams        []int64       `json:"upstreams"`
	Downstreams      []int64       `json:"downstreams"`
	ProhibitRollback bool          `json:"prohibitRollback"`
	ProhibitSkip     bool          `json:"prohibitSkip,omitempty"`
	TaskID           int64         `json:"taskId,omitempty"`
	Extra            Extra         `json:"-"`
}

func (s *Subtask) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		return nil
	}
	type plain Subtask
	var p plain
	raw, err := decodeObject(b, &p)
	if err != nil {
		return err
	}
	*s = Subtask(p)
	s.Extra = collectExtra(raw, &p)
	return nil
}

func (s Subtask) MarshalJSON() ([]byte, error) {
	type plain Subtask
	p := plain(s)
	if p.Upstreams == nil {
		p.Upstreams = []int64{}
	}
	if p.Downstreams == nil {
		p.Downstreams = []int64{}
	}
	return encodeWithExtra(p, s.Extra)
}

// MaxShownDuration is the longest duration shown as a figure; anything
// longer (a hostile or garbled timeout) is shown as "> 100y".
const MaxShownDuration = 100 * 365 * 24 * time.Hour

// SecondsDuration converts a count of seconds from OCP to a duration without
// wrapping: values beyond MaxShownDuration are clamped to just past it, so
// a timeout of 2^63−1 s reads "> 100y", never "0s". ok is false for a value
// that is not a positive duration (absent, zero or negative).
func SecondsDuration(sec int64) (d time.Duration, ok bool) {
	if sec <= 0 {
		return 0, false
	}
	if sec > int64(MaxShownDuration/time.Second) {
		return MaxShownDuration + time.Second, true
	}
	return time.Duration(sec) * time.Second, true
}

// TimeoutDuration is the step's timeout; ok is false when none was given.
func (s *Subtask) TimeoutDuration() (time.Duration, bool) { return SecondsDuration(s.Timeout) }

// AttemptsKnown reports whether RunTime is a plausible attempt count: a
// negative or absurd one (garbled, hostile) is shown as "?", never raw.
func (s *Subtask) AttemptsKnown() bool { return s.RunTime >= 0 && s.RunTime <= MaxAttempts }

// MaxAttempts is the largest attempt count shown as a figure.
const MaxAttempts = 1_000_000
