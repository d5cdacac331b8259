package revision

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/schema"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

var created = time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)

// samplePlans is a plan that drops a column and adds a table, and the plan
// that undoes it.
func samplePlans() (up, down *planner.Plan) {
	users := &schema.Table{Name: "users"}
	posts := &schema.Table{Name: "posts"}
	name := &schema.Column{Name: "name", Type: schema.Type{Name: "varchar", Args: []int{100}}, Null: true}
	up = &planner.Plan{
		FromHash: "1111111111111111111111111111111111111111111111111111111111111111",
		ToHash:   "2222222222222222222222222222222222222222222222222222222222222222",
		Steps: []*planner.Step{
			{
				Change:     &schema.AlterTable{From: users, To: users, Changes: []schema.TableChange{&schema.DropColumn{C: name}}},
				Statements: []dialect.Stmt{{SQL: "ALTER TABLE `users` DROP COLUMN `name`"}},
				Hazards: []planner.Hazard{
					{Kind: planner.Locking, Message: "rebuilds users"},
					{Kind: planner.Destructive, Message: "Drops column users.name and its data.",
						Check: &planner.DataCheck{Kind: planner.CountValues, Table: "users", Columns: []string{"name"}}},
				},
			},
			{
				Change:     &schema.AddTable{T: posts},
				Statements: []dialect.Stmt{{SQL: "CREATE TABLE `posts` (\n  `id` bigint(20) NOT NULL,\n  PRIMARY KEY (`id`)\n);\n", Comment: "new table"}},
			},
		},
	}
	down = &planner.Plan{
		FromHash: up.ToHash,
		ToHash:   up.FromHash,
		Steps: []*planner.Step{
			{
				Change:     &schema.DropTable{T: posts},
				Statements: []dialect.Stmt{{SQL: "DROP TABLE `posts`"}},
				Hazards:    []planner.Hazard{{Kind: planner.Destructive, Message: "drops table posts and its rows"}},
			},
			{
				Change:     &schema.AlterTable{From: users, To: users, Changes: []schema.TableChange{&schema.AddColumn{C: name}}},
				Statements: []dialect.Stmt{{SQL: "ALTER TABLE `users` ADD COLUMN `name` varchar(100) NULL"}},
			},
		},
	}
	return up, down
}

func sampleRevision() *Revision {
	up, down := samplePlans()
	r := New(up, down, Meta{Slug: "Add posts, drop users.name", Env: "dev", Author: "alice", Created: created})
	r.Parent = "20261126080000"
	return r
}

func TestNew(t *testing.T) {
	r := sampleRevision()
	if r.Version != "20261127093000" || r.Slug != "add_posts_drop_users_name" {
		t.Errorf("version/slug = %q/%q", r.Version, r.Slug)
	}
	if r.FromHash != strings.Repeat("1", 64) || r.ToHash != strings.Repeat("2", 64) {
		t.Errorf("hashes = %q → %q", r.FromHash, r.ToHash)
	}
	wantUp := []string{"ALTER TABLE `users` DROP COLUMN `name`", "CREATE TABLE `posts` (\n  `id` bigint(20) NOT NULL,\n  PRIMARY KEY (`id`)\n)"}
	if got := r.UpSQL(); !reflect.DeepEqual(got, wantUp) {
		t.Errorf("UpSQL = %q, want %q", got, wantUp)
	}
	if got := r.Up[0].Hazards; !reflect.DeepEqual(got, []string{"locking: rebuilds users", "destructive: Drops column users.name and its data."}) {
		t.Errorf("up hazards = %q", got)
	}
	// The check sits at its hazard's index: none for the first.
	if got := r.Up[0].Checks; len(got) != 2 || got[0] != nil || got[1] == nil || got[1].Kind != planner.CountValues || got[1].Table != "users" {
		t.Errorf("up checks = %+v, want [nil, values of users.name]", got)
	}
	if r.Down[0].Irreversible {
		t.Errorf("dropping the new table again is destructive, not irreversible")
	}
	if !r.Down[1].Irreversible || !r.Irreversible() {
		t.Errorf("re-adding the dropped column must be marked irreversible: %+v", r.Down[1])
	}
	if got := r.Down[1].Hazards; len(got) != 1 || !strings.Contains(got[0], "drops column users.name") {
		t.Errorf("down hazards = %q", got)
	}
}

