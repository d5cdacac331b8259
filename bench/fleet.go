package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/dialect/mysql"
)

// fleetTables is how many tables each tenant of the fleet benchmark has.
const fleetTables = 20

// childRun is one strata run as a child process.
type childRun struct {
	wall time.Duration
	rss  int64
	out  string
}

// fleetResult holds the fleet benchmark of one fleet size: a no-op-free
// plan of identical tenants (one group), and the apply of one revision (a
// column added to every table) with each parallel setting.
type fleetResult struct {
	tenants  int
	setup    time.Duration
	plan     childRun
	groups   string // the plan's group header
	parallel []int
	apply    []childRun
}

var groupLine = regexp.MustCompile(`(?m)^== Plan (× [0-9,]+ targets?) `)

// benchFleet measures a fleet of n tenant databases of fleetTables tables
// each. Every apply starts from freshly loaded tenants and an empty
// migrations directory.
func benchFleet(ctx context.Context, o *options, n int, tmp string) (_ *fleetResult, err error) {
	r := &fleetResult{tenants: n, parallel: o.fleetParallel}
	prefix := fmt.Sprintf("%s_fleet%d", o.prefix, n)
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("%s_%04d", prefix, i+1)
	}
	defer func() {
		if o.keep {
			return
		}
		for _, db := range names {
			if derr := dropDatabase(context.WithoutCancel(ctx), o.url, db); derr != nil && err == nil {
				err = fmt.Errorf("drop %s: %w", db, derr)
			}
		}
	}()
	load := func() error {
		start := time.Now()
		sem := make(chan struct{}, 4)
		var mu sync.Mutex
		var first error
		var wg sync.WaitGroup
		for _, db := range names {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				if _, err := loadSchema(ctx, o.url, db, fleetTables, false); err != nil {
					mu.Lock()
					first = errors.Join(first, err)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		r.setup = time.Since(start)
		fmt.Fprintf(o.log, "fleet %d: loaded %d tenants × %d tables in %s\n", n, n, fleetTables, fmtDur(r.setup))
		return first
	}
	if err := load(); err != nil {
		return nil, err
	}
	dir := filepath.Join(tmp, fmt.Sprintf("fleet_%d", n))
	if err := os.MkdirAll(filepath.Join(dir, "environments"), 0o755); err != nil {
		return nil, err
	}
	if err := writeFleetSchema(ctx, o, names[0], filepath.Join(dir, "schema.hcl")); err != nil {
		return nil, err
	}
	env := func(parallel int) error {
		like := strings.ReplaceAll(prefix, "_", `\\_`) + `\\_%`
		src := fmt.Sprintf("url = %q\ntargets {\n  matching = \"%s\"\n}\nparallel = %d\n", strings.TrimRight(o.url, "/")+"/", like, parallel)
		return os.WriteFile(filepath.Join(dir, "environments", "fleet.hcl"), []byte(src), 0o644)
	}
	if err := env(8); err != nil {
		return nil, err
	}
	if r.plan, err = runChild(ctx, o.strata, dir, 2, "plan", "--env", "fleet", "--detailed-exitcode"); err != nil {
		return nil, err
	}
	var gs []string
	for _, m := range groupLine.FindAllStringSubmatch(r.plan.out, -1) {
		gs = append(gs, m[1])
	}
	r.groups = fmt.Sprintf("%s: %s", plural(len(gs), "plan"), strings.Join(gs, ", "))
	fmt.Fprintf(o.log, "fleet %d: plan %s, %s (%s)\n", n, fmtDur(r.plan.wall), fmtMiB(r.plan.rss), r.groups)
	for i, p := range r.parallel {
		if i > 0 {
			if err := load(); err != nil {
				return nil, err
			}
		}
		if err := os.RemoveAll(filepath.Join(dir, "migrations")); err != nil {
			return nil, err
		}
		if err := env(p); err != nil {
			return nil, err
		}
		run, err := runChild(ctx, o.strata, dir, 0, "apply", "--env", "fleet", "--auto-approve")
		if err != nil {
			return nil, err
		}
		if !strings.Contains(run.out, fmt.Sprintf("Fleet apply complete: all %d targets succeeded.", n)) {
			return nil, fmt.Errorf("apply with parallel = %d did not finish on every target:\n%s", p, firstLines(run.out, 40))
		}
		r.apply = append(r.apply, run)
		fmt.Fprintf(o.log, "fleet %d: apply parallel = %d: %s, %s\n", n, p, fmtDur(run.wall), fmtMiB(run.rss))
	}
	return r, nil
}

// writeFleetSchema writes the desired schema of the benchmark's revision:
// the tenant's tables, each with one more column.
func writeFleetSchema(ctx context.Context, o *options, db, path string) error {
	pool, err := mysql.OpenURL(ctx, databaseURL(o.url, db))
	if err != nil {
		return err
	}
	defer pool.Close()
	d, err := mysql.New(ctx, pool)
	if err != nil {
		return err
	}
	current, err := d.Inspect(ctx, pool)
	if err != nil {
		return err
	}
	desired := current.Clone()
	for _, t := range desired.Tables {
		for _, c := range t.Columns {
			if c.Name == "status" {
				flag := *c
				flag.Name = "flag"
				t.Columns = append(t.Columns, &flag)
				break
			}
		}
	}
	return os.WriteFile(path, config.WriteSchema(desired), 0o644)
}

// runChild runs strata in dir and returns its wall time, peak RSS (as
// runPlan measures it) and output; an exit code other than 0 or want is
// an error.
func runChild(ctx context.Context, bin, dir string, want int, args ...string) (childRun, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return childRun{}, err
	}
	hwm := make(chan int64)
	stop := make(chan struct{})
	go func() { hwm <- sampleHWM(cmd.Process.Pid, stop) }()
	err := cmd.Wait()
	r := childRun{wall: time.Since(t0), out: out.String()}
	close(stop)
	r.rss = <-hwm
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && r.rss == 0 {
		r.rss = ru.Maxrss * 1024
	}
	var ee *exec.ExitError
	if err != nil && (!errors.As(err, &ee) || ee.ExitCode() != want) {
		return r, fmt.Errorf("strata %s: %v\n%s", strings.Join(args, " "), err, firstLines(r.out, 40))
	}
	return r, nil
}

func printFleet(w io.Writer, rs []*fleetResult) {
	fmt.Fprintf(w, "\nFleets of tenants × %d tables (12 columns, PK + 3 indexes, an FK on every third), one revision adding a column to every table (%d ALTERs a tenant); one run each, the whole CLI as a child process\n\n", fleetTables, fleetTables)
	fmt.Fprintln(w, "| tenants | command | targets at once | wall | peak RSS |")
	fmt.Fprintln(w, "|---:|---|---:|---:|---:|")
	for _, r := range rs {
		fmt.Fprintf(w, "| %s | `plan` (%s) | 8 | %s | %s |\n", fmtCount(r.tenants), r.groups, fmtDur(r.plan.wall), fmtMiB(r.plan.rss))
		for i, p := range r.parallel {
			a := r.apply[i]
			fmt.Fprintf(w, "| %s | `apply` | %d | %s | %s |\n", fmtCount(r.tenants), p, fmtDur(a.wall), fmtMiB(a.rss))
		}
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
