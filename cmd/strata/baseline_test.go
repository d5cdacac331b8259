package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/stratadb/strata/internal/testdb"
	"github.com/stratadb/strata/revision"
)

// Adoption on the real server. A legacy database with tables (their rows,
// foreign keys, a child table sorting before its parent), a view, a
// trigger, a procedure and Alembic's version table is adopted with
// strata baseline; a second identical one records the same baseline; a
// third that differs is refused with the difference as a plan and nothing
// recorded; an empty fourth is built from migrations/ alone and ends with
// the SHOW CREATE of every object equal to the first's.

const legacySchema = `
CREATE TABLE writers (id int NOT NULL AUTO_INCREMENT, name varchar(100) NOT NULL, PRIMARY KEY (id), UNIQUE KEY writers_name (name));
CREATE TABLE books (id int NOT NULL AUTO_INCREMENT, writer_id int NOT NULL, title varchar(200) NOT NULL, edits int NOT NULL DEFAULT 0,
  PRIMARY KEY (id), CONSTRAINT books_writer FOREIGN KEY (writer_id) REFERENCES writers (id) ON DELETE CASCADE);
CREATE TABLE reviews (id int NOT NULL, book_id int NOT NULL, stars tinyint NOT NULL, PRIMARY KEY (id),
  CONSTRAINT reviews_book FOREIGN KEY (book_id) REFERENCES books (id));
CREATE TABLE alembic_version (version_num varchar(32) NOT NULL, PRIMARY KEY (version_num));
CREATE VIEW book_list AS SELECT b.id, b.title, w.name AS writer FROM books b JOIN writers w ON w.id = b.writer_id;
CREATE TRIGGER books_edit BEFORE UPDATE ON books FOR EACH ROW SET NEW.edits = OLD.edits + 1;
CREATE PROCEDURE count_books(OUT n INT) READS SQL DATA SELECT COUNT(*) INTO n FROM books;
`

const legacyRows = `
INSERT INTO alembic_version VALUES ('3f2a1c9e7b');
INSERT INTO writers (name) VALUES ('Ann'), ('Bob'), ('Cy');
INSERT INTO books (writer_id, title) VALUES (1, 'One'), (2, 'Two'), (2, 'Three');
INSERT INTO reviews VALUES (1, 1, 5), (2, 3, 4);
UPDATE books SET title = 'Three!' WHERE id = 3;
`

// legacyData is every row of the legacy tables, for checking they are intact.
func legacyData(t *testing.T, db *sql.DB) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		"SELECT GROUP_CONCAT(CONCAT_WS(',', id, name) ORDER BY id SEPARATOR ';') FROM writers",
		"SELECT GROUP_CONCAT(CONCAT_WS(',', id, writer_id, title, edits) ORDER BY id SEPARATOR ';') FROM books",
		"SELECT GROUP_CONCAT(CONCAT_WS(',', id, book_id, stars) ORDER BY id SEPARATOR ';') FROM reviews",
		"SELECT GROUP_CONCAT(version_num) FROM alembic_version",
	} {
		var s sql.NullString
		if err := db.QueryRow(q).Scan(&s); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		b.WriteString(s.String + "\n")
	}
	return b.String()
}

// everyObject is the SHOW CREATE of every object of db but Strata's own
// tables and those named in skip: statements, and for views and triggers
// their creation context.
func everyObject(t *testing.T, admin *sql.DB, db string, skip ...string) map[string]string {
	t.Helper()
	out, err := dumpSchema(admin, db)
	if err != nil {
		t.Fatal(err)
	}
	ctxs, err := fidelityDump(admin, db)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range ctxs {
		if strings.HasPrefix(k, "view ") || strings.HasPrefix(k, "trigger ") {
			out[k+" (context)"] = v
		}
	}
	for _, k := range append(skip, "table strata_revision_events") {
		delete(out, k)
	}
	return out
}

