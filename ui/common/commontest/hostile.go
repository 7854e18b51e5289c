package commontest

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

// Hostile is what a hostile or broken OCP puts in every string it sends:
// a window title (OSC 0), a clipboard write (OSC 52), a screen clear, the
// C1 controls CSI (U+009B) and NEL (U+0085), a DCS string, a backspace, a
// right-to-left override and bytes that are not UTF-8.
const Hostile = "\x1b]0;pwned\x07" + "\x1b]52;c;ZXZpbA==\x1b\\" + "\x1b[2J" + "\u009b31m" + "\u0085" +
	"\x1bPq#0;2;0;0;0\x1b\\" + "a\bb" + "\u202e" + "\xff\xfe"

// h is name with the hostile payload inside it, so each field is still
// told apart on screen.
func h(name string) string { return name + Hostile + name }

// HostileError is an error as a hostile OCP answers: its message and trace
// id carry the payload and secret (a credential the server echoed back).
func HostileError(kind backend.Kind, secret string) *backend.Error {
	return &backend.Error{Kind: kind, Op: "list" + Hostile, Message: "refused " + secret + " " + Hostile,
		Code: h("code"), HTTP: 500, TraceID: h("trace-") + secret}
}

// HostileRunningTask is the id of NewHostile's running task.
const HostileRunningTask = 900

// NewHostile returns a Fake whose every string field carries Hostile: the
// target's label and user, one cluster with its zones and servers (names,
// regions, IDCs, versions, unknown status words, a start time that is not
// a time), and tasks whose names, statuses, context values, operations and
// steps (names, descriptions, class names) do too, with a timeout of 2^63-1
// s and attempt counts of -2^63 and 2^63-1. Every step's log carries it on
// many lines and the secret once.
func NewHostile(secret string) *Fake {
	f := &Fake{now: Epoch, zones: map[int64][]ocp.Zone{}, servers: map[int64][]ocp.Server{}, nextTask: 1000,
		target: backend.Target{Kind: "remote", Label: h("https://ocp.example"), User: h("admin"), Insecure: true}}
	c := ocp.Cluster{ID: 1, Name: h("protoss"), ObVersion: h("4.2"), Type: ocp.ClusterType(h("PRIMARY")),
		Status: ocp.ClusterStatus(h("RUNNING")), ServerCount: 3}
	sid := int64(1000)
	for zi, zs := range []ocp.ServerStatus{ocp.ServerRunning, ocp.ServerStatus(h("ODD"))} {
		zname := h("zone" + strconv.Itoa(zi+1))
		z := ocp.Zone{Name: zname, ClusterID: 1, RegionName: h("region"), IDCName: h("idc"), Status: zs,
			InnerStatus: h("inner"), ServerCount: 2 - zi}
		for k := 0; k < 2-zi; k++ {
			sid++
			s := ocp.Server{ID: sid, IP: h("198.51.100." + strconv.Itoa(int(sid%200))), Port: 2882, SQLPort: 2881,
				Version: h("4.2.1"), Status: ocp.ServerRunning, InnerStatus: h("inner"), ClusterID: 1,
				ZoneName: zname, RegionName: z.RegionName, IDCName: z.IDCName, WithRootserver: k == 0,
				StartTime: ocp.Time{Raw: h("yesterday")}}
			if k == 1 {
				s.Status = ocp.ServerStatus(h("WEIRD"))
				s.StartTime = ocp.NewTime(Epoch.Add(-time.Hour))
			}
			f.servers[1] = append(f.servers[1], s)
		}
		f.zones[1] = append(f.zones[1], z)
	}
	c.Zones = f.zones[1]
	f.clusters = []ocp.Cluster{c}

	ctx := ocp.TaskContext{StringMap: map[string]string{"cluster_name": h("protoss"), "zone_name": h("zone1"),
		"server_id": h("1001")}}
	step := func(id int64, st ocp.SubtaskStatus, up ...int64) ocp.Subtask {
		return ocp.Subtask{ID: id, Name: h("step" + strconv.FormatInt(id, 10)), Description: h("does things"),
			ClassName: h("com.oceanbase.ocp.Step"), Status: st, Operation: ocp.Operation(h("EXECUTE")),
			Timeout: math.MaxInt64, RunTime: math.MinInt64, Upstreams: up,
			StartTime: ocp.NewTime(Epoch.Add(-10 * time.Minute)), FinishTime: ocp.NewTime(Epoch.Add(-9 * time.Minute))}
	}
	steps := []ocp.Subtask{
		step(1, ocp.SubtaskSuccessful),
		step(2, ocp.SubtaskFailed, 1),
		step(3, ocp.SubtaskRunning, 1),
		step(4, ocp.SubtaskStatus(h("LIMBO")), 2, 3),
	}
	steps[1].RunTime = math.MaxInt
	steps[2].FinishTime = ocp.Time{}
	steps[3].StartTime = ocp.Time{Raw: h("soon")}
	running := ocp.Task{ID: HostileRunningTask, Name: h("Restart observer"), Status: ocp.TaskRunning,
		Operation: ocp.Operation(h("ROLLBACK")), ClusterID: 1, Context: ctx,
		StartTime: ocp.NewTime(Epoch.Add(-10 * time.Minute)), Subtasks: steps}
	odd := ocp.Task{ID: HostileRunningTask + 1, Name: h("Odd task"), Status: ocp.TaskStatus(h("HALF")), ClusterID: 1,
		Context: ctx, StartTime: ocp.Time{Raw: h("then")}, Subtasks: []ocp.Subtask{}}
	f.tasks = []ocp.Task{running, odd}

	var log strings.Builder
	for i := 0; i < 40; i++ {
		log.WriteString("line " + strconv.Itoa(i) + " " + h("log") + "\tafter a tab\r\n")
	}
	log.WriteString("echoed credential " + secret + "\n")
	f.SetLog(log.String())
	return f
}
