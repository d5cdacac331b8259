package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stratadb/strata/internal/testdb"
)

// Stored procedures, functions and events on the real server, through the
// CLI: inspect → apply to an empty database → the same SHOW CREATE of every
// object (definers aside, as converge.py compares them), a no-change plan,
// then an upgrade (bodies changed, a routine renamed, objects dropped).

var routineFixtures = []string{
	"CREATE TABLE `records` (id int PRIMARY KEY, note varchar(50), created_at datetime)",
	"CREATE PROCEDURE `archive`(IN days INT, OUT moved INT, INOUT  tally DECIMAL(10,2))\n" +
		"COMMENT 'moves old rows; it''s safe'\nMODIFIES SQL DATA\nSQL SECURITY INVOKER\n" +
		"BEGIN\n  DECLARE x INT DEFAULT 0; -- a comment; with a semicolon\n  /* block; comment */\n" +
		"  IF days > 0 THEN\n    BEGIN\n      SET x = days;\n    END;\n  END IF;\n" +
		"  SELECT COUNT(*) INTO moved FROM records WHERE note = 'a;b' OR note = \"END;\";\n" +
		"  SET tally = tally + x;\nEND",
	"CREATE PROCEDURE `noop`() SELECT 1",
	"CREATE FUNCTION `label`(a INT, s VARCHAR(20) CHARSET latin1) RETURNS varchar(30) CHARSET utf8mb4\n" +
		"DETERMINISTIC NO SQL COMMENT 'joins'\nRETURN CONCAT(s, ';', a)",
	"CREATE FUNCTION `one`() RETURNS INT READS SQL DATA RETURN (SELECT COUNT(*) FROM records)",
	"CREATE EVENT `every_day` ON SCHEDULE EVERY 1 DAY COMMENT 'purge' DO DELETE FROM records WHERE created_at < NOW() - INTERVAL 30 DAY",
	"CREATE EVENT `compound` ON SCHEDULE EVERY '1 4' DAY_HOUR STARTS '2030-01-01 00:00:00' ENDS '2031-01-01' " +
		"ON COMPLETION PRESERVE DISABLE ON SLAVE COMMENT 'it''s\\\\ x' DO BEGIN\n  -- note; here\n  DELETE FROM records WHERE note = 'a;b';\nEND",
	"CREATE EVENT `once` ON SCHEDULE AT '2035-01-01 00:00:00' ON COMPLETION PRESERVE DISABLE DO DELETE FROM records",
	"CREATE EVENT `later` ON SCHEDULE EVERY 5 MINUTE STARTS '2031-06-01 12:00:00' DO SELECT 1",
}

