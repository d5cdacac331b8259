package render

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/dialect/mysql"
	"github.com/stratadb/strata/dialect/sqlite"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/schema"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// fakeDialect writes simple MySQL-like SQL; it is no database, only a
// stand-in generator so that rendering tests have statements.
type fakeDialect struct{}

func (fakeDialect) Name() string { return "fake" }
func (fakeDialect) Inspect(context.Context, dialect.Querier) (*schema.Schema, error) {
	return nil, errors.New("fake dialect cannot inspect")
}
func (fakeDialect) Normalize(*schema.Schema) error { return nil }

// The plan's hazards are MySQL's.
var mysqlRules = mysql.Default()

func (fakeDialect) QuoteName(n string) string         { return mysqlRules.QuoteName(n) }
func (fakeDialect) Narrowing(a, b schema.Type) string { return mysqlRules.Narrowing(a, b) }
func (fakeDialect) AlterHazards(at *schema.AlterTable, lt dialect.LiveTable) []dialect.Hazard {
	return mysqlRules.AlterHazards(at, lt)
}

func q(s string) string { return "`" + s + "`" }

func (fakeDialect) Generate(c schema.Change, _ dialect.GenOptions) ([]dialect.Stmt, error) {
	one := func(s string) []dialect.Stmt { return []dialect.Stmt{{SQL: s}} }
	switch c := c.(type) {
	case *schema.AddTable:
		var lines []string
		for _, col := range c.T.Columns {
			lines = append(lines, q(col.Name)+" "+planner.FormatColumn(col))
		}
		if c.T.PrimaryKey != nil {
			lines = append(lines, "PRIMARY KEY "+planner.FormatIndex(c.T.PrimaryKey))
		}
		return one("CREATE TABLE " + q(c.T.Name) + " (\n  " + strings.Join(lines, ",\n  ") + "\n)"), nil
	case *schema.DropTable:
		return one("DROP TABLE " + q(c.T.Name)), nil
	case *schema.RenameTable:
		return one("RENAME TABLE " + q(c.From) + " TO " + q(c.To)), nil
	case *schema.AlterTable:
		var cl []string
		for _, tc := range c.Changes {
			switch tc := tc.(type) {
			case *schema.AddColumn:
				s := "ADD COLUMN " + q(tc.C.Name) + " " + planner.FormatColumn(tc.C)
				if tc.Position.After != "" {
					s += " AFTER " + q(tc.Position.After)
				} else if tc.Position.First {
					s += " FIRST"
				}
				cl = append(cl, s)
			case *schema.DropColumn:
				cl = append(cl, "DROP COLUMN "+q(tc.C.Name))
			case *schema.ModifyColumn:
				cl = append(cl, "CHANGE COLUMN "+q(tc.From.Name)+" "+q(tc.To.Name)+" "+planner.FormatColumn(tc.To))
			case *schema.AddIndex:
				cl = append(cl, "ADD INDEX "+q(tc.I.Name)+" "+planner.FormatIndex(tc.I))
			case *schema.DropIndex:
				cl = append(cl, "DROP INDEX "+q(tc.I.Name))
			case *schema.AddForeignKey:
				cl = append(cl, "ADD CONSTRAINT "+q(tc.F.Name)+" FOREIGN KEY ...")
			case *schema.DropForeignKey:
				cl = append(cl, "DROP FOREIGN KEY "+q(tc.F.Name))
			default:
				cl = append(cl, "/* clause */")
			}
		}
		return one("ALTER TABLE " + q(c.To.Name) + " " + strings.Join(cl, ", ")), nil
	case *schema.AddView:
		return one("CREATE VIEW " + q(c.V.Name) + " AS " + c.V.Definition), nil
	case *schema.DropView:
		return one("DROP VIEW " + q(c.V.Name)), nil
	case *schema.ModifyView:
		return one("CREATE OR REPLACE VIEW " + q(c.To.Name) + " AS " + c.To.Definition), nil
	case *schema.AddTrigger:
		return []dialect.Stmt{{SQL: "CREATE TRIGGER " + q(c.T.Name) + " " + c.T.Timing + " " + c.T.Event + " ON " + q(c.T.Table) + " FOR EACH ROW\n" + c.T.Body,
			Comment: "trigger bodies run as written"}}, nil
	case *schema.DropTrigger:
		return one("DROP TRIGGER " + q(c.T.Name)), nil
	}
	return nil, errors.New("fake: unsupported change")
}

