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
