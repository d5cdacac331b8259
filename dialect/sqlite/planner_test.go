package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/schema"
)

// planStatements builds a plan with the real planner and returns its SQL.
func planStatements(t *testing.T, p *planner.Plan) []string {
	t.Helper()
	var out []string
	for _, s := range p.Statements() {
		out = append(out, s.SQL)
	}
	return out
}

// TestDialect_Planner_Converges runs every alter case through the real
// planner: plan, apply, and plan again must find no change; the down plan
// must bring back the schema it started from, with the rows.
func TestDialect_Planner_Converges(t *testing.T) {
	ctx := context.Background()
	for _, tc := range alterCases() {
		t.Run(tc.name, func(t *testing.T) {
			d := New()
			from, want := clone(tc.from), clone(tc.to)
			if err := d.Normalize(from); err != nil {
				t.Fatal(err)
			}
			if err := d.Normalize(want); err != nil {
				t.Fatal(err)
			}
			db := openTemp(t)
			if _, err := applyChanges(t, d, db, addAll(from)...); err != nil {
				t.Fatal(err)
			}
			execAll(t, db, tc.rows...)
			before := inspect(t, d, db)
			beforeRows := dumpTables(t, db, before)

			run := func(p *planner.Plan) {
				t.Helper()
				stmts := planStatements(t, p)
				conn, err := db.Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				if err := d.ApplyTx(ctx, conn, stmts, nil); err != nil {
					t.Fatalf("apply: %v\n%s", err, strings.Join(stmts, "\n"))
				}
			}
			up, err := planner.Build(before, want, planner.Diff(before, want, d), d.WithTarget(want), dialectGenOptions)
			if err != nil {
				t.Fatal(err)
			}
			if up.Empty() {
				t.Fatal("empty plan")
			}
			run(up)
			after := inspect(t, d, db)
			if again := planner.Diff(after, want, d); len(again) != 0 {
				t.Errorf("plan after apply is not empty: %d changes, first %#v", len(again), again[0])
			}
			if got := dump(t, db, tc.query); got != tc.want {
				t.Errorf("rows after the change:\n%s\nwant:\n%s", got, tc.want)
			}

			down, err := planner.BuildReverse(before, want, d.WithTarget(before), dialectGenOptions)
			if err != nil {
				t.Fatal(err)
			}
			run(down)
			sameSchema(t, inspect(t, d, db), before)
			if !tc.lossyDown && !down.HasHazard(planner.Irreversible) {
				if got := dumpTables(t, db, before); got != beforeRows {
					t.Errorf("rows after the rollback:\n%s\nwant:\n%s", got, beforeRows)
				}
			}
		})
	}
}

// dumpTables dumps the rows of the columns every table of s has.
func dumpTables(t *testing.T, db *sql.DB, s *schema.Schema) string {
	var b strings.Builder
	for _, tb := range s.Tables {
		var cols []string
		for _, c := range tb.Columns {
			if c.Generated == nil {
				cols = append(cols, quoteIdent(c.Name))
			}
		}
		b.WriteString(tb.Name + ":\n")
		b.WriteString(dump(t, db, "SELECT "+strings.Join(cols, ", ")+" FROM "+quoteIdent(tb.Name)+" ORDER BY 1"))
	}
	return b.String()
}
