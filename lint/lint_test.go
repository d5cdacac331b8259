package lint

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/dialect/mysql"
	"github.com/stratadb/strata/dialect/sqlite"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/schema"
)

// mariadb is the dialect most rules are shown on: it states every fact.
var mariadb = mysql.Default()

func col(name, typ string, args ...int) *schema.Column {
	return &schema.Column{Name: name, Type: schema.Type{Name: typ, Args: args}}
}

func idx(name string, kind schema.IndexKind, cols ...string) *schema.Index {
	i := &schema.Index{Name: name, Kind: kind}
	for _, c := range cols {
		i.Parts = append(i.Parts, schema.IndexPart{Column: c})
	}
	return i
}

func pk(cols ...string) *schema.Index { return idx("PRIMARY", schema.IndexUnique, cols...) }

// users is a clean table: every rule stays quiet on it.
func users() *schema.Table {
	return &schema.Table{
		Name:       "users",
		Columns:    []*schema.Column{col("id", "bigint"), col("email", "varchar", 191), col("team_id", "bigint"), col("price", "decimal", 12, 2)},
		PrimaryKey: pk("id"),
		Indexes:    []*schema.Index{idx("users_email_uq", schema.IndexUnique, "email"), idx("users_team_idx", schema.IndexPlain, "team_id", "email")},
		ForeignKeys: []*schema.ForeignKey{{Name: "users_team_fk", Columns: []string{"team_id"}, RefTable: "teams", RefColumns: []string{"id"},
			OnUpdate: "RESTRICT", OnDelete: "CASCADE"}},
		Options: schema.TableOptions{Charset: "utf8mb4", Collate: "utf8mb4_general_ci"},
	}
}

func teams() *schema.Table {
	return &schema.Table{Name: "teams", Columns: []*schema.Column{col("id", "bigint"), col("title", "varchar", 50)}, PrimaryKey: pk("id"),
		Options: schema.TableOptions{Charset: "utf8mb4"}}
}

func rulesFired(fs []Finding) []string {
	var rs []string
	for _, f := range fs {
		rs = append(rs, f.Rule+" "+f.ObjectText())
	}
	return rs
}

