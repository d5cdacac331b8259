package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stratadb/strata/config"
)

func newValidateCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "validate",
		Short: "Check the schema HCL without a database",
		Long: `Check the desired schema for mistakes: syntax, unknown attributes and
types, references to missing columns or tables, duplicate names, foreign
keys whose column types differ. No database is contacted.`,
		Example: `  strata validate
  strata validate --schema db/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			files := config.NewFiles()
			s, err := a.loadDesired(files, nil)
			if err != nil {
				return err
			}
			if err := offlineDialect().Normalize(s); err != nil {
				return err
			}
			counts := []string{plural(len(s.Tables), "table"), plural(len(s.Views), "view"), plural(len(s.Triggers), "trigger")}
			if len(s.Routines) > 0 {
				counts = append(counts, plural(len(s.Routines), "routine"))
			}
			if len(s.Events) > 0 {
				counts = append(counts, plural(len(s.Events), "event"))
			}
			fmt.Fprintf(a.io.Out, "Success! %s is valid: %s.\n", a.schemaPath(nil), strings.Join(counts, ", "))
			return nil
		},
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
