package revision

import (
	"errors"
	"strings"
	"testing"
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
		{name: "partial", recs: []Record{rec("20260101000000", "h1:a", StatusApplied), rec("20260102000000", "h1:b", StatusPartial)},
			applied: "01", partial: "02", pend: "03"},
		{name: "rolled back", recs: []Record{rec("20260101000000", "h1:a", StatusApplied), rec("20260102000000", "h1:b", StatusRolledBack)},
			applied: "01", pend: "02,03"},
		{name: "unknown revision", recs: []Record{rec("20260101000000", "h1:a", StatusApplied), rec("20250101000000", "h1:x", StatusApplied)},
			err: "has no file"},
		{name: "altered revision", recs: []Record{rec("20260101000000", "h1:other", StatusApplied)}, err: "different file"},
		{name: "gap", recs: []Record{rec("20260101000000", "h1:a", StatusApplied), rec("20260103000000", "h1:c", StatusApplied)},
			err: "gap"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, err := Compare(revs, c.recs)
			if c.err != "" {
				var he *HistoryError
				if !errors.As(err, &he) || !strings.Contains(err.Error(), c.err) {
					t.Errorf("Compare = %v, want a *HistoryError with %q", err, c.err)
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
