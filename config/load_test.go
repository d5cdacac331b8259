package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/stratadb/strata/schema"
)

// writeFile writes src to dir/name and returns the path.
func writeFile(t *testing.T, dir, name, src string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// load reads src as schema.hcl and fails the test on any diagnostic.
func load(t *testing.T, src string) *schema.Schema {
	t.Helper()
	f := NewFiles()
	s, diags := f.LoadSchema(writeFile(t, t.TempDir(), "schema.hcl", src))
	if len(diags) > 0 {
		var b strings.Builder
		_ = f.WriteDiagnostics(&b, diags, false)
		t.Fatalf("unexpected diagnostics:\n%s", b.String())
	}
	return s
}

func dump(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

func assertEqual(t *testing.T, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got:\n%s\nwant:\n%s", dump(got), dump(want))
	}
}

// oneColumn wraps a column body in a table and returns the loaded column.
func oneColumn(t *testing.T, body string) *schema.Column {
	t.Helper()
	s := load(t, "table \"t\" {\n  column \"c\" {\n"+body+"\n  }\n}\n")
	return s.Tables[0].Columns[0]
}

func TestFiles_LoadSchema_types(t *testing.T) {
	tests := []struct {
		name string
		expr string
		want schema.Type
	}{
		{"keyword", `bigint`, schema.Type{Name: "bigint"}},
		{"keyword upper", `BIGINT`, schema.Type{Name: "bigint"}},
		{"alias kept", `integer`, schema.Type{Name: "integer"}},
		{"bool", `bool`, schema.Type{Name: "bool"}},
		{"call one arg", `varchar(191)`, schema.Type{Name: "varchar", Args: []int{191}}},
		{"call two args", `decimal(10,2)`, schema.Type{Name: "decimal", Args: []int{10, 2}}},
		{"datetime fsp", `datetime(3)`, schema.Type{Name: "datetime", Args: []int{3}}},
		{"bit", `bit(1)`, schema.Type{Name: "bit", Args: []int{1}}},
		{"vector", `vector(3)`, schema.Type{Name: "vector", Args: []int{3}}},
		{"enum", `enum("a", "b c")`, schema.Type{Name: "enum", Values: []string{"a", "b c"}}},
		{"set", `set("r","w")`, schema.Type{Name: "set", Values: []string{"r", "w"}}},
		{"enum tricky", `enum("it's", "back\\slash", "x,y", "\"dq\"")`, schema.Type{Name: "enum", Values: []string{"it's", `back\slash`, "x,y", `"dq"`}}},
		{"json", `json`, schema.Type{Name: "json"}},
		{"point", `point`, schema.Type{Name: "point"}},
		{"string int unsigned zerofill", `"int(10) unsigned zerofill"`, schema.Type{Name: "int", Args: []int{10}, Unsigned: true, Zerofill: true}},
		{"string enum sql quoting", `"enum('a','it''s','b\\\\c')"`, schema.Type{Name: "enum", Values: []string{"a", "it's", `b\c`}}},
		{"string double precision", `"double precision"`, schema.Type{Name: "double precision"}},
		{"string double precision args", `"DOUBLE  PRECISION(10,2)"`, schema.Type{Name: "double precision", Args: []int{10, 2}}},
		{"string long varchar", `"long varchar"`, schema.Type{Name: "long varchar"}},
		{"string national char", `"national char(5)"`, schema.Type{Name: "national char", Args: []int{5}}},
		{"string signed", `"bigint signed"`, schema.Type{Name: "bigint"}},
		{"sqlite any", `any`, schema.Type{Name: "any"}},
		{"sqlite big int", `"big int"`, schema.Type{Name: "big int"}},
		{"heredoc string", "<<EOT\ntinyint(1)\nEOT", schema.Type{Name: "tinyint", Args: []int{1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := oneColumn(t, "type = "+tt.expr)
			assertEqual(t, c.Type, tt.want)
		})
	}
}

func TestFiles_LoadSchema_columns(t *testing.T) {
	tests := []struct {
		name string
		body string
		want schema.Column
	}{
		{"minimal", `type = int`, schema.Column{Name: "c", Type: schema.Type{Name: "int"}}},
		{"unsigned attr", "type = bigint\nunsigned = true\nzerofill = true", schema.Column{Name: "c", Type: schema.Type{Name: "bigint", Unsigned: true, Zerofill: true}}},
		{"unsigned agrees with string", "type = \"int unsigned\"\nunsigned = true", schema.Column{Name: "c", Type: schema.Type{Name: "int", Unsigned: true}}},
		{"null no default", "type = int\nnull = true", schema.Column{Name: "c", Type: schema.Type{Name: "int"}, Null: true}},
		{"string default", "type = varchar(10)\ndefault = \"active\"", schema.Column{Name: "c", Type: schema.Type{Name: "varchar", Args: []int{10}}, Default: "'active'"}},
		{"string default escaped", `type = text
default = "it's a \\ \n\r\t"`, schema.Column{Name: "c", Type: schema.Type{Name: "text"}, Default: `'it''s a \\ \n\r\t'`}},
		{"empty string default", "type = varchar(10)\ndefault = \"\"", schema.Column{Name: "c", Type: schema.Type{Name: "varchar", Args: []int{10}}, Default: "''"}},
		{"number default verbatim", "type = decimal(5,2)\ndefault = 1.50", schema.Column{Name: "c", Type: schema.Type{Name: "decimal", Args: []int{5, 2}}, Default: "1.50"}},
		{"negative number", "type = int\ndefault = -1", schema.Column{Name: "c", Type: schema.Type{Name: "int"}, Default: "-1"}},
		{"exponent number", "type = double\ndefault = 1.5e3", schema.Column{Name: "c", Type: schema.Type{Name: "double"}, Default: "1.5e3"}},
		{"bool default", "type = bool\ndefault = true", schema.Column{Name: "c", Type: schema.Type{Name: "bool"}, Default: "1"}},
		{"bool false default", "type = bool\ndefault = false", schema.Column{Name: "c", Type: schema.Type{Name: "bool"}, Default: "0"}},
		{"sql default", "type = datetime(3)\ndefault = sql(\"CURRENT_TIMESTAMP(3)\")\non_update = sql(\"CURRENT_TIMESTAMP(3)\")",
			schema.Column{Name: "c", Type: schema.Type{Name: "datetime", Args: []int{3}}, Default: "CURRENT_TIMESTAMP(3)", OnUpdate: "CURRENT_TIMESTAMP(3)"}},
		{"sql NULL", "type = int\nnull = true\ndefault = sql(\"NULL\")", schema.Column{Name: "c", Type: schema.Type{Name: "int"}, Null: true, Default: "NULL"}},
		{"everything", `type = varchar(20)
charset = "latin1"
collate = "latin1_bin"
comment = "the c"
invisible = true
check = "char_length(` + "`c`" + `) > 1"
renamed_from = "old"`, schema.Column{Name: "c", Type: schema.Type{Name: "varchar", Args: []int{20}}, Charset: "latin1", Collate: "latin1_bin",
			Comment: "the c", Invisible: true, Check: "char_length(`c`) > 1", RenamedFrom: "old"}},
		{"generated virtual", "type = int\nas = \"`a` + 1\"", schema.Column{Name: "c", Type: schema.Type{Name: "int"}, Generated: &schema.Generated{Expr: "`a` + 1"}}},
		{"generated stored heredoc", "type = int\nas = <<-SQL\n  `a` + 1\n  SQL\nstored = true", schema.Column{Name: "c", Type: schema.Type{Name: "int"}, Generated: &schema.Generated{Expr: "`a` + 1", Stored: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := oneColumn(t, tt.body)
			assertEqual(t, *c, tt.want)
		})
	}
}

func TestFiles_LoadSchema_tables(t *testing.T) {
	src := `
table "users" {
  comment        = "Registered accounts"
  engine         = "InnoDB"
  charset        = "utf8mb4"
  collate        = "utf8mb4_general_ci"
  row_format     = "dynamic"
  auto_increment = 100
  options        = "stats_persistent=0 checksum=1"
  renamed_from   = "accounts"
  column "id" {
    type           = bigint
    unsigned       = true
    auto_increment = true
  }
  column "email" {
    type = varchar(191)
  }
  column "name" {
    type = varchar(100)
  }
  column "doc" {
    type = text
  }
  column "geo" {
    type = point
  }
  primary_key = ["id"]
  index "users_email_uq" {
    columns = ["email", "name"]
    unique  = true
    prefix  = { name = 10 }
    desc    = ["name"]
    using   = "hash"
    comment = "lookup"
    ignored = true
    renamed_from = "email_uq"
  }
  index "ft" {
    columns  = ["doc"]
    fulltext = true
  }
  index "sp" {
    columns = ["geo"]
    spatial = true
  }
  index "fx" {
    part {
      expr = "lower(` + "`name`" + `)"
      desc = true
    }
    part {
      column = "email"
      prefix = 5
    }
  }
  check "positive_id" {
    expr = "` + "`id`" + ` > 0"
  }
}

table "posts" {
  column "id" {
    type = int
  }
  column "author_id" {
    type     = bigint
    unsigned = true
  }
  column "d" {
    type = date
  }
  primary_key {
    columns = ["id", "d"]
    desc    = ["d"]
    using   = "BTREE"
    comment = "pk"
  }
  foreign_key "posts_author_fk" {
    columns     = ["author_id"]
    ref_table   = "users"
    ref_columns = ["id"]
    on_delete   = "cascade"
    on_update   = "set  null"
  }
  partition {
    by            = "range columns"
    expr          = "` + "`d`" + `"
    sub_by        = "hash"
    sub_expr      = "` + "`id`" + `"
    subpartitions = 2
    part "p2021" {
      values  = "LESS THAN ('2022-01-01')"
      comment = "old"
      engine  = "InnoDB"
    }
    part "pmax" {
      values = "LESS THAN MAXVALUE"
    }
  }
}

table "h" {
  column "id" {
    type = int
  }
  partition {
    by         = "linear key"
    expr       = "` + "`id`" + `"
    partitions = 4
  }
}
`
	s := load(t, src)
	want := &schema.Schema{Tables: []*schema.Table{
		{
			Name: "users",
			Columns: []*schema.Column{
				{Name: "id", Type: schema.Type{Name: "bigint", Unsigned: true}, AutoIncrement: true},
				{Name: "email", Type: schema.Type{Name: "varchar", Args: []int{191}}},
				{Name: "name", Type: schema.Type{Name: "varchar", Args: []int{100}}},
				{Name: "doc", Type: schema.Type{Name: "text"}},
				{Name: "geo", Type: schema.Type{Name: "point"}},
			},
			PrimaryKey: &schema.Index{Name: "PRIMARY", Parts: []schema.IndexPart{{Column: "id"}}},
			Indexes: []*schema.Index{
				{Name: "users_email_uq", Kind: schema.IndexUnique, Parts: []schema.IndexPart{{Column: "email"}, {Column: "name", Prefix: 10, Desc: true}},
					Comment: "lookup", Using: "HASH", Ignored: true, RenamedFrom: "email_uq"},
				{Name: "ft", Kind: schema.IndexFulltext, Parts: []schema.IndexPart{{Column: "doc"}}},
				{Name: "sp", Kind: schema.IndexSpatial, Parts: []schema.IndexPart{{Column: "geo"}}},
				{Name: "fx", Parts: []schema.IndexPart{{Expr: "lower(`name`)", Desc: true}, {Column: "email", Prefix: 5}}},
			},
			Checks: []*schema.Check{{Name: "positive_id", Expr: "`id` > 0"}},
			Options: schema.TableOptions{Engine: "InnoDB", Charset: "utf8mb4", Collate: "utf8mb4_general_ci", Comment: "Registered accounts",
				RowFormat: "DYNAMIC", AutoIncrement: 100, Extra: "stats_persistent=0 checksum=1"},
			RenamedFrom: "accounts",
		},
		{
			Name: "posts",
			Columns: []*schema.Column{
				{Name: "id", Type: schema.Type{Name: "int"}},
				{Name: "author_id", Type: schema.Type{Name: "bigint", Unsigned: true}},
				{Name: "d", Type: schema.Type{Name: "date"}},
			},
			PrimaryKey:  &schema.Index{Name: "PRIMARY", Parts: []schema.IndexPart{{Column: "id"}, {Column: "d", Desc: true}}, Using: "BTREE", Comment: "pk"},
			ForeignKeys: []*schema.ForeignKey{{Name: "posts_author_fk", Columns: []string{"author_id"}, RefTable: "users", RefColumns: []string{"id"}, OnUpdate: "SET NULL", OnDelete: "CASCADE"}},
			Partition: &schema.Partition{Method: "RANGE COLUMNS", Expr: "`d`", SubMethod: "HASH", SubExpr: "`id`", SubCount: 2,
				Definitions: []schema.PartitionDef{
					{Name: "p2021", Values: "LESS THAN ('2022-01-01')", Comment: "old", Engine: "InnoDB"},
					{Name: "pmax", Values: "LESS THAN MAXVALUE"},
				}},
		},
		{
			Name:      "h",
			Columns:   []*schema.Column{{Name: "id", Type: schema.Type{Name: "int"}}},
			Partition: &schema.Partition{Method: "LINEAR KEY", Expr: "`id`", Count: 4},
		},
	}}
	assertEqual(t, s, want)
}

func TestFiles_LoadSchema_viewsAndTriggers(t *testing.T) {
	src := "table \"users\" {\n  column \"id\" {\n    type = int\n  }\n}\n" + `
view "active_users" {
  definition   = "select ` + "`users`.`id` AS `id` from `users`" + `"
  algorithm    = "merge"
  security     = "invoker"
  check_option = "cascaded"
  depends_on   = ["users"]
}
view "v2" {
  definition = <<-SQL
    select 1 AS ` + "`one`" + `
    from dual
  SQL
  depends_on = ["active_users"]
}
trigger "users_bi" {
  on     = "users"
  timing = "before"
  event  = "insert"
  body   = <<-SQL
    SET NEW.id = NEW.id + 1
  SQL
  order  = 2
}
trigger "users_au" {
  on     = "users"
  timing = "AFTER"
  event  = "UPDATE"
  body   = "BEGIN\n  SET @x = 1;\nEND"
}
`
	s := load(t, src)
	assertEqual(t, s.Views, []*schema.View{
		{Name: "active_users", Definition: "select `users`.`id` AS `id` from `users`", Algorithm: "MERGE", Security: "INVOKER", CheckOption: "CASCADED", DependsOn: []string{"users"}},
		{Name: "v2", Definition: "select 1 AS `one`\nfrom dual", DependsOn: []string{"active_users"}},
	})
	assertEqual(t, s.Triggers, []*schema.Trigger{
		{Name: "users_bi", Table: "users", Timing: "before", Event: "insert", Body: "SET NEW.id = NEW.id + 1", Order: 2}, // spelling kept
		{Name: "users_au", Table: "users", Timing: "AFTER", Event: "UPDATE", Body: "BEGIN\n  SET @x = 1;\nEND"},
	})
}

func TestFiles_LoadSchema_directory(t *testing.T) {
	dir := t.TempDir()
	// Sorted by name: a_users.hcl before b_posts.hcl; the foreign key in
	// b_posts resolves across files, and non-.hcl files are ignored.
	writeFile(t, dir, "b_posts.hcl", `
table "posts" {
  column "id" {
    type = int
  }
  column "uid" {
    type = int
  }
  foreign_key "fk" {
    columns     = ["uid"]
    ref_table   = "users"
    ref_columns = ["id"]
  }
}
`)
	writeFile(t, dir, "a_users.hcl", `
table "users" {
  column "id" {
    type = int
  }
  primary_key = ["id"]
}
view "v" {
  definition = "select 1"
}
`)
	writeFile(t, dir, "notes.txt", "not hcl {")
	writeFile(t, dir, "sub/ignored.hcl", "table \"x\" {\n  column \"a\" {\n    type = int\n  }\n}\n")
	f := NewFiles()
	s, diags := f.LoadSchema(dir)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var names []string
	for _, tb := range s.Tables {
		names = append(names, tb.Name)
	}
	assertEqual(t, names, []string{"users", "posts"})
	assertEqual(t, len(s.Views), 1)
	if len(f.Files()) != 2 {
		t.Errorf("parsed %d files, want 2", len(f.Files()))
	}
}

func TestFiles_LoadSchema_duplicateAcrossFiles(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.hcl", "table \"t\" {\n  column \"a\" {\n    type = int\n  }\n}\n")
	writeFile(t, dir, "b.hcl", "\ntable \"t\" {\n  column \"a\" {\n    type = int\n  }\n}\n")
	_, diags := NewFiles().LoadSchema(dir)
	checkDiags(t, diags, []wantDiag{{"Duplicate table", "b.hcl:2:7"}})
	if !strings.Contains(diags[0].Detail, "a.hcl:1,7") {
		t.Errorf("detail %q does not point at the first declaration", diags[0].Detail)
	}
}

func TestFiles_LoadSchema_syntaxErrorStopsCrossChecks(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.hcl", "table \"users\" {\n  column \"id\" {\n    type = = int\n  }\n}\n")
	writeFile(t, dir, "b.hcl", "table \"posts\" {\n  column \"uid\" {\n    type = int\n  }\n  foreign_key \"fk\" {\n    columns = [\"uid\"]\n    ref_table = \"users\"\n    ref_columns = [\"id\"]\n  }\n}\n")
	_, diags := NewFiles().LoadSchema(dir)
	checkDiags(t, diags, []wantDiag{{"Invalid expression", "a.hcl:3:12"}})
}

func TestFiles_LoadSchema_missingPath(t *testing.T) {
	for _, tt := range []struct{ name, path, want string }{
		{"missing file", "nope.hcl", "does not exist"},
		{"empty directory", "", "holds no .hcl files"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := NewFiles().LoadSchema(filepath.Join(t.TempDir(), tt.path))
			if !diags.HasErrors() || !strings.Contains(diags[0].Detail, tt.want) {
				t.Fatalf("diags = %v, want %q", diags, tt.want)
			}
		})
	}
}

type wantDiag struct {
	summary string
	at      string // base name:line:col of the Subject
}

func checkDiags(t *testing.T, diags hcl.Diagnostics, want []wantDiag) {
	t.Helper()
	var got []wantDiag
	for _, d := range diags {
		at := "-"
		if d.Subject != nil {
			at = filepath.Base(d.Subject.Filename) + ":" + strconv.Itoa(d.Subject.Start.Line) + ":" + strconv.Itoa(d.Subject.Start.Column)
		}
		got = append(got, wantDiag{d.Summary, at})
	}
	if !reflect.DeepEqual(got, want) {
		var b strings.Builder
		for _, d := range diags {
			b.WriteString("  " + d.Error() + "\n")
		}
		t.Errorf("diagnostics:\n got  %v\n want %v\n%s", got, want, b.String())
	}
}
