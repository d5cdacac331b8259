package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/schema"
)

// randomColumn returns a column written the way a MySQL user would.
func randomColumn(r *rand.Rand, name string) *schema.Column {
	types := []struct {
		t        schema.Type
		defaults []string
	}{
		{schema.Type{Name: "int"}, []string{"0", "-5", "'7'", "(1 + 1)"}},
		{schema.Type{Name: "bigint", Unsigned: true}, []string{"10"}},
		{schema.Type{Name: "tinyint", Args: []int{1}}, []string{"1", "TRUE", "false"}},
		{schema.Type{Name: "varchar", Args: []int{20}}, []string{"'x'", `'a\\b'`, "'it''s'", "''"}},
		{schema.Type{Name: "text"}, []string{"'long\\ntext'"}},
		{schema.Type{Name: "decimal", Args: []int{10, 2}}, []string{"1.50", "'2.25'"}},
		{schema.Type{Name: "double"}, []string{"1e3"}},
		{schema.Type{Name: "datetime", Args: []int{3}}, []string{"CURRENT_TIMESTAMP(3)", "'2024-01-01 00:00:00'"}},
		{schema.Type{Name: "date"}, []string{"curdate()"}},
		{schema.Type{Name: "enum", Values: []string{"a", "b", "c"}}, []string{"'b'"}},
		{schema.Type{Name: "blob"}, []string{"x'00FF'"}},
		{schema.Type{Name: "json"}, nil},
	}
	pick := types[r.IntN(len(types))]
	c := &schema.Column{Name: name, Type: pick.t, Null: r.IntN(2) == 0}
	c.Type.Values = append([]string(nil), pick.t.Values...)
	c.Type.Args = append([]int(nil), pick.t.Args...)
	if len(pick.defaults) > 0 && r.IntN(3) > 0 {
		c.Default = pick.defaults[r.IntN(len(pick.defaults))]
	} else if !c.Null {
		c.Null = true // ADD COLUMN needs NOT NULL columns to have a default
	}
	switch r.IntN(8) {
	case 0:
		c.Comment = "about " + name
	case 1:
		c.Collate = "utf8mb4_bin"
	}
	return c
}

func randomSchema(r *rand.Rand, tables int) *schema.Schema {
	s := &schema.Schema{}
	for i := range tables {
		t := &schema.Table{Name: fmt.Sprintf("t%d", i)}
		t.Columns = append(t.Columns, &schema.Column{Name: "id", Type: schema.Type{Name: "bigint", Unsigned: true}, AutoIncrement: true})
		t.PrimaryKey = pk("id")
		for j := range 2 + r.IntN(5) {
			t.Columns = append(t.Columns, randomColumn(r, fmt.Sprintf("c%d", j)))
		}
		if i > 0 && r.IntN(2) == 0 {
			t.Columns = append(t.Columns, &schema.Column{Name: "parent_id", Type: schema.Type{Name: "bigint", Unsigned: true}, Null: true})
			t.ForeignKeys = append(t.ForeignKeys, &schema.ForeignKey{Name: t.Name + "_parent", Columns: []string{"parent_id"},
				RefTable: fmt.Sprintf("t%d", r.IntN(i)), RefColumns: []string{"id"}, OnDelete: []string{"", "CASCADE", "SET NULL"}[r.IntN(3)]})
		}
		if r.IntN(2) == 0 {
			t.Indexes = append(t.Indexes, index(t.Name+"_c0", false, "c0"), index(t.Name+"_id_c0", true, "id", "c0"))
		}
		if r.IntN(3) == 0 {
			t.Checks = append(t.Checks, &schema.Check{Name: t.Name + "_id", Expr: "`id` > 0"})
		}
		s.Tables = append(s.Tables, t)
	}
	return s
}

