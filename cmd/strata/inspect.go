package main

import (
	"github.com/spf13/cobra"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/dialect"
)

func newInspectCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "inspect",
		Short: "Print the live schema as HCL",
		Long: `Print the live schema of a database as HCL. Applying the output to an
empty database recreates the same schema.`,
		Example: `  strata inspect --env dev > schema.hcl
  strata inspect --url mysql://root@127.0.0.1:3306/app`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			files := config.NewFiles()
			t, err := a.openTarget(ctx, files)
			if err != nil {
				return err
			}
			defer t.Close()
			s, err := t.inspect(ctx, t.Reader)
			if err != nil {
				return err
			}
			var o config.WriteOptions
			if fd, ok := t.Dialect.(dialect.ForeignKeyDefaults); ok {
				o.ForeignKeyAction = fd.DefaultForeignKeyAction()
			}
			_, err = a.io.Out.Write(config.WriteSchemaWith(s, o))
			return err
		},
	}
}
