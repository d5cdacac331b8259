package main

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stratadb/strata/internal/testdb"
)

// This file holds the acceptance tests for hostile identifiers and text
// (issue 7, item 4): names and literals that break naive quoting must be
// planned, applied, inspected and promoted exactly, and an injection attempt
// must stay a name.

// hq quotes s as an HCL string: escapes, and no template sequences.
func hq(s string) string {
	q := strconv.Quote(s)
	q = strings.ReplaceAll(q, "${", "$${")
	return strings.ReplaceAll(q, "%{", "%%{")
}

// bq quotes s as a MySQL identifier.
func bq(s string) string { return "`" + strings.ReplaceAll(s, "`", "``") + "`" }

// Hostile names and text.
const (
	hInj      = "x`; DROP TABLE victim; --"     // table
	hChild    = "child \"tab\" /*x*/ 'q'"       // table
	hOrder    = "order"                         // reserved word table
	hSpace    = "sp ace"                        // column with the hostile default
	hNewline  = "nl\nx"                         // column
	hSelect   = "select"                        // reserved word column
	hColInj   = "y'); DROP TABLE victim; --"    // column
	hUnicode  = "ü_表_ŝ"                         // column
	hDQ       = "dq\"col"                       // column
	hBS       = "bs\\col"                       // column
	hParent   = "parent id"                     // column
	hGroup    = "group"                         // reserved word column
	hIdx      = "i`; DROP TABLE victim; --"     // index
	hFrom     = "from"                          // reserved word index
	hFK       = "fk`; DROP TABLE victim; --"    // foreign key
	hCheck    = "chk`*/ -- \"q\""               // check
	hView     = "v`; DROP TABLE victim; --"     // view
	hTrigger  = "trg`'\"x; --"                  // trigger
	hDefault  = "O'Reilly \\ */ ; -- \"dq\" /*" // string default
	hComment  = "it's a \"table\" with \\ */ ; -- and ŝ\nnext line"
	hColComm  = "'; DROP TABLE victim; -- */ /* \\"
	hGroupDef = "--"
)

func hostileSchema() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("table \"victim\" {\n  column \"id\" {\n    type = int\n  }\n  primary_key = [\"id\"]\n}\n\n")
	w("table %s {\n  comment = %s\n", hq(hInj), hq(hComment))
	w("  column \"id\" {\n    type = int\n  }\n")
	w("  column %s {\n    type    = varchar(60)\n    null    = true\n    default = %s\n  }\n", hq(hSpace), hq(hDefault))
	w("  column %s {\n    type = int\n    null = true\n  }\n", hq(hNewline))
	w("  column %s {\n    type    = int\n    default = 0\n  }\n", hq(hSelect))
	w("  column %s {\n    type    = varchar(40)\n    null    = true\n    comment = %s\n  }\n", hq(hColInj), hq(hColComm))
	w("  column %s {\n    type = varchar(10)\n    null = true\n  }\n", hq(hUnicode))
	w("  column %s {\n    type = int\n    null = true\n  }\n", hq(hDQ))
	w("  column %s {\n    type = int\n    null = true\n  }\n", hq(hBS))
	w("  primary_key = [\"id\"]\n")
	w("  index %s {\n    columns = [%s]\n    comment = %s\n  }\n", hq(hIdx), hq(hSpace), hq(hColComm))
	w("  index %s {\n    columns = [%s, \"id\"]\n    unique  = true\n  }\n", hq(hFrom), hq(hSelect))
	w("  check %s {\n    expr = %s\n  }\n", hq(hCheck), hq(bq(hSelect)+" >= 0"))
	w("}\n\n")
	w("table %s {\n", hq(hChild))
	w("  column \"id\" {\n    type = int\n  }\n")
	w("  column %s {\n    type = int\n    null = true\n  }\n", hq(hParent))
	w("  primary_key = [\"id\"]\n")
	w("  foreign_key %s {\n    columns     = [%s]\n    ref_table   = %s\n    ref_columns = [\"id\"]\n    on_delete   = \"CASCADE\"\n  }\n",
		hq(hFK), hq(hParent), hq(hInj))
	w("}\n\n")
	w("table %s {\n", hq(hOrder))
	w("  column \"id\" {\n    type = int\n  }\n")
	w("  column %s {\n    type    = varchar(5)\n    null    = true\n    default = %s\n  }\n", hq(hGroup), hq(hGroupDef))
	w("  primary_key = [\"id\"]\n}\n\n")
	// The view in the server's rendering, so that it converges.
	def := fmt.Sprintf("select %s.%s AS %s,%s.%s AS %s from %s", bq(hInj), bq("id"), bq("id"), bq(hInj), bq(hSpace), bq(hSpace), bq(hInj))
	w("view %s {\n  definition = %s\n}\n\n", hq(hView), hq(def))
	w("trigger %s {\n  on     = %s\n  timing = \"BEFORE\"\n  event  = \"INSERT\"\n  body   = %s\n}\n",
		hq(hTrigger), hq(hOrder), hq("SET NEW."+bq(hGroup)+" = CONCAT(';*/', '--')"))
	return b.String()
}

