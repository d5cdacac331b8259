package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/internal/testdb"
	"github.com/stratadb/strata/planner/render"
)

const hazardsSchema = `
table "users" {
  column "id" {
    type = int
  }
  column "email" {
    type = varchar(100)
    null = true
  }
  column "phone" {
    type = varchar(20)
  }
  column "name" {
    type = varchar(3)
  }
  primary_key = ["id"]
  index "users_email_uq" {
    columns = ["email"]
    unique  = true
  }
}
`

func TestCountHazards(t *testing.T) {
	db := testdb.New(t)
	db.Exec(t, "CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(100), phone VARCHAR(20), name VARCHAR(50));"+
		"INSERT INTO users VALUES (1, 'a@x', NULL, 'Ann'), (2, 'a@x', NULL, 'Bob'), (3, 'b@x', NULL, 'Christopher'), (4, NULL, '555', 'Dee');"+
		"CREATE TABLE old_logs (id INT); INSERT INTO old_logs VALUES (1), (2);"+
		"ANALYZE TABLE users, old_logs")
	path := filepath.Join(t.TempDir(), "schema.hcl")
	if err := os.WriteFile(path, []byte(hazardsSchema), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	plan := func(t *testing.T, maxRows int64) string {
		t.Helper()
		a := &app{io: &IO{Getenv: func(string) (string, bool) { return "", false }}, opts: globalOptions{URL: db.URL}}
		desired, diags := config.NewFiles().LoadSchema(path)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		tg, err := a.connect(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tg.Close()
		pl, err := makePlan(ctx, tg, desired, -1)
		if err != nil {
			t.Fatal(err)
		}
		if err := countHazards(ctx, tg, pl.Plan, maxRows); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := render.Text(&b, pl.Plan, render.TextOptions{}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}

	t.Run("figures on every data hazard", func(t *testing.T) {
		out := plan(t, defaultMaxCountRows)
		for _, want := range []string{
			"will fail: 3 rows of `users` have NULL in `phone`",
			"will fail: 2 rows of `users` share their values in (`email`) with another row",
			"will fail (strict mode) or truncate: 1 row of `users` has values in `name` that do not fit varchar(3)",
			"drops table `old_logs` and all its rows (2 rows)",
			"rebuilds table `users` (~4 rows, ",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("plan lacks %q:\n%s", want, out)
			}
		}
	})

	t.Run("tables above --max-count-rows are not counted", func(t *testing.T) {
		out := plan(t, 3)
		if !strings.Contains(out, "(not counted: table `users` has ~4 rows, above the limit of 3)") {
			t.Errorf("plan does not say why users was not counted:\n%s", out)
		}
		if !strings.Contains(out, "drops table `old_logs` and all its rows (2 rows)") {
			t.Errorf("small table not counted:\n%s", out)
		}
	})
}
