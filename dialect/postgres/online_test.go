package postgres_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/dialect/postgres"
	"github.com/stratadb/strata/internal/pgtestdb"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/schema"
)

func onlineTable() *schema.Table {
	return &schema.Table{Name: "t", Columns: []*schema.Column{
		{Name: "id", Type: schema.Type{Name: "integer"}},
		{Name: "a", Type: schema.Type{Name: "integer"}, Null: true},
		{Name: "b", Type: schema.Type{Name: "text"}, Null: true},
	}, PrimaryKey: &schema.Index{Name: "PRIMARY", Parts: []schema.IndexPart{{Column: "id"}}}}
}

func index(name string, cols ...string) *schema.Index {
	ix := &schema.Index{Name: name}
	for _, c := range cols {
		ix.Parts = append(ix.Parts, schema.IndexPart{Column: c})
	}
	return ix
}

// stmtLines renders statements one a line without their quotes, "[notx]"
// before those that run alone.
func stmtLines(stmts []dialect.Stmt) string {
	var b strings.Builder
	for _, s := range stmts {
		if !s.Transactional {
			b.WriteString("[notx] ")
		}
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(s.SQL, "\n ", ""), `"`, ""))
		b.WriteString("\n")
	}
	return b.String()
}

// TestDialect_Generate_online: the online forms of each change to an
// existing table, and the plain ones of a table the plan creates or when
// online is off.
func TestDialect_Generate_online(t *testing.T) {
	d := postgres.Default()
	long := strings.Repeat("x", 60)
	commented := index("t_b", "b")
	commented.Comment = "by b"
	for _, tc := range []struct {
		name    string
		changes []schema.TableChange
		opts    dialect.GenOptions
		want    string
	}{
		{"new index", []schema.TableChange{&schema.AddIndex{I: index("t_a", "a")}}, dialect.GenOptions{Online: true},
			"[notx] CREATE INDEX CONCURRENTLY t_a ON t (a)\n"},
		{"new index, online off", []schema.TableChange{&schema.AddIndex{I: index("t_a", "a")}}, dialect.GenOptions{},
			"CREATE INDEX t_a ON t (a)\n"},
		{"new index on a new table", []schema.TableChange{&schema.AddIndex{I: index("t_a", "a")}},
			dialect.GenOptions{Online: true, NewTables: map[string]bool{"t": true}},
			"CREATE INDEX t_a ON t (a)\n"},
		{"dropped index", []schema.TableChange{&schema.DropIndex{I: index("t_a", "a")}}, dialect.GenOptions{Online: true},
			"[notx] DROP INDEX CONCURRENTLY t_a\n"},
		{"index dropped before the column that goes", []schema.TableChange{
			&schema.DropIndex{I: index("t_a", "a")}, &schema.DropColumn{C: &schema.Column{Name: "a"}},
			&schema.AddColumn{C: &schema.Column{Name: "c", Type: schema.Type{Name: "integer"}, Null: true}},
			&schema.AddIndex{I: index("t_c", "c")}}, dialect.GenOptions{Online: true},
			"[notx] DROP INDEX CONCURRENTLY t_a\n" +
				"ALTER TABLE t DROP COLUMN a, ADD COLUMN c integer\n" +
				"[notx] CREATE INDEX CONCURRENTLY t_c ON t (c)\n"},
		{"changed index swapped in", []schema.TableChange{&schema.DropIndex{I: index("t_a", "a")}, &schema.AddIndex{I: index("t_a", "a", "b")}},
			dialect.GenOptions{Online: true},
			"[notx] CREATE INDEX CONCURRENTLY t_a_strata_new ON t (a, b)\n" +
				"[notx] DROP INDEX CONCURRENTLY IF EXISTS t_a\n" +
				"ALTER INDEX t_a_strata_new RENAME TO t_a\n"},
		{"long name swapped in", []schema.TableChange{&schema.DropIndex{I: index(long, "a")}, &schema.AddIndex{I: index(long, "b")}},
			dialect.GenOptions{Online: true},
			"[notx] CREATE INDEX CONCURRENTLY " + long[:52] + "_strata_new ON t (b)\n" +
				"[notx] DROP INDEX CONCURRENTLY IF EXISTS " + long + "\n" +
				"ALTER INDEX " + long[:52] + "_strata_new RENAME TO " + long + "\n"},
		{"comment after the build", []schema.TableChange{&schema.AddIndex{I: commented}}, dialect.GenOptions{Online: true},
			"[notx] CREATE INDEX CONCURRENTLY t_b ON t (b)\nCOMMENT ON INDEX t_b IS 'by b'\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from, to := onlineTable(), onlineTable()
			stmts, err := d.Generate(&schema.AlterTable{From: from, To: to, Changes: tc.changes}, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := stmtLines(stmts); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// TestOnline_apply: online plans run on a table with rows (and a second
// table with a foreign key to it) keep every row, end at the desired
// schema with every index valid and nothing of their own left behind, plan
// nothing more, and their down side brings the first schema back.
func TestOnline_apply(t *testing.T) {
	const rows = 2000
	for _, tc := range []struct {
		name, current, desired string
	}{
		{"indexes", `CREATE TABLE t (id int PRIMARY KEY, a int, b text);
CREATE INDEX t_a ON t (a); CREATE INDEX t_gone ON t (b);`,
			`CREATE TABLE t (id int PRIMARY KEY, a int, b text, c int);
CREATE INDEX t_a ON t (a, b); CREATE INDEX t_b ON t (lower(b)) WHERE a > 10; CREATE INDEX t_c ON t (c);
COMMENT ON INDEX t_b IS 'lowered';`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cur, want := pgtestdb.New(t), pgtestdb.New(t)
			cur.Exec(t, tc.current)
			cur.Exec(t, `INSERT INTO t (id, a, b) SELECT g, g % 100, 'v' || g FROM generate_series(1, 2000) g`)
			want.Exec(t, tc.desired)
			d, conn := open(t, cur)
			wd, wconn := open(t, want)
			ctx := context.Background()
			before := inspect(t, d, conn)
			desired := inspect(t, wd, wconn)
			o := dialect.GenOptions{Online: true}
			p, err := planner.Build(before, desired, planner.Diff(before, desired, d), d, o)
			if err != nil {
				t.Fatal(err)
			}
			runSteps(t, d, conn, p.Statements())
			after := inspect(t, d, conn)
			if again := planner.Diff(after, desired, d); len(again) != 0 {
				t.Errorf("second plan: %d changes: %#v", len(again), again)
			}
			var n, invalid, leftovers int
			if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil || n != rows {
				t.Errorf("rows: %d (%v)", n, err)
			}
			if err := conn.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE NOT indisvalid), count(*) FILTER (WHERE c.relname LIKE '%strata%')
FROM pg_index JOIN pg_class c ON c.oid = indexrelid WHERE indrelid = 't'::regclass`).Scan(&invalid, &leftovers); err != nil || invalid+leftovers != 0 {
				t.Errorf("%d invalid indexes, %d of Strata's own left (%v)", invalid, leftovers, err)
			}
			down, err := planner.BuildReverse(before, desired, d, o)
			if err != nil {
				t.Fatal(err)
			}
			runSteps(t, d, conn, down.Statements())
			if again := planner.Diff(inspect(t, d, conn), before, d); len(again) != 0 {
				t.Errorf("after the down side: %d changes: %#v", len(again), again)
			}
		})
	}
}

func inspect(t *testing.T, d *postgres.Dialect, conn *sql.DB) *schema.Schema {
	t.Helper()
	s, err := d.Inspect(context.Background(), conn)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// runSteps runs statements as a revision run does: each stretch of
// transactional ones in a transaction, the others alone.
func runSteps(t *testing.T, d *postgres.Dialect, conn *sql.DB, stmts []dialect.Stmt) {
	t.Helper()
	ctx := context.Background()
	c, err := conn.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var stretch []string
	flush := func() {
		if len(stretch) > 0 {
			if err := d.ApplyTx(ctx, c, stretch, func(*sql.Tx) error { return nil }); err != nil {
				t.Fatalf("%v\n%s", err, strings.Join(stretch, ";\n"))
			}
		}
		stretch = nil
	}
	for _, s := range stmts {
		if s.Transactional {
			stretch = append(stretch, s.SQL)
			continue
		}
		flush()
		if _, err := c.ExecContext(ctx, s.SQL); err != nil {
			t.Fatalf("%s: %v", s.SQL, err)
		}
	}
	flush()
}
