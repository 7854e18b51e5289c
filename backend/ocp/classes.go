package ocp

import "slices"

// What each value means: whether it is one OCP is known to send, and for
// statuses what it means to an operator (its class).

// Known reports whether the value is one OCP is known to send: a status
// this client can class, a documented type, mode or operation.
func (s ClusterStatus) Known() bool { return s.Class() != ClassUnknown }
func (s ServerStatus) Known() bool  { return s.Class() != ClassUnknown } // ZoneStatusKnown is the stricter test for zones
func (s InnerStatus) Known() bool   { return s.ServerClass() != ClassUnknown }
func (s TaskStatus) Known() bool    { return s.Class() != ClassUnknown } // PENDING too: see FilterableTaskStatuses
func (s SubtaskStatus) Known() bool { return s.Class() != ClassUnknown }
func (t ClusterType) Known() bool   { return t == ClusterPrimary || t == ClusterStandby }
func (m TenantMode) Known() bool    { return m == TenantMySQL || m == TenantOracle }
func (n NodeType) Known() bool      { return n == NodeJavaTask }
func (t TaskType) Known() bool {
	return slices.Contains([]TaskType{TaskManual, TaskScheduled, TaskSysScheduled, TaskSysOnce}, t)
}
func (o Operation) Known() bool {
	return slices.Contains([]Operation{OpExecute, OpRetry, OpRollback, OpSkip, OpCancel, OpRollbackSkip}, o)
}

// Ended reports whether a task in this status will change no more on its
// own; for a subtask, whether it finished, well or badly.
func (s TaskStatus) Ended() bool    { return s == TaskFailed || s == TaskSuccessful }
func (s SubtaskStatus) Ended() bool { return s == SubtaskFailed || s == SubtaskSuccessful }

// ZoneStatusKnown reports whether s is a zone status OCP is known to send.
func ZoneStatusKnown(s ZoneStatus) bool {
	return slices.Contains([]ZoneStatus{ZoneRunning, ZoneUnavailable, ZoneServiceStopped, ZoneStopped, ZoneDeleted,
		ZoneCreating, ZoneStopping, ZoneStarting, ZoneRestarting, ZoneDeleting, ZoneOperating}, s)
}

// classify turns the values of each class into each value's class;
// values not listed are ClassUnknown.
func classify[T comparable](byClass map[StatusClass][]T) map[T]StatusClass {
	out := map[T]StatusClass{}
	for class, values := range byClass {
		for _, v := range values {
			out[v] = class
		}
	}
	return out
}

// Class says what the cluster status means.
func (s ClusterStatus) Class() StatusClass { return clusterClasses[s] }

// Class says what the server (or zone) status means.
func (s ServerStatus) Class() StatusClass { return serverClasses[s] }

// ServerClass says what a server's inner status means: an INACTIVE server
// is not heartbeating to the root service.
func (s InnerStatus) ServerClass() StatusClass { return innerServerClasses[s] }

// ZoneClass says what a zone's inner status means: an INACTIVE zone has
// been stopped (zones have only ACTIVE and INACTIVE).
func (s InnerStatus) ZoneClass() StatusClass { return innerZoneClasses[s] }

// Class says what the task status means. A SUCCESSFUL task may have been
// rolled back: Task.Outcome tells.
func (s TaskStatus) Class() StatusClass { return taskClasses[s] }

// Class says what the subtask status means. A PENDING step may have been
// rolled back and a SUCCESSFUL one skipped: Subtask.RolledBack and
// Subtask.Skipped tell.
func (s SubtaskStatus) Class() StatusClass { return subtaskClasses[s] }

var clusterClasses = classify(map[StatusClass][]ClusterStatus{
	ClassOK: {ClusterRunning},
	ClassInProgress: {ClusterCreating, ClusterStarting, ClusterRestarting, ClusterStopping, ClusterTakingOver,
		ClusterMovingOut, ClusterSwitchover, ClusterOperating, ClusterUpgrading, ClusterStartingInReadOnly},
	ClassAttention: {ClusterDeleting, ClusterFailover},
	ClassError:     {ClusterUnavailable},
	ClassStopped:   {ClusterStopped},
})

var serverClasses = classify(map[StatusClass][]ServerStatus{
	ClassOK: {ServerRunning},
	ClassInProgress: {ServerCreating, ServerStopping, ServerStarting, ServerRestarting, ServerOperating,
		ServerServiceStopping, ServerProcessStopping},
	ClassAttention: {ServerDeleting},
	ClassError:     {ServerUnavailable},
	ClassStopped:   {ServerStopped, ServerDeleted, ServerServiceStopped, ServerProcessStopped},
})

var innerServerClasses = classify(map[StatusClass][]InnerStatus{
	ClassOK: {InnerActive}, ClassError: {InnerInactive}, ClassAttention: {InnerDeleting}, ClassInProgress: {InnerTakeoverByRS},
})

var innerZoneClasses = classify(map[StatusClass][]InnerStatus{ClassOK: {InnerActive}, ClassStopped: {InnerInactive}})

var taskClasses = classify(map[StatusClass][]TaskStatus{
	ClassWaiting: {TaskPending}, ClassInProgress: {TaskRunning}, ClassError: {TaskFailed}, ClassOK: {TaskSuccessful},
})

var subtaskClasses = classify(map[StatusClass][]SubtaskStatus{
	ClassWaiting: {SubtaskPending, SubtaskReady}, ClassInProgress: {SubtaskRunning}, ClassAttention: {SubtaskCanceling},
	ClassError: {SubtaskFailed}, ClassOK: {SubtaskSuccessful},
})