func col(name, typ string, null bool, args ...int) *schema.Column {
	c := &schema.Column{Name: name, Type: schema.Type{Name: typ, Args: args}, Null: null}
	if null {
		c.Default = "NULL"
	}
	return c
}

func table(name string, cols ...*schema.Column) *schema.Table {
	return &schema.Table{Name: name, Columns: cols,
		PrimaryKey: &schema.Index{Name: "PRIMARY", Parts: []schema.IndexPart{{Column: cols[0].Name}}},
		Options:    schema.TableOptions{Engine: "InnoDB", Charset: "utf8mb4", Collate: "utf8mb4_general_ci"}}
}

// richPlan has every kind of object action, hazards, a rename, a
// multi-line statement and a statement comment.
func richPlan(t *testing.T) *planner.Plan {
	t.Helper()
	users := table("users", col("id", "bigint", false, 20), col("email", "varchar", false, 100), col("name", "varchar", true, 50))
	users.Indexes = []*schema.Index{{Name: "old_idx", Parts: []schema.IndexPart{{Column: "name"}}}}
	posts := table("posts", col("id", "bigint", false, 20), col("title", "varchar", false, 200))
	audit := table("audit", col("id", "int", false, 11), col("msg", "text", true))
	trig := &schema.Trigger{Name: "users_bi", Table: "users", Timing: "BEFORE", Event: "INSERT", Body: "SET NEW.email = LOWER(NEW.email)", Order: 1}
	cur := &schema.Schema{Name: "app", Tables: []*schema.Table{users, posts, audit}, Triggers: []*schema.Trigger{trig}}

	u2 := *users
	u2.Columns = []*schema.Column{users.Columns[0], col("email", "varchar", false, 191), col("age", "int", true, 11), col("name", "varchar", false, 50)}
	u2.Indexes = []*schema.Index{{Name: "users_email_uq", Kind: schema.IndexUnique, Parts: []schema.IndexPart{{Column: "email"}}}}
	p2 := *posts
	p2.Name, p2.RenamedFrom = "articles", "posts"
	p2.Columns = append([]*schema.Column{}, posts.Columns...)
	p2.Columns = append(p2.Columns, col("author_id", "bigint", true, 20))
	p2.ForeignKeys = []*schema.ForeignKey{{Name: "articles_author_fk", Columns: []string{"author_id"}, RefTable: "users", RefColumns: []string{"id"}, OnUpdate: "RESTRICT", OnDelete: "CASCADE"}}
	tags := table("tags", col("id", "int", false, 11), col("label", "varchar", false, 50))
	tags.Options.Comment = "Labels for articles"
	t2 := *trig
	t2.Body = "BEGIN\n  SET NEW.email = LOWER(TRIM(NEW.email));\nEND"
	view := &schema.View{Name: "active_users", Definition: "select `users`.`id` AS `id` from `users` where `users`.`age` > 18",
		Algorithm: "UNDEFINED", Security: "DEFINER", CheckOption: "NONE"}
	des := &schema.Schema{Name: "app", Tables: []*schema.Table{&u2, &p2, tags}, Views: []*schema.View{view}, Triggers: []*schema.Trigger{&t2}}

	p, err := planner.Build(cur, des, planner.Diff(cur, des, fakeDialect{}), fakeDialect{}, dialect.GenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// As a dialect would after counting at plan time.
	for i, h := range p.DataChecks() {
		n := int64(1234 * i)
		h.Rows = &n
	}
	return p
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./planner/render -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./planner/render -update rewrites it)\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestRender_Golden(t *testing.T) {
	p := richPlan(t)
	empty := &planner.Plan{FromHash: "abc", ToHash: "abc"}
	tests := []struct {
		name   string
		render func(*bytes.Buffer, *planner.Plan) error
	}{
		{"text", func(b *bytes.Buffer, p *planner.Plan) error { return Text(b, p, TextOptions{}) }},
		{"text-color", func(b *bytes.Buffer, p *planner.Plan) error { return Text(b, p, TextOptions{Color: true}) }},
		{"sql", func(b *bytes.Buffer, p *planner.Plan) error { return SQL(b, p) }},
		{"json", func(b *bytes.Buffer, p *planner.Plan) error { return JSON(b, p) }},
		{"markdown", func(b *bytes.Buffer, p *planner.Plan) error { return Markdown(b, p) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.render(&b, p); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name+".golden", b.Bytes())
		})
		t.Run(tt.name+"/empty", func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.render(&b, empty); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name+"-empty.golden", b.Bytes())
		})
	}
}

