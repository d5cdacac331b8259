package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/dialect/postgres"
	"github.com/stratadb/strata/internal/pgtestdb"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/schema"
)

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		url, db, searchPath, err string
	}{
		{url: "postgres://app:s3cret@db.internal:5433/shop?sslmode=disable&search_path=billing", db: "shop", searchPath: "billing"},
		{url: "postgresql://app@127.0.0.1/shop", db: "shop"},
		{url: "mysql://app@127.0.0.1/shop", err: `scheme "mysql" is not postgres:// or postgresql://`},
		{url: "postgres://app:s3cret@127.0.0.1:5432/", err: "no database name"},
		{url: "postgres://app:s3%ZZcret@127.0.0.1:5432/shop", err: "invalid database URL"},
	} {
		cfg, err := postgres.ParseURL(tc.url)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.url, err, tc.err)
			}
			if err != nil && strings.Contains(err.Error(), "s3") {
				t.Errorf("%s: error shows the password: %v", tc.url, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.url, err)
			continue
		}
		if cfg.Database != tc.db || cfg.RuntimeParams["search_path"] != tc.searchPath {
			t.Errorf("%s: database %q search_path %q", tc.url, cfg.Database, cfg.RuntimeParams["search_path"])
		}
	}
}

func TestOpen_wrongPasswordIsNotShown(t *testing.T) {
	pgtestdb.Server(t)
	_, err := postgres.Open(context.Background(), "postgres://nobody_here:hunter2@127.0.0.1:5432/postgres?sslmode=disable")
	if err == nil {
		t.Skip("the server lets anyone in")
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error shows the password: %v", err)
	}
}

func open(t *testing.T, db *pgtestdb.DB) (*postgres.Dialect, *sql.DB) {
	t.Helper()
	d, err := postgres.Open(context.Background(), db.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.DB.Close() })
	return d.Dialect.(*postgres.Dialect), d.DB
}

const realistic = `
CREATE EXTENSION IF NOT EXISTS citext;
CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'money';
CREATE TYPE billing.status AS ENUM ('open', 'paid', 'void');
CREATE DOMAIN billing.cents AS bigint CHECK (VALUE >= 0);
CREATE SEQUENCE billing.invoice_no START 1000 INCREMENT 10;
CREATE COLLATION billing.case_insensitive (provider = icu, deterministic = false, locale = 'und-u-ks-level2');
COMMENT ON COLLATION billing.case_insensitive IS 'compares without case';
CREATE COLLATION billing.c_utf8 (provider = libc, locale = 'C.UTF-8');
CREATE FUNCTION billing.float_diff(float8, float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS 'SELECT $1 - $2';
CREATE TYPE billing.cents_range AS RANGE (subtype = bigint);
CREATE TYPE billing.rate_range AS RANGE (subtype = float8, subtype_diff = billing.float_diff);
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email citext NOT NULL,
  name varchar(100) COLLATE "C",
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  flags int[] DEFAULT '{}',
  handle text COLLATE billing.case_insensitive,
  credit billing.cents_range,
  credits billing.cents_multirange,
  CONSTRAINT users_email_key UNIQUE (email) DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT users_name_check CHECK (name <> '')
);
COMMENT ON TABLE users IS 'people';
COMMENT ON COLUMN users.email IS 'login';
CREATE UNLOGGED TABLE sessions (token text PRIMARY KEY, user_id bigint REFERENCES users ON DELETE CASCADE);
CREATE TABLE billing.invoices (
  id serial,
  no bigint NOT NULL DEFAULT nextval('billing.invoice_no'),
  user_id bigint NOT NULL,
  status billing.status NOT NULL DEFAULT 'open',
  total billing.cents,
  total_tax numeric(12,2) GENERATED ALWAYS AS (total * 0.2) STORED,
  CONSTRAINT invoices_pk PRIMARY KEY (id) INCLUDE (status),
  CONSTRAINT invoices_user_fk FOREIGN KEY (user_id) REFERENCES users (id) MATCH FULL ON UPDATE RESTRICT
);
CREATE INDEX invoices_open ON billing.invoices (user_id, (no * 2) DESC NULLS LAST) INCLUDE (total) WHERE status = 'open';
CREATE INDEX users_name_trgm ON users USING hash (name);
CREATE VIEW billing.open_invoices AS SELECT i.id, u.email FROM billing.invoices i JOIN users u ON u.id = i.user_id WHERE i.status = 'open';
CREATE MATERIALIZED VIEW billing.totals AS SELECT user_id, sum(total) AS total FROM billing.invoices GROUP BY user_id;
CREATE FUNCTION billing.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.total := coalesce(NEW.total, 0); RETURN NEW; END $$;
CREATE TRIGGER invoices_touch BEFORE INSERT ON billing.invoices FOR EACH ROW EXECUTE FUNCTION billing.touch();
ALTER TABLE billing.invoices ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON billing.invoices FOR SELECT TO PUBLIC USING (user_id > 0);
`

