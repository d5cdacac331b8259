package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/stratadb/strata/dialect"
)

var (
	_ dialect.WaitTeller   = (*Dialect)(nil)
	_ dialect.OrphanTeller = (*Dialect)(nil)
)

// Orphaned reports whether another session of q's database runs stmt.
//
// The server does not stop a statement when its client is killed: an
// ALTER TABLE runs on to its end (and commits) while nobody waits for it,
// seen here as a rerun that found the table unchanged and failed with
// "Duplicate column name". PROCESSLIST shows the statement's text as sent
// in INFO, for every session of the same user (others' with PROCESS).
func (d *Dialect) Orphaned(ctx context.Context, q dialect.Querier, stmt string) (bool, error) {
	var n int
	err := dialect.QueryRow(ctx, q, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND DB = DATABASE() AND INFO = ?", []any{stmt}, &n)
	return n > 0, err
}

// SessionID returns CONNECTION_ID() of q's session.
func (d *Dialect) SessionID(ctx context.Context, q dialect.Querier) (int64, error) {
	var id int64
	err := dialect.QueryRow(ctx, q, "SELECT CONNECTION_ID()", nil, &id)
	return id, err
}

// WaitingFor says, when session id's statement waits for a lock another
// session holds, what it waits for and who may hold it; "" when it does not
// wait. q is another session of the same user.
//
// Verified on MariaDB 10.11: a DDL statement behind an open transaction
// that read its table shows STATE "Waiting for table metadata lock" in
// PROCESSLIST (every session of the same user shows there; others' only
// with PROCESS). The server does not say which session holds a metadata
// lock (the METADATA_LOCK_INFO plugin is not installed by default);
// INNODB_TRX (PROCESS needed) lists the open transactions, one of which
// holds it. The wait lasts up to lock_wait_timeout (86400s by default).
func (d *Dialect) WaitingFor(ctx context.Context, q dialect.Querier, id int64) (string, error) {
	var state sql.NullString
	if err := dialect.QueryRow(ctx, q, "SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = ?", []any{id}, &state); err != nil {
		return "", err
	}
	what := ""
	switch s := strings.ToLower(state.String); {
	case strings.Contains(s, "metadata lock"):
		what = "a metadata lock that another session holds on the table (an open transaction that used it, or a running statement"
	case strings.Contains(s, "table level lock"):
		what = "a table lock that another session holds (LOCK TABLES"
	default:
		return "", nil
	}
	msg := "Waiting for " + what
	if holders := openTransactions(ctx, q, id); holders != "" {
		msg += "; open transactions: " + holders + ")"
	} else {
		msg += "; SHOW PROCESSLIST, with the PROCESS privilege, shows which)"
	}
	msg += ": the statement runs once it is released"
	var timeout sql.NullInt64
	if dialect.QueryRow(ctx, q, "SELECT @@lock_wait_timeout", nil, &timeout) == nil && timeout.Valid {
		msg += fmt.Sprintf(", or fails after lock_wait_timeout %ds", timeout.Int64)
	}
	msg += "."
	return msg, nil
}

// openTransactions names the sessions but id with an open transaction in
// id's database (another database's cannot hold its tables, but through a
// qualified name), oldest first, best effort: "" without PROCESS.
func openTransactions(ctx context.Context, q dialect.Querier, id int64) string {
	rows, err := q.QueryContext(ctx, `SELECT p.ID, p.USER, p.HOST, TIMESTAMPDIFF(SECOND, t.trx_started, NOW())
FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
WHERE p.ID <> ? AND p.ID <> CONNECTION_ID() AND p.DB = (SELECT DB FROM information_schema.PROCESSLIST WHERE ID = ?)
ORDER BY t.trx_started LIMIT 4`, id, id)
	if err != nil {
		return ""
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var (
			cid        int64
			user, host sql.NullString
			secs       sql.NullInt64
		)
		if rows.Scan(&cid, &user, &host, &secs) != nil {
			return ""
		}
		s := fmt.Sprintf("connection %d (%s@%s", cid, user.String, host.String)
		if secs.Valid {
			s += fmt.Sprintf(", open %ds", secs.Int64)
		}
		out = append(out, s+")")
	}
	if len(out) == 4 {
		out[3] = "…"
	}
	return strings.Join(out, ", ")
}
