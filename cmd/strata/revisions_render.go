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

// revisionsJSON is the --format json plan of an environment that promotes:
// the pending revisions with their statements and hazards.
func revisionsJSON(w io.Writer, env string, revs []*revision.Revision) error {
	type statement struct {
		SQL          string   `json:"sql"`
		Hazards      []string `json:"hazards"`
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
	}{FormatVersion: "1", Environment: env, Empty: len(revs) == 0, Pending: []pending{}}
	for _, r := range revs {
		p := pending{Version: r.Version, Name: r.Name(), FromHash: r.FromHash, ToHash: r.ToHash, PlannedOn: r.Env, Author: r.Author, Statements: []statement{}}
		for _, s := range r.Up {
			hz := s.Hazards
			if hz == nil {
				hz = []string{}
			}
			p.Statements = append(p.Statements, statement{SQL: s.SQL, Hazards: hz, Irreversible: s.Irreversible})
		}
		doc.Pending = append(doc.Pending, p)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}
