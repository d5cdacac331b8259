package main

import (
	"context"
	"fmt"
	"io"

	"github.com/stratadb/strata/revision"
)

// showPending prints, before the plan of schema.hcl on an environment that
// does not promote, the revisions of the directory it has not applied
// (hand-written ones, or revisions made elsewhere): apply runs them first.
// With a format other than text the note goes to stderr, so that stdout
// stays one document. It returns how many there are.
func (a *app) showPending(ctx context.Context, t *target, format string) (int, error) {
	if t.Env == nil {
		return 0, nil
	}
	h, err := a.loadHistory(ctx, t)
	if err != nil {
		return 0, err
	}
	pending := h.State.Pending
	if h.State.Partial != nil {
		pending = append([]*revision.Revision{h.State.Partial}, pending...)
	}
	if len(pending) == 0 {
		return 0, nil
	}
	w := a.io.Out
	if format != "text" && format != "" {
		w = a.io.Err
	}
	fmt.Fprintf(w, "%s has %s of %s not applied; apply runs %s first, then plans the schema:\n\n",
		t.Name, plural(len(pending), "revision"), h.Dir.Path, pronoun(len(pending)))
	exact := true
	for _, r := range pending {
		writePendingRevision(w, r)
		if r.ToHash == "" || r.ToHash != r.FromHash {
			exact = false
		}
	}
	if !exact {
		fmt.Fprintf(w, "The plan below is made against the live schema before %s; apply plans again after running %s.\n\n",
			pronoun(len(pending)), pronoun(len(pending)))
	}
	return len(pending), nil
}

func writePendingRevision(w io.Writer, r *revision.Revision) {
	how := "planned against " + r.Env
	if r.HandWritten {
		how = "hand-written"
	}
	if r.Baseline {
		how = "baseline of " + r.Env
	}
	fmt.Fprintf(w, "  # %s (%s by %s, %s)\n", r.Name(), how, r.Author, r.Created.UTC().Format("2006-01-02 15:04 UTC"))
	if len(r.Up) == 0 {
		fmt.Fprintln(w, "    -- no statements")
	}
	renderStatements(w, r.Up)
	fmt.Fprintln(w)
}
