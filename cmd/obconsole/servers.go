package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/obconsole/obconsole/backend/ocp"
)

func init() { extraCommands = append(extraCommands, newServersCommand) }

func newServersCommand(opts *globalOptions) *cobra.Command {
	var output, zone string
	cmd := &cobra.Command{
		Use:   "servers CLUSTER",
		Short: "List the servers of a cluster, or of one zone",
		Long: `List the OBServers of a cluster (a name or an id), or of one zone with
--zone, as a table, or with -o json as a JSON array of the OCP server objects
as decoded.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := parseOutput(output)
			if err != nil {
				return err
			}
			ctx := commandContext(cmd)
			ex, closeEx, err := openCommandExecutor(ctx, opts)
			if err != nil {
				return err
			}
			defer closeEx()
			c, err := resolveCluster(ctx, ex, args[0])
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("zone") {
				if zone, err = resolveZone(ctx, ex, c, zone); err != nil {
					return err
				}
			}
			servers, err := ex.ListServers(ctx, c.ID, zone)
			if err != nil {
				return commandError(err)
			}
			if servers == nil {
				servers = []ocp.Server{}
			}
			if format == outputJSON {
				return writeJSONDocument(opts.stdout, servers)
			}
			t := newTable(opts.stdout, "ID", "ADDRESS", "SQL PORT", "ZONE", "STATUS", "ROOT", "VERSION", "REGION", "IDC", "STARTED")
			for _, s := range servers {
				root := ""
				if s.WithRootserver {
					root = "yes"
				}
				t.row(fmt.Sprint(s.ID), s.Address(), fmt.Sprint(s.SQLPort), s.ZoneName, string(s.Status), root,
					s.Version, s.RegionName, s.IDCName, formatTime(s.StartTime.Time))
			}
			return t.flush()
		},
	}
	cmd.Flags().StringVar(&zone, "zone", "", "only the servers of this zone")
	addOutputFlag(cmd, &output)
	return scriptable(cmd)
}
