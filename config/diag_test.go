package config

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func TestFiles_LoadSchema_diagnostics(t *testing.T) {
	users := "table \"users\" {\n  column \"id\" {\n    type = bigint\n    unsigned = true\n  }\n  primary_key = [\"id\"]\n}\n"
	tests := []struct {
		name   string
		src    string
		want   []wantDiag
		detail string // substring of the first diagnostic's detail
	}{
		{"syntax error", "table \"t\" {\n  column \"a\" {\n    type = \n  }\n}\n",
			[]wantDiag{{"Invalid expression", "schema.hcl:3:12"}}, ""},
		{"unknown top-level block", "tabel \"t\" {\n}\n",
			[]wantDiag{{"Unsupported block type", "schema.hcl:1:1"}}, "table"},
		{"unknown table attribute", "table \"t\" {\n  column \"a\" {\n    type = int\n  }\n  engin = \"InnoDB\"\n}\n",
			[]wantDiag{{"Unsupported argument", "schema.hcl:5:3"}}, `Did you mean "engine"?`},
		{"unknown column attribute", "table \"t\" {\n  column \"a\" {\n    type = int\n    nullable = true\n  }\n}\n",
			[]wantDiag{{"Unsupported argument", "schema.hcl:4:5"}}, ""},
		{"missing type", "table \"t\" {\n  column \"a\" {\n    null = true\n  }\n}\n",
			[]wantDiag{{"Missing required argument", "schema.hcl:2:14"}}, "type"},
		{"unknown type keyword", "table \"t\" {\n  column \"a\" {\n    type = bigitn\n  }\n}\n",
			[]wantDiag{{"Unknown column type", "schema.hcl:3:12"}}, `Did you mean "bigint"?`},
		{"unknown type call", "table \"t\" {\n  column \"a\" {\n    type = varchr(10)\n  }\n}\n",
			[]wantDiag{{"Unknown column type", "schema.hcl:3:12"}}, `Did you mean "varchar"?`},
		{"unknown type string", "table \"t\" {\n  column \"a\" {\n    type = \"tinytxt\"\n  }\n}\n",
			[]wantDiag{{"Unknown column type", "schema.hcl:3:12"}}, `Did you mean "tinytext"?`},
		{"unknown type far", "table \"t\" {\n  column \"a\" {\n    type = money\n  }\n}\n",
			[]wantDiag{{"Unknown column type", "schema.hcl:3:12"}}, `"money" is not a MySQL/MariaDB column type.`},
		{"varchar without length", "table \"t\" {\n  column \"a\" {\n    type = varchar\n  }\n}\n",
			[]wantDiag{{"Invalid column type", "schema.hcl:3:12"}}, "needs a length"},
		{"too many args", "table \"t\" {\n  column \"a\" {\n    type = int(1,2)\n  }\n}\n",
			[]wantDiag{{"Invalid column type", "schema.hcl:3:12"}}, "at most 1"},
		{"enum with numbers", "table \"t\" {\n  column \"a\" {\n    type = enum(1)\n  }\n}\n",
			[]wantDiag{{"Invalid type argument", "schema.hcl:3:17"}}, ""},
		{"varchar with string", "table \"t\" {\n  column \"a\" {\n    type = varchar(\"x\")\n  }\n}\n",
			[]wantDiag{{"Invalid type argument", "schema.hcl:3:20"}}, ""},
		{"negative arg", "table \"t\" {\n  column \"a\" {\n    type = varchar(-1)\n  }\n}\n",
			[]wantDiag{{"Invalid type argument", "schema.hcl:3:20"}}, ""},
		{"bad type string", "table \"t\" {\n  column \"a\" {\n    type = \"int(10) primary key\"\n  }\n}\n",
			[]wantDiag{{"Invalid column type", "schema.hcl:3:12"}}, `unexpected "primary"`},
		{"unsigned text", "table \"t\" {\n  column \"a\" {\n    type = text\n    unsigned = true\n  }\n}\n",
			[]wantDiag{{"Invalid column type", "schema.hcl:4:5"}}, "cannot be unsigned"},
		{"unsigned conflicts with type string", "table \"t\" {\n  column \"a\" {\n    type = \"int unsigned\"\n    unsigned = false\n  }\n}\n",
			[]wantDiag{{"Conflicting attributes", "schema.hcl:4:5"}}, ""},
		{"wrong value type", "table \"t\" {\n  column \"a\" {\n    type = int\n    null = \"maybe\"\n  }\n}\n",
			[]wantDiag{{"Incorrect attribute value type", "schema.hcl:4:12"}}, "bool required"},
		{"variable in value", "table \"t\" {\n  column \"a\" {\n    type = int\n    comment = foo\n  }\n}\n",
			[]wantDiag{{"Variables not allowed", "schema.hcl:4:15"}}, ""},
		{"unknown function in default", "table \"t\" {\n  column \"a\" {\n    type = int\n    default = now()\n  }\n}\n",
			[]wantDiag{{"Call to unknown function", "schema.hcl:4:15"}}, "sql"},
		{"string default meant as SQL", "table \"t\" {\n  column \"a\" {\n    type = datetime\n    default = \"CURRENT_TIMESTAMP\"\n  }\n}\n",
			[]wantDiag{{"String where SQL was meant", "schema.hcl:4:15"}}, `sql("CURRENT_TIMESTAMP")`},
		{"string on_update meant as SQL", "table \"t\" {\n  column \"a\" {\n    type = datetime(3)\n    on_update = \"now(3)\"\n  }\n}\n",
			[]wantDiag{{"String where SQL was meant", "schema.hcl:4:17"}}, ""},
		{"sql without args", "table \"t\" {\n  column \"a\" {\n    type = int\n    default = sql()\n  }\n}\n",
			[]wantDiag{{"Invalid sql() call", "schema.hcl:4:15"}}, ""},
		{"default and auto_increment", "table \"t\" {\n  column \"a\" {\n    type = int\n    auto_increment = true\n    default = 1\n  }\n  primary_key = [\"a\"]\n}\n",
			[]wantDiag{{"Conflicting attributes", "schema.hcl:5:5"}}, ""},
		{"generated with default", "table \"t\" {\n  column \"a\" {\n    type = int\n    as = \"1\"\n    default = 1\n  }\n}\n",
			[]wantDiag{{"Conflicting attributes", "schema.hcl:5:5"}}, "generated"},
		{"stored without as", "table \"t\" {\n  column \"a\" {\n    type = int\n    stored = true\n  }\n}\n",
			[]wantDiag{{"Conflicting attributes", "schema.hcl:4:5"}}, ""},
		{"duplicate column", "table \"t\" {\n  column \"a\" {\n    type = int\n  }\n  column \"A\" {\n    type = int\n  }\n}\n",
			[]wantDiag{{"Duplicate column", "schema.hcl:5:10"}}, "schema.hcl:2,10"},
		{"duplicate table", "table \"t\" {\n  column \"a\" {\n    type = int\n  }\n}\ntable \"t\" {\n  column \"a\" {\n    type = int\n  }\n}\n",
			[]wantDiag{{"Duplicate table", "schema.hcl:6:7"}}, ""},
		{"view named like table", users + "view \"users\" {\n  definition = \"select 1\"\n}\n",
			[]wantDiag{{"Duplicate view", "schema.hcl:8:6"}}, ""},
		{"duplicate index", "table \"t\" {\n  column \"a\" {\n    type = int\n  }\n  index \"i\" {\n    columns = [\"a\"]\n  }\n  index \"i\" {\n    columns = [\"a\"]\n  }\n}\n",
			[]wantDiag{{"Duplicate index", "schema.hcl:8:9"}}, ""},
		{"index named PRIMARY", "table \"t\" {\n  column \"a\" {\n    type = int\n  }\n  index \"primary\" {\n    columns = [\"a\"]\n  }\n}\n",
			[]wantDiag{{"Reserved index name", "schema.hcl:5:9"}}, ""},
		{"duplicate check", "table \"t\" {\n  column \"a\" {\n    type = int\n  }\n  check \"c\" {\n    expr = \"a > 0\"\n  }\n  check \"c\" {\n    expr = \"a > 1\"\n  }\n}\n",
			[]wantDiag{{"Duplicate check", "schema.hcl:8:9"}}, ""},
		{"duplicate trigger", users + "trigger \"x\" {\n  on = \"users\"\n  timing = \"BEFORE\"\n  event = \"INSERT\"\n  body = \"SET @a = 1\"\n}\ntrigger \"x\" {\n  on = \"users\"\n  timing = \"AFTER\"\n  event = \"INSERT\"\n  body = \"SET @a = 1\"\n}\n",
			[]wantDiag{{"Duplicate trigger", "schema.hcl:14:9"}}, ""},
		{"pk on missing column", "table \"t\" {\n  column \"id\" {\n    type = int\n  }\n  primary_key = [\"idd\"]\n}\n",
			[]wantDiag{{"Unknown column", "schema.hcl:5:18"}}, `Did you mean "id"?`},
		{"pk block on missing column", "table \"t\" {\n  column \"id\" {\n    type = int\n  }\n  primary_key {\n    columns = [\"id\", \"x\"]\n  }\n}\n",
			[]wantDiag{{"Unknown column", "schema.hcl:6:22"}}, ""},
		{"pk attribute and block", "table \"t\" {\n  column \"id\" {\n    type = int\n  }\n  primary_key = [\"id\"]\n  primary_key {\n    columns = [\"id\"]\n  }\n}\n",
			[]wantDiag{{"Duplicate primary key", "schema.hcl:6:3"}}, ""},
		{"nullable pk column", "table \"t\" {\n  column \"id\" {\n    type = int\n    null = true\n  }\n  primary_key = [\"id\"]\n}\n",
			[]wantDiag{{"Nullable primary key column", "schema.hcl:4:5"}}, ""},
		{"index on missing column", "table \"t\" {\n  column \"email\" {\n    type = int\n  }\n  index \"i\" {\n    columns = [\"Email\"]\n  }\n}\n",
			[]wantDiag{{"Unknown column", "schema.hcl:6:16"}}, `Did you mean "email"?`},
		{"index without columns", "table \"t\" {\n  column \"a\" {\n    type = int\n  }\n  index \"i\" {\n    unique = true\n  }\n}\n",
			[]wantDiag{{"Missing required argument", "schema.hcl:5:13"}}, ""},
		{"prefix for unlisted column", "table \"t\" {\n  column \"a\" {\n    type = text\n  }\n  index \"i\" {\n    columns = [\"a\"]\n    prefix = { b = 10 }\n  }\n}\n",
			[]wantDiag{{"Unknown key column", "schema.hcl:7:16"}}, ""},
		{"desc for unlisted column", "table \"t\" {\n  column \"a\" {\n    type = int\n  }\n  index \"i\" {\n    columns = [\"a\"]\n    desc = [\"b\"]\n  }\n}\n",
			[]wantDiag{{"Unknown key column", "schema.hcl:7:13"}}, ""},
		{"unique and fulltext", "table \"t\" {\n  column \"a\" {\n    type = text\n  }\n  index \"i\" {\n    columns = [\"a\"]\n    unique = true\n    fulltext = true\n  }\n}\n",
			[]wantDiag{{"Conflicting attributes", "schema.hcl:8:5"}}, ""},
		{"bad using", "table \"t\" {\n  column \"a\" {\n    type = int\n  }\n  index \"i\" {\n    columns = [\"a\"]\n    using = \"btre\"\n  }\n}\n",
			[]wantDiag{{"Invalid value", "schema.hcl:7:13"}}, ""},
		{"part with column and expr", "table \"t\" {\n  column \"a\" {\n    type = int\n  }\n  index \"i\" {\n    part {\n      column = \"a\"\n      expr = \"a+1\"\n    }\n  }\n}\n",
			[]wantDiag{{"Invalid key part", "schema.hcl:6:5"}}, ""},
		{"two auto_increment", "table \"t\" {\n  column \"a\" {\n    type = int\n    auto_increment = true\n  }\n  column \"b\" {\n    type = int\n    auto_increment = true\n  }\n  primary_key = [\"a\"]\n}\n",
			[]wantDiag{{"Conflicting attributes", "schema.hcl:8:5"}}, ""},
		{"auto_increment not indexed", "table \"t\" {\n  column \"a\" {\n    type = int\n    auto_increment = true\n  }\n}\n",
			[]wantDiag{{"Auto-increment column not indexed", "schema.hcl:4:5"}}, ""},
		{"fk unknown table", "table \"p\" {\n  column \"uid\" {\n    type = int\n  }\n  foreign_key \"fk\" {\n    columns = [\"uid\"]\n    ref_table = \"user\"\n    ref_columns = [\"id\"]\n  }\n}\n" + users,
			[]wantDiag{{"Unknown table", "schema.hcl:7:17"}}, `Did you mean "users"?`},
		{"fk unknown ref column", users + "table \"p\" {\n  column \"uid\" {\n    type = bigint\n    unsigned = true\n  }\n  foreign_key \"fk\" {\n    columns = [\"uid\"]\n    ref_table = \"users\"\n    ref_columns = [\"uid\"]\n  }\n}\n",
			[]wantDiag{{"Unknown column", "schema.hcl:16:20"}}, `Table "users" has no column "uid".`},
		{"fk unknown own column", users + "table \"p\" {\n  column \"uid\" {\n    type = bigint\n    unsigned = true\n  }\n  foreign_key \"fk\" {\n    columns = [\"user_id\"]\n    ref_table = \"users\"\n    ref_columns = [\"id\"]\n  }\n}\n",
			[]wantDiag{{"Unknown column", "schema.hcl:14:16"}}, ""},
		{"fk type mismatch", users + "table \"p\" {\n  column \"uid\" {\n    type = bigint\n  }\n  foreign_key \"fk\" {\n    columns = [\"uid\"]\n    ref_table = \"users\"\n    ref_columns = [\"id\"]\n  }\n}\n",
			[]wantDiag{{"Foreign key type mismatch", "schema.hcl:13:16"}}, "bigint unsigned"},
		{"fk on column with unknown type", users + "table \"p\" {\n  column \"uid\" {\n    type = bigitn\n  }\n  foreign_key \"fk\" {\n    columns = [\"uid\"]\n    ref_table = \"users\"\n    ref_columns = [\"id\"]\n  }\n}\n",
			[]wantDiag{{"Unknown column type", "schema.hcl:10:12"}}, ""},
		{"fk size mismatch", users + "table \"p\" {\n  column \"uid\" {\n    type = \"int unsigned\"\n  }\n  foreign_key \"fk\" {\n    columns = [\"uid\"]\n    ref_table = \"users\"\n    ref_columns = [\"id\"]\n  }\n}\n",
			[]wantDiag{{"Foreign key type mismatch", "schema.hcl:13:16"}}, ""},
		{"fk count mismatch", users + "table \"p\" {\n  column \"uid\" {\n    type = bigint\n    unsigned = true\n  }\n  foreign_key \"fk\" {\n    columns = [\"uid\"]\n    ref_table = \"users\"\n    ref_columns = [\"id\", \"id\"]\n  }\n}\n",
			[]wantDiag{{"Foreign key column count mismatch", "schema.hcl:16:19"}}, ""},
		{"fk bad action", users + "table \"p\" {\n  column \"uid\" {\n    type = bigint\n    unsigned = true\n  }\n  foreign_key \"fk\" {\n    columns = [\"uid\"]\n    ref_table = \"users\"\n    ref_columns = [\"id\"]\n    on_delete = \"DESTROY\"\n  }\n}\n",
			[]wantDiag{{"Invalid value", "schema.hcl:17:17"}}, `"CASCADE"`},
		{"fk missing ref_columns", users + "table \"p\" {\n  column \"uid\" {\n    type = bigint\n    unsigned = true\n  }\n  foreign_key \"fk\" {\n    columns = [\"uid\"]\n    ref_table = \"users\"\n  }\n}\n",
			[]wantDiag{{"Missing required argument", "schema.hcl:13:20"}}, "ref_columns"},
		{"duplicate fk name across tables", users + "table \"p\" {\n  column \"uid\" {\n    type = bigint\n    unsigned = true\n  }\n  foreign_key \"fk\" {\n    columns = [\"uid\"]\n    ref_table = \"users\"\n    ref_columns = [\"id\"]\n  }\n}\ntable \"q\" {\n  column \"uid\" {\n    type = bigint\n    unsigned = true\n  }\n  foreign_key \"fk\" {\n    columns = [\"uid\"]\n    ref_table = \"users\"\n    ref_columns = [\"id\"]\n  }\n}\n",
			[]wantDiag{{"Duplicate foreign key", "schema.hcl:24:15"}}, ""},
		{"columns not a list", "table \"t\" {\n  column \"a\" {\n    type = int\n  }\n  index \"i\" {\n    columns = \"a\"\n  }\n}\n",
			[]wantDiag{{"Incorrect attribute value type", "schema.hcl:6:15"}}, ""},
		{"table without columns", "table \"t\" {\n}\n",
			[]wantDiag{{"Table without columns", "schema.hcl:1:7"}}, ""},
		{"trigger on unknown table", users + "trigger \"x\" {\n  on = \"user\"\n  timing = \"BEFORE\"\n  event = \"INSERT\"\n  body = \"SET @a = 1\"\n}\n",
			[]wantDiag{{"Unknown table", "schema.hcl:9:8"}}, `Did you mean "users"?`},
		{"trigger bad timing", users + "trigger \"x\" {\n  on = \"users\"\n  timing = \"DURING\"\n  event = \"INSERT\"\n  body = \"SET @a = 1\"\n}\n",
			[]wantDiag{{"Invalid value", "schema.hcl:10:12"}}, ""},
		{"view unknown dependency", "view \"v\" {\n  definition = \"select 1\"\n  depends_on = [\"nope\"]\n}\n",
			[]wantDiag{{"Unknown table or view", "schema.hcl:3:17"}}, ""},
		{"view missing definition", "view \"v\" {\n}\n",
			[]wantDiag{{"Missing required argument", "schema.hcl:1:10"}}, ""},
		{"partition bad method", "table \"t\" {\n  column \"a\" {\n    type = int\n  }\n  partition {\n    by = \"ROUND\"\n  }\n}\n",
			[]wantDiag{{"Invalid value", "schema.hcl:6:10"}}, ""},
		{"range without parts", "table \"t\" {\n  column \"a\" {\n    type = int\n  }\n  partition {\n    by = \"RANGE\"\n    expr = \"a\"\n  }\n}\n",
			[]wantDiag{{"Missing partitions", "schema.hcl:6:5"}}, ""},
		{"range columns without parts", "table \"t\" {\n  column \"a\" {\n    type = int\n  }\n  partition {\n    by = \"RANGE COLUMNS\"\n    expr = \"a\"\n  }\n}\n",
			[]wantDiag{{"Missing partitions", "schema.hcl:6:5"}}, ""},
		{"prefix key not a name", "table \"t\" {\n  column \"a\" {\n    type = text\n  }\n  index \"i\" {\n    columns = [\"a\"]\n    prefix = { (1) = 10 }\n  }\n}\n",
			[]wantDiag{{"Invalid prefix", "schema.hcl:7:16"}}, ""},
		{"range part without values", "table \"t\" {\n  column \"a\" {\n    type = int\n  }\n  partition {\n    by = \"RANGE\"\n    expr = \"a\"\n    part \"p0\" {\n    }\n  }\n}\n",
			[]wantDiag{{"Missing partition values", "schema.hcl:8:5"}}, ""},
		{"partitions with range", "table \"t\" {\n  column \"a\" {\n    type = int\n  }\n  partition {\n    by = \"LIST\"\n    expr = \"a\"\n    partitions = 2\n    part \"p0\" {\n      values = \"IN (1)\"\n    }\n  }\n}\n",
			[]wantDiag{{"Conflicting attributes", "schema.hcl:8:5"}}, ""},
		{"sub_expr without sub_by", "table \"t\" {\n  column \"a\" {\n    type = int\n  }\n  partition {\n    by = \"HASH\"\n    expr = \"a\"\n    sub_expr = \"a\"\n  }\n}\n",
			[]wantDiag{{"Conflicting attributes", "schema.hcl:8:5"}}, ""},
		{"bad auto_increment start", "table \"t\" {\n  auto_increment = 0\n  column \"a\" {\n    type = int\n  }\n}\n",
			[]wantDiag{{"Invalid value", "schema.hcl:2:20"}}, ""},
		{"empty primary key", "table \"t\" {\n  column \"a\" {\n    type = int\n  }\n  primary_key = []\n}\n",
			[]wantDiag{{"Empty primary key", "schema.hcl:5:17"}}, ""},
		{"empty index", "table \"t\" {\n  column \"a\" {\n    type = int\n  }\n  index \"i\" {\n    columns = []\n  }\n}\n",
			[]wantDiag{{"Empty key", "schema.hcl:6:15"}}, ""},
		{"several errors at once", "table \"t\" {\n  column \"a\" {\n    type = intt\n  }\n  column \"b\" {\n    type = int\n    colour = 1\n  }\n  primary_key = [\"c\"]\n}\n",
			[]wantDiag{{"Unknown column type", "schema.hcl:3:12"}, {"Unsupported argument", "schema.hcl:7:5"}, {"Unknown column", "schema.hcl:9:18"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := mysqlFiles().LoadSchema(writeFile(t, t.TempDir(), "schema.hcl", tt.src))
			checkDiags(t, diags, tt.want)
			if tt.detail != "" && len(diags) > 0 && !strings.Contains(diags[0].Detail, tt.detail) {
				t.Errorf("detail %q does not contain %q", diags[0].Detail, tt.detail)
			}
		})
	}
}

func TestFiles_WriteDiagnostics(t *testing.T) {
	dir := t.TempDir()
	src := "table \"users\" {\n  column \"id\" {\n    type = bigitn\n  }\n}\n"
	f := mysqlFiles()
	_, diags := f.LoadSchema(writeFile(t, dir, "schema.hcl", src))
	var b strings.Builder
	if err := f.WriteDiagnostics(&b, diags, false); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Error: Unknown column type\n\n",
		`schema.hcl:3:12, in table "users":`,
		"3:     type = bigitn",
		`Did you mean "bigint"?`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	b.Reset()
	_ = f.WriteDiagnostics(&b, diags, true)
	if !strings.Contains(b.String(), "\x1b[") {
		t.Errorf("color output has no escape codes:\n%s", b.String())
	}
	// Files.Format keeps the source, so a syntax error shows its line.
	_, diags = f.Format([]byte("table \"t\" {\n  column \"a\" {\n    type = = int\n  }\n}\n"), "fmt.hcl")
	b.Reset()
	_ = f.WriteDiagnostics(&b, diags, false)
	if !strings.Contains(b.String(), "3:     type = = int") {
		t.Errorf("syntax error without its source line:\n%s", b.String())
	}
	b.Reset()
	_ = f.WriteDiagnostics(&b, diags, true)
	if !strings.Contains(b.String(), "\x1b[") {
		t.Errorf("color output has no escape codes:\n%s", b.String())
	}
}

func TestDiagnosticsJSON(t *testing.T) {
	_, diags := mysqlFiles().LoadSchema(writeFile(t, t.TempDir(), "schema.hcl", "table \"t\" {\n  column \"a\" {\n    type = intt\n  }\n}\n"))
	got := DiagnosticsJSON(append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "w"}))
	if len(got) != 2 {
		t.Fatalf("got %d diagnostics", len(got))
	}
	if g := got[0]; g.Severity != "error" || g.Summary != "Unknown column type" || g.Line != 3 || g.Column != 12 ||
		!strings.HasSuffix(g.Pos, "schema.hcl:3:12") || !strings.HasSuffix(g.File, "schema.hcl") {
		t.Errorf("got %+v", g)
	}
	if g := got[1]; g.Severity != "warning" || g.Pos != "" {
		t.Errorf("got %+v", g)
	}
}
