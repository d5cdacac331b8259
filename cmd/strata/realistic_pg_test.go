package main

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stratadb/strata/internal/pgtestdb"
)

// Issue 14's realistic PostgreSQL schemas, on the real server: each
// application of testdata/realistic-pg is what pg_dump --schema-only prints
// for two or three of its released versions (<app>_v<N>.sql), with rows for
// its first version (<app>_rows.sql); the generated "large" application
// (realistic_pg_gen_test.go) adds four schemas and 120+ tables. A user
// adopts such a database and upgrades it the way the README says:
//
//   - <app>/roundtrip_v<N>: version N loaded from its dump, `strata inspect`
//     to HCL, that HCL applied to an empty database; both pg_dumps hold the
//     same objects (compared as TestPGConformance compares them) and a
//     second plan is empty.
//   - <app>/adopt_v1: version 1 with rows, `strata baseline --env prod`
//     writes the baseline revision and schema.hcl; the plan is then empty
//     and neither the schema nor a row changed.
//   - <app>/adopt_replay_v1: the baseline revision replayed on an empty
//     database (`apply --env qa`) creates version 1.
//   - <app>/upgrade_v<N>_v<N+1>: schema.hcl becomes the inspected HCL of
//     version N+1 (loaded into a scratch database) and `apply --env prod`
//     writes and runs the revision; prod's pg_dump equals version N+1's, a
//     second plan is empty, and every row is kept (count per table and a
//     checksum per surviving column).
//   - <app>/rollback_v<N+1>_v<N>: `rollback --env prod` undoes the newest
//     revision; prod's pg_dump equals version N's and the rows are kept.
//
// The stages of an application run in that order on one database; a stage
// after a failed one (but the replay, which leaves prod alone) fails as
// blocked. Known failures are listed with a
// reason in testdata/realistic-pg-expected-failures.txt; the test fails
// when a listed case passes or an unlisted one fails.

const (
	pgRealDir          = "testdata/realistic-pg"
	pgRealExpectedFile = "testdata/realistic-pg-expected-failures.txt"
)

// pgRealApp is one application: its versions' SQL and version 1's rows.
type pgRealApp struct {
	name     string
	versions []*pgRealVersion
	rows     string
}

// pgRealVersion is one version, loaded once into a database of its own
// (no rows) that the cases read: its inspected HCL and its pg_dump.
type pgRealVersion struct {
	n    int
	sql  string
	db   *pgtestdb.DB
	hcl  string
	dump []pgObject
	err  error // loading or inspecting failed
}

var pgRealFile = regexp.MustCompile(`^([a-z]+)_v(\d+)\.sql$`)

// pgRealApps reads testdata/realistic-pg and adds the generated schema.
func pgRealApps(t *testing.T) []*pgRealApp {
	t.Helper()
	entries, err := os.ReadDir(pgRealDir)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*pgRealApp{}
	for _, e := range entries {
		m := pgRealFile.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		a := byName[m[1]]
		if a == nil {
			a = &pgRealApp{name: m[1], rows: readFile(t, filepath.Join(pgRealDir, m[1]+"_rows.sql"))}
			byName[m[1]] = a
		}
		n, _ := strconv.Atoi(m[2])
		a.versions = append(a.versions, &pgRealVersion{n: n, sql: readFile(t, filepath.Join(pgRealDir, e.Name()))})
	}
	var apps []*pgRealApp
	for _, a := range byName {
		sort.Slice(a.versions, func(i, j int) bool { return a.versions[i].n < a.versions[j].n })
		for i, v := range a.versions {
			if v.n != i+1 {
				t.Fatalf("%s: versions must be numbered 1, 2, ...; found v%d", a.name, v.n)
			}
		}
		apps = append(apps, a)
	}
	sort.Slice(apps, func(i, j int) bool { return apps[i].name < apps[j].name })
	return apps
}

