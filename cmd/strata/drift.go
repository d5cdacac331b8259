package main

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/planner/render"
)

// driftDoc is `strata drift --format json` (format_version "1").
type driftDoc struct {
	FormatVersion string          `json:"format_version"`
	Environment   string          `json:"environment"`
	Current       *statusRevision `json:"current"` // null: no revision applied
	Drift         statusDrift     `json:"drift"`
	// SchemaChanged says the schema files changed since the current
	// revision, so Plan holds those changes too.
	SchemaChanged bool `json:"schema_changed"`
	// Plan is what the schema files would change on the live database
	// (the plan document of planner/render/json.md); null without drift.
	Plan json.RawMessage `json:"plan"`
}

func newDriftCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "drift",
		Short: "Compare the live schema with the environment's current revision",
		Long: `Check whether the live schema is still the one the environment's current
revision left. When it is not, show as a plan what schema.hcl would change
to bring it back. Exit codes: 0 no drift, 2 drift, 1 error.`,
		Example: "  strata drift --env staging\n  strata drift --env staging --format json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(cmd, format); err != nil {
				return err
			}
			ctx := cmd.Context()
			files := config.NewFiles()
			t, h, err := a.openWithHistory(ctx)
			if err != nil {
				return err
			}
			defer t.Close()
			if p := h.State.Partial; p != nil {
				rec := h.State.PartialRecord
				return fmt.Errorf("revision %s is partly applied on %s (%d of %d statements done), so there is no revision's schema to compare with: "+
					"'strata apply --env %s' finishes it, 'strata rollback --env %s' undoes its done part", p.Name(), t.Name, rec.Done, rec.Total, t.Name, t.Name)
			}
			text := format == "text"
			doc := driftDoc{FormatVersion: jsonFormatVersion, Environment: t.Name, Plan: json.RawMessage("null")}
			cur := h.State.Current()
			if cur == nil && len(h.State.Pending) == 0 {
				if text {
					fmt.Fprintf(a.io.Out, "No revision in %s yet: nothing to drift from. 'strata plan --env %s' compares the live schema with %s.\n", h.Dir.Path, t.Name, a.schemaPath(t.Env))
					return nil
				}
				doc.Drift = statusDrift{State: "unknown"}
				if doc.Drift.Live, err = liveHash(t)(ctx); err != nil {
					return err
				}
				return writeJSON(a.io.Out, doc)
			}
			liveSchema, err := t.inspect(ctx, t.Reader)
			if err != nil {
				return err
			}
			live := liveSchema.Hash()
			var want string
			if cur != nil {
				want = cur.ToHash
			} else {
				want = h.State.Pending[0].FromHash
			}
			if err := driftSeen(t, liveSchema, live, want); err != nil {
				return err
			}
			doc.Drift = statusDrift{State: "none", Live: live}
			if cur == nil {
				// Nothing applied yet: the schema to be at is where the
				// history starts.
				first := h.State.Pending[0]
				doc.Drift.Expected = first.FromHash
				if live == first.FromHash {
					if text {
						fmt.Fprintf(a.io.Out, "No drift: no revision is applied on %s yet, and its schema is the one the first revision %s starts from. 'strata apply --env %s' applies %s.\n",
							t.Name, first.Name(), t.Name, plural(len(h.State.Pending), "pending revision"))
						return nil
					}
					return writeJSON(a.io.Out, doc)
				}
				if text {
					fmt.Fprintf(a.io.Out, "Drift: %s.\n%s.\n\n", notAtStart(t, liveSchema, live, first), notAtStartFix(t, liveSchema, first, true))
				}
			} else {
				rec := h.State.Records[cur.Version]
				doc.Current = &statusRevision{Version: cur.Version, Name: cur.Name(), AppliedAt: jsonTime(rec.FinishedAt), AppliedBy: rec.AppliedBy}
				doc.Drift.Expected = cur.ToHash
				if live == cur.ToHash {
					if text {
						fmt.Fprintf(a.io.Out, "No drift: %s has the schema revision %s left.\n", t.Name, cur.Name())
						return nil
					}
					return writeJSON(a.io.Out, doc)
				}
				if text {
					fmt.Fprintf(a.io.Out, "Drift: the live schema of %s is not the one revision %s left.\n\n", t.Name, cur.Name())
				}
			}
			doc.Drift.State = "drifted"
			desired, err := a.loadDesired(files, t.Env)
			if err != nil {
				return err
			}
			pl, err := makePlan(ctx, t, desired, a.opts.MaxCountRows)
			if err != nil {
				return err
			}
			doc.SchemaChanged = cur != nil && pl.Plan.ToHash != cur.ToHash
			if !text {
				var b bytes.Buffer
				if err := render.JSON(&b, pl.Plan); err != nil {
					return err
				}
				doc.Plan = json.RawMessage(bytes.TrimSpace(b.Bytes()))
				if err := writeJSON(a.io.Out, doc); err != nil {
					return err
				}
				return &exitCodeError{code: exitChanges}
			}
			if doc.SchemaChanged {
				fmt.Fprintf(a.io.Out, "Note: %s has changed since %s, so the plan below also holds those changes.\n\n", a.schemaPath(t.Env), cur.Name())
			}
			fmt.Fprintln(a.io.Out, "What schema.hcl would change on the live database:")
			if err := render.Text(a.io.Out, pl.Plan, render.TextOptions{Color: a.io.Color()}); err != nil {
				return err
			}
			return &exitCodeError{code: exitChanges}
		},
	}
	formatFlag(cmd, &format)
	return cmd
}
