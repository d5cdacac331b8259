package mysql

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stratadb/strata/internal/testdb"
	"github.com/stratadb/strata/schema"
)

// insOpenReader opens a Reader on the test database, closed with the test.
func insOpenReader(t *testing.T, db *testdb.DB) *Reader {
	t.Helper()
	r, err := OpenReader(db.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// insFillerTables creates n plain tables f000, f001, ...
func insFillerTables(t *testing.T, db *testdb.DB, n int) {
	t.Helper()
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "CREATE TABLE f%03d (id int PRIMARY KEY, a varchar(20) NOT NULL, KEY ka (a));", i)
	}
	db.Exec(t, b.String())
}

// The three ways to read a schema — batched requests on a Reader, a request
// per statement on a *sql.DB, everything in turn on one *sql.Conn — give the
// same model, with every fact that only SHOW CREATE holds.
func TestDialect_InspectReaderSameModel(t *testing.T) {
	db := testdb.New(t)
	db.Exec(t, "CREATE TABLE idx (id int NOT NULL, a int, b int, PRIMARY KEY (id) USING BTREE, KEY ka (a) USING BTREE, KEY kb (b));"+
		"CREATE TABLE mem (id int NOT NULL, a int, PRIMARY KEY (id) USING BTREE, KEY ka (a) USING HASH) ENGINE=MEMORY;"+
		"CREATE TABLE part (id int NOT NULL) PARTITION BY LIST (id) (PARTITION p1 VALUES IN (1,2,3), PARTITION pd DEFAULT);"+
		"CREATE TABLE aria (id int PRIMARY KEY) ENGINE=Aria;"+
		"CREATE TABLE bin (id int PRIMARY KEY, v varbinary(4) NOT NULL DEFAULT 0xFF00E9);"+
		"CREATE TRIGGER idx_ai after insert ON idx FOR EACH ROW SET @x = NEW.a;"+
		"CREATE TRIGGER idx_bu Before Update ON idx FOR EACH ROW SET NEW.b = NEW.a")
	insFillerTables(t, db, 40)
	d := insDialect(t, db)
	ctx := context.Background()
	conn, err := db.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	r := insOpenReader(t, db)

	onConn := insInspect(t, d, conn)
	onPool := insInspect(t, d, db.DB)
	onReader := insInspect(t, d, r)

	for name, got := range map[string]*schema.Schema{"*sql.DB": onPool, "Reader": onReader} {
		if diffs := insDiff(onConn, got); len(diffs) > 0 {
			t.Errorf("%s model differs from the *sql.Conn model:\n%s", name, strings.Join(diffs, "\n"))
		}
	}
	// The three agree; check that they agree on the facts themselves.
	s := onReader
	if got := s.Table("idx").Index("ka").Using; got != "BTREE" {
		t.Errorf("idx.ka USING = %q, want BTREE", got)
	}
	if got := s.Table("idx").PrimaryKey.Using; got != "BTREE" {
		t.Errorf("idx PRIMARY KEY USING = %q, want BTREE", got)
	}
	if got := s.Table("mem").Index("ka").Using; got != "HASH" {
		t.Errorf("mem.ka USING = %q, want HASH", got)
	}
	if p := s.Table("part").Partition; p == nil || len(p.Definitions) != 2 || p.Definitions[1].Values != "DEFAULT" {
		t.Errorf("part partition = %+v, want LIST with a DEFAULT partition", p)
	}
	if got := s.Table("aria").Options.Extra; !strings.Contains(got, "page_checksum") {
		t.Errorf("aria options = %q, want SHOW CREATE TABLE's (page_checksum)", got)
	}
	if got := s.Table("bin").Column("v").Default; strings.Contains(got, "?") {
		t.Errorf("bin.v default = %q, want the bytes, not information_schema's '?'", got)
	}
	var spellings []string
	for _, tr := range s.Triggers {
		spellings = append(spellings, tr.Name+" "+tr.Timing+" "+tr.Event)
	}
	if got, want := strings.Join(spellings, ", "), "idx_ai after insert, idx_bu Before Update"; got != want {
		t.Errorf("triggers %q, want %q", got, want)
	}
	// 45 tables and 2 triggers must have gone out batched.
	if st := r.Stats(); st.Statements-st.Requests < 40 {
		t.Errorf("the Reader sent %d statements in %d requests: the SHOW CREATE pass was not batched", st.Statements, st.Requests)
	}
}

