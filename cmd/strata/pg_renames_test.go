package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stratadb/strata/internal/pgtestdb"
)

// pgMoveBefore has a table in schema a with a serial key, an index and a
// table of another schema that references it.
const pgMoveBefore = `
object "schema" "a" {
  definition = "CREATE SCHEMA a"
}
object "schema" "b" {
  definition = "CREATE SCHEMA b"
}
table "a.t" {
  column "id" {
    type = serial
  }
  column "v" {
    type = text
  }
  primary_key = ["id"]
  index "t_v_idx" {
    columns = ["v"]
  }
}
table "refs" {
  column "t_id" {
    type = integer
  }
  foreign_key "refs_t_fk" {
    columns     = ["t_id"]
    ref_table   = "a.t"
    ref_columns = ["id"]
  }
}
`

// TestPostgres_tableMovesSchema: a table whose renamed_from names a table
// of another schema is moved there (SET SCHEMA) and renamed, keeping its
// rows, its serial's sequence and primary key named as a new table of
// that name would have them, so that the next plan has no changes and
// the serial goes on counting; rollback moves it back.
func TestPostgres_tableMovesSchema(t *testing.T) {
	for _, tc := range []struct {
		name, to string
		seq, pk  string // the names after the move
	}{
		{name: "move", to: "b.t", seq: "b.t_id_seq", pk: "t_pkey"},
		{name: "move and rename", to: "b.u", seq: "b.u_id_seq", pk: "u_pkey"},
		{name: "to the current schema", to: "u", seq: "public.u_id_seq", pk: "u_pkey"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := pgtestdb.New(t)
			p := newProject(t, map[string]string{
				"schema.hcl":           pgMoveBefore,
				"environments/dev.hcl": fmt.Sprintf(envFile, "5s"),
			})
			p.Env = []string{"DEV_DATABASE_URL=" + db.URL}
			p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "create")
			db.Exec(t, "INSERT INTO a.t (v) VALUES ('x'), ('y'); INSERT INTO refs VALUES (2)")

			after := strings.Replace(pgMoveBefore, `table "a.t" {`, fmt.Sprintf("table %q {\n  renamed_from = \"a.t\"", tc.to), 1)
			after = strings.Replace(after, `ref_table   = "a.t"`, fmt.Sprintf("ref_table   = %q", tc.to), 1)
			p.write("schema.hcl", after)
			r := p.mustRun(0, "plan", "--env", "dev", "--format", "sql")
			if !strings.Contains(r.Out, `ALTER TABLE "a"."t" SET SCHEMA`) || strings.Contains(r.Out, "DROP TABLE") {
				t.Errorf("plan does not move the table:\n%s", r.Out)
			}
			p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "move")
			if r := p.mustRun(0, "plan", "--env", "dev", "--detailed-exitcode"); !strings.Contains(r.Out, "No changes") {
				t.Errorf("plan after the move:\n%s", r.Out)
			}
			p.mustRun(0, "drift", "--env", "dev")
			qt := tc.to
			if !strings.Contains(qt, ".") {
				qt = "public." + qt
			}
			db.Exec(t, "INSERT INTO "+qt+" (v) VALUES ('z')")
			if got := pgString(t, db.DB, "SELECT string_agg(id || v, ',' ORDER BY id) FROM "+qt); got != "1x,2y,3z" {
				t.Errorf("rows after the move: %q", got)
			}
			if got := pgString(t, db.DB, "SELECT pg_get_serial_sequence('"+qt+"', 'id')"); got != tc.seq {
				t.Errorf("serial's sequence %q, want %s", got, tc.seq)
			}
			if got := pgString(t, db.DB, "SELECT conname FROM pg_constraint WHERE contype = 'p' AND conrelid = '"+qt+"'::regclass"); got != tc.pk {
				t.Errorf("primary key %q, want %s", got, tc.pk)
			}
			if got := pgString(t, db.DB, "SELECT confrelid::regclass::text FROM pg_constraint WHERE conname = 'refs_t_fk'"); got != strings.TrimPrefix(qt, "public.") {
				t.Errorf("refs_t_fk references %q", got)
			}

			p.mustRun(0, "rollback", "--env", "dev", "--auto-approve")
			if got := pgString(t, db.DB, "SELECT pg_get_serial_sequence('a.t', 'id')"); got != "a.t_id_seq" {
				t.Errorf("serial's sequence after rollback %q", got)
			}
			if got := pgString(t, db.DB, "SELECT conname FROM pg_constraint WHERE contype = 'p' AND conrelid = 'a.t'::regclass"); got != "t_pkey" {
				t.Errorf("primary key after rollback %q", got)
			}
			if got := pgString(t, db.DB, "SELECT string_agg(id || v, ',' ORDER BY id) FROM a.t"); got != "1x,2y,3z" {
				t.Errorf("rows after rollback: %q", got)
			}
		})
	}
}
