package mysql

import (
	"context"
	"database/sql"
	"fmt"

	driver "github.com/go-sql-driver/mysql"
)

// systemSchemas are the server's own databases: never a target.
var systemSchemas = []any{"information_schema", "mysql", "performance_schema", "sys"}

// ListDatabases returns the names of the server's databases that match
// like, a LIKE pattern as the server reads it ('_' is any one character,
// '\_' a literal underscore), sorted; the server's own schemas are never
// listed. raw is a mysql:// URL whose database part is ignored.
func ListDatabases(ctx context.Context, raw, like string) ([]string, error) {
	cfg, err := ParseURL(raw)
	if err != nil {
		return nil, err
	}
	cfg.DBName = ""
	connector, err := driver.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("database URL: %v", err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	args := append([]any{like}, systemSchemas...)
	rows, err := db.QueryContext(ctx, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ? "+
		"AND SCHEMA_NAME NOT IN (?, ?, ?, ?) ORDER BY SCHEMA_NAME", args...)
	if err != nil {
		return nil, ConnectError(cfg, err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}
