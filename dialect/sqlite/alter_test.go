package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/schema"
)

func tbl(name string, cols ...*schema.Column) *schema.Table {
	return &schema.Table{Name: name, Columns: cols}
}

func withPK(t *schema.Table, cols ...string) *schema.Table { t.PrimaryKey = pk(cols...); return t }

func withIndex(t *schema.Table, i ...*schema.Index) *schema.Table {
	t.Indexes = append(t.Indexes, i...)
	return t
}

func withFK(t *schema.Table, f ...*schema.ForeignKey) *schema.Table {
	t.ForeignKeys = append(t.ForeignKeys, f...)
	return t
}

func withCheck(t *schema.Table, c ...*schema.Check) *schema.Table {
	t.Checks = append(t.Checks, c...)
	return t
}

func fk(name string, cols []string, ref string, refCols []string, onDelete string) *schema.ForeignKey {
	return &schema.ForeignKey{Name: name, Columns: cols, RefTable: ref, RefColumns: refCols, OnDelete: onDelete}
}

func renamed(c *schema.Column, from string) *schema.Column { c.RenamedFrom = from; return c }

// parent is a table others reference in the cases below.
func parent() *schema.Table {
	return withPK(tbl("parent", col("id", "int"), nullable(col("name", "text"))), "id")
}

type alterCase struct {
	name string
	// from and to are whole schemas; the change is built by changes from
	// the normalized tables of both.
	from, to *schema.Schema
	changes  func(from, to *schema.Schema) []schema.Change
	rows     []string // inserted after from is created
	query    string   // dumps the data after the change
	want     string   // expected dump
	rebuild  bool     // whether the change must rebuild the table
	// after runs after the change; query2 must then give want2.
	after         []string
	query2, want2 string
	// lossyDown says the down side cannot bring back the rows exactly
	// (NULLs filled with the new default stay filled).
	lossyDown bool
}

func one(ts ...*schema.Table) *schema.Schema { return &schema.Schema{Tables: ts} }

// alterOf returns an AlterTable of the named table with the given clauses.
func alterOf(name string, cs ...func(from, to *schema.Table) schema.TableChange) func(from, to *schema.Schema) []schema.Change {
	return func(from, to *schema.Schema) []schema.Change {
		f, t := from.Table(name), to.Table(name)
		a := &schema.AlterTable{From: f, To: t}
		for _, c := range cs {
			a.Changes = append(a.Changes, c(f, t))
		}
		return []schema.Change{a}
	}
}

func addColumn(name string) func(from, to *schema.Table) schema.TableChange {
	return func(_, to *schema.Table) schema.TableChange { return &schema.AddColumn{C: to.Column(name)} }
}

func dropColumn(name string) func(from, to *schema.Table) schema.TableChange {
	return func(from, _ *schema.Table) schema.TableChange { return &schema.DropColumn{C: from.Column(name)} }
}

func modifyColumn(fromName, toName string, kind schema.ColumnChangeKind) func(from, to *schema.Table) schema.TableChange {
	return func(from, to *schema.Table) schema.TableChange {
		return &schema.ModifyColumn{From: from.Column(fromName), To: to.Column(toName), Kind: kind}
	}
}

func clause(c schema.TableChange) func(from, to *schema.Table) schema.TableChange {
	return func(_, _ *schema.Table) schema.TableChange { return c }
}

