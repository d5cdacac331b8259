package main

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// scratch is an environment's dev_url database: where planning runs the
// DDL it asks the server's forms with (temporary tables for tables, probe
// views for views), so that a plan creates nothing in the target, which
// may be shared or production. It must be an empty database on a server
// of the target's kind: Strata creates the objects the probes need in it
// and drops them again. It is opened on first need and held under a lock,
// so that two plans never fill it at once.
type scratch struct {
	Redacted string
	Database string
	Dialect  dialect.Dialect
	DB       *sql.DB
	Conn     *sql.Conn
	unlock   func() error
}

func (s *scratch) Close() {
	if s.unlock != nil {
		_ = s.unlock()
	}
	if s.Conn != nil {
		s.Conn.Close()
	}
	if s.DB != nil {
		s.DB.Close()
	}
}

// probeConn is the session planning runs its probe DDL on: the dev_url
// database's when the environment has one, else the target's.
func (t *target) probeConn(ctx context.Context) (dialect.Querier, *scratch, error) {
	if t.devURL == "" {
		return t.Conn, nil, nil
	}
	if t.scratch != nil {
		return t.scratch.Conn, t.scratch, nil
	}
	s, err := openScratch(ctx, t)
	if err != nil {
		return nil, nil, err
	}
	t.scratch = s
	return s.Conn, s, nil
}

func openScratch(ctx context.Context, t *target) (*scratch, error) {
	s := &scratch{Redacted: redactURL(t.devURL)}
	var err error
	s.DB, s.Dialect, s.Database, err = openDatabase(ctx, t.devURL)
	if err != nil {
		return nil, fmt.Errorf("dev_url of %s: %w", t.Name, err)
	}
	fail := func(err error) (*scratch, error) {
		s.Close()
		return nil, err
	}
	if s.Dialect.Name() != t.Dialect.Name() {
		return fail(fmt.Errorf("dev_url of %s is a %s database (%s), but %s is %s: the scratch database must be on a server of the same kind and version",
			t.Name, s.Dialect.Name(), s.Redacted, t.Name, t.Dialect.Name()))
	}
	if s.Conn, err = s.DB.Conn(ctx); err != nil {
		return fail(fmt.Errorf("connect to dev_url %s: %v", s.Redacted, err))
	}
	if l, ok := s.Dialect.(dialect.Locker); ok {
		if s.unlock, err = l.Lock(ctx, s.Conn, "strata-scratch:"+s.Database, lockTimeoutOf(t)); err != nil {
			return fail(fmt.Errorf("dev_url %s: another plan is using it: %w", s.Redacted, err))
		}
	}
	live, err := s.Dialect.Inspect(ctx, s.Conn)
	if err != nil {
		return fail(fmt.Errorf("inspect dev_url %s: %w", s.Redacted, err))
	}
	var held []string
	for _, tb := range live.Tables {
		held = append(held, tb.Name)
	}
	for _, v := range live.Views {
		held = append(held, v.Name)
	}
	if len(held) > 0 {
		if len(held) > 5 {
			held = append(held[:5], "…")
		}
		return fail(fmt.Errorf("dev_url of %s names %s, which holds %s: dev_url must be an empty scratch database, where planning creates objects and drops them again; "+
			"point it at one of its own (e.g. CREATE DATABASE %s_dev)", t.Name, s.Redacted, strings.Join(held, ", "), t.Database))
	}
	return s, nil
}

// prepareViews creates in the scratch database what the given views read,
// from the desired schema (tables without their foreign keys, and the views
// they read, under their own names), so that the server can render them
// there as it would in the target. It returns the function that drops it
// all again. Objects the server refuses are left out: a view that reads
// one is then left as written, as on the target.
func (s *scratch) prepareViews(ctx context.Context, desired *schema.Schema, views []*schema.View) (func(), error) {
	tables := map[string]*schema.Table{}
	for _, tb := range desired.Tables {
		tables[tb.Name] = tb
	}
	byName := map[string]*schema.View{}
	for _, v := range desired.Views {
		byName[v.Name] = v
	}
	needT, needV := map[string]bool{}, map[string]bool{}
	var visit func(v *schema.View)
	visit = func(v *schema.View) {
		for _, w := range append(slices.Clone(v.DependsOn), identifiers(v.Definition)...) {
			switch {
			case tables[w] != nil:
				needT[w] = true
			case byName[w] != nil && !needV[w] && byName[w] != v:
				needV[w] = true
				visit(byName[w])
			}
		}
	}
	for _, v := range views {
		visit(v)
	}
	var drops []string
	drop := func() {
		bg := context.WithoutCancel(ctx)
		for i := len(drops) - 1; i >= 0; i-- {
			_, _ = s.Conn.ExecContext(bg, drops[i])
		}
	}
	run := func(c schema.Change, undo schema.Change) (bool, error) {
		stmts, err := s.Dialect.Generate(c, dialect.GenOptions{})
		if err != nil {
			return false, err
		}
		for _, st := range stmts {
			if _, err := s.Conn.ExecContext(ctx, st.SQL); err != nil {
				return false, nil
			}
		}
		undos, err := s.Dialect.Generate(undo, dialect.GenOptions{})
		if err != nil {
			return true, err
		}
		for _, u := range undos {
			drops = append(drops, u.SQL)
		}
		return true, nil
	}
	for _, name := range slices.Sorted(maps.Keys(needT)) {
		tb := *tables[name]
		tb.ForeignKeys = nil
		if _, err := run(&schema.AddTable{T: &tb}, &schema.DropTable{T: &tb}); err != nil {
			drop()
			return nil, err
		}
	}
	// Views in dependency order, found by trying: each pass creates those
	// whose dependencies exist by now.
	left := []*schema.View{}
	for _, v := range desired.Views {
		if needV[v.Name] {
			left = append(left, v)
		}
	}
	for len(left) > 0 {
		var next []*schema.View
		for _, v := range left {
			ok, err := run(&schema.AddView{V: v}, &schema.DropView{V: v})
			if err != nil {
				drop()
				return nil, err
			}
			if !ok {
				next = append(next, v)
			}
		}
		if len(next) == len(left) {
			break
		}
		left = next
	}
	return drop, nil
}

// identifiers are the names a view's definition may read: its backquoted
// and bare words (a superset; the caller keeps the names it knows).
func identifiers(def string) []string {
	var out []string
	for i := 0; i < len(def); {
		c := def[i]
		switch {
		case c == '`':
			j := strings.IndexByte(def[i+1:], '`')
			if j < 0 {
				return out
			}
			out = append(out, def[i+1:i+1+j])
			i += j + 2
		case c == '\'' || c == '"':
			j := strings.IndexByte(def[i+1:], c)
			if j < 0 {
				return out
			}
			i += j + 2
		case isIdentByte(c):
			j := i
			for j < len(def) && isIdentByte(def[j]) {
				j++
			}
			out = append(out, def[i:j])
			i = j
		default:
			i++
		}
	}
	return out
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// lockTimeoutOf is how long, in seconds, t's runs wait for a lock.
func lockTimeoutOf(t *target) int {
	if t.Env != nil && t.Env.LockTimeout > 0 {
		return int(t.Env.LockTimeout / time.Second)
	}
	return int(config.DefaultLockTimeout / time.Second)
}
