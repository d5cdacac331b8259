package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

// historyEntry is one row of `strata history`, also its JSON form.
type historyEntry struct {
	Version    string `json:"version"`
	Name       string `json:"name"`
	Status     string `json:"status"` // applied, partial, rolled_back, pending
	AppliedAt  string `json:"applied_at,omitempty"`
	AppliedBy  string `json:"applied_by,omitempty"`
	DurationMS int64  `json:"duration_ms,omitempty"`
	Done       int    `json:"statements_done"`
	Total      int    `json:"statements_total"`
	Error      string `json:"error,omitempty"`
}

func newHistoryCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:     "history",
		Short:   "List the revisions and what happened to each in an environment",
		Example: "  strata history --env prod\n  strata history --env prod --format json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return usageError(cmd, fmt.Errorf("unknown --format %q: use text or json", format))
			}
			t, h, err := a.openWithHistory(cmd.Context())
			if err != nil {
				return err
			}
			defer t.Close()
			entries := historyEntries(h)
			if format == "json" {
				enc := json.NewEncoder(a.io.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"environment": t.Name, "revisions": entries})
			}
			if len(entries) == 0 {
				fmt.Fprintf(a.io.Out, "No revisions in %s yet.\n", h.Dir.Path)
				return nil
			}
			tw := tabwriter.NewWriter(a.io.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "VERSION\tNAME\tSTATUS\tAPPLIED AT\tBY\tDURATION")
			for _, e := range entries {
				when, dur := e.AppliedAt, "-"
				if when == "" {
					when = "-"
				}
				if e.Status != "pending" {
					dur = (time.Duration(e.DurationMS) * time.Millisecond).String()
				}
				by := e.AppliedBy
				if by == "" {
					by = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.Version, e.Name, e.Status, when, by, dur)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func historyEntries(h *history) []historyEntry {
	var out []historyEntry
	for _, r := range h.Revs {
		e := historyEntry{Version: r.Version, Name: r.Slug, Status: "pending", Total: len(r.Up)}
		if rec, ok := h.State.Records[r.Version]; ok {
			e.Status = rec.Status
			e.AppliedBy = rec.AppliedBy
			e.DurationMS = rec.DurationMS
			e.Done, e.Total = rec.Done, rec.Total
			e.Error = rec.Error
			if !rec.FinishedAt.IsZero() {
				e.AppliedAt = formatTime(rec.FinishedAt)
			} else {
				e.AppliedAt = formatTime(rec.StartedAt)
			}
		}
		out = append(out, e)
	}
	return out
}
