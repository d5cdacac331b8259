package osc

import (
	"context"
	"errors"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stratadb/strata/internal/testdb"
	"github.com/stratadb/strata/schema"
)

var conn = Conn{Host: "db.example", Port: 3307, User: "app", Password: `s3cr"et\'x`, Schema: "shop"}

func TestExpand_quotesEveryValueForTheShell(t *testing.T) {
	j := Job{Table: "order's", Clauses: "MODIFY `v` bigint NOT NULL COMMENT 'a; rm -rf /'", DDL: "ALTER TABLE x", Size: 1234}
	cmd := Expand("printf '%s\\n' {HOST} {PORT} {USER} {SCHEMA} {TABLE} {CLAUSES} {SIZE} {DEFAULTS_FILE} {UNKNOWN}", conn, j, "/tmp/a b/my.cnf")
	out, err := exec.Command("/bin/sh", "-c", cmd).Output()
	if err != nil {
		t.Fatalf("%s: %v", cmd, err)
	}
	want := []string{"db.example", "3307", "app", "shop", "order's", j.Clauses, "1234", "/tmp/a b/my.cnf", "{UNKNOWN}"}
	if got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n"); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("the shell got\n%q\nwant\n%q\nfrom %s", got, want, cmd)
	}
	if strings.Contains(cmd, "s3cr") {
		t.Errorf("the command holds the password: %s", cmd)
	}
}

// fakeEngine writes a script that stands in for an engine binary: it
// records its arguments and the options file's mode and content, prints
// lines and exits as told.
func fakeEngine(t *testing.T, body string) (bin, record string) {
	t.Helper()
	dir := t.TempDir()
	record = filepath.Join(dir, "record")
	bin = filepath.Join(dir, "engine")
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + record + "\n" +
		"for a in \"$@\"; do case $a in --defaults-file=*|--conf=*) f=${a#*=}; stat -c %a \"$f\" >> " + record + ".mode; cat \"$f\" >> " + record + ".cnf;; esac; done\n" +
		"echo \"marker=$" + EnvMarker + "\" >> " + record + "\n" + body + "\n"
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return bin, record
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRun_ptOSC(t *testing.T) {
	cases := []struct {
		name    string
		body    string
		renames bool
		wantErr string
	}{
		{"success", "echo 'Copying `shop`.`t`:  50% 00:01 remain' >&2\necho 'Successfully altered `shop`.`t`.'", false, ""},
		{"rename approved", "echo 'Successfully altered `shop`.`t`.'", true, ""},
		{"exit 0 without the success line", "echo '`shop`.`t` was not altered.'", false, "(exit status 0 without its success line); its last lines:\n    `shop`.`t` was not altered."},
		{"failure names the last lines", "for i in 1 2 3 4 5 6 7 8 9 10; do echo line $i; done\necho 'Error: no key' >&2\nexit 3", false,
			"pt-osc did not alter table `t` (exit status 3); its last lines:\n    line 4\n    line 5\n    line 6\n    line 7\n    line 8\n    line 9\n    line 10\n    Error: no key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bin, record := fakeEngine(t, tc.body)
			e := &Engine{Kind: PTOSC, Binary: bin, Args: []string{"--max-load", "Threads_running=50"}}
			var lines []string
			err := e.Run(context.Background(), conn, Job{Table: "t", Clauses: "MODIFY `v` bigint NOT NULL", Renames: tc.renames}, func(l string) { lines = append(lines, l) })
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatal(err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("error %v, want %q", err, tc.wantErr)
			}
			var oe *Error
			if tc.wantErr != "" && !errors.As(err, &oe) {
				t.Errorf("error %T is not an *Error", err)
			}
			args := read(t, record)
			for _, want := range []string{"--alter\nMODIFY `v` bigint NOT NULL\n", "--execute\n", "--max-load\nThreads_running=50\n", "D=shop,t=t,h=db.example,P=3307\n", "marker=shop.t\n"} {
				if !strings.Contains(args, want) {
					t.Errorf("arguments lack %q:\n%s", want, args)
				}
			}
			if got := strings.Contains(args, "--no-check-alter"); got != tc.renames {
				t.Errorf("--no-check-alter passed: %v, want %v (only for renames Strata planned)", got, tc.renames)
			}
			if strings.Contains(args, "s3cr") {
				t.Errorf("the command line holds the password:\n%s", args)
			}
			if mode := strings.TrimSpace(read(t, record+".mode")); mode != "600" {
				t.Errorf("options file mode %s, want 600", mode)
			}
			if cnf := read(t, record+".cnf"); cnf != "[client]\nuser=\"app\"\npassword=\"s3cr\\\"et\\\\'x\"\n" {
				t.Errorf("options file:\n%s", cnf)
			}
			if len(lines) == 0 {
				t.Error("no line relayed")
			}
		})
	}
}