func TestRun(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	tests := []struct {
		name   string
		change func(s *schema.Schema) // makes the clean schema bad; nil: stays clean
		plan   *planner.Plan
		want   []string // rule and object of each finding
		text   string   // in the first finding's message
	}{
		{name: "clean schema", want: nil},
		{name: "no primary key", change: func(s *schema.Schema) { s.Tables[1].PrimaryKey = nil },
			// The foreign key to teams then references no unique key.
			want: []string{"fk_without_index foreign key `users_team_fk` of `users`", "no_primary_key table `teams`"}, text: "neither the primary key nor"},
		{name: "duplicate index", change: func(s *schema.Schema) {
			s.Tables[0].Indexes = append(s.Tables[0].Indexes, idx("email_again", schema.IndexPlain, "email"))
		}, want: []string{"duplicate_index index `email_again` of `users`"}, text: "same parts (email) as index `users_email_uq`"},
		{name: "unique index duplicating the primary key", change: func(s *schema.Schema) {
			s.Tables[0].Indexes = append(s.Tables[0].Indexes, idx("id_uq", schema.IndexUnique, "id"))
		}, want: []string{"duplicate_index index `id_uq` of `users`"}, text: "as the primary key"},
		{name: "plain index before a unique one on the same parts", change: func(s *schema.Schema) {
			s.Tables[0].Indexes = append([]*schema.Index{idx("email_plain", schema.IndexPlain, "email")}, s.Tables[0].Indexes...)
		}, want: []string{"duplicate_index index `email_plain` of `users`"}},
		{name: "redundant index", change: func(s *schema.Schema) {
			s.Tables[0].Indexes = append(s.Tables[0].Indexes, idx("team_only", schema.IndexPlain, "team_id"))
		}, want: []string{"redundant_index index `team_only` of `users`"}, text: "leftmost prefix of index `users_team_idx` (team_id, email)"},
		{name: "prefix of the primary key", change: func(s *schema.Schema) {
			s.Tables[0].PrimaryKey = pk("id", "email")
			s.Tables[0].Indexes = append(s.Tables[0].Indexes, idx("by_id", schema.IndexPlain, "id"))
		}, want: []string{"redundant_index index `by_id` of `users`"}},
		{name: "unique prefix is not redundant", change: func(s *schema.Schema) {
			s.Tables[0].Indexes = append(s.Tables[0].Indexes, idx("team_uq", schema.IndexUnique, "team_id"))
		}},
		{name: "column prefix index is not a prefix of a whole-column index", change: func(s *schema.Schema) {
			i := idx("email_p", schema.IndexPlain, "team_id")
			i.Parts[0].Prefix = 4
			s.Tables[0].Indexes = append(s.Tables[0].Indexes, i)
		}},
		{name: "foreign key without an index", change: func(s *schema.Schema) { s.Tables[0].Indexes = s.Tables[0].Indexes[:1] },
			want: []string{"fk_without_index foreign key `users_team_fk` of `users`"}, text: "no index of `users` starts with the columns (team_id)"},
		{name: "foreign key columns in the middle of an index", change: func(s *schema.Schema) {
			s.Tables[0].Indexes[1] = idx("users_team_idx", schema.IndexPlain, "email", "team_id")
		}, want: []string{"fk_without_index foreign key `users_team_fk` of `users`"}},
		{name: "referenced columns not unique", change: func(s *schema.Schema) {
			s.Tables[0].ForeignKeys[0].RefColumns = []string{"title"}
		}, want: []string{"fk_without_index foreign key `users_team_fk` of `users`"}, text: "neither the primary key nor a unique index of `teams`"},
		{name: "reserved words", change: func(s *schema.Schema) {
			s.Tables[1].Name = "order"
			s.Tables[0].ForeignKeys[0].RefTable = "order"
			s.Tables[0].Columns = append(s.Tables[0].Columns, col("Key", "int"))
			s.Views = []*schema.View{{Name: "select"}}
		}, want: []string{"reserved_word column `users`.`Key`", "reserved_word table `order`", "reserved_word view `select`"}, text: "reserved word KEY"},
		{name: "non-reserved keywords are fine", change: func(s *schema.Schema) {
			s.Tables[0].Columns = append(s.Tables[0].Columns, col("status", "int"), col("name", "int"), col("date", "date"))
		}},
		{name: "non-utf8mb4 table and column", change: func(s *schema.Schema) {
			s.Tables[1].Options.Charset = "latin1"
			c := col("code", "varchar", 10)
			c.Charset = "ascii"
			s.Tables[0].Columns = append(s.Tables[0].Columns, c)
		}, want: []string{"non_utf8mb4 column `users`.`code`", "non_utf8mb4 table `teams`"}, text: "character set ascii"},
		{name: "binary charset is not text", change: func(s *schema.Schema) {
			c := col("hash", "varbinary", 32)
			c.Charset = "binary"
			s.Tables[0].Columns = append(s.Tables[0].Columns, c)
		}},
		{name: "float money", change: func(s *schema.Schema) {
			s.Tables[0].Columns = append(s.Tables[0].Columns, col("unitPrice", "double"), col("fee_cents", "float"), col("latitude", "double"))
		}, want: []string{"float_money column `users`.`unitPrice`", "float_money column `users`.`fee_cents`"}, text: "use decimal"},
		{name: "zero date default", change: func(s *schema.Schema) {
			c := col("born", "datetime")
			c.Default = "'0000-00-00 00:00:00'"
			s.Tables[0].Columns = append(s.Tables[0].Columns, c)
		}, want: []string{"zero_date_default column `users`.`born`"}, text: "NO_ZERO_DATE"},
		{name: "plan hazards", plan: &planner.Plan{Steps: []*planner.Step{
			{Change: &schema.DropTable{T: &schema.Table{Name: "old"}}, Hazards: []planner.Hazard{
				{Kind: planner.Destructive, Message: "drops table `old` and all its rows", Rows: n(1234)},
				{Kind: planner.Irreversible, Message: "irrelevant"},
			}},
			{Change: &schema.AlterTable{From: users(), To: users()}, Hazards: []planner.Hazard{
				{Kind: planner.DataDependent, Message: "fails if `users`.`email` holds NULL values", Rows: n(3)},
				{Kind: planner.Locking, Message: "rebuilds"},
			}},
		}}, want: []string{"destructive_change table `old`", "data_dependent_change table `users`"}, text: "drops table `old` and all its rows (1,234 rows)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &schema.Schema{Tables: []*schema.Table{users(), teams()}}
			if tt.change != nil {
				tt.change(s)
			}
			fs := Run(Input{Schema: s, Plan: tt.plan, Dialect: mariadb}, Config{})
			if got := rulesFired(fs); !slices.Equal(got, tt.want) {
				t.Fatalf("findings:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if tt.text != "" && !strings.Contains(fs[0].Message, tt.text) {
				t.Errorf("message %q lacks %q", fs[0].Message, tt.text)
			}
		})
	}
}

