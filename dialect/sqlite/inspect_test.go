package sqlite

import (
	"context"
	"testing"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

var dialectGenOptions = dialect.GenOptions{}

func TestDialect_Inspect(t *testing.T) {
	db := openTemp(t)
	execAll(t, db,
		`CREATE TABLE users (
			id integer PRIMARY KEY AUTOINCREMENT,
			email VARCHAR(191) NOT NULL COLLATE nocase,
			name text DEFAULT 'it''s \ here',
			score Decimal ( 10 , 2 ) DEFAULT '1.50',
			flag bool DEFAULT TRUE,
			created datetime DEFAULT CURRENT_TIMESTAMP,
			n int DEFAULT (1 + 2) CHECK (n > 0),
			lower_email text GENERATED ALWAYS AS (lower(email)) VIRTUAL,
			kind text CONSTRAINT kind_chk CHECK (kind IN ('a', 'b')) CHECK (length(kind) = 1),
			UNIQUE (email),
			CONSTRAINT score_pos CHECK (score >= 0),
			CHECK (n < 100)
		)`,
		`CREATE INDEX users_name ON users (name DESC, lower(email))`,
		`CREATE UNIQUE INDEX users_kind ON users ("kind")`,
		`CREATE TABLE posts (
			id int,
			user_id int REFERENCES users ON DELETE CASCADE,
			ref_a int, ref_b int,
			"body text" text NOT NULL DEFAULT '',
			PRIMARY KEY (ref_a, id),
			CONSTRAINT posts_self FOREIGN KEY (ref_a, ref_b) REFERENCES posts (ref_a, id) ON UPDATE SET NULL
		) WITHOUT ROWID, STRICT`,
		`CREATE VIEW active AS SELECT id, email FROM users WHERE n > 1;`,
		`CREATE TRIGGER users_ai AFTER INSERT ON users FOR EACH ROW WHEN new.n > 5 BEGIN
			UPDATE users SET n = 5 WHERE id = new.id;
		END`,
		`CREATE TRIGGER posts_bu BEFORE UPDATE OF "body text", user_id ON posts BEGIN SELECT 1; END`,
		`CREATE TABLE strata_revisions (version text)`,
	)
	got := inspect(t, New(), db)
	want := &schema.Schema{
		Name: "main",
		Tables: []*schema.Table{
			{
				Name: "users",
				Columns: []*schema.Column{
					{Name: "id", Type: schema.Type{Name: "integer"}, AutoIncrement: true},
					{Name: "email", Type: schema.Type{Name: "varchar", Args: []int{191}}, Collate: "NOCASE"},
					{Name: "name", Type: schema.Type{Name: "text"}, Null: true, Default: `'it''s \\ here'`},
					{Name: "score", Type: schema.Type{Name: "decimal", Args: []int{10, 2}}, Null: true, Default: "1.50"},
					{Name: "flag", Type: schema.Type{Name: "bool"}, Null: true, Default: "1"},
					{Name: "created", Type: schema.Type{Name: "datetime"}, Null: true, Default: "CURRENT_TIMESTAMP"},
					{Name: "n", Type: schema.Type{Name: "int"}, Null: true, Default: "(1 + 2)", Check: "n > 0"},
					{Name: "lower_email", Type: schema.Type{Name: "text"}, Null: true,
						Generated: &schema.Generated{Expr: "lower(email)"}},
					{Name: "kind", Type: schema.Type{Name: "text"}, Null: true,
						Check: "(kind IN ('a', 'b')) AND (length(kind) = 1)"},
				},
				PrimaryKey: &schema.Index{Name: "PRIMARY", Parts: []schema.IndexPart{{Column: "id"}}},
				Indexes: []*schema.Index{
					{Name: "sqlite_autoindex_users_email", Kind: schema.IndexUnique, Parts: []schema.IndexPart{{Column: "email"}}},
					{Name: "users_kind", Kind: schema.IndexUnique, Parts: []schema.IndexPart{{Column: "kind"}}},
					{Name: "users_name", Parts: []schema.IndexPart{{Column: "name", Desc: true}, {Expr: "lower(email)"}}},
				},
				Checks: []*schema.Check{
					{Name: "score_pos", Expr: "score >= 0"},
					{Name: "users_chk_2", Expr: "n < 100"},
				},
			},
			{
				Name: "posts",
				Columns: []*schema.Column{
					{Name: "id", Type: schema.Type{Name: "int"}},
					{Name: "user_id", Type: schema.Type{Name: "integer"}, Null: true}, // references an AUTOINCREMENT key
					{Name: "ref_a", Type: schema.Type{Name: "int"}},
					{Name: "ref_b", Type: schema.Type{Name: "int"}, Null: true},
					{Name: "body text", Type: schema.Type{Name: "text"}, Default: "''"},
				},
				PrimaryKey: &schema.Index{Name: "PRIMARY", Parts: []schema.IndexPart{{Column: "ref_a"}, {Column: "id"}}},
				ForeignKeys: []*schema.ForeignKey{
					{Name: "posts_user_id_fkey", Columns: []string{"user_id"}, RefTable: "users", RefColumns: []string{"id"},
						OnUpdate: "NO ACTION", OnDelete: "CASCADE"},
					{Name: "posts_self", Columns: []string{"ref_a", "ref_b"}, RefTable: "posts", RefColumns: []string{"ref_a", "id"},
						OnUpdate: "SET NULL", OnDelete: "NO ACTION"},
				},
				Options: schema.TableOptions{Extra: "without rowid strict"},
			},
		},
		Views: []*schema.View{{Name: "active", Definition: "SELECT id, email FROM users WHERE n > 1"}},
		Triggers: []*schema.Trigger{
			{Name: "users_ai", Table: "users", Timing: "AFTER", Event: "INSERT",
				Body: "WHEN new.n > 5 BEGIN\n\t\t\tUPDATE users SET n = 5 WHERE id = new.id;\n\t\tEND"},
			{Name: "posts_bu", Table: "posts", Timing: "BEFORE", Event: "UPDATE", Columns: []string{"body text", "user_id"},
				Body: "BEGIN SELECT 1; END"},
		},
	}
	sameSchema(t, got, want)
	// Field by field for what canon's JSON might hide behind ordering.
	if u := got.Table("users"); u == nil || len(u.Columns) != 9 || u.Columns[0].Name != "id" {
		t.Fatalf("users columns out of order: %+v", u)
	}
	if p := got.Table("posts"); p == nil || p.ForeignKeys[0].Name != "posts_user_id_fkey" {
		t.Errorf("posts foreign keys not in declaration order")
	}
	if got.Table("strata_revisions") != nil || got.Table("sqlite_sequence") != nil {
		t.Errorf("internal tables in the model")
	}

	t.Run("round trip to an empty database", func(t *testing.T) {
		db2 := openTemp(t)
		if stmts, err := applyChanges(t, New(), db2, addAll(clone(got))...); err != nil {
			t.Fatalf("apply: %v\n%v", err, stmts)
		}
		sameSchema(t, inspect(t, New(), db2), got)
	})

	t.Run("Normalize is a fixpoint", func(t *testing.T) {
		n := clone(got)
		if err := New().Normalize(n); err != nil {
			t.Fatal(err)
		}
		sameSchema(t, n, got)
	})
}

// TestDialect_InspectQueries proves the query count does not grow with the
// number of tables.
func TestDialect_InspectQueries(t *testing.T) {
	for _, n := range []int{1, 30} {
		db := openTemp(t)
		for i := 0; i < n; i++ {
			execAll(t, db, "CREATE TABLE t"+itoa(i)+" (id integer PRIMARY KEY, p int REFERENCES t0 (id), v text)",
				"CREATE INDEX t"+itoa(i)+"_v ON t"+itoa(i)+" (v)")
		}
		cq := &countingQuerier{q: db}
		s, err := New().Inspect(context.Background(), cq)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Tables) != n {
			t.Fatalf("got %d tables, want %d", len(s.Tables), n)
		}
		if cq.n != 4 {
			t.Errorf("%d tables: %d queries, want 4", n, cq.n)
		}
	}
}

