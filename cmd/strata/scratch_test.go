package main

import (
	"strings"
	"testing"

	"github.com/stratadb/strata/internal/testdb"
)

// scratchSchema changes a table (a default the server rewrites, which a
// temporary table asks it for) and adds a view over it (which a probe view
// asks the server to render): both kinds of probe DDL.
const scratchSchema = `
table "users" {
  column "id" {
    type = int
  }
  column "name" {
    type = varchar(50)
    null = true
  }
  column "score" {
    type    = int
    default = sql("1+1")
  }
  primary_key = ["id"]
}
view "named" {
  definition = "SELECT id, name FROM users WHERE name IS NOT NULL"
}
`

const scratchEnv = `url     = env("DEV_DATABASE_URL")
dev_url = env("DEV_SCRATCH_URL")
`

// TestPlan_DevURLScratch: with dev_url, plan runs its probe DDL in the
// scratch database and creates nothing in the target, not even for a
// moment. The proof is a user that cannot create anything in the target
// (SELECT, SHOW VIEW) but may in the scratch database: its plan is the one
// root makes without dev_url, with no warning; without dev_url the same
// user's plan warns that it could not ask the server. The scratch database
// is empty again after the plan; a dev_url naming a database that holds
// objects (the target itself, say) is refused.
func TestPlan_DevURLScratch(t *testing.T) {
	db := testdb.New(t)
	db.Exec(t, "CREATE TABLE users (id int PRIMARY KEY, name varchar(50) NULL)")
	scratch := testdb.New(t)
	user, roURL := testdb.User(t, db.Name, "SELECT, SHOW VIEW")
	db.Exec(t, "GRANT ALL ON `"+scratch.Name+"`.* TO '"+user+"'@'%'")
	scratchURL := strings.Replace(roURL, "/"+db.Name, "/"+scratch.Name, 1)

	p := newProject(t, map[string]string{
		"schema.hcl":           scratchSchema,
		"environments/dev.hcl": `url = env("DEV_DATABASE_URL")` + "\n",
	})
	p.Env = []string{"DEV_DATABASE_URL=" + db.URL}
	root := p.mustRun(0, "plan", "--env", "dev")
	for _, want := range []string{"select `users`.`id` AS `id`", "DEFAULT (1 + 1)"} {
		if !strings.Contains(root.Out, want) {
			t.Fatalf("root's plan without dev_url lacks the server's form %q:\n%s", want, root.Out)
		}
	}

	// The read-only user without dev_url: the probes cannot run.
	p.Env = []string{"DEV_DATABASE_URL=" + roURL}
	ro := p.mustRun(0, "plan", "--env", "dev")
	if !strings.Contains(ro.Err, "cannot create") {
		t.Fatalf("without dev_url the read-only user's plan does not warn that it could not probe:\n%s", ro.Err)
	}

	// With dev_url: the plan is root's, and nothing needed the target.
	p.write("environments/dev.hcl", scratchEnv)
	p.Env = []string{"DEV_DATABASE_URL=" + roURL, "DEV_SCRATCH_URL=" + scratchURL}
	dev := p.mustRun(0, "plan", "--env", "dev")
	if strings.Contains(dev.Err, "cannot create") {
		t.Errorf("the plan with dev_url could not probe:\n%s", dev.Err)
	}
	if dev.Out != root.Out {
		t.Errorf("the plan with dev_url differs from root's without it:\n%s\nroot's:\n%s", dev.Out, root.Out)
	}
	var left int
	if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", scratch.Name).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("the scratch database holds %d objects after the plan, want none", left)
	}
	var inTarget int
	if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME <> 'users'", db.Name).Scan(&inTarget); err != nil {
		t.Fatal(err)
	}
	if inTarget != 0 {
		t.Errorf("the target holds %d objects beside users", inTarget)
	}

	// A dev_url that holds objects is not a scratch database; its
	// password is never shown.
	p.Env = []string{"DEV_DATABASE_URL=" + roURL, "DEV_SCRATCH_URL=" + roURL}
	r := p.mustRun(1, "plan", "--env", "dev")
	if !strings.Contains(r.Err, "which holds users: dev_url must be an empty scratch database") || !strings.Contains(r.Err, user+":***@") {
		t.Errorf("a dev_url naming the target is not refused, or not with its password masked:\n%s", r.Err)
	}
	// Root's plan with the scratch database is root's plan without it.
	p.Env = []string{"DEV_DATABASE_URL=" + db.URL, "DEV_SCRATCH_URL=" + scratchURL}
	if again := p.mustRun(0, "plan", "--env", "dev"); again.Out != root.Out {
		t.Errorf("root's plan with dev_url differs from root's without it:\n%s", again.Out)
	}
}
