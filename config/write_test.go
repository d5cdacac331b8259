package config

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/stratadb/strata/schema"
)

// richSchema sets every field of the model, in normalized form.
func richSchema() *schema.Schema {
	return &schema.Schema{
		Tables: []*schema.Table{
			{
				Name: "users",
				Columns: []*schema.Column{
					{Name: "id", Type: schema.Type{Name: "bigint", Args: []int{20}, Unsigned: true}, AutoIncrement: true},
					{Name: "email", Type: schema.Type{Name: "varchar", Args: []int{191}}, Charset: "utf8mb4", Collate: "utf8mb4_bin", Comment: "login"},
					{Name: "status", Type: schema.Type{Name: "enum", Values: []string{"active", "dis abled", "it's"}}, Default: "'active'"},
					{Name: "score", Type: schema.Type{Name: "decimal", Args: []int{5, 2}}, Null: true, Default: "1.50"},
					{Name: "neg", Type: schema.Type{Name: "int", Args: []int{10}, Unsigned: true, Zerofill: true}, Default: "-1"},
					{Name: "flags", Type: schema.Type{Name: "bit", Args: []int{3}}, Default: "b'101'"},
					{Name: "created_at", Type: schema.Type{Name: "datetime", Args: []int{3}}, Default: "current_timestamp(3)", OnUpdate: "current_timestamp(3)"},
					{Name: "full", Type: schema.Type{Name: "varchar", Args: []int{200}}, Null: true, Generated: &schema.Generated{Expr: "concat(`first`,' ',`last`)", Stored: true}},
					{Name: "virt", Type: schema.Type{Name: "int", Args: []int{11}}, Null: true, Generated: &schema.Generated{Expr: "`id` + 1"}},
					{Name: "j", Type: schema.Type{Name: "longtext"}, Null: true, Default: "NULL", Charset: "utf8mb4", Collate: "utf8mb4_bin", Check: "json_valid(`j`)", Invisible: true},
					{Name: "nick", Type: schema.Type{Name: "varchar", Args: []int{50}}, Null: true, Default: "NULL", RenamedFrom: "nickname"},
					{Name: "expr_default", Type: schema.Type{Name: "int", Args: []int{11}}, Default: "(1 + 2)"},
					{Name: "dp", Type: schema.Type{Name: "double precision", Args: []int{10, 2}}},
					{Name: "geo", Type: schema.Type{Name: "point"}},
					{Name: "doc", Type: schema.Type{Name: "text"}, Null: true, Default: "NULL"},
					{Name: "lit_null", Type: schema.Type{Name: "varchar", Args: []int{10}}, Default: "'NULL'", OnUpdate: "'now()'"},
				},
				PrimaryKey: &schema.Index{Name: "PRIMARY", Parts: []schema.IndexPart{{Column: "id"}}},
				Indexes: []*schema.Index{
					{Name: "users_email_uq", Kind: schema.IndexUnique, Parts: []schema.IndexPart{{Column: "email"}, {Column: "nick", Prefix: 10, Desc: true}},
						Comment: "lookup", Using: "HASH", RenamedFrom: "email_uq"},
					{Name: "ign", Parts: []schema.IndexPart{{Column: "score"}}, Ignored: true},
					{Name: "ft", Kind: schema.IndexFulltext, Parts: []schema.IndexPart{{Column: "doc"}}},
					{Name: "sp", Kind: schema.IndexSpatial, Parts: []schema.IndexPart{{Column: "geo", Prefix: 32}}},
					{Name: "fx", Parts: []schema.IndexPart{{Expr: "lower(`nick`)", Desc: true}, {Column: "email", Prefix: 5}}},
				},
				Checks: []*schema.Check{{Name: "positive_score", Expr: "`score` > 0"}},
				Options: schema.TableOptions{Engine: "InnoDB", Charset: "utf8mb4", Collate: "utf8mb4_general_ci", Comment: "Registered accounts",
					RowFormat: "DYNAMIC", AutoIncrement: 1000, Extra: "stats_persistent=0 checksum=1"},
				RenamedFrom: "accounts",
			},
			{
				Name: "posts",
				Columns: []*schema.Column{
					{Name: "id", Type: schema.Type{Name: "int", Args: []int{11}}},
					{Name: "author_id", Type: schema.Type{Name: "bigint", Args: []int{20}, Unsigned: true}, Null: true, Default: "NULL"},
					{Name: "d", Type: schema.Type{Name: "date"}},
				},
				PrimaryKey: &schema.Index{Name: "PRIMARY", Parts: []schema.IndexPart{{Column: "id"}, {Column: "d", Desc: true}}, Using: "BTREE", Comment: "pk"},
				Indexes:    []*schema.Index{{Name: "posts_author_fk", Parts: []schema.IndexPart{{Column: "author_id"}}}},
				ForeignKeys: []*schema.ForeignKey{
					{Name: "posts_author_fk", Columns: []string{"author_id"}, RefTable: "users", RefColumns: []string{"id"}, OnUpdate: "RESTRICT", OnDelete: "SET NULL"},
					{Name: "posts_author_fk2", Columns: []string{"author_id"}, RefTable: "users", RefColumns: []string{"id"}, OnUpdate: "NO ACTION", OnDelete: "RESTRICT"},
				},
				Partition: &schema.Partition{Method: "RANGE COLUMNS", Expr: "`d`", SubMethod: "HASH", SubExpr: "`id`", SubCount: 2,
					Definitions: []schema.PartitionDef{
						{Name: "p2021", Values: "LESS THAN ('2022-01-01')", Comment: "old", Engine: "InnoDB"},
						{Name: "pmax", Values: "LESS THAN MAXVALUE"},
					}},
				Options: schema.TableOptions{Engine: "InnoDB", Charset: "latin1", Collate: "latin1_swedish_ci"},
			},
			{
				Name:      "h",
				Columns:   []*schema.Column{{Name: "id", Type: schema.Type{Name: "int", Args: []int{11}}}},
				Partition: &schema.Partition{Method: "LINEAR KEY", Expr: "`id`", Count: 4},
				Options:   schema.TableOptions{Engine: "MyISAM", Charset: "utf8mb4", Collate: "utf8mb4_general_ci"},
			},
		},
		Views: []*schema.View{
			{Name: "active_users", Definition: "select `users`.`id` AS `id` from `users` where `users`.`status` = 'active'",
				Algorithm: "UNDEFINED", Security: "DEFINER", CheckOption: "NONE", DependsOn: []string{"users"}},
			{Name: "multi", Definition: "select 1 AS `one`\nunion all\n  select 2 AS `2`", Algorithm: "MERGE", Security: "INVOKER", CheckOption: "CASCADED",
				Context: schema.CreationContext{CharsetClient: "utf8mb3", CollationConnection: "utf8mb3_general_ci"}},
		},
		Triggers: []*schema.Trigger{
			{Name: "users_bi", Table: "users", Timing: "BEFORE", Event: "INSERT", Body: "SET NEW.email = LOWER(NEW.email)", Order: 1},
			{Name: "users_au", Table: "users", Timing: "AFTER", Event: "UPDATE", Body: "BEGIN\n  -- note ${not a var} %{nor a directive}\n  SET @x = 'a\\nb';\nEND", Order: 2,
				Header: "TRIGGER users_au AFTER UPDATE ON users\nFOR EACH ROW ", Context: schema.CreationContext{SQLMode: schema.SQLModeEmpty}},
			{Name: "users_ad", Table: "users", Timing: "AFTER", Event: "DELETE", Body: "SET @y = 1", Order: 1,
				Context: schema.CreationContext{CharsetClient: "latin1", CollationConnection: "latin1_swedish_ci", SQLMode: "ANSI_QUOTES"}},
		},
	}
}

