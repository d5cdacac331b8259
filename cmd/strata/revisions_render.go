package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/stratadb/strata/revision"
)

// renderRevisions lists revisions to be replayed with their SQL and hazards.
func renderRevisions(w io.Writer, revs []*revision.Revision) {
	fmt.Fprintf(w, "Strata will apply %s:\n", plural(len(revs), "pending revision"))
	for _, r := range revs {
		fmt.Fprintf(w, "\n  # %s (planned against %s by %s, %s)\n", r.Name(), r.Env, r.Author, r.Created.UTC().Format("2006-01-02 15:04 UTC"))
		renderStatements(w, r.Up)
	}
	fmt.Fprintf(w, "\nPlan: %s to apply.\n", plural(len(revs), "revision"))
}

// renderStatements shows a revision's statements, each under its hazards.
func renderStatements(w io.Writer, stmts []revision.Statement) {
	for _, s := range stmts {
		if s.Irreversible {
			fmt.Fprintln(w, "      ! irreversible: restores the structure, not the data")
		}
		for _, h := range s.Hazards {
			fmt.Fprintf(w, "      ! %s\n", h)
		}
		if s.Comment != "" {
			fmt.Fprintf(w, "    -- %s\n", s.Comment)
		}
		fmt.Fprintf(w, "    %s;\n", strings.ReplaceAll(s.SQL, "\n", "\n    "))
	}
}
