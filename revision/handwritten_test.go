package revision

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSplitSQL(t *testing.T) {
	src := `-- a comment before
UPDATE users SET note = 'a;b', other = "c;d" WHERE id = 1; # trailing
/* block; comment */
INSERT INTO t (` + "`weird;name`" + `) VALUES ('it''s; fine', 'back\'slash;');
CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW
BEGIN
  IF NEW.a IS NULL THEN
    SET NEW.a = CASE WHEN NEW.b > 0 THEN 1 ELSE 2 END;
  END IF;
  SET NEW.c = 1;
END;
DELETE FROM t WHERE id = 2`
	got, err := splitSQL(src, 10)
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, s := range got {
		lines = append(lines, s.Line)
	}
	if len(got) != 4 || !slices.Equal(lines, []int{11, 13, 14, 21}) {
		for _, s := range got {
			t.Logf("line %d: %q", s.Line, s.SQL)
		}
		t.Fatalf("got %d statements at lines %v, want 4 at [11 13 14 21]", len(got), lines)
	}
	if !strings.HasSuffix(got[2].SQL, "SET NEW.c = 1;\nEND") {
		t.Errorf("trigger body cut: %q", got[2].SQL)
	}
	if got[3].SQL != "DELETE FROM t WHERE id = 2" {
		t.Errorf("last statement: %q", got[3].SQL)
	}
	for _, bad := range []struct {
		src  string
		line int
	}{
		{"UPDATE t SET a = 'x;\n", 1},
		{"SELECT 1;\n/* open", 2},
		{"SELECT 1;\n\nCREATE PROCEDURE p() BEGIN SELECT 1;", 3},
	} {
		_, err := splitSQL(bad.src, 1)
		se, ok := err.(*splitError)
		if !ok || se.Line != bad.line {
			t.Errorf("splitSQL(%q) = %v, want an error at line %d", bad.src, err, bad.line)
		}
	}
}

func TestKindOf(t *testing.T) {
	for stmt, want := range map[string]int{
		"UPDATE t SET a = 1":                       kindDML,
		"/* c */ insert into t values (1)":         kindDML,
		"-- note\nDELETE FROM t":                   kindDML,
		"ALTER TABLE t ADD COLUMN c int":           kindSchema,
		"CREATE UNIQUE INDEX i ON t (a)":           kindSchema,
		"CREATE OR REPLACE VIEW v AS SELECT 1":     kindSchema,
		"DROP TRIGGER tr":                          kindSchema,
		"CREATE PROCEDURE p() BEGIN SELECT 1; END": kindOpaque,
		"CREATE TEMPORARY TABLE x (a int)":         kindOpaque,
		"TRUNCATE TABLE t":                         kindOpaque,
		"CALL p()":                                 kindOpaque,
	} {
		if got := kindOf(stmt); got != want {
			t.Errorf("kindOf(%q) = %d, want %d", stmt, got, want)
		}
	}
}

func TestHandWrittenRoundTrip(t *testing.T) {
	r := NewHandWritten("backfill names", "abc", "alice", time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC))
	if err := r.SetSQL("UPDATE users SET first_name = name;\nUPDATE users SET last_name = 'x;y';", "UPDATE users SET first_name = NULL"); err != nil {
		t.Fatal(err)
	}
	if r.ToHash != "abc" {
		t.Errorf("a DML-only revision's to-hash = %q, want its from-hash", r.ToHash)
	}
	b := Format(r)
	got, err := Parse("migrations/"+r.Name(), b)
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, b)
	}
	if !got.HandWritten || !slices.Equal(got.UpSQL(), r.UpSQL()) || !slices.Equal(got.DownSQL(), r.DownSQL()) {
		t.Errorf("round trip: %+v\n%s", got, b)
	}
	if got.Up[1].Line == 0 || got.Down[0].Line == 0 {
		t.Errorf("statements have no lines: %+v %+v", got.Up, got.Down)
	}
	// With DDL the to-hash is unknown until it runs.
	if err := r.SetSQL("ALTER TABLE t ADD COLUMN c int", ""); err != nil || r.ToHash != "" {
		t.Errorf("with DDL: to-hash %q, err %v", r.ToHash, err)
	}
	// An empty template parses to no statements.
	e := NewHandWritten("empty", "", "alice", time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC))
	if got, err := Parse("migrations/"+e.Name(), Format(e)); err != nil || len(got.Up) != 0 || len(got.Down) != 0 {
		t.Errorf("empty template: %+v, %v\n%s", got, err, Format(e))
	}
}

func TestHandWritten_noTransaction(t *testing.T) {
	r := NewHandWritten("index", "abc", "alice", time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC))
	up := "UPDATE t SET v = 0 WHERE v IS NULL;\n-- no-transaction\nCREATE INDEX CONCURRENTLY t_v ON t (v);\n" +
		"-- an ordinary comment\nALTER TABLE t ALTER v SET DEFAULT 0;\n" +
		"ALTER TABLE t ADD CONSTRAINT c CHECK (v >= 0) -- no-transaction\n NOT VALID;"
	if err := r.SetSQL(up, "-- no-transaction\nDROP INDEX CONCURRENTLY t_v"); err != nil {
		t.Fatal(err)
	}
	noTx := func(ss []Statement) []bool {
		var out []bool
		for _, s := range ss {
			out = append(out, s.NoTx)
		}
		return out
	}
	// Only a marker line between statements counts, not one inside a statement.
	if got := noTx(r.Up); !slices.Equal(got, []bool{false, true, false, false}) {
		t.Errorf("up NoTx = %v, want [false true false false]", got)
	}
	if got := noTx(r.Down); !slices.Equal(got, []bool{true}) {
		t.Errorf("down NoTx = %v, want [true]", got)
	}
	got, err := Parse("migrations/"+r.Name(), Format(r))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, Format(r))
	}
	if !slices.Equal(noTx(got.Up), noTx(r.Up)) || !slices.Equal(noTx(got.Down), noTx(r.Down)) || !slices.Equal(got.UpSQL(), r.UpSQL()) {
		t.Errorf("round trip lost the marks: up %v down %v\n%s", noTx(got.Up), noTx(got.Down), Format(r))
	}
}