// victimRows counts the rows of the victim table, -1 when it is gone.
func victimRows(t *testing.T, db *sql.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM victim").Scan(&n); err != nil {
		return -1
	}
	return n
}

// showCreate returns SHOW CREATE TABLE of every base table of db.
func showCreate(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	rows, err := db.Query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME NOT IN ('strata_revisions', 'strata_revision_events')")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()
	out := map[string]string{}
	for _, n := range names {
		var name, ddl string
		if err := db.QueryRow("SHOW CREATE TABLE "+bq(n)).Scan(&name, &ddl); err != nil {
			t.Fatalf("show create table %q: %v", n, err)
		}
		out[n] = ddl
	}
	return out
}

// TestCLI_HostileIdentifiers applies a schema whose names and literals hold
// backticks, quotes, comment markers, newlines, unicode, spaces, reserved
// words and an injection attempt; then checks convergence, the stored
// values, the victim table, inspect round trip, promotion of the revision
// file and rollback.
func TestCLI_HostileIdentifiers(t *testing.T) {
	testdb.Server(t)
	dev, staging, copyDB := testdb.New(t), testdb.New(t), testdb.New(t)
	for _, db := range []*testdb.DB{dev, staging} {
		db.Exec(t, "CREATE TABLE victim (id int NOT NULL, PRIMARY KEY (id)); INSERT INTO victim VALUES (1), (2), (3)")
	}
	p := newProject(t, map[string]string{
		"schema.hcl":               hostileSchema(),
		"environments/dev.hcl":     fmt.Sprintf(envFile, "5s"),
		"environments/staging.hcl": "url          = env(\"STAGING_DATABASE_URL\")\npromote_from = \"dev\"\n",
	})
	p.Env = []string{"DEV_DATABASE_URL=" + dev.URL, "STAGING_DATABASE_URL=" + staging.URL}

	p.mustRun(0, "validate")
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "hostile")
	if r := p.run("plan", "--env", "dev", "--detailed-exitcode"); r.Code != 0 {
		t.Errorf("plan after apply: exit %d, want 0 (no changes):\n%s\n%s", r.Code, r.Out, r.Err)
	}
	if n := victimRows(t, dev.DB); n != 3 {
		t.Fatalf("victim has %d rows after apply, want 3", n)
	}

	t.Run("stored_values", func(t *testing.T) {
		dev.Exec(t, fmt.Sprintf("INSERT INTO %s (id) VALUES (1)", bq(hInj)))
		var got string
		if err := dev.QueryRow(fmt.Sprintf("SELECT %s FROM %s", bq(hSpace), bq(hInj))).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != hDefault {
			t.Errorf("default stored as %q, want %q", got, hDefault)
		}
		dev.Exec(t, fmt.Sprintf("INSERT INTO %s (id) VALUES (1)", bq(hOrder)))
		if err := dev.QueryRow(fmt.Sprintf("SELECT %s FROM %s", bq(hGroup), bq(hOrder))).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != ";*/--" {
			t.Errorf("the trigger set %q, want %q", got, ";*/--")
		}
		var comment string
		if err := dev.QueryRow("SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", hInj).Scan(&comment); err != nil {
			t.Fatal(err)
		}
		if comment != hComment {
			t.Errorf("table comment stored as %q, want %q", comment, hComment)
		}
		if err := dev.QueryRow("SELECT COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = ?", hColInj).Scan(&comment); err != nil {
			t.Fatal(err)
		}
		if comment != hColComm {
			t.Errorf("column comment stored as %q, want %q", comment, hColComm)
		}
		var n int
		if err := dev.QueryRow(fmt.Sprintf("SELECT COUNT(*) FROM %s", bq(hView))).Scan(&n); err != nil || n != 1 {
			t.Errorf("the view: %d rows, %v", n, err)
		}
		dev.Exec(t, fmt.Sprintf("DELETE FROM %s", bq(hOrder)))
		dev.Exec(t, fmt.Sprintf("DELETE FROM %s", bq(hInj)))
	})

	t.Run("inspect_round_trip", func(t *testing.T) {
		r := p.mustRun(0, "inspect", "--env", "dev")
		q := newProject(t, map[string]string{
			"schema.hcl":           r.Out,
			"environments/dev.hcl": fmt.Sprintf(envFile, "5s"),
		})
		q.Env = []string{"DEV_DATABASE_URL=" + copyDB.URL}
		q.mustRun(0, "apply", "--env", "dev", "--auto-approve")
		if r := q.run("plan", "--env", "dev", "--detailed-exitcode"); r.Code != 0 {
			t.Errorf("inspected HCL does not converge: exit %d\n%s\n%s", r.Code, r.Out, r.Err)
		}
		// The copy equals the original: by the original schema and by
		// SHOW CREATE TABLE.
		if r := q.run("plan", "--env", "dev", "--schema", p.Dir+"/schema.hcl", "--detailed-exitcode"); r.Code != 0 {
			t.Errorf("the copy differs from schema.hcl: exit %d\n%s\n%s", r.Code, r.Out, r.Err)
		}
		a, b := showCreate(t, dev.DB), showCreate(t, copyDB.DB)
		if len(a) != len(b) {
			t.Errorf("%d tables in the original, %d in the copy", len(a), len(b))
		}
		for name, ddl := range a {
			if b[name] != ddl {
				t.Errorf("table %q differs:\noriginal: %s\ncopy:     %s", name, ddl, b[name])
			}
		}
		if t.Failed() {
			t.Logf("inspected:\n%s", r.Out)
		}
	})

	t.Run("promotion_replays_the_revision_file", func(t *testing.T) {
		p.mustRun(0, "apply", "--env", "staging", "--auto-approve")
		if r := p.run("plan", "--url", staging.URL, "--detailed-exitcode"); r.Code != 0 {
			t.Errorf("staging after promotion differs from schema.hcl: exit %d\n%s\n%s", r.Code, r.Out, r.Err)
		}
		if n := victimRows(t, staging.DB); n != 3 {
			t.Errorf("victim on staging has %d rows, want 3", n)
		}
		a, b := showCreate(t, dev.DB), showCreate(t, staging.DB)
		for name, ddl := range a {
			if b[name] != ddl {
				t.Errorf("table %q differs on staging:\ndev:     %s\nstaging: %s", name, ddl, b[name])
			}
		}
	})

	t.Run("rollback", func(t *testing.T) {
		p.mustRun(0, "rollback", "--env", "dev", "--auto-approve", "--allow-destructive")
		if n := victimRows(t, dev.DB); n != 3 {
			t.Errorf("victim has %d rows after rollback, want 3", n)
		}
		left := showCreate(t, dev.DB)
		if len(left) != 1 || left["victim"] == "" {
			t.Errorf("after rollback the tables are %v, want only victim", keys(left))
		}
	})
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestCLI_CommentOutsideBMP: MariaDB keeps table and column comments in
// utf8mb3, so a character outside the BMP (an emoji) is stored as '?'. A
// schema with one must still converge (Normalize can store it the way the
// server does) or be refused before anything runs — never a plan that
// repeats the same ALTER forever.
func TestCLI_CommentOutsideBMP(t *testing.T) {
	testdb.Server(t)
	for _, c := range []struct{ name, schema string }{
		{"table_comment", "table \"t\" {\n  comment = \"launch \U0001F680\"\n  column \"id\" {\n    type = int\n  }\n  primary_key = [\"id\"]\n}\n"},
		{"column_comment", "table \"t\" {\n  column \"id\" {\n    type    = int\n    comment = \"launch \U0001F680\"\n  }\n  primary_key = [\"id\"]\n}\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := testdb.New(t)
			p := newProject(t, map[string]string{"schema.hcl": c.schema})
			r := p.run("apply", "--url", db.URL, "--auto-approve")
			if r.Code != 0 {
				// Refused up front is fine, if nothing ran.
				if strings.Contains(r.Err, "[1/") {
					t.Errorf("apply failed after running statements:\n%s", r.Err)
				}
				return
			}
			if r := p.run("plan", "--url", db.URL, "--detailed-exitcode"); r.Code != 0 {
				t.Errorf("plan after apply: exit %d, want 0 (no changes):\n%s%s", r.Code, r.Out, r.Err)
			}
		})
	}
}

