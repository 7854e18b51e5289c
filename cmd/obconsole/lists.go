package main

// The list commands: clusters, zones, servers and tasks. Each is a
// listing: how it lists (resolving its arguments first) and how a row
// shows in its table; newList runs them all the same way.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/obconsole/obconsole/backend"
	"github.com/obconsole/obconsole/backend/ocp"
	"github.com/obconsole/obconsole/backend/safetext"
)

// listing is what a list command lists and how it prints it.
type listing[T any] struct {
	// check refuses bad flags before anything is opened; nil: none.
	check func() error
	// list resolves the command's arguments and lists.
	list   func(cmd *cobra.Command, ex backend.Executor, args []string) ([]T, error)
	header []string
	row    func(*T) []string
	// unknownEmpty: an empty cell is a value that did not arrive, shown
	// as unknown ("—") rather than "-".
	unknownEmpty bool
	// json is an item as -o json prints it; nil: as decoded.
	json func(*T) (json.RawMessage, error)
}

// newList is cmd running l: -o text prints a table, -o json a JSON array
// (empty, never null).
func newList[T any](c *cli, cmd *cobra.Command, l listing[T]) *cobra.Command {
	var output string
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		format, err := parseOutput(output)
		if err != nil {
			return err
		}
		if l.check != nil {
			if err := l.check(); err != nil {
				return err
			}
		}
		ex, closeEx, err := c.openExecutor(commandContext(cmd))
		if err != nil {
			return err
		}
		defer closeEx()
		items, err := l.list(cmd, ex, args)
		if err != nil {
			return commandError(err)
		}
		if format == outputJSON {
			doc, err := jsonItems(items, l.json)
			if err != nil {
				return err
			}
			return writeJSONDocument(c.stdout, doc)
		}
		empty := "-"
		if l.unknownEmpty {
			empty = c.unknown()
		}
		t := newTable(c.stdout, empty, l.header...)
		for i := range items {
			t.row(l.row(&items[i])...)
		}
		return t.flush()
	}
	addOutputFlag(cmd, &output)
	return scriptable(cmd)
}

// inCluster lists in the cluster the command's argument names.
func inCluster[T any](list func(ctx context.Context, cmd *cobra.Command, ex backend.Executor, cluster ocp.Cluster) ([]T, error)) func(*cobra.Command, backend.Executor, []string) ([]T, error) {
	return func(cmd *cobra.Command, ex backend.Executor, args []string) ([]T, error) {
		ctx := commandContext(cmd)
		cluster, err := resolveCluster(ctx, ex, args[0])
		if err != nil {
			return nil, err
		}
		return list(ctx, cmd, ex, cluster)
	}
}

