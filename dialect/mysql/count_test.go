package mysql

import (
	"context"
	"strings"
	"testing"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/internal/testdb"
	"github.com/stratadb/strata/schema"
)

// countFixture is a small database with known bad rows for every kind of
// data check.
const countFixture = `
CREATE TABLE users (
  id INT PRIMARY KEY,
  email VARCHAR(100),
  phone VARCHAR(20),
  name VARCHAR(50),
  age INT,
  score DECIMAL(8,3),
  status ENUM('active','disabled','banned'),
  tags SET('a','b','c'),
  born DATETIME(3),
  note TEXT CHARACTER SET utf8mb4,
  ` + "`we``ird col`" + ` INT
);
INSERT INTO users VALUES
  (1, 'a@x', NULL,  'Ann',          30,   1.5,   'active',   'a',   '2020-01-01 10:00:00.000', 'plain', 1),
  (2, 'A@x', NULL,  'Bob',          300,  12.125, 'banned',  'a,c', '2020-01-02 00:00:00.500', 'caf` + "\u00e9" + `', 2),
  (3, 'b@x', '555', 'Christopher',  -5,   NULL,  'banned',   'b',   NULL,                       '` + "\U0001F600" + `', 2),
  (4, 'c@x', NULL,  NULL,           NULL, 99999.999, 'disabled', '', '1960-05-05 00:00:00.000', NULL, NULL),
  (5, NULL,  '556', 'Dee',          40,   -2,    NULL,       NULL,  '2021-01-01 00:00:00.000', 'x', 2);
CREATE TABLE teams (id INT PRIMARY KEY, code VARCHAR(10));
INSERT INTO teams VALUES (1, 'x'), (2, 'y');
CREATE TABLE members (user_id INT, team_id INT, team_code VARCHAR(10));
INSERT INTO members VALUES (1, 1, 'x'), (2, 3, 'y'), (3, NULL, NULL), (4, 9, 'q'), (5, 2, 'z');
CREATE TABLE empty_t (id INT);
`

