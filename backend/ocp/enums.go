package ocp

// Every enum is a string type: unknown values from newer OCP builds decode
// unchanged and are shown as they are, never rejected. Known reports
// whether a value is one this client has been told about.

// ClusterStatus is a cluster's status.
type ClusterStatus string

const (
	ClusterRunning    ClusterStatus = "RUNNING"
	ClusterCreating   ClusterStatus = "CREATING"
	ClusterDeleting   ClusterStatus = "DELETING"
	ClusterStarting   ClusterStatus = "STARTING"
	ClusterRestarting ClusterStatus = "RESTARTING"
	ClusterStopping   ClusterStatus = "STOPPING"
	ClusterStopped    ClusterStatus = "STOPPED"
	ClusterTakingOver ClusterStatus = "TAKINGOVER"
	ClusterMovingOut  ClusterStatus = "MOVINGOUT"
	ClusterSwitchover ClusterStatus = "SWITCHOVER"
	ClusterFailover   ClusterStatus = "FAILOVER"
	ClusterOperating  ClusterStatus = "OPERATING"
)

// Known reports whether s is a documented cluster status.
func (s ClusterStatus) Known() bool {
	switch s {
	case ClusterRunning, ClusterCreating, ClusterDeleting, ClusterStarting, ClusterRestarting,
		ClusterStopping, ClusterStopped, ClusterTakingOver, ClusterMovingOut, ClusterSwitchover,
		ClusterFailover, ClusterOperating:
		return true
	}
	return false
}

// ClusterType is PRIMARY or STANDBY.
type ClusterType string

const (
	ClusterPrimary ClusterType = "PRIMARY"
	ClusterStandby ClusterType = "STANDBY"
)

// Known reports whether t is a documented cluster type.
func (t ClusterType) Known() bool { return t == ClusterPrimary || t == ClusterStandby }

// ServerStatus is an OBServer's status. Zone statuses are undocumented and
// are treated like server statuses.
type ServerStatus string

const (
	ServerCreating    ServerStatus = "CREATING"
	ServerRunning     ServerStatus = "RUNNING"
	ServerStopping    ServerStatus = "STOPPING"
	ServerStopped     ServerStatus = "STOPPED"
	ServerStarting    ServerStatus = "STARTING"
	ServerRestarting  ServerStatus = "RESTARTING"
	ServerDeleting    ServerStatus = "DELETING"
	ServerUnavailable ServerStatus = "UNAVAILABLE"
	ServerOperating   ServerStatus = "OPERATING"
	ServerDeleted     ServerStatus = "DELETED"
)

// Known reports whether s is a documented server status.
func (s ServerStatus) Known() bool {
	switch s {
	case ServerCreating, ServerRunning, ServerStopping, ServerStopped, ServerStarting,
		ServerRestarting, ServerDeleting, ServerUnavailable, ServerOperating, ServerDeleted:
		return true
	}
	return false
}

// ZoneStatus is a zone's status (undocumented; server values are used).
type ZoneStatus = ServerStatus

// TaskStatus is a task's status.
type TaskStatus string

const (
	TaskPending    TaskStatus = "PENDING"
	TaskRunning    TaskStatus = "RUNNING"
	TaskFailed     TaskStatus = "FAILED"
	TaskSuccessful TaskStatus = "SUCCESSFUL"
)

// Known reports whether s is a documented task status.
func (s TaskStatus) Known() bool {
	switch s {
	case TaskPending, TaskRunning, TaskFailed, TaskSuccessful:
		return true
	}
	return false
}

// Ended reports whether a task in this status will change no more on its own.
func (s TaskStatus) Ended() bool { return s == TaskFailed || s == TaskSuccessful }

// TaskType is how a task was started.
type TaskType string

const (
	TaskManual       TaskType = "MANUAL"
	TaskScheduled    TaskType = "SCHEDULED"
	TaskSysScheduled TaskType = "SYS_SCHEDULED"
	TaskSysOnce      TaskType = "SYS_ONECE" // sic: OCP's spelling
)

// Known reports whether t is a documented task type.
func (t TaskType) Known() bool {
	switch t {
	case TaskManual, TaskScheduled, TaskSysScheduled, TaskSysOnce:
		return true
	}
	return false
}

// SubtaskStatus is a subtask's status.
type SubtaskStatus string

const (
	SubtaskPending    SubtaskStatus = "PENDING"
	SubtaskReady      SubtaskStatus = "READY"
	SubtaskRunning    SubtaskStatus = "RUNNING"
	SubtaskCanceling  SubtaskStatus = "CANCELING"
	SubtaskFailed     SubtaskStatus = "FAILED"
	SubtaskSuccessful SubtaskStatus = "SUCCESSFUL"
)

// Known reports whether s is a documented subtask status.
func (s SubtaskStatus) Known() bool {
	switch s {
	case SubtaskPending, SubtaskReady, SubtaskRunning, SubtaskCanceling, SubtaskFailed, SubtaskSuccessful:
		return true
	}
	return false
}

// Ended reports whether the subtask finished, well or badly.
func (s SubtaskStatus) Ended() bool { return s == SubtaskFailed || s == SubtaskSuccessful }

// Operation is what a task or subtask is doing: executing, retrying, …
type Operation string

const (
	OpExecute  Operation = "EXECUTE"
	OpRetry    Operation = "RETRY"
	OpRollback Operation = "ROLLBACK"
	OpSkip     Operation = "SKIP"
	OpCancel   Operation = "CANCEL"
)

// Known reports whether o is a documented operation.
func (o Operation) Known() bool {
	switch o {
	case OpExecute, OpRetry, OpRollback, OpSkip, OpCancel:
		return true
	}
	return false
}

// NodeType is a subtask's implementation kind.
type NodeType string

// NodeJavaTask is the only documented node type.
const NodeJavaTask NodeType = "JAVA_TASK"

// Known reports whether n is a documented node type.
func (n NodeType) Known() bool { return n == NodeJavaTask }
