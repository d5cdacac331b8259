package main

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/stratadb/strata/internal/testdb"
)

// roTables are tables with foreign keys of every kind (composite, with
// ON DELETE/ON UPDATE actions, NO ACTION, self-referencing, unnamed),
// checks (table and column level, a json column's) and partitions.
const roTables = "CREATE TABLE p (id int PRIMARY KEY, a int NOT NULL, b int NOT NULL, c int CHECK (c < 10)," +
	" UNIQUE KEY ab (a, b), CONSTRAINT pos CHECK (a > 0));" +
	"CREATE TABLE ch (id int PRIMARY KEY, pa int, pb int, parent int, n int, j json," +
	" KEY k (pa, pb), KEY kp (parent)," +
	" CONSTRAINT fk_comp FOREIGN KEY (pa, pb) REFERENCES p (a, b) ON DELETE CASCADE ON UPDATE SET NULL," +
	" CONSTRAINT fk_self FOREIGN KEY (parent) REFERENCES ch (id) ON DELETE NO ACTION ON UPDATE RESTRICT," +
	" FOREIGN KEY (id) REFERENCES p (id) ON UPDATE CASCADE, CONSTRAINT n_nz CHECK (n <> 0));" +
	"CREATE TABLE pt (id int NOT NULL, d date NOT NULL, PRIMARY KEY (id, d))" +
	" PARTITION BY RANGE (year(d)) (PARTITION p1 VALUES LESS THAN (2022), PARTITION p2 VALUES LESS THAN MAXVALUE);" +
	"CREATE TABLE pl (id int NOT NULL) PARTITION BY LIST (id) (PARTITION l1 VALUES IN (1,2,3), PARTITION ld DEFAULT);"

// roViews are a view and triggers on roTables.
const roViews = "CREATE VIEW v AS SELECT p.id, ch.parent FROM p JOIN ch ON ch.pa = p.a WHERE p.a > 1;" +
	"CREATE TRIGGER tr after insert ON p FOR EACH ROW SET @x = NEW.id;" +
	"CREATE TRIGGER tr2 BEFORE UPDATE ON ch FOR EACH ROW SET NEW.n = 1"

// roRoutines are a procedure, a function and an event on roTables.
const roRoutines = "CREATE PROCEDURE archive(IN days INT) MODIFIES SQL DATA DELETE FROM ch WHERE n > days;" +
	"CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2;" +
	"CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DISABLE DO DELETE FROM ch WHERE n < 0"

// roProject applies the schema that sqlText creates (as strata inspect
// writes it) to a new database as root, through environment prod, and
// returns the project and the database.
func roProject(t *testing.T, sqlText string) (*project, *testdb.DB) {
	t.Helper()
	scratch := testdb.New(t)
	scratch.Exec(t, sqlText)
	p := newProject(t, nil)
	hcl := p.mustRun(0, "inspect", "--url", scratch.URL)
	db := testdb.New(t)
	p.write("schema.hcl", hcl.Out)
	p.write("environments/prod.hcl", `url = env("PROD_DATABASE_URL")`+"\n")
	p.Env = []string{"PROD_DATABASE_URL=" + db.URL}
	p.mustRun(0, "apply", "--env", "prod", "--auto-approve", "--name", "init")
	return p, db
}

// roRun runs plan, drift and status as the user of dbURL and returns what
// each printed and its exit code, with the URL as printed replaced by
// <url> so that two users' outputs compare.
func roRun(t *testing.T, p *project, dbURL string) map[string]string {
	t.Helper()
	p.Env = []string{"PROD_DATABASE_URL=" + dbURL}
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	shown := u.User.Username() + "@" + u.Host
	if _, ok := u.User.Password(); ok {
		shown = u.User.Username() + ":***@" + u.Host
	}
	out := map[string]string{}
	for _, args := range [][]string{
		{"plan", "--env", "prod", "--detailed-exitcode"},
		{"drift", "--env", "prod"},
		{"status", "--env", "prod"},
	} {
		r := p.run(args...)
		text := fmt.Sprintf("exit %d\n%s", r.Code, r.Out)
		text = strings.ReplaceAll(text, shown, "<url>")
		out[args[0]] = text
		out[args[0]+" stderr"] = r.Err
	}
	return out
}

