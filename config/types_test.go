package config

import (
	"strings"
	"testing"

	"github.com/stratadb/strata/dialect/mysql"
	"github.com/stratadb/strata/dialect/sqlite"
	"github.com/stratadb/strata/schema"
)

// mysqlFiles is a file set that checks types as a MySQL/MariaDB
// environment does.
func mysqlFiles() *Files {
	f := NewFiles()
	f.Types = mysql.Types()
	return f
}

// TestFiles_LoadSchema_typesOfTheDialect: a type is checked against the
// catalogue of the dialect in use, and the message names that dialect.
func TestFiles_LoadSchema_typesOfTheDialect(t *testing.T) {
	col := func(typ string) string {
		return "table \"t\" {\n  column \"a\" {\n    type = " + typ + "\n  }\n}\n"
	}
	tests := []struct {
		name    string
		types   *schema.Types
		typ     string
		wantErr string // "" when accepted
	}{
		{"mysql unknown", mysql.Types(), "money", `"money" is not a MySQL/MariaDB column type.`},
		{"mysql typo", mysql.Types(), "varchr(5)", `"varchr" is not a MySQL/MariaDB column type. Did you mean "varchar"?`},
		{"sqlite unknown", sqlite.Types(), "money", `"money" is not a SQLite column type.`},
		{"sqlite typo", sqlite.Types(), "intger", `"intger" is not a SQLite column type. Did you mean "integer"?`},
		{"clob is SQLite's", sqlite.Types(), "clob", ""},
		{"clob is not MySQL's", mysql.Types(), "clob", `"clob" is not a MySQL/MariaDB column type.`},
		{"any is not MySQL's", mysql.Types(), "any", `"any" is not a MySQL/MariaDB column type.`},
		{"MySQL names load on SQLite", sqlite.Types(), "varchar(20)", ""},
		{"sqlite varchar needs a length", sqlite.Types(), "varchar", "varchar needs a length"},
		{"no catalogue takes the name", nil, "money(3)", ""},
		{"no catalogue still reads members", nil, `enum("a", "b")`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := NewFiles()
			f.Types = tt.types
			s, diags := f.LoadSchema(writeFile(t, t.TempDir(), "schema.hcl", col(tt.typ)))
			if tt.wantErr == "" {
				if diags.HasErrors() {
					t.Fatalf("type %s: %v", tt.typ, diags)
				}
				if got := s.Tables[0].Columns[0].Type.Name; got == "" {
					t.Errorf("type %s loaded as an empty type", tt.typ)
				}
				return
			}
			if !diags.HasErrors() || !strings.Contains(diags[0].Detail, tt.wantErr) {
				t.Fatalf("type %s: diagnostics %v, want detail %q", tt.typ, diags, tt.wantErr)
			}
		})
	}
}

// TestTypes_catalogues: a schema written for MySQL/MariaDB loads on SQLite
// (SQLite reads every MySQL type by its affinity), and SQLite's own
// spellings are SQLite's only.
func TestTypes_catalogues(t *testing.T) {
	my, lite := mysql.Types(), sqlite.Types()
	for _, n := range my.Names() {
		ms, _ := my.Lookup(n)
		ls, ok := lite.Lookup(n)
		if !ok {
			t.Errorf("MySQL type %q is not in SQLite's catalogue", n)
		} else if ms != ls {
			t.Errorf("type %q: MySQL takes %+v, SQLite %+v", n, ms, ls)
		}
	}
	var own []string
	for _, n := range lite.Names() {
		if _, ok := my.Lookup(n); !ok {
			own = append(own, n)
		}
	}
	if got, want := strings.Join(own, ","), "any,big int,clob,native character,varying character"; got != want {
		t.Errorf("SQLite's own type names = %s, want %s", got, want)
	}
}