// BenchmarkInspect shows how inspection grows with the number of tables
// (12 columns, a primary key and 3 indexes each, a foreign key on every
// third).
func BenchmarkInspect(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(itoa(n)+" tables", func(b *testing.B) {
			db, err := OpenURL(context.Background(), "sqlite://"+b.TempDir()+"/bench.db")
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			tx, _ := db.Begin()
			for i := 0; i < n; i++ {
				name := "t" + itoa(i)
				ddl := "CREATE TABLE " + name + " (id integer PRIMARY KEY, c1 int NOT NULL, c2 varchar(100), c3 text DEFAULT 'x', " +
					"c4 decimal(10,2), c5 datetime DEFAULT CURRENT_TIMESTAMP, c6 int, c7 int, c8 text, c9 blob, c10 real, p int"
				if i%3 == 0 && i > 0 {
					ddl += ", CONSTRAINT " + name + "_fk FOREIGN KEY (p) REFERENCES t0 (id)"
				}
				ddl += ")"
				for _, s := range []string{ddl,
					"CREATE INDEX " + name + "_i1 ON " + name + " (c1)",
					"CREATE INDEX " + name + "_i2 ON " + name + " (c2, c3)",
					"CREATE UNIQUE INDEX " + name + "_i3 ON " + name + " (c6)"} {
					if _, err := tx.Exec(s); err != nil {
						b.Fatal(err)
					}
				}
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				if _, err := New().Inspect(context.Background(), db); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
