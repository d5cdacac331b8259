package sqlite

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestDialect_Lock(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	d := New()
	unlock, err := d.Lock(ctx, db, "strata", 1)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("second holder times out", func(t *testing.T) {
		start := time.Now()
		_, err := d.Lock(ctx, db, "strata", 1)
		if !errors.Is(err, ErrLocked) {
			t.Fatalf("err = %v, want ErrLocked", err)
		}
		if time.Since(start) < 900*time.Millisecond {
			t.Errorf("gave up after %s, before the timeout", time.Since(start))
		}
	})
	t.Run("other names are independent", func(t *testing.T) {
		u, err := d.Lock(ctx, db, "other", 0)
		if err != nil {
			t.Fatal(err)
		}
		u()
	})
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	t.Run("free again after unlock", func(t *testing.T) {
		u, err := d.Lock(ctx, db, "strata", 0)
		if err != nil {
			t.Fatal(err)
		}
		u()
	})
	t.Run("memory database", func(t *testing.T) {
		mem, err := OpenURL(ctx, "sqlite::memory:")
		if err != nil {
			t.Fatal(err)
		}
		defer mem.Close()
		u, err := d.Lock(ctx, mem, "strata", 0)
		if err != nil {
			t.Fatal(err)
		}
		u()
	})
}