func TestText(t *testing.T) {
	p := richPlan(t)
	t.Run("no escape codes without color", func(t *testing.T) {
		var b bytes.Buffer
		if err := Text(&b, p, TextOptions{}); err != nil {
			t.Fatal(err)
		}
		if bytes.ContainsRune(b.Bytes(), 0x1b) {
			t.Error("text without color contains an escape code")
		}
		for _, want := range []string{
			"Strata will perform the following actions:",
			`# table "audit" will be destroyed`,
			"! destructive: drops table `audit` and all its rows",
			`# table "articles" will be changed (renamed from "posts")`,
			`~ column "email"`, "varchar(100) → varchar(191)",
			"Plan: 2 to add, 3 to change, 1 to destroy.",
			"SQL to run:\n  ",
			"DROP TABLE `audit`;",
		} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("text lacks %q", want)
			}
		}
	})
	t.Run("color", func(t *testing.T) {
		var b bytes.Buffer
		if err := Text(&b, p, TextOptions{Color: true}); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{ansiGreen + "+" + ansiReset, ansiRed + "-" + ansiReset, ansiYellow + "~" + ansiReset, ansiBold + "Plan:"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("colored text lacks %q", want)
			}
		}
	})
	t.Run("empty plan", func(t *testing.T) {
		for _, p := range []*planner.Plan{nil, {}} {
			var b bytes.Buffer
			if err := Text(&b, p, TextOptions{}); err != nil {
				t.Fatal(err)
			}
			if got := b.String(); got != NoChanges+"\n" {
				t.Errorf("empty plan text = %q", got)
			}
		}
	})
}

