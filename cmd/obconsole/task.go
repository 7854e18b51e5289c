package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

func (c *cli) taskCommand() *cobra.Command {
	var output string
	var wait bool
	cmd := &cobra.Command{
		Use:   "task ID",
		Short: "Show a task's steps, or watch it until it ends",
		Long: `Show a task and its steps in execution order. With --wait, print one line per
step change until the task ends, then a summary. With -o json: without --wait
the OCP task object as decoded, on one line; with --wait one JSON object per
line ("task", "step" and a final "summary" event).

A task shows as its status, or as ROLLING BACK, ROLLED BACK or ROLLBACK
FAILED (OCP ends a rolled-back task SUCCESSFUL with operation ROLLBACK); a
step as SKIPPED, ROLLED BACK or ROLLBACK SKIPPED where its operation says
so. JSON carries both: "status" as OCP sent it, "outcome" as shown
(ROLLED_BACK). A value OCP did not send (a task list's steps carry no
timeout or attempts) shows as "—" and is left out of JSON.

Exit codes: 0 the task ended SUCCESSFUL; 1 it FAILED, was ROLLED BACK or its
rollback failed; 2 bad arguments or no such task; 4 backend unreachable; 5
(without --wait) the task has not ended yet; 130 interrupted while waiting.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := parseOutput(output)
			if err != nil {
				return err
			}
			id, err := resolveTaskID(args[0])
			if err != nil {
				return err
			}
			ctx := commandContext(cmd)
			ex, closeEx, err := c.openExecutor(ctx)
			if err != nil {
				return err
			}
			defer closeEx()
			names := newSubjects(ctx, ex)
			if wait {
				// The first fetch is the wait's own, with its tolerance.
				return c.waitForTask(ctx, format, ex, id, nil, names.of)
			}
			task, err := ex.GetTask(ctx, id)
			if err != nil {
				if backend.KindOf(err) == backend.NotFound && !sharedFleet(ex) {
					// Every process starts its own embedded fleet, empty.
					err = fmt.Errorf("%w (tasks of other obconsole processes are not here: %s)", err, embeddedEnds)
				}
				return commandError(err)
			}
			if format == outputJSON {
				var doc json.RawMessage
				if doc, err = taskJSON(task); err == nil {
					err = writeJSONLine(c.stdout, doc)
				}
			} else {
				err = c.printSummary(format, task, names.of(task), ex.Now())
			}
			if err != nil {
				return err
			}
			return taskExit(task)
		},
	}
	cmd.Flags().BoolVar(&wait, "wait", false, "watch the task until it ends: one line per step change, then a summary")
	addOutputFlag(cmd, &output)
	return scriptable(cmd)
}

// taskExit is the exit code a task's outcome gives: nil only when it did
// what it was asked (SUCCESSFUL, not rolled back).
func taskExit(t *ocp.Task) error {
	switch o := t.Outcome(); {
	case t.Succeeded():
		return nil
	case o == ocp.OutcomeRolledBack:
		return &exitError{code: exitFailed, err: fmt.Errorf("task %d was ROLLED BACK: what it did was undone", t.ID)}
	case o == ocp.OutcomeFailed || o == ocp.OutcomeRollbackFailed:
		return &exitError{code: exitFailed, err: fmt.Errorf("task %d %s", t.ID, o)}
	case t.Status.Ended():
		return &exitError{code: exitFailed, err: fmt.Errorf("task %d ended %s", t.ID, o)}
	default:
		return &exitError{code: exitRunning, err: fmt.Errorf("task %d is %s, not ended yet", t.ID, o)}
	}
}

// taskJSON is an OCP task as decoded, with "outcome" beside the raw status
// of the task and of each step (what it shows as: ROLLED_BACK, SKIPPED).
// What did not arrive stays out, as ocp encodes it.
func taskJSON(t *ocp.Task) (json.RawMessage, error) {
	b, err := json.Marshal(t)
	if err != nil {
		return nil, err
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	doc["outcome"], _ = json.Marshal(outcomeJSON(t.Outcome()))
	var subs []map[string]json.RawMessage
	if raw, ok := doc["subtasks"]; ok && json.Unmarshal(raw, &subs) == nil && len(subs) == len(t.Subtasks) {
		for i := range subs {
			subs[i]["outcome"], _ = json.Marshal(outcomeJSON(t.Subtasks[i].Outcome()))
		}
		if doc["subtasks"], err = json.Marshal(subs); err != nil {
			return nil, err
		}
	}
	return json.Marshal(doc)
}

// waitForTask watches task id (first, when the caller has it) until it
// ends, prints the summary and returns the exit code the end gives. Both
// restart --wait and task ID --wait come here.
func (c *cli) waitForTask(ctx context.Context, format outputFormat, ex backend.Executor, id int64, first *ocp.Task,
	subject func(*ocp.Task) taskSubject) error {
	w := c.newWatcher(format, ex, subject)
	last, err := w.watch(ctx, id, first)
	// A hint must work where it is printed: another process can follow a
	// task on a shared OCP, never on this process's own embedded fleet.
	shared := sharedFleet(ex)
	switch {
	case errors.Is(err, errStoppedWatching) && last == nil && shared:
		return &exitError{code: exitInterrupted, err: fmt.Errorf("stopped watching task %d before it was seen: obconsole task %d --wait", id, id)}
	case errors.Is(err, errStoppedWatching) && shared:
		return &exitError{code: exitInterrupted, err: fmt.Errorf("stopped watching; task %d is %s and goes on: obconsole task %d --wait", id, last.Outcome(), id)}
	case errors.Is(err, errStoppedWatching) && last == nil:
		return &exitError{code: exitInterrupted, err: fmt.Errorf("stopped watching task %d before it was seen; %s", id, embeddedEnds)}
	case errors.Is(err, errStoppedWatching):
		return &exitError{code: exitInterrupted, err: fmt.Errorf("stopped watching; task %d was %s and stops here: %s", id, last.Outcome(), embeddedEnds)}
	case err != nil && last == nil:
		return commandError(fmt.Errorf("watching task %d: %w", id, err))
	case err != nil && shared:
		return commandError(fmt.Errorf("watching task %d (last seen %s; it may still be running: obconsole task %d): %w", id, last.Outcome(), id, err))
	case err != nil:
		return commandError(fmt.Errorf("watching task %d (last seen %s): %w", id, last.Outcome(), err))
	}
	if err := c.printSummary(format, last, subject(last), ex.Now()); err != nil {
		return err
	}
	return taskExit(last)
}

// sharedFleet reports whether other processes see ex's tasks: a real OCP
// (or obconsole serve) through --ocp-url, not the embedded simulator,
// whose fleet lives and ends in this process.
func sharedFleet(ex backend.Executor) bool { return ex.Describe().Kind != "embedded" }

// embeddedEnds says why another process cannot follow an embedded task, and
// what to do instead.
const embeddedEnds = "the embedded fleet lives in this process and its tasks end with it; " +
	"watch a restart with --wait, or share one fleet between processes with obconsole serve and --ocp-url"
