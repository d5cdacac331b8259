package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stratadb/strata/schema"
)

// openTemp opens a new database file in t.TempDir() through OpenURL.
func openTemp(t *testing.T) *sql.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	db, err := OpenURL(context.Background(), "sqlite://"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// execAll runs plain SQL statements (set-up of a test).
func execAll(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// applyChanges generates the changes and runs them through ApplyTx.
func applyChanges(t *testing.T, d *Dialect, db *sql.DB, changes ...schema.Change) ([]string, error) {
	t.Helper()
	var stmts []string
	for _, c := range changes {
		ss, err := d.Generate(c, dialectGenOptions)
		if err != nil {
			t.Fatalf("generate %T: %v", c, err)
		}
		for _, s := range ss {
			if !s.Transactional {
				t.Errorf("statement not marked transactional: %s", s.SQL)
			}
			stmts = append(stmts, s.SQL)
		}
	}
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	return stmts, d.ApplyTx(ctx, conn, stmts, nil)
}

func inspect(t *testing.T, d *Dialect, db *sql.DB) *schema.Schema {
	t.Helper()
	s, err := d.Inspect(context.Background(), db)
	if err != nil {
		t.Fatalf("inspect: %v", err)
	}
	return s
}

// canon is a copy of s with meaningless order removed, as JSON, one table
// per line so that a mismatch is readable.
func canon(s *schema.Schema) string {
	var b strings.Builder
	tables := slices.Clone(s.Tables)
	slices.SortFunc(tables, func(a, b *schema.Table) int { return strings.Compare(a.Name, b.Name) })
	for _, t := range tables {
		ct := *t
		ct.RenamedFrom = ""
		ct.Options.AutoIncrement = 0
		ct.Indexes = slices.Clone(t.Indexes)
		slices.SortFunc(ct.Indexes, func(a, b *schema.Index) int { return strings.Compare(a.Name, b.Name) })
		ct.ForeignKeys = slices.Clone(t.ForeignKeys)
		slices.SortFunc(ct.ForeignKeys, func(a, b *schema.ForeignKey) int { return strings.Compare(a.Name, b.Name) })
		ct.Checks = slices.Clone(t.Checks)
		slices.SortFunc(ct.Checks, func(a, b *schema.Check) int { return strings.Compare(a.Name, b.Name) })
		cols := make([]*schema.Column, len(t.Columns))
		for i, c := range t.Columns {
			cc := *c
			cc.RenamedFrom = ""
			cols[i] = &cc
		}
		ct.Columns = cols
		j, _ := json.Marshal(ct)
		fmt.Fprintf(&b, "table %s\n", j)
	}
	views := slices.Clone(s.Views)
	slices.SortFunc(views, func(a, b *schema.View) int { return strings.Compare(a.Name, b.Name) })
	for _, v := range views {
		cv := *v
		cv.DependsOn = nil
		j, _ := json.Marshal(cv)
		fmt.Fprintf(&b, "view %s\n", j)
	}
	trs := slices.Clone(s.Triggers)
	slices.SortFunc(trs, func(a, b *schema.Trigger) int { return strings.Compare(a.Name, b.Name) })
	for _, tr := range trs {
		j, _ := json.Marshal(tr)
		fmt.Fprintf(&b, "trigger %s\n", j)
	}
	return b.String()
}

// sameSchema fails the test with both forms when got and want differ.
func sameSchema(t *testing.T, got, want *schema.Schema) {
	t.Helper()
	g, w := canon(got), canon(want)
	if g == w {
		return
	}
	gl, wl := strings.Split(g, "\n"), strings.Split(w, "\n")
	for i := 0; i < max(len(gl), len(wl)); i++ {
		var a, b string
		if i < len(gl) {
			a = gl[i]
		}
		if i < len(wl) {
			b = wl[i]
		}
		if a != b {
			t.Errorf("schema differs:\n got: %s\nwant: %s", a, b)
		}
	}
}

// dump returns every row of a table, ordered, as text.
func dump(t *testing.T, db *sql.DB, query string) string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		v := make([]any, len(cols))
		p := make([]any, len(cols))
		for i := range v {
			p[i] = &v[i]
		}
		if err := rows.Scan(p...); err != nil {
			t.Fatal(err)
		}
		for i := range v {
			if bs, ok := v[i].([]byte); ok {
				v[i] = string(bs)
			}
		}
		fmt.Fprintf(&b, "%v\n", v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// schemaSQL is every CREATE statement of the database, to prove that a
// failed apply changed nothing.
func schemaSQL(t *testing.T, db *sql.DB) string {
	return dump(t, db, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name")
}

// clone deep-copies a schema, so that Normalize of one test input does not
// touch another.
func clone(s *schema.Schema) *schema.Schema { return s.Clone() }
