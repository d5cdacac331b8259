package main

import (
	"context"
	"errors"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/internal/pgtestdb"
	"github.com/stratadb/strata/internal/testdb"
)

// TestOpenDatabase_table opens each scheme of the table on a real server
// or file and checks the dialect it picks, and that a URL no entry takes
// is refused with the schemes the table has.
func TestOpenDatabase_table(t *testing.T) {
	mdb := testdb.New(t)
	pdb := pgtestdb.New(t)
	sqlitePath := filepath.Join(t.TempDir(), "app.db")
	mariadbURL := "mariadb" + strings.TrimPrefix(mdb.URL, "mysql")
	tests := []struct {
		name, url           string
		wantDialect, wantDB string
		wantErr             string
		wantReader          bool
	}{
		{name: "mysql", url: mdb.URL, wantDialect: "mysql", wantDB: mdb.Name, wantReader: true},
		{name: "mariadb", url: mariadbURL, wantDialect: "mysql", wantDB: mdb.Name, wantReader: true},
		{name: "sqlite", url: "sqlite://" + sqlitePath, wantDialect: "sqlite", wantDB: sqlitePath},
		{name: "sqlite memory", url: "sqlite::memory:", wantDialect: "sqlite", wantDB: ":memory:"},
		{name: "postgres", url: pdb.URL, wantDialect: "postgres", wantDB: pdb.Name},
		{name: "postgresql", url: "postgresql" + strings.TrimPrefix(pdb.URL, "postgres"), wantDialect: "postgres", wantDB: pdb.Name},
		{name: "unknown scheme", url: "oracle://u:secret@h/db", wantErr: `unsupported database URL scheme "oracle": use mysql://, mariadb://, sqlite://, postgres:// or postgresql://`},
		{name: "no scheme", url: "u:secret@h/db", wantErr: "invalid database URL: expected scheme://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, d, name, err := openDatabase(context.Background(), tt.url)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("openDatabase(%q) error = %v, want %q", tt.url, err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("error shows the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("openDatabase(%q): %v", tt.url, err)
			}
			defer db.Close()
			if err := db.PingContext(context.Background()); err != nil {
				t.Fatalf("ping: %v", err)
			}
			if d.Name() != tt.wantDialect || name != tt.wantDB {
				t.Errorf("openDatabase(%q) = dialect %q, database %q; want %q, %q", tt.url, d.Name(), name, tt.wantDialect, tt.wantDB)
			}
			ro, ok := d.(dialect.ReaderOpener)
			if ok != tt.wantReader {
				t.Fatalf("dialect %s is a ReaderOpener: %v, want %v", d.Name(), ok, tt.wantReader)
			}
			if ok {
				r, err := ro.OpenReader(tt.url)
				if err != nil {
					t.Fatalf("OpenReader: %v", err)
				}
				defer r.Close()
				var one int
				if err := dialect.QueryRow(context.Background(), r, "SELECT 1", nil, &one); err != nil || one != 1 {
					t.Errorf("SELECT 1 through the reader = %d, %v", one, err)
				}
			}
		})
	}
}

// TestDialects_entries checks the table itself: every scheme belongs to
// one entry, and an entry's offline dialect is the dialect its opener makes.
func TestDialects_entries(t *testing.T) {
	seen := map[string]string{}
	for _, e := range dialects() {
		if e.Name == "" || len(e.Schemes) == 0 || e.Open == nil || e.Offline == nil {
			t.Fatalf("incomplete entry %+v", e)
		}
		for _, s := range e.Schemes {
			if other, dup := seen[s]; dup {
				t.Errorf("scheme %q is in both %s and %s", s, other, e.Name)
			}
			seen[s] = e.Name
			got, _, ok := dialectFor(s + "://x")
			if !ok || got.Name != e.Name {
				t.Errorf("dialectFor(%s://x) = %q, %v; want %q", s, got.Name, ok, e.Name)
			}
		}
	}
	db, d, _, err := openDatabase(context.Background(), "sqlite::memory:")
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	e, _, _ := dialectFor("sqlite::memory:")
	if off := e.Offline().Name(); off != d.Name() {
		t.Errorf("sqlite entry: offline dialect %q, opened %q", off, d.Name())
	}
}

// TestExplainError_throughTable: a privilege error of the server is worded
// through the dialect that knows it; any other error is left alone.
func TestExplainError_throughTable(t *testing.T) {
	mdb := testdb.New(t)
	_, err := mdb.DB.ExecContext(context.Background(), "CREATE USER IF NOT EXISTS 'strata_noexplain'@'%'")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mdb.DB.Exec("DROP USER IF EXISTS 'strata_noexplain'@'%'") })
	u := strings.Replace(mdb.URL, "mysql://root@", "mysql://strata_noexplain@", 1)
	if u == mdb.URL {
		t.Skip("test server URL is not root@: cannot build a user URL")
	}
	if _, err := mdb.DB.ExecContext(context.Background(), "GRANT SELECT ON `"+mdb.Name+"`.* TO 'strata_noexplain'@'%'"); err != nil {
		t.Fatal(err)
	}
	db, _, _, err := openDatabase(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.ExecContext(context.Background(), "CREATE TABLE t (id int)")
	if err == nil {
		t.Fatal("a user with SELECT only created a table")
	}
	line, ok := explainError(err)
	if !ok || !strings.Contains(line, "strata_noexplain") || !strings.Contains(line, "GRANT") {
		t.Errorf("explainError(%v) = %q, %v; want a line naming the user and GRANT", err, line, ok)
	}
	if _, ok := explainError(errors.New("plain")); ok {
		t.Error("explainError explained a plain error")
	}
}

// TestConcreteDialects_onePlace keeps the names of concrete dialects in
// the table's file: every other file of the CLI goes through package
// dialect's interfaces.
func TestConcreteDialects_onePlace(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "dialects.go" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		af, err := parser.ParseFile(fset, f, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(p, "github.com/stratadb/strata/dialect/") {
				t.Errorf("%s imports %s: name concrete dialects only in dialects.go (the table), and reach them through package dialect's interfaces", f, p)
			}
		}
	}
}