func TestRealisticPG(t *testing.T) {
	pgtestdb.Server(t)
	expected, err := loadExpectedFailures(pgRealExpectedFile)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	apps := pgRealApps(t)
	var versions []*pgRealVersion
	for _, a := range apps {
		for _, v := range a.versions {
			v.db = pgtestdb.New(t)
			versions = append(versions, v)
		}
	}
	// Load and inspect every version once, two at a time.
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for _, v := range versions {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := psql(v.db.Name, v.sql); err != nil {
				v.err = fmt.Errorf("load: %v", err)
				return
			}
			res := runCLI(t, nil, "inspect", "--url", v.db.URL)
			if res.Code != 0 {
				v.err = fmt.Errorf("inspect: exit %d: %s", res.Code, res.Err)
				return
			}
			v.hcl = res.Out
			v.dump, v.err = pgDump(v.db.Name)
		}()
	}
	wg.Wait()
	for _, a := range apps {
		for _, v := range a.versions {
			if v.err != nil && strings.HasPrefix(v.err.Error(), "load") {
				t.Fatalf("%s v%d: %v", a.name, v.n, v.err)
			}
		}
	}
	t.Logf("loaded and inspected %d versions of %d applications in %v", len(versions), len(apps), time.Since(start).Round(time.Millisecond))

	var mu sync.Mutex
	seen := map[string]bool{}
	passed, failed := 0, 0
	judge := func(t *testing.T, name, outcome, why string) {
		reason, listed := expected[name]
		mu.Lock()
		seen[name] = true
		if outcome == "pass" {
			passed++
		} else {
			failed++
		}
		mu.Unlock()
		switch {
		case outcome == "pass" && listed:
			t.Errorf("%s passes now but is listed as an expected failure (%s): remove it from %s", name, reason, pgRealExpectedFile)
		case outcome == "pass":
		case listed:
			t.Logf("expected failure (%s): %s", reason, pgRealHead(why, 30))
		default:
			t.Errorf("%s: %s", name, why)
		}
	}
	// Cases run three at a time: the work is the server's and the CLI's.
	slots := make(chan struct{}, 3)
	t.Run("cases", func(t *testing.T) {
		for _, a := range apps {
			for _, v := range a.versions {
				name := fmt.Sprintf("%s/roundtrip_v%d", a.name, v.n)
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					slots <- struct{}{}
					defer func() { <-slots }()
					outcome, why := pgRealRoundTrip(t, v)
					judge(t, name, outcome, why)
				})
			}
			t.Run(a.name+"/chain", func(t *testing.T) {
				t.Parallel()
				slots <- struct{}{}
				defer func() { <-slots }()
				pgRealChain(t, a, judge)
			})
		}
	})
	for name, reason := range expected {
		if !seen[name] && !strings.Contains(flagRun(), "/") {
			t.Errorf("%s lists %s (%s), which is not a case", pgRealExpectedFile, name, reason)
		}
	}
	t.Logf("realistic PostgreSQL: %d cases, %d passed, %d failed (%d listed as expected), in %v",
		passed+failed, passed, failed, len(expected), time.Since(start).Round(time.Millisecond))
}

// pgRealRoundTrip applies a version's inspected HCL to an empty database.
func pgRealRoundTrip(t *testing.T, v *pgRealVersion) (outcome, why string) {
	if v.err != nil {
		return "fail", v.err.Error()
	}
	db := pgtestdb.New(t)
	hcl := realWrite(t, "schema.hcl", v.hcl)
	res := runCLI(t, nil, "apply", "--url", db.URL, "--schema", hcl, "--auto-approve")
	if res.Code != 0 {
		return "fail", fmt.Sprintf("apply: exit %d: %s\n%s", res.Code, res.Err, realTail(res.Out, 40))
	}
	if why := pgRealSameDump(db.Name, v.dump); why != "" {
		return "fail", why
	}
	res = runCLI(t, nil, "plan", "--url", db.URL, "--schema", hcl, "--detailed-exitcode")
	if res.Code != 0 {
		return "fail", fmt.Sprintf("not converged (exit %d):\n%s%s", res.Code, realTail(res.Out, 60), res.Err)
	}
	return "pass", ""
}

