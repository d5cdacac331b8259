package mysql

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/stratadb/strata/internal/testdb"
)

func TestListDatabases(t *testing.T) {
	a, b := testdb.New(t), testdb.New(t)
	// Both names share the test's prefix; the pattern escapes its
	// underscores so that only these two can match.
	prefix := strings.ReplaceAll(a.Name[:len(a.Name)-8], "_", `\_`)
	got, err := ListDatabases(context.Background(), testdb.ServerURL(), prefix+"%")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{a.Name, b.Name}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("ListDatabases = %v, want %v", got, want)
	}
	got, err = ListDatabases(context.Background(), testdb.URL(a.Name), "%")
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(got, "mysql") || slices.Contains(got, "information_schema") || !slices.Contains(got, a.Name) {
		t.Errorf("ListDatabases(%%) = %v: want the test databases and no system schema", got)
	}
}