// jsonItems is what -o json prints of items: a JSON array.
func jsonItems[T any](items []T, doc func(*T) (json.RawMessage, error)) (any, error) {
	if doc == nil {
		if items == nil {
			return []T{}, nil
		}
		return items, nil
	}
	docs := make([]json.RawMessage, 0, len(items))
	for i := range items {
		d, err := doc(&items[i])
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, nil
}

func (c *cli) clustersCommand() *cobra.Command {
	return newList(c, &cobra.Command{
		Use:   "clusters",
		Short: "List the OceanBase clusters",
		Long: `List the OceanBase clusters as a table, or with -o json as a JSON array of
the OCP cluster objects as decoded.`,
		Args: cobra.NoArgs,
	}, listing[ocp.Cluster]{
		list: func(cmd *cobra.Command, ex backend.Executor, _ []string) ([]ocp.Cluster, error) {
			return ex.ListClusters(commandContext(cmd))
		},
		header: []string{"ID", "NAME", "TYPE", "STATUS", "VERSION", "OB CLUSTER ID", "ZONES", "SERVERS", "TENANTS", "ROOT SERVERS"},
		row: func(c *ocp.Cluster) []string {
			zones := "-"
			if len(c.Zones) > 0 {
				zones = fmt.Sprint(len(c.Zones))
			}
			roots := mapList(c.RootServers, func(r ocp.RootServer) string { return r.Address })
			return []string{fmt.Sprint(c.ID), c.Name, string(c.Type), string(c.Status), c.ObVersion, fmt.Sprint(c.ObClusterID),
				zones, fmt.Sprint(c.ServerCount), fmt.Sprint(c.TenantCount), strings.Join(roots, ",")}
		},
	})
}

func (c *cli) zonesCommand() *cobra.Command {
	return newList(c, &cobra.Command{
		Use:   "zones CLUSTER",
		Short: "List the zones of a cluster",
		Long: `List the zones of a cluster (a name or an id) as a table, or with -o json as
a JSON array of the OCP zone objects as decoded.`,
		Args: cobra.ExactArgs(1),
	}, listing[ocp.Zone]{
		list: inCluster(func(ctx context.Context, _ *cobra.Command, ex backend.Executor, cluster ocp.Cluster) ([]ocp.Zone, error) {
			return ex.ListZones(ctx, cluster.ID)
		}),
		header: []string{"NAME", "STATUS", "REGION", "IDC", "SERVERS", "ROOT SERVER"},
		row: func(z *ocp.Zone) []string {
			root := ""
			if z.RootServer != nil {
				root = z.RootServer.Address
			}
			n := z.ServerCount
			if n == 0 {
				n = len(z.Servers)
			}
			return []string{z.Name, string(z.Status), z.RegionName, z.IDCName, fmt.Sprint(n), root}
		},
	})
}

func (c *cli) serversCommand() *cobra.Command {
	var zone string
	cmd := newList(c, &cobra.Command{
		Use:   "servers CLUSTER",
		Short: "List the servers of a cluster, or of one zone",
		Long: `List the OBServers of a cluster (a name or an id), or of one zone with
--zone, as a table, or with -o json as a JSON array of the OCP server objects
as decoded.`,
		Args: cobra.ExactArgs(1),
	}, listing[ocp.Server]{
		list: inCluster(func(ctx context.Context, cmd *cobra.Command, ex backend.Executor, cluster ocp.Cluster) ([]ocp.Server, error) {
			zoneName := zone
			if cmd.Flags().Changed("zone") {
				var err error
				if zoneName, err = resolveZone(ctx, ex, cluster, zone); err != nil {
					return nil, err
				}
			}
			return ex.ListServers(ctx, cluster.ID, zoneName)
		}),
		header: []string{"ID", "ADDRESS", "SQL PORT", "ZONE", "STATUS", "ROOT", "VERSION", "REGION", "IDC", "STARTED"},
		row: func(s *ocp.Server) []string {
			root := ""
			if s.WithRootserver {
				root = "yes"
			}
			return []string{fmt.Sprint(s.ID), s.Address(), fmt.Sprint(s.SQLPort), s.ZoneName, string(s.Status), root,
				s.Version, s.RegionName, s.IDCName, c.formatTime(s.StartTime.Time)}
		},
	})
	cmd.Flags().StringVar(&zone, "zone", "", "only the servers of this zone")
	return cmd
}

func (c *cli) tasksCommand() *cobra.Command {
	var cluster string
	var statuses []string
	filter := backend.TaskFilter{}
	filterable := strings.Join(mapList(ocp.FilterableTaskStatuses(), func(s ocp.TaskStatus) string { return string(s) }), ", ")
	// list fills these in for the rows: the names of what the tasks act
	// on (looked up only as a row asks), and the backend's time.
	var names *subjects
	var now time.Time
	cmd := newList(c, &cobra.Command{
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
	}, listing[ocp.Task]{
		check: func() error {
			if filter.Limit < 0 {
				return usageError("--limit %d: want 0 (the backend's default) or more", filter.Limit)
			}
			for _, s := range statuses {
				st := ocp.TaskStatus(strings.ToUpper(strings.TrimSpace(s)))
				if !slices.Contains(ocp.FilterableTaskStatuses(), st) {
					return usageError("--status %s: want one of %s", safetext.Excerpt(s), filterable)
				}
				if !slices.Contains(filter.Status, st) {
					filter.Status = append(filter.Status, st)
				}
			}
			return nil
		},
		list: func(cmd *cobra.Command, ex backend.Executor, _ []string) ([]ocp.Task, error) {
			ctx := commandContext(cmd)
			names = newSubjects(ctx, ex)
			if cluster != "" {
				cl, err := resolveCluster(ctx, ex, cluster)
				if err != nil {
					return nil, err
				}
				filter.ClusterID = cl.ID
				names.knowCluster(cl.ID, cl.Name)
			}
			tasks, err := ex.ListTasks(ctx, filter)
			if err == nil {
				now = ex.Now()
			}
			return tasks, err
		},
		header:       []string{"ID", "STATUS", "NAME", "CLUSTER", "OPERATION", "TARGET", "CREATOR", "STARTED", "ELAPSED"},
		unknownEmpty: true,
		row: func(t *ocp.Task) []string {
			sub := names.of(t)
			started := ""
			if !t.StartTime.IsZero() && t.StartTime.Valid() {
				started = c.formatTime(t.StartTime.Time)
			}
			return []string{fmt.Sprint(t.ID), string(t.Outcome()), t.Name, sub.clusterText(), string(t.Operation),
				sub.target(), t.Creator.String(), started, c.elapsedText(t.Elapsed(now))}
		},
		json: taskJSON,
	})
	f := cmd.Flags()
	f.StringVar(&cluster, "cluster", "", "only the tasks of this cluster (name or id)")
	f.StringSliceVar(&statuses, "status", nil, "only tasks in these statuses ("+filterable+"; comma-separated)")
	f.IntVar(&filter.Limit, "limit", 0, "at most this many tasks (0: the backend's default)")
	return cmd
}
