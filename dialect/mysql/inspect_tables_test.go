package mysql

import (
	"context"
	"testing"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/internal/testdb"
	"github.com/stratadb/strata/schema"
)

// InspectTables reads the named tables exactly as Inspect does, whichever
// way it is sent, and nothing else: no other table, view or trigger.
func TestDialect_InspectTables(t *testing.T) {
	db := testdb.New(t)
	db.Exec(t, "CREATE TABLE p (id int NOT NULL, k int NOT NULL, PRIMARY KEY (id) USING BTREE, UNIQUE KEY uk (k));"+
		"CREATE TABLE `c'x` (id int NOT NULL PRIMARY KEY, p_id int, v varbinary(4) NOT NULL DEFAULT 0xFF00E9, n int CHECK (n > 0),"+
		" KEY kp (p_id) USING HASH, CONSTRAINT fk FOREIGN KEY (p_id) REFERENCES p (k) ON DELETE CASCADE, CONSTRAINT pos CHECK (id > 0));"+
		"CREATE TABLE part (id int NOT NULL) PARTITION BY LIST (id) (PARTITION p1 VALUES IN (1,2,3), PARTITION pd DEFAULT);"+
		"CREATE TABLE other (id int NOT NULL PRIMARY KEY, p_id int, FOREIGN KEY (p_id) REFERENCES p (id));"+
		"CREATE VIEW v AS SELECT id FROM p;"+
		"CREATE TRIGGER tr after insert ON p FOR EACH ROW SET @x = NEW.id")
	insFillerTables(t, db, 20)
	d := insDialect(t, db)
	ctx := context.Background()
	whole := insInspect(t, d, db.DB)
	conn, err := db.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	names := []string{"c'x", "part", "p", "missing"}
	for name, q := range map[string]dialect.Querier{"pool": db.DB, "conn": conn, "reader": insOpenReader(t, db)} {
		t.Run(name, func(t *testing.T) {
			got, err := d.InspectTables(ctx, q, names)
			if err != nil {
				t.Fatal(err)
			}
			var want []*schema.Table
			for _, n := range []string{"c'x", "p", "part"} {
				want = append(want, whole.Table(n))
			}
			for _, df := range insDiff(want, got.Tables) {
				t.Error(df)
			}
			if len(got.Views) != 0 || len(got.Triggers) != 0 {
				t.Errorf("views %d, triggers %d; want none", len(got.Views), len(got.Triggers))
			}
			if got.Name != whole.Name || got.Charset != whole.Charset {
				t.Errorf("schema %q %q, want %q %q", got.Name, got.Charset, whole.Name, whole.Charset)
			}
		})
	}
	none, err := d.InspectTables(ctx, db.DB, nil)
	if err != nil || len(none.Tables) != 0 {
		t.Errorf("InspectTables of no names = %d tables, %v; want none", len(none.Tables), err)
	}
}
