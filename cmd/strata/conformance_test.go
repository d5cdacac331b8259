package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/stratadb/strata/internal/testdb"
)

// The conformance corpus (../shared/conformance/sqldef, named by
// STRATA_CONFORMANCE_DIR) runs through the CLI exactly as
// shared/tools/converge.py does: load current into A and desired into B with
// the mariadb client, inspect B to HCL, apply that HCL to A, then require A to
// equal B (SHOW CREATE of every object) and a no-change plan.
//
// Known failures live in testdata/conformance-expected-failures.txt with a
// reason each; the test fails when a listed case passes or an unlisted one
// fails, so the list stays true.

const expectedFailuresFile = "testdata/conformance-expected-failures.txt"

type conformanceCase struct {
	Name             string
	Current, Desired string
}

func TestConformance(t *testing.T) {
	dir := os.Getenv("STRATA_CONFORMANCE_DIR")
	if dir == "" {
		// A user's clone has no ../shared beside it; CI has, and requires it.
		if os.Getenv("STRATA_TEST_REQUIRE_CONFORMANCE") == "1" {
			t.Fatal("STRATA_CONFORMANCE_DIR is not set: point it at shared/conformance/sqldef (scripts/test.sh does when ../shared is beside the clone)")
		}
		t.Skip("STRATA_CONFORMANCE_DIR is not set: the sqldef corpus (../shared/conformance/sqldef) is not beside this clone")
	}
	cases, err := loadConformance(dir)
	if err != nil {
		t.Fatal(err)
	}
	expected, err := loadExpectedFailures(expectedFailuresFile)
	if err != nil {
		t.Fatal(err)
	}
	admin := testdb.Server(t)
	var mu sync.Mutex
	counts := map[string]int{}
	t.Run("cases", func(t *testing.T) {
		for _, c := range cases {
			t.Run(c.Name, func(t *testing.T) {
				t.Parallel()
				outcome, why := runConformanceCase(t, admin, c)
				reason, listed := expected[c.Name]
				mu.Lock()
				counts[outcome]++
				mu.Unlock()
				switch {
				case outcome == "skip":
					t.Skip(why)
				case outcome == "pass" && listed:
					t.Errorf("passes now but is listed as an expected failure (%s): remove it from %s", reason, expectedFailuresFile)
				case outcome == "pass":
				case listed:
					t.Logf("expected failure (%s): %s", reason, why)
				default:
					t.Errorf("%s", why)
				}
			})
		}
	})
	accepted := counts["pass"] + counts["fail"]
	t.Logf("conformance: %d cases, %d skipped (server rejects them), %d passed, %d failed (%d listed as expected)",
		len(cases), counts["skip"], counts["pass"], counts["fail"], len(expected))
	// The bar of issue 2: at least 97% of the cases the server accepts.
	if accepted > 0 && float64(counts["pass"]) < 0.97*float64(accepted) {
		t.Errorf("only %d of %d accepted cases pass (%.1f%%); the bar is 97%%", counts["pass"], accepted, 100*float64(counts["pass"])/float64(accepted))
	}
}

func runConformanceCase(t *testing.T, admin *sql.DB, c conformanceCase) (outcome, why string) {
	cur := testdb.New(t)
	want := testdb.New(t)
	if err := mariadbClient(want.Name, c.Desired); err != nil {
		return "skip", "desired DDL rejected by server: " + err.Error()
	}
	if err := mariadbClient(cur.Name, c.Current); err != nil {
		return "skip", "current DDL rejected by server: " + err.Error()
	}
	res := runCLI(t, nil, "inspect", "--url", want.URL)
	if res.Code != 0 {
		return "fail", "inspect failed: " + res.Err
	}
	hcl := filepath.Join(t.TempDir(), "want.hcl")
	if err := os.WriteFile(hcl, []byte(res.Out), 0o644); err != nil {
		t.Fatal(err)
	}
	res = runCLI(t, nil, "apply", "--url", cur.URL, "--schema", hcl, "--auto-approve", "--allow-destructive")
	if res.Code != 0 {
		return "fail", "apply failed: " + res.Err + "\n" + res.Out + "\nHCL:\n" + readFile(t, hcl)
	}
	got, err := dumpSchema(admin, cur.Name)
	if err != nil {
		t.Fatal(err)
	}
	wanted, err := dumpSchema(admin, want.Name)
	if err != nil {
		t.Fatal(err)
	}
	if d := compareDumps(got, wanted); d != "" {
		return "fail", d + "\nHCL:\n" + readFile(t, hcl) + "\napplied:\n" + res.Out
	}
	res = runCLI(t, nil, "plan", "--url", cur.URL, "--schema", hcl, "--detailed-exitcode")
	if res.Code != 0 {
		return "fail", fmt.Sprintf("not converged (exit %d):\n%s%s", res.Code, res.Out, res.Err)
	}
	return "pass", ""
}

