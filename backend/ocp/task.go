package ocp

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// TaskContext is a task's parameters. Newer builds send an object
// {listMap, stringMap, parallel, parallelIdx}; older ones the Java
// toString of OCP's Context, "Context(parallelIdx=-1, stringMap={…},
// listMap={…})", which is kept in Raw and parsed into the maps as well as
// it can be (ParseJavaContext); a string that happens to be JSON is parsed
// too. Ids inside the maps are strings ("13000002").
type TaskContext struct {
	ListMap     map[string][]string `json:"listMap,omitempty"`
	StringMap   map[string]string   `json:"stringMap,omitempty"`
	Parallel    bool                `json:"parallel"`
	ParallelIdx int                 `json:"parallelIdx"`
	Raw         string              `json:"-"`
	wireMeta    `json:"-"`          // Extra: the members this type does not model

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
		} else if jc, ok := ParseJavaContext(s); ok {
			c.ListMap, c.StringMap, c.ParallelIdx = jc.ListMap, jc.StringMap, jc.ParallelIdx
		}
		return nil
	}
	var p contextWire
	if ok, err := decodeWire(b, &p); !ok {
		return err
	}
	*c = TaskContext{Parallel: p.Parallel, ParallelIdx: p.ParallelIdx, present: true, wireMeta: p.wireMeta}
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
	return nil
}

// contextWire is the object form of TaskContext as it is read: map values
// are decoded loosely, so a build that sends numbers or bools where
// strings are documented still gives usable text.
type contextWire struct {
	ListMap     map[string][]json.RawMessage `json:"listMap"`
	StringMap   map[string]json.RawMessage   `json:"stringMap"`
	Parallel    bool                         `json:"parallel"`
	ParallelIdx int                          `json:"parallelIdx"`
	wireMeta    `json:"-"`
}

// taskContextWire is TaskContext without its methods, for encoding/json.
type taskContextWire TaskContext

func (c TaskContext) MarshalJSON() ([]byte, error) {
	if c.Raw != "" {
		return json.Marshal(c.Raw)
	}
	return encodeWire(taskContextWire(c), nil)
}

// scalarText turns a JSON scalar into text: strings unquoted, others as written.
func scalarText(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	return string(bytes.TrimSpace(v))
}

// TaskCluster is the cluster a task belongs to, as task lists and older
// task details name it.
type TaskCluster struct {
	ID          int64       `json:"id"`
	Name        string      `json:"name"`
	ObClusterID int64       `json:"obClusterId,omitempty"`
	Type        ClusterType `json:"type,omitempty"`
	wireMeta    `json:"-"`  // Extra: the members this type does not model
}

// TaskTenant is the tenant a task belongs to: "tenant" in OCP's task list,
// "tenantInfo" in OCP Express (which sends only obTenantId and name).
type TaskTenant struct {
	ID         int64      `json:"id,omitempty"`
	Name       string     `json:"name"`
	Mode       TenantMode `json:"mode,omitempty"`
	ObTenantID int64      `json:"obTenantId,omitempty"`
	wireMeta   `json:"-"` // Extra: the members this type does not model
}