// On a Reader the number of round trips of an inspection is the same at 20
// and at 200 tables; only the statements they carry grow, by one SHOW CREATE
// TABLE a table.
func TestDialect_InspectReaderRequestsConstant(t *testing.T) {
	stats := map[int]ReaderStats{}
	for _, n := range []int{20, 200} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			db := testdb.New(t)
			insFillerTables(t, db, n)
			db.Exec(t, "CREATE TRIGGER tr BEFORE INSERT ON f001 FOR EACH ROW SET NEW.a = 'x'")
			d := insDialect(t, db)
			r := insOpenReader(t, db)
			if s := insInspect(t, d, r); len(s.Tables) != n {
				t.Fatalf("got %d tables, want %d", len(s.Tables), n)
			}
			stats[n] = r.Stats()
		})
	}
	small, large := stats[20], stats[200]
	if small.Requests == 0 || small.Requests != large.Requests {
		t.Errorf("requests depend on table count: %d at 20 tables, %d at 200", small.Requests, large.Requests)
	}
	if got := large.Statements - small.Statements; got != 180 {
		t.Errorf("200 tables took %d statements more than 20, want 180 (one SHOW CREATE TABLE a table)", got)
	}
}

// A statement that fails inside a batch names its object, as it does when
// it is a request of its own.
func TestDialect_InspectReaderBatchErrorNamesObject(t *testing.T) {
	db := testdb.New(t)
	insFillerTables(t, db, 40)
	d := insDialect(t, db)
	r := insOpenReader(t, db)
	s := insInspect(t, d, r)
	// A table that vanished between the bulk queries and the SHOW CREATE
	// pass, in the middle of the second worker's batch.
	gone := &schema.Table{Name: "gone"}
	tables := append(append(append([]*schema.Table{}, s.Tables[:15]...), gone), s.Tables[15:]...)
	in := &inspector{d: d, q: r, s: &schema.Schema{Name: s.Name, Tables: tables}, tables: map[string]*schema.Table{}}
	for _, t := range tables {
		in.tables[t.Name] = t
	}
	err := in.exact(context.Background())
	if err == nil || !strings.Contains(err.Error(), `table "gone"`) || !strings.Contains(err.Error(), "1146") {
		t.Fatalf("err = %v, want table \"gone\" named with the server's error 1146", err)
	}
	if strings.Count(err.Error(), "table ") != 1 {
		t.Errorf("err = %v, want only the table that failed named", err)
	}
}

func TestExactBatches(t *testing.T) {
	stmts := make([]exactStatement, 10)
	for i := range stmts {
		stmts[i].sql = fmt.Sprintf("SHOW CREATE TABLE `t%d`", i)
	}
	one := len(stmts[0].sql)
	cases := []struct {
		name     string
		stmts    []exactStatement
		workers  int
		maxBytes int
		want     string // per worker, batch sizes
	}{
		{"none", nil, 4, 1 << 20, ""},
		{"fewer than workers", stmts[:2], 4, 1 << 20, "[1] [1]"},
		{"one request a worker", stmts, 4, 1 << 20, "[2] [3] [2] [3]"},
		{"two statements fit", stmts, 2, one + len(";\n") + one, "[2 2 1] [2 2 1]"},
		{"two statements and a byte", stmts, 2, one + len(";\n") + one + 1, "[2 2 1] [2 2 1]"},
		{"three statements fit", stmts, 2, 3*one + 2*len(";\n"), "[3 2] [3 2]"},
		{"a statement over the cap alone", stmts[:3], 1, 10, "[1 1 1]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := exactBatches(tc.stmts, tc.workers, tc.maxBytes)
			var shape []string
			var flat []exactStatement
			for _, batches := range got {
				var sizes []string
				for _, b := range batches {
					sizes = append(sizes, fmt.Sprint(len(b)))
					flat = append(flat, b...)
				}
				shape = append(shape, "["+strings.Join(sizes, " ")+"]")
			}
			if s := strings.Join(shape, " "); s != tc.want {
				t.Errorf("batches %s, want %s", s, tc.want)
			}
			if len(flat) != len(tc.stmts) {
				t.Fatalf("%d statements in batches, want %d", len(flat), len(tc.stmts))
			}
			for i := range flat {
				if flat[i].sql != tc.stmts[i].sql {
					t.Errorf("statement %d is %q, want %q (order kept)", i, flat[i].sql, tc.stmts[i].sql)
				}
			}
		})
	}
}
