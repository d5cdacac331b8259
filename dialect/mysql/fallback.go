package mysql

import (
	"errors"
	"strings"

	driver "github.com/go-sql-driver/mysql"
)

// algorithmClauses are what Generate appends where it expects the server to
// change a table without copying rows (INSTANT) or without blocking writes
// (INPLACE, LOCK=NONE).
var algorithmClauses = []string{", ALGORITHM=INSTANT", ", ALGORITHM=INPLACE, LOCK=NONE"}

// WithoutInstant is a revision.RunOptions.Fallback: when the server refuses
// the algorithm or lock Generate asked for (errors 1845 and 1846: the
// operation, algorithm or lock is not supported), it gives the statement
// without the clause, so that the server picks what it can. The plan's
// locking hazards already cover a copy.
func WithoutInstant(sql string, err error) (string, bool) {
	var me *driver.MySQLError
	if !errors.As(err, &me) || (me.Number != 1845 && me.Number != 1846) {
		return "", false
	}
	for _, clause := range algorithmClauses {
		if rest, ok := strings.CutSuffix(sql, clause); ok {
			return rest, true
		}
	}
	return "", false
}