func alterCases() []alterCase {
	base := func() *schema.Table {
		return withPK(tbl("t", col("id", "int"), nullable(col("a", "int")), nullable(col("b", "text"))), "id")
	}
	rows := []string{`INSERT INTO t (id, a, b) VALUES (1, 10, 'x'), (2, NULL, 'y'), (3, 30, NULL)`}
	return []alterCase{
		{
			name: "add nullable column at the end",
			from: one(base()),
			to: one(func() *schema.Table {
				t := base()
				t.Columns = append(t.Columns, nullable(col("c", "varchar", 5)))
				return t
			}()),
			changes: alterOf("t", addColumn("c")),
			rows:    rows, query: "SELECT id, a, b, c FROM t ORDER BY id",
			want: "[1 10 x <nil>]\n[2 <nil> y <nil>]\n[3 30 <nil> <nil>]\n",
		},
		{
			name: "add not null column with default",
			from: one(base()),
			to: one(func() *schema.Table {
				t := base()
				t.Columns = append(t.Columns, withDefault(col("c", "varchar", 5), "'it''s'"))
				return t
			}()),
			changes: alterOf("t", addColumn("c")),
			rows:    rows, query: "SELECT id, c FROM t ORDER BY id",
			want: "[1 it's]\n[2 it's]\n[3 it's]\n",
		},
		{
			name: "add column with CURRENT_TIMESTAMP default rebuilds",
			from: one(base()),
			to: one(func() *schema.Table {
				t := base()
				t.Columns = append(t.Columns, withDefault(col("at", "datetime"), "CURRENT_TIMESTAMP"))
				return t
			}()),
			changes: alterOf("t", addColumn("at")),
			rows:    rows, query: "SELECT id, a, b, at IS NOT NULL FROM t ORDER BY id",
			want:    "[1 10 x 1]\n[2 <nil> y 1]\n[3 30 <nil> 1]\n",
			rebuild: true,
		},
		{
			name: "add column in the middle rebuilds",
			from: one(base()),
			to: one(withPK(tbl("t", col("id", "int"), nullable(col("a", "int")), withDefault(col("m", "int"), "7"),
				nullable(col("b", "text"))), "id")),
			changes: alterOf("t", func(_, to *schema.Table) schema.TableChange {
				return &schema.AddColumn{C: to.Column("m"), Position: schema.ColumnPosition{After: "a"}}
			}),
			rows: rows, query: "SELECT * FROM t ORDER BY id",
			want:    "[1 10 7 x]\n[2 <nil> 7 y]\n[3 30 7 <nil>]\n",
			rebuild: true,
		},
		{
			name:    "drop column",
			from:    one(base()),
			to:      one(withPK(tbl("t", col("id", "int"), nullable(col("b", "text"))), "id")),
			changes: alterOf("t", dropColumn("a")),
			rows:    rows, query: "SELECT * FROM t ORDER BY id",
			want: "[1 x]\n[2 y]\n[3 <nil>]\n",
		},
		{
			name:    "drop indexed column with its index",
			from:    one(withIndex(base(), index("t_a", false, "a"))),
			to:      one(withPK(tbl("t", col("id", "int"), nullable(col("b", "text"))), "id")),
			changes: alterOf("t", clause(&schema.DropIndex{I: index("t_a", false, "a")}), dropColumn("a")),
			rows:    rows, query: "SELECT * FROM t ORDER BY id",
			want: "[1 x]\n[2 y]\n[3 <nil>]\n",
		},
		{
			name: "drop column of a foreign key rebuilds",
			from: one(parent(), withFK(tbl("c", col("id", "int"), nullable(col("pid", "int"))),
				fk("c_pid", []string{"pid"}, "parent", []string{"id"}, ""))),
			to: one(parent(), tbl("c", col("id", "int"))),
			changes: alterOf("c", dropColumn("pid"), func(from, _ *schema.Table) schema.TableChange {
				return &schema.DropForeignKey{F: from.ForeignKey("c_pid")}
			}),
			rows:    []string{"INSERT INTO parent VALUES (1, 'p')", "INSERT INTO c VALUES (5, 1)"},
			query:   "SELECT * FROM c",
			want:    "[5]\n",
			rebuild: true,
		},
		{
			name: "rename column keeps data and index",
			from: one(withIndex(base(), index("t_a", false, "a"))),
			to: one(withIndex(withPK(tbl("t", col("id", "int"), renamed(nullable(col("alpha", "int")), "a"), nullable(col("b", "text"))), "id"),
				index("t_a", false, "alpha"))),
			changes: alterOf("t", clause(&schema.RenameColumn{From: "a", To: "alpha"})),
			rows:    rows, query: "SELECT id, alpha FROM t ORDER BY id",
			want: "[1 10]\n[2 <nil>]\n[3 30]\n",
		},
		{
			name: "rename a column that a check uses",
			from: one(withCheck(base(), &schema.Check{Name: "a_small", Expr: "a < 100"})),
			to: one(withCheck(withPK(tbl("t", col("id", "int"), renamed(nullable(col("alpha", "int")), "a"), nullable(col("b", "text"))), "id"),
				&schema.Check{Name: "a_small", Expr: "alpha < 100"})),
			changes: alterOf("t", clause(&schema.RenameColumn{From: "a", To: "alpha"}),
				func(from, _ *schema.Table) schema.TableChange { return &schema.DropCheck{C: from.Checks[0]} },
				func(_, to *schema.Table) schema.TableChange { return &schema.AddCheck{C: to.Checks[0]} }),
			rows: rows, query: "SELECT id, alpha FROM t ORDER BY id",
			want:    "[1 10]\n[2 <nil>]\n[3 30]\n",
			rebuild: true,
		},
		{
			name:    "change type int to text",
			from:    one(base()),
			to:      one(withPK(tbl("t", col("id", "int"), nullable(col("a", "varchar", 20)), nullable(col("b", "text"))), "id")),
			changes: alterOf("t", modifyColumn("a", "a", schema.ChangeType)),
			rows:    rows, query: "SELECT id, typeof(a), a FROM t ORDER BY id",
			want:    "[1 text 10]\n[2 null <nil>]\n[3 text 30]\n",
			rebuild: true,
		},
		{
			name:    "rename and retype in one",
			from:    one(base()),
			to:      one(withPK(tbl("t", col("id", "int"), renamed(nullable(col("amount", "decimal", 10, 2)), "a"), nullable(col("b", "text"))), "id")),
			changes: alterOf("t", modifyColumn("a", "amount", schema.ChangeType)),
			rows:    rows, query: "SELECT id, amount FROM t ORDER BY id",
			want:    "[1 10]\n[2 <nil>]\n[3 30]\n",
			rebuild: true,
		},
		{
			name:      "null to not null with default",
			from:      one(base()),
			to:        one(withPK(tbl("t", col("id", "int"), nullable(col("a", "int")), withDefault(col("b", "text"), "'none'")), "id")),
			changes:   alterOf("t", modifyColumn("b", "b", schema.ChangeNull|schema.ChangeDefault)),
			rows:      []string{`INSERT INTO t (id, a, b) VALUES (1, 10, 'x')`, `INSERT INTO t (id, a) VALUES (2, 20)`},
			query:     "SELECT * FROM t ORDER BY id",
			want:      "[1 10 x]\n[2 20 none]\n",
			rebuild:   true,
			lossyDown: true,
		},
		{
			name: "change primary key",
			from: one(base()),
			to:   one(withPK(tbl("t", col("id", "int"), col("a", "int"), nullable(col("b", "text"))), "id", "a")),
			changes: alterOf("t", func(from, _ *schema.Table) schema.TableChange { return &schema.DropPrimaryKey{I: from.PrimaryKey} },
				func(_, to *schema.Table) schema.TableChange { return &schema.AddPrimaryKey{I: to.PrimaryKey} },
				modifyColumn("a", "a", schema.ChangeNull)),
			rows:    []string{`INSERT INTO t VALUES (1, 10, 'x'), (2, 20, 'y')`},
			query:   "SELECT * FROM t ORDER BY id",
			want:    "[1 10 x]\n[2 20 y]\n",
			rebuild: true,
		},
		{
			name: "reorder columns",
			from: one(base()),
			to:   one(withPK(tbl("t", col("id", "int"), nullable(col("b", "text")), nullable(col("a", "int"))), "id")),
			changes: alterOf("t", func(from, to *schema.Table) schema.TableChange {
				return &schema.ModifyColumn{From: from.Column("b"), To: to.Column("b"), Kind: schema.ChangePosition,
					Position: schema.ColumnPosition{After: "id"}}
			}),
			rows: rows, query: "SELECT * FROM t ORDER BY id",
			want:    "[1 x 10]\n[2 y <nil>]\n[3 <nil> 30]\n",
			rebuild: true,
		},
		{
			name: "add check and foreign key",
			from: one(parent(), base()),
			to: one(parent(), withCheck(withFK(base(), fk("t_a_fk", []string{"a"}, "parent", []string{"id"}, "CASCADE")),
				&schema.Check{Name: "a_small", Expr: "a < 100"})),
			changes: alterOf("t", func(_, to *schema.Table) schema.TableChange { return &schema.AddForeignKey{F: to.ForeignKeys[0]} },
				func(_, to *schema.Table) schema.TableChange { return &schema.AddCheck{C: to.Checks[0]} }),
			rows: []string{"INSERT INTO parent VALUES (10, 'p'), (30, 'q')",
				`INSERT INTO t (id, a, b) VALUES (1, 10, 'x'), (2, NULL, 'y'), (3, 30, NULL)`},
			query:   "SELECT * FROM t ORDER BY id",
			want:    "[1 10 x]\n[2 <nil> y]\n[3 30 <nil>]\n",
			rebuild: true,
		},
		{
			name: "rebuild a parent keeps children valid",
			from: one(parent(), withFK(tbl("c", col("id", "int"), nullable(col("pid", "int"))),
				fk("c_pid", []string{"pid"}, "parent", []string{"id"}, "CASCADE"))),
			to: one(withPK(tbl("parent", col("id", "int"), nullable(col("name", "varchar", 50))), "id"),
				withFK(tbl("c", col("id", "int"), nullable(col("pid", "int"))),
					fk("c_pid", []string{"pid"}, "parent", []string{"id"}, "CASCADE"))),
			changes: alterOf("parent", modifyColumn("name", "name", schema.ChangeType)),
			rows:    []string{"INSERT INTO parent VALUES (1, 'p'), (2, 'q')", "INSERT INTO c VALUES (5, 1), (6, 2)"},
			query:   "SELECT c.id, parent.name FROM c JOIN parent ON parent.id = c.pid ORDER BY c.id",
			want:    "[5 p]\n[6 q]\n",
			rebuild: true,
		},
		{
			name: "indexes: add, drop, rename",
			from: one(withIndex(base(), index("t_a", false, "a"), index("t_b", false, "b"))),
			to: one(withIndex(base(), index("t_a2", false, "a"),
				&schema.Index{Name: "t_ab", Kind: schema.IndexUnique, Parts: []schema.IndexPart{{Column: "a", Desc: true}, {Expr: "lower(b)"}}})),
			changes: alterOf("t", clause(&schema.DropIndex{I: index("t_b", false, "b")}),
				clause(&schema.RenameIndex{From: "t_a", To: "t_a2"}),
				func(_, to *schema.Table) schema.TableChange { return &schema.AddIndex{I: to.Index("t_ab")} }),
			rows: rows, query: "SELECT * FROM t ORDER BY id",
			want: "[1 10 x]\n[2 <nil> y]\n[3 30 <nil>]\n",
		},
		{
			name: "strict and without rowid",
			from: one(base()),
			to: one(func() *schema.Table {
				t := withPK(tbl("t", col("id", "int"), nullable(col("a", "int")), nullable(col("b", "text"))), "id")
				t.Options.Extra = "without rowid strict"
				return t
			}()),
			changes: alterOf("t", func(from, to *schema.Table) schema.TableChange {
				return &schema.ModifyOptions{From: from.Options, To: to.Options}
			}),
			rows: rows, query: "SELECT * FROM t ORDER BY id",
			want:    "[1 10 x]\n[2 <nil> y]\n[3 30 <nil>]\n",
			rebuild: true,
		},
		{
			name: "autoincrement ids survive a rebuild",
			from: one(withPK(tbl("t", &schema.Column{Name: "id", Type: schema.Type{Name: "bigint"}, AutoIncrement: true},
				nullable(col("a", "int"))), "id")),
			to: one(withPK(tbl("t", &schema.Column{Name: "id", Type: schema.Type{Name: "bigint"}, AutoIncrement: true},
				withDefault(col("a", "int"), "0")), "id")),
			changes: alterOf("t", modifyColumn("a", "a", schema.ChangeNull|schema.ChangeDefault)),
			rows:    []string{"INSERT INTO t (a) VALUES (1), (2), (3), (4)", "DELETE FROM t WHERE id IN (2, 4)"},
			query:   "SELECT * FROM t ORDER BY id",
			want:    "[1 1]\n[3 3]\n",
			after:   []string{"INSERT INTO t (a) VALUES (5)"},
			query2:  "SELECT id FROM t WHERE a = 5",
			want2:   "[5]\n",
			rebuild: true,
		},
		{
			name: "rename table",
			from: one(base()),
			to:   one(func() *schema.Table { t := base(); t.Name = "t2"; t.RenamedFrom = "t"; return t }()),
			changes: func(_, _ *schema.Schema) []schema.Change {
				return []schema.Change{&schema.RenameTable{From: "t", To: "t2"}}
			},
			rows: rows, query: "SELECT * FROM t2 ORDER BY id",
			want: "[1 10 x]\n[2 <nil> y]\n[3 30 <nil>]\n",
		},
		{
			name: "rebuild keeps views and, with a target, triggers",
			from: &schema.Schema{
				Tables: []*schema.Table{base(), tbl("log", nullable(col("msg", "text")))},
				Views:  []*schema.View{{Name: "tv", Definition: "SELECT id, b FROM t"}},
				Triggers: []*schema.Trigger{{Name: "t_ai", Table: "t", Timing: "AFTER", Event: "INSERT",
					Body: "BEGIN INSERT INTO log VALUES (new.b); END"}},
			},
			to: &schema.Schema{
				Tables: []*schema.Table{
					withPK(tbl("t", col("id", "int"), nullable(col("a", "bigint")), nullable(col("b", "text"))), "id"),
					tbl("log", nullable(col("msg", "text")))},
				Views: []*schema.View{{Name: "tv", Definition: "SELECT id, b FROM t"}},
				Triggers: []*schema.Trigger{{Name: "t_ai", Table: "t", Timing: "AFTER", Event: "INSERT",
					Body: "BEGIN INSERT INTO log VALUES (new.b); END"}},
			},
			changes: alterOf("t", modifyColumn("a", "a", schema.ChangeType)),
			rows:    rows, query: "SELECT * FROM tv ORDER BY id",
			want:    "[1 x]\n[2 y]\n[3 <nil>]\n",
			rebuild: true,
		},
	}
}

