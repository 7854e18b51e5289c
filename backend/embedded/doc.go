// Package embedded is a simulated OCP: a fleet of OceanBase clusters and a
// task engine that runs restart tasks step by step on an injectable clock,
// with drill scenarios. It implements backend.Executor.
//
// # Restart
//
// A server restart is the documented 11-step task (names, descriptions,
// class names, timeouts, ids, seriesIds and list order as in OCP's sample).
// Steps go PENDING → READY → RUNNING → SUCCESSFUL or FAILED as their
// upstreams succeed; a step still running at its timeout fails. The server
// is RESTARTING while the task runs and RUNNING, with a new startTime, once
// "Update observer status" succeeds.
//
// A normal restart's pre-check fails (and nothing is touched) when the
// server is not RUNNING, or when other zones already have a server that is
// not RUNNING so that taking this zone down too would leave fewer than a
// majority of zones serving.
//
// # Zone restart
//
// "Restart OB zone" is the documented template (ocp-doc's zone restart
// sample, 15 steps for a one-server zone): "Prepare restart OB zone",
// "Stop zone", then every server of the zone phase by phase, the servers
// of a phase side by side (parallelIdx 0..N-1) and a barrier between
// phases: "Prepare restart observer" ×N, "Wait node", "Stop observer
// process" ×N, "Wait node", "Start observer process" ×N, one "Wait
// observer active" for the whole zone, "Start ocp agent service" ×N,
// "Wait node", "Update observer status" ×N; then "Start zone", "Update
// zone status", "Sync cluster info", "Update OB cluster status". Its
// pre-check fails when another zone of the cluster is not fully RUNNING.
// The zone is RESTARTING while it runs; when a server fails, the steps
// already running finish, the task fails and the zone is UNAVAILABLE
// (STOPPED if all its servers are) until a retry or rollback.
//
// BuildTask lays out this and OCP's other documented templates (restart,
// stop and start of a server or a zone) as OCP returns them when created.
//
// # Force
//
// A force restart runs the same pre-check but only logs its findings as
// warnings. For a server it leaves out the graceful "Stop server" step
// (leaders are not moved away first), so "Stop observer process" kills the
// observer with SIGKILL and the observer then needs longer to become
// active; OCP documents no force graph, this one is the simulator's. A
// zone restart keeps every step (OCP's zone restart takes no force). The
// context of either has "force": "true".
//
// # Freeze
//
// RestartOptions.FreezeServer (OCP's freezeServer) runs a minor
// compaction, logged as a minor freeze of a few seconds, at the start of
// "Stop server" (of "Stop observer process" for a force restart); the
// context has "freeze_server": "true". Zone restarts ignore it.
//
// # When a task fails
//
// The server's status follows how far the restart got: nothing done (the
// pre-check or "Stop server" failed): as before; out of service, or the
// process up but not serving (failures from "Stop observer process" to
// "Start server"): UNAVAILABLE; process down ("Start observer process"
// failed): STOPPED; back in service (later failures): RUNNING.
//
// # The engine and its operations
//
// The engine follows OCP's (see engine.go for the rules and where they
// come from). At most 10 steps of a task are READY or RUNNING at once;
// once a step has failed no new step is made READY, those running finish
// and the task is FAILED. Nothing is retried automatically. runTime is 1
// from the start.
//
// Retry (a FAILED task whose operation is not ROLLBACK) runs the FAILED
// steps again: operation RETRY, runTime + 1, the task's operation RETRY.
// Retrying one FAILED step makes it READY with operation RETRY and leaves
// its runTime and the task's operation as they were. Skip makes a FAILED
// step READY with operation SKIP; the scheduler runs it, it does nothing
// and ends SUCCESSFUL, and the task goes on as if it had succeeded.
// Cancel takes a RUNNING step only: it is CANCELING for a moment, then
// RUNNING with operation CANCEL, then FAILED. Rollback, on a FAILED task,
// gives every step that ran operation ROLLBACK and undoes them in reverse
// execution order (a step once every step after it is done); each ends
// PENDING with operation ROLLBACK, and when all steps are PENDING the task
// is SUCCESSFUL with operation ROLLBACK, the servers, zone and cluster
// back to the statuses recorded before the task (the observer is started
// again if the task had stopped it). A rollback step that fails leaves it
// and the task FAILED with operation ROLLBACK: then only another rollback,
// or skipping the step (operation ROLLBACK_SKIP: it ends PENDING without
// undoing anything), applies. An operation that does not apply returns a
// Conflict naming the state; so does any operation that would take a
// server another task holds.
//
// # Logs
//
// Every run of a step opens its log with OCP's separator
// "############{OPERATION}{time}############"; a step that ends SUCCESSFUL
// or FAILED, or PENDING after a rollback, closes it with OCP's "Set state
// for subtask: ID, operation:OP, state: STATE"; a timeout adds OCP's
// "Receive timeout callback, …" line.
//
// # Time and randomness
//
// All time comes from a Clock: a RealClock with a speed factor, or a
// FakeClock that tests advance by hand. Step durations, pids and other
// details are a pure function of the seed and the subtask id (relative to
// the run's first, Options.FirstTaskID), so the same seed replays the same
// drill whatever order concurrent restarts run in, and whatever ids the
// run was given.
package embedded
