package main

import (
	"encoding/json"
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

// revisionsJSON is the --format json plan of an environment that promotes:
// the pending revisions with their statements and hazards.
// g, when not nil, adds the revisions that wait for the gate.
func revisionsJSON(w io.Writer, env string, revs []*revision.Revision, g *gate) error {
	type statement struct {
		SQL          string   `json:"sql"`
		Hazards      []string `json:"hazards"`
		Comment      string   `json:"comment,omitempty"`
		Irreversible bool     `json:"irreversible,omitempty"`
	}
	type pending struct {
		Version    string      `json:"version"`
		Name       string      `json:"name"`
		FromHash   string      `json:"from_hash"`
		ToHash     string      `json:"to_hash"`
		PlannedOn  string      `json:"planned_on"`
		Author     string      `json:"author"`
		Statements []statement `json:"statements"`
	}
	doc := struct {
		FormatVersion string    `json:"format_version"`
		Environment   string    `json:"environment"`
		Empty         bool      `json:"empty"`
		Pending       []pending `json:"pending_revisions"`
		Gate          *gateJSON `json:"gate,omitempty"`
	}{FormatVersion: "1", Environment: env, Empty: len(revs) == 0, Pending: []pending{}, Gate: g.json()}
	for _, r := range revs {
		p := pending{Version: r.Version, Name: r.Name(), FromHash: r.FromHash, ToHash: r.ToHash, PlannedOn: r.Env, Author: r.Author, Statements: []statement{}}
		for _, s := range r.Up {
			hz := s.Hazards
			if hz == nil {
				hz = []string{}
			}
			p.Statements = append(p.Statements, statement{SQL: s.SQL, Hazards: hz, Comment: s.Comment, Irreversible: s.Irreversible})
		}
		doc.Pending = append(doc.Pending, p)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}
