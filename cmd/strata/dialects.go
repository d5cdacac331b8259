package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/dialect/mysql"
	"github.com/stratadb/strata/dialect/postgres"
	"github.com/stratadb/strata/dialect/sqlite"
	"github.com/stratadb/strata/revision"
	"github.com/stratadb/strata/schema"
)

// dialectEntry is one dialect the CLI knows: the URL schemes that name it,
// how to connect, and the dialect with a stock server's facts for work
// without a connection (validate, lint without a database).
type dialectEntry struct {
	Name    string
	Schemes []string
	Open    dialect.Opener
	Offline func() dialect.Dialect
	// List returns the server's databases matching a LIKE pattern (a
	// fleet's targets.matching); nil where a dialect has no server.
	List func(ctx context.Context, serverURL, like string) ([]string, error)
}

// dialects is the table of dialects, the only place cmd/strata names a
// concrete one: adding a dialect is its package and an entry here. The
// first entry is the dialect of a schema checked without an environment.
func dialects() []dialectEntry {
	return []dialectEntry{
		{Name: "MySQL/MariaDB", Schemes: []string{"mysql", "mariadb"}, Open: mysql.Open,
			Offline: func() dialect.Dialect { return mysql.Default() }, List: mysql.ListDatabases},
		{Name: "SQLite", Schemes: []string{"sqlite"}, Open: sqlite.Open,
			Offline: func() dialect.Dialect { return sqlite.New() }},
		{Name: "PostgreSQL", Schemes: []string{"postgres", "postgresql"}, Open: postgres.Open,
			Offline: func() dialect.Dialect { return postgres.Default() }},
	}
}

// dialectFor returns the entry of the URL's scheme; ok is false for a
// scheme no dialect has.
func dialectFor(raw string) (e dialectEntry, scheme string, ok bool) {
	scheme, _, _ = strings.Cut(raw, ":")
	for _, e := range dialects() {
		for _, s := range e.Schemes {
			if strings.EqualFold(s, scheme) {
				return e, scheme, true
			}
		}
	}
	return dialectEntry{}, scheme, false
}

// openDatabase picks the dialect by the URL's scheme and connects.
func openDatabase(ctx context.Context, raw string) (db *sql.DB, d dialect.Dialect, name string, err error) {
	e, scheme, ok := dialectFor(raw)
	if !ok {
		if !strings.Contains(raw, "://") {
			return nil, nil, "", fmt.Errorf("invalid database URL: expected scheme://..., e.g. %s", urlExamples())
		}
		return nil, nil, "", fmt.Errorf("unsupported database URL scheme %q: use %s", scheme, schemeList())
	}
	opened, err := e.Open(ctx, raw)
	if err != nil {
		return nil, nil, "", err
	}
	return opened.DB, opened.Dialect, opened.Name, nil
}

// schemeList is "mysql://, mariadb://, sqlite://, postgres:// or postgresql://".
func schemeList() string {
	var all []string
	for _, e := range dialects() {
		for _, s := range e.Schemes {
			all = append(all, s+"://")
		}
	}
	if len(all) == 1 {
		return all[0]
	}
	return strings.Join(all[:len(all)-1], ", ") + " or " + all[len(all)-1]
}

func urlExamples() string {
	return "mysql://user@127.0.0.1:3306/app, postgres://user@127.0.0.1:5432/app or sqlite://app.db"
}

// offlineDialect is the dialect a schema is checked with when no
// environment names one: the first of the table, with a stock server's facts.
func offlineDialect() dialect.Dialect { return dialects()[0].Offline() }

// missingDatabase reports whether raw names a database that does not
// exist and that opening it would create (an SQLite file).
func missingDatabase(raw string) bool {
	e, _, ok := dialectFor(raw)
	if !ok {
		return false
	}
	m, ok := e.Offline().(dialect.MissingTeller)
	return ok && m.Missing(raw)
}

// typesFor is the column type catalogue a schema is checked with: that of
// the dialect of env's URL (or --url's) by its scheme, else of the offline
// dialect. Nothing is connected.
func (a *app) typesFor(env *config.Environment) *schema.Types {
	d := offlineDialect()
	raw := a.opts.URL
	if env != nil {
		raw = env.URL
	}
	if e, _, ok := dialectFor(raw); ok && raw != "" {
		d = e.Offline()
	}
	if tc, ok := d.(dialect.TypeCatalog); ok {
		return tc.Types()
	}
	return nil
}

// explainError words an error through the first dialect that can.
func explainError(err error) (string, bool) {
	for _, e := range dialects() {
		if x, ok := e.Offline().(dialect.ErrorExplainer); ok {
			if line, ok := x.ExplainError(err); ok {
				return line, true
			}
		}
	}
	return "", false
}

// checkDialect refuses a directory holding revisions of another dialect
// than t's, naming the file, both dialects and the way out.
func (a *app) checkDialect(t *target, revs []*revision.Revision) error {
	err := revision.CheckDialect(revs, t.Dialect.Name())
	var de *revision.DialectError
	if !errors.As(err, &de) {
		return err
	}
	where := "--dir"
	if t.Env != nil {
		where = fmt.Sprintf("--dir or migrations_dir in %s", t.Env.File)
	}
	return fmt.Errorf("%s is a %s revision (its header says dialect: %s), but %s is a %s database; nothing was run: "+
		"revisions of one dialect do not run on another. Point %s at the revisions made on %s databases",
		de.File, de.Has, de.Has, targetName(t), de.Want, where, de.Want)
}

// targetName is "environment dev", or "--url <redacted URL>" for an ad hoc
// target.
func targetName(t *target) string {
	if t.Env == nil {
		return "--url " + t.Redacted
	}
	return "environment " + t.Env.Name
}
