package mysql

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/internal/testdb"
	"github.com/stratadb/strata/schema"
)

// insPrivilegeSchema creates foreign keys of every kind (composite, with
// actions, self-referencing, into another database, unnamed), checks,
// partitions, a view, triggers, a procedure, a function and an event, plus
// filler tables so that every path of
// the exact pass runs batched or on several connections.
func insPrivilegeSchema(t *testing.T) *testdb.DB {
	t.Helper()
	// Made first, dropped last: db's key points into it.
	other := testdb.New(t)
	db := testdb.New(t)
	other.Exec(t, "CREATE TABLE r (id int PRIMARY KEY)")
	db.Exec(t, "CREATE TABLE p (id int PRIMARY KEY, a int NOT NULL, b int NOT NULL, c int CHECK (c < 10),"+
		" UNIQUE KEY ab (a, b), CONSTRAINT pos CHECK (a > 0));"+
		"CREATE TABLE ch (id int PRIMARY KEY, pa int, pb int, parent int, o int, n int, j json,"+
		" KEY k (pa, pb), KEY kp (parent), KEY ko (o),"+
		" CONSTRAINT fk_comp FOREIGN KEY (pa, pb) REFERENCES p (a, b) ON DELETE CASCADE ON UPDATE SET NULL,"+
		" CONSTRAINT fk_self FOREIGN KEY (parent) REFERENCES ch (id) ON DELETE NO ACTION ON UPDATE RESTRICT,"+
		" CONSTRAINT fk_other FOREIGN KEY (o) REFERENCES `"+other.Name+"`.r (id) ON DELETE SET NULL,"+
		" FOREIGN KEY (id) REFERENCES p (id) ON UPDATE CASCADE, CHECK (n <> 0));"+
		"CREATE TABLE pt (id int NOT NULL, d date NOT NULL, PRIMARY KEY (id, d))"+
		" PARTITION BY RANGE (year(d)) (PARTITION p1 VALUES LESS THAN (2022), PARTITION p2 VALUES LESS THAN MAXVALUE);"+
		"CREATE TABLE pl (id int NOT NULL) PARTITION BY LIST (id) (PARTITION l1 VALUES IN (1,2,3), PARTITION ld DEFAULT);"+
		"CREATE VIEW v AS SELECT p.id, ch.parent FROM p JOIN ch ON ch.pa = p.a WHERE p.a > 1;"+
		"CREATE TRIGGER tr after insert ON p FOR EACH ROW SET @x = NEW.id;"+
		"CREATE TRIGGER tr2 BEFORE UPDATE ON ch FOR EACH ROW SET NEW.o = NULL;"+
		"CREATE PROCEDURE pr(IN x INT) DELETE FROM ch WHERE n = x;"+
		"CREATE FUNCTION fn(x INT) RETURNS INT DETERMINISTIC RETURN x + 1;"+
		"CREATE EVENT ev ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DISABLE DO DELETE FROM ch WHERE n < 0")
	insFillerTables(t, db, 20)
	return db
}

