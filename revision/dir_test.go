package revision

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeThree writes three revisions a, b, c one minute apart into a new
// directory.
func writeThree(t *testing.T) (Dir, []*Revision) {
	t.Helper()
	d := Dir{Path: filepath.Join(t.TempDir(), "migrations")}
	var revs []*Revision
	for i, slug := range []string{"a", "b", "c"} {
		r := &Revision{Slug: slug, Created: created.Add(time.Duration(i) * time.Minute), Author: "alice",
			FromHash: "h" + slug, ToHash: "h" + slug + "'",
			Up: []Statement{{SQL: "CREATE TABLE " + slug + " (id int)"}}, Down: []Statement{{SQL: "DROP TABLE " + slug}}}
		if _, err := d.Write(r); err != nil {
			t.Fatalf("Write %s: %v", slug, err)
		}
		revs = append(revs, r)
	}
	return d, revs
}

func TestDir_Write(t *testing.T) {
	d, written := writeThree(t)
	revs, err := d.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 3 {
		t.Fatalf("Load: %d revisions, want 3", len(revs))
	}
	for i, r := range revs {
		if r.Version != written[i].Version || r.Checksum != written[i].Checksum || r.File != written[i].File {
			t.Errorf("revision %d: got %s %s %s, want %s %s %s", i, r.Version, r.Checksum, r.File,
				written[i].Version, written[i].Checksum, written[i].File)
		}
	}
	if revs[0].Parent != "" || revs[1].Parent != revs[0].Version || revs[2].Parent != revs[1].Version {
		t.Errorf("parents: %q %q %q", revs[0].Parent, revs[1].Parent, revs[2].Parent)
	}

	t.Run("version collision bumps a second", func(t *testing.T) {
		r := &Revision{Slug: "d", Created: created.Add(time.Minute)} // older than the head
		if _, err := d.Write(r); err != nil {
			t.Fatal(err)
		}
		if want := "20261127093201"; r.Version != want || r.Parent != revs[2].Version {
			t.Errorf("version %s parent %s, want %s after %s", r.Version, r.Parent, want, revs[2].Version)
		}
		r2 := &Revision{Slug: "e", Created: created.Add(2*time.Minute + time.Second)}
		if _, err := d.Write(r2); err != nil {
			t.Fatal(err)
		}
		if r2.Version != "20261127093202" {
			t.Errorf("second collision: version %s", r2.Version)
		}
		all, err := d.Load()
		if err != nil || len(all) != 5 {
			t.Fatalf("Load after collisions: %d, %v", len(all), err)
		}
	})

	t.Run("refuses a tampered directory", func(t *testing.T) {
		if err := os.WriteFile(revs[0].File, []byte("changed"), 0o644); err != nil {
			t.Fatal(err)
		}
		var ce *ChecksumError
		if _, err := d.Write(&Revision{Slug: "f", Created: created}); !errors.As(err, &ce) {
			t.Errorf("Write into a tampered directory: %v", err)
		}
	})
}

func TestDir_Prepare(t *testing.T) {
	d, revs := writeThree(t)
	r := &Revision{Slug: "d", Created: created, Up: []Statement{{SQL: "SELECT 1"}}}
	if err := d.Prepare(r); err != nil {
		t.Fatal(err)
	}
	if r.Parent != revs[2].Version || r.Version <= revs[2].Version || r.Checksum == "" {
		t.Fatalf("prepared: parent %s version %s checksum %q", r.Parent, r.Version, r.Checksum)
	}
	if _, err := os.Stat(r.File); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Prepare wrote %s", r.File)
	}
	version, sum := r.Version, r.Checksum
	if _, err := d.Write(r); err != nil {
		t.Fatal(err)
	}
	if r.Version != version || r.Checksum != sum {
		t.Errorf("Write changed the prepared revision: %s %s, prepared %s %s", r.Version, r.Checksum, version, sum)
	}

	t.Run("stale after another write", func(t *testing.T) {
		a := &Revision{Slug: "e", Created: created}
		if err := d.Prepare(a); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Write(&Revision{Slug: "f", Created: created}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Write(a); err == nil || !strings.Contains(err.Error(), "prepared checksum") {
			t.Errorf("Write of a stale prepared revision = %v", err)
		}
	})
}

