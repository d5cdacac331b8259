package sqlite

import (
	"context"
	"strings"
	"testing"

	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/schema"
)

// TestHazards_Narrowing is SQLite's side of the planner's type rules: a
// table that is not STRICT keeps every stored value whatever its declared
// type, so narrowing varchar(50) to varchar(20) loses nothing and is not
// destructive; it is only a rebuild. The apply proves it on the file.
func TestHazards_Narrowing(t *testing.T) {
	ctx := context.Background()
	d := New()
	db := openTemp(t)
	execAll(t, db,
		`CREATE TABLE "users" ("id" integer NOT NULL PRIMARY KEY, "email" varchar(50) NOT NULL)`,
		`INSERT INTO "users" VALUES (1, 'a-much-longer-address@example.com')`)
	before := inspect(t, d, db)
	want := clone(before)
	want.Tables[0].Columns[1].Type = schema.Type{Name: "varchar", Args: []int{20}}
	if err := d.Normalize(want); err != nil {
		t.Fatal(err)
	}
	p, err := planner.Build(before, want, planner.Diff(before, want, d), d.WithTarget(want), dialectGenOptions)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range p.Hazards() {
		got = append(got, string(h.Kind)+": "+h.Message)
	}
	wantHazards := []string{`locking: rebuilds table "users": copies its rows into a new table, holding the database's write lock`}
	if strings.Join(got, "\n") != strings.Join(wantHazards, "\n") {
		t.Fatalf("hazards:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantHazards, "\n"))
	}
	if p.HasHazard(planner.Destructive) {
		t.Error("plan is destructive: narrowing on SQLite cuts nothing")
	}

	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := d.ApplyTx(ctx, conn, planStatements(t, p), nil); err != nil {
		t.Fatal(err)
	}
	if got := dump(t, db, `SELECT email FROM users`); !strings.Contains(got, "a-much-longer-address@example.com") {
		t.Errorf("value after narrowing = %q, want it whole", got)
	}
}
