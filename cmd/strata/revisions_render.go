package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/stratadb/strata/revision"
)

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
