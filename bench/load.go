package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"

	driver "github.com/go-sql-driver/mysql"

	"github.com/stratadb/strata/dialect/mysql"
)

// createTableSQL is table i of the generated schema: 12 columns of mixed
// types, a primary key and 3 indexes, and on every third table a foreign key
// to the previous one (which has no index of its own, so the server adds
// one named after the constraint, as it does for users).
func createTableSQL(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE %s (", tableName(i))
	b.WriteString("id bigint unsigned NOT NULL AUTO_INCREMENT, " +
		"parent_id bigint unsigned DEFAULT NULL, " +
		"name varchar(100) NOT NULL, " +
		"email varchar(191) DEFAULT NULL, " +
		"status tinyint NOT NULL DEFAULT 0, " +
		"amount decimal(10,2) NOT NULL DEFAULT 0.00, " +
		"note text, " +
		"created_at datetime(3) NOT NULL DEFAULT current_timestamp(3), " +
		"updated_at timestamp NULL DEFAULT NULL ON UPDATE current_timestamp(), " +
		"kind enum('a','b','c') NOT NULL DEFAULT 'a', " +
		"code char(8) CHARACTER SET ascii COLLATE ascii_bin DEFAULT NULL, " +
		"doc json DEFAULT NULL, " +
		"PRIMARY KEY (id), UNIQUE KEY uq_email (email), KEY idx_name (name), KEY idx_status_created (status, created_at)")
	if i%3 == 2 {
		fmt.Fprintf(&b, ", CONSTRAINT fk_%s FOREIGN KEY (parent_id) REFERENCES %s (id) ON DELETE CASCADE", tableName(i), tableName(i-1))
	}
	b.WriteString(") ENGINE=InnoDB")
	return b.String()
}

func tableName(i int) string { return fmt.Sprintf("t%05d", i) }

// serverConfig is the driver configuration of serverURL for database db,
// with multi-statement batches allowed (for loading only).
func serverConfig(serverURL, db string) (*driver.Config, error) {
	cfg, err := mysql.ParseURL(serverURL)
	if err != nil {
		return nil, err
	}
	cfg.DBName = db
	cfg.MultiStatements = true
	return cfg, nil
}

func openConfig(cfg *driver.Config) (*sql.DB, error) {
	conn, err := driver.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	return sql.OpenDB(conn), nil
}

// countTables returns the number of base tables in db, -1 when it does not exist.
func countTables(ctx context.Context, admin *sql.DB, db string) (int, error) {
	var n int
	err := admin.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", db).Scan(&n)
	if err != nil || n == 0 {
		return -1, err
	}
	err = admin.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'", db).Scan(&n)
	return n, err
}

// loadSchema (re)creates database db with n generated tables, unless it
// already holds exactly n tables and reuse is set. It returns whether it
// loaded anything.
func loadSchema(ctx context.Context, serverURL, db string, n int, reuse bool) (bool, error) {
	cfg, err := serverConfig(serverURL, "")
	if err != nil {
		return false, err
	}
	admin, err := openConfig(cfg)
	if err != nil {
		return false, err
	}
	defer admin.Close()
	if reuse {
		if have, err := countTables(ctx, admin, db); err != nil {
			return false, fmt.Errorf("count tables of %s: %w", db, err)
		} else if have == n {
			return false, nil
		}
	}
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+db+"; CREATE DATABASE "+db+" CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"); err != nil {
		return false, fmt.Errorf("create database %s: %w", db, err)
	}
	cfg.DBName = db
	// foreign_key_checks=0 lets batches run in any order: a foreign key may
	// name a table another connection has not created yet.
	cfg.Params = map[string]string{"foreign_key_checks": "0"}
	pool, err := openConfig(cfg)
	if err != nil {
		return false, err
	}
	defer pool.Close()
	// Two connections at a time: the server spends its time creating files.
	const batch = 100
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	sem := make(chan struct{}, 2)
	for start := 0; start < n; start += batch {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			var sb strings.Builder
			for i := start; i < min(start+batch, n); i++ {
				sb.WriteString(createTableSQL(i))
				sb.WriteString(";\n")
			}
			if _, err := pool.ExecContext(ctx, sb.String()); err != nil {
				mu.Lock()
				if first == nil {
					first = fmt.Errorf("create tables %d..%d in %s: %w", start, min(start+batch, n)-1, db, err)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return true, first
}

// dropDatabase drops db on the server.
func dropDatabase(ctx context.Context, serverURL, db string) error {
	cfg, err := serverConfig(serverURL, "")
	if err != nil {
		return err
	}
	admin, err := openConfig(cfg)
	if err != nil {
		return err
	}
	defer admin.Close()
	_, err = admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+db)
	return err
}

// databaseURL is serverURL (mysql://user@host:port/) naming database db.
func databaseURL(serverURL, db string) string {
	u := serverURL
	if i := strings.Index(u, "?"); i >= 0 {
		return strings.TrimRight(u[:i], "/") + "/" + db + u[i:]
	}
	return strings.TrimRight(u, "/") + "/" + db
}

// scratchDatabase creates the database name afresh and opens a pool and one
// session on it. done closes them and drops the database (kept with -keep).
func scratchDatabase(ctx context.Context, o *options, name string) (pool *sql.DB, conn *sql.Conn, done func() error, err error) {
	cfg, err := serverConfig(o.url, "")
	if err != nil {
		return nil, nil, nil, err
	}
	admin, err := openConfig(cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	fail := func(err error) (*sql.DB, *sql.Conn, func() error, error) {
		admin.Close()
		return nil, nil, nil, err
	}
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+"; CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"); err != nil {
		return fail(fmt.Errorf("create database %s: %w", name, err))
	}
	if pool, err = mysql.OpenURL(ctx, databaseURL(o.url, name)); err != nil {
		return fail(err)
	}
	if conn, err = pool.Conn(ctx); err != nil {
		pool.Close()
		return fail(err)
	}
	done = func() error {
		conn.Close()
		pool.Close()
		defer admin.Close()
		if o.keep {
			return nil
		}
		if _, err := admin.ExecContext(context.WithoutCancel(ctx), "DROP DATABASE IF EXISTS "+name); err != nil {
			return fmt.Errorf("drop %s: %w", name, err)
		}
		return nil
	}
	return pool, conn, done, nil
}
