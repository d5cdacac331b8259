package sqlite

import (
	"testing"

	"github.com/stratadb/strata/schema"
)

func col(name, typ string, args ...int) *schema.Column {
	return &schema.Column{Name: name, Type: schema.Type{Name: typ, Args: args}}
}

func nullable(c *schema.Column) *schema.Column { c.Null = true; return c }

func withDefault(c *schema.Column, d string) *schema.Column { c.Default = d; return c }

func pk(cols ...string) *schema.Index {
	idx := &schema.Index{Name: "PRIMARY"}
	for _, c := range cols {
		idx.Parts = append(idx.Parts, schema.IndexPart{Column: c})
	}
	return idx
}

func index(name string, unique bool, cols ...string) *schema.Index {
	idx := pk(cols...)
	idx.Name = name
	if unique {
		idx.Kind = schema.IndexUnique
	}
	return idx
}

// desiredModels are models as the HCL loader produces them for MySQL users:
// MySQL type names, MariaDB-style literals, options SQLite does not have.
func desiredModels() map[string]*schema.Schema {
	return map[string]*schema.Schema{
		"quick start": {
			Charset: "utf8mb4", Collate: "utf8mb4_general_ci",
			Tables: []*schema.Table{
				{
					Name:    "users",
					Options: schema.TableOptions{Comment: "Registered accounts", Engine: "InnoDB", Charset: "utf8mb4", AutoIncrement: 100},
					Columns: []*schema.Column{
						{Name: "id", Type: schema.Type{Name: "bigint", Unsigned: true}, AutoIncrement: true},
						{Name: "email", Type: schema.Type{Name: "varchar", Args: []int{191}}, Collate: "utf8mb4_bin", Charset: "utf8mb4"},
						{Name: "display_name", Type: schema.Type{Name: "varchar", Args: []int{100}}, Null: true, Comment: "shown"},
						{Name: "status", Type: schema.Type{Name: "enum", Values: []string{"active", "disabled", "it's"}}, Default: "'active'"},
						{Name: "created_at", Type: schema.Type{Name: "datetime", Args: []int{3}}, Default: "CURRENT_TIMESTAMP(3)",
							OnUpdate: "CURRENT_TIMESTAMP(3)"},
					},
					PrimaryKey: pk("id"),
					Indexes:    []*schema.Index{index("users_email_uq", true, "email")},
				},
				{
					Name: "posts",
					Columns: []*schema.Column{
						{Name: "id", Type: schema.Type{Name: "bigint", Unsigned: true}, AutoIncrement: true},
						{Name: "author_id", Type: schema.Type{Name: "bigint", Unsigned: true}},
					},
					PrimaryKey: pk("id"),
					ForeignKeys: []*schema.ForeignKey{{Name: "posts_author_fk", Columns: []string{"author_id"},
						RefTable: "users", RefColumns: []string{"id"}, OnDelete: "cascade"}},
				},
			},
		},
		"types and literal defaults": {
			Tables: []*schema.Table{{
				Name: "t",
				Columns: []*schema.Column{
					col("id", "int"),
					withDefault(nullable(col("flag", "tinyint", 1)), "1"),
					withDefault(nullable(col("price", "decimal", 10, 2)), "1.50"),
					withDefault(nullable(col("qty", "int")), "'7'"),
					withDefault(nullable(col("neg", "int")), "-1"),
					nullable(col("ratio", "double")),
					nullable(col("f", "float")),
					nullable(col("doc", "json")),
					nullable(col("raw", "blob")),
					withDefault(nullable(col("day", "date")), "CURRENT_DATE"),
					withDefault(nullable(col("at", "timestamp")), "current_timestamp()"),
					nullable(col("yr", "year")),
					withDefault(col("code", "char", 2), "'XX'"),
					nullable(col("uuid", "binary", 16)),
					withDefault(nullable(col("note", "text")), `'a\\b\nc''d'`),
					withDefault(nullable(col("bits", "bit", 3)), "b'101'"),
					withDefault(nullable(col("expr", "int")), "(1 + 2)"),
					withDefault(nullable(col("lowered", "varchar", 10)), "lower('X')"),
					withDefault(nullable(col("nothing", "text")), "NULL"),
					withDefault(nullable(col("yes", "boolean")), "TRUE"),
					{Name: "big", Type: schema.Type{Name: "bigint", Args: []int{20}, Unsigned: true, Zerofill: true}, Null: true},
					{Name: "tags", Type: schema.Type{Name: "set", Values: []string{"a", "b"}}, Null: true},
				},
				PrimaryKey: pk("id"),
			}},
		},
		"generated columns and checks": {
			Tables: []*schema.Table{{
				Name: "g",
				Columns: []*schema.Column{
					col("a", "int"),
					col("b", "int"),
					{Name: "s", Type: schema.Type{Name: "int"}, Null: true, Generated: &schema.Generated{Expr: "(`a` + `b`)", Stored: true}},
					{Name: "v", Type: schema.Type{Name: "int"}, Null: true, Generated: &schema.Generated{Expr: "a * 2"}},
					{Name: "c", Type: schema.Type{Name: "varchar", Args: []int{5}}, Null: true, Check: "(length(c) > 1)"},
					{Name: "e", Type: schema.Type{Name: "enum", Values: []string{"x", "y"}}, Null: true, Check: "e <> 'y'"},
				},
				Checks: []*schema.Check{{Name: "a_pos", Expr: "(a > 0)"}, {Expr: "b >= a"}},
			}},
		},
		"composite keys, without rowid, strict": {
			Tables: []*schema.Table{
				{
					Name: "kv",
					Columns: []*schema.Column{
						col("ns", "varchar", 10), col("k", "varchar", 50),
						nullable(col("val", "decimal", 10, 2)), nullable(col("n", "bigint")),
					},
					PrimaryKey: pk("ns", "k"),
					Options:    schema.TableOptions{Extra: "STRICT, WITHOUT ROWID"},
				},
				{
					Name: "r",
					Columns: []*schema.Column{
						col("id", "integer"), nullable(col("ns", "varchar", 10)), nullable(col("k", "varchar", 50)),
						nullable(col("parent", "integer")),
					},
					PrimaryKey: pk("id"),
					ForeignKeys: []*schema.ForeignKey{
						{Name: "r_kv", Columns: []string{"ns", "k"}, RefTable: "kv", RefColumns: []string{"ns", "k"},
							OnUpdate: "SET NULL", OnDelete: "RESTRICT"},
						{Name: "r_parent", Columns: []string{"parent"}, RefTable: "r", RefColumns: []string{"id"}},
					},
					Indexes: []*schema.Index{
						{Name: "r_expr", Parts: []schema.IndexPart{{Expr: "(lower(k))"}, {Column: "id", Desc: true}}},
						{Name: "r_prefix", Kind: schema.IndexFulltext, Parts: []schema.IndexPart{{Column: "k", Prefix: 10}}, Comment: "x"},
					},
				},
			},
		},
		"views and triggers": {
			Tables: []*schema.Table{
				{Name: "a", Columns: []*schema.Column{col("id", "int"), nullable(col("n", "int"))}, PrimaryKey: pk("id")},
				{Name: "log", Columns: []*schema.Column{nullable(col("msg", "text"))}},
			},
			Views: []*schema.View{
				{Name: "big", Definition: "select id, n from a where n > 10;", Algorithm: "MERGE", Security: "INVOKER"},
				{Name: "bigger", Definition: "SELECT id FROM big WHERE n > 100"},
			},
			Triggers: []*schema.Trigger{
				{Name: "a_ai", Table: "a", Timing: "after", Event: "insert", Body: "INSERT INTO log (msg) VALUES ('added')", Order: 1},
				{Name: "a_bu", Table: "a", Timing: "BEFORE", Event: "UPDATE",
					Body: "WHEN new.n < 0 BEGIN SELECT RAISE(ABORT, 'negative'); END"},
			},
		},
	}
}