// insQueriers opens the three ways to inspect a database as the user of
// url: a pool, one session, a Reader.
func insQueriers(t *testing.T, url string) map[string]dialect.Querier {
	t.Helper()
	ctx := context.Background()
	pool, err := OpenURL(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	conn, err := pool.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	r, err := OpenReader(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return map[string]dialect.Querier{"pool": pool, "conn": conn, "reader": r}
}

// A user with SELECT, SHOW VIEW (a view's body), TRIGGER (triggers), EVENT
// (events) and SELECT on mysql.proc (routines) inspects the same model as
// root, on every path.
func TestDialect_InspectReadOnlyUser(t *testing.T) {
	db := insPrivilegeSchema(t)
	d := insDialect(t, db)
	root := insInspect(t, d, db.DB)
	if fk := root.Table("ch").ForeignKey("fk_comp"); fk == nil || fk.OnDelete != "CASCADE" || fk.OnUpdate != "SET NULL" {
		t.Fatalf("root's fk_comp = %+v, want ON DELETE CASCADE ON UPDATE SET NULL", fk)
	}
	if len(root.Views) != 1 || len(root.Triggers) != 2 || len(root.Routines) != 2 || len(root.Events) != 1 {
		t.Fatalf("root sees %d views, %d triggers, %d routines and %d events, want 1, 2, 2 and 1", len(root.Views), len(root.Triggers), len(root.Routines), len(root.Events))
	}
	user, url := testdb.User(t, db.Name, "SELECT, SHOW VIEW, TRIGGER, EVENT")
	if _, err := testdb.Server(t).Exec("GRANT SELECT ON mysql.proc TO '" + user + "'@'%'"); err != nil {
		t.Fatal(err)
	}
	for name, q := range insQueriers(t, url) {
		t.Run(name, func(t *testing.T) {
			got := insInspect(t, d, q)
			for _, df := range insDiff(root, got) {
				t.Error(df)
			}
			if got.Hash() != root.Hash() {
				t.Errorf("hash %s, root's %s", got.Hash(), root.Hash())
			}
		})
	}
}

// With SELECT alone the tables (foreign keys, checks, partitions) are
// still root's, on every path: MariaDB hides REFERENTIAL_CONSTRAINTS from
// that user, and the keys' actions come from SHOW CREATE TABLE.
func TestDialect_InspectSelectOnlyTables(t *testing.T) {
	db := insPrivilegeSchema(t)
	d := insDialect(t, db)
	root := insInspect(t, d, db.DB)
	user, url := testdb.User(t, db.Name, "SELECT")
	// The premise: this user gets no REFERENTIAL_CONSTRAINTS row (any
	// other privilege on the table, SHOW VIEW or TRIGGER too, shows them).
	var n int
	if err := insQueryRow(t, url, "SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()", &n); err != nil || n != 0 {
		t.Fatalf("%s sees %d REFERENTIAL_CONSTRAINTS rows (%v): the server no longer hides them, revisit exactForeignKeys", user, n, err)
	}
	for name, q := range insQueriers(t, url) {
		t.Run(name, func(t *testing.T) {
			got, err := d.InspectTables(context.Background(), q, []string{"p", "ch", "pt", "pl", "f000"})
			if err != nil {
				t.Fatal(err)
			}
			var want []*schema.Table
			for _, n := range []string{"ch", "f000", "p", "pl", "pt"} {
				want = append(want, root.Table(n))
			}
			for _, df := range insDiff(want, got.Tables) {
				t.Error(df)
			}
		})
	}
}

// insQueryRow runs a one-row query as the user of url.
func insQueryRow(t *testing.T, url, query string, dest ...any) error {
	t.Helper()
	db, err := OpenURL(context.Background(), url)
	if err != nil {
		return err
	}
	defer db.Close()
	return queryRow(context.Background(), db, query, dest...)
}

// What a user cannot see is said, with the privilege to grant: a view's
// body is an error naming SHOW VIEW; triggers the grants do not show are
// noted in the model, which root's never is.
func TestDialect_InspectUnseen(t *testing.T) {
	db := insPrivilegeSchema(t)
	d := insDialect(t, db)
	if root := insInspect(t, d, db.DB); root.TriggersHidden != "" {
		t.Errorf("root's model says triggers are hidden: %s", root.TriggersHidden)
	}
	user, url := testdb.User(t, db.Name, "SELECT")
	for name, q := range insQueriers(t, url) {
		t.Run("select/"+name, func(t *testing.T) {
			_, err := d.Inspect(context.Background(), q)
			if err == nil || !strings.Contains(err.Error(), "view `v`") || !strings.Contains(err.Error(), "GRANT SHOW VIEW ON `"+db.Name+"`.* TO '"+user+"'@'%'") {
				t.Errorf("Inspect with SELECT alone: %v; want an error naming view `v` and SHOW VIEW", err)
			}
		})
	}
	user, url = testdb.User(t, db.Name, "SELECT, SHOW VIEW")
	for name, q := range insQueriers(t, url) {
		t.Run("show view/"+name, func(t *testing.T) {
			s := insInspect(t, d, q)
			if len(s.Triggers) != 0 || !strings.Contains(s.TriggersHidden, "GRANT TRIGGER ON `"+db.Name+"`.* TO '"+user+"'@'%'") {
				t.Errorf("%d triggers, TriggersHidden %q; want none, and the grant to make", len(s.Triggers), s.TriggersHidden)
			}
			if len(s.Routines) != 0 || !strings.Contains(s.RoutinesHidden, "GRANT SELECT ON mysql.proc TO '"+user+"'@'%'") {
				t.Errorf("%d routines, RoutinesHidden %q; want none, and the grant to make", len(s.Routines), s.RoutinesHidden)
			}
			if len(s.Events) != 0 || !strings.Contains(s.EventsHidden, "GRANT EVENT ON `"+db.Name+"`.* TO '"+user+"'@'%'") {
				t.Errorf("%d events, EventsHidden %q; want none, and the grant to make", len(s.Events), s.EventsHidden)
			}
		})
	}
}

// A routine privilege shows every routine without its body: an error
// naming them and the grant, never a model without them.
func TestDialect_InspectRoutineBodiesHidden(t *testing.T) {
	db := insPrivilegeSchema(t)
	d := insDialect(t, db)
	user, url := testdb.User(t, db.Name, "SELECT, SHOW VIEW, TRIGGER, EVENT, EXECUTE")
	for name, q := range insQueriers(t, url) {
		t.Run(name, func(t *testing.T) {
			_, err := d.Inspect(context.Background(), q)
			if err == nil || !strings.Contains(err.Error(), "cannot read the definition of function `fn`, procedure `pr`") ||
				!strings.Contains(err.Error(), "GRANT SELECT ON mysql.proc TO '"+user+"'@'%'") {
				t.Errorf("Inspect with EXECUTE: %v; want an error naming the routines and mysql.proc", err)
			}
		})
	}
}

func TestParseTriggerGrants(t *testing.T) {
	tables := []string{"a", "b"}
	for _, c := range []struct {
		lines  []string
		flavor Flavor
		sees   bool
	}{
		{[]string{"GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION"}, MariaDB, true},
		{[]string{"GRANT USAGE ON *.* TO `u`@`%`", "GRANT SELECT ON `app`.* TO `u`@`%`"}, MariaDB, false},
		{[]string{"GRANT SELECT, SHOW VIEW, TRIGGER ON `app`.* TO `u`@`%`"}, MariaDB, true},
		{[]string{"GRANT SELECT, INSERT, UPDATE ON `app`.* TO `u`@`%`"}, MariaDB, true},
		{[]string{"GRANT SELECT, INSERT, UPDATE ON `app`.* TO `u`@`%`"}, MySQL, false},
		{[]string{"GRANT TRIGGER ON `other`.* TO `u`@`%`"}, MariaDB, false},
		{[]string{"GRANT TRIGGER ON `a\\_p%`.* TO `u`@`%`"}, MariaDB, false}, // app has no _ after a
		{[]string{"GRANT TRIGGER ON `ap%`.* TO `u`@`%`"}, MariaDB, true},
		{[]string{"GRANT TRIGGER ON `a_p`.* TO `u`@`%`"}, MariaDB, true},
		{[]string{"GRANT `r` TO `u`@`%`", "GRANT SELECT, TRIGGER ON `app`.* TO `r`"}, MariaDB, true},
		{[]string{"GRANT TRIGGER ON `app`.`a` TO `u`@`%`"}, MariaDB, false},
		{[]string{"GRANT TRIGGER ON `app`.`a` TO `u`@`%`", "GRANT DELETE ON `app`.`b` TO `u`@`%`"}, MariaDB, true},
		{[]string{"GRANT SELECT, INSERT (`x`, `y`) ON `app`.`a` TO `u`@`%`", "GRANT TRIGGER ON `app`.`b` TO `u`@`%`"}, MariaDB, false},
		{[]string{"GRANT EXECUTE ON PROCEDURE `app`.`p` TO `u`@`%`"}, MariaDB, false},
	} {
		if got := parseTriggerGrants(c.lines, "app", c.flavor).sees(tables); got != c.sees {
			t.Errorf("%s %q: sees %v, want %v", c.flavor, c.lines, got, c.sees)
		}
	}
}

func TestParseObjectGrants(t *testing.T) {
	for _, c := range []struct {
		lines  []string
		flavor Flavor
		want   objectGrant
	}{
		{[]string{"GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION"}, MariaDB, objectGrant{true, true, true}},
		{[]string{"GRANT USAGE ON *.* TO `u`@`%`", "GRANT SELECT ON `app`.* TO `u`@`%`"}, MariaDB, objectGrant{}},
		{[]string{"GRANT ALL PRIVILEGES ON `app`.* TO `u`@`%`"}, MariaDB, objectGrant{routineRows: true, events: true}},
		{[]string{"GRANT SELECT, EXECUTE ON `app`.* TO `u`@`%`"}, MariaDB, objectGrant{routineRows: true}},
		{[]string{"GRANT ALTER ROUTINE ON `a%`.* TO `u`@`%`"}, MariaDB, objectGrant{routineRows: true}},
		{[]string{"GRANT EXECUTE ON `other`.* TO `u`@`%`"}, MariaDB, objectGrant{}},
		{[]string{"GRANT EXECUTE ON PROCEDURE `app`.`p` TO `u`@`%`"}, MariaDB, objectGrant{}},
		{[]string{"GRANT SELECT ON `mysql`.`proc` TO `u`@`%`"}, MariaDB, objectGrant{routineRows: true, routineBodies: true}},
		{[]string{"GRANT SELECT ON `mysql`.* TO `u`@`%`"}, MariaDB, objectGrant{routineRows: true, routineBodies: true}},
		{[]string{"GRANT SELECT ON `mysql`.`event` TO `u`@`%`"}, MariaDB, objectGrant{}},
		{[]string{"GRANT SELECT ON *.* TO `u`@`%`"}, MariaDB, objectGrant{routineRows: true, routineBodies: true}},
		{[]string{"GRANT SELECT, EVENT ON `app`.* TO `u`@`%`"}, MariaDB, objectGrant{events: true}},
		{[]string{"GRANT `r` TO `u`@`%`", "GRANT EVENT ON `app`.* TO `r`"}, MariaDB, objectGrant{events: true}},
		{[]string{"GRANT SELECT ON `mysql`.`proc` TO `u`@`%`"}, MySQL, objectGrant{}},
		{[]string{"GRANT SHOW_ROUTINE ON *.* TO `u`@`%`"}, MySQL, objectGrant{routineRows: true, routineBodies: true}},
	} {
		if got := parseObjectGrants(c.lines, "app", c.flavor); got != c.want {
			t.Errorf("%s %q: %+v, want %+v", c.flavor, c.lines, got, c.want)
		}
	}
}

// A user that may not create temporary tables or views cannot have the
// server canonicalize: Canonicalize says so (ErrNotPermitted) instead of
// leaving the models as written without a word.
func TestDialect_CanonicalizeNotPermitted(t *testing.T) {
	db := testdb.New(t)
	db.Exec(t, "CREATE TABLE p (id int PRIMARY KEY)")
	d := insDialect(t, db)
	_, url := testdb.User(t, db.Name, "SELECT")
	pool, err := OpenURL(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	conn, err := pool.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tbl := &schema.Table{Name: "p", Columns: []*schema.Column{{Name: "id", Type: schema.Type{Name: "int"}, Default: "(1+2)"}}}
	if err := d.Canonicalize(context.Background(), conn, []*schema.Table{tbl}); !errors.Is(err, dialect.ErrNotPermitted) || !strings.Contains(err.Error(), "CREATE TEMPORARY TABLES") {
		t.Errorf("Canonicalize as a SELECT-only user: %v; want ErrNotPermitted naming CREATE TEMPORARY TABLES", err)
	}
	v := &schema.View{Name: "v", Definition: "select 1+2 AS x"}
	if err := d.CanonicalizeViews(context.Background(), conn, []*schema.View{v}); !errors.Is(err, dialect.ErrNotPermitted) || !strings.Contains(err.Error(), "CREATE VIEW") {
		t.Errorf("CanonicalizeViews as a SELECT-only user: %v; want ErrNotPermitted naming CREATE VIEW", err)
	}
}