// roSame fails unless the user's outputs are root's, which say no change
// and no drift.
func roSame(t *testing.T, root, user map[string]string) {
	t.Helper()
	for _, cmd := range []string{"plan", "drift", "status"} {
		if want := root[cmd]; user[cmd] != want {
			t.Errorf("strata %s as the read-only user:\n%s\nwant (as root):\n%s", cmd, user[cmd], want)
		}
	}
	for cmd, want := range map[string]string{
		"plan":   "No changes",
		"drift":  "No drift",
		"status": "Drift:        none",
	} {
		if !strings.HasPrefix(root[cmd], "exit 0\n") || !strings.Contains(root[cmd], want) {
			t.Errorf("strata %s as root does not say %q with exit 0:\n%s", cmd, want, root[cmd])
		}
	}
}

// A user with SELECT alone plans, checks drift and shows the status of a
// schema with foreign keys, checks and partitions exactly as root does:
// no changes, no drift. (MariaDB hides REFERENTIAL_CONSTRAINTS from it:
// every key with an action used to be planned as dropped and re-added.)
func TestReadOnlyUser_SelectOnly(t *testing.T) {
	p, db := roProject(t, roTables)
	root := roRun(t, p, db.URL)
	_, roURL := testdb.User(t, db.Name, "SELECT")
	user := roRun(t, p, roURL)
	roSame(t, root, user)
	// It may not see triggers, routines or events, and is told so.
	for _, cmd := range []string{"plan", "drift", "status"} {
		if root[cmd+" stderr"] != "" {
			t.Errorf("strata %s as root wrote to stderr:\n%s", cmd, root[cmd+" stderr"])
		}
		got := user[cmd+" stderr"]
		for _, want := range []string{"may not see the triggers", "GRANT TRIGGER ON", "may not see the stored routines", "GRANT SELECT ON mysql.proc TO",
			"may not see the events", "GRANT EVENT ON `" + db.Name + "`.*"} {
			if !strings.Contains(got, want) {
				t.Errorf("strata %s as the SELECT-only user does not warn %q:\n%s", cmd, want, got)
			}
		}
	}
}

// What such a user truly cannot see, a view's body and triggers, is an
// error naming the privilege to grant, never a reported change or drift.
func TestReadOnlyUser_Unseen(t *testing.T) {
	p, db := roProject(t, roTables+roViews)
	_, selectOnly := testdb.User(t, db.Name, "SELECT")
	for cmd, out := range roRun(t, p, selectOnly) {
		if strings.HasSuffix(cmd, "stderr") {
			if !strings.Contains(out, "GRANT SHOW VIEW ON") || !strings.Contains(out, "view `v`") {
				t.Errorf("strata %s with SELECT alone does not name SHOW VIEW and the view:\n%s", cmd, out)
			}
		} else if !strings.HasPrefix(out, "exit 1\n") {
			t.Errorf("strata %s with SELECT alone: want exit 1, got\n%s", cmd, out)
		}
	}
	_, noTrigger := testdb.User(t, db.Name, "SELECT, SHOW VIEW")
	out := roRun(t, p, noTrigger)
	for _, cmd := range []string{"plan", "drift"} {
		if !strings.HasPrefix(out[cmd], "exit 1\n") || !strings.Contains(out[cmd+" stderr"], "GRANT TRIGGER ON") {
			t.Errorf("strata %s without TRIGGER: want exit 1 naming TRIGGER, got\n%s\n%s", cmd, out[cmd], out[cmd+" stderr"])
		}
	}
	if !strings.HasPrefix(out["status"], "exit 0\n") || !strings.Contains(out["status"], "Drift:        unknown: cannot tell whether prod has drifted") ||
		!strings.Contains(out["status"], "GRANT TRIGGER ON") {
		t.Errorf("strata status without TRIGGER: want drift unknown naming TRIGGER, got\n%s", out["status"])
	}
}

// With SHOW VIEW (a view's body) and TRIGGER (its triggers) besides
// SELECT, the same holds of a schema with views and triggers too.
func TestReadOnlyUser_ViewsAndTriggers(t *testing.T) {
	p, db := roProject(t, roTables+roViews)
	root := roRun(t, p, db.URL)
	_, roURL := testdb.User(t, db.Name, "SELECT, SHOW VIEW, TRIGGER")
	roSame(t, root, roRun(t, p, roURL))
}

