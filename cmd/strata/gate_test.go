package main

import (
	"strings"
	"testing"

	"github.com/stratadb/strata/revision"
)

func TestDivide(t *testing.T) {
	rev := func(v, slug string) *revision.Revision {
		return &revision.Revision{Version: v, Slug: slug, Checksum: "sum-" + v}
	}
	a, b, c := rev("20260101000001", "a"), rev("20260101000002", "b"), rev("20260101000003", "c")
	applied := func(r *revision.Revision) revision.Record {
		return revision.Record{Version: r.Version, Checksum: r.Checksum, Status: revision.StatusApplied}
	}
	tests := []struct {
		name    string
		recs    []revision.Record
		allowed []string
		waiting []string // name: reason
	}{
		{"source has all", []revision.Record{applied(a), applied(b), applied(c)}, []string{"a", "b", "c"}, nil},
		{"source has none", nil, nil, []string{
			"a: not applied on staging", "b: not applied on staging", "c: not applied on staging"}},
		{"source has the first", []revision.Record{applied(a)}, []string{"a"}, []string{
			"b: not applied on staging", "c: not applied on staging"}},
		// A later revision the source has cannot jump an earlier one that waits.
		// A baselined source has the baseline's schema: the target may
		// take it (and what the source applied after it).
		{"source baselined", []revision.Record{
			{Version: a.Version, Checksum: a.Checksum, Status: revision.StatusBaselined}, applied(b),
		}, []string{"a", "b"}, []string{"c: not applied on staging"}},
		{"in order", []revision.Record{applied(a), applied(c)}, []string{"a"}, []string{
			"b: not applied on staging", "c: applied on staging, but comes after 20260101000002_b.sql"}},
		{"partial, rolled back, other file", []revision.Record{
			{Version: a.Version, Checksum: a.Checksum, Status: revision.StatusPartial},
			{Version: b.Version, Checksum: b.Checksum, Status: revision.StatusRolledBack},
			{Version: c.Version, Checksum: "edited-file", Status: revision.StatusApplied},
		}, nil, []string{
			"a: partly applied on staging", "b: rolled back on staging",
			"c: staging applied a different file (checksum edited-file there, sum-20260101 here)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := divide("staging", []*revision.Revision{a, b, c}, tt.recs)
			var allowed, waiting []string
			for _, r := range g.Allowed {
				allowed = append(allowed, r.Slug)
			}
			for _, w := range g.Waiting {
				waiting = append(waiting, w.Rev.Slug+": "+w.Reason)
			}
			if strings.Join(allowed, ",") != strings.Join(tt.allowed, ",") {
				t.Errorf("allowed = %q, want %q", allowed, tt.allowed)
			}
			if strings.Join(waiting, "\n") != strings.Join(tt.waiting, "\n") {
				t.Errorf("waiting =\n%s\nwant\n%s", strings.Join(waiting, "\n"), strings.Join(tt.waiting, "\n"))
			}
			if g.holds() != (len(tt.waiting) > 0) {
				t.Errorf("holds() = %v", g.holds())
			}
		})
	}
}