func readFile(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// mariadbClient feeds SQL to the mariadb command-line client, as
// converge.py does, so both harnesses load cases the same way.
func mariadbClient(db, stmts string) error {
	if strings.TrimSpace(stmts) == "" {
		return nil
	}
	return mariadbClientAs(db, "", stmts)
}

// mariadbClientAs feeds SQL to the mariadb client, under the client
// character set cs ("" for the client's default).
func mariadbClientAs(db, cs, stmts string) error {
	u, err := url.Parse(testdb.ServerURL())
	if err != nil {
		return err
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = "3306"
	}
	args := []string{"-u" + u.User.Username(), "-h" + host, "-P" + port, "--protocol=tcp", "-N", "-B", "--raw"}
	if pw, ok := u.User.Password(); ok {
		args = append(args, "-p"+pw)
	}
	if cs != "" {
		args = append(args, "--default-character-set="+cs)
	}
	cmd := exec.Command("mariadb", append(args, db)...)
	cmd.Stdin = strings.NewReader(stmts)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

var (
	definerRE       = regexp.MustCompile(" DEFINER=`[^`]*`@`[^`]*`")
	autoIncrementRE = regexp.MustCompile(` AUTO_INCREMENT=\d+`)
)

// dumpSchema returns SHOW CREATE of every table, view, trigger, stored
// routine and event of db,
// normalized as converge.py normalizes them.
func dumpSchema(q *sql.DB, db string) (map[string]string, error) {
	ctx := context.Background()
	out := map[string]string{}
	objects, err := tablesOf(q, db)
	if err != nil {
		return nil, err
	}
	qualified := "`" + db + "`."
	for _, o := range objects {
		if o.name == "strata_revisions" || o.name == "strata_revision_events" {
			continue
		}
		if o.kind == "VIEW" {
			var name, def, cs, coll string
			if err := q.QueryRowContext(ctx, fmt.Sprintf("SHOW CREATE VIEW `%s`.`%s`", db, o.name)).Scan(&name, &def, &cs, &coll); err != nil {
				return nil, err
			}
			out["view "+o.name] = strings.ReplaceAll(definerRE.ReplaceAllString(def, ""), qualified, "")
			continue
		}
		var name, def string
		if err := q.QueryRowContext(ctx, fmt.Sprintf("SHOW CREATE TABLE `%s`.`%s`", db, o.name)).Scan(&name, &def); err != nil {
			return nil, err
		}
		out["table "+o.name] = autoIncrementRE.ReplaceAllString(def, "")
	}
	trows, err := q.QueryContext(ctx, "SELECT trigger_name FROM information_schema.triggers WHERE trigger_schema = ? ORDER BY trigger_name", db)
	if err != nil {
		return nil, err
	}
	var triggers []string
	for trows.Next() {
		var n string
		if err := trows.Scan(&n); err != nil {
			return nil, err
		}
		triggers = append(triggers, n)
	}
	trows.Close()
	for _, n := range triggers {
		def, err := showCreateColumn(q, fmt.Sprintf("SHOW CREATE TRIGGER `%s`.`%s`", db, n), 2)
		if err != nil {
			return nil, err
		}
		out["trigger "+n] = definerRE.ReplaceAllString(def, "")
	}
	// Stored routines and events, as converge.py dumps them: SHOW CREATE's
	// statement column (the third; the fourth for events), definers aside.
	type routine struct{ kind, name string }
	var objs []routine
	rrows, err := q.QueryContext(ctx, "SELECT routine_type, routine_name FROM information_schema.routines WHERE routine_schema = ? ORDER BY routine_type, routine_name", db)
	if err != nil {
		return nil, err
	}
	for rrows.Next() {
		var r routine
		if err := rrows.Scan(&r.kind, &r.name); err != nil {
			return nil, err
		}
		objs = append(objs, r)
	}
	rrows.Close()
	erows, err := q.QueryContext(ctx, "SELECT event_name FROM information_schema.events WHERE event_schema = ? ORDER BY event_name", db)
	if err != nil {
		return nil, err
	}
	for erows.Next() {
		var n string
		if err := erows.Scan(&n); err != nil {
			return nil, err
		}
		objs = append(objs, routine{"EVENT", n})
	}
	erows.Close()
	for _, o := range objs {
		col := 2
		if o.kind == "EVENT" {
			col = 3
		}
		def, err := showCreateColumn(q, fmt.Sprintf("SHOW CREATE %s `%s`.`%s`", o.kind, db, o.name), col)
		if err != nil {
			return nil, err
		}
		out[strings.ToLower(o.kind)+" "+o.name] = definerRE.ReplaceAllString(def, "")
	}
	return out, nil
}

// tableObject is a table or view of a dumped database.
type tableObject struct{ name, kind string }

// tablesOf lists db's tables and views (kind is information_schema's
// table_type), by name.
func tablesOf(q *sql.DB, db string) ([]tableObject, error) {
	rows, err := q.QueryContext(context.Background(), "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name", db)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var objects []tableObject
	for rows.Next() {
		var o tableObject
		if err := rows.Scan(&o.name, &o.kind); err != nil {
			return nil, err
		}
		objects = append(objects, o)
	}
	return objects, rows.Err()
}

// showCreateColumn returns column col of the first row of a SHOW CREATE.
func showCreateColumn(q *sql.DB, query string, col int) (string, error) {
	_, vals, err := showCreateRow(q, query)
	if err != nil {
		return "", err
	}
	if col >= len(vals) {
		return "", fmt.Errorf("%s has %d columns", query, len(vals))
	}
	return vals[col].String, nil
}

// showCreateRow returns the column names and the first row of a SHOW
// CREATE.
func showCreateRow(q *sql.DB, query string) ([]string, []sql.NullString, error) {
	r, err := q.QueryContext(context.Background(), query)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	cols, err := r.Columns()
	if err != nil {
		return nil, nil, err
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if !r.Next() {
		if err := r.Err(); err != nil {
			return nil, nil, err
		}
		return nil, nil, fmt.Errorf("no rows from %s", query)
	}
	if err := r.Scan(ptrs...); err != nil {
		return nil, nil, err
	}
	return cols, vals, nil
}

// objectsMissingExtra returns, sorted, the keys of want that got lacks and
// those got has beyond want: two dumps' objects by name.
func objectsMissingExtra(got, want map[string]string) (missing, extra []string) {
	for k := range want {
		if _, ok := got[k]; !ok {
			missing = append(missing, k)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	return missing, extra
}

// compareDumps returns "" when equal exactly or as sets of definition lines.
func compareDumps(got, want map[string]string) string {
	if missing, extra := objectsMissingExtra(got, want); len(missing)+len(extra) > 0 {
		return fmt.Sprintf("objects differ: missing %v extra %v", missing, extra)
	}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if got[k] == want[k] {
			continue
		}
		if strings.Join(definitionLines(got[k]), "\n") != strings.Join(definitionLines(want[k]), "\n") {
			return fmt.Sprintf("%s differs:\n--- got\n%s\n--- want\n%s", k, got[k], want[k])
		}
	}
	return ""
}

func definitionLines(def string) []string {
	var lines []string
	for _, l := range strings.Split(def, "\n") {
		lines = append(lines, strings.TrimRight(strings.TrimSpace(l), ","))
	}
	sort.Strings(lines)
	return lines
}

// loadConformance reads the sqldef YAML cases that apply to MariaDB, with
// the selection rules of converge.py.
func loadConformance(dir string) ([]conformanceCase, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yml"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var cases []conformanceCase
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(b, &doc); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if len(doc.Content) == 0 {
			continue
		}
		base := strings.TrimSuffix(filepath.Base(f), ".yml")
		m := doc.Content[0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			var c map[string]any
			if err := m.Content[i+1].Decode(&c); err != nil {
				continue
			}
			desired, ok := c["desired"]
			if !ok || !appliesToMariaDB(c) {
				continue
			}
			current, _ := c["current"].(string)
			ds, _ := desired.(string)
			cases = append(cases, conformanceCase{Name: base + "/" + m.Content[i].Value, Current: current, Desired: ds})
		}
	}
	return cases, nil
}

func appliesToMariaDB(c map[string]any) bool {
	if flavor, _ := c["flavor"].(string); flavor != "" {
		if !(flavor == "mariadb" || (strings.HasPrefix(flavor, "!") && flavor != "!mariadb")) {
			return false
		}
	}
	for _, k := range []string{"error", "offline", "max_version"} {
		if v, ok := c[k]; ok && v != nil && v != false && v != "" {
			return false
		}
	}
	minv := fmt.Sprint(c["min_version"])
	return c["min_version"] == nil || !strings.HasPrefix(minv, "8")
}

// loadExpectedFailures reads "case-name  reason" lines; # starts a comment.
func loadExpectedFailures(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			return map[string]string{}, nil
		}
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, reason, _ := strings.Cut(line, " ")
		reason = strings.TrimSpace(reason)
		if reason == "" {
			return nil, fmt.Errorf("%s: %s has no reason", path, name)
		}
		out[name] = reason
	}
	return out, sc.Err()
}
