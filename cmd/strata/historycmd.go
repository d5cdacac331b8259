package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/stratadb/strata/revision"
)

// jsonFormatVersion is the version of the history, status and drift JSON
// documents (cmd/strata/json.md).
const jsonFormatVersion = "1"

// historyEntry is the state of one revision in `strata history --format
// json` (its "revisions").
type historyEntry struct {
	Version    string `json:"version"`
	Name       string `json:"name"`
	Status     string `json:"status"` // applied, baselined, partial, rolled_back, pending
	AppliedAt  string `json:"applied_at,omitempty"`
	AppliedBy  string `json:"applied_by,omitempty"`
	DurationMS int64  `json:"duration_ms,omitempty"`
	Done       int    `json:"statements_done"`
	Total      int    `json:"statements_total"`
	Error      string `json:"error,omitempty"`
	// Baselined says strata baseline recorded the revision here without
	// running it (status baselined).
	Baselined bool `json:"baselined,omitempty"`
}

// historyEvent is one event in `strata history --format json`.
type historyEvent struct {
	ID         int64   `json:"id,omitempty"`
	Version    string  `json:"version"`
	Name       string  `json:"name"`
	Kind       string  `json:"kind"`
	Outcome    string  `json:"outcome"`
	StartedAt  string  `json:"started_at"`
	FinishedAt *string `json:"finished_at"`
	DurationMS *int64  `json:"duration_ms"`
	OSUser     string  `json:"os_user"`
	DBUser     string  `json:"db_user"`
	Before     int     `json:"statements_before"`
	Done       int     `json:"statements_done"`
	Total      int     `json:"statements_total"`
	Error      string  `json:"error,omitempty"`
	Note       string  `json:"note,omitempty"`
	Imported   bool    `json:"imported,omitempty"`
}

// historyDoc is `strata history --format json`.
type historyDoc struct {
	FormatVersion string         `json:"format_version"`
	Environment   string         `json:"environment"`
	Events        []historyEvent `json:"events"`
	Revisions     []historyEntry `json:"revisions"`
}

func newHistoryCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List what happened in an environment: every apply, resume, rollback and re-apply",
		Long: `List the events of an environment's history table in order: each apply,
resume, rollback and re-apply of a revision with its start, end, duration,
who ran it (OS user and database user) and its outcome; then the revisions
still pending.`,
		Example: "  strata history --env prod\n  strata history --env prod --format json",
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
				doc, err := a.fleetHistory(ctx, env)
				if err != nil {
					return err
				}
				if format == "json" {
					return writeJSON(a.io.Out, doc)
				}
				printFleetHistory(a.io.Out, doc)
				return nil
			}
			t, h, err := a.openWithHistory(ctx)
			if err != nil {
				return err
			}
			defer t.Close()
			evs, err := h.Store.Events(ctx)
			if err != nil {
				return err
			}
			doc := historyDoc{FormatVersion: jsonFormatVersion, Environment: t.Name,
				Events: historyEvents(h, evs), Revisions: historyEntries(h, evs)}
			if format == "json" {
				return writeJSON(a.io.Out, doc)
			}
			return writeHistory(a.io.Out, t.Name, h, evs, doc)
		},
	}
	formatFlag(cmd, &format)
	return cmd
}

// formatFlag adds --format text|json.
func formatFlag(cmd *cobra.Command, format *string) {
	cmd.Flags().StringVar(format, "format", "text", "output format: text or json (a versioned document, see cmd/strata/json.md)")
}

func checkFormat(cmd *cobra.Command, format string) error {
	if format != "text" && format != "json" {
		return usageError(cmd, fmt.Errorf("unknown --format %q: use text or json", format))
	}
	return nil
}

func writeJSON(w io.Writer, doc any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

// jsonTime is a time in the JSON documents: RFC 3339 in UTC.
func jsonTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}

