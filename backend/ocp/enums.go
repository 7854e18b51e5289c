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
	if c > ClassUnknown && int(c) < len(classNames) {
		return classNames[c]
	}
	return "unknown"
}

var classNames = [...]string{ClassOK: "ok", ClassInProgress: "in progress", ClassWaiting: "waiting",
	ClassAttention: "attention", ClassError: "error", ClassStopped: "stopped"}

// The documented types, modes and kinds.

// ClusterType is PRIMARY or STANDBY.
type ClusterType string

// The cluster types.
const ClusterPrimary, ClusterStandby ClusterType = "PRIMARY", "STANDBY"

// TenantMode is a tenant's compatibility mode.
type TenantMode string

// The tenant modes.
const TenantMySQL, TenantOracle TenantMode = "MYSQL", "ORACLE"

// NodeType is a subtask's implementation kind.
type NodeType string

// NodeJavaTask is the only documented node type.
const NodeJavaTask NodeType = "JAVA_TASK"

// TaskType is how a task was started.
type TaskType string

const (
	TaskManual       TaskType = "MANUAL"
	TaskScheduled    TaskType = "SCHEDULED"
	TaskSysScheduled TaskType = "SYS_SCHEDULED"
	TaskSysOnce      TaskType = "SYS_ONECE" // sic: OCP's spelling
)

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

// InnerStatus is the status OceanBase itself reports for a server or a
// zone (Server.InnerStatus, Zone.InnerStatus), beside OCP's own status.
type InnerStatus string

const (
	InnerActive       InnerStatus = "ACTIVE"
	InnerInactive     InnerStatus = "INACTIVE"
	InnerDeleting     InnerStatus = "DELETING"       // servers only
	InnerTakeoverByRS InnerStatus = "TAKEOVER_BY_RS" // servers only
)

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

// FilterableTaskStatuses are the task statuses a list can be filtered by:
// the ones OCP's task engine has.
func FilterableTaskStatuses() []TaskStatus {
	return []TaskStatus{TaskRunning, TaskFailed, TaskSuccessful}
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
