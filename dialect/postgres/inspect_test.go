package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/internal/pgtestdb"
)

// countingQuerier counts the statements an inspection sends.
type countingQuerier struct {
	q dialect.Querier
	n atomic.Int64
}

func (c *countingQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.n.Add(1)
	return c.q.QueryContext(ctx, query, args...)
}

func (c *countingQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c.n.Add(1)
	return c.q.ExecContext(ctx, query, args...)
}

// TestInspect_queryCountIndependentOfSize: inspection asks the catalog a
// fixed number of queries, however many tables, columns, indexes and
// comments the database holds (issue 14: a constant number of catalog
// queries), and reads every object of the bigger schema.
func TestInspect_queryCountIndependentOfSize(t *testing.T) {
	count := func(extra int) (queries int64, tables int) {
		db := pgtestdb.New(t)
		var b strings.Builder
		b.WriteString(realistic)
		for i := range extra {
			fmt.Fprintf(&b, "CREATE TABLE billing.t%d (id bigint PRIMARY KEY, name text DEFAULT 'n%d', parent bigint REFERENCES users);\n", i, i)
			fmt.Fprintf(&b, "CREATE INDEX t%d_name ON billing.t%d (name);\n", i, i)
			fmt.Fprintf(&b, "COMMENT ON TABLE billing.t%d IS 'table %d'; COMMENT ON COLUMN billing.t%d.name IS 'name %d';\n", i, i, i, i)
		}
		db.Exec(t, b.String())
		d, conn := open(t, db)
		cq := &countingQuerier{q: conn}
		s, err := d.Inspect(context.Background(), cq)
		if err != nil {
			t.Fatal(err)
		}
		if extra > 0 {
			last := s.Table(fmt.Sprintf("billing.t%d", extra-1))
			if last == nil || last.Options.Comment != fmt.Sprintf("table %d", extra-1) || last.Column("name").Comment != fmt.Sprintf("name %d", extra-1) ||
				last.Column("name").Default != fmt.Sprintf("'n%d'::text", extra-1) || last.Index(fmt.Sprintf("t%d_name", extra-1)) == nil {
				t.Fatalf("table %d of %d not read whole: %+v", extra-1, extra, last)
			}
		}
		return cq.n.Load(), len(s.Tables)
	}
	small, smallTables := count(0)
	big, bigTables := count(40)
	if bigTables != smallTables+40 {
		t.Fatalf("inspected %d and %d tables, want %d more", smallTables, bigTables, 40)
	}
	if small != big {
		t.Errorf("inspection sent %d queries for %d tables and %d for %d: it grows with the schema", small, smallTables, big, bigTables)
	}
	t.Logf("%d catalog queries for %d and %d tables", small, smallTables, bigTables)
}

// TestInspect_commentOnPublicSchema: a user's comment on the schema initdb
// made (public, whose OID is below every user object's) is read; the
// server's own "standard public schema" is not a comment of the model.
func TestInspect_commentOnPublicSchema(t *testing.T) {
	db := pgtestdb.New(t)
	d, conn := open(t, db)
	has := func() (string, bool) {
		s, err := d.Inspect(context.Background(), conn)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range s.Objects {
			if o.Kind == "comment" && o.Name == "SCHEMA public" {
				return o.Definition, true
			}
		}
		return "", false
	}
	if def, ok := has(); ok {
		t.Errorf("the server's own comment on public is in the model: %s", def)
	}
	db.Exec(t, "COMMENT ON SCHEMA public IS 'the app'")
	if def, ok := has(); !ok || def != "COMMENT ON SCHEMA public IS 'the app'" {
		t.Errorf("comment on public: %q, %v", def, ok)
	}
}
