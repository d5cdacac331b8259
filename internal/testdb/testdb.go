// Package testdb gives tests their own database on the real MySQL/MariaDB
// server: a uniquely named database created for the test and dropped after it.
//
// The server comes from STRATA_TEST_MYSQL_URL (default
// mysql://root@127.0.0.1:3306/). When it cannot be reached the test is skipped
// with instructions, unless STRATA_TEST_REQUIRE_MYSQL=1 (set by
// scripts/test.sh), which makes it fail instead.
package testdb

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

	"github.com/go-sql-driver/mysql"
)

// ServerURL is the server tests use, without a database name.
func ServerURL() string {
	if u := os.Getenv("STRATA_TEST_MYSQL_URL"); u != "" {
		return strings.TrimRight(u, "/") + "/"
	}
	return "mysql://root@127.0.0.1:3306/"
}

// DSN turns a mysql:// test URL for database db into a go-sql-driver DSN.
func DSN(db string) string {
	u, err := neturl.Parse(ServerURL())
	if err != nil {
		panic("testdb: STRATA_TEST_MYSQL_URL: " + err.Error())
	}
	cfg := mysql.NewConfig()
	cfg.User = u.User.Username()
	cfg.Passwd, _ = u.User.Password()
	cfg.Net = "tcp"
	cfg.Addr = u.Host
	cfg.DBName = db
	cfg.MultiStatements = true
	cfg.ParseTime = false
	cfg.Timeout = 5 * time.Second
	return cfg.FormatDSN()
}

// URL returns the mysql:// URL of database db on the test server.
func URL(db string) string {
	return ServerURL() + db
}

// DB is a database made for one test.
type DB struct {
	Name string
	URL  string // mysql://user@host:port/name
	*sql.DB
}

var nameUnsafe = regexp.MustCompile(`[^a-z0-9_]+`)

// New creates a database named after the test with a random suffix and
// drops it when the test ends.
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
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE `"+name+"`"); err != nil {
		t.Fatalf("create test database %s: %v", name, err)
	}
	db, err := sql.Open("mysql", DSN(name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS `"+name+"`"); err != nil {
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

// Server returns a connection to the test server without a database,
// closed when the test ends. It skips or fails the test when the server
// cannot be reached, as the package documentation says.
func Server(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("mysql", DSN(""))
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = db.PingContext(ctx)
		cancel()
	}
	if err != nil {
		msg := fmt.Sprintf("no MySQL/MariaDB server at %s: %v\n"+
			"start one (scripts/test.sh does) or set STRATA_TEST_MYSQL_URL", redacted(), err)
		if os.Getenv("STRATA_TEST_REQUIRE_MYSQL") == "1" {
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
		return "(unparsable STRATA_TEST_MYSQL_URL)"
	}
	return u.Redacted()
}

// User creates a uniquely named user with a random password
// ('strata_ro_<hex>'@'%'), grants it privileges on database db (e.g.
// "SELECT" or "SELECT, SHOW VIEW"), and drops it when the test ends. It
// returns the user's name and the mysql:// URL of db as that user.
func User(t testing.TB, db, privileges string) (name, url string) {
	t.Helper()
	admin := Server(t)
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name = "strata_ro_" + hex.EncodeToString(b)
	_, _ = rand.Read(b)
	pass := hex.EncodeToString(b)
	ctx := context.Background()
	account := "'" + name + "'@'%'"
	for _, stmt := range []string{
		"CREATE USER " + account + " IDENTIFIED BY '" + pass + "'",
		"GRANT " + privileges + " ON `" + db + "`.* TO " + account,
	} {
		if _, err := admin.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", strings.Replace(stmt, pass, "***", 1), err)
		}
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP USER IF EXISTS "+account); err != nil {
			t.Errorf("drop test user %s: %v", name, err)
		}
	})
	u, err := neturl.Parse(ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	u.User = neturl.UserPassword(name, pass)
	u.Path = "/" + db
	return name, u.String()
}
