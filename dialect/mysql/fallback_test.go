package mysql

import (
	"context"
	"errors"
	"testing"

	driver "github.com/go-sql-driver/mysql"

	"github.com/stratadb/strata/internal/testdb"
)

func TestWithoutInstant(t *testing.T) {
	refused := &driver.MySQLError{Number: 1846, Message: "ALGORITHM=INSTANT is not supported"}
	for _, tc := range []struct {
		name, sql string
		err       error
		want      string
		ok        bool
	}{
		{"refused instant", "ALTER TABLE `t` ADD KEY `k` (`a`), ALGORITHM=INSTANT", refused, "ALTER TABLE `t` ADD KEY `k` (`a`)", true},
		{"refused lock", "ALTER TABLE `t` ADD FULLTEXT KEY `k` (`a`), ALGORITHM=INPLACE, LOCK=NONE", refused, "ALTER TABLE `t` ADD FULLTEXT KEY `k` (`a`)", true},
		{"no clause", "ALTER TABLE `t` ADD KEY `k` (`a`)", refused, "", false},
		{"other error", "ALTER TABLE `t` ADD KEY `k` (`a`), ALGORITHM=INSTANT", &driver.MySQLError{Number: 1054}, "", false},
		{"not a server error", "ALTER TABLE `t` ADD KEY `k` (`a`), ALGORITHM=INSTANT", errors.New("broken pipe"), "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := WithoutInstant(tc.sql, tc.err)
			if got != tc.want || ok != tc.ok {
				t.Errorf("got %q, %v; want %q, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

// The fallback is for what the real server refuses: adding an index cannot
// be instant on MariaDB 10.11, nor a full-text index built without a lock,
// and without the clause each succeeds.
func TestWithoutInstant_Server(t *testing.T) {
	db := testdb.New(t)
	db.Exec(t, "CREATE TABLE t (id int PRIMARY KEY, a int, b text)")
	for _, stmt := range []string{
		"ALTER TABLE `t` ADD KEY `k` (`a`), ALGORITHM=INSTANT",
		"ALTER TABLE `t` ADD FULLTEXT KEY `f` (`b`), ALGORITHM=INPLACE, LOCK=NONE",
	} {
		_, err := db.ExecContext(context.Background(), stmt)
		if err == nil {
			t.Fatalf("the server accepted %q; pick another refused operation", stmt)
		}
		alt, ok := WithoutInstant(stmt, err)
		if !ok {
			t.Fatalf("no fallback for %q: %v", stmt, err)
		}
		if _, err := db.ExecContext(context.Background(), alt); err != nil {
			t.Fatalf("fallback %q: %v", alt, err)
		}
	}
}