func TestJSON(t *testing.T) {
	p := richPlan(t)
	var b bytes.Buffer
	if err := JSON(&b, p); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		FormatVersion string          `json:"format_version"`
		FromHash      string          `json:"from_hash"`
		Summary       planner.Summary `json:"summary"`
		Changes       []struct {
			Action     string `json:"action"`
			ObjectType string `json:"object_type"`
			Name       string `json:"name"`
			Details    []Detail
			Statements []struct{ SQL string }
		} `json:"changes"`
		Hazards    []struct{ Kind, Message, Name string } `json:"hazards"`
		Statements []struct{ SQL string }                 `json:"statements"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.FormatVersion != "1" || doc.FromHash != p.FromHash || doc.Summary != p.Summary() {
		t.Errorf("header: %+v", doc)
	}
	if len(doc.Changes) != len(p.Steps) || len(doc.Statements) != len(p.Statements()) || len(doc.Hazards) != len(p.Hazards()) {
		t.Errorf("counts: %d changes, %d statements, %d hazards", len(doc.Changes), len(doc.Statements), len(doc.Hazards))
	}
	actions := map[string]bool{}
	for _, c := range doc.Changes {
		actions[c.Action] = true
	}
	for _, a := range []string{"create", "update", "delete", "rename"} {
		if !actions[a] {
			t.Errorf("no %q change in %v", a, actions)
		}
	}
}

func TestHazardMessage(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	tests := []struct {
		name string
		h    planner.Hazard
		want string
	}{
		{"not counted", planner.Hazard{Message: "drops table `a` and all its rows"}, "drops table `a` and all its rows"},
		{"none", planner.Hazard{Message: "m", Rows: n(0)}, "m (0 rows)"},
		{"one", planner.Hazard{Message: "m", Rows: n(1)}, "m (1 row)"},
		{"thousands", planner.Hazard{Message: "m", Rows: n(1234567)}, "m (1,234,567 rows)"},
		{"hundreds", planner.Hazard{Message: "m", Rows: n(999)}, "m (999 rows)"},
		{"skipped", planner.Hazard{Message: "m", Check: &planner.DataCheck{Kind: planner.CountRows, Table: "a"}, Skipped: "table `a` has ~5 rows, above the limit of 3"},
			"m (not counted: table `a` has ~5 rows, above the limit of 3)"},
		{"size", planner.Hazard{Kind: planner.Locking, Message: "m", Check: &planner.DataCheck{Kind: planner.CountSize, Table: "a"}, Rows: n(12345), Bytes: n(3 << 20)},
			"m (~12,345 rows, 3.0 MiB)"},
		{"size in bytes", planner.Hazard{Kind: planner.Locking, Message: "m", Check: &planner.DataCheck{Kind: planner.CountSize, Table: "a"}, Rows: n(0), Bytes: n(512)},
			"m (~0 rows, 512 B)"},
		{"will fail: nulls", planner.Hazard{Kind: planner.DataDependent, Message: "fails if `users`.`phone` holds NULL values (NULL → NOT NULL)",
			Check: &planner.DataCheck{Kind: planner.CountNulls, Table: "users", Columns: []string{"phone"}}, Rows: n(3)},
			"will fail: 3 rows of `users` have NULL in `phone` (fails if `users`.`phone` holds NULL values (NULL → NOT NULL))"},
		{"passes: no nulls", planner.Hazard{Kind: planner.DataDependent, Message: "fails if x",
			Check: &planner.DataCheck{Kind: planner.CountNulls, Table: "users", Columns: []string{"phone"}}, Rows: n(0)},
			"fails if x (0 rows)"},
		{"will fail: one duplicate", planner.Hazard{Kind: planner.DataDependent, Message: "m",
			Check: &planner.DataCheck{Kind: planner.CountDuplicates, Table: "u", Columns: []string{"a", "b"}}, Rows: n(1)},
			"will fail: 1 row of `u` shares its values in (`a`, `b`) with another row (m)"},
		{"will fail: orphans", planner.Hazard{Kind: planner.DataDependent, Message: "m",
			Check: &planner.DataCheck{Kind: planner.CountOrphans, Table: "p", Columns: []string{"u"}, RefTable: "users", RefColumns: []string{"id"}}, Rows: n(2)},
			"will fail: 2 rows of `p` reference missing rows of `users` (m)"},
		{"will fail: misfits", planner.Hazard{Kind: planner.DataDependent, Message: "m",
			Check: &planner.DataCheck{Kind: planner.CountMisfits, Table: "u", Columns: []string{"name"}, To: &schema.Type{Name: "varchar", Args: []int{5}}}, Rows: n(1234)},
			"will fail (strict mode) or truncate: 1,234 rows of `u` have values in `name` that do not fit varchar(5) (m)"},
		{"will fail: charset", planner.Hazard{Kind: planner.DataDependent, Message: "m",
			Check: &planner.DataCheck{Kind: planner.CountMisfits, Table: "u", Columns: []string{"name"}, Charset: "latin1"}, Rows: n(2)},
			"will fail (strict mode) or lose characters: 2 rows of `u` have characters in `name` that latin1 cannot hold (m)"},
		{"will fail: violations", planner.Hazard{Kind: planner.DataDependent, Message: "m",
			Check: &planner.DataCheck{Kind: planner.CountViolations, Table: "u", Expr: "`age` >= 0"}, Rows: n(1)},
			"will fail: 1 row of `u` violates `age` >= 0 (m)"},
		{"filled: existing rows get ''", planner.Hazard{Kind: planner.DataDependent, Message: "m",
			Check: &planner.DataCheck{Kind: planner.CountRows, Table: "users", Columns: []string{"nick"}, Fill: "''"}, Rows: n(1234)},
			"1,234 existing rows get '' in `users`.`nick` (m)"},
		{"filled: one row", planner.Hazard{Kind: planner.DataDependent, Message: "m",
			Check: &planner.DataCheck{Kind: planner.CountRows, Table: "users", Columns: []string{"n"}, Fill: "0"}, Rows: n(1)},
			"1 existing row gets 0 in `users`.`n` (m)"},
		{"filled: no rows", planner.Hazard{Kind: planner.DataDependent, Message: "m",
			Check: &planner.DataCheck{Kind: planner.CountRows, Table: "users", Columns: []string{"nick"}, Fill: "''"}, Rows: n(0)},
			"m (0 rows)"},
		{"destructive figures stay plain", planner.Hazard{Kind: planner.Destructive, Message: "drops table `a` and all its rows",
			Check: &planner.DataCheck{Kind: planner.CountRows, Table: "a"}, Rows: n(7)},
			"drops table `a` and all its rows (7 rows)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hazardMessage(tt.h, mysqlRules); got != tt.want {
				t.Errorf("hazardMessage = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestHazardMessage_quoting shows that the sentence of a failing change
// quotes names the way its dialect does.
func TestHazardMessage_quoting(t *testing.T) {
	rows := int64(3)
	h := planner.Hazard{Kind: planner.DataDependent, Message: "m",
		Check: &planner.DataCheck{Kind: planner.CountNulls, Table: "users", Columns: []string{"phone"}}, Rows: &rows}
	for _, tt := range []struct {
		name  string
		rules dialect.HazardRules
		want  string
	}{
		{"mysql", mysqlRules, "will fail: 3 rows of `users` have NULL in `phone` (m)"},
		{"sqlite", sqlite.New(), `will fail: 3 rows of "users" have NULL in "phone" (m)`},
		{"no dialect", nil, `will fail: 3 rows of "users" have NULL in "phone" (m)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := HazardMessage(h, tt.rules); got != tt.want {
				t.Errorf("HazardMessage = %q, want %q", got, tt.want)
			}
		})
	}
	// What the server does with values that do not fit is the dialect's
	// to say; without one, the change fails.
	misfits := planner.Hazard{Kind: planner.DataDependent, Message: "m", Rows: &rows,
		Check: &planner.DataCheck{Kind: planner.CountMisfits, Table: "u", Columns: []string{"name"}, To: &schema.Type{Name: "varchar", Args: []int{5}}}}
	for rules, want := range map[dialect.HazardRules]string{
		mysqlRules: "will fail (strict mode) or truncate: 3 rows of `u` have values in `name` that do not fit varchar(5) (m)",
		nil:        `will fail: 3 rows of "u" have values in "name" that do not fit varchar(5) (m)`,
	} {
		if got := HazardMessage(misfits, rules); got != want {
			t.Errorf("HazardMessage = %q, want %q", got, want)
		}
	}
}

