package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/revision"
)

func newStatusCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show an environment's current revision, pending revisions and drift",
		Long: `Show where an environment stands in the migrations directory: its current
revision (when and by whom it was applied), a revision a run left part-way,
the pending revisions, on an environment with promote_from which of them
wait for the source environment (the gate), and whether the live schema is
still the one the current revision left. It changes nothing.`,
		Example: "  strata status --env staging\n  strata status --env staging --format json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(cmd, format); err != nil {
				return err
			}
			ctx := cmd.Context()
			if env, err := a.fleetEnvironment(); err != nil || env != nil {
				if err != nil {
					return err
				}
				doc, err := a.fleetStatus(ctx, env)
				if err != nil {
					return err
				}
				if format == "json" {
					return writeJSON(a.io.Out, doc)
				}
				printFleetStatus(a.io.Out, doc)
				return nil
			}
			t, h, err := a.openWithHistory(ctx)
			if err != nil {
				return err
			}
			defer t.Close()
			doc, err := a.status(ctx, t, h)
			if err != nil {
				return err
			}
			if format == "json" {
				return writeJSON(a.io.Out, doc)
			}
			a.printStatus(ctx, t, h, doc)
			return nil
		},
	}
	formatFlag(cmd, &format)
	return cmd
}

// fleetEnvironment is --env when it is a fleet (and no --target picks one
// of its databases), else nil.
func (a *app) fleetEnvironment() (*config.Environment, error) {
	if a.opts.Env == "" || a.opts.URL != "" {
		return nil, nil
	}
	env, err := a.environment(config.NewFiles())
	if err != nil || env.Fleet == nil {
		return nil, err
	}
	return env, nil
}

// openWithHistory opens the target of a history command: it needs --env.
func (a *app) openWithHistory(ctx context.Context) (*target, *history, error) {
	if a.opts.Env == "" && a.opts.URL != "" {
		return nil, nil, fmt.Errorf("history belongs to environments: pass --env NAME (an ad hoc --url run records none)")
	}
	t, err := a.openTarget(ctx, config.NewFiles())
	if err != nil {
		return nil, nil, err
	}
	h, err := a.loadHistory(ctx, t)
	if err != nil {
		t.Close()
		return nil, nil, err
	}
	return t, h, nil
}

// statusDoc is where an environment stands: `strata status --format json`,
// and what its text says. Fields may be added (format_version "1").
type statusDoc struct {
	FormatVersion string           `json:"format_version"`
	Environment   string           `json:"environment"`
	URL           string           `json:"url"` // password masked
	Directory     string           `json:"migrations_dir"`
	Current       *statusRevision  `json:"current"` // null: none applied
	Partial       *statusPartial   `json:"partial"` // null: none
	Pending       []statusRevision `json:"pending"`
	Gate          *statusGate      `json:"gate"` // null: the environment does not promote
	Drift         statusDrift      `json:"drift"`

	// gate and gateErr are the gate as read (see planGate), for the text.
	gate    *gate
	gateErr *gateError
}

// statusRevision is a revision in the status document.
type statusRevision struct {
	Version   string `json:"version"`
	Name      string `json:"name"` // file name
	AppliedAt string `json:"applied_at,omitempty"`
	AppliedBy string `json:"applied_by,omitempty"`
	// Baselined says the revision was recorded by strata baseline on a
	// database that already had its schema, not run.
	Baselined bool `json:"baselined,omitempty"`
	// GateOverride is the note of the gate override its last run was
	// applied with (who skipped which gate and why is in history).
	GateOverride string `json:"gate_override,omitempty"`
}

// statusPartial is a revision a run left part-way.
type statusPartial struct {
	statusRevision
	Direction string `json:"direction"` // up (apply) or down (rollback)
	Done      int    `json:"statements_done"`
	Total     int    `json:"statements_total"`
	Error     string `json:"error,omitempty"`
}

