package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stratadb/strata/internal/testdb"
)

// Fidelity on the real server: a schema made by hand (through the mariadb
// client, under a chosen client character set) is inspected to HCL and
// applied to another database, which must then show exactly the same
// SHOW CREATE of every object, creation context included (character set
// client, connection collation, sql_mode), and plan no change. Each case
// goes on through upgrades made by hand on the source (a body changed, an
// object renamed or dropped), each carried over the same way.

// fidelityStep is SQL run on the source database with the mariadb client.
type fidelityStep struct {
	name string
	// charset is the client's --default-character-set; "" leaves the
	// client's own default (utf8mb3 for the mariadb client of MariaDB 10.11).
	charset string
	sql     string
}

func runFidelity(t *testing.T, steps []fidelityStep) {
	t.Helper()
	admin := testdb.Server(t)
	src := testdb.New(t)
	dst := testdb.New(t)
	hcl := filepath.Join(t.TempDir(), "schema.hcl")
	for i, st := range steps {
		if err := mariadbClientAs(src.Name, st.charset, st.sql); err != nil {
			t.Fatalf("step %d (%s): source SQL: %v", i+1, st.name, err)
		}
		res := runCLI(t, nil, "inspect", "--url", src.URL)
		if res.Code != 0 {
			t.Fatalf("step %d (%s): inspect: %s", i+1, st.name, res.Err)
		}
		if err := os.WriteFile(hcl, []byte(res.Out), 0o644); err != nil {
			t.Fatal(err)
		}
		res = runCLI(t, nil, "apply", "--url", dst.URL, "--schema", hcl, "--auto-approve", "--allow-destructive")
		if res.Code != 0 {
			t.Fatalf("step %d (%s): apply: %s\n%s\nHCL:\n%s", i+1, st.name, res.Err, res.Out, readFile(t, hcl))
		}
		want, err := fidelityDump(admin, src.Name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := fidelityDump(admin, dst.Name)
		if err != nil {
			t.Fatal(err)
		}
		if d := fidelityDiff(got, want); d != "" {
			t.Fatalf("step %d (%s): the copy differs from the source:\n%s\nHCL:\n%s\napplied:\n%s", i+1, st.name, d, readFile(t, hcl), res.Out)
		}
		res = runCLI(t, nil, "plan", "--url", dst.URL, "--schema", hcl, "--detailed-exitcode")
		if res.Code != 0 {
			t.Fatalf("step %d (%s): not converged (exit %d):\n%s%s", i+1, st.name, res.Code, res.Out, res.Err)
		}
	}
}

// fidelityDump is every object of db as the server shows it: SHOW CREATE
// TABLE (AUTO_INCREMENT aside), SHOW CREATE VIEW and SHOW CREATE TRIGGER
// with every column but the creation time, definers and the database's own
// qualifier aside, and each trigger's ACTION_ORDER.
func fidelityDump(q *sql.DB, db string) (map[string]string, error) {
	ctx := context.Background()
	out := map[string]string{}
	strip := func(s string) string {
		return strings.ReplaceAll(definerRE.ReplaceAllString(s, ""), "`"+db+"`.", "")
	}
	objects, err := tablesOf(q, db)
	if err != nil {
		return nil, err
	}
	for _, o := range objects {
		if o.name == "strata_revisions" {
			continue
		}
		if o.kind == "VIEW" {
			var name, def, cs, coll string
			if err := q.QueryRowContext(ctx, fmt.Sprintf("SHOW CREATE VIEW `%s`.`%s`", db, o.name)).Scan(&name, &def, &cs, &coll); err != nil {
				return nil, err
			}
			out["view "+o.name] = strip(def) + "\ncharacter_set_client: " + cs + "\ncollation_connection: " + coll
			continue
		}
		var name, def string
		if err := q.QueryRowContext(ctx, fmt.Sprintf("SHOW CREATE TABLE `%s`.`%s`", db, o.name)).Scan(&name, &def); err != nil {
			return nil, err
		}
		out["table "+o.name] = autoIncrementRE.ReplaceAllString(def, "")
	}
	trows, err := q.QueryContext(ctx, "SELECT trigger_name, action_order FROM information_schema.triggers WHERE trigger_schema = ? ORDER BY trigger_name", db)
	if err != nil {
		return nil, err
	}
	orders := map[string]string{}
	var triggers []string
	for trows.Next() {
		var n, order string
		if err := trows.Scan(&n, &order); err != nil {
			return nil, err
		}
		triggers = append(triggers, n)
		orders[n] = order
	}
	trows.Close()
	for _, n := range triggers {
		cols, vals, err := showCreateRow(q, fmt.Sprintf("SHOW CREATE TRIGGER `%s`.`%s`", db, n))
		if err != nil {
			return nil, err
		}
		var b strings.Builder
		for i, c := range cols {
			if c == "Created" || c == "Trigger" {
				continue
			}
			fmt.Fprintf(&b, "%s: %s\n", c, strip(vals[i].String))
		}
		b.WriteString("ACTION_ORDER: " + orders[n])
		out["trigger "+n] = b.String()
	}
	return out, nil
}

// fidelityDiff is "" when both dumps are equal, else the first difference.
func fidelityDiff(got, want map[string]string) string {
	keys := map[string]bool{}
	for k := range got {
		keys[k] = true
	}
	for k := range want {
		keys[k] = true
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		g, gok := got[k]
		w, wok := want[k]
		switch {
		case !gok:
			return k + " is missing"
		case !wok:
			return k + " should not be there"
		case g != w:
			return fmt.Sprintf("%s:\n--- got\n%s\n--- want\n%s", k, g, w)
		}
	}
	return ""
}

// MEMORY keys are HASH by default, and SHOW CREATE TABLE shows USING only
// where it was written: implicit, explicit HASH and explicit BTREE keys
// (primary and secondary) each come back as they were.
func TestFidelity_memoryIndexMethods(t *testing.T) {
	runFidelity(t, []fidelityStep{
		{name: "create", sql: `
CREATE TABLE m_implicit (id int NOT NULL, a int, b varchar(20), PRIMARY KEY (id), KEY ka (a), UNIQUE KEY ub (b)) ENGINE=MEMORY;
CREATE TABLE m_hash (id int NOT NULL, a int, PRIMARY KEY (id) USING HASH, KEY ka (a) USING HASH) ENGINE=MEMORY;
CREATE TABLE m_btree (id int NOT NULL, a int, b int, PRIMARY KEY (id) USING BTREE, KEY ka (a) USING BTREE, KEY kb (b)) ENGINE=MEMORY;
CREATE TABLE i_methods (id int NOT NULL, a int, b int, PRIMARY KEY (id) USING BTREE, KEY ka (a) USING HASH, KEY kb (b)) ENGINE=InnoDB;
`},
		{name: "add keys", sql: `
ALTER TABLE m_implicit ADD KEY kab (a, b), ADD KEY kbh (b) USING HASH;
ALTER TABLE m_btree ADD COLUMN c int, ADD KEY kc (c) USING BTREE;
`},
		{name: "change methods", sql: `
ALTER TABLE m_hash DROP KEY ka, ADD KEY ka (a);
ALTER TABLE m_btree DROP KEY kb, ADD KEY kb (b) USING HASH;
`},
		{name: "rename and drop", sql: `
ALTER TABLE m_implicit RENAME KEY kab TO k_ab;
DROP TABLE m_hash;
RENAME TABLE m_btree TO m_btree2;
`},
	})
}

// SHOW CREATE TRIGGER shows the statement as written: a header over
// several lines, unquoted or oddly spelled names and words come back as
// they were, through a changed body, a rename and a drop.
func TestFidelity_triggerHeaders(t *testing.T) {
	runFidelity(t, []fidelityStep{
		{name: "create", charset: "utf8mb4", sql: `
CREATE TABLE x (id int NOT NULL PRIMARY KEY, n int);
DELIMITER //
CREATE TRIGGER t_del BEFORE DELETE ON x
FOR EACH ROW BEGIN
  SET @a = OLD.n;
END//
DELIMITER ;
create trigger   t_ins
  after insert on x for each row set @b = NEW.n;
CREATE TRIGGER IF NOT EXISTS ` + "`t_upd`" + ` Before Update ON x /* dropped by the server */ FOR EACH ROW SET NEW.n = NEW.n + 1;
CREATE TRIGGER ` + "`t_plain`" + ` AFTER UPDATE ON ` + "`x`" + ` FOR EACH ROW SET @c = 1;
`},
		{name: "body changed", charset: "utf8mb4", sql: `
DROP TRIGGER t_ins;
create trigger   t_ins
  after insert on x for each row set @b = NEW.n * 2;
`},
		{name: "renamed", charset: "utf8mb4", sql: `
DROP TRIGGER t_del;
DELIMITER //
CREATE TRIGGER t_del2 BEFORE DELETE ON x
FOR EACH ROW BEGIN
  SET @a = OLD.n;
END//
DELIMITER ;
`},
		{name: "table renamed", charset: "utf8mb4", sql: `RENAME TABLE x TO y;`},
		{name: "dropped", charset: "utf8mb4", sql: `DROP TRIGGER t_upd;`},
	})
}

// Views and triggers keep the client character set, connection collation
// and sql_mode they were created under: made under a utf8mb3 and a latin1
// client and under a non-default sql_mode, each copy shows the same
// context, and definitions only valid under it (a utf8mb3 collation, ANSI
// quotes) are recreated.
func TestFidelity_creationContext(t *testing.T) {
	runFidelity(t, []fidelityStep{
		{name: "tables", charset: "utf8mb4", sql: `
CREATE TABLE x (id int NOT NULL PRIMARY KEY, s varchar(20), l varchar(20) CHARACTER SET latin1);
CREATE VIEW v_plain AS SELECT id, s FROM x;
CREATE TRIGGER t_plain BEFORE INSERT ON x FOR EACH ROW SET NEW.s = 'plain';
`},
		{name: "utf8mb3 client", charset: "utf8mb3", sql: `
CREATE VIEW v_mb3 AS SELECT id, 'x' COLLATE utf8mb3_bin AS c, concat(s, ' ') AS sp FROM x;
CREATE TRIGGER t_mb3 BEFORE UPDATE ON x FOR EACH ROW SET NEW.s = concat(NEW.s, ' é');
`},
		{name: "latin1 client", charset: "latin1", sql: `
CREATE VIEW v_latin1 AS SELECT id, l = 'a' COLLATE latin1_bin AS eq FROM x;
CREATE TRIGGER t_latin1 AFTER INSERT ON x FOR EACH ROW SET @l = 'latin1';
`},
		{name: "sql_mode", charset: "utf8mb4", sql: `
SET sql_mode = 'ANSI_QUOTES,NO_BACKSLASH_ESCAPES';
CREATE TRIGGER "t_ansi" BEFORE DELETE ON "x" FOR EACH ROW SET @p = 'a\b', @q = "id";
SET sql_mode = '';
CREATE TRIGGER t_empty AFTER DELETE ON x FOR EACH ROW SET @e = 1;
`},
		{name: "body changed, renamed, dropped", charset: "latin1", sql: `
DROP TRIGGER t_latin1;
CREATE TRIGGER t_latin1 AFTER INSERT ON x FOR EACH ROW SET @l = 'changed';
CREATE OR REPLACE VIEW v_mb3 AS SELECT id FROM x;
DROP VIEW v_latin1;
CREATE VIEW v_latin1b AS SELECT id, l = 'a' COLLATE latin1_bin AS eq FROM x;
DROP TRIGGER t_empty;
`},
	})
}
