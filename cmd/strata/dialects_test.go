package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratadb/strata/dialect/sqlite"
	"github.com/stratadb/strata/internal/pgtestdb"
	"github.com/stratadb/strata/internal/testdb"
)

// The same scenarios run on MySQL/MariaDB, SQLite and PostgreSQL, through the CLI:
// each step's schema is applied, the next plan shows no changes
// (convergence), and the rows written before survive (no data lost).
func TestDialects_sameScenarios(t *testing.T) {
	steps := []struct {
		name   string
		schema string
		flags  []string
	}{
		{"create", `
table "users" {
  column "id" {
    type = int
  }
  column "name" {
    type = varchar(50)
  }
  column "note" {
    type = varchar(20)
    null = true
  }
  primary_key = ["id"]
}`, nil},
		{"add a column in the middle", `
table "users" {
  column "id" {
    type = int
  }
  column "email" {
    type = varchar(100)
    null = true
  }
  column "name" {
    type = varchar(50)
  }
  column "note" {
    type = varchar(20)
    null = true
  }
  primary_key = ["id"]
}`, nil},
		{"rename a column and widen another", `
table "users" {
  column "id" {
    type = int
  }
  column "email" {
    type = varchar(100)
    null = true
  }
  column "full_name" {
    type         = varchar(50)
    renamed_from = "name"
  }
  column "note" {
    type = varchar(200)
    null = true
  }
  primary_key = ["id"]
}`, nil},
		{"rename the table, add an index", `
table "people" {
  renamed_from = "users"
  column "id" {
    type = int
  }
  column "email" {
    type = varchar(100)
    null = true
  }
  column "full_name" {
    type = varchar(50)
  }
  column "note" {
    type = varchar(200)
    null = true
  }
  primary_key = ["id"]
  index "people_email_idx" {
    columns = ["email"]
  }
}`, nil},
		{"drop a column (allowed)", `
table "people" {
  column "id" {
    type = int
  }
  column "email" {
    type = varchar(100)
    null = true
  }
  column "full_name" {
    type = varchar(50)
  }
  primary_key = ["id"]
  index "people_email_idx" {
    columns = ["email"]
  }
}`, []string{"--allow-destructive"}},
	}
	for _, target := range []struct {
		name string
		open func(t *testing.T) (url string, db *sql.DB)
	}{
		{"mysql", func(t *testing.T) (string, *sql.DB) {
			d := testdb.New(t)
			return d.URL, d.DB
		}},
		{"sqlite", func(t *testing.T) (string, *sql.DB) {
			url := "sqlite://" + filepath.Join(t.TempDir(), "t.db")
			db, err := sqlite.OpenURL(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return url, db
		}},
		{"postgres", func(t *testing.T) (string, *sql.DB) {
			d := pgtestdb.New(t)
			return d.URL, d.DB
		}},
	} {
		t.Run(target.name, func(t *testing.T) {
			url, db := target.open(t)
			dir := t.TempDir()
			for i, step := range steps {
				path := filepath.Join(dir, "schema.hcl")
				if err := os.WriteFile(path, []byte(step.schema), 0o644); err != nil {
					t.Fatal(err)
				}
				args := append([]string{"apply", "--url", url, "--schema", path, "--auto-approve"}, step.flags...)
				if res := runCLI(t, nil, args...); res.Code != 0 {
					t.Fatalf("%s: apply exit %d\n%s%s", step.name, res.Code, res.Out, res.Err)
				}
				if res := runCLI(t, nil, "plan", "--url", url, "--schema", path, "--detailed-exitcode"); res.Code != 0 {
					t.Fatalf("%s: not converged (exit %d)\n%s%s", step.name, res.Code, res.Out, res.Err)
				}
				if i == 0 {
					if _, err := db.Exec("INSERT INTO users (id, name, note) VALUES (1, 'Ada', 'first'), (2, 'Grace', NULL)"); err != nil {
						t.Fatal(err)
					}
				}
			}
			rows, err := db.Query("SELECT id, full_name FROM people ORDER BY id")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var got []string
			for rows.Next() {
				var id int
				var name string
				if err := rows.Scan(&id, &name); err != nil {
					t.Fatal(err)
				}
				got = append(got, name)
			}
			if strings.Join(got, ",") != "Ada,Grace" {
				t.Errorf("rows after the renames: %v, want Ada,Grace", got)
			}
		})
	}
}