func TestRoutinesRoundTrip(t *testing.T) {
	admin := testdb.Server(t)
	src := testdb.New(t)
	ctx := context.Background()
	for _, s := range routineFixtures {
		if _, err := src.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	res := runCLI(t, nil, "inspect", "--url", src.URL)
	if res.Code != 0 {
		t.Fatalf("inspect: %s", res.Err)
	}
	for _, want := range []string{`procedure "archive"`, `function "label"`, `event "compound"`, `status   = "DISABLE ON SLAVE"`, `-- a comment; with a semicolon`} {
		if !strings.Contains(res.Out, want) {
			t.Errorf("inspect output lacks %q:\n%s", want, res.Out)
		}
	}
	hcl := filepath.Join(t.TempDir(), "schema.hcl")
	if err := os.WriteFile(hcl, []byte(res.Out), 0o644); err != nil {
		t.Fatal(err)
	}
	dst := testdb.New(t)
	if r := runCLI(t, nil, "apply", "--url", dst.URL, "--schema", hcl, "--auto-approve"); r.Code != 0 {
		t.Fatalf("apply: %s\n%s", r.Err, r.Out)
	}
	sameObjects(t, admin, dst.Name, src.Name, 8)
	if r := runCLI(t, nil, "plan", "--url", dst.URL, "--schema", hcl, "--detailed-exitcode"); r.Code != 0 {
		t.Fatalf("not converged (exit %d): %s%s", r.Code, r.Out, r.Err)
	}

	// Upgrade: a body changed, a procedure renamed, an event rescheduled
	// and one dropped, a function dropped.
	up := strings.NewReplacer(
		`procedure "noop"`, `procedure "noop2"`,
		`RETURN CONCAT(s, ';', a)`, `RETURN CONCAT(a, ';', s)`,
		`every   = "1 DAY"`, `every   = "2 HOUR"`,
	).Replace(res.Out)
	up = dropBlock(t, up, `event "once"`)
	up = dropBlock(t, up, `function "one"`)
	if err := os.WriteFile(hcl, []byte(up), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, nil, "plan", "--url", dst.URL, "--schema", hcl)
	for _, want := range []string{
		"~ function \"label\" {\n      - body RETURN CONCAT(s, ';', a)\n      + body RETURN CONCAT(a, ';', s)\n    }",
		"~ event \"every_day\" {\n      ~ every 1 DAY → 2 HOUR\n    }",
		"- event \"once\"", "- function \"one\"", "- procedure \"noop\"", "+ procedure \"noop2\"",
		"! destructive: drops event `once`", "Plan: 1 to add, 2 to change, 3 to destroy.",
	} {
		if !strings.Contains(r.Out, want) {
			t.Errorf("plan lacks %q:\n%s", want, r.Out)
		}
	}
	r = runCLI(t, nil, "apply", "--url", dst.URL, "--schema", hcl, "--auto-approve", "--allow-destructive")
	if r.Code != 0 {
		t.Fatalf("apply upgrade: %s\n%s", r.Err, r.Out)
	}
	for _, want := range []string{"CREATE OR REPLACE FUNCTION `label`", "DROP PROCEDURE `noop`", "CREATE PROCEDURE `noop2`",
		"ALTER EVENT `every_day` ON SCHEDULE EVERY 2 HOUR", "DROP EVENT `once`", "DROP FUNCTION `one`"} {
		if !strings.Contains(r.Out, want) {
			t.Errorf("upgrade did not run %q:\n%s", want, r.Out)
		}
	}
	if r := runCLI(t, nil, "plan", "--url", dst.URL, "--schema", hcl, "--detailed-exitcode"); r.Code != 0 {
		t.Fatalf("not converged after the upgrade (exit %d): %s%s", r.Code, r.Out, r.Err)
	}
	got, err := dumpSchema(admin, dst.Name)
	if err != nil {
		t.Fatal(err)
	}
	if d := got["function label"]; !strings.Contains(d, "RETURN CONCAT(a, ';', s)") {
		t.Errorf("function label after the upgrade:\n%s", d)
	}
	if d := got["event every_day"]; !strings.Contains(d, "EVERY 2 HOUR") {
		t.Errorf("event every_day after the upgrade:\n%s", d)
	}
	for _, gone := range []string{"event once", "function one", "procedure noop"} {
		if _, ok := got[gone]; ok {
			t.Errorf("%s is still there", gone)
		}
	}
	if _, ok := got["procedure noop2"]; !ok {
		t.Error("procedure noop2 was not created")
	}
}

// sameObjects requires the SHOW CREATE of every object of two databases to
// be equal, and at least n routines and events.
func sameObjects(t *testing.T, db *sql.DB, got, want string, n int) {
	t.Helper()
	g, err := dumpSchema(db, got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := dumpSchema(db, want)
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for k := range w {
		if strings.HasPrefix(k, "procedure ") || strings.HasPrefix(k, "function ") || strings.HasPrefix(k, "event ") {
			count++
		}
	}
	if count < n {
		t.Fatalf("only %d routines and events in %s: %v", count, want, w)
	}
	for k, v := range w {
		if g[k] != v {
			t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", k, g[k], v)
		}
	}
	for k := range g {
		if _, ok := w[k]; !ok {
			t.Errorf("extra object %s", k)
		}
	}
}

// dropBlock removes the top-level block that starts with header.
func dropBlock(t *testing.T, hcl, header string) string {
	t.Helper()
	i := strings.Index(hcl, header+" {")
	if i < 0 {
		t.Fatalf("no block %s in:\n%s", header, hcl)
	}
	j := strings.Index(hcl[i:], "\n}\n")
	if j < 0 {
		t.Fatalf("block %s does not end", header)
	}
	return hcl[:i] + hcl[i+j+3:]
}

// Routines and events travel in revisions: the file keeps a body with
// semicolons inside verbatim, a second environment replays it (its events'
// STARTS differ, yet its hash matches), and rollback drops them again.
func TestRoutinesRevisionsAndRollback(t *testing.T) {
	admin := testdb.Server(t)
	dev := testdb.New(t)
	staging := testdb.New(t)
	schemaHCL := `table "records" {
  column "id" {
    type = int
  }
  column "note" {
    type = varchar(50)
    null = true
  }
  primary_key = ["id"]
}

procedure "tally" {
  parameters  = "IN pfx VARCHAR(10), OUT n INT"
  data_access = "READS SQL DATA"
  comment     = "counts; with a semicolon"
  body        = <<-SQL
    BEGIN
      -- a comment; here
      DECLARE x INT DEFAULT 0;
      BEGIN
        SELECT COUNT(*) INTO x FROM records WHERE note LIKE CONCAT(pfx, ';%');
      END;
      SET n = x;
    END
  SQL
}

function "twice" {
  parameters    = "a INT"
  returns       = "int"
  deterministic = true
  body          = "RETURN a * 2"
}

event "purge" {
  every = "1 HOUR"
  body  = "DELETE FROM records WHERE note = 'x;y'"
}
`
	p := newProject(t, map[string]string{
		"schema.hcl":               schemaHCL,
		"environments/dev.hcl":     "url = env(\"DEV_DATABASE_URL\")\n",
		"environments/staging.hcl": "url = env(\"STAGING_DATABASE_URL\")\npromote_from = \"dev\"\n",
	})
	p.Env = []string{"DEV_DATABASE_URL=" + dev.URL, "STAGING_DATABASE_URL=" + staging.URL}
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "routines")
	files, _ := filepath.Glob(filepath.Join(p.Dir, "migrations", "*_routines.sql"))
	if len(files) != 1 {
		t.Fatalf("revision files: %v", files)
	}
	rev := readFile(t, files[0])
	for _, want := range []string{"-- +begin\nCREATE PROCEDURE `tally`", "-- a comment; here", "DROP PROCEDURE `tally`", "DROP EVENT `purge`"} {
		if !strings.Contains(rev, want) {
			t.Errorf("revision lacks %q:\n%s", want, rev)
		}
	}
	p.mustRun(0, "plan", "--env", "dev", "--detailed-exitcode")
	// Promotion replays the revision; staging's event starts later than
	// dev's, and that is no drift.
	time.Sleep(1100 * time.Millisecond)
	p.mustRun(0, "apply", "--env", "staging", "--auto-approve")
	sameRoutines := func() {
		t.Helper()
		g, err := dumpSchema(admin, staging.Name)
		if err != nil {
			t.Fatal(err)
		}
		w, err := dumpSchema(admin, dev.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"procedure tally", "function twice"} {
			if g[k] == "" || g[k] != w[k] {
				t.Errorf("%s: staging\n%s\ndev\n%s", k, g[k], w[k])
			}
		}
	}
	sameRoutines()
	p.mustRun(0, "drift", "--env", "staging")
	var n int
	if err := admin.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?", staging.Name).Scan(&n); err != nil || n != 1 {
		t.Fatalf("events on staging: %d, %v", n, err)
	}
	// A changed body replaces the procedure; rollback puts the old one back.
	p.write("schema.hcl", strings.Replace(schemaHCL, "SET n = x;", "SET n = x + 1;", 1))
	r := p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "tally_plus")
	if !strings.Contains(r.Out, "CREATE OR REPLACE PROCEDURE `tally`") {
		t.Errorf("apply did not replace the procedure:\n%s", r.Out)
	}
	p.mustRun(0, "rollback", "--env", "dev", "--auto-approve")
	sameRoutines()
	// Rolling back the first revision drops every routine and event: that
	// is destructive.
	p.mustRun(1, "rollback", "--env", "dev", "--auto-approve")
	p.mustRun(0, "rollback", "--env", "dev", "--auto-approve", "--allow-destructive")
	got, err := dumpSchema(admin, dev.Name)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("objects left after rolling back everything: %v", got)
	}
}