// implied clears what WriteSchema leaves out because the dialect fills it
// back in when it normalizes: the exact set documented on WriteSchema.
func implied(s *schema.Schema) {
	for _, t := range s.Tables {
		for _, c := range t.Columns {
			if c.Null && c.Default == "NULL" {
				c.Default = ""
			}
		}
		for _, fk := range t.ForeignKeys {
			if fk.OnUpdate == schema.ActionRestrict {
				fk.OnUpdate = ""
			}
			if fk.OnDelete == schema.ActionRestrict {
				fk.OnDelete = ""
			}
		}
	}
	for _, v := range s.Views {
		if v.Algorithm == "UNDEFINED" {
			v.Algorithm = ""
		}
		if v.Security == "DEFINER" {
			v.Security = ""
		}
		if v.CheckOption == "NONE" {
			v.CheckOption = ""
		}
	}
}

// roundTrip writes s, loads it back and compares with s minus what is implied.
func roundTrip(t *testing.T, s *schema.Schema) string {
	t.Helper()
	out := WriteSchema(s)
	f := NewFiles()
	got, diags := f.LoadSchema(writeFile(t, t.TempDir(), "schema.hcl", string(out)))
	if diags.HasErrors() {
		var b strings.Builder
		_ = f.WriteDiagnostics(&b, diags, false)
		t.Fatalf("written schema does not load:\n%s\n%s", b.String(), out)
	}
	implied(s)
	assertEqual(t, got, s)
	if t.Failed() {
		t.Logf("written:\n%s", out)
	}
	return string(out)
}

