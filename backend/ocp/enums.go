package ocp

// Every enum is a string type: unknown values from newer OCP builds decode
// unchanged and are shown as they are, never rejected. Known reports
// whether a value is one this client has been told about; Class says what
// a value means to an operator, so the theme can give it an icon and a
// colour without a table of its own.

// StatusClass is what a status means to an operator, whatever it is the
// status of.
type StatusClass int

const (
	ClassUnknown    StatusClass = iota // a value this build was not told about
	ClassOK                            // healthy, or finished well
	ClassInProgress                    // an operation is under way
	ClassWaiting                       // queued, not started
	ClassAttention                     // transitional and worth a look (deleting, failing over)
	ClassError                         // failed, unavailable, not heartbeating
	ClassStopped                       // deliberately stopped, or gone
)

// String names the class (for tests and debugging).
func (c StatusClass) String() string {
	switch c {
	case ClassOK:
		return "ok"
	case ClassInProgress:
		return "in progress"
	case ClassWaiting:
		return "waiting"
	case ClassAttention:
		return "attention"
	case ClassError:
		return "error"
	case ClassStopped:
		return "stopped"
	}
	return "unknown"
}

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
	// Not in the API reference; OCP's cluster status enum has them (as
	// OCP Express's ObClusterStatus shows).
	ClusterUnavailable        ClusterStatus = "UNAVAILABLE"
	ClusterUpgrading          ClusterStatus = "UPGRADING"
	ClusterStartingInReadOnly ClusterStatus = "STARTING_IN_READ_ONLY"
)

// Known reports whether s is a cluster status OCP is known to send.
func (s ClusterStatus) Known() bool { return s.Class() != ClassUnknown }

// Class says what the cluster status means.
func (s ClusterStatus) Class() StatusClass {
	switch s {
	case ClusterRunning:
		return ClassOK
	case ClusterCreating, ClusterStarting, ClusterRestarting, ClusterStopping, ClusterTakingOver,
		ClusterMovingOut, ClusterSwitchover, ClusterOperating, ClusterUpgrading, ClusterStartingInReadOnly:
		return ClassInProgress
	case ClusterDeleting, ClusterFailover:
		return ClassAttention
	case ClusterUnavailable:
		return ClassError
	case ClusterStopped:
		return ClassStopped
	}
	return ClassUnknown
}

// ClusterType is PRIMARY or STANDBY.
type ClusterType string

const (
	ClusterPrimary ClusterType = "PRIMARY"
	ClusterStandby ClusterType = "STANDBY"
)

// Known reports whether t is a documented cluster type.
func (t ClusterType) Known() bool { return t == ClusterPrimary || t == ClusterStandby }

// ServerStatus is an OBServer's status. The API reference lists the first
// ten; OCP's own enum (as OCP Express shows) has no plain STOPPING, STOPPED
// or OPERATING for servers but tells stopping the service (the server
// leaves the cluster's service, its process runs) from stopping the
// process. A client accepts the union.
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

	ServerServiceStopping ServerStatus = "SERVICE_STOPPING"
	ServerServiceStopped  ServerStatus = "SERVICE_STOPPED"
	ServerProcessStopping ServerStatus = "PROCESS_STOPPING"
	ServerProcessStopped  ServerStatus = "PROCESS_STOPPED"
)

// Known reports whether s is a server (or zone) status OCP is known to
// send. ZoneStatusKnown is the stricter test for zones.
func (s ServerStatus) Known() bool { return s.Class() != ClassUnknown }

// Class says what the server (or zone) status means.
func (s ServerStatus) Class() StatusClass {
	switch s {
	case ServerRunning:
		return ClassOK
	case ServerCreating, ServerStopping, ServerStarting, ServerRestarting, ServerOperating,
		ServerServiceStopping, ServerProcessStopping:
		return ClassInProgress
	case ServerDeleting:
		return ClassAttention
	case ServerUnavailable:
		return ClassError
	case ServerStopped, ServerDeleted, ServerServiceStopped, ServerProcessStopped:
		return ClassStopped
	}
	return ClassUnknown
}

// ZoneStatus is a zone's status. It is the server status type, so that
// code written when zone statuses were undocumented keeps compiling; the
// zone set is its own (ZoneStatusKnown), and every zone value has the same
// meaning as the server value of the same name, so Class serves both.
type ZoneStatus = ServerStatus

// Zone statuses (OCP's zone status enum, as OCP Express shows): zones
// stop as a whole and have no PROCESS_ statuses.
const (
	ZoneRunning        ZoneStatus = "RUNNING"
	ZoneUnavailable    ZoneStatus = "UNAVAILABLE"
	ZoneServiceStopped ZoneStatus = "SERVICE_STOPPED"
	ZoneStopped        ZoneStatus = "STOPPED"
	ZoneDeleted        ZoneStatus = "DELETED"
	ZoneCreating       ZoneStatus = "CREATING"
	ZoneStopping       ZoneStatus = "STOPPING"
	ZoneStarting       ZoneStatus = "STARTING"
	ZoneRestarting     ZoneStatus = "RESTARTING"
	ZoneDeleting       ZoneStatus = "DELETING"
	ZoneOperating      ZoneStatus = "OPERATING"
)