// TestDialect_Generate_Alter applies from, adds rows, carries out the change
// through ApplyTx and expects the normalized target schema and the rows.
func TestDialect_Generate_Alter(t *testing.T) {
	for _, tc := range alterCases() {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			want := clone(tc.to)
			d := New()
			if err := d.Normalize(want); err != nil {
				t.Fatal(err)
			}
			from := clone(tc.from)
			if err := d.Normalize(from); err != nil {
				t.Fatal(err)
			}
			db := openTemp(t)
			if stmts, err := applyChanges(t, d, db, addAll(from)...); err != nil {
				t.Fatalf("create from: %v\n%s", err, strings.Join(stmts, "\n"))
			}
			execAll(t, db, tc.rows...)
			live := inspect(t, d, db)
			changes := tc.changes(live, want)
			for _, c := range changes {
				if a, ok := c.(*schema.AlterTable); ok && d.Rebuilds(a) != tc.rebuild {
					t.Errorf("Rebuilds = %v, want %v", d.Rebuilds(a), tc.rebuild)
				}
			}
			stmts, err := applyChanges(t, d.WithTarget(want).(*Dialect), db, changes...)
			if err != nil {
				t.Fatalf("apply: %v\n%s", err, strings.Join(stmts, "\n"))
			}
			sameSchema(t, inspect(t, d, db), want)
			if got := dump(t, db, tc.query); got != tc.want {
				t.Errorf("rows after the change:\n%s\nwant:\n%s", got, tc.want)
			}
			execAll(t, db, tc.after...)
			if tc.query2 != "" {
				if got := dump(t, db, tc.query2); got != tc.want2 {
					t.Errorf("%s after the change: %s, want %s", tc.query2, got, tc.want2)
				}
			}
			var fkOn bool
			if err := db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fkOn); err != nil || !fkOn {
				t.Errorf("foreign keys not enforced after apply (%v)", err)
			}
			var ic string
			if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ic); err != nil || ic != "ok" {
				t.Errorf("integrity_check: %q %v", ic, err)
			}
		})
	}
}

