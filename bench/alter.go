package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/dialect/mysql"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/schema"
)

// alterResult holds the ALTER benchmark's measurements.
type alterResult struct {
	build time.Duration // filling the table (not part of the figures)

	single    []string // statements of the one-ALTER plan
	separate  []string // statements of the three one-change plans
	instant   bool     // the single ALTER asks for ALGORITHM=INSTANT
	singleDur []time.Duration
	sepDur    []time.Duration
	copyDur   time.Duration // the single ALTER with ALGORITHM=COPY
	sepCopy   time.Duration // the three ALTERs with ALGORITHM=COPY
}

// alterEdits are the three column changes, each applied to a normalized
// model of the big table: a new nullable column, a new default and a
// renamed column. All are instant on MariaDB, and so are their reverses,
// which restore the table between runs (a widened varchar would be
// instant, but narrowing it back copies the table).
var alterEdits = []struct {
	what string
	edit func(t *schema.Table)
}{
	{"add column score int NULL", func(t *schema.Table) {
		t.Columns = append(t.Columns, &schema.Column{Name: "score", Type: schema.Type{Name: "int", Args: []int{11}}, Null: true, Default: "NULL"})
	}},
	{"status DEFAULT 0 -> 1", func(t *schema.Table) { t.Column("status").Default = "1" }},
	{"rename name -> full_name", func(t *schema.Table) {
		c := t.Column("name")
		c.Name, c.RenamedFrom = "full_name", "name"
	}},
}

func benchAlter(ctx context.Context, o *options, tmp string) (_ *alterResult, err error) {
	r := &alterResult{}
	alterDB := o.prefix + "_alter"
	pool, conn, done, err := scratchDatabase(ctx, o, alterDB)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, done()) }()

	start := time.Now()
	if err := fillBig(ctx, conn, "big", o.alterRows); err != nil {
		return nil, err
	}
	r.build = time.Since(start)
	fmt.Fprintf(o.log, "alter: filled %s.big with %s rows in %s\n", alterDB, fmtCount(o.alterRows), fmtDur(r.build))

	d, err := mysql.New(ctx, pool)
	if err != nil {
		return nil, err
	}
	current, err := d.Inspect(ctx, conn)
	if err != nil {
		return nil, err
	}
	// The desired models come from HCL, as a user's would.
	hclPath := filepath.Join(tmp, "alter.hcl")
	if err := os.WriteFile(hclPath, config.WriteSchema(current), 0o644); err != nil {
		return nil, err
	}
	desiredWith := func(edits ...func(*schema.Table)) (*schema.Schema, error) {
		s, diags := config.NewFiles().LoadSchema(hclPath)
		if diags.HasErrors() {
			return nil, fmt.Errorf("load %s: %s", hclPath, diags.Error())
		}
		if err := d.Normalize(s); err != nil {
			return nil, err
		}
		for _, e := range edits {
			e(s.Table("big"))
		}
		return s, nil
	}
	online := dialect.GenOptions{Online: true}
	all := make([]func(*schema.Table), len(alterEdits))
	for i, e := range alterEdits {
		all[i] = e.edit
	}
	desired, err := desiredWith(all...)
	if err != nil {
		return nil, err
	}
	up, err := plan(d, current, desired, online)
	if err != nil {
		return nil, err
	}
	r.single = up
	r.instant = len(up) == 1 && strings.Contains(up[0], "ALGORITHM=INSTANT")
	down, err := planner.BuildReverse(current, desired, d, online)
	if err != nil {
		return nil, err
	}
	var downSQL []string
	for _, s := range down.Statements() {
		downSQL = append(downSQL, s.SQL)
	}
	for _, e := range alterEdits {
		des, err := desiredWith(e.edit)
		if err != nil {
			return nil, err
		}
		stmts, err := plan(d, current, des, online)
		if err != nil {
			return nil, err
		}
		r.separate = append(r.separate, stmts...)
	}
	if len(r.single) != 1 || len(r.separate) != len(alterEdits) {
		return nil, fmt.Errorf("expected 1 and %d statements, got %q and %q", len(alterEdits), r.single, r.separate)
	}

	// Each timed variant runs the up statements, then the down plan restores
	// the table (not timed), checked against the inspected model.
	timed := func(stmts []string) (time.Duration, error) {
		t0 := time.Now()
		for _, s := range stmts {
			if _, err := conn.ExecContext(ctx, s); err != nil {
				return 0, fmt.Errorf("%s: %w", s, err)
			}
		}
		took := time.Since(t0)
		for _, s := range downSQL {
			if _, err := conn.ExecContext(ctx, s); err != nil {
				return 0, fmt.Errorf("restore: %s: %w", s, err)
			}
		}
		back, err := d.Inspect(ctx, conn)
		if err != nil {
			return 0, err
		}
		if chs := planner.Diff(back, current, d); len(chs) > 0 {
			return 0, fmt.Errorf("the table differs after restoring it: %s", describe(chs[0]))
		}
		return took, nil
	}
	for run := 0; run < o.runs; run++ {
		t, err := timed(r.single)
		if err != nil {
			return nil, err
		}
		r.singleDur = append(r.singleDur, t)
		t, err = timed(r.separate)
		if err != nil {
			return nil, err
		}
		r.sepDur = append(r.sepDur, t)
		fmt.Fprintf(o.log, "alter: run %d: one ALTER %s, three ALTERs %s\n", run+1, fmtDur(r.singleDur[run]), fmtDur(r.sepDur[run]))
	}
	if o.alterCopy {
		if r.copyDur, err = timed(withAlgorithm(r.single, "COPY")); err != nil {
			return nil, err
		}
		if r.sepCopy, err = timed(withAlgorithm(r.separate, "COPY")); err != nil {
			return nil, err
		}
		fmt.Fprintf(o.log, "alter: ALGORITHM=COPY: one ALTER %s, three ALTERs %s\n", fmtDur(r.copyDur), fmtDur(r.sepCopy))
	}
	return r, nil
}

