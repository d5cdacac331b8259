package sqlite

import (
	"context"
	"strings"
	"testing"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

func TestDialect_Count(t *testing.T) {
	db := openTemp(t)
	execAll(t, db,
		`CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, phone TEXT, name VARCHAR(50), age INTEGER, "we""ird" INTEGER)`,
		`INSERT INTO users VALUES
		  (1, 'a@x', NULL,  'Ann',         30,   1),
		  (2, 'a@x', NULL,  'Bob',         300,  2),
		  (3, 'b@x', '555', 'Christopher', -5,   2),
		  (4, 'A@x', NULL,  NULL,          NULL, NULL),
		  (5, NULL,  '556', 'Dee',         'x',  2)`,
		`CREATE TABLE teams (id INTEGER PRIMARY KEY)`,
		`INSERT INTO teams VALUES (1), (2)`,
		`CREATE TABLE members (user_id INTEGER, team_id INTEGER)`,
		`INSERT INTO members VALUES (1, 1), (2, 3), (3, NULL), (4, 9), (5, 2)`,
		`CREATE TABLE strict_t (v ANY) STRICT`,
		`INSERT INTO strict_t VALUES ('12'), ('x'), (1.5), (7), (NULL)`,
	)
	ctx := context.Background()
	d := New()
	ty := func(name string, args ...int) *schema.Type { return &schema.Type{Name: name, Args: args} }
	tests := []struct {
		name  string
		check dialect.DataCheck
		want  int64
	}{
		{"rows", dialect.DataCheck{Kind: dialect.CountRows, Table: "users"}, 5},
		{"values", dialect.DataCheck{Kind: dialect.CountValues, Table: "users", Columns: []string{"phone"}}, 2},
		{"values of a quoted name", dialect.DataCheck{Kind: dialect.CountValues, Table: "users", Columns: []string{`we"ird`}}, 4},
		{"nulls", dialect.DataCheck{Kind: dialect.CountNulls, Table: "users", Columns: []string{"phone"}}, 3},
		// SQLite compares text with BINARY: a@x and A@x differ.
		{"duplicates as rows", dialect.DataCheck{Kind: dialect.CountDuplicates, Table: "users", Columns: []string{"email"}}, 2},
		{"orphans", dialect.DataCheck{Kind: dialect.CountOrphans, Table: "members", Columns: []string{"team_id"}, RefTable: "teams", RefColumns: []string{"id"}}, 2},
		{"misfits: STRICT integer refuses text and fractions", dialect.DataCheck{Kind: dialect.CountMisfits, Table: "strict_t", Columns: []string{"v"}, From: ty("text"), To: ty("integer")}, 2},
		{"misfits: STRICT text takes anything", dialect.DataCheck{Kind: dialect.CountMisfits, Table: "strict_t", Columns: []string{"v"}, From: ty("any"), To: ty("text")}, 0},
		{"violations, NULL passes", dialect.DataCheck{Kind: dialect.CountViolations, Table: "users", Expr: `age >= 0`}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.check
			res, err := d.Count(ctx, db, []*dialect.DataCheck{&c}, dialect.CountOptions{MaxRows: 100})
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != 1 || res[0].Rows == nil {
				t.Fatalf("Count = %+v, want one counted result", res)
			}
			if *res[0].Rows != tt.want {
				t.Errorf("Count = %d, want %d", *res[0].Rows, tt.want)
			}
		})
	}

	t.Run("skips tables above MaxRows with a bounded scan", func(t *testing.T) {
		checks := []*dialect.DataCheck{
			{Kind: dialect.CountNulls, Table: "users", Columns: []string{"phone"}},
			{Kind: dialect.CountRows, Table: "teams"},
		}
		res, err := d.Count(ctx, db, checks, dialect.CountOptions{MaxRows: 4})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Rows != nil || !strings.Contains(res[0].Skipped, `"users" has more than 4 rows`) {
			t.Errorf("users: %+v, want skipped", res[0])
		}
		if res[1].Rows == nil || *res[1].Rows != 2 {
			t.Errorf("teams: %+v, want 2", res[1])
		}
	})

	t.Run("size", func(t *testing.T) {
		res, err := d.Count(ctx, db, []*dialect.DataCheck{{Kind: dialect.CountSize, Table: "users"}}, dialect.CountOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Rows == nil || *res[0].Rows != 5 || res[0].Bytes == nil || *res[0].Bytes < 4096 {
			t.Errorf("size = %+v, want 5 rows and at least a page", res[0])
		}
	})

	t.Run("misfits in a table that is not STRICT", func(t *testing.T) {
		c := &dialect.DataCheck{Kind: dialect.CountMisfits, Table: "users", Columns: []string{"name"}, From: ty("varchar", 50), To: ty("varchar", 5)}
		res, err := d.Count(ctx, db, []*dialect.DataCheck{c}, dialect.CountOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Rows != nil || !strings.Contains(res[0].Skipped, "not a STRICT table") {
			t.Errorf("Count = %+v, want skipped: SQLite keeps the values", res[0])
		}
	})

	t.Run("charset conversions do not exist", func(t *testing.T) {
		c := &dialect.DataCheck{Kind: dialect.CountMisfits, Table: "users", Columns: []string{"name"}, From: ty("text"), To: ty("text"), Charset: "latin1"}
		res, err := d.Count(ctx, db, []*dialect.DataCheck{c}, dialect.CountOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Rows != nil || res[0].Skipped == "" {
			t.Errorf("Count = %+v, want skipped", res[0])
		}
	})

	t.Run("a failing query skips the check", func(t *testing.T) {
		c := &dialect.DataCheck{Kind: dialect.CountViolations, Table: "users", Expr: "nope > 0"}
		res, err := d.Count(ctx, db, []*dialect.DataCheck{c}, dialect.CountOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Rows != nil || !strings.Contains(res[0].Skipped, "no such column: nope") {
			t.Errorf("Count = %+v, want skipped with the error", res[0])
		}
	})
}