func TestBaseline_MariaDB(t *testing.T) {
	admin := testdb.Server(t)
	dev, staging, prod, qa := testdb.New(t), testdb.New(t), testdb.New(t), testdb.New(t)
	for _, db := range []*testdb.DB{dev, staging, prod} {
		db.Exec(t, legacySchema)
		db.Exec(t, legacyRows)
	}
	// prod drifted before Strata: an index added and the trigger dropped.
	prod.Exec(t, "ALTER TABLE books ADD INDEX books_title (title); DROP TRIGGER books_edit")
	env := func(name string) string {
		return "url     = env(\"" + strings.ToUpper(name) + "_URL\")\nexclude = [\"alembic_version\"]\n"
	}
	p := newProject(t, map[string]string{
		"environments/dev.hcl":     env("dev"),
		"environments/staging.hcl": env("staging") + "promote_from = \"dev\"\n",
		"environments/prod.hcl":    env("prod") + "promote_from = \"staging\"\n",
		"environments/qa.hcl":      env("qa") + "promote_from = \"dev\"\n",
	})
	p.Env = []string{"DEV_URL=" + dev.URL, "STAGING_URL=" + staging.URL, "PROD_URL=" + prod.URL, "QA_URL=" + qa.URL}
	before := legacyData(t, dev.DB)
	want := everyObject(t, admin, dev.Name, "table alembic_version")
	for _, k := range []string{"table writers", "table books", "table reviews", "view book_list", "view book_list (context)",
		"trigger books_edit", "trigger books_edit (context)", "procedure count_books"} {
		if want[k] == "" {
			t.Fatalf("the dump of dev lacks %s: %v", k, want)
		}
	}
	if len(want) != 8 {
		t.Fatalf("the dump of dev has %d objects, want 8: %v", len(want), want)
	}

	// Nothing to adopt on an empty database, and no baseline yet to
	// build it from.
	r := p.mustRun(1, "baseline", "--env", "qa")
	if !strings.Contains(r.Err, "qa is empty: there is nothing to adopt; nothing was written or recorded. Describe the schema in schema.hcl") {
		t.Errorf("baseline of an empty database:\n%s", r.Err)
	}

	// 1. dev: the baseline revision, schema.hcl, and a record.
	r = p.mustRun(0, "baseline", "--env", "dev")
	for _, s := range []string{"Adopting dev: 3 tables (books, reviews, writers), 1 view (book_list), 1 trigger (books_edit) and 1 routine (count_books).",
		"Left out (exclude): table alembic_version.", "Recorded on dev as baselined", "Wrote schema.hcl from the same inspection."} {
		if !strings.Contains(r.Out, s) {
			t.Errorf("baseline --env dev lacks %q:\n%s", s, r.Out)
		}
	}
	files := p.revisionFiles()
	if len(files) != 1 || !strings.HasSuffix(files[0], "_baseline.sql") {
		t.Fatalf("revision files: %v", files)
	}
	text := readFile(t, files[0])
	for _, s := range []string{"-- kind: baseline\n", "-- dialect: mysql\n", "-- env: dev\n", "CREATE TABLE `writers`", "CREATE TABLE `reviews`",
		"VIEW `book_list`", "CREATE TRIGGER books_edit", "CREATE PROCEDURE `count_books`", "\n-- +down\n-- irreversible\n"} {
		if !strings.Contains(text, s) {
			t.Errorf("the baseline lacks %q:\n%s", s, text)
		}
	}
	if strings.Contains(text, "alembic_version") || strings.Contains(readFile(t, filepath.Join(p.Dir, "schema.hcl")), "alembic_version") {
		t.Errorf("the excluded alembic_version is in the baseline or schema.hcl:\n%s", text)
	}
	if strings.Contains(text, "AUTO_INCREMENT=") {
		t.Errorf("the baseline carries dev's counters:\n%s", text)
	}
	base, err := revision.Parse(files[0], []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	h := p.history("dev")
	if len(h.Events) != 1 || h.Events[0].Kind != "baseline" || h.Events[0].Outcome != "baselined" || h.Events[0].Done != 0 ||
		len(h.Revisions) != 1 || h.Revisions[0].Status != "baselined" || !h.Revisions[0].Baselined {
		t.Errorf("dev's history: %+v", h)
	}
	if r := p.mustRun(0, "status", "--env", "dev"); !strings.Contains(r.Out, "(baselined ") || !strings.Contains(r.Out, "Drift:        none") {
		t.Errorf("status --env dev:\n%s", r.Out)
	}
	p.mustRun(0, "plan", "--env", "dev", "--detailed-exitcode")
	if got := legacyData(t, dev.DB); got != before {
		t.Errorf("dev's rows changed:\n%s\nwant:\n%s", got, before)
	}
	if got := everyObject(t, admin, dev.Name, "table alembic_version"); fidelityDiff(got, want) != "" {
		t.Errorf("dev's schema changed: %s", fidelityDiff(got, want))
	}
	r = p.mustRun(1, "baseline", "--env", "dev")
	if !strings.Contains(r.Err, "dev already has a Strata history") || len(p.revisionFiles()) != 1 {
		t.Errorf("a second baseline of dev:\n%s", r.Err)
	}

	// 2. staging, identical: the same revision recorded.
	r = p.mustRun(0, "baseline", "--env", "staging")
	if !strings.Contains(r.Out, "staging has the schema of the baseline "+base.Name()) || !strings.Contains(r.Out, "Recorded on staging as baselined") {
		t.Errorf("baseline --env staging:\n%s", r.Out)
	}
	var sum, status string
	if err := staging.QueryRow("SELECT checksum, status FROM strata_revisions WHERE version = ?", base.Version).Scan(&sum, &status); err != nil {
		t.Fatal(err)
	}
	if sum != base.Checksum || status != "baselined" || len(p.revisionFiles()) != 1 {
		t.Errorf("staging recorded %s %s, want the baseline's %s baselined", sum, status, base.Checksum)
	}
	if r := p.mustRun(0, "apply", "--env", "staging", "--auto-approve"); !strings.Contains(r.Out, "No changes. staging is at the head") {
		t.Errorf("apply --env staging after its baseline:\n%s", r.Out)
	}

	// 3. prod differs: the difference as a plan, nothing recorded.
	r = p.mustRun(1, "baseline", "--env", "prod")
	for _, s := range []string{"prod holds 3 tables", "- index \"books_title\" (title)", "+ trigger \"books_edit\"", "ALTER TABLE `books` DROP INDEX `books_title`"} {
		if !strings.Contains(r.Out, s) {
			t.Errorf("the refused baseline of prod lacks %q:\n%s", s, r.Out)
		}
	}
	if !strings.Contains(r.Err, "is not the one the baseline "+base.Name()+" creates") || !strings.Contains(r.Err, "nothing was recorded") {
		t.Errorf("the refusal:\n%s", r.Err)
	}
	var n int
	if err := prod.QueryRow("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 'strata%'").Scan(&n); err != nil || n != 0 {
		t.Errorf("prod has %d Strata tables after the refusal (%v)", n, err)
	}
	// Fixed by hand, as the refusal says, it is adopted.
	prod.Exec(t, "ALTER TABLE books DROP INDEX books_title; CREATE TRIGGER books_edit BEFORE UPDATE ON books FOR EACH ROW SET NEW.edits = OLD.edits + 1")
	p.mustRun(0, "baseline", "--env", "prod")

	// 4. qa, empty, is built from migrations/ alone.
	if err := os.Remove(filepath.Join(p.Dir, "schema.hcl")); err != nil {
		t.Fatal(err)
	}
	r = p.mustRun(1, "baseline", "--env", "qa")
	if !strings.Contains(r.Err, "'strata apply --env qa' builds it from migrations (1 revision, starting with "+base.Name()+")") {
		t.Errorf("baseline of the empty qa:\n%s", r.Err)
	}
	r = p.mustRun(0, "apply", "--env", "qa", "--auto-approve")
	if !strings.Contains(r.Out, "Applying revision "+base.Name()) || !strings.Contains(r.Out, "Promotion complete: 1 revision applied to qa") {
		t.Errorf("apply --env qa:\n%s", r.Out)
	}
	if got := everyObject(t, admin, qa.Name); fidelityDiff(got, want) != "" {
		t.Errorf("qa built from migrations/ differs from dev: %s", fidelityDiff(got, want))
	}
	h = p.history("qa")
	if len(h.Events) != 1 || h.Events[0].Kind != "apply" || h.Events[0].Outcome != "applied" || h.Events[0].Done != len(base.Up) || h.Revisions[0].Baselined {
		t.Errorf("qa's history: %+v", h.Events)
	}
	// The baseline is never rolled back, wherever it ran.
	for _, env := range []string{"qa", "dev"} {
		r = p.mustRun(1, "rollback", "--env", env, "--auto-approve", "--allow-destructive")
		if !strings.Contains(r.Err, base.Name()+" is the baseline, the first revision of migrations") {
			t.Errorf("rollback --env %s:\n%s", env, r.Err)
		}
	}
	if got := everyObject(t, admin, qa.Name); fidelityDiff(got, want) != "" {
		t.Errorf("qa after the refused rollback: %s", fidelityDiff(got, want))
	}
	if got := legacyData(t, dev.DB); got != before {
		t.Errorf("dev's rows changed:\n%s\nwant:\n%s", got, before)
	}
}

const legacySQLite = `
CREATE TABLE writers (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE books (id INTEGER PRIMARY KEY, writer_id INTEGER NOT NULL REFERENCES writers (id) ON DELETE CASCADE, title TEXT NOT NULL, edits INTEGER NOT NULL DEFAULT 0);
CREATE INDEX books_writer ON books (writer_id);
CREATE TABLE alembic_version (version_num TEXT NOT NULL PRIMARY KEY);
CREATE VIEW book_list AS SELECT b.id, b.title, w.name AS writer FROM books b JOIN writers w ON w.id = b.writer_id;
CREATE TRIGGER books_edit AFTER UPDATE ON books FOR EACH ROW BEGIN UPDATE books SET edits = OLD.edits + 1 WHERE id = NEW.id AND NEW.edits = OLD.edits; END;
INSERT INTO alembic_version VALUES ('3f2a1c9e7b');
INSERT INTO writers VALUES (1, 'Ann'), (2, 'Bob');
INSERT INTO books (writer_id, title) VALUES (1, 'One'), (2, 'Two');
`

// sqliteObjects is sqlite_master's objects but Strata's own and those in
// skip, by type and name, with their SQL: SQLite keeps a created object's
// statement as written, so it shows what ran.
func sqliteObjects(t *testing.T, path string, skip ...string) map[string]string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT type, name, COALESCE(sql, '') FROM sqlite_master WHERE name NOT LIKE 'strata_%' AND name NOT LIKE 'sqlite_%'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			t.Fatal(err)
		}
		out[typ+" "+name] = text
	}
	for _, k := range skip {
		delete(out, k)
	}
	return out
}