func TestDir_Load(t *testing.T) {
	t.Run("missing directory", func(t *testing.T) {
		revs, err := Dir{Path: filepath.Join(t.TempDir(), "nope")}.Load()
		if err != nil || revs != nil {
			t.Errorf("Load of a missing dir = %v, %v", revs, err)
		}
	})
	t.Run("other files are ignored", func(t *testing.T) {
		d, _ := writeThree(t)
		if err := os.WriteFile(filepath.Join(d.Path, "README.md"), []byte("hi"), 0o644); err != nil {
			t.Fatal(err)
		}
		if revs, err := d.Load(); err != nil || len(revs) != 3 {
			t.Errorf("Load = %d, %v", len(revs), err)
		}
	})
}

// TestDir_Load_Tampering checks that every kind of tampering is refused with
// a *ChecksumError naming the file, and that Rehash accepts the result when
// the history is still a line.
func TestDir_Load_Tampering(t *testing.T) {
	cases := []struct {
		name   string
		tamper func(t *testing.T, d Dir, revs []*Revision) string // returns the file the error must name
		reason string
		after  int // revisions after Rehash; -1: Rehash cannot fix it (ChainError)
	}{
		{"edited", func(t *testing.T, d Dir, revs []*Revision) string {
			appendTo(t, revs[1].File, "DROP TABLE x;\n")
			return revs[1].File
		}, "was edited", 3},
		{"edited comment only", func(t *testing.T, d Dir, revs []*Revision) string {
			appendTo(t, revs[0].File, "-- harmless?\n")
			return revs[0].File
		}, "was edited", 3},
		{"deleted last", func(t *testing.T, d Dir, revs []*Revision) string {
			remove(t, revs[2].File)
			return revs[2].File
		}, "was deleted", 2},
		{"deleted middle", func(t *testing.T, d Dir, revs []*Revision) string {
			remove(t, revs[1].File)
			return revs[1].File
		}, "was deleted", -1},
		{"renamed", func(t *testing.T, d Dir, revs []*Revision) string {
			rename(t, revs[2].File, filepath.Join(d.Path, "20270101000000_c.sql"))
			return revs[2].File
		}, "was renamed to 20270101000000_c.sql", -1},
		{"reordered", func(t *testing.T, d Dir, revs []*Revision) string {
			// Give a the newest version, with a matching header: by name it
			// now comes after its children.
			b, err := os.ReadFile(revs[0].File)
			if err != nil {
				t.Fatal(err)
			}
			b = []byte(strings.Replace(string(b), "version: "+revs[0].Version, "version: 20300101000000", 1))
			remove(t, revs[0].File)
			if err := os.WriteFile(filepath.Join(d.Path, "20300101000000_a.sql"), b, 0o644); err != nil {
				t.Fatal(err)
			}
			return revs[0].File
		}, "was renamed", -1},
		{"extra unknown file", func(t *testing.T, d Dir, revs []*Revision) string {
			f := filepath.Join(d.Path, "20261127100000_sneaky.sql")
			b := Format(&Revision{Version: "20261127100000", Slug: "sneaky", Parent: revs[2].Version, Created: created})
			if err := os.WriteFile(f, b, 0o644); err != nil {
				t.Fatal(err)
			}
			return f
		}, "is not in strata.sum", 4},
		{"older than its parent", func(t *testing.T, d Dir, revs []*Revision) string {
			f := filepath.Join(d.Path, "20261127092000_back.sql")
			b := Format(&Revision{Version: "20261127092000", Slug: "back", Parent: revs[2].Version, Created: created})
			if err := os.WriteFile(f, b, 0o644); err != nil {
				t.Fatal(err)
			}
			return f
		}, "is not in strata.sum", -1},
		{"badly named sql file", func(t *testing.T, d Dir, revs []*Revision) string {
			f := filepath.Join(d.Path, "fix.sql")
			if err := os.WriteFile(f, []byte("DROP TABLE a;\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			return f
		}, "is not named like a revision", -2},
		{"sum deleted", func(t *testing.T, d Dir, revs []*Revision) string {
			remove(t, d.sumPath())
			return d.sumPath()
		}, "is missing", 3},
		{"sum edited", func(t *testing.T, d Dir, revs []*Revision) string {
			b, err := os.ReadFile(d.sumPath())
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(string(b), "\n")
			lines = append(lines[:2], lines[3:]...) // forget b
			if err := os.WriteFile(d.sumPath(), []byte(strings.Join(lines, "\n")), 0o644); err != nil {
				t.Fatal(err)
			}
			return d.sumPath()
		}, "was edited by hand", 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, revs := writeThree(t)
			file := c.tamper(t, d, revs)
			_, err := d.Load()
			var ce *ChecksumError
			if !errors.As(err, &ce) {
				t.Fatalf("Load = %v, want a *ChecksumError", err)
			}
			t.Logf("Load: %v", err)
			if ce.File != file || !strings.Contains(err.Error(), c.reason) || !strings.Contains(err.Error(), file) {
				t.Errorf("error %q: want file %s and %q", err, file, c.reason)
			}
			if c.after != -2 && !strings.Contains(err.Error(), RehashCommand) {
				t.Errorf("error %q does not tell how to resolve it", err)
			}
			if c.after == -2 {
				return
			}
			if err := d.Rehash(); err != nil {
				t.Fatalf("Rehash: %v", err)
			}
			got, err := d.Load()
			if c.after < 0 {
				var chainErr *ChainError
				var parseErr *ParseError
				if !errors.As(err, &chainErr) && !errors.As(err, &parseErr) {
					t.Errorf("Load after Rehash = %v, want a *ChainError or *ParseError", err)
				}
				t.Logf("after Rehash: %v", err)
				return
			}
			if err != nil || len(got) != c.after {
				t.Errorf("Load after Rehash = %d revisions, %v; want %d", len(got), err, c.after)
			}
		})
	}
}

func TestDir_Load_Conflict(t *testing.T) {
	d, revs := writeThree(t)
	// A revision made on another branch on top of b, merged with c.
	other := &Revision{Version: "20261127093500", Slug: "other", Parent: revs[1].Version, Created: created}
	f := filepath.Join(d.Path, other.Name())
	if err := os.WriteFile(f, Format(other), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, rehashed := range []bool{false, true} {
		if rehashed {
			if err := d.Rehash(); err != nil {
				t.Fatal(err)
			}
		}
		_, err := d.Load()
		var ce *ConflictError
		if !errors.As(err, &ce) {
			t.Fatalf("Load (rehashed %v) = %v, want a *ConflictError", rehashed, err)
		}
		if ce.A != revs[2].File || ce.B != f || ce.Parent != revs[1].Version {
			t.Errorf("ConflictError = %+v", ce)
		}
		for _, want := range []string{revs[2].File, f, revs[1].Version} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not name %s", err, want)
			}
		}
	}
}

