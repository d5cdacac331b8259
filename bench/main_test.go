package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stratadb/strata/dialect/mysql"
	"github.com/stratadb/strata/internal/pgtestdb"
	"github.com/stratadb/strata/internal/testdb"
)

func TestMedian(t *testing.T) {
	cases := []struct {
		name string
		in   []time.Duration
		want time.Duration
	}{
		{"none", nil, 0},
		{"odd", []time.Duration{5, 1, 3}, 3},
		{"even", []time.Duration{4, 1, 3, 2}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := median(tc.in); got != tc.want {
				t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestWithAlgorithm(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"replaces", "ALTER TABLE `t` ADD COLUMN `a` int, ALGORITHM=INSTANT", "ALTER TABLE `t` ADD COLUMN `a` int, ALGORITHM=COPY"},
		{"replaces before LOCK", "ALTER TABLE `t` ADD COLUMN `a` int, ALGORITHM=INPLACE, LOCK=NONE", "ALTER TABLE `t` ADD COLUMN `a` int, ALGORITHM=COPY, LOCK=NONE"},
		{"adds", "ALTER TABLE `t` ADD COLUMN `a` int", "ALTER TABLE `t` ADD COLUMN `a` int, ALGORITHM=COPY"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := withAlgorithm([]string{tc.in}, "COPY")[0]; got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDatabaseURL(t *testing.T) {
	cases := []struct{ name, server, want string }{
		{"slash", "mysql://root@127.0.0.1:3306/", "mysql://root@127.0.0.1:3306/db"},
		{"no slash", "mysql://root@127.0.0.1:3306", "mysql://root@127.0.0.1:3306/db"},
		{"query", "mysql://root@h:3306/?tls=false", "mysql://root@h:3306/db?tls=false"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := databaseURL(tc.server, "db"); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseFlags(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		sizes   []int
		wantErr bool
	}{
		{"default", nil, []int{100, 1000, 10000}, false},
		{"double dash", []string{"--sizes", "100,1_000"}, []int{100, 1000}, false},
		{"none", []string{"-sizes", ""}, nil, false},
		{"bad size", []string{"-sizes", "10,x"}, nil, true},
		{"zero runs", []string{"-runs", "0"}, nil, true},
		{"bad prefix", []string{"-prefix", "x; DROP"}, nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o, err := parseFlags(tc.args, &bytes.Buffer{})
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if err == nil && !slices.Equal(o.sizes, tc.sizes) {
				t.Errorf("sizes = %v, want %v", o.sizes, tc.sizes)
			}
		})
	}
}

// TestCreateTableSQL checks the generated shape on the server: 12 columns,
// a primary key and 3 indexes, and a foreign key (with the index the server
// adds for it) on every third table.
func TestCreateTableSQL(t *testing.T) {
	db := testdb.New(t)
	for i := range 3 {
		db.Exec(t, createTableSQL(i))
	}
	ctx := context.Background()
	d, err := mysql.New(ctx, db.DB)
	if err != nil {
		t.Fatal(err)
	}
	s, err := d.Inspect(ctx, db.DB)
	if err != nil {
		t.Fatal(err)
	}
	for i, tb := range s.Tables {
		t.Run(tb.Name, func(t *testing.T) {
			wantIdx, wantFK := 3, 0
			if i%3 == 2 {
				wantIdx, wantFK = 4, 1
			}
			if len(tb.Columns) != 12 || tb.PrimaryKey == nil || len(tb.Indexes) != wantIdx || len(tb.ForeignKeys) != wantFK {
				t.Errorf("%d columns, primary key %v, %d indexes, %d foreign keys; want 12, a key, %d, %d",
					len(tb.Columns), tb.PrimaryKey != nil, len(tb.Indexes), len(tb.ForeignKeys), wantIdx, wantFK)
			}
		})
	}
}

// TestRun runs the whole benchmark small: the figures must come out, the
// no-op plan must be empty, the three column changes must be one instant
// ALTER, and the --parallel part must apply and roll back its revision. Of the targets, only the constant request count is
// asserted here (timings are not): 5 and 16 tables take 4 batched requests
// each for their SHOW CREATE statements.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the CLI and runs it")
	}
	requireServer(t)
	var out, log bytes.Buffer
	args := []string{"-url", testdb.ServerURL(), "-sizes", "5,16", "-runs", "1", "-alter-rows", "3000", "-alter-copy=false", "-reuse=false", "-parallel-rows", "2000",
		"-prefix", fmt.Sprintf("strata_benchtest_%d", os.Getpid())}
	if err := run(context.Background(), args, &out, &log); err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	got := out.String()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^\| 5 \| \d+ \+ 5 \| \d+ \|.*\| [\d.]+ MiB \|$`),
		regexp.MustCompile(`(?m)^\| 16 \| \d+ \+ 16 \| \d+ \|.*\| [\d.]+ MiB \|$`),
		regexp.MustCompile(`- met: requests \(round trips\) of an inspection as the CLI runs it independent of table count: (\d+) at 5, (\d+) at 16`),
		regexp.MustCompile(`- MISSED: statements independent of table count: \d+ at 5, \d+ at 16 `),
		regexp.MustCompile("ALGORITHM=INSTANT"),
		regexp.MustCompile(`(?m)^\| one ALTER \(Online: ALGORITHM=INSTANT\) \| 1 \|`),
		regexp.MustCompile(`(?m)^\| three ALTERs \(Online\) \| 3 \|`),
		regexp.MustCompile(`(?m)^\| one statement at a time \| 1 \| [\d.]+ m?s \|$`),
		regexp.MustCompile("(?m)^\\| `--parallel 4` \\| 4 \\| [\\d.]+ m?s \\|$"),
		regexp.MustCompile("ADD INDEX `k_note`"),
	} {
		if !want.MatchString(got) {
			t.Errorf("output lacks %s:\n%s", want, got)
		}
	}
	if strings.Contains(got, "no-op diff has") || strings.Contains(log.String(), "WARNING") {
		t.Errorf("the no-op plan is not empty:\n%s\n%s", got, log.String())
	}
}

// requireServer skips (or fails, with STRATA_TEST_REQUIRE_MYSQL=1) when no
// server answers, as internal/testdb does.
func requireServer(t *testing.T) {
	t.Helper()
	cfg, err := mysql.ParseURL(testdb.ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Timeout = 2 * time.Second
	db, err := openConfig(cfg)
	if err == nil {
		defer db.Close()
		err = db.PingContext(context.Background())
	}
	if err != nil {
		if os.Getenv("STRATA_TEST_REQUIRE_MYSQL") == "1" {
			t.Fatalf("no MySQL/MariaDB server: %v", err)
		}
		t.Skipf("no MySQL/MariaDB server (%v): run scripts/mariadb-up.sh", err)
	}
}

func TestCounts(t *testing.T) {
	got, err := counts("-fleet", "50, 1_000,")
	if err != nil || !slices.Equal(got, []int{50, 1000}) {
		t.Errorf("counts = %v, %v", got, err)
	}
	if _, err := counts("-fleet", "0"); err == nil || !strings.Contains(err.Error(), `-fleet: "0" is not a positive number`) {
		t.Errorf("counts(0): %v", err)
	}
}

func TestRunFleet(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the CLI and runs it")
	}
	requireServer(t)
	var out, log bytes.Buffer
	args := []string{"-url", testdb.ServerURL(), "-sizes", "", "-alter-rows", "0", "-parallel-rows", "0", "-runs", "1",
		"-fleet", "2", "-fleet-parallel", "2", "-prefix", fmt.Sprintf("strata_benchtest_%d", os.Getpid())}
	if err := run(context.Background(), args, &out, &log); err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	got := out.String()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile("(?m)^\\| 2 \\| `plan` \\(1 plan: × 2 targets\\) \\| 8 \\| [\\d.]+ m?s \\| [\\d.]+ MiB \\|$"),
		regexp.MustCompile("(?m)^\\| 2 \\| `apply` \\| 2 \\| [\\d.]+ m?s \\| [\\d.]+ MiB \\|$"),
	} {
		if !want.MatchString(got) {
			t.Errorf("output lacks %s:\n%s", want, got)
		}
	}
}

func TestRunPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the CLI and runs it")
	}
	pgtestdb.Server(t)
	var out, log bytes.Buffer
	args := []string{"-postgres", pgtestdb.ServerURL(), "-sizes", "", "-alter-rows", "0", "-parallel-rows", "0", "-runs", "1",
		"-pg-sizes", "4,12", "-reuse=false", "-prefix", fmt.Sprintf("strata_benchtest_%d", os.Getpid())}
	if err := run(context.Background(), args, &out, &log); err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	got := out.String()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^\| 4 \| \d+ \|.*\| [\d.]+ MiB \|$`),
		regexp.MustCompile(`(?m)^\| 12 \| \d+ \|.*\| [\d.]+ MiB \|$`),
		regexp.MustCompile(`- met: catalog queries of an inspection independent of table count: (\d+) at 4, (\d+) at 12`),
	} {
		if !want.MatchString(got) {
			t.Errorf("output lacks %s:\n%s", want, got)
		}
	}
	if strings.Contains(got, "no-op diff has") || strings.Contains(log.String(), "WARNING") {
		t.Errorf("the no-op plan is not empty:\n%s\n%s", got, log.String())
	}
}