func TestMarkdown(t *testing.T) {
	var b bytes.Buffer
	if err := Markdown(&b, richPlan(t)); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	hz, tbl, sql := strings.Index(s, "Hazards"), strings.Index(s, "| --- |"), strings.Index(s, "<details>")
	if hz < 0 || tbl < 0 || sql < 0 || !(hz < tbl && tbl < sql) {
		t.Errorf("want hazards, then the table, then SQL in <details>: %d %d %d", hz, tbl, sql)
	}
	if !strings.Contains(s, "```sql\n") || !strings.Contains(s, "</details>") {
		t.Error("SQL block missing")
	}
}

// A statement the server refuses inside a transaction is marked in every
// format, so that a reviewer knows a failure after it leaves it applied;
// a plan for a server without transactional DDL marks nothing.
func TestRender_runsAlone(t *testing.T) {
	const concurrently = `CREATE INDEX CONCURRENTLY "t_a" ON "t" ("a")`
	plan := func(transactional bool) *planner.Plan {
		return &planner.Plan{Transactional: transactional, Steps: []*planner.Step{{
			Change: &schema.AlterTable{From: &schema.Table{Name: "t"}, To: &schema.Table{Name: "t"}},
			Statements: []dialect.Stmt{
				{SQL: `ALTER TABLE "t" ADD COLUMN "a" integer`, Transactional: transactional},
				{SQL: concurrently},
			},
		}}}
	}
	formats := map[string]func(*bytes.Buffer, *planner.Plan) error{
		"text":     func(b *bytes.Buffer, p *planner.Plan) error { return Text(b, p, TextOptions{}) },
		"sql":      func(b *bytes.Buffer, p *planner.Plan) error { return SQL(b, p) },
		"markdown": func(b *bytes.Buffer, p *planner.Plan) error { return Markdown(b, p) },
	}
	for name, write := range formats {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := write(&b, plan(true)); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if strings.Count(out, RunsAloneText) != 1 {
				t.Fatalf("want one %q mark:\n%s", RunsAloneText, out)
			}
			mark := strings.Index(out, RunsAloneText)
			if next := strings.Index(out[mark:], "\n"); !strings.HasPrefix(strings.TrimSpace(out[mark+next:]), concurrently) {
				t.Errorf("the mark is not on the CONCURRENTLY statement:\n%s", out)
			}
			b.Reset()
			if err := write(&b, plan(false)); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(b.String(), RunsAloneText) {
				t.Errorf("a plan without a transaction marks a statement:\n%s", b.String())
			}
		})
	}
	t.Run("json", func(t *testing.T) {
		for _, transactional := range []bool{true, false} {
			var b bytes.Buffer
			if err := JSON(&b, plan(transactional)); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Statements []struct {
					SQL       string `json:"sql"`
					RunsAlone bool   `json:"runs_alone"`
				} `json:"statements"`
			}
			if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Statements) != 2 || doc.Statements[0].RunsAlone || doc.Statements[1].RunsAlone != transactional {
				t.Errorf("transactional=%v: statements %+v", transactional, doc.Statements)
			}
		}
	})
}

