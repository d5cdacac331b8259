package revision

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCompare(t *testing.T) {
	revs := []*Revision{
		{Version: "20260101000000", Checksum: "h1:a", File: "a.sql"},
		{Version: "20260102000000", Parent: "20260101000000", Checksum: "h1:b", File: "b.sql"},
		{Version: "20260103000000", Parent: "20260102000000", Checksum: "h1:c", File: "c.sql"},
	}
	rec := func(v, sum, status string) Record {
		return Record{Version: v, Checksum: sum, Status: status, Direction: Up}
	}
	versions := func(rs []*Revision) string {
		var vs []string
		for _, r := range rs {
			vs = append(vs, r.Version[6:8])
		}
		return strings.Join(vs, ",")
	}
	cases := []struct {
		name                   string
		recs                   []Record
		applied, partial, pend string
		err                    string
	}{
		{name: "fresh database", pend: "01,02,03"},
		{name: "one applied", recs: []Record{rec("20260101000000", "h1:a", StatusApplied)}, applied: "01", pend: "02,03"},
		{name: "all applied", recs: []Record{rec("20260101000000", "h1:a", StatusApplied), rec("20260102000000", "h1:b", StatusApplied),
			rec("20260103000000", "h1:c", StatusApplied)}, applied: "01,02,03"},
		// A baseline recorded without running counts as applied.
		{name: "baselined, then applied", recs: []Record{rec("20260101000000", "h1:a", StatusBaselined), rec("20260102000000", "h1:b", StatusApplied)},
			applied: "01,02", pend: "03"},
		{name: "partial", recs: []Record{rec("20260101000000", "h1:a", StatusApplied), rec("20260102000000", "h1:b", StatusPartial)},
			applied: "01", partial: "02", pend: "03"},
		{name: "rolled back", recs: []Record{rec("20260101000000", "h1:a", StatusApplied), rec("20260102000000", "h1:b", StatusRolledBack)},
			applied: "01", pend: "02,03"},
		{name: "unknown revision", recs: []Record{rec("20260101000000", "h1:a", StatusApplied), rec("20250101000000", "h1:x", StatusApplied)},
			err: "revision 20250101000000 (applied) from another branch is applied on this database, and the migrations directory has no file for it"},
		{name: "unknown revisions and a gap", recs: []Record{rec("20260101000000", "h1:a", StatusApplied), rec("20260101500000", "h1:x", StatusApplied),
			rec("20260103000000", "h1:c", StatusApplied), rec("20260104000000", "h1:y", StatusPartial)},
			err: "revisions 20260101500000 (applied), 20260104000000 (partly applied) from another branch are applied"},
		{name: "unknown baseline", recs: []Record{rec("20250101000000", "h1:x", StatusBaselined)},
			err: "revision 20250101000000 (baselined) from another branch is applied on this database"},
		{name: "altered revision", recs: []Record{rec("20260101000000", "h1:other", StatusApplied)}, err: "different file"},
		{name: "gap", recs: []Record{rec("20260101000000", "h1:a", StatusApplied), rec("20260103000000", "h1:c", StatusApplied)},
			err: "gap"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, err := Compare(revs, c.recs)
			if c.err != "" {
				var he *HistoryError
				var fe *ForeignError
				if !errors.As(err, &he) && !errors.As(err, &fe) || err == nil || !strings.Contains(err.Error(), c.err) {
					t.Errorf("Compare = %v, want a *HistoryError or *ForeignError with %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			partial := ""
			if st.Partial != nil {
				partial = st.Partial.Version[6:8]
			}
			if got := versions(st.Applied); got != c.applied {
				t.Errorf("applied %s, want %s", got, c.applied)
			}
			if partial != c.partial {
				t.Errorf("partial %s, want %s", partial, c.partial)
			}
			if got := versions(st.Pending); got != c.pend {
				t.Errorf("pending %s, want %s", got, c.pend)
			}
		})
	}
}

// TestForeignError: the revisions another branch applied are named as
// their files are, with who applied them and when, and the way out.
func TestForeignError(t *testing.T) {
	at := time.Date(2026, 12, 7, 9, 16, 0, 0, time.UTC)
	err := &ForeignError{Env: "dev", Dir: "migrations", Records: []Record{
		{Version: "20261207091617", Slug: "add_email", Status: StatusApplied, AppliedBy: "ada", StartedAt: at},
	}}
	want := "revision 20261207091617_add_email (applied by ada 2026-12-07 09:16 UTC) from another branch is applied on dev, " +
		"and migrations has no file for it; merge its file or roll it back there (strata rollback --env dev in the working copy that has its file). " +
		"Until then nothing is planned on dev: without its file, its changes would look like drift to undo"
	if got := err.Error(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
