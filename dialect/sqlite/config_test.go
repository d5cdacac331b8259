package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/schema"
)

// richHCL is written for MySQL; SQLite must take it as it is.
const richHCL = `
table "accounts" {
  comment = "x"
  engine  = "InnoDB"
  charset = "utf8mb4"
  options = "stats_persistent=0"
  column "id" {
    type           = int
    unsigned       = true
    auto_increment = true
  }
  column "email" {
    type    = varchar(191)
    collate = "utf8mb4_bin"
  }
  column "note" {
    type    = text
    null    = true
    default = "it's a \\ \"note\"\nline two"
  }
  column "active" {
    type    = bool
    default = true
  }
  column "balance" {
    type    = decimal(10, 2)
    default = 0
  }
  column "kind" {
    type    = enum("free", "paid")
    default = "free"
  }
  column "updated_at" {
    type      = timestamp
    null      = true
    default   = sql("CURRENT_TIMESTAMP")
    on_update = sql("CURRENT_TIMESTAMP")
  }
  column "email_lower" {
    type = varchar(191)
    null = true
    as   = "lower(` + "`email`" + `)"
  }
  primary_key = ["id"]
  index "accounts_email" {
    columns = ["email"]
    unique  = true
  }
  index "accounts_fx" {
    part {
      expr = "lower(` + "`note`" + `)"
      desc = true
    }
  }
  check "balance_positive" {
    expr = "` + "`balance`" + ` >= 0"
  }
}

table "entries" {
  column "id" {
    type = bigint
  }
  column "account_id" {
    type     = int
    unsigned = true
  }
  column "amount" {
    type = decimal(10, 2)
  }
  primary_key = ["id"]
  foreign_key "entries_account" {
    columns     = ["account_id"]
    ref_table   = "accounts"
    ref_columns = ["id"]
    on_delete   = "CASCADE"
  }
}

view "big_entries" {
  definition = "select ` + "`id`" + `, ` + "`amount`" + ` from ` + "`entries`" + ` where ` + "`amount`" + ` > 100"
}

trigger "entries_ai" {
  on     = "entries"
  timing = "after"
  event  = "insert"
  body   = "UPDATE accounts SET balance = balance + NEW.amount WHERE id = NEW.account_id"
}
`

func loadHCL(t *testing.T, path string) *schema.Schema {
	t.Helper()
	f := config.NewFiles()
	s, diags := f.LoadSchema(path)
	if diags.HasErrors() {
		var b strings.Builder
		_ = f.WriteDiagnostics(&b, diags, false)
		t.Fatalf("load %s:\n%s", path, b.String())
	}
	return s
}

// TestDialect_HCL_Converges takes schemas written in HCL for MySQL (the
// quick start's schema.hcl and a richer one) through the whole pipeline on
// SQLite: normalize, plan, apply, plan again (nothing), then inspect →
// HCL → load → apply to an empty database → the same schema.
func TestDialect_HCL_Converges(t *testing.T) {
	rich := filepath.Join(t.TempDir(), "rich.hcl")
	if err := os.WriteFile(rich, []byte(richHCL), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{"quick start": "../../schema.hcl", "rich": rich} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			d := New()
			desired := loadHCL(t, path)
			if err := d.Normalize(desired); err != nil {
				t.Fatal(err)
			}
			db := openTemp(t)
			empty := inspect(t, d, db)
			p, err := planner.Build(empty, desired, planner.Diff(empty, desired, d), d.WithTarget(desired), dialectGenOptions)
			if err != nil {
				t.Fatal(err)
			}
			conn, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			stmts := planStatements(t, p)
			if err := d.ApplyTx(ctx, conn, stmts, nil); err != nil {
				t.Fatalf("apply: %v\n%s", err, strings.Join(stmts, "\n"))
			}
			conn.Close()
			live := inspect(t, d, db)
			if again := planner.Diff(live, desired, d); len(again) != 0 {
				sameSchema(t, live, desired)
				t.Fatalf("plan after apply has %d changes", len(again))
			}

			// inspect → HCL → load → apply elsewhere.
			hcl := filepath.Join(t.TempDir(), "inspected.hcl")
			if err := os.WriteFile(hcl, config.WriteSchema(live), 0o644); err != nil {
				t.Fatal(err)
			}
			back := loadHCL(t, hcl)
			if err := d.Normalize(back); err != nil {
				t.Fatal(err)
			}
			db2 := openTemp(t)
			if stmts, err := applyChanges(t, d, db2, planner.Diff(inspect(t, d, db2), back, d)...); err != nil {
				t.Fatalf("apply inspected HCL: %v\n%s", err, strings.Join(stmts, "\n"))
			}
			sameSchema(t, inspect(t, d, db2), live)
		})
	}
}
