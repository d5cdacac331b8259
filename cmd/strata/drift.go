package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/planner/render"
)

func newDriftCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "drift",
		Short: "Compare the live schema with the environment's current revision",
		Long: `Check whether the live schema is still the one the environment's current
revision left. When it is not, show as a plan what schema.hcl would change
to bring it back. Exit codes: 0 no drift, 2 drift, 1 error.`,
		Example: "  strata drift --env staging",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			files := config.NewFiles()
			t, h, err := a.openWithHistory(ctx)
			if err != nil {
				return err
			}
			defer t.Close()
			cur := h.State.Current()
			if cur == nil {
				fmt.Fprintf(a.io.Out, "No revision is applied on %s: nothing to drift from.\n", t.Name)
				return nil
			}
			live, err := liveHash(t)(ctx)
			if err != nil {
				return err
			}
			if live == cur.ToHash {
				fmt.Fprintf(a.io.Out, "No drift: %s has the schema revision %s left.\n", t.Name, cur.Name())
				return nil
			}
			fmt.Fprintf(a.io.Out, "Drift: the live schema of %s is not the one revision %s left.\n\n", t.Name, cur.Name())
			desired, err := a.loadDesired(files, t.Env)
			if err != nil {
				return err
			}
			pl, err := makePlan(ctx, t, desired, a.opts.MaxCountRows)
			if err != nil {
				return err
			}
			if pl.Plan.ToHash != cur.ToHash {
				fmt.Fprintf(a.io.Out, "Note: %s has changed since %s, so the plan below also holds those changes.\n\n", a.schemaPath(t.Env), cur.Name())
			}
			fmt.Fprintln(a.io.Out, "What schema.hcl would change on the live database:")
			if err := render.Text(a.io.Out, pl.Plan, render.TextOptions{Color: a.io.Color()}); err != nil {
				return err
			}
			return &exitCodeError{code: exitChanges}
		},
	}
}
