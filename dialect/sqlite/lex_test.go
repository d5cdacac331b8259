package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
)

func TestParseCreateTable(t *testing.T) {
	tests := []struct {
		name string
		sql  string
		want tableDef
	}{
		{
			name: "quotes, comments and nested parentheses",
			sql: "CREATE TABLE IF NOT EXISTS main.\"we\"\"ird\" ( -- comment (\n" +
				"`a b` INT CHECK ((a > 0) AND (b < ')')) /* ) */ COLLATE RTRIM,\n" +
				"[c] decimal(10, 2) GENERATED ALWAYS AS (a * (2)) STORED,\n" +
				"d text AS (upper(c)),\n" +
				"e int CONSTRAINT e_fk REFERENCES p (id) ON DELETE SET NULL,\n" +
				"CONSTRAINT ck CHECK (d <> 'x,y'),\n" +
				"FOREIGN KEY (a, e) REFERENCES \"q\" (x, y)\n" +
				") WITHOUT ROWID, STRICT",
			want: tableDef{
				name: `we"ird`,
				columns: []colDef{
					{name: "a b", checks: []string{"(a > 0) AND (b < ')')"}, collate: "RTRIM"},
					{name: "c", genExpr: "a * (2)", genStored: true},
					{name: "d", genExpr: "upper(c)"},
					{name: "e"},
				},
				checks:       []checkDef{{name: "ck", expr: "d <> 'x,y'"}},
				fks:          []fkDef{{name: "e_fk", columns: []string{"e"}, refTable: "p"}, {columns: []string{"a", "e"}, refTable: "q"}},
				withoutRowid: true,
				strict:       true,
			},
		},
		{
			name: "autoincrement and defaults that look like keywords",
			sql:  "create table t (id integer primary key asc autoincrement, s text default 'check', n int default -1, x int default (1) not null)",
			want: tableDef{
				name:    "t",
				columns: []colDef{{name: "id", autoinc: true}, {name: "s"}, {name: "n"}, {name: "x"}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseCreateTable(tt.sql)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

func TestParseCreateIndexViewTrigger(t *testing.T) {
	idx, err := parseCreateIndex(`CREATE UNIQUE INDEX "i" ON t (a COLLATE nocase DESC, (a + b), lower("c") ASC) WHERE a > 0`)
	if err != nil {
		t.Fatal(err)
	}
	want := []indexPartDef{{column: "a"}, {expr: "a + b"}, {expr: `lower("c")`}}
	if !reflect.DeepEqual(idx.parts, want) || idx.where != "a > 0" {
		t.Errorf("index: got %+v", idx)
	}
	v, err := parseCreateView("CREATE VIEW IF NOT EXISTS v (x, y) AS\n  SELECT 1, 2 ;")
	if err != nil || v != "SELECT 1, 2" {
		t.Errorf("view: got %q, %v", v, err)
	}
	tr, err := parseCreateTrigger(`CREATE TRIGGER tr INSTEAD OF UPDATE OF "a", b ON v FOR EACH ROW BEGIN SELECT 1; END`)
	if err != nil {
		t.Fatal(err)
	}
	if want := (triggerDef{timing: "INSTEAD OF", event: "UPDATE", columns: []string{"a", "b"}, table: "v", body: "BEGIN SELECT 1; END"}); !reflect.DeepEqual(*tr, want) {
		t.Errorf("trigger: got %+v", *tr)
	}
	if _, err := parseCreateTable("CREATE TABLE t (a text default 'x)"); err == nil {
		t.Error("unterminated quote: no error")
	}
}

func TestPath(t *testing.T) {
	tests := []struct {
		url, path, query string
		err              bool
	}{
		{url: "sqlite://app.db", path: "app.db"},
		{url: "sqlite://dir/app.db?mode=ro", path: "dir/app.db", query: "mode=ro"},
		{url: "sqlite:///abs/app.db", path: "/abs/app.db"},
		{url: "sqlite://:memory:", path: ":memory:"},
		{url: "sqlite::memory:", path: ":memory:"},
		{url: "sqlite://my%20db.db", path: "my db.db"},
		{url: "mysql://root@localhost/db", err: true},
		{url: "sqlite://", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			path, query, err := Path(tt.url)
			if (err != nil) != tt.err {
				t.Fatalf("err = %v", err)
			}
			if path != tt.path || query != tt.query {
				t.Errorf("got %q %q, want %q %q", path, query, tt.path, tt.query)
			}
			if tt.err && !errors.Is(err, ErrURL) {
				t.Errorf("error %v is not ErrURL", err)
			}
		})
	}
}

func TestOpenURL(t *testing.T) {
	ctx := context.Background()
	t.Run("memory keeps one database", func(t *testing.T) {
		db, err := OpenURL(ctx, "sqlite::memory:")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		execAll(t, db, "CREATE TABLE t (a int)")
		s := inspect(t, New(), db)
		if s.Table("t") == nil {
			t.Error("table t not seen on the next query")
		}
	})
	t.Run("file with foreign keys and busy timeout", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "sub.db")
		db, err := OpenURL(ctx, "sqlite://"+path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var fk, timeout int
		if err := db.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
			t.Errorf("foreign_keys = %d, %v", fk, err)
		}
		if err := db.QueryRow("PRAGMA busy_timeout").Scan(&timeout); err != nil || timeout < 1000 {
			t.Errorf("busy_timeout = %d, %v", timeout, err)
		}
	})
	t.Run("missing directory", func(t *testing.T) {
		if db, err := OpenURL(ctx, "sqlite://"+filepath.Join(t.TempDir(), "no", "such", "x.db")); err == nil {
			db.Close()
			t.Error("no error")
		}
	})
}
