package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

func init() { extraCommands = append(extraCommands, newTaskCommand) }

func newTaskCommand(opts *globalOptions) *cobra.Command {
	var output string
	var wait bool
	cmd := &cobra.Command{
		Use:   "task ID",
		Short: "Show a task's steps, or watch it until it ends",
		Long: `Show a task and its steps in execution order. With --wait, print one line per
step change until the task ends, then a summary. With -o json: without --wait
the OCP task object as decoded, on one line; with --wait one JSON object per
line ("task", "step" and a final "summary" event).

Exit codes: 0 the task ended SUCCESSFUL; 1 it failed or was rolled back;
2 bad arguments or no such task; 4 backend unreachable; 5 (without --wait)
the task has not ended yet; 130 interrupted while waiting.`,
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
			ex, closeEx, err := openCommandExecutor(ctx, opts)
			if err != nil {
				return err
			}
			defer closeEx()
			if wait {
				// The first fetch is the wait's own, with its tolerance.
				return waitForTask(ctx, opts, format, ex, id, nil)
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
				err = writeJSONLine(opts.stdout, task)
			} else {
				err = printSummary(opts.stdout, format, task, ex.Now())
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

// taskExit is the exit code a task's status gives: nil for SUCCESSFUL.
func taskExit(t *ocp.Task) error {
	switch {
	case taskSucceeded(t):
		return nil
	case t.Status == ocp.TaskSuccessful:
		return &exitError{code: exitFailed, err: fmt.Errorf("task %d was rolled back", t.ID)}
	case t.Status == ocp.TaskFailed:
		return &exitError{code: exitFailed, err: fmt.Errorf("task %d FAILED", t.ID)}
	}
	return &exitError{code: exitRunning, err: fmt.Errorf("task %d is %s, not ended yet", t.ID, t.Status)}
}

// waitForTask watches task id (first, when the caller has it) until it
// ends, prints the summary and returns the exit code the end gives. Both
// restart --wait and task ID --wait come here.
func waitForTask(ctx context.Context, opts *globalOptions, format outputFormat, ex backend.Executor, id int64, first *ocp.Task) error {
	w := newWatcher(opts, format, ex)
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
	if err := printSummary(opts.stdout, format, last, ex.Now()); err != nil {
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
