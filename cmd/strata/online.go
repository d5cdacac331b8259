package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/osc"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/planner/render"
	"github.com/stratadb/strata/revision"
	"github.com/stratadb/strata/schema"
)

// eventOnlineSchemaChange is the event kind of a statement handed to an
// online schema change engine: one before the engine starts (what, where,
// from which host), one when it ended (outcome and the engine's last lines).
const eventOnlineSchemaChange = "online_schema_change"

// onlineEngine is t's environment's online schema change engine, nil when
// it has none. Only MySQL/MariaDB servers have engines.
func onlineEngine(t *target) (*osc.Engine, error) {
	if t.Env == nil || t.Env.OnlineSchemaChange == nil {
		return nil, nil
	}
	o := t.Env.OnlineSchemaChange
	if _, ok := t.Dialect.(dialect.OnlineSchemaChanger); !ok {
		return nil, fmt.Errorf("%s: online_schema_change is for MySQL and MariaDB servers; %s is a %s database: remove the block", o.Pos, t.Name, t.Dialect.Name())
	}
	kind := o.Engine
	if kind == config.EngineCommand {
		kind = osc.Command
	}
	return &osc.Engine{Kind: kind, Command: o.Command, Args: o.Args, MinSize: o.MinSize, Binary: os.Getenv("STRATA_OSC_BINARY")}, nil
}

// isMariaDB reports whether t's server is MariaDB.
func isMariaDB(t *target) bool {
	oc, ok := t.Dialect.(dialect.OnlineSchemaChanger)
	if !ok || t.Env == nil {
		return false
	}
	ot, err := oc.OnlineTarget(t.Env.URL)
	return err == nil && ot.MariaDB
}

// quoteIdent quotes a name for a message, as the server would.
func quoteIdent(name string) string { return "`" + strings.ReplaceAll(name, "`", "``") + "`" }

// tableSizes reads the size of each table (data and indexes; 0 for a table
// without rows) from the server's statistics.
func tableSizes(ctx context.Context, t *target, tables []string) (map[string]int64, error) {
	counter, ok := t.Dialect.(dialect.Counter)
	if !ok || len(tables) == 0 {
		return map[string]int64{}, nil
	}
	checks := make([]*dialect.DataCheck, len(tables))
	for i, name := range tables {
		checks[i] = &dialect.DataCheck{Kind: dialect.CountSize, Table: name}
	}
	res, err := counter.Count(ctx, t.Conn, checks, dialect.CountOptions{})
	if err != nil {
		return nil, fmt.Errorf("read table sizes for the online schema change: %w", err)
	}
	out := map[string]int64{}
	for i, r := range res {
		if r.Bytes != nil && r.Rows != nil && *r.Rows > 0 {
			out[tables[i]] = *r.Bytes
		} else {
			out[tables[i]] = 0
		}
	}
	return out, nil
}

// route decides how a statement that copies a table of size bytes runs.
func route(e *osc.Engine, c *dialect.TableCopy, bytes int64) *dialect.Route {
	r := &dialect.Route{Table: c.Table, Bytes: bytes, MinSize: e.MinSize}
	size := config.FormatSize(bytes)
	if bytes < e.MinSize {
		r.Reason = fmt.Sprintf("runs as this ALTER TABLE: table %s is %s, below min_size %s (%s, blocking writes)",
			quoteIdent(c.Table), size, config.FormatSize(e.MinSize), c.Why)
		return r
	}
	r.Engine = e.Kind
	r.Reason = fmt.Sprintf("runs through %s, not as this ALTER TABLE: table %s is %s, at or above min_size %s, and %s, blocking writes; %s gets: %s",
		e.Name(), quoteIdent(c.Table), size, config.FormatSize(e.MinSize), c.Why, e.Name(), c.Clauses)
	return r
}

// routePlan decides at plan time how each statement of p that copies a
// table runs on t, and refuses the plan when the engine cannot run one.
func routePlan(ctx context.Context, t *target, current *schema.Schema, p *planner.Plan) error {
	var stmts []*dialect.Stmt
	for _, s := range p.Steps {
		for i := range s.Statements {
			if s.Statements[i].Copy != nil {
				stmts = append(stmts, &s.Statements[i])
			}
		}
	}
	copies := make([]*dialect.TableCopy, len(stmts))
	for i, st := range stmts {
		copies[i] = st.Copy
	}
	routes, err := routeCopies(ctx, t, current, copies)
	for i, r := range routes {
		stmts[i].Route = r
	}
	return err
}

