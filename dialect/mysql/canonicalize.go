package mysql

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	driver "github.com/go-sql-driver/mysql"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

var _ dialect.Canonicalizer = (*Dialect)(nil)

// Canonicalize asks the server how it stores each given (normalized,
// desired) table: it creates the table as a uniquely named TEMPORARY table
// in q's session (without foreign keys, partitioning, FULLTEXT and SPATIAL
// keys, which temporary tables cannot hold), reads SHOW CREATE TABLE back
// and takes from it what only the server knows: column types as stored,
// defaults, ON UPDATE, generated expressions, column and table checks and
// index USING. The live schema is never touched. A table the server refuses
// is left as it is: applying it will surface the error. q must be a single
// session (*sql.Conn) so that the temporary tables stay private.
func (d *Dialect) Canonicalize(ctx context.Context, q dialect.Querier, tables []*schema.Table) error {
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	for i, t := range tables {
		name := fmt.Sprintf("strata_canon_%s_%d", hex.EncodeToString(suffix), i)
		got, err := d.canonicalShowCreate(ctx, q, t, name, true)
		if err != nil {
			// Perhaps the partition expression cannot be a generated
			// column, or the engine has no temporary tables: try once
			// more with InnoDB and without it.
			got, err = d.canonicalShowCreate(ctx, q, t, name, false)
		}
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("canonicalize table %q: %w", t.Name, ctx.Err())
			}
			if accessDenied(err) {
				// A read-only user (SELECT alone: error 1044) cannot
				// create temporary tables; no other table would fare
				// better.
				return fmt.Errorf("%w: the user cannot create temporary tables (%v), so the changed tables are shown as written in the schema, "+
					"which may differ from how the server stores them; grant CREATE TEMPORARY TABLES on the database to see them as stored", dialect.ErrNotPermitted, err)
			}
			continue
		}
		canonicalMerge(t, got)
	}
	return nil
}

// accessDenied reports whether err is the server refusing a statement for
// lack of a privilege (1044 database, 1142 table, 1227 global).
func accessDenied(err error) bool {
	var me *driver.MySQLError
	return errors.As(err, &me) && (me.Number == 1044 || me.Number == 1142 || me.Number == 1227)
}

// canonicalShowCreate creates t as the temporary table name, reads its SHOW
// CREATE TABLE and drops it again.
func (d *Dialect) canonicalShowCreate(ctx context.Context, q dialect.Querier, t *schema.Table, name string, first bool) (*schema.Table, error) {
	tmp := *t
	tmp.Name = name
	tmp.ForeignKeys = nil
	tmp.Partition = nil
	// Storage options do not change how columns are stored, and temporary
	// tables refuse some (ROW_FORMAT=COMPRESSED, page compression).
	tmp.Options.RowFormat, tmp.Options.Extra, tmp.Options.AutoIncrement = "", "", 0
	if !first {
		tmp.Options.Engine = "InnoDB"
	}
	partExprs := first
	if p := t.Partition; p != nil && partExprs {
		// Temporary tables cannot be partitioned, but the server prints a
		// partition expression as it prints a generated column's.
		tmp.Columns = append([]*schema.Column(nil), t.Columns...)
		if canonicalIsExpr(p.Method, p.Expr) {
			tmp.Columns = append(tmp.Columns, canonicalExprColumn(canonicalPartExpr, p.Expr))
		}
		if canonicalIsExpr(p.SubMethod, p.SubExpr) {
			tmp.Columns = append(tmp.Columns, canonicalExprColumn(canonicalSubPartExpr, p.SubExpr))
		}
	}
	tmp.Indexes = nil
	for _, idx := range t.Indexes {
		if idx.Kind != schema.IndexFulltext && idx.Kind != schema.IndexSpatial {
			tmp.Indexes = append(tmp.Indexes, idx)
		}
	}
	create := d.CreateTableSQL(&tmp)
	if !strings.HasPrefix(create, "CREATE TABLE ") {
		return nil, fmt.Errorf("unexpected CREATE statement")
	}
	create = "CREATE TEMPORARY TABLE " + strings.TrimPrefix(create, "CREATE TABLE ")
	if _, err := q.ExecContext(ctx, create); err != nil {
		return nil, err
	}
	defer func() {
		// A failed drop leaves a temporary table that ends with the
		// session; nothing more can be done here.
		_, _ = q.ExecContext(context.WithoutCancel(ctx), "DROP TEMPORARY TABLE IF EXISTS "+sctQuoteIdent(name))
	}()
	var tn, stmt string
	if err := queryRow(ctx, q, "SHOW CREATE TABLE "+sctQuoteIdent(name), &tn, &stmt); err != nil {
		return nil, err
	}
	return ParseShowCreateTable(stmt)
}