func addAll(s *schema.Schema) []schema.Change {
	var cs []schema.Change
	for _, t := range s.Tables {
		cs = append(cs, &schema.AddTable{T: t})
	}
	for _, v := range s.Views {
		cs = append(cs, &schema.AddView{V: v})
	}
	for _, t := range s.Triggers {
		cs = append(cs, &schema.AddTrigger{T: t})
	}
	return cs
}

// TestDialect_Generate_Converges creates every model, inspects it and
// expects exactly the normalized model back.
func TestDialect_Generate_Converges(t *testing.T) {
	for name, desired := range desiredModels() {
		t.Run(name, func(t *testing.T) {
			d := New()
			want := clone(desired)
			if err := d.Normalize(want); err != nil {
				t.Fatal(err)
			}
			again := clone(want)
			if err := d.Normalize(again); err != nil {
				t.Fatal(err)
			}
			if canon(again) != canon(want) {
				t.Errorf("Normalize is not idempotent:\n%s\n%s", canon(want), canon(again))
			}
			db := openTemp(t)
			stmts, err := applyChanges(t, d, db, addAll(want)...)
			if err != nil {
				t.Fatalf("apply: %v\n%v", err, stmts)
			}
			got := inspect(t, d, db)
			sameSchema(t, got, want)
			if name == "quick start" {
				// AutoIncrement 100 seeds the counter.
				execAll(t, db, "INSERT INTO users (email) VALUES ('a@example.com')")
				if got := dump(t, db, "SELECT id FROM users"); got != "[100]\n" {
					t.Errorf("first id = %s, want 100", got)
				}
			}
			if got.Hash() != want.Hash() {
				t.Errorf("hash differs")
			}
		})
	}
}

