package mysql

import (
	"errors"
	"strings"

	driver "github.com/go-sql-driver/mysql"
)

// algorithmClause is what Generate appends where it expects the server to
// change a table in place without copying rows.
const algorithmClause = ", ALGORITHM=INSTANT"

// WithoutInstant is a revision.RunOptions.Fallback: when the server refuses
// the ALGORITHM=INSTANT Generate asked for (errors 1845 and 1846: the
// operation or algorithm is not supported), it gives the statement without
// the clause, so that the server picks the algorithm it can. The plan's
// locking hazards already cover a copy.
func WithoutInstant(sql string, err error) (string, bool) {
	var me *driver.MySQLError
	if !errors.As(err, &me) || (me.Number != 1845 && me.Number != 1846) {
		return "", false
	}
	if !strings.HasSuffix(sql, algorithmClause) {
		return "", false
	}
	return strings.TrimSuffix(sql, algorithmClause), true
}