func TestRun_Severity(t *testing.T) {
	s := &schema.Schema{Tables: []*schema.Table{{Name: "logs", Columns: []*schema.Column{col("total", "float")}}}}
	tests := []struct {
		name  string
		over  map[string]Severity
		want  []Severity
		error bool
	}{
		{"defaults", nil, []Severity{Error, Warning}, true},
		{"error rule off", map[string]Severity{NoPrimaryKey: Off}, []Severity{Warning}, false},
		{"warning raised to error", map[string]Severity{NoPrimaryKey: Warning, FloatMoney: Error}, []Severity{Warning, Error}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := Run(Input{Schema: s}, Config{Severity: tt.over})
			var got []Severity
			for _, f := range fs {
				got = append(got, f.Severity)
			}
			if !slices.Equal(got, tt.want) || HasErrors(fs) != tt.error {
				t.Errorf("severities %v (errors %v), want %v (errors %v)", got, HasErrors(fs), tt.want, tt.error)
			}
		})
	}
}

func TestRun_PlanSeverity(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	s := &schema.Schema{Tables: []*schema.Table{users(), teams()}}
	step := func(rows *int64) *planner.Step {
		return &planner.Step{Change: &schema.AlterTable{From: users(), To: users()}, Hazards: []planner.Hazard{{Kind: planner.DataDependent,
			Message: "fails if `users`.`email` holds NULL values (NULL → NOT NULL)", Rows: rows,
			Check: &planner.DataCheck{Kind: planner.CountNulls, Table: "users", Columns: []string{"email"}}}}}
	}
	tests := []struct {
		name string
		rows *int64
		sev  Severity
		msg  string
	}{
		{"not counted", nil, Warning, "fails if `users`.`email` holds NULL values (NULL → NOT NULL)"},
		{"no rows to blame", n(0), Warning, "fails if `users`.`email` holds NULL values (NULL → NOT NULL) (0 rows)"},
		{"will fail", n(3), Error, "will fail: 3 rows of `users` have NULL in `email`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := Run(Input{Schema: s, Plan: &planner.Plan{Steps: []*planner.Step{step(tt.rows)}, Rules: mariadb}}, Config{})
			if len(fs) != 1 || fs[0].Severity != tt.sev || !strings.HasPrefix(fs[0].Message, tt.msg) {
				t.Errorf("findings %+v, want one %s starting %q", fs, tt.sev, tt.msg)
			}
		})
	}
	fs := Run(Input{Schema: s, Plan: &planner.Plan{Steps: []*planner.Step{step(n(3))}}}, Config{Severity: map[string]Severity{DataDependentChange: Off}})
	if len(fs) != 0 {
		t.Errorf("rule off still reports %+v", fs)
	}
}

func TestRun_NormalizedModel(t *testing.T) {
	// Declared without a charset; the normalized model has the server's.
	declared := &schema.Schema{Tables: []*schema.Table{{Name: "t", Columns: []*schema.Column{col("id", "int")}, PrimaryKey: pk("id")}}}
	norm := &schema.Schema{Tables: []*schema.Table{{Name: "t", Columns: []*schema.Column{col("id", "int")}, PrimaryKey: pk("id"),
		Options: schema.TableOptions{Charset: "latin1"}}}}
	fs := Run(Input{Schema: declared, Normalized: norm, Dialect: mariadb}, Config{})
	if got := rulesFired(fs); !slices.Equal(got, []string{"non_utf8mb4 table `t`"}) {
		t.Errorf("findings %q, want the normalized charset reported", got)
	}
}