// statusDrift compares the live schema with the current revision's.
type statusDrift struct {
	// State is "none", "drifted" or "unknown" (no revision to compare
	// with). Expected is the current revision's schema, or with none
	// applied the schema the first pending revision starts from.
	State    string `json:"state"`
	Expected string `json:"expected_hash,omitempty"`
	Live     string `json:"live_hash"`
	// Reason says why State is "unknown" although there is a schema to
	// compare with (what the user's privileges hide); "" otherwise.
	Reason string `json:"reason,omitempty"`
}

// status reads where t stands.
func (a *app) status(ctx context.Context, t *target, h *history) (*statusDoc, error) {
	doc := &statusDoc{FormatVersion: jsonFormatVersion, Environment: t.Name, URL: t.Redacted, Directory: h.Dir.Path, Pending: []statusRevision{}}
	cur := h.State.Current()
	if cur != nil {
		rec := h.State.Records[cur.Version]
		doc.Current = &statusRevision{Version: cur.Version, Name: cur.Name(), AppliedAt: jsonTime(rec.FinishedAt), AppliedBy: rec.AppliedBy,
			Baselined: rec.Status == revision.StatusBaselined}
		// A run with the gate skipped records the override right after
		// it: then it is the revision's newest event.
		ev, err := h.Store.LastEvent(ctx, cur.Version)
		if err != nil {
			return nil, err
		}
		if ev != nil && ev.Kind == revision.EventGateOverride {
			doc.Current.GateOverride = ev.Note
		}
	}
	if p := h.State.Partial; p != nil {
		rec := h.State.PartialRecord
		doc.Partial = &statusPartial{statusRevision: statusRevision{Version: p.Version, Name: p.Name(), AppliedBy: rec.AppliedBy},
			Direction: rec.Direction, Done: rec.Done, Total: rec.Total, Error: rec.Error}
	}
	for _, r := range h.State.Pending {
		doc.Pending = append(doc.Pending, statusRevision{Version: r.Version, Name: r.Name()})
	}
	doc.gate, doc.gateErr = a.planGate(ctx, t, h.State.Pending)
	doc.Gate = statusGateOf(t, doc.gate, doc.gateErr)
	liveSchema, err := t.inspect(ctx, t.Reader)
	if err != nil {
		return nil, err
	}
	live := liveSchema.Hash()
	doc.Drift = statusDrift{State: "unknown", Live: live}
	switch {
	case cur != nil:
		doc.Drift.Expected = cur.ToHash
	case h.State.Partial == nil && len(h.State.Pending) > 0:
		// Nothing applied yet: the schema to be at is where the history
		// starts.
		doc.Drift.Expected = h.State.Pending[0].FromHash
	default:
		return doc, nil
	}
	if unseen := driftSeen(t, liveSchema, live, doc.Drift.Expected); unseen != nil {
		doc.Drift.Reason = unseen.Error()
		return doc, nil
	}
	doc.Drift.State = "none"
	if live != doc.Drift.Expected {
		doc.Drift.State = "drifted"
	}
	return doc, nil
}