// TestDialect_ApplyTx_Failure runs changes that fail halfway through a
// rebuild and expects schema and rows exactly as before, and an error that
// names the problem.
func TestDialect_ApplyTx_Failure(t *testing.T) {
	base := func() *schema.Table {
		return withPK(tbl("t", col("id", "int"), nullable(col("a", "int")), nullable(col("b", "text"))), "id")
	}
	tests := []struct {
		name    string
		to      *schema.Table
		change  func(from, to *schema.Table) schema.TableChange
		wantErr string
		fkErr   *ForeignKeyError
	}{
		{
			name:    "new check violated by existing rows",
			to:      withCheck(base(), &schema.Check{Name: "a_small", Expr: "a < 20"}),
			change:  func(_, to *schema.Table) schema.TableChange { return &schema.AddCheck{C: to.Checks[0]} },
			wantErr: "CHECK constraint failed: a_small",
		},
		{
			name: "new foreign key without parent rows",
			to:   withFK(base(), fk("t_a_fk", []string{"a"}, "parent", []string{"id"}, "")),
			change: func(_, to *schema.Table) schema.TableChange {
				return &schema.AddForeignKey{F: to.ForeignKeys[0]}
			},
			fkErr: &ForeignKeyError{Table: "t", RowID: 3, Parent: "parent", FK: "(a) REFERENCES parent (id)"},
		},
		{
			name: "not null on a column with nulls",
			to:   withPK(tbl("t", col("id", "int"), col("a", "int"), nullable(col("b", "text"))), "id"),
			change: func(from, to *schema.Table) schema.TableChange {
				return &schema.ModifyColumn{From: from.Column("a"), To: to.Column("a"), Kind: schema.ChangeNull}
			},
			wantErr: "NOT NULL constraint failed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := New()
			db := openTemp(t)
			from := one(parent(), base())
			if err := d.Normalize(from); err != nil {
				t.Fatal(err)
			}
			if _, err := applyChanges(t, d, db, addAll(from)...); err != nil {
				t.Fatal(err)
			}
			execAll(t, db, "INSERT INTO parent VALUES (10, 'p')",
				`INSERT INTO t (id, a, b) VALUES (1, 10, 'x'), (2, NULL, 'y'), (3, 30, NULL)`)
			beforeSchema, beforeRows := schemaSQL(t, db), dump(t, db, "SELECT * FROM t ORDER BY id")
			to := one(parent(), tt.to)
			if err := d.Normalize(to); err != nil {
				t.Fatal(err)
			}
			live := inspect(t, d, db)
			a := &schema.AlterTable{From: live.Table("t"), To: to.Table("t")}
			a.Changes = []schema.TableChange{tt.change(a.From, a.To)}
			inTxCalled := false
			ctx := context.Background()
			conn, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			ss, err := d.Generate(a, dialectGenOptions)
			if err != nil {
				t.Fatal(err)
			}
			var stmts []string
			for _, s := range ss {
				stmts = append(stmts, s.SQL)
			}
			err = d.ApplyTx(ctx, conn, stmts, func(tx *sql.Tx) error { inTxCalled = true; return nil })
			if err == nil {
				t.Fatal("apply succeeded")
			}
			if tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not contain %q", err, tt.wantErr)
			}
			if tt.fkErr != nil {
				var fe *ForeignKeyError
				if !errors.As(err, &fe) {
					t.Fatalf("error %v is not a ForeignKeyError", err)
				}
				if *fe != *tt.fkErr {
					t.Errorf("got %+v, want %+v", *fe, *tt.fkErr)
				}
				if !strings.Contains(err.Error(), `"t"`) || !strings.Contains(err.Error(), `"parent"`) {
					t.Errorf("error %q does not name the tables", err)
				}
			}
			if inTxCalled {
				t.Error("inTx ran although the statements failed")
			}
			if got := schemaSQL(t, db); got != beforeSchema {
				t.Errorf("schema changed:\n%s\nbefore:\n%s", got, beforeSchema)
			}
			if got := dump(t, db, "SELECT * FROM t ORDER BY id"); got != beforeRows {
				t.Errorf("rows changed:\n%s\nbefore:\n%s", got, beforeRows)
			}
			var fkOn, legacy bool
			if err := conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fkOn); err != nil || !fkOn {
				t.Errorf("foreign keys not re-enabled on the connection (%v)", err)
			}
			if err := conn.QueryRowContext(ctx, "PRAGMA legacy_alter_table").Scan(&legacy); err != nil || legacy {
				t.Errorf("legacy_alter_table left on (%v)", err)
			}
		})
	}
}

