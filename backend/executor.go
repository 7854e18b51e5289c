// Package backend is the only door between the console and the world: the
// Executor contract both the embedded simulator and the remote OCP client
// fulfil, and the typed errors they return.
package backend

import (
	"context"
	"time"

	"github.com/obconsole/obconsole/backend/ocp"
)

// Target describes what an executor talks to, for the status bar and audit.
type Target struct {
	Kind     string // "embedded" or "remote"
	Label    string // "embedded demo fleet", "https://ocp.example:8080"
	URL      string // empty for embedded
	User     string // OCP user or access key id; never a secret
	Insecure bool   // TLS verification disabled: shown as a warning
}

// String is the one-line description shown to operators.
func (t Target) String() string {
	if t.User != "" {
		return t.Label + " as " + t.User
	}
	return t.Label
}

// RestartOptions are the parameters of a restart call.
type RestartOptions struct {
	// Force restarts even a server that fails the pre-check (one that
	// does not provide service); business access is interrupted.
	Force bool
	// FreezeServer runs a minor compaction (a minor freeze) before the
	// observer process stops: a slower stop, a faster recovery. Newer OCP
	// documents the freezeServer parameter as required for a server
	// restart; older builds ignore it. Zone restarts take no such
	// parameter and ignore it.
	FreezeServer bool
}

// TaskFilter narrows ListTasks. Zero values mean "any".
type TaskFilter struct {
	ClusterID int64
	Status    []ocp.TaskStatus
	Name      string
	Limit     int // 0: executor default
}

// Executor is the contract both executors fulfil. Every call honours ctx.
// Errors are *Error with a Kind; lists never return nil slices on success.
type Executor interface {
	// Describe names the target, e.g. "embedded demo fleet".
	Describe() Target
	// Now is the backend's current time, the frame in which task times are
	// given: the simulator's (possibly sped-up or fake) clock, or the OCP
	// server's clock as estimated from response timestamps. Elapsed times
	// of running steps are measured against it, never the local clock.
	Now() time.Time

	ListClusters(ctx context.Context) ([]ocp.Cluster, error)
	ListZones(ctx context.Context, clusterID int64) ([]ocp.Zone, error)
	// ListServers lists a cluster's servers, or one zone's when zoneName != "".
	ListServers(ctx context.Context, clusterID int64, zoneName string) ([]ocp.Server, error)

	// RestartServer sends exactly one restart request; it is never retried.
	RestartServer(ctx context.Context, clusterID, serverID int64, opts RestartOptions) (*ocp.Task, error)
	// RestartZone restarts every server of a zone as one task.
	RestartZone(ctx context.Context, clusterID int64, zoneName string, opts RestartOptions) (*ocp.Task, error)

	// ListTasks returns tasks newest first, without subtasks necessarily.
	ListTasks(ctx context.Context, filter TaskFilter) ([]ocp.Task, error)
	// GetTask returns a task with all its subtasks.
	GetTask(ctx context.Context, taskID int64) (*ocp.Task, error)
	// SubtaskLog returns the whole log of one subtask, lines split by '\n'.
	SubtaskLog(ctx context.Context, taskID, subtaskID int64) (string, error)

	RetryTask(ctx context.Context, taskID int64) (*ocp.Task, error)
	RollbackTask(ctx context.Context, taskID int64) (*ocp.Task, error)
	RetrySubtask(ctx context.Context, taskID, subtaskID int64) (*ocp.Subtask, error)
	SkipSubtask(ctx context.Context, taskID, subtaskID int64) error
	CancelSubtask(ctx context.Context, taskID, subtaskID int64) error
}
