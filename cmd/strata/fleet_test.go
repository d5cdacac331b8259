package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stratadb/strata/internal/testdb"
)

// fleetDBs creates n databases named PREFIX_t01 … on the test server, with
// a prefix of the test's own, and drops them when the test ends. It
// returns the names and a LIKE pattern that matches only them.
func fleetDBs(t *testing.T, n int) (names []string, like string) {
	t.Helper()
	admin := testdb.Server(t)
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	prefix := "st_fleet_" + hex.EncodeToString(b)
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("%s_t%02d", prefix, i)
		if _, err := admin.Exec("CREATE DATABASE `" + name + "`"); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	t.Cleanup(func() {
		for _, name := range names {
			if _, err := admin.Exec("DROP DATABASE IF EXISTS `" + name + "`"); err != nil {
				t.Errorf("drop %s: %v", name, err)
			}
		}
	})
	return names, strings.ReplaceAll(prefix, "_", `\\_`) + `\\_t%`
}

const fleetSchema = `
table "accounts" {
  column "id" {
    type = bigint
    unsigned = true
  }
  column "email" {
    type = varchar(255)
  }
  primary_key = ["id"]
  index "accounts_email" {
    columns = ["email"]
    unique = true
  }
}

table "orders" {
  column "id" {
    type = bigint
    unsigned = true
  }
  column "account_id" {
    type = bigint
    unsigned = true
  }
  column "total_cents" {
    type = bigint
  }
  primary_key = ["id"]
  index "orders_account" {
    columns = ["account_id"]
  }
}
`

// fleetLine matches a target's line of a fleet run.
var fleetLine = regexp.MustCompile(`(?m)^  (ok|FAILED)  +([^\s:]+)( \(canary\))?`)

