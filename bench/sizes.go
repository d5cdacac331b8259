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
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/dialect/mysql"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/schema"
)

// sizeResult holds the measurements of one schema size; durations are per
// run, medians are taken when printing.
type sizeResult struct {
	tables     int
	statements int64 // all statements of one inspection
	perObj     int   // of which per-table/per-trigger SHOW statements
	// requests are the round trips of one inspection as the CLI runs it,
	// through a mysql.Reader: the bulk queries, and the SHOW statements
	// batched into a few requests. On one session every statement is a
	// request of its own.
	requests int64
	setup    time.Duration // creating the database (not part of the figures)
	hclBytes int

	inspectConn, inspectReader, floorConn, floorPool []time.Duration
	load, normalize, diff, build, plan               []time.Duration
	rss                                              []int64 // bytes

	// Bytes allocated by each in-process phase (one run).
	allocInspect, allocLoad, allocNormalize, allocDiff uint64
	// Live heap held after a phase: the inspected model; the loaded model
	// with the config.Files that parsed it (the CLI keeps both to the end
	// of the command), and the loaded model alone.
	liveInspect, liveLoadFiles, liveLoadModel uint64

	diffChanges int // changes of the no-op diff (want 0)
	planExit    int // exit code of the no-op plan (want 0)
	planOutput  string
}