// plan returns the statements of the plan from current to desired.
func plan(d dialect.Dialect, current, desired *schema.Schema, o dialect.GenOptions) ([]string, error) {
	p, err := planner.Build(current, desired, planner.Diff(current, desired, d), d, o)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range p.Statements() {
		out = append(out, s.SQL)
	}
	return out, nil
}

// withAlgorithm replaces or adds the ALGORITHM clause of ALTER statements.
func withAlgorithm(stmts []string, alg string) []string {
	out := make([]string, len(stmts))
	for i, s := range stmts {
		if j := strings.Index(s, "ALGORITHM="); j >= 0 {
			k := j + len("ALGORITHM=")
			for k < len(s) && s[k] >= 'A' && s[k] <= 'Z' {
				k++
			}
			out[i] = s[:j] + "ALGORITHM=" + alg + s[k:]
		} else {
			out[i] = s + ", ALGORITHM=" + alg
		}
	}
	return out
}

// fillBig creates the table name (a plain identifier) and fills it with
// rows rows by doubling it with INSERT ... SELECT.
func fillBig(ctx context.Context, conn *sql.Conn, name string, rows int) error {
	stmts := []string{
		"CREATE TABLE " + name + " (id bigint unsigned NOT NULL AUTO_INCREMENT, name varchar(20) NOT NULL, status int NOT NULL DEFAULT 0," +
			" note varchar(200) DEFAULT NULL, created_at datetime NOT NULL DEFAULT current_timestamp(), PRIMARY KEY (id), KEY idx_status (status))" +
			" ENGINE=InnoDB",
		"INSERT INTO " + name + " (name, status, note) VALUES ('row', 1, 'a note of some length to give rows a realistic size')",
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("fill %s: %w", name, err)
		}
	}
	for have := 1; have < rows; {
		add := min(have, rows-have)
		q := fmt.Sprintf("INSERT INTO %s (name, status, note) SELECT name, status + id %% 7, note FROM %s LIMIT %d", name, name, add)
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("fill %s: %w", name, err)
		}
		have += add
	}
	return nil
}

func printAlter(w io.Writer, rows int, r *alterResult) {
	fmt.Fprintf(w, "\nThree column changes on one table of %s rows (%s), median of %d runs\n\n", fmtCount(rows), describeEdits(), len(r.singleDur))
	fmt.Fprintln(w, "| plan | statements | time |")
	fmt.Fprintln(w, "|---|---:|---:|")
	fmt.Fprintf(w, "| one ALTER (Online: ALGORITHM=INSTANT) | %d | %s |\n", len(r.single), fmtDur(median(r.singleDur)))
	fmt.Fprintf(w, "| three ALTERs (Online) | %d | %s |\n", len(r.separate), fmtDur(median(r.sepDur)))
	if r.copyDur > 0 {
		fmt.Fprintf(w, "| one ALTER, ALGORITHM=COPY | %d | %s |\n", len(r.single), fmtDur(r.copyDur))
		fmt.Fprintf(w, "| three ALTERs, ALGORITHM=COPY | %d | %s |\n", len(r.separate), fmtDur(r.sepCopy))
	}
	fmt.Fprintf(w, "\nThe single statement:\n\n    %s\n", strings.Join(r.single, "\n    "))
	if !r.instant {
		fmt.Fprintln(w, "\nNOTE: the single ALTER does not ask for ALGORITHM=INSTANT.")
	}
}

func describeEdits() string {
	var s []string
	for _, e := range alterEdits {
		s = append(s, e.what)
	}
	return strings.Join(s, "; ")
}
