// Command bench measures Strata on generated MySQL/MariaDB schemas of
// 100, 1,000 and 10,000 tables (issue 6): the statements the inspector
// sends and the requests (round trips) that carry them, inspection on one
// session and as the CLI runs it (through a mysql.Reader) against the raw
// information_schema queries (the floor), HCL
// load, normalization, diff, and the whole no-op `strata plan` as a child
// process (wall time and peak RSS). It then times a plan of 3 column changes
// on a table of 1,000,000 rows as one ALTER against three. With -pg-sizes
// it measures the no-op plan on PostgreSQL too (issue 14): the same table
// shape, the inspection's catalog queries against their replay (the floor),
// in wall and CPU time.
//
//	go run ./bench -sizes 100,1000 -runs 3
//
// It creates and drops its own databases (strata_bench_N) on the server.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type options struct {
	url       string
	sizes     []int
	runs      int
	strata    string
	keep      bool
	reuse     bool
	alterRows int
	alterCopy bool
	// parallelRows are the rows of each table of the --parallel
	// benchmark; 0 skips it.
	parallelRows int
	// fleets are the tenant counts of the fleet benchmark; none skips
	// it. fleetParallel are the parallel settings each applies with.
	fleets        []int
	fleetParallel []int
	// pgURL is the PostgreSQL server of the pgSizes benchmark.
	pgURL      string
	pgSizes    []int
	cpuProfile string
	memProfile string
	dir        string
	prefix     string
	out        io.Writer
	log        io.Writer
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	o.out, o.log = stdout, stderr
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	tmp := o.dir
	if tmp == "" {
		if tmp, err = os.MkdirTemp("", "strata-bench-"); err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
	} else if err := os.MkdirAll(tmp, 0o755); err != nil {
		return err
	}
	if o.strata == "" && (len(o.sizes) > 0 || len(o.fleets) > 0 || len(o.pgSizes) > 0) {
		o.strata = filepath.Join(tmp, "strata")
		fmt.Fprintln(o.log, "building ./cmd/strata")
		build := exec.CommandContext(ctx, "go", "build", "-o", o.strata, "github.com/stratadb/strata/cmd/strata")
		build.Stdout, build.Stderr = o.log, o.log
		if err := build.Run(); err != nil {
			return fmt.Errorf("build strata: %w", err)
		}
	}
	loadBefore := loadAvg()
	var results []*sizeResult
	for _, n := range o.sizes {
		r, err := benchSize(ctx, o, n, tmp)
		if err != nil {
			return fmt.Errorf("%d tables: %w", n, err)
		}
		results = append(results, r)
	}
	if o.memProfile != "" {
		if err := writeHeapProfile(o.memProfile); err != nil {
			return err
		}
	}
	if len(results) > 0 {
		printSizes(o.out, o.runs, results)
		// Other work on the machine (the server included) skews every figure.
		fmt.Fprintf(o.out, "\nLoad average before and after: %s / %s\n", loadBefore, loadAvg())
	}
	if o.alterRows > 0 {
		a, err := benchAlter(ctx, o, tmp)
		if err != nil {
			return fmt.Errorf("alter on %d rows: %w", o.alterRows, err)
		}
		printAlter(o.out, o.alterRows, a)
	}
	if o.parallelRows > 0 {
		p, err := benchParallel(ctx, o)
		if err != nil {
			return fmt.Errorf("--parallel on %d rows: %w", o.parallelRows, err)
		}
		printParallel(o.out, p)
	}
	var pgs []*pgResult
	for _, n := range o.pgSizes {
		r, err := benchPG(ctx, o, n, tmp)
		if err != nil {
			return fmt.Errorf("PostgreSQL, %d tables: %w", n, err)
		}
		pgs = append(pgs, r)
	}
	if len(pgs) > 0 {
		printPG(o.out, o.runs, pgs)
		fmt.Fprintf(o.out, "\nLoad average at the end: %s\n", loadAvg())
	}
	var fleets []*fleetResult
	for _, n := range o.fleets {
		r, err := benchFleet(ctx, o, n, tmp)
		if err != nil {
			return fmt.Errorf("fleet of %d: %w", n, err)
		}
		fleets = append(fleets, r)
	}
	if len(fleets) > 0 {
		printFleet(o.out, fleets)
		fmt.Fprintf(o.out, "\nLoad average at the end: %s\n", loadAvg())
	}
	return nil
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	sizes := fs.String("sizes", "100,1000,10000", "comma-separated table counts; empty for none")
	fs.StringVar(&o.url, "url", envOr("STRATA_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/"), "server `URL` without a database")
	fs.IntVar(&o.runs, "runs", 3, "timed runs per measurement (the median is shown)")
	fs.StringVar(&o.strata, "strata", "", "strata binary to run (default: build ./cmd/strata)")
	fs.StringVar(&o.prefix, "prefix", "strata_bench", "name `PREFIX` of the databases made: PREFIX_100, ..., PREFIX_alter")
	fs.BoolVar(&o.keep, "keep", false, "keep the strata_bench_* databases afterwards")
	fs.BoolVar(&o.reuse, "reuse", true, "reuse a strata_bench_N database that already has N tables")
	fs.IntVar(&o.alterRows, "alter-rows", 1000000, "rows of the ALTER benchmark table; 0 skips it")
	fs.BoolVar(&o.alterCopy, "alter-copy", true, "also time the one and the three ALTERs with ALGORITHM=COPY, as without INSTANT")
	fs.IntVar(&o.parallelRows, "parallel-rows", 200000, "rows of each of the 4 tables of the --parallel benchmark; 0 skips it")
	fs.StringVar(&o.pgURL, "postgres", envOr("STRATA_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"), "PostgreSQL server `URL` of the -pg-sizes benchmark")
	pgSizes := fs.String("pg-sizes", "", "comma-separated table counts of the PostgreSQL no-op plan benchmark (e.g. 1000,10000); empty skips it")
	fleets := fs.String("fleet", "", "comma-separated tenant counts of the fleet benchmark (e.g. 50,500); empty skips it")
	fleetParallel := fs.String("fleet-parallel", "1,8", "comma-separated parallel settings each fleet applies with")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the in-process measurements to `FILE`")
	fs.StringVar(&o.dir, "dir", "", "keep the strata binary and the generated HCL files in `DIR` (default: a temporary directory, removed)")
	fs.StringVar(&o.memProfile, "memprofile", "", "write an allocation profile of the in-process measurements to `FILE`")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	for _, s := range strings.Split(*sizes, ",") {
		if s = strings.TrimSpace(strings.ReplaceAll(s, "_", "")); s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-sizes: %q is not a positive table count", s)
		}
		o.sizes = append(o.sizes, n)
	}
	var err error
	if o.fleets, err = counts("-fleet", *fleets); err != nil {
		return nil, err
	}
	if o.pgSizes, err = counts("-pg-sizes", *pgSizes); err != nil {
		return nil, err
	}
	if o.fleetParallel, err = counts("-fleet-parallel", *fleetParallel); err != nil {
		return nil, err
	}
	if !identRE.MatchString(o.prefix) {
		return nil, fmt.Errorf("-prefix: %q is not a plain database name (letters, digits, _)", o.prefix)
	}
	if o.runs < 1 {
		return nil, errors.New("-runs must be at least 1")
	}
	return o, nil
}

// counts parses a comma-separated list of positive whole numbers.
func counts(flagName, s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(strings.ReplaceAll(f, "_", "")); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%s: %q is not a positive number", flagName, f)
		}
		out = append(out, n)
	}
	return out, nil
}

// loadAvg is the 1-minute load average and the CPU count, "" if unknown.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return fmt.Sprintf("%s (%d CPUs)", f[0], runtime.NumCPU())
}

// identRE matches database names that need no quoting.
var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,50}$`)

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// median of ds; 0 for none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianInt(xs []int64) int64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]int64(nil), xs...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// fmtDur prints a duration with 3 significant digits in ms or s.
func fmtDur(d time.Duration) string {
	switch {
	case d <= 0:
		return "–"
	case d < time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/1e6)
	case d < time.Second:
		ms := float64(d) / 1e6
		if ms < 10 {
			return fmt.Sprintf("%.2f ms", ms)
		}
		if ms < 100 {
			return fmt.Sprintf("%.1f ms", ms)
		}
		return fmt.Sprintf("%.0f ms", ms)
	default:
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
}

func fmtMiB(b int64) string {
	if b <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
}

func fmtCount(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