func TestNew_NoURL(t *testing.T) {
	for _, env := range []string{"mysql://app:secret@db:3306/app", "app:secret@tcp(db)/app"} {
		r := New(nil, nil, Meta{Slug: "x", Env: env, Created: created})
		if b := string(Format(r)); strings.Contains(b, "secret") || r.Env != "url" {
			t.Errorf("env %q written as %q", env, r.Env)
		}
	}
}

func TestFormat_RoundTrip(t *testing.T) {
	trigger := "CREATE TRIGGER `t_bi` BEFORE INSERT ON `t` FOR EACH ROW\nBEGIN\n  SET NEW.a = 1;\n  SET NEW.b = 2;\nEND"
	cases := []struct {
		name string
		r    *Revision
	}{
		{"sample", sampleRevision()},
		{"first and empty", &Revision{Version: "20260101000000", Slug: "init", Created: created}},
		{"trigger body", &Revision{Version: "20260101000000", Slug: "trg", Created: created, FromHash: "a", ToHash: "b",
			Up: []Statement{{SQL: trigger}}, Down: []Statement{{SQL: "DROP TRIGGER `t_bi`"}}}},
		{"awkward statements", &Revision{Version: "20260101000000", Slug: "odd", Created: created, Author: "bob",
			Up: []Statement{
				{SQL: "-- leading comment\nCREATE TABLE a (id int)"},
				{SQL: "\nCREATE TABLE b (id int)"},
				{SQL: "CREATE TABLE c (\n\n  id int\n)", Hazards: []string{"locking: rebuilds c", "data-dependent: x"}},
				{SQL: "ALTER TABLE e MODIFY v varchar(5) NOT NULL", Hazards: []string{"data-dependent: nulls", "data-dependent: misfits", "locking: x"},
					Checks: []*planner.DataCheck{{Kind: planner.CountNulls, Table: "e", Columns: []string{"v"}},
						{Kind: planner.CountMisfits, Table: "e", Columns: []string{"v"}, From: &schema.Type{Name: "varchar", Args: []int{50}}, To: &schema.Type{Name: "varchar", Args: []int{5}}}}},
				{SQL: "ALTER TABLE f ADD UNIQUE (u)", Hazards: []string{"locking: y", "data-dependent: duplicates"},
					Checks: []*planner.DataCheck{nil, {Kind: planner.CountDuplicates, Table: "f", Columns: []string{"u"}, Prefixes: []int{0}}}},
				{SQL: "ALTER TABLE g MODIFY n bigint NOT NULL", Hazards: []string{"locking: copies g"},
					Copy: &dialect.TableCopy{Table: "g", Clauses: "MODIFY n bigint NOT NULL", Why: "changing the type of `g`.`n` copies table `g`"}},
				{SQL: `CREATE INDEX CONCURRENTLY "h_v" ON "h" ("v")`, NoTx: true, Hazards: []string{"locking: x"}},
				{SQL: `ALTER TABLE "h" VALIDATE CONSTRAINT "h_fk"`, NoTx: true},
				{SQL: "INSERT INTO d VALUES ('-- +down')"},
				{SQL: "SELECT 1\n-- +down\n"},
				{SQL: "SELECT 'trailing space'  "},
				{SQL: "SELECT 2\n"},
			},
			Down: []Statement{{SQL: "DROP TABLE a", Irreversible: true, Comment: "note"}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := Format(c.r)
			got, err := Parse(c.r.Name(), b)
			if err != nil {
				t.Fatalf("Parse: %v\n%s", err, b)
			}
			want := *c.r
			want.File, want.Checksum = c.r.Name(), Checksum(b)
			if !reflect.DeepEqual(got, &want) {
				t.Errorf("Parse(Format(r)) differs:\n got %#v\nwant %#v\nfile:\n%s", got, &want, b)
			}
			if b2 := Format(got); !bytes.Equal(b, b2) {
				t.Errorf("Format(Parse(b)) differs:\n%s\n---\n%s", b, b2)
			}
		})
	}
}

func TestFormat_Golden(t *testing.T) {
	r := sampleRevision()
	path := filepath.Join("testdata", r.Name())
	b := Format(r)
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("Format differs from %s:\n%s", path, b)
	}
	got, err := Parse(path, want)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(Format(got), want) {
		t.Errorf("golden file does not round-trip")
	}
}