func TestDialect_Count(t *testing.T) {
	db := testdb.New(t)
	db.Exec(t, countFixture)
	ctx := context.Background()
	d := Default()
	ty := func(name string, args ...int) *schema.Type { return &schema.Type{Name: name, Args: args} }
	tests := []struct {
		name  string
		check dialect.DataCheck
		want  int64
	}{
		{"rows of a dropped table", dialect.DataCheck{Kind: dialect.CountRows, Table: "users"}, 5},
		{"rows of an empty table", dialect.DataCheck{Kind: dialect.CountRows, Table: "empty_t"}, 0},
		{"values of a dropped column", dialect.DataCheck{Kind: dialect.CountValues, Table: "users", Columns: []string{"phone"}}, 2},
		{"values of a quoted column name", dialect.DataCheck{Kind: dialect.CountValues, Table: "users", Columns: []string{"we`ird col"}}, 4},
		{"nulls block NOT NULL", dialect.DataCheck{Kind: dialect.CountNulls, Table: "users", Columns: []string{"phone"}}, 3},
		{"nulls in any of two columns", dialect.DataCheck{Kind: dialect.CountNulls, Table: "users", Columns: []string{"email", "name"}}, 2},
		// a@x and A@x collide under the case-insensitive collation; NULL
		// emails never collide.
		{"duplicates counted as rows, by collation", dialect.DataCheck{Kind: dialect.CountDuplicates, Table: "users", Columns: []string{"email"}}, 2},
		{"duplicates of a composite key", dialect.DataCheck{Kind: dialect.CountDuplicates, Table: "users", Columns: []string{"status", "we`ird col"}}, 2},
		{"duplicates on a prefix", dialect.DataCheck{Kind: dialect.CountDuplicates, Table: "users", Columns: []string{"name", "id"}, Prefixes: []int{1, 0}}, 0},
		{"duplicates on a prefix only", dialect.DataCheck{Kind: dialect.CountDuplicates, Table: "users", Columns: []string{"status"}, Prefixes: []int{1}}, 2},
		{"no duplicates", dialect.DataCheck{Kind: dialect.CountDuplicates, Table: "users", Columns: []string{"id"}}, 0},
		{"orphans, NULL references nothing", dialect.DataCheck{Kind: dialect.CountOrphans, Table: "members", Columns: []string{"team_id"}, RefTable: "teams", RefColumns: []string{"id"}}, 2},
		{"orphans of a composite key", dialect.DataCheck{Kind: dialect.CountOrphans, Table: "members", Columns: []string{"team_id", "team_code"}, RefTable: "teams", RefColumns: []string{"id", "code"}}, 3},
		{"misfits: varchar shorter", dialect.DataCheck{Kind: dialect.CountMisfits, Table: "users", Columns: []string{"name"}, From: ty("varchar", 50), To: ty("varchar", 5)}, 1},
		{"misfits: varchar counts characters", dialect.DataCheck{Kind: dialect.CountMisfits, Table: "users", Columns: []string{"note"}, From: ty("text"), To: ty("varchar", 4)}, 1},
		{"misfits: int to tinyint", dialect.DataCheck{Kind: dialect.CountMisfits, Table: "users", Columns: []string{"age"}, From: ty("int", 11), To: ty("tinyint", 4)}, 1},
		{"misfits: int to unsigned", dialect.DataCheck{Kind: dialect.CountMisfits, Table: "users", Columns: []string{"age"}, From: ty("int", 11), To: &schema.Type{Name: "int", Args: []int{10}, Unsigned: true}}, 1},
		{"misfits: text to int", dialect.DataCheck{Kind: dialect.CountMisfits, Table: "users", Columns: []string{"phone"}, From: ty("varchar", 20), To: ty("smallint", 6)}, 0},
		{"misfits: names to int", dialect.DataCheck{Kind: dialect.CountMisfits, Table: "users", Columns: []string{"name"}, From: ty("varchar", 50), To: ty("int", 11)}, 4},
		{"misfits: decimal scale and precision", dialect.DataCheck{Kind: dialect.CountMisfits, Table: "users", Columns: []string{"score"}, From: ty("decimal", 8, 3), To: ty("decimal", 5, 1)}, 2},
		{"misfits: decimal to int", dialect.DataCheck{Kind: dialect.CountMisfits, Table: "users", Columns: []string{"score"}, From: ty("decimal", 8, 3), To: ty("int", 11)}, 3},
		{"misfits: enum member removed", dialect.DataCheck{Kind: dialect.CountMisfits, Table: "users", Columns: []string{"status"},
			From: &schema.Type{Name: "enum", Values: []string{"active", "disabled", "banned"}}, To: &schema.Type{Name: "enum", Values: []string{"active", "disabled"}}}, 2},
		{"misfits: set member removed", dialect.DataCheck{Kind: dialect.CountMisfits, Table: "users", Columns: []string{"tags"},
			From: &schema.Type{Name: "set", Values: []string{"a", "b", "c"}}, To: &schema.Type{Name: "set", Values: []string{"a", "b"}}}, 1},
		{"misfits: fractional seconds cut", dialect.DataCheck{Kind: dialect.CountMisfits, Table: "users", Columns: []string{"born"}, From: ty("datetime", 3), To: ty("datetime")}, 1},
		{"misfits: datetime to timestamp range", dialect.DataCheck{Kind: dialect.CountMisfits, Table: "users", Columns: []string{"born"}, From: ty("datetime", 3), To: ty("timestamp", 3)}, 1},
		{"misfits: datetime to date", dialect.DataCheck{Kind: dialect.CountMisfits, Table: "users", Columns: []string{"born"}, From: ty("datetime", 3), To: ty("date")}, 2},
		{"misfits: charset conversion loses characters", dialect.DataCheck{Kind: dialect.CountMisfits, Table: "users", Columns: []string{"note"}, From: ty("text"), To: ty("text"), Charset: "latin1"}, 1},
		{"misfits: utf8mb3 cannot hold emoji", dialect.DataCheck{Kind: dialect.CountMisfits, Table: "users", Columns: []string{"note"}, From: ty("text"), To: ty("text"), Charset: "utf8"}, 1},
		{"violations: NULL is not a violation", dialect.DataCheck{Kind: dialect.CountViolations, Table: "users", Expr: "`age` >= 0"}, 1},
		{"violations: several columns", dialect.DataCheck{Kind: dialect.CountViolations, Table: "users", Expr: "`age` < 100 and `we``ird col` <> 2"}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.check
			res, err := d.Count(ctx, db.DB, []*dialect.DataCheck{&c}, dialect.CountOptions{})
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

	t.Run("results in order, one query per check", func(t *testing.T) {
		checks := []*dialect.DataCheck{
			{Kind: dialect.CountRows, Table: "teams"},
			{Kind: dialect.CountNulls, Table: "users", Columns: []string{"phone"}},
			{Kind: dialect.CountRows, Table: "members"},
		}
		res, err := d.Count(ctx, db.DB, checks, dialect.CountOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, r := range res {
			got = append(got, *r.Rows)
		}
		if len(got) != 3 || got[0] != 2 || got[1] != 3 || got[2] != 5 {
			t.Errorf("Count = %v, want [2 3 5]", got)
		}
	})

	t.Run("skips tables estimated above MaxRows", func(t *testing.T) {
		db.Exec(t, "ANALYZE TABLE users, teams")
		checks := []*dialect.DataCheck{
			{Kind: dialect.CountNulls, Table: "users", Columns: []string{"phone"}},
			{Kind: dialect.CountRows, Table: "teams"},
			{Kind: dialect.CountSize, Table: "users"},
		}
		res, err := d.Count(ctx, db.DB, checks, dialect.CountOptions{MaxRows: 3})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Rows != nil || !strings.Contains(res[0].Skipped, "`users` has ~5 rows, above the limit of 3") {
			t.Errorf("users: %+v, want skipped with the estimate and the limit", res[0])
		}
		if res[1].Rows == nil || *res[1].Rows != 2 || res[1].Skipped != "" {
			t.Errorf("teams: %+v, want counted 2", res[1])
		}
		if res[2].Rows == nil || *res[2].Rows != 5 || res[2].Bytes == nil || *res[2].Bytes <= 0 {
			t.Errorf("size of users: %+v, want ~5 rows and some bytes, never skipped", res[2])
		}
	})

	t.Run("no query for an unknown conversion", func(t *testing.T) {
		c := &dialect.DataCheck{Kind: dialect.CountMisfits, Table: "users", Columns: []string{"born"}, From: ty("datetime"), To: ty("point")}
		res, err := d.Count(ctx, db.DB, []*dialect.DataCheck{c}, dialect.CountOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Rows != nil || !strings.Contains(res[0].Skipped, "datetime to point") {
			t.Errorf("Count = %+v, want skipped naming the conversion", res[0])
		}
	})

	t.Run("a failing query skips the check", func(t *testing.T) {
		// A new check naming a column the same plan adds.
		c := &dialect.DataCheck{Kind: dialect.CountViolations, Table: "users", Expr: "`nope` > 0"}
		res, err := d.Count(ctx, db.DB, []*dialect.DataCheck{c}, dialect.CountOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Rows != nil || !strings.Contains(res[0].Skipped, "Unknown column 'nope'") {
			t.Errorf("Count = %+v, want skipped with the server's error", res[0])
		}
	})

	t.Run("a cancelled context is an error naming the check", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		c := &dialect.DataCheck{Kind: dialect.CountNulls, Table: "users", Columns: []string{"phone"}}
		if _, err := d.Count(cctx, db.DB, []*dialect.DataCheck{c}, dialect.CountOptions{}); err == nil {
			t.Error("Count with a cancelled context succeeded")
		}
	})
}
