package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/obconsole/obconsole/backend/ocp"
)

func init() { extraCommands = append(extraCommands, newZonesCommand) }

func newZonesCommand(opts *globalOptions) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "zones CLUSTER",
		Short: "List the zones of a cluster",
		Long: `List the zones of a cluster (a name or an id) as a table, or with -o json as
a JSON array of the OCP zone objects as decoded.`,
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
			zones, err := ex.ListZones(ctx, c.ID)
			if err != nil {
				return commandError(err)
			}
			if zones == nil {
				zones = []ocp.Zone{}
			}
			if format == outputJSON {
				return writeJSONDocument(opts.stdout, zones)
			}
			t := newTable(opts.stdout, "NAME", "STATUS", "REGION", "IDC", "SERVERS", "ROOT SERVER")
			for _, z := range zones {
				root := ""
				if z.RootServer != nil {
					root = z.RootServer.Address
				}
				n := z.ServerCount
				if n == 0 {
					n = len(z.Servers)
				}
				t.row(z.Name, string(z.Status), z.RegionName, z.IDCName, fmt.Sprint(n), root)
			}
			return t.flush()
		},
	}
	addOutputFlag(cmd, &output)
	return scriptable(cmd)
}
