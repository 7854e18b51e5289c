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
// "Restart OB zone" runs "Prepare restart zone", "Stop zone", then one
// parallel branch per server of the zone (Stop observer process → Start
// observer process → Wait observer active → Start ocp agent service,
// parallelIdx = branch), then "Start zone" once every branch succeeded,
// and the observer, zone and cluster updates. Its pre-check fails when
// another zone of the cluster is not fully RUNNING. The zone is RESTARTING
// while it runs; a branch that fails lets the others finish, then the task
// fails and the zone is UNAVAILABLE (STOPPED if all its servers are)
// until a retry or rollback.
//
// # Force
//
// A force restart runs the same pre-check but only logs its findings as
// warnings; it leaves out the graceful "Stop server" step (leaders are not
// moved away first), so "Stop observer process" kills the observer with
// SIGKILL; the observer then needs longer to become active. Its context
// has "force": "true". A force zone restart likewise leaves out "Stop zone".
//
// # When a task fails
//
// The server's status follows how far the restart got: nothing done (the
// pre-check or "Stop server" failed): as before; out of service, or the
// process up but not serving (failures from "Stop observer process" to
// "Start server"): UNAVAILABLE; process down ("Start observer process"
// failed): STOPPED; back in service (later failures): RUNNING.
//
// # Operations
//
// Retry re-runs the FAILED steps (runTime + 1, operation RETRY). Skip marks
// a FAILED step SUCCESSFUL (operation SKIP) and the task goes on as if it
// had succeeded. Cancel stops a RUNNING or READY step and marks it FAILED
// (operation CANCEL). Rollback, on a FAILED task, undoes every step that
// ran in reverse execution order (parallel branches in parallel), each
// marked operation ROLLBACK and run again as an undo; steps that never ran
// stay PENDING. When it ends the task is SUCCESSFUL with operation
// ROLLBACK, and the servers, zone and cluster are back to the statuses
// recorded before the task; the observer is started again if the task had
// stopped it. An operation that does not apply returns a Conflict saying
// why; so does any operation that would take a server another task holds.
//
// # Time and randomness
//
// All time comes from a Clock: a RealClock with a speed factor, or a
// FakeClock that tests advance by hand. Step durations, pids and other
// details are a pure function of the seed and the subtask id, so the same
// seed replays the same drill whatever order concurrent restarts run in.
package embedded
