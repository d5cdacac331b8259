package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stratadb/strata/internal/pgtestdb"
)

// TestPostgres_planMarksStatementsThatRunAlone: a reviewer reading an
// online plan sees which statements run outside the revision's
// transaction (a failure after one leaves it applied), in the text the
// plan prints and in its JSON; the statements beside them are not marked.
func TestPostgres_planMarksStatementsThatRunAlone(t *testing.T) {
	const table = `
table "t" {
  column "id" {
    type = integer
  }
  column "v" {
    type = text
    null = true
  }
  primary_key = ["id"]
%s}
`
	db := pgtestdb.New(t)
	p := newProject(t, map[string]string{
		"schema.hcl":           fmt.Sprintf(table, ""),
		"environments/dev.hcl": fmt.Sprintf(envFile, "5s"),
	})
	p.Env = []string{"DEV_DATABASE_URL=" + db.URL}
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "create")
	p.write("schema.hcl", strings.Replace(fmt.Sprintf(table, "  index \"t_v\" {\n    columns = [\"v\"]\n  }\n"),
		`    null = true`, "    null = true\n  }\n  column \"w\" {\n    type = integer\n    null = true", 1))

	r := p.mustRun(0, "plan", "--env", "dev")
	if !strings.Contains(r.Out, "  -- runs on its own, outside the transaction\n  CREATE INDEX CONCURRENTLY") {
		t.Errorf("the text plan does not mark the concurrent build:\n%s", r.Out)
	}
	if n := strings.Count(r.Out, "outside the transaction"); n != 1 {
		t.Errorf("%d statements marked, want the index build alone:\n%s", n, r.Out)
	}
	r = p.mustRun(0, "plan", "--env", "dev", "--format", "json")
	if !strings.Contains(r.Out, `"runs_alone": true`) || strings.Count(r.Out, `"runs_alone"`) != 2 {
		// Each statement shows twice: in its change and in the plan's list.
		t.Errorf("the JSON plan does not mark the concurrent build alone:\n%s", r.Out)
	}
}

// TestPostgres_enumValueAddedAndUsed: a plan that adds an enum value and
// uses it (a column's default) applies: the server refuses a value used in
// the transaction that added it, so the addition runs alone and commits
// first. A second plan has no changes and the default is in force.
func TestPostgres_enumValueAddedAndUsed(t *testing.T) {
	const schema = `
object "type" "mood" {
  definition = "CREATE TYPE mood AS ENUM (%s)"
}
table "t" {
  column "id" {
    type = integer
  }
  column "m" {
    type    = "mood"
    default = sql("'%s'::mood")
  }
  primary_key = ["id"]
}
`
	db := pgtestdb.New(t)
	p := newProject(t, map[string]string{
		"schema.hcl":           fmt.Sprintf(schema, "'sad', 'happy'", "sad"),
		"environments/dev.hcl": fmt.Sprintf(envFile, "5s"),
	})
	p.Env = []string{"DEV_DATABASE_URL=" + db.URL}
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "create")
	p.write("schema.hcl", fmt.Sprintf(schema, "'sad', 'meh', 'happy'", "meh"))

	r := p.mustRun(0, "plan", "--env", "dev")
	if !strings.Contains(r.Out, "  -- runs on its own, outside the transaction\n  ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh' BEFORE 'happy';") {
		t.Errorf("the plan does not add the value on its own:\n%s", r.Out)
	}
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "meh")
	if r := p.mustRun(0, "plan", "--env", "dev", "--detailed-exitcode"); !strings.Contains(r.Out, "No changes") {
		t.Errorf("plan after the apply:\n%s", r.Out)
	}
	db.Exec(t, "INSERT INTO t (id) VALUES (1)")
	if got := pgString(t, db.DB, "SELECT m::text || ' of ' || array_to_string(enum_range(NULL::mood), ',') FROM t"); got != "meh of sad,meh,happy" {
		t.Errorf("row and enum after the apply: %q", got)
	}
}
