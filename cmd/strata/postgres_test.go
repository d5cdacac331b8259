package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/stratadb/strata/internal/pgtestdb"
)

const pgSchema1 = `
object "schema" "billing" {
  definition = "CREATE SCHEMA billing"
}
object "type" "billing.status" {
  definition = "CREATE TYPE billing.status AS ENUM ('open', 'paid')"
}
table "customers" {
  column "id" {
    type     = bigint
    identity = "BY DEFAULT"
  }
  column "email" {
    type = varchar(191)
  }
  primary_key = ["id"]
  index "customers_email_key" {
    columns    = ["email"]
    unique     = true
    constraint = true
  }
}
table "billing.invoices" {
  comment = "One a month"
  column "id" {
    type = serial
  }
  column "customer_id" {
    type = bigint
  }
  column "status" {
    type    = "billing.status"
    default = sql("'open'::billing.status")
  }
  column "note" {
    type = varchar(40)
    null = true
  }
  primary_key = ["id"]
  foreign_key "invoices_customer_fk" {
    columns     = ["customer_id"]
    ref_table   = "customers"
    ref_columns = ["id"]
    on_delete   = "CASCADE"
  }
  index "invoices_open" {
    columns = ["customer_id"]
    where   = "status = 'open'::billing.status"
  }
}
`

// pgSchema2 adds a column, renames one and narrows another.
var pgSchema2 = strings.Replace(strings.Replace(pgSchema1, `  column "note" {
    type = varchar(40)
    null = true
  }`, `  column "memo" {
    type         = varchar(10)
    null         = true
    renamed_from = "note"
  }
  column "due" {
    type = date
    null = true
  }`, 1), "", "", 1)

// TestPostgres_revisions: on PostgreSQL, apply writes and records a
// revision that runs in one transaction, plan converges, status and
// history read the record, a failing revision leaves nothing behind,
// promotion replays the revision on another database, and rollback undoes
// it keeping the rows.
func TestPostgres_revisions(t *testing.T) {
	dev, staging := pgtestdb.New(t), pgtestdb.New(t)
	p := newProject(t, map[string]string{
		"schema.hcl":               pgSchema1,
		"environments/dev.hcl":     fmt.Sprintf(envFile, "5s"),
		"environments/staging.hcl": "url = env(\"STAGING_DATABASE_URL\")\npromote_from = \"dev\"\n",
	})
	p.Env = []string{"DEV_DATABASE_URL=" + dev.URL, "STAGING_DATABASE_URL=" + staging.URL}
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "create")
	if r := p.mustRun(0, "plan", "--env", "dev", "--detailed-exitcode"); !strings.Contains(r.Out, "No changes") {
		t.Errorf("plan after apply:\n%s", r.Out)
	}
	if n := len(p.revisionFiles()); n != 1 {
		t.Fatalf("%d revision files, want 1", n)
	}
	rev := readFile(t, p.revisionFiles()[0])
	for _, want := range []string{"dialect: postgres", "CREATE SCHEMA billing", `CREATE TABLE "billing"."invoices"`, `"customers_email_key" UNIQUE`} {
		if !strings.Contains(rev, want) {
			t.Errorf("revision lacks %q:\n%s", want, rev)
		}
	}
	dev.Exec(t, "INSERT INTO customers (email) VALUES ('ada@example.com'); INSERT INTO billing.invoices (customer_id, note) VALUES (1, 'short'), (1, 'a note longer than ten')")

	// Narrowing fails on the long note: the whole revision is rolled back.
	p.write("schema.hcl", pgSchema2)
	r := p.mustRun(1, "apply", "--env", "dev", "--auto-approve", "--name", "change")
	if !strings.Contains(r.Err+r.Out, "value too long") {
		t.Errorf("failed apply said:\n%s%s", r.Out, r.Err)
	}
	if cols := pgColumns(t, dev.DB, "billing", "invoices"); cols != "id,customer_id,status,note" {
		t.Errorf("after the failed revision the columns are %s; want them untouched", cols)
	}
	if st := p.mustRun(0, "status", "--env", "dev"); strings.Contains(st.Out, "partial") {
		t.Errorf("a transactional revision left a partial record:\n%s", st.Out)
	}
	dev.Exec(t, "UPDATE billing.invoices SET note = 'long' WHERE id = 2")
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve", "--name", "change")
	if cols := pgColumns(t, dev.DB, "billing", "invoices"); cols != "id,customer_id,status,memo,due" {
		t.Errorf("columns %s", cols)
	}
	if got := pgString(t, dev.DB, "SELECT string_agg(memo, ',' ORDER BY id) FROM billing.invoices"); got != "short,long" {
		t.Errorf("memo after the rename: %q", got)
	}
	p.mustRun(0, "plan", "--env", "dev", "--detailed-exitcode")

	// Promotion replays both revisions on staging.
	if st := p.mustRun(0, "status", "--env", "staging"); !strings.Contains(st.Out, "2") {
		t.Errorf("status of staging:\n%s", st.Out)
	}
	p.mustRun(0, "apply", "--env", "staging", "--auto-approve")
	if cols := pgColumns(t, staging.DB, "billing", "invoices"); cols != "id,customer_id,status,memo,due" {
		t.Errorf("staging columns %s", cols)
	}

	// Rollback of the second revision keeps the rows and the renamed data.
	p.mustRun(0, "rollback", "--env", "dev", "--auto-approve", "--allow-destructive")
	if cols := pgColumns(t, dev.DB, "billing", "invoices"); cols != "id,customer_id,status,note" {
		t.Errorf("columns after rollback %s", cols)
	}
	if got := pgString(t, dev.DB, "SELECT string_agg(note, ',' ORDER BY id) FROM billing.invoices"); got != "short,long" {
		t.Errorf("note after rollback: %q", got)
	}
	h := p.history("dev")
	var kinds []string
	for _, e := range h.Events {
		kinds = append(kinds, e.Kind+":"+e.Outcome)
		if e.DBUser == "" {
			t.Errorf("event %+v has no database user", e)
		}
	}
	if got := strings.Join(kinds, " "); got != "apply:applied apply:applied rollback:rolled_back" {
		t.Errorf("events %s", got)
	}
}

// TestPostgres_lock: a second apply waits for the advisory lock another
// session holds and gives up after lock_timeout naming the holder.
func TestPostgres_lock(t *testing.T) {
	db := pgtestdb.New(t)
	p := newProject(t, map[string]string{
		"schema.hcl":           pgSchema1,
		"environments/dev.hcl": fmt.Sprintf(envFile, "1s"),
	})
	p.Env = []string{"DEV_DATABASE_URL=" + db.URL}
	ctx := context.Background()
	conn, err := db.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(hashtextextended('strata:"+db.Name+"', 0))"); err != nil {
		t.Fatal(err)
	}
	r := p.mustRun(1, "apply", "--env", "dev", "--auto-approve")
	if !strings.Contains(r.Err, "is still held by connection") || !strings.Contains(r.Err, "nothing was changed") {
		t.Errorf("apply under a held lock said:\n%s", r.Err)
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_unlock_all()"); err != nil {
		t.Fatal(err)
	}
	p.mustRun(0, "apply", "--env", "dev", "--auto-approve")
}

func pgColumns(t *testing.T, db *sql.DB, nsp, table string) string {
	t.Helper()
	return pgString(t, db, fmt.Sprintf(`SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute
WHERE attrelid = '%s.%s'::regclass AND attnum > 0 AND NOT attisdropped`, nsp, table))
}

func pgString(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	var s sql.NullString
	if err := db.QueryRow(q).Scan(&s); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return s.String
}