// ZoneStatusKnown reports whether s is a zone status OCP is known to send.
func ZoneStatusKnown(s ZoneStatus) bool {
	switch s {
	case ZoneRunning, ZoneUnavailable, ZoneServiceStopped, ZoneStopped, ZoneDeleted, ZoneCreating,
		ZoneStopping, ZoneStarting, ZoneRestarting, ZoneDeleting, ZoneOperating:
		return true
	}
	return false
}

// InnerStatus is the status OceanBase itself reports for a server or a
// zone (Server.InnerStatus, Zone.InnerStatus), beside OCP's own status.
type InnerStatus string

const (
	InnerActive       InnerStatus = "ACTIVE"
	InnerInactive     InnerStatus = "INACTIVE"
	InnerDeleting     InnerStatus = "DELETING"       // servers only
	InnerTakeoverByRS InnerStatus = "TAKEOVER_BY_RS" // servers only
)

// Known reports whether s is an inner status OCP is known to send.
func (s InnerStatus) Known() bool { return s.ServerClass() != ClassUnknown }

// ServerClass says what a server's inner status means: an INACTIVE server
// is not heartbeating to the root service.
func (s InnerStatus) ServerClass() StatusClass {
	switch s {
	case InnerActive:
		return ClassOK
	case InnerInactive:
		return ClassError
	case InnerDeleting:
		return ClassAttention
	case InnerTakeoverByRS:
		return ClassInProgress
	}
	return ClassUnknown
}

// ZoneClass says what a zone's inner status means: an INACTIVE zone has
// been stopped (zones have only ACTIVE and INACTIVE).
func (s InnerStatus) ZoneClass() StatusClass {
	switch s {
	case InnerActive:
		return ClassOK
	case InnerInactive:
		return ClassStopped
	}
	return ClassUnknown
}

// TaskStatus is a task's status. OCP's task engine has RUNNING, FAILED and
// SUCCESSFUL only; PENDING comes from obdiag's client and is still decoded
// and known, but it is never offered as a filter (FilterableTaskStatuses).
type TaskStatus string

const (
	TaskPending    TaskStatus = "PENDING"
	TaskRunning    TaskStatus = "RUNNING"
	TaskFailed     TaskStatus = "FAILED"
	TaskSuccessful TaskStatus = "SUCCESSFUL"
)

// Known reports whether s is a task status this client knows.
func (s TaskStatus) Known() bool { return s.Class() != ClassUnknown }

// Class says what the task status means. A SUCCESSFUL task may have been
// rolled back: Task.Outcome tells.
func (s TaskStatus) Class() StatusClass {
	switch s {
	case TaskPending:
		return ClassWaiting
	case TaskRunning:
		return ClassInProgress
	case TaskFailed:
		return ClassError
	case TaskSuccessful:
		return ClassOK
	}
	return ClassUnknown
}

// FilterableTaskStatuses are the task statuses a list can be filtered by:
// the ones OCP's task engine has.
func FilterableTaskStatuses() []TaskStatus {
	return []TaskStatus{TaskRunning, TaskFailed, TaskSuccessful}
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
func (s SubtaskStatus) Known() bool { return s.Class() != ClassUnknown }

// Class says what the subtask status means. A PENDING step may have been
// rolled back and a SUCCESSFUL one skipped: Subtask.RolledBack and
// Subtask.Skipped tell.
func (s SubtaskStatus) Class() StatusClass {
	switch s {
	case SubtaskPending, SubtaskReady:
		return ClassWaiting
	case SubtaskRunning:
		return ClassInProgress
	case SubtaskCanceling:
		return ClassAttention
	case SubtaskFailed:
		return ClassError
	case SubtaskSuccessful:
		return ClassOK
	}
	return ClassUnknown
}

// Ended reports whether the subtask finished, well or badly.
func (s SubtaskStatus) Ended() bool { return s == SubtaskFailed || s == SubtaskSuccessful }

// Operation is what a task or subtask is doing: executing, retrying, …
// A task's operation is EXECUTE, RETRY or ROLLBACK; skipping or cancelling
// a step changes only the step's.
type Operation string

const (
	OpExecute  Operation = "EXECUTE"
	OpRetry    Operation = "RETRY"
	OpRollback Operation = "ROLLBACK"
	OpSkip     Operation = "SKIP"
	OpCancel   Operation = "CANCEL"
	// OpRollbackSkip is a step whose failed rollback was skipped: it ends
	// PENDING like a rolled-back step.
	OpRollbackSkip Operation = "ROLLBACK_SKIP"
)

// Known reports whether o is an operation OCP is known to send.
func (o Operation) Known() bool {
	switch o {
	case OpExecute, OpRetry, OpRollback, OpSkip, OpCancel, OpRollbackSkip:
		return true
	}
	return false
}

// TenantMode is a tenant's compatibility mode.
type TenantMode string

const (
	TenantMySQL  TenantMode = "MYSQL"
	TenantOracle TenantMode = "ORACLE"
)

// Known reports whether m is a documented tenant mode.
func (m TenantMode) Known() bool { return m == TenantMySQL || m == TenantOracle }

// NodeType is a subtask's implementation kind.
type NodeType string

// NodeJavaTask is the only documented node type.
const NodeJavaTask NodeType = "JAVA_TASK"

// Known reports whether n is a documented node type.
func (n NodeType) Known() bool { return n == NodeJavaTask }
