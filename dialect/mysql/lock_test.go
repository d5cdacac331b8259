package mysql

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stratadb/strata/internal/testdb"
)

func lockConn(t *testing.T, db *sql.DB) *sql.Conn {
	t.Helper()
	c, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func connID(t *testing.T, c *sql.Conn) int64 {
	t.Helper()
	var id int64
	if err := c.QueryRowContext(context.Background(), "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestDialect_Lock(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	d := Default()
	// Lock names are server-wide: make them unique to this test database.
	name := "strata:" + db.Name

	t.Run("held lock times out with holder", func(t *testing.T) {
		holder, other := lockConn(t, db.DB), lockConn(t, db.DB)
		unlock, err := d.Lock(ctx, holder, name, 0)
		if err != nil {
			t.Fatalf("first lock: %v", err)
		}
		start := time.Now()
		_, err = d.Lock(ctx, other, name, 1)
		var held *LockHeldError
		if !errors.As(err, &held) {
			t.Fatalf("second lock: got %v, want *LockHeldError", err)
		}
		if time.Since(start) < 900*time.Millisecond {
			t.Errorf("second lock returned after %v, want it to wait ~1s", time.Since(start))
		}
		wantID := "connection " + itoa(connID(t, holder))
		if held.Name != name || !strings.HasPrefix(held.Holder, wantID+" (") || !strings.Contains(held.Holder, "@") {
			t.Errorf("LockHeldError = %+v, want Name %q and Holder %q (user@host)", held, name, wantID)
		}
		if err := unlock(); err != nil {
			t.Fatalf("unlock: %v", err)
		}
		if err := unlock(); err != nil {
			t.Errorf("second unlock: %v", err)
		}
		unlock2, err := d.Lock(ctx, other, name, 0)
		if err != nil {
			t.Fatalf("lock after unlock: %v", err)
		}
		if err := unlock2(); err != nil {
			t.Fatalf("unlock2: %v", err)
		}
	})

	t.Run("try once with zero timeout", func(t *testing.T) {
		holder, other := lockConn(t, db.DB), lockConn(t, db.DB)
		unlock, err := d.Lock(ctx, holder, name, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer unlock()
		start := time.Now()
		_, err = d.Lock(ctx, other, name, 0)
		var held *LockHeldError
		if !errors.As(err, &held) {
			t.Fatalf("got %v, want *LockHeldError", err)
		}
		if time.Since(start) > 500*time.Millisecond {
			t.Errorf("try-once took %v", time.Since(start))
		}
	})

	t.Run("negative timeout waits", func(t *testing.T) {
		holder, other := lockConn(t, db.DB), lockConn(t, db.DB)
		unlock, err := d.Lock(ctx, holder, name, 0)
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			time.Sleep(300 * time.Millisecond)
			unlock()
		}()
		unlock2, err := d.Lock(ctx, other, name, -1)
		if err != nil {
			t.Fatalf("negative timeout: %v (MariaDB returns NULL for GET_LOCK(x, -1))", err)
		}
		if err := unlock2(); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("closed holder connection frees the lock", func(t *testing.T) {
		holder, other := lockConn(t, db.DB), lockConn(t, db.DB)
		if _, err := d.Lock(ctx, holder, name, 0); err != nil {
			t.Fatal(err)
		}
		id := connID(t, holder)
		// Close the session server-side: returning a *sql.Conn to the pool
		// would keep the session (and the lock) alive.
		if _, err := other.ExecContext(ctx, "KILL "+itoa(id)); err != nil {
			t.Fatal(err)
		}
		unlock, err := d.Lock(ctx, other, name, 2)
		if err != nil {
			t.Fatalf("lock after holder died: %v", err)
		}
		if err := unlock(); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("long names are hashed to 64 characters", func(t *testing.T) {
		long := name + strings.Repeat("x", 100)
		c := lockConn(t, db.DB)
		unlock, err := d.Lock(ctx, c, long, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer unlock()
		var used sql.NullInt64
		if err := c.QueryRowContext(ctx, "SELECT IS_USED_LOCK(?)", LockName(long)).Scan(&used); err != nil {
			t.Fatal(err)
		}
		if !used.Valid {
			t.Errorf("lock %q not held", LockName(long))
		}
	})
}

func TestLockName(t *testing.T) {
	long := strings.Repeat("a", 100)
	for _, tc := range []struct {
		name, in string
	}{
		{"short", "strata:app"},
		{"exactly 64", strings.Repeat("b", 64)},
		{"long", long},
		{"long unicode", strings.Repeat("é", 80)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := LockName(tc.in)
			if n := len([]rune(got)); n > 64 {
				t.Errorf("LockName has %d characters", n)
			}
			if len([]rune(tc.in)) <= 64 && got != tc.in {
				t.Errorf("short name changed: %q", got)
			}
		})
	}
	if LockName(long) == LockName(long+"x") {
		t.Error("different long names map to the same lock")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