// routeCopies decides how each statement that copies a table (copies)
// runs on t, whose live schema is current: a route each (nil for all
// without an engine), and a *refusedError for those the engine cannot run.
func routeCopies(ctx context.Context, t *target, current *schema.Schema, copies []*dialect.TableCopy) ([]*dialect.Route, error) {
	e, err := onlineEngine(t)
	if e == nil || err != nil || len(copies) == 0 {
		return nil, err
	}
	var tables []string
	for _, c := range copies {
		tables = append(tables, c.Table)
	}
	sizes, err := tableSizes(ctx, t, tables)
	if err != nil {
		return nil, err
	}
	routes := make([]*dialect.Route, len(copies))
	var refused []string
	for i, c := range copies {
		routes[i] = route(e, c, sizes[c.Table])
		if routes[i].Engine == "" {
			continue
		}
		if why := refusal(e, t, current, c.Table); why != "" {
			refused = append(refused, why)
		}
	}
	if len(refused) > 0 {
		return routes, &refusedError{env: t.Name, reasons: refused, pos: t.Env.OnlineSchemaChange.Pos}
	}
	return routes, nil
}

// routePromotion routes the statements of the revisions a promotion
// replays (shown in its plan) as routePlan does a plan's.
func routePromotion(ctx context.Context, t *target, live *schema.Schema, revs []*revision.Revision, shown []render.PromotedRevision) error {
	var copies []*dialect.TableCopy
	var at [][2]int
	for i, r := range revs {
		for j, s := range r.Up {
			if s.Copy != nil && i < len(shown) && j < len(shown[i].Statements) {
				copies = append(copies, s.Copy)
				at = append(at, [2]int{i, j})
			}
		}
	}
	routes, err := routeCopies(ctx, t, live, copies)
	for k, r := range routes {
		shown[at[k][0]].Statements[at[k][1]].Route = r
	}
	return err
}

// refusal is why the engine cannot run a change of table name of live.
func refusal(e *osc.Engine, t *target, live *schema.Schema, name string) string {
	tb := live.Table(name)
	if tb == nil {
		return "" // created by the same plan: nothing to copy
	}
	if why := e.Refusal(live, tb, isMariaDB(t)); why != "" {
		return fmt.Sprintf("%s cannot change table %s: %s", e.Name(), quoteIdent(name), why)
	}
	return ""
}

// refusedError is a plan with statements the engine cannot run.
type refusedError struct {
	env     string
	reasons []string
	pos     config.Pos
}

func (e *refusedError) Error() string {
	return fmt.Sprintf("the plan needs the online schema change of %s (%s) for statements it cannot run; nothing was changed:\n  %s\n"+
		"fix the table first, or raise min_size above its size to run the statement as a blocking ALTER TABLE",
		e.env, e.pos, strings.Join(e.reasons, "\n  "))
}

// onlineHooks sets the runner's hooks that hand statements copying a big
// table to t's engine (revision r, the history in h). want returns the
// table the plan expects after the statement (nil when unknown: then the
// verification only checks that the table changed).
func (a *app) onlineHooks(t *target, h *history, version string, o *revision.RunOptions, want func(table string) *schema.Table) error {
	e, err := onlineEngine(t)
	if e == nil || err != nil {
		return err
	}
	conn, err := engineConn(t)
	if err != nil {
		return err
	}
	host, _ := os.Hostname()
	o.Settle = func(ctx context.Context, i int, s revision.Statement) error {
		if s.Copy == nil {
			return nil
		}
		return a.settle(ctx, t, e, conn.Schema, s.Copy.Table)
	}
	o.Handoff = func(ctx context.Context, i int, s revision.Statement) (bool, error) {
		if s.Copy == nil {
			return false, nil
		}
		bg := context.WithoutCancel(ctx)
		table := s.Copy.Table
		sizes, err := tableSizes(bg, t, []string{table})
		if err != nil {
			return true, err
		}
		r := route(e, s.Copy, sizes[table])
		if r.Engine == "" {
			return false, nil
		}
		live, err := t.inspect(bg, t.Reader)
		if err != nil {
			return true, err
		}
		if why := refusal(e, t, live, table); why != "" {
			return true, errors.New(why)
		}
		before := live.Table(table)
		if err := a.settle(bg, t, e, conn.Schema, table); err != nil {
			return true, err
		}
		fmt.Fprintf(a.io.Err, "  -- %s\n", r.Reason)
		note := fmt.Sprintf("statement %d handed to %s: table %s (%s), from host %s, process %d",
			i+1, e.Name(), quoteIdent(table), config.FormatSize(sizes[table]), host, os.Getpid())
		if err := h.Store.RecordEvent(bg, version, eventOnlineSchemaChange, note); err != nil {
			return true, err
		}
		start := time.Now()
		job := osc.Job{Table: table, Clauses: s.Copy.Clauses, DDL: s.SQL, Size: sizes[table], Renames: s.Copy.Renames}
		runErr := e.Run(ctx, conn, job, func(line string) {
			fmt.Fprintf(a.io.Err, "    %s: %s\n", e.Kind, line)
		})
		outcome := fmt.Sprintf("statement %d: %s altered table %s in %s", i+1, e.Name(), quoteIdent(table), time.Since(start).Round(time.Millisecond))
		if runErr != nil {
			outcome = fmt.Sprintf("statement %d: %v", i+1, runErr)
		}
		if err := h.Store.RecordEvent(bg, version, eventOnlineSchemaChange, outcome); err != nil {
			return true, errors.Join(runErr, err)
		}
		if runErr != nil {
			return true, runErr
		}
		return true, a.verify(bg, t, table, before, want)
	}
	return nil
}