// Task is an OCP task instance with its subtasks. Builds differ in what
// they send: a task just created carries clusterId and an object context;
// start and stop of a server carry a cluster object, a toString context
// and the steps under "tasks"; task details carry neither cluster nor
// context; task-list items carry a cluster object, perhaps a tenant, and
// steps without edges, timeouts or run counts. ClusterName, TenantRef and
// the other methods read whichever arrived.
type Task struct {
	ID               int64        `json:"id"`
	Name             string       `json:"name"`
	Status           TaskStatus   `json:"status"`
	Type             TaskType     `json:"type,omitempty"`
	Operation        Operation    `json:"operation,omitempty"`
	Creator          Creator      `json:"creator,omitzero"`
	Executor         string       `json:"executor,omitempty"`
	ClusterID        int64        `json:"clusterId,omitempty"`
	Cluster          *TaskCluster `json:"cluster,omitempty"`
	TenantID         int64        `json:"tenantId,omitempty"`
	Tenant           *TaskTenant  `json:"tenant,omitempty"`
	TenantInfo       *TaskTenant  `json:"tenantInfo,omitempty"`
	ObTenantID       int64        `json:"obTenantId,omitempty"`
	HostID           int64        `json:"hostId,omitempty"`
	Context          TaskContext  `json:"context,omitzero"`
	CreateTime       Time         `json:"createTime,omitzero"`
	StartTime        Time         `json:"startTime,omitzero"`
	FinishTime       Time         `json:"finishTime,omitzero"`
	ProhibitRollback bool         `json:"prohibitRollback"`
	TaskDefinitionID int64        `json:"taskDefinitionId"`
	// Older builds send the subtasks under "tasks"; both decode here and
	// encoding always writes "subtasks".
	Subtasks []Subtask  `json:"subtasks"`
	wireMeta `json:"-"` // Extra: the members this type does not model

	// derivedClusterID is the ClusterID read from the cluster object or the
	// context when no clusterId arrived; it is not written back.
	derivedClusterID int64
}

// taskWire is Task without its methods, for encoding/json.
type taskWire Task

func (t *Task) UnmarshalJSON(b []byte) error {
	var p taskWire
	tasks := alias{name: "tasks"}
	if ok, err := decodeWire(b, &p, &tasks); !ok {
		return err
	}
	if tasks.raw != nil && p.shape.isAbsent("subtasks") && !isNull(tasks.raw) {
		if err := json.Unmarshal(tasks.raw, &p.Subtasks); err != nil {
			return err
		}
		p.shape = p.shape.arrived("subtasks") // written as "subtasks"
	}
	*t = Task(p)
	if t.shape.isAbsent("clusterId") {
		switch {
		case t.Cluster != nil && t.Cluster.ID != 0:
			t.ClusterID = t.Cluster.ID
		default:
			if id, err := strconv.ParseInt(t.Context.Get("cluster_id"), 10, 64); err == nil {
				t.ClusterID = id
			}
		}
		t.derivedClusterID = t.ClusterID
	}
	return nil
}