// TestFleetAcceptance is issue 15's fleet acceptance: 50 tenants, eight at
// once, a canary, one tenant made to fail by a conflicting table; the
// failure is named and stops new targets, the exit code says "partly
// applied", and after the fix --only failed brings every tenant to the
// head; status summarises at each step.
func TestFleetAcceptance(t *testing.T) {
	names, like := fleetDBs(t, 50)
	canary, bad := names[0], names[16]
	db, err := sql.Open("mysql", testdb.DSN(bad))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The tenant someone created orders in by hand, differently.
	if _, err := db.Exec("CREATE TABLE orders (id INT PRIMARY KEY, note TEXT)"); err != nil {
		t.Fatal(err)
	}
	p := newProject(t, map[string]string{
		"schema.hcl": fleetSchema,
		"environments/prod.hcl": fmt.Sprintf(`url = %q
targets {
  matching = "%s"
}
parallel = 8
canary   = [%q]
on_error = "stop"
`, testdb.ServerURL(), like, canary),
	})

	r := p.mustRun(exitPartial, "apply", "--env", "prod", "--auto-approve")
	lines := fleetLine.FindAllStringSubmatch(r.Out, -1)
	if len(lines) == 0 || lines[0][2] != canary || lines[0][1] != "ok" || lines[0][3] == "" {
		t.Fatalf("the canary does not run first and alone:\n%s", r.Out)
	}
	var ok, failed []string
	for _, l := range lines {
		if l[1] == "ok" {
			ok = append(ok, l[2])
		} else {
			failed = append(failed, l[2])
		}
	}
	if !slices.Equal(failed, []string{bad}) {
		t.Fatalf("failed = %v, want only %s:\n%s", failed, bad, r.Out)
	}
	if len(ok) < 8 || len(ok) >= 49 {
		// The canary, then at most 8 at once: the failure at the 16th
		// stops what has not started (at most 8 more run on).
		t.Errorf("%d targets succeeded: want the canary and those started before the failure stopped the run:\n%s", len(ok), r.Out)
	}
	for _, want := range []string{
		"Targets: 50 databases",
		"canary, one at a time, first (any failure stops the run): " + canary,
		"then 49 targets, 8 at once (the first failure starts no new target)",
		bad + " failed:",
		"already holds 1 table (orders)",
		fmt.Sprintf("Fleet apply stopped: %d succeeded, 1 failed, %d not started.", len(ok), 49-len(ok)),
		"'strata apply --env prod --only failed' retries them and the ones not started.",
	} {
		if !strings.Contains(r.Out, want) {
			t.Errorf("apply output lacks %q:\n%s", want, r.Out)
		}
	}
	if !strings.Contains(r.Err, "fleet apply stopped") {
		t.Errorf("stderr = %q", r.Err)
	}
	// Every target has its own history: the succeeded hold the revision,
	// the failed one nothing of it.
	for _, n := range append(slices.Clone(ok), bad) {
		cur := p.mustRun(0, "current", "--env", "prod", "--target", n)
		applied := !strings.HasPrefix(cur.Out, "none")
		if applied != (n != bad) {
			t.Errorf("current --target %s = %q", n, cur.Out)
		}
	}

	st := fleetStatusJSON(t, p)
	if st.Summary.Targets != 50 || st.Summary.AtHead != len(ok) || st.Summary.Failed != 1 || st.Summary.Behind != 49-len(ok) {
		t.Errorf("status summary = %+v, want %d at head, 1 failed, %d behind", st.Summary, len(ok), 49-len(ok))
	}
	text := p.mustRun(0, "status", "--env", "prod").Out
	for _, want := range []string{
		fmt.Sprintf("Targets:      %d at head, %d behind, 1 failed", len(ok), 49-len(ok)),
		"Failed:       " + bad + ": prod has no revision applied, yet already holds 1 table (orders)",
		"not started: the fleet run stopped after " + bad + " failed",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("status lacks %q:\n%s", want, text)
		}
	}

	// Not fixed yet: --only failed runs those and fails again on the
	// same tenant (exit 3: the others it ran succeeded).
	r = p.mustRun(exitPartial, "apply", "--env", "prod", "--auto-approve", "--only", "failed")
	if !strings.Contains(r.Out, bad+" failed:") || strings.Contains(r.Out, canary+" (canary)") {
		t.Errorf("retry before the fix:\n%s", r.Out)
	}
	if _, err := db.Exec("DROP TABLE orders"); err != nil {
		t.Fatal(err)
	}
	r = p.mustRun(0, "apply", "--env", "prod", "--auto-approve", "--only", "failed")
	if !strings.Contains(r.Out, "Fleet apply complete:") || !strings.Contains(r.Out, "  ok      "+bad+": applied ") {
		t.Errorf("retry after the fix:\n%s", r.Out)
	}
	st = fleetStatusJSON(t, p)
	if st.Summary.AtHead != 50 || st.Summary.Failed != 0 || st.Summary.Behind != 0 || st.Summary.Drifted != 0 {
		t.Errorf("after the retry: %+v, want all 50 at the head", st.Summary)
	}
	for _, ts := range st.Targets {
		if ts.State != "at_head" || ts.Status == nil || ts.Status.Current == nil || ts.Status.Current.Version != st.Head.Version {
			t.Errorf("%s: %+v", ts.Database, ts)
		}
	}
	r = p.mustRun(0, "apply", "--env", "prod", "--auto-approve", "--only", "failed")
	if !strings.Contains(r.Out, "No target of prod has a failed run to retry (of 50 targets)") {
		t.Errorf("nothing left to retry:\n%s", r.Out)
	}
	if files := p.revisionFiles(); len(files) != 1 {
		t.Errorf("revisions written: %v, want one for the fleet", files)
	}
	h := p.mustRun(0, "history", "--env", "prod").Out
	if !strings.Contains(h, "_create_accounts_orders: applied on 50 of 50") {
		t.Errorf("history:\n%s", h)
	}
}

type fleetStatusJSONDoc struct {
	Head *struct {
		Version string `json:"version"`
	} `json:"head"`
	Summary fleetSummary `json:"summary"`
	Targets []struct {
		Database string `json:"database"`
		State    string `json:"state"`
		Failure  string `json:"failure"`
		Status   *struct {
			Current *struct {
				Version string `json:"version"`
			} `json:"current"`
		} `json:"status"`
	} `json:"targets"`
}

func fleetStatusJSON(t *testing.T, p *project) fleetStatusJSONDoc {
	t.Helper()
	r := p.mustRun(0, "status", "--env", "prod", "--format", "json")
	var doc fleetStatusJSONDoc
	if err := json.Unmarshal([]byte(r.Out), &doc); err != nil {
		t.Fatalf("status json: %v\n%s", err, r.Out)
	}
	return doc
}

