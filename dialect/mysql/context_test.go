package mysql

import (
	"context"
	"strings"
	"testing"

	"github.com/stratadb/strata/internal/testdb"
	"github.com/stratadb/strata/schema"
)

func TestNormalizeContext(t *testing.T) {
	d := Default()
	tests := []struct {
		name    string
		in      schema.CreationContext
		hasMode bool
		want    schema.CreationContext
	}{
		{"default pair cleared", schema.CreationContext{CharsetClient: "UTF8MB4", CollationConnection: "utf8mb4_general_ci"}, true, schema.CreationContext{}},
		{"charset alone gets its collation", schema.CreationContext{CharsetClient: "latin1"}, true,
			schema.CreationContext{CharsetClient: "latin1", CollationConnection: "latin1_swedish_ci"}},
		{"utf8 is utf8mb3", schema.CreationContext{CharsetClient: "utf8"}, true,
			schema.CreationContext{CharsetClient: "utf8mb3", CollationConnection: "utf8mb3_general_ci"}},
		{"collation alone gets its charset", schema.CreationContext{CollationConnection: "utf8_bin"}, true,
			schema.CreationContext{CharsetClient: "utf8mb3", CollationConnection: "utf8mb3_bin"}},
		{"same charset, other collation kept", schema.CreationContext{CollationConnection: "utf8mb4_bin"}, true,
			schema.CreationContext{CharsetClient: "utf8mb4", CollationConnection: "utf8mb4_bin"}},
		{"default sql_mode cleared", schema.CreationContext{SQLMode: "strict_trans_tables, ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION"}, true,
			schema.CreationContext{}},
		{"other sql_mode kept", schema.CreationContext{SQLMode: "ansi_quotes"}, true, schema.CreationContext{SQLMode: "ANSI_QUOTES"}},
		{"empty sql_mode kept", schema.CreationContext{SQLMode: schema.SQLModeEmpty}, true, schema.CreationContext{SQLMode: schema.SQLModeEmpty}},
		{"views have no sql_mode", schema.CreationContext{SQLMode: "ANSI_QUOTES"}, false, schema.CreationContext{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.in
			d.normalizeContext(&got, tt.hasMode)
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			again := got
			d.normalizeContext(&again, tt.hasMode)
			if again != got {
				t.Errorf("not idempotent: %+v, then %+v", got, again)
			}
		})
	}
}

func TestUnderContext(t *testing.T) {
	d := Default()
	stmt := `CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET @a = 'it''s \n'`
	if got := d.underContext(schema.CreationContext{}, stmt); len(got) != 1 || got[0] != stmt {
		t.Errorf("default context: %q, want the statement alone", got)
	}
	got := d.underContext(schema.CreationContext{CharsetClient: "latin1", CollationConnection: "latin1_swedish_ci", SQLMode: schema.SQLModeEmpty}, stmt)
	if len(got) != 1 || !strings.HasPrefix(got[0], "BEGIN NOT ATOMIC") ||
		!strings.Contains(got[0], "SET character_set_client = 'latin1', collation_connection = 'latin1_swedish_ci', sql_mode = '';") ||
		!strings.Contains(got[0], `EXECUTE IMMEDIATE 'CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET @a = ''it''''s \\n''';`) {
		t.Errorf("MariaDB: %q", got)
	}
	my := *d
	my.Flavor = MySQL
	got = my.underContext(schema.CreationContext{SQLMode: "ANSI_QUOTES"}, stmt)
	if len(got) != 3 || got[0] != "SET sql_mode = 'ANSI_QUOTES'" || got[1] != stmt || !strings.HasPrefix(got[2], "SET character_set_client = 'utf8mb4'") {
		t.Errorf("MySQL: %q", got)
	}
}

// The block that creates an object under its context leaves the session
// as it found it, also when the statement fails.
func TestUnderContextRestoresSession(t *testing.T) {
	db := testdb.New(t)
	d := insDialect(t, db)
	ctx := context.Background()
	conn, err := db.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	c := schema.CreationContext{CharsetClient: "latin1", CollationConnection: "latin1_bin", SQLMode: "ANSI_QUOTES"}
	session := func() string {
		var cs, cc, sm string
		if err := queryRow(ctx, conn, "SELECT @@character_set_client, @@collation_connection, @@sql_mode", &cs, &cc, &sm); err != nil {
			t.Fatal(err)
		}
		return cs + " " + cc + " " + sm
	}
	before := session()
	for _, s := range d.underContext(c, `CREATE VIEW "v" AS SELECT 'a' COLLATE latin1_bin AS "a"`) {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if got := session(); got != before {
		t.Errorf("after the block the session is %q, was %q", got, before)
	}
	var cs, cc string
	if err := queryRow(ctx, conn, "SELECT CHARACTER_SET_CLIENT, COLLATION_CONNECTION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'v'", &cs, &cc); err != nil {
		t.Fatal(err)
	}
	if cs != "latin1" || cc != "latin1_bin" {
		t.Errorf("view created under %s/%s, want latin1/latin1_bin", cs, cc)
	}
	for _, s := range d.underContext(c, `CREATE VIEW "v" AS SELECT 1`) {
		if _, err := conn.ExecContext(ctx, s); err == nil || !strings.Contains(err.Error(), "1050") {
			t.Fatalf("creating the view again: %v, want error 1050 (already exists)", err)
		}
	}
	if got := session(); got != before {
		t.Errorf("after the failed block the session is %q, was %q", got, before)
	}
}