func TestWriteSchema_roundTrip(t *testing.T) {
	out := roundTrip(t, richSchema())
	for _, want := range []string{
		"  primary_key = [\"id\"]\n",
		"    prefix       = { nick = 10 }\n",
		"    default = sql(\"b'101'\")\n",
		"    default  = -1\n",
		"    default = 1.50\n",
		"  body     = <<-SQL\n    BEGIN\n",
		"$${not a var} %%{nor a directive}",
		"    default   = sql(\"'NULL'\")\n",
		"  header   = \"TRIGGER users_au AFTER UPDATE ON users\\nFOR EACH ROW \"\n",
		"  sql_mode = \"\"\n",
		"  character_set_client = \"utf8mb3\"\n",
		"  sql_mode             = \"ANSI_QUOTES\"\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if again := WriteSchema(richSchema()); string(again) != out {
		t.Error("WriteSchema is not deterministic")
	}
	if formatted, _ := Format([]byte(out), "x.hcl"); string(formatted) != out {
		t.Errorf("WriteSchema output is not Format-stable:\n%s", formatted)
	}
}

func TestWriteSchema_golden(t *testing.T) {
	s := &schema.Schema{
		Tables: []*schema.Table{{
			Name: "users",
			Columns: []*schema.Column{
				{Name: "id", Type: schema.Type{Name: "bigint", Args: []int{20}, Unsigned: true}, AutoIncrement: true},
				{Name: "status", Type: schema.Type{Name: "enum", Values: []string{"active", "disabled"}}, Default: "'active'"},
				{Name: "note", Type: schema.Type{Name: "text"}, Null: true, Default: "NULL"},
			},
			PrimaryKey: &schema.Index{Name: "PRIMARY", Parts: []schema.IndexPart{{Column: "id"}}},
			Options:    schema.TableOptions{Engine: "InnoDB", Charset: "utf8mb4", Collate: "utf8mb4_general_ci"},
		}},
		Views: []*schema.View{{Name: "v", Definition: "select `users`.`id` AS `id` from `users`", Algorithm: "UNDEFINED", Security: "DEFINER", CheckOption: "NONE"}},
	}
	want := `table "users" {
  engine  = "InnoDB"
  charset = "utf8mb4"
  collate = "utf8mb4_general_ci"
  column "id" {
    type           = bigint(20)
    unsigned       = true
    auto_increment = true
  }
  column "status" {
    type    = enum("active", "disabled")
    default = "active"
  }
  column "note" {
    type = text
    null = true
  }
  primary_key = ["id"]
}

view "v" {
  definition = "select ` + "`users`.`id` AS `id` from `users`" + `"
}
`
	if got := string(WriteSchema(s)); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// trickyString builds a string from pieces that stress HCL and SQL quoting.
func trickyString(r *rand.Rand) string {
	pieces := []string{
		"a", "Z", " ", "'", "''", `"`, `\`, `\\`, `\n`, "\n", "\t", "\r", "\x00", "${", "%{", "$${", "%%{",
		"${x}", "}", "{", "$", "%", "é", "日本", "🎉", "`", "``", "SQL", "\nSQL\n", "EOT", "<<", "  ",
		"-- c", "/* */", "\x1b", "\u00a0", "\\'",
	}
	n := 1 + r.Intn(8)
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(pieces[r.Intn(len(pieces))])
	}
	return b.String()
}