func TestRun_Positions(t *testing.T) {
	s := &schema.Schema{Tables: []*schema.Table{{Name: "a"}, {Name: "b"}}}
	pos := map[string]*Position{"a": {File: "schema.hcl", Line: 9, Column: 7}, "b": {File: "schema.hcl", Line: 1, Column: 7}}
	fs := Run(Input{Schema: s, Dialect: mariadb}, Config{Position: func(o Object) *Position { return pos[o.Name] }})
	Sort(fs)
	var b bytes.Buffer
	if err := WriteText(&b, fs); err != nil {
		t.Fatal(err)
	}
	want := "schema.hcl:1:7: error: table `b` has no primary key: declare primary_key = [...] [no_primary_key]\n" +
		"schema.hcl:9:7: error: table `a` has no primary key: declare primary_key = [...] [no_primary_key]\n\n2 errors, 0 warnings.\n"
	if b.String() != want {
		t.Errorf("text:\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriteJSON(t *testing.T) {
	for _, tt := range []struct {
		name string
		fs   []Finding
	}{
		{"empty", nil},
		{"one", []Finding{{Rule: NoPrimaryKey, Severity: Error, Object: Object{Type: ObjTable, Name: "a"}, Message: "m",
			Pos: &Position{File: "s.hcl", Line: 1, Column: 2}}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteJSON(&b, tt.fs); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				FormatVersion string `json:"format_version"`
				Errors        int
				Findings      []map[string]any
			}
			if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.FormatVersion != "1" || doc.Findings == nil || len(doc.Findings) != len(tt.fs) || doc.Errors != len(tt.fs) {
				t.Errorf("doc %s", b.String())
			}
			if len(tt.fs) > 0 && !strings.Contains(b.String(), `"position": {`) {
				t.Errorf("no position in %s", b.String())
			}
		})
	}
}

func TestWriteMarkdown(t *testing.T) {
	fs := Run(Input{Schema: &schema.Schema{Tables: []*schema.Table{{Name: "t", Columns: []*schema.Column{col("total", "float")}, PrimaryKey: pk("total")}}},
		Dialect: mariadb}, Config{})
	if len(fs) != 1 {
		t.Fatalf("findings %+v, want the float money", fs)
	}
	fs[0].Message = "a | b"
	var b bytes.Buffer
	if err := WriteMarkdown(&b, fs); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| ⚠️ warning | `float_money` | `` column `t`.`total` `` | a \\| b |  |", "**0 errors, 1 warning.**"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, b.String())
		}
	}
}

func TestParseSeverity(t *testing.T) {
	for in, want := range map[string]Severity{"error": Error, "Warning": Warning, " off ": Off} {
		if got, ok := ParseSeverity(in); !ok || got != want {
			t.Errorf("ParseSeverity(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := ParseSeverity("fatal"); ok {
		t.Error("ParseSeverity(fatal) accepted")
	}
}

// TestRun_dialects shows the rules about a server following the dialect's
// facts: one schema with a reserved word, a latin1 table, a zero date and
// a foreign key without an index, linted for MariaDB, SQLite and no
// dialect.
func TestRun_dialects(t *testing.T) {
	bad := func() *schema.Schema {
		s := &schema.Schema{Tables: []*schema.Table{users(), teams()}}
		s.Tables[0].Indexes = s.Tables[0].Indexes[:1]
		s.Tables[1].Name, s.Tables[0].ForeignKeys[0].RefTable = "order", "order"
		s.Tables[1].Options.Charset = "latin1"
		c := col("born", "datetime")
		c.Default = "'0000-00-00'"
		s.Tables[0].Columns = append(s.Tables[0].Columns, c)
		return s
	}
	for _, tt := range []struct {
		name string
		d    dialect.Dialect
		want []string // rule, object and message of each finding
	}{
		{"mariadb", mariadb, []string{
			"fk_without_index foreign key `users_team_fk` of `users`: no index of `users` starts with the columns (team_id) of foreign key `users_team_fk`: MySQL and MariaDB create one named `users_team_fk` implicitly; declare it so that the schema shows it",
			"zero_date_default column `users`.`born`: column `users`.`born` defaults to the zero date '0000-00-00': MySQL refuses it under its default sql_mode (NO_ZERO_DATE) and most clients cannot read it; make the column nullable with DEFAULT NULL or use a real date",
			"reserved_word table `order`: table `order` is named after the reserved word ORDER: it must be quoted in every statement; choose another name",
			"non_utf8mb4 table `order`: table `order` uses character set latin1, which cannot hold every character (emoji, many CJK characters): use utf8mb4",
		}},
		{"sqlite", sqlite.New(), []string{
			`fk_without_index foreign key "users_team_fk" of "users": no index of "users" starts with the columns (team_id) of foreign key "users_team_fk": deleting or updating a row of "order" then scans "users" for its references; declare one`,
		}},
		{"no dialect", nil, []string{
			`fk_without_index foreign key "users_team_fk" of "users": no index of "users" starts with the columns (team_id) of foreign key "users_team_fk": deleting or updating a row of "order" then scans "users" for its references; declare one`,
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range Run(Input{Schema: bad(), Dialect: tt.d}, Config{}) {
				got = append(got, f.Rule+" "+f.ObjectText()+": "+f.Message)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("findings:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