// A SELECT-only user sees no routine (but its own) and no event, and
// nothing says that one exists: on a schema with a procedure, a function
// and an event, plan and drift refuse naming the grants, status says the
// drift is unknown, and none proposes to create or drop them.
func TestReadOnlyUser_RoutinesUnseen(t *testing.T) {
	p, db := roProject(t, roTables+roRoutines)
	_, selectOnly := testdb.User(t, db.Name, "SELECT")
	out := roRun(t, p, selectOnly)
	for _, cmd := range []string{"plan", "drift", "status"} {
		both := out[cmd] + out[cmd+" stderr"]
		for _, want := range []string{"GRANT SELECT ON mysql.proc TO", "GRANT EVENT ON `" + db.Name + "`.*"} {
			if !strings.Contains(both, want) {
				t.Errorf("strata %s with SELECT alone does not name %q:\n%s", cmd, want, both)
			}
		}
		for _, never := range []string{"PROCEDURE", "FUNCTION", "EVENT `", "Drift:        yes", "Drift detected"} {
			if strings.Contains(out[cmd], never) {
				t.Errorf("strata %s with SELECT alone proposes or reports what it cannot see (%q):\n%s", cmd, never, out[cmd])
			}
		}
	}
	for _, cmd := range []string{"plan", "drift"} {
		if !strings.HasPrefix(out[cmd], "exit 1\n") {
			t.Errorf("strata %s with SELECT alone: want exit 1, got\n%s", cmd, out[cmd])
		}
	}
	if !strings.Contains(out["plan stderr"], "cannot compare the schema's 2 stored routines") || !strings.Contains(out["plan stderr"], "cannot compare the schema's 1 event") {
		t.Errorf("strata plan with SELECT alone does not say what it cannot compare:\n%s", out["plan stderr"])
	}
	if !strings.HasPrefix(out["status"], "exit 0\n") || !strings.Contains(out["status"], "Drift:        unknown: cannot tell whether prod has drifted") {
		t.Errorf("strata status with SELECT alone: want drift unknown, got\n%s", out["status"])
	}

	// On an environment that promotes, plan reports no drift it cannot
	// tell either (staging is the same database, read as root).
	p.write("environments/staging.hcl", `url = env("STAGING_DATABASE_URL")`+"\n")
	p.write("environments/prod.hcl", `url = env("PROD_DATABASE_URL")`+"\n"+`promote_from = "staging"`+"\n")
	p.Env = []string{"PROD_DATABASE_URL=" + selectOnly, "STAGING_DATABASE_URL=" + db.URL}
	r := p.run("plan", "--env", "prod", "--detailed-exitcode")
	if r.Code != 1 || strings.Contains(r.Out, "PROCEDURE") || strings.Contains(r.Out, "Drift") ||
		!strings.Contains(r.Err, "cannot tell whether prod has drifted") || !strings.Contains(r.Err, "GRANT SELECT ON mysql.proc TO") {
		t.Errorf("strata plan of a promoting environment with SELECT alone: want exit 1 naming the grants, got %d\n%s\n%s", r.Code, r.Out, r.Err)
	}
	p.write("environments/prod.hcl", `url = env("PROD_DATABASE_URL")`+"\n")

	// A routine privilege shows every routine, but not its body: an error
	// naming the routines, never a change.
	_, execute := testdb.User(t, db.Name, "SELECT, EXECUTE, EVENT")
	for cmd, got := range roRun(t, p, execute) {
		if strings.HasSuffix(cmd, "stderr") {
			if !strings.Contains(got, "cannot read the definition of function `twice`, procedure `archive`") || !strings.Contains(got, "GRANT SELECT ON mysql.proc TO") {
				t.Errorf("strata %s with EXECUTE does not name the routines and mysql.proc:\n%s", cmd, got)
			}
		} else if !strings.HasPrefix(got, "exit 1\n") {
			t.Errorf("strata %s with EXECUTE: want exit 1, got\n%s", cmd, got)
		}
	}
}

// With SELECT on mysql.proc (the routines' bodies) and EVENT (the events)
// besides SELECT, plan, drift and status of a schema with routines and
// events are root's.
func TestReadOnlyUser_Routines(t *testing.T) {
	p, db := roProject(t, roTables+roRoutines)
	root := roRun(t, p, db.URL)
	user, roURL := testdb.User(t, db.Name, "SELECT, EVENT")
	if _, err := testdb.Server(t).Exec("GRANT SELECT ON mysql.proc TO '" + user + "'@'%'"); err != nil {
		t.Fatal(err)
	}
	got := roRun(t, p, roURL)
	roSame(t, root, got)
	for _, cmd := range []string{"plan", "drift", "status"} {
		if strings.Contains(got[cmd+" stderr"], "may not see the stored routines") || strings.Contains(got[cmd+" stderr"], "may not see the events") {
			t.Errorf("strata %s with mysql.proc and EVENT still warns of routines or events:\n%s", cmd, got[cmd+" stderr"])
		}
	}
}
