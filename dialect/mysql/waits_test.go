package mysql

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stratadb/strata/internal/testdb"
)

// WaitingFor says nothing of a session that waits for nothing, and names
// the metadata lock, the open transaction that may hold it and the
// server's timeout for one held up by another session's transaction.
func TestDialect_WaitingFor(t *testing.T) {
	db := testdb.New(t)
	db.Exec(t, "CREATE TABLE t (id int PRIMARY KEY)")
	d := insDialect(t, db)
	ctx := context.Background()
	conn := func() (id int64, run func(string) error) {
		c, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		if id, err = d.SessionID(ctx, c); err != nil {
			t.Fatal(err)
		}
		return id, func(q string) error { _, err := c.ExecContext(ctx, q); return err }
	}
	idle, _ := conn()
	if msg, err := d.WaitingFor(ctx, db.DB, idle); err != nil || msg != "" {
		t.Errorf("an idle session: %q, %v; want nothing", msg, err)
	}
	holder, hold := conn()
	for _, q := range []string{"BEGIN", "SELECT * FROM t"} {
		if err := hold(q); err != nil {
			t.Fatal(err)
		}
	}
	waiter, wait := conn()
	done := make(chan error, 1)
	go func() { done <- wait("ALTER TABLE t ADD COLUMN n int") }()
	var msg string
	for deadline := time.Now().Add(5 * time.Second); msg == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var err error
		if msg, err = d.WaitingFor(ctx, db.DB, waiter); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{"Waiting for a metadata lock", fmt.Sprintf("open transactions: connection %d (root@", holder), "or fails after lock_wait_timeout "} {
		if !strings.Contains(msg, want) {
			t.Errorf("the waiting ALTER: %q; want it to say %q", msg, want)
		}
	}
	if err := hold("COMMIT"); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("the ALTER after the lock was released: %v", err)
	}
}
