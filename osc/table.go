package osc

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// Refusal says why the engine cannot change table t of the live schema,
// "" when it can. Every reason is one the engine itself stops on (or, for
// foreign keys, one that needs choices Strata does not make for you), told
// at plan time instead of part-way through a run.
func (e *Engine) Refusal(live *schema.Schema, t *schema.Table, mariadb bool) string {
	name := quote(t.Name)
	if e.Kind == Ghost && mariadb {
		return ErrMariaDBGhost.Error()
	}
	if !hasUsableKey(t) {
		return fmt.Sprintf("table %s has no primary key or unique key of NOT NULL columns, which %s needs to copy rows in chunks and to replay changes; add one first", name, e.Name())
	}
	if e.Kind == Command {
		return ""
	}
	var trigs []string
	for _, tr := range live.Triggers {
		if tr.Table == t.Name {
			trigs = append(trigs, quote(tr.Name))
		}
	}
	if len(trigs) > 0 {
		return fmt.Sprintf("table %s has triggers (%s); %s adds triggers of its own and refuses a table that has some", name, strings.Join(trigs, ", "), e.Name())
	}
	if len(t.ForeignKeys) > 0 {
		return fmt.Sprintf("table %s has foreign keys (%s); %s re-creates them on its copy under other names (pt-osc renames fk_x to _fk_x), which Strata does not do for you: run it by hand with the --alter-foreign-keys-method you choose",
			name, fkNames(t.ForeignKeys), e.Name())
	}
	var children []string
	for _, o := range live.Tables {
		for _, fk := range o.ForeignKeys {
			if fk.RefTable == t.Name && o.Name != t.Name {
				children = append(children, quote(o.Name)+"."+quote(fk.Name))
			}
		}
	}
	if len(children) > 0 {
		return fmt.Sprintf("table %s is referenced by foreign keys (%s); swapping in its copy needs pt-osc's --alter-foreign-keys-method (rebuild_constraints re-creates the children's keys, drop_swap drops the original first and leaves no table for a moment): run it by hand with the method you choose",
			name, strings.Join(children, ", "))
	}
	return ""
}

func fkNames(fks []*schema.ForeignKey) string {
	var out []string
	for _, fk := range fks {
		out = append(out, quote(fk.Name))
	}
	return strings.Join(out, ", ")
}

// hasUsableKey reports whether t has a primary key or a unique key whose
// columns are all NOT NULL (pt-osc's chunking and delete trigger need one).
func hasUsableKey(t *schema.Table) bool {
	if t.PrimaryKey != nil && len(t.PrimaryKey.Parts) > 0 {
		return true
	}
	for _, ix := range t.Indexes {
		if ix.Kind != schema.IndexUnique || len(ix.Parts) == 0 {
			continue
		}
		ok := true
		for _, p := range ix.Parts {
			c := t.Column(p.Column)
			if p.Expr != "" || c == nil || c.Null {
				ok = false
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// Leftovers are what a dead engine left of its run on a table: its copies
// (pt-osc's _t_new and _t_old, gh-ost's _t_gho, _t_ghc and _t_del) and
// pt-osc's triggers.
type Leftovers struct {
	Tables   []string
	Triggers []string
}

// Empty reports whether nothing was left.
func (l Leftovers) Empty() bool { return len(l.Tables) == 0 && len(l.Triggers) == 0 }

func (l Leftovers) String() string {
	var all []string
	for _, t := range l.Tables {
		all = append(all, "table "+quote(t))
	}
	for _, t := range l.Triggers {
		all = append(all, "trigger "+quote(t))
	}
	return strings.Join(all, ", ")
}

var nonWord = regexp.MustCompile(`\W`)

// TriggerPrefix is pt-osc's prefix of its triggers on schema.table.
func TriggerPrefix(schemaName, table string) string {
	p := nonWord.ReplaceAllString("pt_osc_"+schemaName+"_"+table, "_")
	if len(p) > 60 {
		p = p[:60]
	}
	return p
}

// FindLeftovers reads the engines' leftovers of table in the database q
// is connected to.
func FindLeftovers(ctx context.Context, q dialect.Querier, schemaName, table string) (Leftovers, error) {
	var l Leftovers
	var names []any
	for _, pre := range []string{"_", "__"} {
		for _, suf := range []string{"_new", "_old", "_gho", "_ghc", "_del"} {
			names = append(names, pre+table+suf)
		}
	}
	rows, err := q.QueryContext(ctx, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?"+
		strings.Repeat(", ?", len(names)-1)+") ORDER BY TABLE_NAME", names...)
	if err != nil {
		return l, fmt.Errorf("look for online schema change leftovers of %s: %w", quote(table), err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return l, err
		}
		l.Tables = append(l.Tables, n)
	}
	rows.Close()
	sort.Strings(l.Tables)
	prefix := TriggerPrefix(schemaName, table)
	rows, err = q.QueryContext(ctx, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME IN (?, ?, ?) ORDER BY TRIGGER_NAME",
		prefix+"_del", prefix+"_ins", prefix+"_upd")
	if err != nil {
		return l, fmt.Errorf("look for online schema change leftovers of %s: %w", quote(table), err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return l, err
		}
		l.Triggers = append(l.Triggers, n)
	}
	return l, rows.Err()
}

// Drop removes the leftovers, triggers first (they write to the copy).
func (l Leftovers) Drop(ctx context.Context, q dialect.Querier) error {
	for _, t := range l.Triggers {
		if _, err := q.ExecContext(ctx, "DROP TRIGGER IF EXISTS "+quote(t)); err != nil {
			return fmt.Errorf("drop the online schema change's trigger %s: %w", quote(t), err)
		}
	}
	for _, t := range l.Tables {
		if _, err := q.ExecContext(ctx, "DROP TABLE IF EXISTS "+quote(t)); err != nil {
			return fmt.Errorf("drop the online schema change's table %s: %w", quote(t), err)
		}
	}
	return nil
}
