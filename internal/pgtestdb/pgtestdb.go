// Package pgtestdb gives tests their own database on the real PostgreSQL
// server: a uniquely named database created for the test and dropped
// after it.
//
// The server comes from STRATA_TEST_POSTGRES_URL (default
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable). When it
// cannot be reached the test is skipped with instructions, unless
// STRATA_TEST_REQUIRE_POSTGRES=1 (set by scripts/test.sh), which makes it
// fail instead.
package pgtestdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	neturl "net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// ServerURL is the URL of the server's maintenance database.
func ServerURL() string {
	if u := os.Getenv("STRATA_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// URL returns the postgres:// URL of database db on the test server.
func URL(db string) string {
	u, err := neturl.Parse(ServerURL())
	if err != nil {
		panic("pgtestdb: STRATA_TEST_POSTGRES_URL: " + err.Error())
	}
	u.Path = "/" + db
	return u.String()
}

// Open opens a pool on the database of a postgres:// URL with the simple
// protocol, so that Exec takes several statements at once.
func Open(url string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	return stdlib.OpenDB(*cfg), nil
}

// DB is a database made for one test.
type DB struct {
	Name string
	URL  string // postgres://user@host:port/name?...
	*sql.DB
}

var nameUnsafe = regexp.MustCompile(`[^a-z0-9_]+`)

// New creates a database named after the test with a random suffix and
// drops it (with FORCE: sessions the test left open go too) when the test
// ends.
func New(t testing.TB) *DB {
	t.Helper()
	admin := Server(t)
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	base := nameUnsafe.ReplaceAllString(strings.ToLower(t.Name()), "_")
	if len(base) > 40 {
		base = base[:40]
	}
	name := fmt.Sprintf("st_%s_%s", base, hex.EncodeToString(suffix))
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE "`+name+`" TEMPLATE template0`); err != nil {
		t.Fatalf("create test database %s: %v", name, err)
	}
	db, err := Open(URL(name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		if _, err := admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS "`+name+`" WITH (FORCE)`); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	return &DB{Name: name, URL: URL(name), DB: db}
}

// Exec runs statements (several may be separated by semicolons) and fails
// the test on error.
func (d *DB) Exec(t testing.TB, stmts string) {
	t.Helper()
	if _, err := d.DB.ExecContext(context.Background(), stmts); err != nil {
		t.Fatalf("exec %q: %v", stmts, err)
	}
}

// Server returns a connection to the server's maintenance database,
// closed when the test ends. It skips or fails the test when the server
// cannot be reached, as the package documentation says.
func Server(t testing.TB) *sql.DB {
	t.Helper()
	db, err := Open(ServerURL())
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = db.PingContext(ctx)
		cancel()
	}
	if err != nil {
		msg := fmt.Sprintf("no PostgreSQL server at %s: %v\n"+
			"start one (scripts/postgres-up.sh does) or set STRATA_TEST_POSTGRES_URL", redacted(), err)
		if os.Getenv("STRATA_TEST_REQUIRE_POSTGRES") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func redacted() string {
	u, err := neturl.Parse(ServerURL())
	if err != nil {
		return "(unparsable STRATA_TEST_POSTGRES_URL)"
	}
	return u.Redacted()
}
