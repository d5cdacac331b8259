package mysql

import (
	"context"
	"testing"
	"time"

	"github.com/stratadb/strata/internal/testdb"
)

// A statement another session of the database still runs is orphaned until
// it ends; the same text elsewhere, or another text, is not.
func TestDialect_Orphaned(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	d := Default()
	runner, asker := lockConn(t, db.DB), lockConn(t, db.DB)
	const stmt = "DO SLEEP(1.5) /* the dead run's statement */"

	finished := make(chan error, 1)
	go func() {
		_, err := runner.ExecContext(ctx, stmt)
		finished <- err
	}()
	seen := false
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline) && !seen; time.Sleep(20 * time.Millisecond) {
		var err error
		if seen, err = d.Orphaned(ctx, asker, stmt); err != nil {
			t.Fatalf("Orphaned while it runs: %v", err)
		}
	}
	if !seen {
		t.Fatal("Orphaned = false while another session runs the statement, want true")
	}
	if other, err := d.Orphaned(ctx, asker, "DO SLEEP(1.5)"); err != nil || other {
		t.Errorf("Orphaned(another text) = %v, %v; want false", other, err)
	}
	if err := <-finished; err != nil {
		t.Fatal(err)
	}
	if still, err := d.Orphaned(ctx, asker, stmt); err != nil || still {
		t.Errorf("Orphaned after it ended = %v, %v; want false", still, err)
	}
}