// TestDialect_Generate_RebuildTriggers shows what a rebuild does to the
// table's triggers with and without a target schema.
func TestDialect_Generate_RebuildTriggers(t *testing.T) {
	from := one(withPK(tbl("t", col("id", "int"), nullable(col("a", "int"))), "id"), tbl("log", nullable(col("msg", "text"))))
	from.Triggers = []*schema.Trigger{{Name: "t_ai", Table: "t", Timing: "AFTER", Event: "INSERT",
		Body: "BEGIN INSERT INTO log VALUES ('x'); END"}}
	to := clone(from)
	to.Tables[0].Columns[1].Type = schema.Type{Name: "bigint"}
	d := New()
	for _, s := range []*schema.Schema{from, to} {
		if err := d.Normalize(s); err != nil {
			t.Fatal(err)
		}
	}
	change := &schema.AlterTable{From: from.Tables[0], To: to.Tables[0],
		Changes: []schema.TableChange{&schema.ModifyColumn{From: from.Tables[0].Columns[1], To: to.Tables[0].Columns[1], Kind: schema.ChangeType}}}

	t.Run("without target the loss is noted", func(t *testing.T) {
		stmts, err := d.Generate(change, dialectGenOptions)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(stmts[0].Comment, "triggers") {
			t.Errorf("comment %q does not warn about triggers", stmts[0].Comment)
		}
		for _, s := range stmts {
			if strings.Contains(s.SQL, "TRIGGER") {
				t.Errorf("unexpected %s", s.SQL)
			}
		}
	})
	t.Run("with target they are recreated", func(t *testing.T) {
		stmts, err := d.WithTarget(to).Generate(change, dialectGenOptions)
		if err != nil {
			t.Fatal(err)
		}
		renamed, recreated := -1, -1
		for i, s := range stmts {
			if strings.HasPrefix(s.SQL, `ALTER TABLE "_strata_new_t" RENAME TO "t"`) {
				renamed = i
			}
			if strings.HasPrefix(s.SQL, `CREATE TRIGGER IF NOT EXISTS "t_ai"`) {
				recreated = i
			}
		}
		if renamed < 0 || recreated < renamed {
			t.Errorf("trigger not recreated after the rename (rename %d, trigger %d)", renamed, recreated)
		}
		if strings.Contains(stmts[0].Comment, "triggers") {
			t.Errorf("comment %q warns although triggers are kept", stmts[0].Comment)
		}
	})
}