// TestDialect_Normalize checks single rules of the canonical form.
func TestDialect_Normalize(t *testing.T) {
	tests := []struct {
		name string
		in   *schema.Column
		want *schema.Column
	}{
		{"bool stays bool", col("b", "BOOL"), col("b", "bool")},
		{"unsigned dropped", &schema.Column{Name: "u", Type: schema.Type{Name: "int", Args: []int{10}, Unsigned: true}},
			col("u", "int", 10)},
		{"string default in model form", withDefault(col("s", "text"), `'a\\b'`), withDefault(col("s", "text"), `'a\\b'`)},
		{"quoted number on numeric column", withDefault(col("n", "decimal", 5, 2), "'1.5'"), withDefault(col("n", "decimal", 5, 2), "1.5")},
		{"quoted number on text column", withDefault(col("s", "varchar", 5), "'1.5'"), withDefault(col("s", "varchar", 5), "'1.5'")},
		{"now()", withDefault(col("t", "datetime"), "now()"), withDefault(col("t", "datetime"), "CURRENT_TIMESTAMP")},
		{"expression gets parentheses", withDefault(col("x", "int"), "abs(-1)"), withDefault(col("x", "int"), "(abs(-1))")},
		{"double parentheses", withDefault(col("x", "int"), "((1))"), withDefault(col("x", "int"), "1")},
		{"null default", withDefault(nullable(col("x", "int")), "null"), nullable(col("x", "int"))},
		{"false", withDefault(col("x", "int"), "false"), withDefault(col("x", "int"), "0")},
		{"hex blob", withDefault(col("x", "blob"), "X'AB'"), withDefault(col("x", "blob"), "x'ab'")},
		{"nocase kept", &schema.Column{Name: "c", Type: schema.Type{Name: "text"}, Collate: "nocase"},
			&schema.Column{Name: "c", Type: schema.Type{Name: "text"}, Collate: "NOCASE"}},
		{"binary collation is the default", &schema.Column{Name: "c", Type: schema.Type{Name: "text"}, Collate: "BINARY"},
			col("c", "text")},
		{"enum", &schema.Column{Name: "e", Type: schema.Type{Name: "ENUM", Values: []string{"a", "b'c"}}},
			&schema.Column{Name: "e", Type: schema.Type{Name: "text"}, Check: `"e" IN ('a', 'b''c')`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &schema.Schema{Tables: []*schema.Table{{Name: "t", Columns: []*schema.Column{tt.in}}}}
			if err := New().Normalize(s); err != nil {
				t.Fatal(err)
			}
			want := &schema.Schema{Tables: []*schema.Table{{Name: "t", Columns: []*schema.Column{tt.want}}}}
			sameSchema(t, s, want)
		})
	}

	t.Run("auto_increment outside the primary key", func(t *testing.T) {
		s := &schema.Schema{Tables: []*schema.Table{{Name: "t",
			Columns:    []*schema.Column{{Name: "id", Type: schema.Type{Name: "int"}, AutoIncrement: true}, col("x", "int")},
			PrimaryKey: pk("id", "x")}}}
		if err := New().Normalize(s); err == nil {
			t.Error("no error")
		}
	})
}