func TestWriteSchema_trickyStrings(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 300; i++ {
		str := func() string { return trickyString(r) }
		s := &schema.Schema{
			Tables: []*schema.Table{{
				Name: str(),
				Columns: []*schema.Column{
					{Name: str(), Type: schema.Type{Name: "enum", Values: []string{str(), str()}}, Default: quoteSQL(str()), Comment: str(), Check: str()},
					{Name: "g" + str(), Type: schema.Type{Name: "int"}, Null: true, Generated: &schema.Generated{Expr: str()}, Collate: str(), RenamedFrom: str()},
					{Name: "d" + str(), Type: schema.Type{Name: "int"}, Default: "x" + str(), OnUpdate: str() + "y"},
				},
				Checks:  []*schema.Check{{Name: str(), Expr: str()}},
				Options: schema.TableOptions{Comment: str(), Extra: str()},
			}},
			Views:    []*schema.View{{Name: str(), Definition: str(), DependsOn: nil}},
			Triggers: []*schema.Trigger{{Name: str(), Table: "", Timing: "BEFORE", Event: "INSERT", Body: str()}},
		}
		tb := s.Tables[0]
		s.Triggers[0].Table = tb.Name
		tb.Indexes = []*schema.Index{{Name: "i" + str(), Parts: []schema.IndexPart{{Column: tb.Columns[0].Name, Prefix: 3}}, Comment: str()}}
		tb.PrimaryKey = &schema.Index{Name: "PRIMARY", Parts: []schema.IndexPart{{Column: tb.Columns[2].Name, Desc: true}}}
		// Names must stay distinct for the loader's duplicate checks.
		if strings.EqualFold(tb.Columns[0].Name, tb.Columns[1].Name) || strings.EqualFold(tb.Columns[0].Name, tb.Columns[2].Name) ||
			strings.EqualFold(tb.Columns[1].Name, tb.Columns[2].Name) || strings.EqualFold(tb.Indexes[0].Name, "PRIMARY") {
			continue
		}
		if tb.Columns[0].Default == "NULL" {
			continue
		}
		t.Run("", func(t *testing.T) { roundTrip(t, s) })
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"aligns and indents", "table \"t\" {\ncolumn \"a\" {\ntype=int\nnull    = true\n}\n}\n",
			"table \"t\" {\n  column \"a\" {\n    type = int\n    null = true\n  }\n}\n"},
		{"keeps comments and heredocs", "# c\nview \"v\" {\n    definition = <<SQL\n  select 1\nSQL\n}\n",
			"# c\nview \"v\" {\n  definition = <<SQL\n  select 1\nSQL\n}\n"},
		{"already canonical", "table \"t\" {\n  column \"a\" {\n    type = int\n  }\n}\n",
			"table \"t\" {\n  column \"a\" {\n    type = int\n  }\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, diags := Format([]byte(tt.src), "schema.hcl")
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			if string(got) != tt.want {
				t.Errorf("got:\n%q\nwant:\n%q", got, tt.want)
			}
			again, _ := Format(got, "schema.hcl")
			if string(again) != string(got) {
				t.Errorf("not idempotent:\n%s", again)
			}
		})
	}
	t.Run("syntax error", func(t *testing.T) {
		out, diags := Format([]byte("table \"t\" {\n  column \"a\" {\n"), "schema.hcl")
		if !diags.HasErrors() || out != nil {
			t.Fatalf("out=%q diags=%v, want an error and no output", out, diags)
		}
		if diags[0].Subject == nil || diags[0].Subject.Filename != "schema.hcl" {
			t.Errorf("diagnostic has no subject in schema.hcl: %v", diags[0])
		}
	})
}