// The embedded default: the same adoption on SQLite files, a refusal of a
// directory whose history does not start with a baseline, and a database
// built from migrations/ alone with the same objects (SQLite keeps the
// statements as written, so these are compared through Strata's model:
// the schema hash, and a plan with no changes).
func TestBaseline_SQLite(t *testing.T) {
	p := newProject(t, nil)
	path := func(name string) string { return filepath.Join(p.Dir, name+".db") }
	for _, name := range []string{"dev", "staging", "prod"} {
		p.write("environments/"+name+".hcl", "url     = \"sqlite://"+path(name)+"\"\nexclude = [\"alembic_version\"]\n")
		db, err := sql.Open("sqlite", path(name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(legacySQLite); err != nil {
			t.Fatal(err)
		}
		if name == "prod" {
			if _, err := db.Exec("CREATE INDEX books_title ON books (title)"); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()
	}
	p.write("environments/qa.hcl", "url          = \"sqlite://"+path("qa")+"\"\nexclude      = [\"alembic_version\"]\npromote_from = \"dev\"\n")

	// A history that does not start with a baseline cannot take one.
	p.write("other/schema.hcl", "table \"t\" {\n  column \"id\" {\n    type = integer\n  }\n  primary_key = [\"id\"]\n}\n")
	p.write("environments/scratch.hcl", "url = \"sqlite://"+path("scratch")+"\"\n")
	p.mustRun(0, "apply", "--env", "scratch", "--dir", filepath.Join(p.Dir, "other"), "--schema", filepath.Join(p.Dir, "other/schema.hcl"), "--auto-approve", "--name", "first")
	r := p.mustRun(1, "baseline", "--env", "dev", "--dir", filepath.Join(p.Dir, "other"))
	if !strings.Contains(r.Err, "is not a baseline: a baseline must be the first revision of a history") || strings.Contains(r.Err, "_baseline.sql") {
		t.Errorf("baseline into a history without one:\n%s", r.Err)
	}

	r = p.mustRun(0, "baseline", "--env", "dev")
	for _, s := range []string{"Adopting dev: 2 tables (writers, books), 1 view (book_list) and 1 trigger (books_edit).", "Left out (exclude): table alembic_version.",
		"Recorded on dev as baselined", "Wrote schema.hcl from the same inspection."} {
		if !strings.Contains(r.Out, s) {
			t.Errorf("baseline --env dev lacks %q:\n%s", s, r.Out)
		}
	}
	files := p.revisionFiles()
	if len(files) != 1 {
		t.Fatalf("revision files: %v", files)
	}
	text := readFile(t, files[0])
	if !strings.Contains(text, "-- kind: baseline\n") || !strings.Contains(text, "-- dialect: sqlite\n") || strings.Contains(text, "alembic_version") {
		t.Errorf("the baseline:\n%s", text)
	}
	p.mustRun(0, "plan", "--env", "dev", "--detailed-exitcode")
	if h := p.history("dev"); len(h.Events) != 1 || h.Events[0].Kind != "baseline" || h.Events[0].Outcome != "baselined" {
		t.Errorf("dev's history: %+v", h.Events)
	}

	p.mustRun(0, "baseline", "--env", "staging")
	r = p.mustRun(1, "baseline", "--env", "prod")
	if !strings.Contains(r.Out, "- index \"books_title\" (title)") || !strings.Contains(r.Err, "nothing was recorded") {
		t.Errorf("the refused baseline of prod:\n%s\n%s", r.Out, r.Err)
	}
	if got := sqliteObjects(t, path("prod")); got["table strata_revisions"] != "" {
		t.Errorf("prod has a history after the refusal")
	}

	// qa is built from migrations/ alone: schema.hcl is not read.
	if err := os.Remove(filepath.Join(p.Dir, "schema.hcl")); err != nil {
		t.Fatal(err)
	}
	r = p.mustRun(0, "apply", "--env", "qa", "--auto-approve")
	if !strings.Contains(r.Out, "Promotion complete: 1 revision applied to qa") {
		t.Errorf("apply --env qa:\n%s", r.Out)
	}
	if r := p.mustRun(0, "status", "--env", "qa"); !strings.Contains(r.Out, "Drift:        none (the live schema is the current revision's)") {
		t.Errorf("status --env qa:\n%s", r.Out)
	}
	want := sqliteObjects(t, path("dev"), "table alembic_version")
	got := sqliteObjects(t, path("qa"))
	if len(got) != len(want) || len(want) != 5 {
		t.Errorf("qa has %v, dev %v", got, want)
	}
	for k := range want {
		if _, ok := got[k]; !ok {
			t.Errorf("qa lacks %s", k)
		}
	}
	// The same model: planned against dev's schema file, qa has nothing
	// to change.
	p.write("dev.hcl", p.mustRun(0, "inspect", "--env", "dev").Out)
	p.mustRun(0, "plan", "--url", "sqlite://"+path("qa"), "--schema", filepath.Join(p.Dir, "dev.hcl"), "--detailed-exitcode")
	r = p.mustRun(1, "rollback", "--env", "qa", "--auto-approve", "--allow-destructive")
	if !strings.Contains(r.Err, "is the baseline, the first revision of migrations") {
		t.Errorf("rollback of the baseline:\n%s", r.Err)
	}
}