func TestParse_Errors(t *testing.T) {
	good := string(Format(&Revision{Version: "20260101000000", Slug: "x", Created: created, Up: []Statement{{SQL: "SELECT 1"}}}))
	cases := []struct {
		name, file, text, want string
	}{
		{"bad name", "x.sql", good, "not a revision file name"},
		{"renamed", "20260101000001_x.sql", good, "does not match the file name"},
		{"no down", "20260101000000_x.sql", strings.Replace(good, "-- +down\n", "", 1), "missing -- +up or -- +down"},
		{"unterminated", "20260101000000_x.sql", strings.Replace(good, "SELECT 1;", "SELECT 1", 1), "not ended"},
		{"no version", "20260101000000_x.sql", strings.Replace(good, "-- version: 20260101000000\n", "", 1), `no "version"`},
		{"bad created", "20260101000000_x.sql", strings.Replace(good, "2026-11-27T09:30:00Z", "yesterday", 1), "RFC 3339"},
		{"open block", "20260101000000_x.sql", strings.Replace(good, "SELECT 1;", "-- +begin\nSELECT 1;", 1), "without -- +end"},
		{"junk header", "20260101000000_x.sql", "hello\n" + good, "unexpected line"},
		{"check without hazard", "20260101000000_x.sql", strings.Replace(good, "SELECT 1;", "-- check: {\"kind\":\"nulls\",\"table\":\"t\"}\nSELECT 1;", 1), "must follow the hazard"},
		{"two checks", "20260101000000_x.sql", strings.Replace(good, "SELECT 1;", "-- hazard: data-dependent: x\n-- check: {\"kind\":\"nulls\",\"table\":\"t\"}\n-- check: {\"kind\":\"nulls\",\"table\":\"t\"}\nSELECT 1;", 1), "must follow the hazard"},
		{"bad copies", "20260101000000_x.sql", strings.Replace(good, "SELECT 1;", "-- copies: {\"table\":\"t\"}\nSELECT 1;", 1), "unreadable copies line"},
		{"marker without statement", "20260101000000_x.sql", strings.Replace(good, "SELECT 1;\n", "SELECT 1;\n-- no-transaction\n", 1), "annotations without a statement"},
		{"bad check", "20260101000000_x.sql", strings.Replace(good, "SELECT 1;", "-- hazard: data-dependent: x\n-- check: {\"kind\":\n\nSELECT 1;", 1), "unreadable check"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.file, []byte(c.text))
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), c.file) {
				t.Errorf("Parse error = %v, want a *ParseError naming %s with %q", err, c.file, c.want)
			}
		})
	}
}

func TestSlugify(t *testing.T) {
	cases := map[string]string{
		"Add users":               "add_users",
		"  --drop  users.name!! ": "drop_users_name",
		"Ünïcode":                 "n_code",
		"":                        "",
		strings.Repeat("ab ", 40): strings.TrimRight(strings.Repeat("ab_", 20), "_"),
		"already_a_slug_2026":     "already_a_slug_2026",
	}
	for in, want := range cases {
		t.Run(in, func(t *testing.T) {
			if got := Slugify(in); got != want {
				t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
			}
		})
	}
}

func TestNew_noTransaction(t *testing.T) {
	idx := &schema.Table{Name: "t"}
	plan := func() *planner.Plan {
		return &planner.Plan{Steps: []*planner.Step{{
			Change: &schema.AlterTable{From: idx, To: idx},
			Statements: []dialect.Stmt{
				{SQL: `ALTER TABLE "t" ADD COLUMN "v" integer`, Transactional: true},
				{SQL: `CREATE INDEX CONCURRENTLY "t_v" ON "t" ("v")`},
			},
		}}}
	}
	tx := New(plan(), plan(), Meta{Slug: "x", Created: created, Transactional: true})
	if tx.Up[0].NoTx || !tx.Up[1].NoTx || tx.Down[0].NoTx || !tx.Down[1].NoTx {
		t.Errorf("transactional dialect: NoTx up %v %v, down %v %v; want only the CONCURRENTLY statements", tx.Up[0].NoTx, tx.Up[1].NoTx, tx.Down[0].NoTx, tx.Down[1].NoTx)
	}
	if b := string(Format(tx)); strings.Count(b, "-- no-transaction\nCREATE INDEX CONCURRENTLY") != 2 || strings.Count(b, "-- no-transaction") != 2 {
		t.Errorf("file does not mark exactly the two CONCURRENTLY statements:\n%s", b)
	}
	// MySQL: no statement is transactional, and none is marked.
	my := New(plan(), nil, Meta{Slug: "x", Created: created})
	if OwnSteps(my.Up) || strings.Contains(string(Format(my)), "no-transaction") {
		t.Errorf("a dialect without transactional DDL got no-transaction marks:\n%s", Format(my))
	}
}
