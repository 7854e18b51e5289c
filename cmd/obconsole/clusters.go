package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/obconsole/obconsole/backend/ocp"
)

func init() { extraCommands = append(extraCommands, newClustersCommand) }

func newClustersCommand(opts *globalOptions) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "clusters",
		Short: "List the OceanBase clusters",
		Long: `List the OceanBase clusters as a table, or with -o json as a JSON array of
the OCP cluster objects as decoded.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
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
			clusters, err := ex.ListClusters(ctx)
			if err != nil {
				return commandError(err)
			}
			if clusters == nil {
				clusters = []ocp.Cluster{}
			}
			if format == outputJSON {
				return writeJSONDocument(opts.stdout, clusters)
			}
			t := newTable(opts.stdout, "ID", "NAME", "TYPE", "STATUS", "VERSION", "OB CLUSTER ID", "ZONES", "SERVERS", "TENANTS", "ROOT SERVERS")
			for _, c := range clusters {
				roots := make([]string, 0, len(c.RootServers))
				for _, r := range c.RootServers {
					roots = append(roots, r.Address)
				}
				zones := "-"
				if len(c.Zones) > 0 {
					zones = fmt.Sprint(len(c.Zones))
				}
				t.row(fmt.Sprint(c.ID), c.Name, string(c.Type), string(c.Status), c.ObVersion, fmt.Sprint(c.ObClusterID),
					zones, fmt.Sprint(c.ServerCount), fmt.Sprint(c.TenantCount), strings.Join(roots, ","))
			}
			return t.flush()
		},
	}
	addOutputFlag(cmd, &output)
	return scriptable(cmd)
}
