package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// environmentsDir is where --env NAME looks for NAME.hcl.
const environmentsDir = "environments"

// target is the database a command works on, with one pinned session.
type target struct {
	Name     string              // environment name, or "url" for --url
	Env      *config.Environment // nil with --url
	Redacted string              // the URL with its password masked
	Database string              // database name (MySQL) or file (SQLite)
	Dialect  dialect.Dialect
	DB       *sql.DB
	Conn     *sql.Conn // the pinned session: locks, temporary tables, DDL
	// Reader is what inspection reads through: the dialect's own pool
	// where it has one (dialect.ReaderOpener: on MySQL a pool whose
	// requests carry several statements, so that inspection costs the same
	// number of round trips at any schema size); else Conn.
	Reader dialect.Querier
	// reader is the dialect's pool behind Reader, closed with the target.
	reader dialect.Reader
	// exclude is what inspection leaves out (exclude patterns, leftovers
	// of online schema change tools).
	exclude *exclusion
	// Files are the desired schema's sources, when loaded (for errors that
	// point at a declaration); nil otherwise.
	Files *config.Files
	// hiddenWarned is set once noteHidden has warned.
	hiddenWarned bool
	// desired is the schema the running plan makes, when a run has one
	// (a declarative apply): what an online schema change is checked
	// against; nil otherwise.
	desired *schema.Schema
	// devURL is the environment's dev_url ("" for none): the scratch
	// database planning probes in instead of the target (see scratch),
	// opened on first need.
	devURL  string
	scratch *scratch
}

func (t *target) Close() {
	if t.scratch != nil {
		t.scratch.Close()
	}
	if t.reader != nil {
		t.reader.Close()
	}
	if t.Conn != nil {
		t.Conn.Close()
	}
	if t.DB != nil {
		t.DB.Close()
	}
}

// environment loads --env, or returns nil with --url. Diagnostics are
// printed and turned into errSilent.
func (a *app) environment(files *config.Files) (*config.Environment, error) {
	if a.opts.Env == "" {
		if a.opts.Target != "" {
			return nil, errors.New("--target picks one database of a fleet environment: pass --env NAME too")
		}
		return nil, nil
	}
	if a.opts.URL != "" {
		return nil, errors.New("--env and --url both given: pass one of them")
	}
	env, diags := files.LoadEnvironment(".", a.opts.Env, a.io.Getenv)
	if len(diags) > 0 {
		files.WriteDiagnostics(a.io.Err, diags, a.io.Color())
	}
	if diags.HasErrors() {
		return nil, errSilent
	}
	return a.pickTarget(env)
}

// pickTarget applies --target: one database of a fleet, as an environment
// of its own.
func (a *app) pickTarget(env *config.Environment) (*config.Environment, error) {
	if a.opts.Target == "" {
		return env, nil
	}
	if env.Fleet == nil {
		return nil, fmt.Errorf("--target picks one database of an environment with a targets block, and %s has none: drop --target", env.Name)
	}
	if f := env.Fleet; f.Databases != nil && !slices.Contains(f.Databases, a.opts.Target) {
		return nil, fmt.Errorf("--target %s is not one of the targets.databases of %s", a.opts.Target, env.File)
	}
	return withTarget(env, a.opts.Target)
}

// openTarget resolves --env/--url and connects.
func (a *app) openTarget(ctx context.Context, files *config.Files) (*target, error) {
	env, err := a.environment(files)
	if err != nil {
		return nil, err
	}
	return a.connect(ctx, env)
}

// connect opens the environment's database, or --url's when env is nil.
func (a *app) connect(ctx context.Context, env *config.Environment) (*target, error) {
	var err error
	raw, name := a.opts.URL, "url"
	if env != nil {
		raw, name = env.URL, env.Name
	}
	if raw == "" {
		return nil, errNoTarget
	}
	if env != nil && env.Fleet != nil {
		return nil, errFleetTarget(env)
	}
	pats, err := a.exclusions(env)
	if err != nil {
		return nil, err
	}
	t := &target{Name: name, Env: env, Redacted: redactURL(raw), Files: a.schemaFiles}
	if env != nil {
		t.devURL = env.DevURL
	}
	t.DB, t.Dialect, t.Database, err = openDatabase(ctx, raw)
	if err != nil {
		return nil, err
	}
	t.exclude = &exclusion{patterns: pats, warn: a.io.Err}
	if lt, ok := t.Dialect.(dialect.LeftoverTeller); ok {
		t.exclude.leftover = lt
	}
	t.Conn, err = t.DB.Conn(ctx)
	if err != nil {
		t.Close()
		return nil, fmt.Errorf("connect to %s: %v", t.Redacted, err)
	}
	t.Reader = t.Conn
	if ro, ok := t.Dialect.(dialect.ReaderOpener); ok {
		// The same URL as the checked pool: it connects on first use.
		r, err := ro.OpenReader(raw)
		if err != nil {
			t.Close()
			return nil, err
		}
		t.Reader, t.reader = r, r
	}
	return t, nil
}

// redactURL masks the password of a URL for display: user:***@host.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(invalid URL)"
	}
	if u.User == nil {
		return u.String()
	}
	if _, has := u.User.Password(); !has {
		return u.String()
	}
	// url.URL.String would escape the mask as %2A%2A%2A: print the user
	// (escaped as a URL holds it) and a plain ***.
	name := u.User.Username()
	u.User = url.User(name)
	s := u.String()
	at := url.User(name).String() + "@"
	if i := strings.Index(s, at); i >= 0 {
		return s[:i] + at[:len(at)-1] + ":***@" + s[i+len(at):]
	}
	return s
}

// schemaPath is --schema, else the environment's, else ./schema.hcl.
func (a *app) schemaPath(env *config.Environment) string {
	switch {
	case a.opts.Schema != "":
		return a.opts.Schema
	case env != nil && env.Schema != "":
		return env.Schema
	}
	return "schema.hcl"
}

// loadDesired reads and checks the desired schema, printing diagnostics.
func (a *app) loadDesired(files *config.Files, env *config.Environment) (*schema.Schema, error) {
	path := a.schemaPath(env)
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			abs, _ := filepath.Abs(path)
			return nil, fmt.Errorf("no schema at %s: write one (strata init makes an example) or pass --schema PATH", abs)
		}
		return nil, err
	}
	files.Types = a.typesFor(env)
	s, diags := files.LoadSchema(path)
	a.schemaFiles = files
	if len(diags) > 0 {
		files.WriteDiagnostics(a.io.Err, diags, a.io.Color())
	}
	if diags.HasErrors() {
		return nil, errSilent
	}
	return s, nil
}