// TestDialect_Planner_InlineUnique drops one of two inline UNIQUE
// constraints of a table made outside Strata: the rebuild renumbers
// SQLite's autoindexes, and the plan must still converge.
func TestDialect_Planner_InlineUnique(t *testing.T) {
	d := New()
	db := openTemp(t)
	execAll(t, db, "CREATE TABLE t (id int PRIMARY KEY, a int UNIQUE, b int, UNIQUE (b))",
		"INSERT INTO t VALUES (1, 10, 100), (2, 20, 200)")
	live := inspect(t, d, db)
	if n := len(live.Table("t").Indexes); n != 2 {
		t.Fatalf("%d indexes, want 2", n)
	}
	desired := clone(live)
	dt := desired.Table("t")
	dt.Indexes = dt.Indexes[1:] // keep the one on b
	kept := dt.Indexes[0].Name
	if _, err := applyChanges(t, d, db, planner.Diff(live, desired, d)...); err != nil {
		t.Fatal(err)
	}
	after := inspect(t, d, db)
	if again := planner.Diff(after, desired, d); len(again) != 0 {
		t.Errorf("plan after apply has %d changes", len(again))
	}
	if got := after.Table("t").Indexes; len(got) != 1 || got[0].Name != kept {
		t.Errorf("indexes after: %+v", got)
	}
	if got := dump(t, db, "SELECT * FROM t ORDER BY id"); got != "[1 10 100]\n[2 20 200]\n" {
		t.Errorf("rows: %s", got)
	}
	// The constraint is still enforced.
	if _, err := db.Exec("INSERT INTO t VALUES (3, 30, 100)"); err == nil {
		t.Error("duplicate b accepted")
	}
}