// The options file reaches a custom command through {DEFAULTS_FILE}, and
// the real client reads the password back from it: a wrong quoting would
// lock the engine out.
func TestRun_commandWithRealClient(t *testing.T) {
	db := testdb.New(t)
	_, url := testdb.User(t, db.Name, "SELECT")
	u, p, host, port := splitURL(t, url)
	c := Conn{Host: host, Port: port, User: u, Password: p, Schema: db.Name}
	e := &Engine{Kind: Command, Command: "mariadb --defaults-file={DEFAULTS_FILE} -h {HOST} -P {PORT} --protocol=tcp -N -e 'SELECT CURRENT_USER()' {SCHEMA} && echo table={TABLE}"}
	var lines []string
	if err := e.Run(context.Background(), c, Job{Table: "t"}, func(l string) { lines = append(lines, l) }); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(lines, "\n"); !strings.HasPrefix(got, u+"@") || !strings.HasSuffix(got, "table=t") {
		t.Errorf("the command printed %q", got)
	}
	if err := (&Engine{Kind: Command, Command: "echo nope {TABLE}; exit 4"}).Run(context.Background(), c, Job{Table: "t"}, nil); err == nil ||
		!strings.Contains(err.Error(), "the online_schema_change command did not alter table `t` (exit status 4); its last lines:\n    nope t") {
		t.Errorf("failing command: %v", err)
	}
}

func splitURL(t *testing.T, raw string) (user, pass, host string, port int) {
	t.Helper()
	u, err := neturl.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	pass, _ = u.User.Password()
	port = 3306
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			t.Fatal(err)
		}
	}
	return u.User.Username(), pass, u.Hostname(), port
}

func TestGhostArguments(t *testing.T) {
	e := &Engine{Kind: Ghost}
	args, err := e.argv(conn, Job{Table: "t", Clauses: "MODIFY v bigint"}, "/x/client.cnf", "/x")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(args, " ")
	for _, want := range []string{"gh-ost --conf=/x/client.cnf", "--database=shop", "--table=t", "--alter=MODIFY v bigint", "--execute",
		"--allow-on-master", "--assume-rbr", "--serve-socket-file=/x/gh-ost.sock", "--host=db.example", "--port=3307"} {
		if !strings.Contains(got, want) {
			t.Errorf("gh-ost arguments lack %q: %s", want, got)
		}
	}
}

func TestRefusal(t *testing.T) {
	col := func(name string, null bool) *schema.Column {
		return &schema.Column{Name: name, Type: schema.Type{Name: "int"}, Null: null}
	}
	uniq := func(cols ...string) *schema.Index {
		ix := &schema.Index{Name: "u", Kind: schema.IndexUnique}
		for _, c := range cols {
			ix.Parts = append(ix.Parts, schema.IndexPart{Column: c})
		}
		return ix
	}
	pk := &schema.Index{Name: "PRIMARY", Parts: []schema.IndexPart{{Column: "a"}}}
	cases := []struct {
		name  string
		table *schema.Table
		live  func(*schema.Table) *schema.Schema
		kind  string
		maria bool
		want  string
	}{
		{"primary key", &schema.Table{Name: "t", Columns: []*schema.Column{col("a", false)}, PrimaryKey: pk}, nil, PTOSC, true, ""},
		{"unique not null", &schema.Table{Name: "t", Columns: []*schema.Column{col("a", false)}, Indexes: []*schema.Index{uniq("a")}}, nil, PTOSC, true, ""},
		{"unique nullable", &schema.Table{Name: "t", Columns: []*schema.Column{col("a", true)}, Indexes: []*schema.Index{uniq("a")}}, nil, PTOSC, true, "no primary key or unique key of NOT NULL columns"},
		{"no key, command too", &schema.Table{Name: "t", Columns: []*schema.Column{col("a", false)}}, nil, Command, true, "no primary key"},
		{"child", &schema.Table{Name: "t", Columns: []*schema.Column{col("a", false)}, PrimaryKey: pk,
			ForeignKeys: []*schema.ForeignKey{{Name: "fk_x", Columns: []string{"a"}, RefTable: "p"}}}, nil, PTOSC, true, "renames fk_x to _fk_x"},
		{"gh-ost on mariadb", &schema.Table{Name: "t", PrimaryKey: pk}, nil, Ghost, true, "Unknown system variable 'transaction_isolation'"},
		{"gh-ost on mysql", &schema.Table{Name: "t", Columns: []*schema.Column{col("a", false)}, PrimaryKey: pk}, nil, Ghost, false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			live := &schema.Schema{Tables: []*schema.Table{tc.table}}
			got := (&Engine{Kind: tc.kind}).Refusal(live, tc.table, tc.maria)
			if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
				t.Errorf("Refusal = %q, want %q", got, tc.want)
			}
		})
	}
}

