package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/planner/render"
)

type planOptions struct {
	Out              string
	Format           string
	DetailedExitcode bool
}

func newPlanCmd(a *app) *cobra.Command {
	var o planOptions
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Show what apply would change, touching nothing",
		Long: `Compare the desired schema with the live database and show the changes,
their hazards (sized on the live rows) and the SQL that apply would run.
Nothing is changed; a view whose text differs from the live one is rendered
by the server through a short-lived probe view (strata_probe_*), in the
environment's dev_url database when it has one, else in the target.

On an environment that promotes (promote_from), the plan is the pending
revisions it would replay, each hazard counted on its own rows, and its
drift from the schema its history expects, shown as a plan; exit 2 with
--detailed-exitcode when either is there.`,
		Example: `  strata plan --env dev
  strata plan --env dev --format sql
  strata plan --env staging --detailed-exitcode   # 0 no changes, 2 changes, 1 error`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.plan(cmd, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Out, "out", "", "also save the plan to `FILE` for a later 'strata apply FILE'")
	f.StringVar(&o.Format, "format", "text", "output format: text, json, sql or markdown")
	f.BoolVar(&o.DetailedExitcode, "detailed-exitcode", false, "exit 0 when there are no changes, 2 when there are, 1 on error")
	return cmd
}

func (a *app) plan(cmd *cobra.Command, o planOptions) error {
	write, err := renderer(o.Format, a.io.Color())
	if err != nil {
		return usageError(cmd, err)
	}
	ctx := cmd.Context()
	files := config.NewFiles()
	env, err := a.environment(files)
	if err != nil {
		return err
	}
	if env != nil && env.Fleet != nil {
		return a.planFleet(ctx, files, env, o)
	}
	if env != nil && env.PromoteFrom != "" {
		if o.Out != "" {
			return fmt.Errorf("%s replays reviewed revisions instead of planning: there is no plan to save; apply them with 'strata apply --env %s'", env.Name, env.Name)
		}
		t, err := a.connect(ctx, env)
		if err != nil {
			return err
		}
		defer t.Close()
		return a.planPromoting(ctx, t, o)
	}
	// The schema is checked before any connection is made.
	desired, err := a.loadDesired(files, env)
	if err != nil {
		return err
	}
	t, err := a.connect(ctx, env)
	if err != nil {
		return err
	}
	defer t.Close()
	pending, err := a.showPending(ctx, t, o.Format)
	if err != nil {
		return err
	}
	pl, err := makePlan(ctx, t, desired, a.opts.MaxCountRows)
	if err != nil {
		return err
	}
	if err := write(a.io.Out, pl.Plan); err != nil {
		return err
	}
	if hint := fixHint(pl.Plan, envName(t)); hint != "" {
		// Beside the document, not in it, for the formats a program reads.
		w := a.io.Out
		if o.Format != "text" && o.Format != "" {
			w = a.io.Err
		}
		fmt.Fprintf(w, "\n%s\n", hint)
	}
	if o.Out != "" {
		r, err := a.newRevision(t, pl, "")
		if err != nil {
			return err
		}
		if err := saveInto(o.Out, t, pl, r); err != nil {
			return err
		}
		fmt.Fprintf(a.io.Err, "Saved the plan to %s. Apply it with: strata apply %s\n", o.Out, o.Out)
	}
	if o.DetailedExitcode && (!pl.Plan.Empty() || pending > 0) {
		return &exitCodeError{code: exitChanges}
	}
	return nil
}

// renderer picks the plan rendering for --format.
func renderer(format string, color bool) (func(io.Writer, *planner.Plan) error, error) {
	switch format {
	case "text", "":
		return func(w io.Writer, p *planner.Plan) error {
			return render.Text(w, p, render.TextOptions{Color: color})
		}, nil
	case "sql":
		return render.SQL, nil
	case "json":
		return render.JSON, nil
	case "markdown", "md":
		return render.Markdown, nil
	}
	return nil, fmt.Errorf("unknown --format %q: use text, json, sql or markdown", format)
}

// envName is the environment's name, "" for an ad hoc --url target.
func envName(t *target) string {
	if t.Env == nil {
		return ""
	}
	return t.Name
}