func benchSize(ctx context.Context, o *options, n int, tmp string) (_ *sizeResult, err error) {
	r := &sizeResult{tables: n}
	db := fmt.Sprintf("%s_%d", o.prefix, n)
	start := time.Now()
	loaded, err := loadSchema(ctx, o.url, db, n, o.reuse)
	if err != nil {
		return nil, err
	}
	r.setup = time.Since(start)
	if !o.keep {
		defer func() {
			// Drop even when interrupted.
			if derr := dropDatabase(context.WithoutCancel(ctx), o.url, db); derr != nil && err == nil {
				err = fmt.Errorf("drop %s: %w", db, derr)
			}
		}()
	}
	verb := "reused"
	if loaded {
		verb = "created"
	}
	fmt.Fprintf(o.log, "%d tables: %s %s in %s\n", n, verb, db, fmtDur(r.setup))

	url := databaseURL(o.url, db)
	pool, err := mysql.OpenURL(ctx, url)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	d, err := mysql.New(ctx, pool)
	if err != nil {
		return nil, err
	}
	conn, err := pool.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	reader, err := mysql.OpenReader(url)
	if err != nil {
		return nil, err
	}
	defer reader.Close()

	// Warm-up run: counts and records the queries, and gives the model the
	// HCL file is written from.
	cq := &countingQuerier{q: conn, record: true}
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	current, err := d.Inspect(ctx, cq)
	if err != nil {
		return nil, err
	}
	r.allocInspect = allocatedSince(&before)
	r.liveInspect = liveSince(0, current)
	if len(current.Tables) != n {
		return nil, fmt.Errorf("inspected %d tables, want %d", len(current.Tables), n)
	}
	r.statements = cq.n.Load()
	if r.requests, err = readerRequests(ctx, d, reader, r.statements); err != nil {
		return nil, err
	}
	// The floor is the bulk information_schema queries alone (DESIGN.md);
	// per-object SHOW CREATE statements are counted apart (SHOW GRANTS is
	// one a schema, with the bulk queries).
	var bulk []recorded
	for _, q := range cq.seen {
		if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(q.Query)), "SHOW CREATE ") {
			r.perObj++
		} else {
			bulk = append(bulk, q)
		}
	}
	hcl := config.WriteSchema(current)
	r.hclBytes = len(hcl)
	path := filepath.Join(tmp, fmt.Sprintf("schema_%d.hcl", n))
	if err := os.WriteFile(path, hcl, 0o644); err != nil {
		return nil, err
	}
	if err := replay(ctx, pool, bulk, true); err != nil {
		return nil, fmt.Errorf("replay the inspector's queries: %w", err)
	}
	base := liveSince(0, nil)
	files := config.NewFiles()
	model, diags := files.LoadSchema(path)
	if diags.HasErrors() {
		return nil, fmt.Errorf("load %s: %s", path, diags.Error())
	}
	r.liveLoadFiles = liveSince(base, files) // model is still referenced below
	files = nil
	r.liveLoadModel = liveSince(base, model)

	for run := 0; run < o.runs; run++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// Inspection on one pinned session, a request per statement.
		t0 := time.Now()
		cur, err := d.Inspect(ctx, &countingQuerier{q: conn})
		if err != nil {
			return nil, err
		}
		r.inspectConn = append(r.inspectConn, time.Since(t0))
		// Inspection as the CLI does it: through a Reader.
		t0 = time.Now()
		if _, err := d.Inspect(ctx, reader); err != nil {
			return nil, err
		}
		r.inspectReader = append(r.inspectReader, time.Since(t0))
		t0 = time.Now()
		if err := replay(ctx, conn, bulk, false); err != nil {
			return nil, err
		}
		r.floorConn = append(r.floorConn, time.Since(t0))
		t0 = time.Now()
		if err := replay(ctx, pool, bulk, true); err != nil {
			return nil, err
		}
		r.floorPool = append(r.floorPool, time.Since(t0))

		runtime.ReadMemStats(&before)
		t0 = time.Now()
		desired, diags := config.NewFiles().LoadSchema(path)
		if diags.HasErrors() {
			return nil, fmt.Errorf("load %s: %s", path, diags.Error())
		}
		r.load = append(r.load, time.Since(t0))
		r.allocLoad = allocatedSince(&before)

		runtime.ReadMemStats(&before)
		t0 = time.Now()
		if err := d.Normalize(desired); err != nil {
			return nil, err
		}
		r.normalize = append(r.normalize, time.Since(t0))
		r.allocNormalize = allocatedSince(&before)

		runtime.ReadMemStats(&before)
		t0 = time.Now()
		changes := planner.Diff(cur, desired, d)
		r.diff = append(r.diff, time.Since(t0))
		r.allocDiff = allocatedSince(&before)
		// Build runs even for an empty plan: it hashes both models.
		t0 = time.Now()
		if _, err := planner.Build(cur, desired, changes, d, dialect.GenOptions{}); err != nil {
			return nil, err
		}
		r.build = append(r.build, time.Since(t0))
		if run == 0 && len(changes) > 0 {
			r.diffChanges = len(changes)
			fmt.Fprintf(o.log, "%d tables: WARNING: the no-op diff has %d changes, e.g. %s\n", n, len(changes), describe(changes[0]))
		}

		pr, err := runPlan(ctx, o.strata, url, path, tmp)
		if err != nil {
			return nil, err
		}
		wall, rss := pr.wall, pr.rss
		r.plan = append(r.plan, wall)
		r.rss = append(r.rss, rss)
		if pr.code != 0 {
			r.planExit, r.planOutput = pr.code, pr.out
			fmt.Fprintf(o.log, "%d tables: WARNING: no-op plan exited %d:\n%s\n", n, pr.code, firstLines(pr.out, 20))
		}
		fmt.Fprintf(o.log, "%d tables: run %d: inspect %s (Reader %s, floor %s/%s), load %s, diff %s, build %s, plan %s %s\n",
			n, run+1, fmtDur(r.inspectConn[run]), fmtDur(r.inspectReader[run]), fmtDur(r.floorConn[run]), fmtDur(r.floorPool[run]),
			fmtDur(r.load[run]), fmtDur(r.diff[run]), fmtDur(r.build[run]), fmtDur(wall), fmtMiB(rss))
	}
	return r, nil
}

// targetChecker returns a function that prints one line of a targets
// list: "- met: …" or "- MISSED: …".
func targetChecker(w io.Writer) func(ok bool, format string, args ...any) {
	return func(ok bool, format string, args ...any) {
		mark := "met"
		if !ok {
			mark = "MISSED"
		}
		fmt.Fprintf(w, "- %s: "+format+"\n", append([]any{mark}, args...)...)
	}
}

// readerRequests inspects once through reader, as the CLI does, and returns
// the requests it took. The statements must be those of the one-session
// inspection: the Reader changes how they travel, not what is asked.
func readerRequests(ctx context.Context, d *mysql.Dialect, reader *mysql.Reader, statements int64) (int64, error) {
	before := reader.Stats()
	if _, err := d.Inspect(ctx, reader); err != nil {
		return 0, err
	}
	after := reader.Stats()
	if got := after.Statements - before.Statements; got != statements {
		return 0, fmt.Errorf("inspection through a Reader sent %d statements, on one session %d", got, statements)
	}
	return after.Requests - before.Requests, nil
}