// mutate changes a copy of s the way a user edits a schema.
func mutate(r *rand.Rand, s *schema.Schema) *schema.Schema {
	m := clone(s)
	for _, t := range m.Tables {
		switch r.IntN(12) {
		case 0: // add a column at the end
			t.Columns = append(t.Columns, randomColumn(r, "added"))
		case 1: // drop the last plain column
			last := t.Columns[len(t.Columns)-1]
			if last.Name != "parent_id" && last.Name != "c0" {
				t.Columns = t.Columns[:len(t.Columns)-1]
			}
		case 2: // retype / re-default a column
			c := randomColumn(r, t.Columns[1].Name)
			t.Columns[1] = c
		case 3: // rename a column
			c := t.Columns[len(t.Columns)-1]
			if c.Name != "parent_id" && c.Name != "c0" {
				c.RenamedFrom, c.Name = c.Name, c.Name+"_renamed"
			}
		case 4: // toggle an index
			if len(t.Indexes) > 0 {
				t.Indexes = nil
			} else {
				t.Indexes = append(t.Indexes, index(t.Name+"_c1", false, "c1"))
			}
		case 5: // swap two columns
			if len(t.Columns) > 3 {
				t.Columns[1], t.Columns[2] = t.Columns[2], t.Columns[1]
			}
		case 6: // flip NULL
			t.Columns[1].Null = !t.Columns[1].Null
		case 7: // add a check
			t.Checks = append(t.Checks, &schema.Check{Name: t.Name + "_small", Expr: "`id` < 1000"})
		case 8: // add a generated column
			t.Columns = append(t.Columns, &schema.Column{Name: "twice", Type: schema.Type{Name: "bigint"}, Null: true,
				Generated: &schema.Generated{Expr: "`id` * 2", Stored: r.IntN(2) == 0}})
		case 9: // strict table
			t.Options.Extra = "strict"
		case 10: // reference t0
			if t.Name != "t0" && t.Column("parent_id") == nil {
				t.Columns = append(t.Columns, &schema.Column{Name: "ref0", Type: schema.Type{Name: "int"}, Null: true})
				t.ForeignKeys = append(t.ForeignKeys, &schema.ForeignKey{Name: t.Name + "_ref0", Columns: []string{"ref0"},
					RefTable: "t0", RefColumns: []string{"id"}, OnDelete: "SET NULL"})
			}
		case 11: // rename the table
			if t.Name != "t0" {
				t.RenamedFrom, t.Name = t.Name, t.Name+"_renamed"
			}
		}
	}
	return m
}

// TestDialect_Random_Converges creates random schemas with rows, applies
// random edits through the planner and expects every plan to converge and
// every rollback to restore the schema.
func TestDialect_Random_Converges(t *testing.T) {
	ctx := context.Background()
	for seed := range uint64(40) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 42))
			d := New()
			db := openTemp(t)
			plan := func(cur, des *schema.Schema, reverse bool) {
				t.Helper()
				var p *planner.Plan
				var err error
				if reverse {
					p, err = planner.BuildReverse(des, cur, d.WithTarget(des), dialectGenOptions)
				} else {
					p, err = planner.Build(cur, des, planner.Diff(cur, des, d), d.WithTarget(des), dialectGenOptions)
				}
				if err != nil {
					t.Fatal(err)
				}
				stmts := planStatements(t, p)
				conn, err := db.Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				if err := d.ApplyTx(ctx, conn, stmts, nil); err != nil {
					if !strings.Contains(err.Error(), "constraint failed") {
						t.Fatalf("apply: %v\n%s", err, strings.Join(stmts, ";\n"))
					}
					// The rows do not fit the new schema (a new CHECK, NOT
					// NULL): fine, as long as nothing changed.
					sameSchema(t, inspect(t, d, db), cur)
					t.Skipf("rows do not fit: %v", err)
				}
				live := inspect(t, d, db)
				if again := planner.Diff(live, des, d); len(again) != 0 {
					sameSchema(t, live, des)
					t.Fatalf("not converged: %d changes left after\n%s", len(again), strings.Join(stmts, ";\n"))
				}
			}
			v1 := randomSchema(r, 2+r.IntN(4))
			if err := d.Normalize(v1); err != nil {
				t.Fatal(err)
			}
			plan(inspect(t, d, db), v1, false)
			for _, tb := range v1.Tables {
				execAll(t, db, fmt.Sprintf("WITH RECURSIVE s(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM s WHERE v < 5) INSERT INTO %s (id) SELECT v FROM s", quoteIdent(tb.Name)))
			}
			v2 := mutate(r, v1)
			if err := d.Normalize(v2); err != nil {
				t.Fatal(err)
			}
			live1 := inspect(t, d, db)
			plan(live1, v2, false)
			var n int
			if err := db.QueryRow("SELECT count(*) FROM t0").Scan(&n); err != nil || n != 5 {
				t.Errorf("t0 has %d rows after the change (%v), want 5", n, err)
			}
			// Down: back to v1.
			plan(v2, live1, true)
		})
	}
}