// Routines and events keep the session state they were created under
// (client character set, connection collation, sql_mode): inspect writes
// it, apply creates them under it, and the server reports the same.
func TestRoutinesCreationContext(t *testing.T) {
	admin := testdb.Server(t)
	src := testdb.New(t)
	ctx := context.Background()
	conn, err := src.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"SET NAMES latin1",
		"SET sql_mode = 'ANSI_QUOTES,STRICT_ALL_TABLES'",
		`CREATE PROCEDURE p_latin() SELECT 'caf` + "\u00e9" + `' AS "q"`,
		"CREATE EVENT e_latin ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DO SELECT \"x\"",
		"SET NAMES utf8mb3",
		"SET sql_mode = ''",
		"CREATE FUNCTION f_mb3() RETURNS INT RETURN 1",
	} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	conn.Close()
	res := runCLI(t, nil, "inspect", "--url", src.URL)
	if res.Code != 0 {
		t.Fatalf("inspect: %s", res.Err)
	}
	for _, want := range []string{`character_set_client = "latin1"`, `sql_mode             = "ANSI_QUOTES,STRICT_ALL_TABLES"`, `character_set_client = "utf8mb3"`, `sql_mode             = ""`} {
		if !strings.Contains(res.Out, want) {
			t.Errorf("inspect output lacks %q:\n%s", want, res.Out)
		}
	}
	hcl := filepath.Join(t.TempDir(), "schema.hcl")
	if err := os.WriteFile(hcl, []byte(res.Out), 0o644); err != nil {
		t.Fatal(err)
	}
	dst := testdb.New(t)
	if r := runCLI(t, nil, "apply", "--url", dst.URL, "--schema", hcl, "--auto-approve"); r.Code != 0 {
		t.Fatalf("apply: %s\n%s", r.Err, r.Out)
	}
	sameObjects(t, admin, dst.Name, src.Name, 3)
	contexts := func(db string) string {
		rows, err := admin.QueryContext(ctx, `SELECT CONCAT(ROUTINE_NAME, ' ', SQL_MODE, ' ', CHARACTER_SET_CLIENT, ' ', COLLATION_CONNECTION) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?
UNION ALL SELECT CONCAT(EVENT_NAME, ' ', SQL_MODE, ' ', CHARACTER_SET_CLIENT, ' ', COLLATION_CONNECTION) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? ORDER BY 1`, db, db)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return strings.Join(out, "\n")
	}
	if g, w := contexts(dst.Name), contexts(src.Name); g != w || !strings.Contains(w, "p_latin ANSI_QUOTES,STRICT_ALL_TABLES latin1") {
		t.Errorf("contexts differ:\n--- got\n%s\n--- want\n%s", g, w)
	}
	if r := runCLI(t, nil, "plan", "--url", dst.URL, "--schema", hcl, "--detailed-exitcode"); r.Code != 0 {
		t.Fatalf("not converged (exit %d): %s%s", r.Code, r.Out, r.Err)
	}
	// A changed context alone replaces the procedure and re-sends the
	// event's body.
	up := strings.Replace(res.Out, `character_set_client = "latin1"`, `character_set_client = "utf8mb3"`, -1)
	up = strings.Replace(up, `collation_connection = "latin1_swedish_ci"`, `collation_connection = "utf8mb3_general_ci"`, -1)
	if err := os.WriteFile(hcl, []byte(up), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, nil, "apply", "--url", dst.URL, "--schema", hcl, "--auto-approve"); r.Code != 0 {
		t.Fatalf("apply: %s\n%s", r.Err, r.Out)
	}
	if r := runCLI(t, nil, "plan", "--url", dst.URL, "--schema", hcl, "--detailed-exitcode"); r.Code != 0 {
		t.Fatalf("not converged after the context change (exit %d): %s%s", r.Code, r.Out, r.Err)
	}
	if g := contexts(dst.Name); !strings.Contains(g, "e_latin ANSI_QUOTES,STRICT_ALL_TABLES utf8mb3") || !strings.Contains(g, "p_latin ANSI_QUOTES,STRICT_ALL_TABLES utf8mb3") {
		t.Errorf("contexts after the change:\n%s", g)
	}
}