// pgRealSameDump is "" when db's pg_dump holds want's objects.
func pgRealSameDump(db string, want []pgObject) string {
	got, err := pgDump(db)
	if err != nil {
		return err.Error()
	}
	return comparePGDumps(got, want)
}

// pgRealChain adopts version 1 (with rows) as prod, upgrades it version by
// version and rolls it back again, judging each stage.
func pgRealChain(t *testing.T, a *pgRealApp, judge func(t *testing.T, name, outcome, why string)) {
	prod, qa := pgtestdb.New(t), pgtestdb.New(t)
	p := newProject(t, map[string]string{
		"environments/prod.hcl": "url = env(\"PROD_URL\")\n",
		"environments/qa.hcl":   "url = env(\"QA_URL\")\n",
	})
	p.Env = []string{"PROD_URL=" + prod.URL, "QA_URL=" + qa.URL}
	v1 := a.versions[0]
	var loadErr error
	if loadErr = psql(prod.Name, v1.sql); loadErr == nil {
		loadErr = psql(prod.Name, a.rows)
	}
	rows := pgRealRows(t, prod)
	blocked := ""
	// stage runs one stage; a failed stage blocks the later ones unless it
	// left prod alone (the replay on qa).
	stage := func(name string, fn func() string, opts ...string) {
		name = a.name + "/" + name
		if blocked != "" {
			judge(t, name, "fail", "blocked: "+blocked+" failed")
			return
		}
		start := time.Now()
		why := fn()
		t.Logf("%s: %v", name, time.Since(start).Round(time.Millisecond))
		if why != "" {
			if !slices.Contains(opts, "leaves prod") {
				blocked = name
			}
			judge(t, name, "fail", why)
			return
		}
		judge(t, name, "pass", "")
	}
	// keptRows compares prod's rows with those it had at the start.
	keptRows := func() string {
		return pgRealCompareRows(rows, pgRealRows(t, prod))
	}
	stage("adopt_v1", func() string {
		if loadErr != nil {
			return "load version 1 with rows: " + loadErr.Error()
		}
		if v1.err != nil {
			return v1.err.Error()
		}
		r := p.run("baseline", "--env", "prod")
		if r.Code != 0 {
			return fmt.Sprintf("baseline: exit %d: %s\n%s", r.Code, r.Err, realTail(r.Out, 40))
		}
		if why := pgRealSameDump(prod.Name, v1.dump); why != "" {
			return "the baseline changed the schema: " + why
		}
		r = p.run("plan", "--env", "prod", "--detailed-exitcode")
		if r.Code != 0 {
			return fmt.Sprintf("plan after the baseline (exit %d):\n%s%s", r.Code, realTail(r.Out, 60), r.Err)
		}
		return keptRows()
	})
	stage("adopt_replay_v1", func() string {
		r := p.run("apply", "--env", "qa", "--auto-approve")
		if r.Code != 0 {
			return fmt.Sprintf("apply --env qa: exit %d: %s\n%s", r.Code, r.Err, realTail(r.Out, 40))
		}
		return pgRealSameDump(qa.Name, v1.dump)
	}, "leaves prod")
	for i := 1; i < len(a.versions); i++ {
		from, to := a.versions[i-1], a.versions[i]
		stage(fmt.Sprintf("upgrade_v%d_v%d", from.n, to.n), func() string {
			if to.err != nil {
				return to.err.Error()
			}
			p.write("schema.hcl", to.hcl)
			r := p.run("apply", "--env", "prod", "--auto-approve", "--allow-destructive", "--name", fmt.Sprintf("v%d", to.n))
			if r.Code != 0 {
				return fmt.Sprintf("apply: exit %d: %s\n%s", r.Code, r.Err, realTail(r.Out, 60))
			}
			if why := pgRealSameDump(prod.Name, to.dump); why != "" {
				return why + "\napplied:\n" + realTail(r.Out, 80)
			}
			r = p.run("plan", "--env", "prod", "--detailed-exitcode")
			if r.Code != 0 {
				return fmt.Sprintf("not converged (exit %d):\n%s%s", r.Code, realTail(r.Out, 60), r.Err)
			}
			return keptRows()
		})
	}
	for i := len(a.versions) - 1; i > 0; i-- {
		from, to := a.versions[i], a.versions[i-1]
		stage(fmt.Sprintf("rollback_v%d_v%d", from.n, to.n), func() string {
			r := p.run("rollback", "--env", "prod", "--auto-approve", "--allow-destructive")
			if r.Code != 0 {
				return fmt.Sprintf("rollback: exit %d: %s\n%s", r.Code, r.Err, realTail(r.Out, 60))
			}
			if why := pgRealSameDump(prod.Name, to.dump); why != "" {
				return why + "\nrolled back:\n" + realTail(r.Out, 80)
			}
			return keptRows()
		})
	}
}

