package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/lint"
)

type lintOptions struct {
	Format string
	Rules  bool
}

func newLintCmd(a *app) *cobra.Command {
	var o lintOptions
	cmd := &cobra.Command{
		Use:   "lint",
		Short: "Check the schema against good practice (and the plan, with a database)",
		Long: `Check the desired schema for tables without a primary key, duplicate or
redundant indexes, foreign keys without an index, reserved words, text that is
not utf8mb4, money in float columns and zero-date defaults. With --env or --url
it also plans against the database and reports destructive and data-dependent
changes, counted against the live rows.

Severities are per rule (error, warning, off) and can be set per environment:
  lint {
    no_primary_key = "warning"
    float_money    = "off"
  }
Exits 1 when a rule at error level fires.`,
		Example: `  strata lint
  strata lint --format json
  strata lint --env staging --format markdown`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.lint(cmd, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Format, "format", "text", "output format: text, json or markdown")
	f.BoolVar(&o.Rules, "rules", false, "list the rules with their default severities and exit")
	return cmd
}

func lintWriter(format string) (func(io.Writer, []lint.Finding) error, error) {
	switch format {
	case "text", "":
		return lint.WriteText, nil
	case "json":
		return lint.WriteJSON, nil
	case "markdown", "md":
		return lint.WriteMarkdown, nil
	}
	return nil, fmt.Errorf("unknown --format %q: use text, json or markdown", format)
}

func (a *app) lint(cmd *cobra.Command, o lintOptions) error {
	write, err := lintWriter(o.Format)
	if err != nil {
		return usageError(cmd, err)
	}
	if o.Rules {
		tw := tabwriter.NewWriter(a.io.Out, 0, 4, 2, ' ', 0)
		for _, r := range lint.Rules() {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Name, r.Default, r.Summary)
		}
		return tw.Flush()
	}
	ctx := cmd.Context()
	files := config.NewFiles()
	env, err := a.environment(files)
	if err != nil {
		return err
	}
	declared, err := a.loadDesired(files, env)
	if err != nil {
		return err
	}
	in := lint.Input{Schema: declared}
	if env != nil || a.opts.URL != "" {
		if err := a.lintPlan(ctx, env, &in); err != nil {
			return err
		}
	} else {
		// Without a database, resolve types and charsets as a stock
		// server of the offline dialect would, and judge by its facts.
		in.Dialect = offlineDialect()
		norm := declared.Clone()
		if err := in.Dialect.Normalize(norm); err != nil {
			return err
		}
		in.Normalized = norm
	}
	cfg := lint.Config{Severity: map[string]lint.Severity{}}
	if env != nil {
		for rule, sev := range env.Lint {
			cfg.Severity[rule], _ = lint.ParseSeverity(sev)
		}
	}
	decls := files.Declarations()
	cfg.Position = func(ob lint.Object) *lint.Position {
		p, ok := decls[config.Decl(ob)]
		if !ok && ob.Table != "" {
			p, ok = decls[config.Decl{Type: "table", Name: ob.Table}]
		}
		if !ok {
			return nil
		}
		return &lint.Position{File: p.File, Line: p.Line, Column: p.Column}
	}
	findings := lint.Run(in, cfg)
	lint.Sort(findings)
	if err := write(a.io.Out, findings); err != nil {
		return err
	}
	if lint.HasErrors(findings) {
		return errSilent
	}
	return nil
}

// lintPlan plans against the database, counts the hazards, and gives the
// rules the plan and the schema normalized for that server.
func (a *app) lintPlan(ctx context.Context, env *config.Environment, in *lint.Input) error {
	// Planning normalizes its copy; the rules also read the schema as
	// written.
	desired := in.Schema.Clone()
	t, err := a.connect(ctx, env)
	if err != nil {
		return err
	}
	defer t.Close()
	pl, err := makePlan(ctx, t, desired, a.opts.MaxCountRows)
	if err != nil {
		return err
	}
	in.Plan, in.Normalized, in.Dialect = pl.Plan, pl.Desired, t.Dialect
	return nil
}