// A changed object (an enum type, a function) shows its old and new
// definitions, the new on a line of its own when either spans lines.
func TestText_objectDefinitionChanged(t *testing.T) {
	for _, tc := range []struct{ from, to, want string }{
		{"CREATE TYPE mood AS ENUM ('sad', 'happy')", "CREATE TYPE mood AS ENUM ('sad', 'meh', 'happy')",
			"~ definition CREATE TYPE mood AS ENUM ('sad', 'happy') → CREATE TYPE mood AS ENUM ('sad', 'meh', 'happy')\n"},
		{"CREATE FUNCTION f() RETURNS int\nAS 'SELECT 1'", "CREATE FUNCTION f() RETURNS int\nAS 'SELECT 2'",
			"~ definition CREATE FUNCTION f() RETURNS int\n" +
				"                   AS 'SELECT 1'\n" +
				"                   → CREATE FUNCTION f() RETURNS int\n" +
				"                   AS 'SELECT 2'\n"},
	} {
		p := &planner.Plan{Steps: []*planner.Step{{Change: &schema.ModifyObject{
			From: &schema.Object{Kind: "type", Name: "mood", Definition: tc.from},
			To:   &schema.Object{Kind: "type", Name: "mood", Definition: tc.to},
		}}}}
		var b bytes.Buffer
		if err := Text(&b, p, TextOptions{}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), tc.want) {
			t.Errorf("text lacks\n%s\nin\n%s", tc.want, b.String())
		}
	}
}
