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
		for _, s := range r.Up {
			for _, h := range s.Hazards {
				fmt.Fprintf(w, "      ! %s\n", h)
			}
			for i, line := range strings.Split(s.SQL, "\n") {
				if i == 0 {
					fmt.Fprintf(w, "    %s", line)
				} else {
					fmt.Fprintf(w, "\n    %s", line)
				}
			}
			fmt.Fprintln(w, ";")
		}
	}
	fmt.Fprintf(w, "\nPlan: %s to apply.\n", plural(len(revs), "revision"))
}
