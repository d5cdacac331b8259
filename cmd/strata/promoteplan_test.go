package main

import (
	"strings"
	"testing"

	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/schema"
)

func TestParseHazard(t *testing.T) {
	cases := []struct {
		text    string
		kind    planner.HazardKind
		message string
	}{
		{"data-dependent: fails if `t`.`c` holds NULL values", planner.DataDependent, "fails if `t`.`c` holds NULL values"},
		{"destructive: drops column `t`.`c`: and its values", planner.Destructive, "drops column `t`.`c`: and its values"},
		{"locking: rebuilds `t`", planner.Locking, "rebuilds `t`"},
		{"irreversible: the undo re-adds it empty", planner.Irreversible, "the undo re-adds it empty"},
		// Not a kind Strata writes: kept whole, as the riskier kind.
		{"odd: something", planner.DataDependent, "odd: something"},
		{"no kind at all", planner.DataDependent, "no kind at all"},
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			h := parseHazard(c.text)
			if h.Kind != c.kind || h.Message != c.message {
				t.Errorf("parseHazard(%q) = %q, %q; want %q, %q", c.text, h.Kind, h.Message, c.kind, c.message)
			}
		})
	}
}

func TestMissingOn(t *testing.T) {
	live := &schema.Schema{Tables: []*schema.Table{
		{Name: "users", Columns: []*schema.Column{{Name: "id"}, {Name: "email"}}},
	}}
	cases := []struct {
		name  string
		check planner.DataCheck
		want  string // "" when countable
	}{
		{"there", planner.DataCheck{Kind: planner.CountNulls, Table: "users", Columns: []string{"email"}}, ""},
		{"no table", planner.DataCheck{Kind: planner.CountRows, Table: "posts"}, "table `posts` is not on staging yet"},
		{"no column", planner.DataCheck{Kind: planner.CountNulls, Table: "users", Columns: []string{"full_name"}}, "column `users`.`full_name` is not on staging yet"},
		{"no parent", planner.DataCheck{Kind: planner.CountOrphans, Table: "users", Columns: []string{"id"}, RefTable: "accounts", RefColumns: []string{"id"}}, "table `accounts` is not on staging yet"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := missingOn(live, &c.check, "staging", quoterOf(offlineDialect())) // MySQL: backticks
			if got != c.want {
				t.Errorf("missingOn = %q, want %q", got, c.want)
			}
			if c.want != "" && !strings.Contains(got, "staging") {
				t.Errorf("%q does not name the environment", got)
			}
		})
	}
}
