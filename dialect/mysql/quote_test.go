package mysql

import (
	"context"
	"database/sql"
	"testing"

	"github.com/stratadb/strata/internal/testdb"
	"github.com/stratadb/strata/schema"
)

// trickyNames are identifiers that must survive quoting.
var trickyNames = []string{
	"plain", "select", "order", "with space", "back`tick", "``", "it's", `dq"x`,
	"dash--comment", "slash/*star", "new\nline", "tab\there", "ünïcødé", "表",
	`back\slash`, "semi;colon", "1starts_with_digit",
}

func TestQuoteIdent(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a", "`a`"},
		{"select", "`select`"},
		{"a b", "`a b`"},
		{"a`b", "`a``b`"},
		{"``", "``````"},
		{"new\nline", "`new\nline`"},
		{"ü", "`ü`"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := QuoteIdent(tc.in); got != tc.want {
				t.Errorf("QuoteIdent(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestQuoteString(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "abc", "'abc'"},
		{"empty", "", "''"},
		{"quote", "it's", "'it''s'"},
		{"backslash", `a\b`, `'a\\b'`},
		{"newline", "a\nb", `'a\nb'`},
		{"cr", "a\rb", `'a\rb'`},
		{"nul", "a\x00b", `'a\0b'`},
		{"tab stays raw", "a\tb", "'a\tb'"},
		{"ctrl-z stays raw", "a\x1ab", "'a\x1ab'"},
		{"double quote", `"x"`, `'"x"'`},
		{"NULL word", "NULL", "'NULL'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := QuoteString(tc.in); got != tc.want {
				t.Errorf("QuoteString(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestColumnTypeSQL(t *testing.T) {
	for _, tc := range []struct {
		want string
		t    schema.Type
	}{
		{"int(11)", schema.Type{Name: "int", Args: []int{11}}},
		{"int(10) unsigned", schema.Type{Name: "int", Args: []int{10}, Unsigned: true}},
		{"int(10) unsigned zerofill", schema.Type{Name: "int", Args: []int{10}, Zerofill: true}},
		{"int", schema.Type{Name: "int"}},
		{"decimal(10,2)", schema.Type{Name: "decimal", Args: []int{10, 2}}},
		{"varchar(191)", schema.Type{Name: "varchar", Args: []int{191}}},
		{"datetime(3)", schema.Type{Name: "datetime", Args: []int{3}}},
		{"enum('a','it''s','x,y','b\\\\s')", schema.Type{Name: "enum", Values: []string{"a", "it's", "x,y", `b\s`}}},
		{"set('r','w')", schema.Type{Name: "set", Values: []string{"r", "w"}}},
		{"longtext", schema.Type{Name: "longtext"}},
		{"double(10,2) unsigned", schema.Type{Name: "double", Args: []int{10, 2}, Unsigned: true}},
	} {
		t.Run(tc.want, func(t *testing.T) {
			if got := ColumnTypeSQL(tc.t); got != tc.want {
				t.Errorf("ColumnTypeSQL(%+v) = %q, want %q", tc.t, got, tc.want)
			}
		})
	}
}

// TestQuoteIdent_Server creates tables and columns with awkward names and
// reads the names back.
func TestQuoteIdent_Server(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	for _, name := range trickyNames {
		t.Run(name, func(t *testing.T) {
			db.Exec(t, "CREATE TABLE "+QuoteIdent(name)+" ("+QuoteIdent(name)+" int)")
			var tbl, col string
			err := db.QueryRowContext(ctx, "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
				db.Name, name).Scan(&tbl, &col)
			if err != nil {
				t.Fatalf("read back %q: %v", name, err)
			}
			if tbl != name || col != name {
				t.Errorf("got table %q column %q, want %q", tbl, col, name)
			}
		})
	}
}

// TestQuoteString_Server checks that QuoteString is read back as the same
// string, and that it is exactly the server's COLUMN_DEFAULT form.
func TestQuoteString_Server(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	for i, s := range []string{
		"abc", "", "it's", `a\b`, "a\nb", "a\rb", "a\x00b", "a\tb", "a\x1ab", `"x"`, "NULL",
		"--", "/* x */", "ünï", "''", `\'`, `\\`, "%_",
	} {
		t.Run(QuoteString(s), func(t *testing.T) {
			var got string
			if err := db.QueryRowContext(ctx, "SELECT "+QuoteString(s)).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != s {
				t.Errorf("SELECT %s = %q, want %q", QuoteString(s), got, s)
			}
			tbl := "t" + itoa(int64(i))
			db.Exec(t, "CREATE TABLE "+tbl+" (c varchar(20) DEFAULT "+QuoteString(s)+" COMMENT "+QuoteString(s)+")")
			var def sql.NullString
			var comment string
			err := db.QueryRowContext(ctx, "SELECT COLUMN_DEFAULT, COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
				db.Name, tbl).Scan(&def, &comment)
			if err != nil {
				t.Fatal(err)
			}
			if def.String != QuoteString(s) {
				t.Errorf("COLUMN_DEFAULT = %q, want %q", def.String, QuoteString(s))
			}
			if comment != s {
				t.Errorf("COLUMN_COMMENT = %q, want %q", comment, s)
			}
		})
	}
}
