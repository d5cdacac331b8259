package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestDialect_Missing(t *testing.T) {
	dir := t.TempDir()
	there := filepath.Join(dir, "there.db")
	if err := os.WriteFile(there, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	absent := filepath.Join(dir, "absent.db")
	tests := []struct {
		url  string
		want bool
	}{
		{"sqlite://" + there, false},
		{"sqlite://" + absent, true},
		{"sqlite://" + absent + "?_pragma=journal_mode(wal)", true},
		{"sqlite::memory:", false},
		{"mysql://root@127.0.0.1/db", false},
	}
	for _, tt := range tests {
		if got := New().Missing(tt.url); got != tt.want {
			t.Errorf("Missing(%q) = %v, want %v", tt.url, got, tt.want)
		}
	}
	if _, err := os.Stat(absent); err == nil {
		t.Error("Missing created the file")
	}
	db, err := Open(context.Background(), "sqlite://"+absent)
	if err != nil {
		t.Fatal(err)
	}
	defer db.DB.Close()
	if db.Name != absent || db.Dialect.Name() != "sqlite" {
		t.Errorf("Open = %q, %s", db.Name, db.Dialect.Name())
	}
}