// TestFleet_planGroupsIdenticalTargets: a plan is made once per distinct
// live schema.
func TestFleet_planGroupsIdenticalTargets(t *testing.T) {
	names, like := fleetDBs(t, 6)
	db, err := sql.Open("mysql", testdb.DSN(names[3]))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE legacy (id INT PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	p := newProject(t, map[string]string{
		"schema.hcl":            fleetSchema,
		"environments/prod.hcl": fmt.Sprintf("url = %q\ntargets {\n  matching = \"%s\"\n}\n", testdb.ServerURL(), like),
	})
	r := p.mustRun(exitChanges, "plan", "--env", "prod", "--detailed-exitcode")
	for _, want := range []string{
		"Fleet prod: 6 targets, 2 distinct live schemas.",
		"== Plan × 5 targets (hazards counted on " + names[0] + ") ==",
		"== Plan × 1 target (hazards counted on " + names[3] + ") ==",
		`# table "legacy" will be destroyed`,
	} {
		if !strings.Contains(r.Out, want) {
			t.Errorf("plan lacks %q:\n%s", want, r.Out)
		}
	}
	if n := strings.Count(r.Out, `# table "accounts" will be created`); n != 2 {
		t.Errorf("%d plans, want 2:\n%s", n, r.Out)
	}
	j := p.mustRun(0, "plan", "--env", "prod", "--format", "json")
	var doc fleetPlanDoc
	if err := json.Unmarshal([]byte(j.Out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Groups) != 2 || len(doc.Groups[0].Targets) != 5 || !slices.Equal(doc.Groups[1].Targets, names[3:4]) {
		t.Errorf("groups = %+v", doc.Groups)
	}
	// One database of the fleet alone.
	one := p.mustRun(0, "plan", "--env", "prod", "--target", names[3])
	if strings.Contains(one.Out, "Fleet") || !strings.Contains(one.Out, `# table "legacy" will be destroyed`) {
		t.Errorf("plan --target:\n%s", one.Out)
	}
	bad := p.mustRun(exitError, "drift", "--env", "prod")
	if !strings.Contains(bad.Err, "prod names many databases (a targets block) and this command works on one: pass --target NAME") {
		t.Errorf("drift on a fleet: %s", bad.Err)
	}
}

// TestFleet_promotion: a fleet that promotes from a single staging
// database replays, on each tenant, the revisions staging applied.
func TestFleet_promotion(t *testing.T) {
	names, like := fleetDBs(t, 3)
	staging := testdb.New(t)
	p := newProject(t, map[string]string{
		"schema.hcl":               fleetSchema,
		"environments/staging.hcl": fmt.Sprintf("url = %q\n", staging.URL),
		"environments/prod.hcl": fmt.Sprintf("url = %q\npromote_from = \"staging\"\ntargets {\n  matching = \"%s\"\n}\nparallel = 3\ncanary = [%q]\n",
			testdb.ServerURL(), like, names[2]),
	})
	p.mustRun(0, "apply", "--env", "staging", "--auto-approve")
	r := p.mustRun(0, "apply", "--env", "prod", "--auto-approve")
	lines := fleetLine.FindAllStringSubmatch(r.Out, -1)
	if len(lines) != 3 || lines[0][2] != names[2] || lines[0][3] == "" {
		t.Fatalf("want the canary %s first, then the other two:\n%s", names[2], r.Out)
	}
	for _, l := range lines {
		if l[1] != "ok" {
			t.Errorf("%s: %s", l[2], r.Out)
		}
	}
	if !strings.Contains(r.Out, "Fleet apply complete: all 3 targets succeeded.") || strings.Contains(r.Out, "schema.hcl, planned against") {
		t.Errorf("a promoting fleet replays, it does not plan:\n%s", r.Out)
	}
	st := fleetStatusJSON(t, p)
	if st.Summary.AtHead != 3 {
		t.Errorf("status: %+v", st.Summary)
	}
	// Nothing more to promote.
	r = p.mustRun(0, "apply", "--env", "prod", "--auto-approve")
	if !strings.Contains(r.Out, "No changes. Every target is at the head of migrations.") {
		t.Errorf("second apply:\n%s", r.Out)
	}
}