func appendTo(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

func rename(t *testing.T, from, to string) {
	t.Helper()
	if err := os.Rename(from, to); err != nil {
		t.Fatal(err)
	}
}

// TestDir_LoadWithout reads a history with a conflict without one side:
// the chain of the other side, whatever strata.sum lists.
func TestDir_LoadWithout(t *testing.T) {
	d, revs := writeThree(t)
	other := &Revision{Version: "20261127093500", Slug: "other", Parent: revs[1].Version, Created: created}
	f := filepath.Join(d.Path, other.Name())
	if err := os.WriteFile(f, Format(other), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		skip string
		head string
	}{
		{f, revs[2].Version},
		{revs[2].File, other.Version},
	}
	for _, tt := range tests {
		got, err := d.LoadWithout(tt.skip)
		if err != nil {
			t.Fatalf("LoadWithout(%s): %v", tt.skip, err)
		}
		if len(got) != 3 || got[2].Version != tt.head || got[0].Version != revs[0].Version {
			t.Errorf("LoadWithout(%s) = %d revisions, head %s; want 3, head %s", tt.skip, len(got), got[len(got)-1].Version, tt.head)
		}
	}
	var ce *ConflictError
	if _, err := d.LoadWithout(); !errors.As(err, &ce) {
		t.Errorf("LoadWithout() = %v, want the conflict", err)
	}
}
