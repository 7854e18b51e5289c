package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
)

func init() { extraCommands = append(extraCommands, newTasksCommand) }

var knownTaskStatuses = []ocp.TaskStatus{ocp.TaskPending, ocp.TaskRunning, ocp.TaskFailed, ocp.TaskSuccessful}

func newTasksCommand(opts *globalOptions) *cobra.Command {
	var output, cluster string
	var statuses []string
	var limit int
	cmd := &cobra.Command{
		Use:   "tasks",
		Short: "List tasks, newest first",
		Long: `List OCP tasks newest first as a table, or with -o json as a JSON array of the
OCP task objects as decoded. --cluster takes a name or an id; --status takes
PENDING, RUNNING, FAILED or SUCCESSFUL, several separated by commas.`,
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
				if !slices.Contains(knownTaskStatuses, st) {
					return usageError("--status %q: want one of %s", s, strings.Join(mapList(knownTaskStatuses, func(s ocp.TaskStatus) string { return string(s) }), ", "))
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
			clusterNames := map[int64]string{}
			if cluster != "" {
				c, err := resolveCluster(ctx, ex, cluster)
				if err != nil {
					return err
				}
				filter.ClusterID = c.ID
				clusterNames[c.ID] = c.Name
			}
			tasks, err := ex.ListTasks(ctx, filter)
			if err != nil {
				return commandError(err)
			}
			if tasks == nil {
				tasks = []ocp.Task{}
			}
			if format == outputJSON {
				return writeJSONDocument(opts.stdout, tasks)
			}
			if cluster == "" && len(tasks) > 0 {
				// Names read better than ids; without them the ids stay.
				if clusters, err := ex.ListClusters(ctx); err == nil {
					for _, c := range clusters {
						clusterNames[c.ID] = c.Name
					}
				}
			}
			now := ex.Now()
			t := newTable(opts.stdout, "ID", "STATUS", "NAME", "CLUSTER", "OPERATION", "CREATOR", "STARTED", "ELAPSED")
			for _, task := range tasks {
				cl := clusterNames[task.ClusterID]
				if cl == "" && task.ClusterID != 0 {
					cl = fmt.Sprint(task.ClusterID)
				}
				t.row(fmt.Sprint(task.ID), string(task.Status), task.Name, cl, string(task.Operation),
					task.Creator.String(), formatTime(task.StartTime.Time), formatDuration(taskElapsed(&task, now)))
			}
			return t.flush()
		},
	}
	cmd.Flags().StringVar(&cluster, "cluster", "", "only the tasks of this cluster (name or id)")
	cmd.Flags().StringSliceVar(&statuses, "status", nil, "only tasks in these statuses (PENDING, RUNNING, FAILED, SUCCESSFUL; comma-separated)")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most this many tasks (0: the backend's default)")
	addOutputFlag(cmd, &output)
	return scriptable(cmd)
}