// Names of the generated columns that carry partition expressions.
const (
	canonicalPartExpr    = "strata_canon_part_expr"
	canonicalSubPartExpr = "strata_canon_subpart_expr"
)

// canonicalIsExpr reports whether a partitioning's expression is an
// expression (RANGE, LIST, HASH) rather than a column list.
func canonicalIsExpr(method, expr string) bool {
	return expr != "" && !strings.HasSuffix(method, "COLUMNS") && !strings.HasSuffix(method, "KEY")
}

func canonicalExprColumn(name, expr string) *schema.Column {
	return &schema.Column{Name: name, Type: schema.Type{Name: "bigint"}, Null: true, Generated: &schema.Generated{Expr: expr}}
}

// canonicalMerge copies the server's forms from got into t.
func canonicalMerge(t, got *schema.Table) {
	if p := t.Partition; p != nil {
		for _, gc := range got.Columns {
			switch {
			case gc.Generated == nil:
			case gc.Name == canonicalPartExpr:
				p.Expr = gc.Generated.Expr
			case gc.Name == canonicalSubPartExpr:
				p.SubExpr = gc.Generated.Expr
			}
		}
	}
	for _, gc := range got.Columns {
		c := t.Column(gc.Name)
		if c == nil {
			continue
		}
		c.Type = gc.Type
		c.Default = gc.Default
		c.OnUpdate = gc.OnUpdate
		c.Check = gc.Check
		if c.Generated != nil && gc.Generated != nil {
			c.Generated.Expr = gc.Generated.Expr
		}
		if gc.Generated == nil && !gc.AutoIncrement && gc.Null && gc.Default == "" {
			c.Default = "NULL"
		}
	}
	for _, gk := range got.Checks {
		if ck := t.Check(gk.Name); ck != nil {
			ck.Expr = gk.Expr
		}
	}
	for _, gi := range got.Indexes {
		idx := t.Index(gi.Name)
		if idx == nil {
			continue
		}
		// SHOW CREATE TABLE prints USING where it was declared or
		// implied (a long unique key is a HASH): the model keeps it so.
		idx.Using = gi.Using
	}
}

var _ dialect.ViewCanonicalizer = (*Dialect)(nil)

// CanonicalizeViews asks the server for its rendering of view definitions:
// each is created under a probe name in q's database, read back from
// information_schema.VIEWS and dropped again. Views cannot be temporary, so
// this is the one place where planning runs DDL; the planner calls it only
// for views whose text differs from the live one.
func (d *Dialect) CanonicalizeViews(ctx context.Context, q dialect.Querier, views []*schema.View) error {
	var db string
	if err := queryRow(ctx, q, "SELECT DATABASE()", &db); err != nil {
		return err
	}
	prefix := sctQuoteIdent(db) + "."
	for i, v := range views {
		probe := fmt.Sprintf("strata_probe_%d_%d", time.Now().UnixNano()%1_000_000_000, i)
		// Under the view's context, which its definition is parsed in.
		var refused error
		stmts := d.underContext(v.Context, "CREATE VIEW "+sctQuoteIdent(probe)+" AS "+v.Definition)
		for i, s := range stmts {
			if _, err := q.ExecContext(ctx, s); err != nil {
				refused = err
				if i > 0 && i < len(stmts)-1 {
					// MySQL: the last statement restores the session.
					_, _ = q.ExecContext(context.WithoutCancel(ctx), stmts[len(stmts)-1])
				}
				break
			}
		}
		if refused != nil {
			if accessDenied(refused) {
				return fmt.Errorf("%w: the user cannot create a scratch view (%v), so the changed views are shown as written in the schema, "+
					"which may differ from how the server renders them; grant CREATE VIEW and DROP on the database to see them as rendered", dialect.ErrNotPermitted, refused)
			}
			continue // refused: the apply will say why
		}
		var def string
		err := queryRow(ctx, q, "SELECT VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '"+probe+"'", &def)
		if _, derr := q.ExecContext(context.WithoutCancel(ctx), "DROP VIEW IF EXISTS "+sctQuoteIdent(probe)); derr != nil && err == nil {
			err = derr
		}
		if err != nil {
			return fmt.Errorf("view %q: %w", v.Name, err)
		}
		v.Definition = inspectUnqualify(def, prefix)
	}
	return nil
}
