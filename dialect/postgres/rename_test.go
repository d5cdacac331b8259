package postgres_test

import (
	"strings"
	"testing"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/dialect/postgres"
	"github.com/stratadb/strata/schema"
)

// TestDialect_GenerateRenameTable: a rename to another schema moves the
// table first; a new name renames what PostgreSQL named after the table
// (a serial's sequence, a primary key of the default name) with it.
func TestDialect_GenerateRenameTable(t *testing.T) {
	tbl := &schema.Table{Name: "a.t", Columns: []*schema.Column{
		{Name: "id", Type: schema.Type{Name: "serial"}},
		{Name: "n", Type: schema.Type{Name: "integer"}},
	}, PrimaryKey: &schema.Index{Name: "PRIMARY", Parts: []schema.IndexPart{{Column: "id"}}}}
	for _, tc := range []struct {
		from, to string
		want     []string
	}{
		{"a.t", "b.t", []string{`ALTER TABLE "a"."t" SET SCHEMA "b"`}},
		{"a.t", "b.u", []string{`ALTER TABLE "a"."t" SET SCHEMA "b"`, `ALTER TABLE "b"."t" RENAME TO "u"`,
			`ALTER SEQUENCE "b"."t_id_seq" RENAME TO "u_id_seq"`, `ALTER INDEX "b"."t_pkey" RENAME TO "u_pkey"`}},
		{"a.t", "a.u", []string{`ALTER TABLE "a"."t" RENAME TO "u"`,
			`ALTER SEQUENCE "a"."t_id_seq" RENAME TO "u_id_seq"`, `ALTER INDEX "a"."t_pkey" RENAME TO "u_pkey"`}},
		{"a.t", "t", []string{`ALTER TABLE "a"."t" SET SCHEMA "public"`}},
		{"t", "public.t", nil},
	} {
		stmts, err := postgres.Default().Generate(&schema.RenameTable{From: tc.from, To: tc.to, T: tbl}, dialect.GenOptions{})
		if err != nil {
			t.Fatalf("%s to %s: %v", tc.from, tc.to, err)
		}
		var got []string
		for _, s := range stmts {
			got = append(got, s.SQL)
		}
		if strings.Join(got, ";\n") != strings.Join(tc.want, ";\n") {
			t.Errorf("%s to %s:\n%s\nwant\n%s", tc.from, tc.to, strings.Join(got, ";\n"), strings.Join(tc.want, ";\n"))
		}
	}
}

// TestDialect_NormalizeRenamedFrom: renamed_from may name the current
// schema; the model names its tables bare.
func TestDialect_NormalizeRenamedFrom(t *testing.T) {
	s := &schema.Schema{Tables: []*schema.Table{{Name: "u", RenamedFrom: "public.t"}, {Name: "b.u", RenamedFrom: "a.t"}}}
	if err := postgres.Default().Normalize(s); err != nil {
		t.Fatal(err)
	}
	if s.Tables[0].RenamedFrom != "t" || s.Tables[1].RenamedFrom != "a.t" {
		t.Errorf("renamed_from %q, %q", s.Tables[0].RenamedFrom, s.Tables[1].RenamedFrom)
	}
}