// pgRealRowSums are a database's rows: per table, its row count and a
// checksum of each column's values (sorted, so that no order is needed).
type pgRealRowSums map[string]map[string]string

const pgRealCount = "(count)"

// pgRealRows reads the row sums of every user table (partitions, not their
// parents; Strata's history aside).
func pgRealRows(t *testing.T, db *pgtestdb.DB) pgRealRowSums {
	t.Helper()
	rows, err := db.Query(`SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), quote_ident(a.attname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
  AND c.relname NOT LIKE 'strata\_%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1, a.attnum`)
	if err != nil {
		t.Fatal(err)
	}
	cols := map[string][]string{}
	var tables []string
	for rows.Next() {
		var tbl, col string
		if err := rows.Scan(&tbl, &col); err != nil {
			t.Fatal(err)
		}
		if cols[tbl] == nil {
			tables = append(tables, tbl)
		}
		cols[tbl] = append(cols[tbl], col)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	out := pgRealRowSums{}
	for _, tbl := range tables {
		exprs := []string{"count(*)::text"}
		for _, c := range cols[tbl] {
			v := fmt.Sprintf(`coalesce(%s::text, '\N')`, c)
			exprs = append(exprs, fmt.Sprintf("md5(coalesce(string_agg(%s, ',' ORDER BY %s), ''))", v, v))
		}
		vals := make([]string, len(exprs))
		ptrs := make([]any, len(exprs))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := db.QueryRow("SELECT " + strings.Join(exprs, ", ") + " FROM " + tbl).Scan(ptrs...); err != nil {
			t.Fatalf("row sums of %s: %v", tbl, err)
		}
		m := map[string]string{pgRealCount: vals[0]}
		for i, c := range cols[tbl] {
			m[c] = vals[i+1]
		}
		out[tbl] = m
	}
	return out
}

// pgRealCompareRows is "" when every table of before still has its rows
// and every column it keeps its values.
func pgRealCompareRows(before, after pgRealRowSums) string {
	var diffs []string
	for _, tbl := range slices.Sorted(maps.Keys(before)) {
		a, ok := after[tbl]
		if !ok {
			if before[tbl][pgRealCount] != "0" {
				diffs = append(diffs, fmt.Sprintf("table %s and its %s rows are gone", tbl, before[tbl][pgRealCount]))
			}
			continue
		}
		for _, col := range slices.Sorted(maps.Keys(before[tbl])) {
			if got, ok := a[col]; ok && got != before[tbl][col] {
				diffs = append(diffs, fmt.Sprintf("%s.%s changed: %s -> %s", tbl, col, before[tbl][col], got))
			}
		}
	}
	return strings.Join(diffs, "\n")
}

// pgRealHead is the first n lines of s.
func pgRealHead(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append(lines[:n], fmt.Sprintf("... (%d more lines)", len(lines)-n))
	}
	return strings.Join(lines, "\n")
}

// flagRun is the -run pattern the test binary was given.
func flagRun() string {
	if f := flag.Lookup("test.run"); f != nil {
		return f.Value.String()
	}
	return ""
}