// TestInspect reads a realistic schema into the model as the package
// documentation says.
func TestInspect(t *testing.T) {
	db := pgtestdb.New(t)
	db.Exec(t, realistic)
	d, conn := open(t, db)
	s, err := d.Inspect(context.Background(), conn)
	if err != nil {
		t.Fatal(err)
	}
	users := s.Table("users")
	inv := s.Table("billing.invoices")
	if users == nil || inv == nil || s.Table("sessions") == nil {
		t.Fatalf("tables: %v", names(s))
	}
	col := func(t *schema.Table, n string) *schema.Column { return t.Column(n) }
	for _, c := range []struct {
		got, want string
	}{
		{col(users, "id").Type.Name + " " + col(users, "id").Identity, "bigint ALWAYS"},
		{col(users, "email").Type.Name + " " + col(users, "email").Comment, "citext login"},
		{col(users, "name").Type.Name + " " + col(users, "name").Collate, `character varying(100) "C"`},
		{col(users, "created_at").Type.Name + " " + col(users, "created_at").Default, "timestamp(3) with time zone now()"},
		{col(users, "flags").Type.Name + " " + col(users, "flags").Default, "integer[] '{}'::integer[]"},
		{col(inv, "id").Type.Name + " " + col(inv, "id").Default, "serial "},
		{col(inv, "no").Default, "nextval('billing.invoice_no'::regclass)"},
		{col(inv, "status").Type.Name + " " + col(inv, "status").Default, "billing.status 'open'::billing.status"},
		{col(inv, "total_tax").Generated.Expr, "((total)::numeric * 0.2)"},
		{users.Options.Comment + " " + s.Table("sessions").Options.Extra, "people unlogged"},
		{inv.PrimaryKey.Name + " " + strings.Join(inv.PrimaryKey.Include, ","), "invoices_pk status"},
		{users.PrimaryKey.Name, "PRIMARY"},
		{users.Checks[0].Expr, "((name)::text <> ''::text)"},
		{users.Index("users_name_trgm").Using, "HASH"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	uk := users.Index("users_email_key")
	if uk == nil || !uk.Constraint || !uk.Deferrable || !uk.InitiallyDeferred || uk.Kind != schema.IndexUnique {
		t.Errorf("unique constraint: %+v", uk)
	}
	ix := inv.Index("invoices_open")
	if ix == nil || len(ix.Parts) != 2 || ix.Parts[0].Column != "user_id" || ix.Parts[1].Expr != "((no * 2)) DESC NULLS LAST" ||
		strings.Join(ix.Include, ",") != "total" || ix.Where != "status = 'open'::billing.status" {
		t.Errorf("partial index: %+v", ix)
	}
	fk := inv.ForeignKeys[0]
	if fk.RefTable != "users" || fk.Match != "FULL" || fk.OnUpdate != schema.ActionRestrict || fk.OnDelete != schema.ActionNoAction {
		t.Errorf("foreign key: %+v", fk)
	}
	v := s.View("billing.open_invoices")
	if v == nil || strings.Join(v.DependsOn, ",") != "billing.invoices,users" {
		t.Errorf("view: %+v", v)
	}
	kinds := map[string]bool{}
	for _, o := range s.Objects {
		kinds[o.Kind+" "+o.Name] = true
	}
	for _, want := range []string{"extension citext", "schema billing", "type billing.status", "domain billing.cents",
		"sequence billing.invoice_no", "materialized_view billing.totals", "function billing.touch()",
		"trigger invoices_touch on billing.invoices", "row_security billing.invoices", "policy own on billing.invoices",
		"comment SCHEMA billing", "collation billing.case_insensitive", "comment COLLATION billing.case_insensitive",
		"type billing.cents_range", "function billing.float_diff(double precision, double precision)"} {
		if !kinds[want] {
			t.Errorf("no object %s among %v", want, kinds)
		}
	}
	defs := map[string]string{}
	for _, o := range s.Objects {
		defs[o.Kind+" "+o.Name] = o.Definition
	}
	for name, want := range map[string]string{
		"collation billing.case_insensitive": `CREATE COLLATION billing.case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false)`,
		"collation billing.c_utf8":           `CREATE COLLATION billing.c_utf8 (provider = libc, locale = 'C.UTF-8')`,
		"type billing.cents_range":           `CREATE TYPE billing.cents_range AS RANGE (subtype = bigint, multirange_type_name = billing.cents_multirange)`,
		"type billing.rate_range": `CREATE TYPE billing.rate_range AS RANGE (subtype = double precision, subtype_diff = billing.float_diff, ` +
			`multirange_type_name = billing.rate_multirange)`,
	} {
		if defs[name] != want {
			t.Errorf("%s:\n got %s\nwant %s", name, defs[name], want)
		}
	}
	for name := range kinds {
		if strings.HasPrefix(name, "function billing.cents_") || strings.HasPrefix(name, "type billing.cents_multirange") {
			t.Errorf("%s is the range type's own, not an object of its own", name)
		}
	}
	if kinds["sequence billing.invoices_id_seq"] {
		t.Error("a serial's own sequence is an object of its own")
	}
}

// TestRoundTrip: the plan from an empty database to an inspected schema,
// run on an empty database, gives the same schema (hash), and planning
// again changes nothing.
func TestRoundTrip(t *testing.T) {
	src := pgtestdb.New(t)
	src.Exec(t, realistic)
	d, conn := open(t, src)
	ctx := context.Background()
	want, err := d.Inspect(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	dst := pgtestdb.New(t)
	d2, conn2 := open(t, dst)
	empty, err := d2.Inspect(ctx, conn2)
	if err != nil {
		t.Fatal(err)
	}
	p, err := planner.Build(empty, want, planner.Diff(empty, want, d2), d2, dialect.GenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := conn2.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var stmts []string
	for _, s := range p.Statements() {
		stmts = append(stmts, s.SQL)
	}
	if err := d2.ApplyTx(ctx, c, stmts, func(*sql.Tx) error { return nil }); err != nil {
		t.Fatalf("apply: %v\n%s", err, strings.Join(stmts, ";\n"))
	}
	got, err := d2.Inspect(ctx, conn2)
	if err != nil {
		t.Fatal(err)
	}
	if got.Hash() != want.Hash() {
		t.Errorf("round trip differs: %v", planner.Diff(got, want, d2))
	}
	if again := planner.Diff(got, want, d2); len(again) != 0 {
		t.Errorf("second plan: %d changes", len(again))
	}
}

// TestApplyTx: a failing statement rolls back the ones before it.
func TestApplyTx(t *testing.T) {
	db := pgtestdb.New(t)
	d, conn := open(t, db)
	ctx := context.Background()
	c, err := conn.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	err = d.ApplyTx(ctx, c, []string{"CREATE TABLE a (id int)", "CREATE TABLE a (id int)"}, func(*sql.Tx) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "statement 2 of 2") {
		t.Fatalf("error %v", err)
	}
	var n int
	if err := conn.QueryRow("SELECT count(*) FROM pg_class WHERE relname = 'a'").Scan(&n); err != nil || n != 0 {
		t.Errorf("table a after the failed transaction: %d (%v)", n, err)
	}
}

// TestLock: the advisory lock is the session's; another session waits for
// it and is told who holds it.
func TestLock(t *testing.T) {
	db := pgtestdb.New(t)
	d, conn := open(t, db)
	ctx := context.Background()
	c1, _ := conn.Conn(ctx)
	c2, _ := conn.Conn(ctx)
	defer c1.Close()
	defer c2.Close()
	unlock, err := d.Lock(ctx, c1, "strata:x", 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.Lock(ctx, c2, "strata:x", 1)
	var held *dialect.LockHeldError
	if !errors.As(err, &held) || !strings.HasPrefix(held.Holder, "connection ") {
		t.Fatalf("second lock: %v", err)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	unlock2, err := d.Lock(ctx, c2, "strata:x", 1)
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	_ = unlock2()
}

func names(s *schema.Schema) []string {
	var out []string
	for _, t := range s.Tables {
		out = append(out, t.Name)
	}
	return out
}