// pt-osc's leftovers on the real server: found by their names, dropped
// triggers first.
func TestFindLeftovers(t *testing.T) {
	db := testdb.New(t)
	prefix := TriggerPrefix(db.Name, "t")
	db.Exec(t, "CREATE TABLE t (id int PRIMARY KEY); CREATE TABLE _t_new (id int PRIMARY KEY); CREATE TABLE __t_old (id int PRIMARY KEY); CREATE TABLE _other_new (id int)")
	db.Exec(t, "CREATE TRIGGER `"+prefix+"_ins` AFTER INSERT ON t FOR EACH ROW REPLACE INTO _t_new VALUES (NEW.id)")
	db.Exec(t, "CREATE TRIGGER `"+prefix+"_del` AFTER DELETE ON t FOR EACH ROW DELETE FROM _t_new WHERE id = OLD.id")
	db.Exec(t, "CREATE TRIGGER mine AFTER UPDATE ON t FOR EACH ROW SET @x = 1")
	ctx := context.Background()
	l, err := FindLeftovers(ctx, db.DB, db.Name, "t")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := l.String(), "table `__t_old`, table `_t_new`, trigger `"+prefix+"_del`, trigger `"+prefix+"_ins`"; got != want {
		t.Errorf("leftovers %s, want %s", got, want)
	}
	if err := l.Drop(ctx, db.DB); err != nil {
		t.Fatal(err)
	}
	if l, _ := FindLeftovers(ctx, db.DB, db.Name, "t"); !l.Empty() {
		t.Errorf("left after Drop: %s", l)
	}
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME = 'mine'").Scan(&n); err != nil || n != 1 {
		t.Errorf("the user's own trigger is gone (%d, %v)", n, err)
	}
	if got := TriggerPrefix("db-1", "a very long table name that goes past sixty characters of prefix"); len(got) != 60 || !strings.HasPrefix(got, "pt_osc_db_1_a_very") {
		t.Errorf("TriggerPrefix = %q", got)
	}
}

// pt-osc gets lock_wait_timeout=1 and bounded tries for the statements
// that take a metadata lock, unless the environment's args set them; what
// the args set is kept, and the defaults join the user's own option.
func TestPTOSCDefaults(t *testing.T) {
	const tries = "create_triggers:20:1,swap_tables:20:1,drop_triggers:20:1"
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"none given", nil,
			[]string{"--set-vars", "lock_wait_timeout=1", "--tries", tries}},
		{"other options kept", []string{"--max-load", "Threads_running=50"},
			[]string{"--max-load", "Threads_running=50", "--set-vars", "lock_wait_timeout=1", "--tries", tries}},
		{"the user's timeout wins", []string{"--set-vars", "lock_wait_timeout=5"},
			[]string{"--set-vars", "lock_wait_timeout=5", "--tries", tries}},
		{"other variables get ours added", []string{"--set-vars=wait_timeout=100"},
			[]string{"--set-vars=wait_timeout=100,lock_wait_timeout=1", "--tries", tries}},
		{"the user's tries of one operation win", []string{"--tries", "swap_tables:3:2"},
			[]string{"--tries", "swap_tables:3:2,create_triggers:20:1,drop_triggers:20:1", "--set-vars", "lock_wait_timeout=1"}},
		{"all set", []string{"--tries=create_triggers:1:1,swap_tables:1:1,drop_triggers:1:1", "--set-vars", "innodb_lock_wait_timeout=2,lock_wait_timeout=2"},
			[]string{"--tries=create_triggers:1:1,swap_tables:1:1,drop_triggers:1:1", "--set-vars", "innodb_lock_wait_timeout=2,lock_wait_timeout=2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := strings.Join(tc.args, " ")
			got := ptOSCDefaults(tc.args)
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
			if strings.Join(tc.args, " ") != before {
				t.Errorf("the environment's args changed: %q", tc.args)
			}
		})
	}
	e := &Engine{Kind: PTOSC}
	args, err := e.argv(conn, Job{Table: "t", Clauses: "MODIFY v bigint"}, "/x/client.cnf", "/x")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(args, " "); !strings.Contains(got, " --set-vars lock_wait_timeout=1 --tries "+tries+" D=shop,t=t,") {
		t.Errorf("pt-osc arguments lack the writer defaults before the DSN: %s", got)
	}
}