func (t Task) MarshalJSON() ([]byte, error) {
	p := taskWire(t)
	if p.Subtasks == nil && !t.shape.isAbsent("subtasks") {
		p.Subtasks = []Subtask{}
	}
	var drop map[string]bool
	if t.derivedClusterID != 0 && t.ClusterID == t.derivedClusterID {
		drop = map[string]bool{"clusterId": true}
	}
	return encodeWire(p, drop)
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

// ClusterName is the name of the task's cluster: the cluster object's,
// else the context's cluster_name; "" when neither arrived (task details
// name no cluster: look it up by ClusterID, which is 0 then too).
func (t *Task) ClusterName() string {
	if t.Cluster != nil && t.Cluster.Name != "" {
		return t.Cluster.Name
	}
	return t.Context.Get("cluster_name")
}

// TenantRef is the task's tenant object, "tenant" or "tenantInfo"; nil
// when the task names no tenant.
func (t *Task) TenantRef() *TaskTenant {
	if t.Tenant != nil {
		return t.Tenant
	}
	return t.TenantInfo
}

// TenantName is the name of the task's tenant, from the tenant object or
// the context's tenant_name; "" for a task of no tenant.
func (t *Task) TenantName() string {
	if tt := t.TenantRef(); tt != nil && tt.Name != "" {
		return tt.Name
	}
	return t.Context.Get("tenant_name")
}

// ZoneName is the zone the task works on, as its context says.
func (t *Task) ZoneName() string { return t.Context.Get("zone_name") }

// ServerIDs are the servers the task works on, as its context says
// (listMap server_ids, else stringMap server_id); ids that are not
// numbers are left out.
func (t *Task) ServerIDs() []int64 {
	texts := t.Context.ListMap["server_ids"]
	if len(texts) == 0 && t.Context.Get("server_id") != "" {
		texts = []string{t.Context.Get("server_id")}
	}
	var ids []int64
	for _, s := range texts {
		if id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// Subtask is one step of a task. Timeout is in seconds. RunTime is OCP's
// run count: 1 before the first run, raised by a task retry but not by a
// step retry, so as a count of attempts it is a lower bound.
//
// Task-list items carry no timeout, run count or edges: the *Known methods
// say whether those arrived, and encoding leaves out what did not. A
// Subtask built in Go has them all.
type Subtask struct {
	ID               int64         `json:"id"`
	Name             string        `json:"name"`
	Description      string        `json:"description,omitempty"`
	ClassName        string        `json:"className,omitempty"`
	NodeType         NodeType      `json:"nodeType,omitempty"`
	Status           SubtaskStatus `json:"status"`
	Operation        Operation     `json:"operation,omitempty"` // what the last run did: EXECUTE, RETRY, ROLLBACK, SKIP…
	Timeout          int64         `json:"timeout"`
	RunTime          int           `json:"runTime"`
	StartTime        Time          `json:"startTime,omitzero"`
	FinishTime       Time          `json:"finishTime,omitzero"`
	CreateTime       Time          `json:"createTime,omitzero"`
	Executor         string        `json:"executor,omitempty"`
	SeriesID         int64         `json:"seriesId"` // says nothing of the order: only the edges do
	ParallelIdx      int           `json:"parallelIdx"`
	Upstreams        []int64       `json:"upstreams"`
	Downstreams      []int64       `json:"downstreams"`
	ProhibitRollback bool          `json:"prohibitRollback"`
	ProhibitSkip     bool          `json:"prohibitSkip,omitempty"`
	TaskID           int64         `json:"taskId,omitempty"`
	wireMeta         `json:"-"`    // Extra: the members this type does not model
}

// subtaskWire is Subtask without its methods, for encoding/json.
type subtaskWire Subtask

func (s *Subtask) UnmarshalJSON(b []byte) error { return decodeInto(b, (*subtaskWire)(s)) }

func (s Subtask) MarshalJSON() ([]byte, error) {
	p := subtaskWire(s)
	if p.Upstreams == nil && !s.shape.isAbsent("upstreams") {
		p.Upstreams = []int64{}
	}
	if p.Downstreams == nil && !s.shape.isAbsent("downstreams") {
		p.Downstreams = []int64{}
	}
	return encodeWire(p, nil)
}

// TimeoutKnown reports whether the step's timeout arrived (or was set).
func (s *Subtask) TimeoutKnown() bool { return !s.shape.isAbsent("timeout") || s.Timeout != 0 }

// RunTimeKnown reports whether the step's run count arrived (or was set).
func (s *Subtask) RunTimeKnown() bool { return !s.shape.isAbsent("runTime") || s.RunTime != 0 }

// EdgesKnown reports whether both edge lists arrived (or were set): when
// they did not, the step's place in the graph is unknown, which is not the
// same as a step with no upstreams.
func (s *Subtask) EdgesKnown() bool {
	return (!s.shape.isAbsent("upstreams") || len(s.Upstreams) > 0) &&
		(!s.shape.isAbsent("downstreams") || len(s.Downstreams) > 0)
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

// TimeoutDuration is the step's timeout; ok is false when none was given
// or none arrived.
func (s *Subtask) TimeoutDuration() (time.Duration, bool) {
	if !s.TimeoutKnown() {
		return 0, false
	}
	return SecondsDuration(s.Timeout)
}

// AttemptsKnown reports whether RunTime arrived and is a plausible count:
// a missing, negative or absurd one (garbled, hostile) is shown as
// unknown, never raw.
func (s *Subtask) AttemptsKnown() bool {
	return s.RunTimeKnown() && s.RunTime >= 0 && s.RunTime <= MaxAttempts
}

// MaxAttempts is the largest attempt count shown as a figure.
const MaxAttempts = 1_000_000