func (a *app) printStatus(ctx context.Context, t *target, h *history, doc *statusDoc) {
	w := a.io.Out
	fmt.Fprintf(w, "Environment:  %s (%s)\n", t.Name, t.Redacted)
	cur := h.State.Current()
	switch {
	case cur == nil:
		fmt.Fprintln(w, "Current:      none (no revision applied yet)")
	case doc.Current != nil && doc.Current.Baselined:
		rec := h.State.Records[cur.Version]
		fmt.Fprintf(w, "Current:      %s (baselined %s by %s: recorded as applied, not run)\n", cur.Name(), formatTime(rec.FinishedAt), rec.AppliedBy)
	default:
		rec := h.State.Records[cur.Version]
		override := ""
		if doc.Current != nil && doc.Current.GateOverride != "" {
			override = "; " + oneLine(doc.Current.GateOverride)
		}
		fmt.Fprintf(w, "Current:      %s (applied %s by %s%s)\n", cur.Name(), formatTime(rec.FinishedAt), rec.AppliedBy, override)
	}
	if p := h.State.Partial; p != nil {
		rec := h.State.PartialRecord
		of := ""
		if rec.Direction == revision.Down {
			of = " of its rollback"
		}
		fmt.Fprintf(w, "Partial:      %s stopped after %d of %d statements%s", p.Name(), rec.Done, rec.Total, of)
		if rec.Error != "" {
			fmt.Fprintf(w, ": %s", rec.Error)
		}
		if rec.Direction == revision.Down {
			fmt.Fprintf(w, "\n              Fix the cause and rerun 'strata rollback --env %s' to finish undoing it.\n", t.Name)
		} else {
			// A partly applied revision cannot be rolled back: its down
			// statements undo the whole of it.
			fmt.Fprintf(w, "\n              Fix the cause and rerun 'strata apply --env %s' to finish it;\n", t.Name)
			fmt.Fprintf(w, "              once applied, 'strata rollback --env %s' can undo it.\n", t.Name)
		}
	}
	if n := len(h.State.Pending); n == 0 {
		fmt.Fprintf(w, "Pending:      none (at the head of %s)\n", h.Dir.Path)
	} else {
		fmt.Fprintf(w, "Pending:      %s behind %s\n", plural(n, "revision"), h.Dir.Path)
		for _, r := range h.State.Pending {
			fmt.Fprintf(w, "                %s\n", r.Name())
		}
		printGate(w, doc.gate, doc.gateErr)
	}
	switch {
	case doc.Drift.State == "unknown" && doc.Drift.Reason != "":
		fmt.Fprintf(w, "Drift:        unknown: %s\n", doc.Drift.Reason)
	case doc.Drift.State == "unknown":
		fmt.Fprintln(w, "Drift:        unknown (no revision to compare with)")
	case cur == nil && doc.Drift.State == "none":
		fmt.Fprintln(w, "Drift:        none (no revision applied yet; the live schema is where the history starts)")
	case cur == nil && h.State.Pending[0].Baseline && doc.Drift.Live == h.State.Pending[0].ToHash:
		fmt.Fprintf(w, "Drift:        no revision is applied, but the live schema is the one the baseline %s creates: 'strata baseline --env %s' records it\n", h.State.Pending[0].Name(), t.Name)
	case cur == nil:
		fmt.Fprintf(w, "Drift:        yes: no revision is applied, and the live schema is not the one %s starts from; see 'strata drift --env %s'\n", h.State.Pending[0].Name(), t.Name)
	case doc.Drift.State == "none":
		fmt.Fprintln(w, "Drift:        none (the live schema is the current revision's)")
	default:
		fmt.Fprintf(w, "Drift:        yes: the live schema is not the one %s left; see 'strata drift --env %s'\n", cur.Name(), t.Name)
	}
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

func newCurrentCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "current",
		Short: "Print the current revision of an environment",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t, h, err := a.openWithHistory(cmd.Context())
			if err != nil {
				return err
			}
			defer t.Close()
			if cur := h.State.Current(); cur != nil {
				fmt.Fprintln(a.io.Out, cur.Name())
			} else {
				fmt.Fprintln(a.io.Out, "none")
			}
			return nil
		},
	}
}

func newRehashCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "rehash",
		Short: "Rewrite migrations/strata.sum after a deliberate edit of revision files",
		Long: `Rewrite the sum file from the revision files as they are now. Run it only
after you changed revision files on purpose (e.g. resolved a merge of two
branches): it tells Strata to trust the files again.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			env, err := a.offlineEnvironment()
			if err != nil {
				return err
			}
			dir := revision.Dir{Path: a.migrationsDir(env)}
			if err := dir.Rehash(); err != nil {
				return err
			}
			fmt.Fprintf(a.io.Out, "Rewrote %s/%s.\n", dir.Path, revision.SumFile)
			return nil
		},
	}
}
