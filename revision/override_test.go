package revision

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestStore_NoteGateOverride(t *testing.T) {
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if err := st.Init(ctx); err != nil {
				t.Fatal(err)
			}
			if err := st.NoteGateOverride(ctx, "20260101000009", "x"); !errors.Is(err, ErrNoRecord) {
				t.Fatalf("note on a missing row: %v, want ErrNoRecord", err)
			}
			r := testRevision("20260101000001", "SELECT 1")
			if err := st.Begin(ctx, r, 1, "alice"); err != nil {
				t.Fatal(err)
			}
			if err := st.NoteGateOverride(ctx, r.Version, "skipped the gate of staging: hotfix"); err != nil {
				t.Fatal(err)
			}
			if got := get(t, st, r.Version).AppliedBy; got != "alice (skipped the gate of staging: hotfix)" {
				t.Errorf("applied_by = %q", got)
			}
			// A long reason is cut to the column, never refused.
			long := strings.Repeat("é", 400)
			if err := st.NoteGateOverride(ctx, r.Version, long); err != nil {
				t.Fatal(err)
			}
			got := get(t, st, r.Version).AppliedBy
			if n := utf8.RuneCountInString(got); n != maxAppliedBy || !strings.HasSuffix(got, "é…)") {
				t.Errorf("applied_by has %d characters, ends %q", n, got[len(got)-8:])
			}
		})
	}
}
