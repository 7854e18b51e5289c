package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
)

func init() { extraCommands = append(extraCommands, newTasksCommand) }

func newTasksCommand(opts *globalOptions) *cobra.Command {
	var output, cluster string
	var statuses []string
	var limit int
	filterable := strings.Join(mapList(ocp.FilterableTaskStatuses(), func(s ocp.TaskStatus) string { return string(s) }), ", ")
	cmd := &cobra.Command{
		Use:   "tasks",
		Short: "List tasks, newest first",
		Long: `List OCP tasks newest first as a table, or with -o json as a JSON array of the
OCP task objects as decoded, each with "outcome" beside its raw status.
--cluster takes a name or an id; --status takes ` + filterable + ` (the
statuses OCP's engine has), several separated by commas.

STATUS is what the task shows as: ROLLED BACK for a task OCP ended SUCCESSFUL
undoing what it had done, ROLLING BACK, ROLLBACK FAILED. TARGET is the
server (ip:port), "zone NAME" for a task on a whole zone, or "tenant NAME".
A value OCP did not send shows as "—".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := parseOutput(output)
			if err != nil {
				return err
			}
			if limit < 0 {
				return usageError("--limit %d: want 0 (the backend's default) or more", limit)
			}
			filter := backend.TaskFilter{Limit: limit}
			for _, s := range statuses {
				st := ocp.TaskStatus(strings.ToUpper(strings.TrimSpace(s)))
				if !slices.Contains(ocp.FilterableTaskStatuses(), st) {
					return usageError("--status %s: want one of %s", safetext.Excerpt(s), filterable)
				}
				if !slices.Contains(filter.Status, st) {
					filter.Status = append(filter.Status, st)
				}
			}
			ctx := commandContext(cmd)
			ex, closeEx, err := openCommandExecutor(ctx, opts)
			if err != nil {
				return err
			}
			defer closeEx()
			names := newSubjects(ctx, ex)
			if cluster != "" {
				c, err := resolveCluster(ctx, ex, cluster)
				if err != nil {
					return err
				}
				filter.ClusterID = c.ID
				names.knowCluster(c.ID, c.Name)
			}
			tasks, err := ex.ListTasks(ctx, filter)
			if err != nil {
				return commandError(err)
			}
			if format == outputJSON {
				docs := make([]json.RawMessage, 0, len(tasks))
				for i := range tasks {
					doc, err := taskJSON(&tasks[i])
					if err != nil {
						return err
					}
					docs = append(docs, doc)
				}
				return writeJSONDocument(opts.stdout, docs)
			}
			now := ex.Now()
			t := opts.newTaskTable(opts.stdout, "ID", "STATUS", "NAME", "CLUSTER", "OPERATION", "TARGET", "CREATOR", "STARTED", "ELAPSED")
			for i := range tasks {
				task := &tasks[i]
				sub := names.of(task)
				started := ""
				if !task.StartTime.IsZero() && task.StartTime.Valid() {
					started = formatTime(task.StartTime.Time)
				}
				t.row(fmt.Sprint(task.ID), string(task.Outcome()), task.Name, sub.clusterText(), string(task.Operation),
					sub.target(), task.Creator.String(), started, opts.elapsedText(task.Elapsed(now)))
			}
			return t.flush()
		},
	}
	cmd.Flags().StringVar(&cluster, "cluster", "", "only the tasks of this cluster (name or id)")
	cmd.Flags().StringSliceVar(&statuses, "status", nil, "only tasks in these statuses ("+filterable+"; comma-separated)")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many tasks (0: the backend's default)")
	addOutputFlag(cmd, &output)
	return scriptable(cmd)
}