// liveSince collects garbage and returns the live heap above base while
// keep is still referenced.
func liveSince(base uint64, keep any) uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	runtime.KeepAlive(keep)
	if m.HeapAlloc < base {
		return 0
	}
	return m.HeapAlloc - base
}

func allocatedSince(before *runtime.MemStats) uint64 {
	var now runtime.MemStats
	runtime.ReadMemStats(&now)
	return now.TotalAlloc - before.TotalAlloc
}

// planRun is one `strata plan` child process: its wall and CPU (user +
// system) time, peak RSS in bytes, exit code and combined output. CPU time
// is what the plan itself costs when other work shares the machine.
type planRun struct {
	wall, cpu time.Duration
	rss       int64
	code      int
	out       string
}

// runPlan runs `strata plan --detailed-exitcode` against url.
//
// The peak is the child's VmHWM, sampled from /proc while it runs: the
// rusage of a child started by this process would not do, because Linux
// carries the memory image a child was forked from into its maxrss at exec,
// and this process holds the benchmark's models (a 40 MiB plan reads as
// the benchmark's 52). VmHWM is a high-water mark, so only growth in the
// last sampling interval before exit could go unseen; without /proc the
// rusage figure is used.
func runPlan(ctx context.Context, bin, url, schemaPath, dir string) (*planRun, error) {
	cmd := exec.CommandContext(ctx, bin, "plan", "--url", url, "--schema", schemaPath, "--detailed-exitcode")
	cmd.Dir = dir // no environments/ or schema.hcl of the caller's
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("run strata plan: %w", err)
	}
	hwm := make(chan int64)
	stop := make(chan struct{})
	go func() { hwm <- sampleHWM(cmd.Process.Pid, stop) }()
	err := cmd.Wait()
	wall := time.Since(t0)
	close(stop)
	sampled := <-hwm
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return nil, fmt.Errorf("run strata plan: %w", err)
		}
		code = ee.ExitCode()
	}
	r := &planRun{wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), rss: sampled, code: code, out: out.String()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && r.rss == 0 {
		r.rss = ru.Maxrss * 1024 // KiB on Linux
	}
	return r, nil
}

// sampleHWM reads the VmHWM of process pid every millisecond until stop is
// closed and returns the last value read, in bytes (0 when none could be).
func sampleHWM(pid int, stop <-chan struct{}) int64 {
	path := fmt.Sprintf("/proc/%d/status", pid)
	var last int64
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		if b, err := os.ReadFile(path); err == nil {
			for line := range strings.Lines(string(b)) {
				if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
					if kib, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64); err == nil && kib > 0 {
						last = kib * 1024
					}
				}
			}
		}
		select {
		case <-stop:
			return last
		case <-tick.C:
		}
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = append(lines[:n], "...")
	}
	return strings.Join(lines, "\n")
}

// describe names a change for a warning.
func describe(c schema.Change) string {
	switch c := c.(type) {
	case *schema.AlterTable:
		var parts []string
		for _, tc := range c.Changes {
			parts = append(parts, fmt.Sprintf("%T%+v", tc, tc))
		}
		return fmt.Sprintf("alter table %s: %s", c.To.Name, strings.Join(parts, "; "))
	default:
		return fmt.Sprintf("%T", c)
	}
}