// wantTable is the table the running plan makes, nil when unknown.
func (t *target) wantTable(name string) *schema.Table {
	if t.desired == nil {
		return nil
	}
	return t.desired.Table(name)
}

// verify re-inspects a table an engine changed: it must be the one the
// plan expects (or, without that, no longer the one before).
func (a *app) verify(ctx context.Context, t *target, table string, before *schema.Table, want func(string) *schema.Table) error {
	live, err := t.inspect(ctx, t.Reader)
	if err != nil {
		return fmt.Errorf("re-inspect %s after the online schema change: %w", quoteIdent(table), err)
	}
	got := live.Table(table)
	if got == nil {
		return fmt.Errorf("after the online schema change, table %s is missing: check the engine's output above before resuming", quoteIdent(table))
	}
	one := func(tb *schema.Table) *schema.Schema {
		return &schema.Schema{Name: live.Name, Tables: []*schema.Table{tb}}
	}
	if w := func() *schema.Table {
		if want != nil {
			return want(table)
		}
		return nil
	}(); w != nil {
		if changes := planner.Diff(one(got), one(w), t.Dialect); len(changes) > 0 {
			return fmt.Errorf("after the online schema change, table %s still differs from the plan (%d changes left): check the engine's output above; a rerun plans what is left", quoteIdent(table), len(changes))
		}
		return nil
	}
	if before != nil && one(got).Hash() == one(before).Hash() {
		return fmt.Errorf("the online schema change ended but table %s is unchanged: check the engine's output above", quoteIdent(table))
	}
	return nil
}

// settle deals with what an earlier engine run left on table: it refuses
// while an engine still works on the table (never a second one at once),
// and drops a dead engine's copies and triggers.
func (a *app) settle(ctx context.Context, t *target, e *osc.Engine, schemaName, table string) error {
	left, err := osc.FindLeftovers(ctx, t.Conn, schemaName, table)
	if err != nil || left.Empty() {
		return err
	}
	if pid := osc.Running(schemaName, table); pid > 0 {
		return fmt.Errorf("an online schema change engine is still working on table %s (process %d on this machine; its %s are there): "+
			"wait for it to end, or stop it (kill %d), then run Strata again; it never starts a second engine on a table",
			quoteIdent(table), pid, left, pid)
	}
	if len(left.Triggers) > 0 && sessionsOnCopy(ctx, t, left) {
		return fmt.Errorf("table %s has an online schema change's %s, and a session is working on its copy: an engine may be running from another machine; "+
			"wait for it, or stop it and drop those objects, then run Strata again", quoteIdent(table), left)
	}
	fmt.Fprintf(a.io.Err, "  -- an earlier online schema change of %s died; dropping what it left: %s\n", quoteIdent(table), left)
	return left.Drop(ctx, t.Conn)
}

// sessionsOnCopy reports whether another session of the server runs a
// statement on one of the leftover tables (an engine copying rows from
// elsewhere).
func sessionsOnCopy(ctx context.Context, t *target, left osc.Leftovers) bool {
	rows, err := t.Conn.QueryContext(ctx, "SELECT COALESCE(INFO, '') FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND DB = DATABASE()")
	if err != nil {
		return false
	}
	defer rows.Close()
	for rows.Next() {
		var info string
		if rows.Scan(&info) != nil {
			continue
		}
		for _, tb := range left.Tables {
			if strings.Contains(info, tb) {
				return true
			}
		}
	}
	return false
}

// engineConn is how the engine reaches t: the environment URL's host,
// port, user and password (which only ever goes to the options file).
func engineConn(t *target) (osc.Conn, error) {
	oc, ok := t.Dialect.(dialect.OnlineSchemaChanger)
	if !ok {
		return osc.Conn{}, fmt.Errorf("online schema change: %s has no online schema change engines", t.Dialect.Name())
	}
	ot, err := oc.OnlineTarget(t.Env.URL)
	if err != nil {
		return osc.Conn{}, fmt.Errorf("online schema change: the URL of %s: %w", t.Name, err)
	}
	return osc.Conn{Host: ot.Host, Port: ot.Port, Socket: ot.Socket, User: ot.User, Password: ot.Password, Schema: ot.Schema}, nil
}