// TestCLI_HostileRevisionName: a --name with path separators, quotes and
// SQL stays a file name inside migrations/ and never reaches SQL as text.
func TestCLI_HostileRevisionName(t *testing.T) {
	testdb.Server(t)
	db := testdb.New(t)
	db.Exec(t, "CREATE TABLE victim (id int NOT NULL, PRIMARY KEY (id)); INSERT INTO victim VALUES (1)")
	p := newProject(t, map[string]string{
		"schema.hcl":           "table \"victim\" {\n  column \"id\" {\n    type = int\n  }\n  primary_key = [\"id\"]\n}\ntable \"t\" {\n  column \"id\" {\n    type = int\n  }\n  primary_key = [\"id\"]\n}\n",
		"environments/dev.hcl": fmt.Sprintf(envFile, "5s"),
	})
	p.Env = []string{"DEV_DATABASE_URL=" + db.URL}
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "../../x'; DROP TABLE victim; --\n/*")
	files := p.revisionFiles()
	if len(files) != 1 {
		t.Fatalf("%d revision files in migrations/, want 1", len(files))
	}
	base := files[0][len(p.Dir)+len("/migrations/"):]
	if strings.ContainsAny(base, "/\\'\"`;\n *") {
		t.Errorf("revision file name %q holds unsafe characters", base)
	}
	if n := victimRows(t, db.DB); n != 1 {
		t.Errorf("victim has %d rows, want 1", n)
	}
	h := p.history("dev")
	if len(h.Revisions) != 1 || h.Revisions[0].Status != "applied" {
		t.Errorf("history: %+v", h.Revisions)
	}
}