func printSizes(w io.Writer, runs int, rs []*sizeResult) {
	fmt.Fprintf(w, "\nNo-op plan against MariaDB, median of %d runs (statements: bulk information_schema queries + per-object SHOW CREATE statements of one inspection; requests: its round trips as the CLI sends them, through a mysql.Reader that batches the SHOW CREATE statements (on one session each statement is a request); inspect: one session, a request per statement; inspect (CLI): through the Reader, bulk queries on concurrent connections; floor: the inspector's own information_schema queries replayed through the driver, rows read and discarded, on one session and on a pool at once; build: planner.Build of the empty change list, which hashes both models)\n\n", runs)
	fmt.Fprintln(w, "| tables | statements | requests | inspect | floor | inspect (CLI) | floor (pool) | HCL load | normalize | diff | build | `strata plan` | peak RSS |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rs {
		fmt.Fprintf(w, "| %s | %d + %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			fmtCount(r.tables), int(r.statements)-r.perObj, fmtCount(r.perObj), r.requests,
			fmtDur(median(r.inspectConn)), fmtDur(median(r.floorConn)),
			fmtDur(median(r.inspectReader)), fmtDur(median(r.floorPool)),
			fmtDur(median(r.load)), fmtDur(median(r.normalize)), fmtDur(median(r.diff)), fmtDur(median(r.build)),
			fmtDur(median(r.plan)), fmtMiB(medianInt(r.rss)))
	}
	fmt.Fprint(w, "\nMemory: allocated by each in-process phase (one run); live heap kept by the inspected model, by the loaded model with the config.Files that parsed it (as the CLI keeps them), and by the loaded model alone\n\n")
	fmt.Fprintln(w, "| tables | HCL file | alloc inspect | alloc HCL load | alloc normalize | alloc diff | live inspected | live loaded + Files | live loaded |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rs {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", fmtCount(r.tables), fmtMiB(int64(r.hclBytes)),
			fmtMiB(int64(r.allocInspect)), fmtMiB(int64(r.allocLoad)), fmtMiB(int64(r.allocNormalize)), fmtMiB(int64(r.allocDiff)),
			fmtMiB(int64(r.liveInspect)), fmtMiB(int64(r.liveLoadFiles)), fmtMiB(int64(r.liveLoadModel)))
	}
	fmt.Fprint(w, "\nTargets (DESIGN.md), not assertions:\n\n")
	check := targetChecker(w)
	by := map[int]*sizeResult{}
	for _, r := range rs {
		by[r.tables] = r
		if r.diffChanges != 0 || r.planExit != 0 {
			check(false, "%s tables: the no-op diff has %d changes and the plan exited %d (want 0 and 0)", fmtCount(r.tables), r.diffChanges, r.planExit)
		}
	}
	if r := by[1000]; r != nil {
		p, m := median(r.plan), medianInt(r.rss)
		check(p < 500*time.Millisecond, "1,000 tables no-op plan %s (< 0.5 s)", fmtDur(p))
		check(m < 50<<20, "1,000 tables no-op plan peak RSS %s (< 50 MiB)", fmtMiB(m))
	}
	if r := by[10000]; r != nil {
		p := median(r.plan)
		check(p < 5*time.Second, "10,000 tables no-op plan %s (< 5 s)", fmtDur(p))
		dd := median(r.diff)
		check(dd < 100*time.Millisecond, "diff of two 10,000-table models %s (< 100 ms)", fmtDur(dd))
	}
	// The floor holds the bulk queries only: inspection also pays for the
	// SHOW CREATE statements, so the ratio includes them.
	for _, r := range rs {
		ic, fc := median(r.inspectConn), median(r.floorConn)
		ir, fp := median(r.inspectReader), median(r.floorPool)
		check(float64(ir) <= 1.5*float64(fp), "%s tables inspection as the CLI runs it %.2f× its floor (%.2f× on one session) (≤ 1.5×; the floor has no SHOW CREATE)",
			fmtCount(r.tables), float64(ir)/float64(fp), float64(ic)/float64(fc))
	}
	if len(rs) > 1 {
		sameRequests, sameStatements := true, true
		var requests, statements []string
		for _, r := range rs {
			sameRequests = sameRequests && r.requests == rs[0].requests
			sameStatements = sameStatements && r.statements == rs[0].statements
			requests = append(requests, fmt.Sprintf("%s at %s", fmtCount(int(r.requests)), fmtCount(r.tables)))
			statements = append(statements, fmt.Sprintf("%s at %s", fmtCount(int(r.statements)), fmtCount(r.tables)))
		}
		check(sameRequests, "requests (round trips) of an inspection as the CLI runs it independent of table count: %s", strings.Join(requests, ", "))
		check(sameStatements, "statements independent of table count: %s (one SHOW CREATE per table and trigger, carried by the requests above)", strings.Join(statements, ", "))
	}
}
