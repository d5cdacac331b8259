package main

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stratadb/strata/internal/testdb"
	"github.com/stratadb/strata/revision"
)

// lockHeld is the message of an apply that could not get the database lock:
// it names the session that holds it.
var lockHeld = regexp.MustCompile(`(?m)^Error: the lock on \S+ is still held by connection \d+.* after lock_timeout \d+s\b`)

// TestApply_Concurrent starts several `strata apply` processes at once on
// the same database, project and change. Exactly one applies it and writes
// the revision; each other one either finds nothing to do or fails with
// the lock message naming the holder — nothing else.
func TestApply_Concurrent(t *testing.T) {
	testdb.Server(t)
	// A one second lock_timeout makes the waiting ones give up; a long one
	// lets them wait their turn and find nothing to do.
	for _, c := range []struct {
		n    int
		wait string
	}{{2, "1s"}, {8, "1s"}, {8, "60s"}} {
		n := c.n
		t.Run(fmt.Sprintf("processes=%d,lock_timeout=%s", n, c.wait), func(t *testing.T) {
			t.Parallel()
			db := testdb.New(t)
			// The table copy of c makes the apply last long enough (about
			// a second) for the others to queue on the lock.
			db.Exec(t, crashLive(150000))
			before := crashRows(t, db.DB, false)
			p := newProject(t, map[string]string{
				"schema.hcl":           crashSchema,
				"environments/dev.hcl": fmt.Sprintf(envFile, c.wait),
			})
			p.Env = []string{"DEV_DATABASE_URL=" + db.URL}

			results := make([]cliResult, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					results[i] = p.run("apply", "--env", "dev", "--auto-approve", "--name", "concurrent")
				}()
			}
			close(start)
			wg.Wait()

			applied, noop, locked := 0, 0, 0
			for i, r := range results {
				switch {
				case r.Code == 0 && strings.Contains(r.Out, "Apply complete: 5 statements"):
					applied++
				case r.Code == 0 && strings.Contains(r.Out, "No changes"):
					noop++
				case r.Code == 1 && lockHeld.MatchString(r.Err) && strings.Count(r.Err, "Error: ") == 1:
					locked++
				default:
					t.Errorf("process %d: exit %d, neither applied, nor found nothing to do, nor failed on the lock\nstdout:\n%s\nstderr:\n%s", i, r.Code, r.Out, r.Err)
				}
			}
			t.Logf("%d processes: %d applied, %d found no changes, %d refused on the lock", n, applied, noop, locked)
			if c.wait == "60s" && locked > 0 {
				t.Errorf("%d processes gave up on the lock within a 60s lock_timeout", locked)
			}
			if applied != 1 {
				t.Errorf("%d processes applied the change, want exactly 1", applied)
			}
			if files := p.revisionFiles(); len(files) != 1 {
				t.Errorf("migrations holds %d revision files, want 1: %v", len(files), files)
			}
			recs := readRecords(t, db.DB)
			if len(recs) != 1 || recs[0].Status != revision.StatusApplied || recs[0].Done != recs[0].Total {
				t.Errorf("strata_revisions: %+v, want one applied row", recs)
			}
			p.mustRun(0, "plan", "--env", "dev", "--detailed-exitcode")
			if got := crashRows(t, db.DB, true); fmt.Sprint(got) != fmt.Sprint(before) {
				t.Errorf("rows changed: before %v, after %v", before, got)
			}
		})
	}
}