func writeHistory(w io.Writer, env string, h *history, evs []revision.Event, doc historyDoc) error {
	if len(doc.Events) == 0 && len(h.Revs) == 0 {
		fmt.Fprintf(w, "No revisions in %s yet.\n", h.Dir.Path)
		return nil
	}
	if len(doc.Events) == 0 {
		fmt.Fprintf(w, "Nothing has run on %s yet.\n", env)
	} else {
		notes := false
		for _, e := range doc.Events {
			notes = notes || e.Note != "" && !e.Imported
		}
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		head := "STARTED (UTC)\tFINISHED\tDURATION\tVERSION\tNAME\tEVENT\tOUTCOME\tSTATEMENTS\tBY"
		if notes {
			head += "\tNOTE"
		}
		fmt.Fprintln(tw, head)
		for i, e := range doc.Events {
			ev := evs[i]
			finished, dur := "-", "-"
			if !ev.FinishedAt.IsZero() {
				finished = textTime(ev.FinishedAt, ev.StartedAt)
				dur = ev.Duration().Round(time.Millisecond).String()
			}
			if ev.Outcome == revision.OutcomeRecorded {
				dur = "-" // not a run: it took no time
			}
			name := e.Name
			if name == "" {
				name = "-"
			}
			line := fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s", ev.StartedAt.UTC().Format("2006-01-02 15:04:05"), finished, dur,
				e.Version, name, strings.ReplaceAll(e.Kind, "_", " "), strings.ReplaceAll(e.Outcome, "_", " "), statementsText(ev), whoText(ev))
			if notes {
				note := e.Note
				if e.Imported {
					note = ""
				}
				line += "\t" + oneLine(note)
			}
			fmt.Fprintln(tw, line)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for _, e := range doc.Events {
			if e.Imported {
				fmt.Fprintln(w, "\nThe first events are read from the history table as an older Strata kept it: one row a revision, its last run only.")
				break
			}
		}
	}
	var pending []string
	for _, r := range doc.Revisions {
		if r.Status == "pending" {
			pending = append(pending, r.Version+"_"+r.Name)
		}
	}
	if len(pending) > 0 {
		fmt.Fprintf(w, "\nPending on %s (%s):\n", env, plural(len(pending), "revision"))
		for _, p := range pending {
			fmt.Fprintf(w, "  %s\n", p)
		}
	}
	return nil
}

// textTime shows t, with its date only when it is not the day of since.
func textTime(t, since time.Time) string {
	t, since = t.UTC(), since.UTC()
	if t.Format("2006-01-02") == since.Format("2006-01-02") {
		return t.Format("15:04:05")
	}
	return t.Format("2006-01-02 15:04:05")
}

// statementsText says which statements an event ran: "1–3 of 3", "none of 3".
func statementsText(e revision.Event) string {
	switch {
	case e.Total == 0 && e.Done == 0:
		return "-"
	case e.Done <= e.First:
		return fmt.Sprintf("none of %d", e.Total)
	case e.Done == e.First+1:
		return fmt.Sprintf("%d of %d", e.Done, e.Total)
	}
	return fmt.Sprintf("%d–%d of %d", e.First+1, e.Done, e.Total)
}

func whoText(e revision.Event) string {
	switch {
	case e.OSUser == "" && e.DBUser == "":
		return "-"
	case e.DBUser == "":
		return e.OSUser
	case e.OSUser == "":
		return e.DBUser
	}
	return e.OSUser + " as " + e.DBUser
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func historyEvents(h *history, evs []revision.Event) []historyEvent {
	slugs := map[string]string{}
	for _, r := range h.Revs {
		slugs[r.Version] = r.Slug
	}
	for _, rec := range h.State.Records {
		if slugs[rec.Version] == "" {
			slugs[rec.Version] = rec.Slug
		}
	}
	out := []historyEvent{}
	for _, e := range evs {
		he := historyEvent{ID: e.ID, Version: e.Version, Name: slugs[e.Version], Kind: e.Kind, Outcome: e.Outcome,
			StartedAt: jsonTime(e.StartedAt), OSUser: e.OSUser, DBUser: e.DBUser, Before: e.First, Done: e.Done, Total: e.Total,
			Error: e.Error, Note: e.Note, Imported: e.Imported}
		if !e.FinishedAt.IsZero() {
			f, ms := jsonTime(e.FinishedAt), e.Duration().Milliseconds()
			he.FinishedAt, he.DurationMS = &f, &ms
		}
		out = append(out, he)
	}
	return out
}

// historyEntries reads each revision's state from its record; the events
// are not needed since a baseline's record says baselined itself.
func historyEntries(h *history, _ []revision.Event) []historyEntry {
	out := []historyEntry{}
	for _, r := range h.Revs {
		e := historyEntry{Version: r.Version, Name: r.Slug, Status: "pending", Total: len(r.Up)}
		if rec, ok := h.State.Records[r.Version]; ok {
			e.Status = rec.Status
			e.AppliedBy = rec.AppliedBy
			e.DurationMS = rec.DurationMS
			e.Done, e.Total = rec.Done, rec.Total
			e.Error = rec.Error
			e.Baselined = rec.Status == revision.StatusBaselined
			if !rec.FinishedAt.IsZero() {
				e.AppliedAt = jsonTime(rec.FinishedAt)
			} else if !rec.StartedAt.IsZero() {
				e.AppliedAt = jsonTime(rec.StartedAt)
			}
		}
		out = append(out, e)
	}
	return out
}
