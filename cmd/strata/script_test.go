package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/stratadb/strata/internal/testdb"
)

var updateScripts = flag.Bool("update", false, "rewrite the golden testscript files with actual output")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"strata": func() {
			os.Exit(runMain())
		},
	})
}

// TestScripts runs the golden CLI scenarios in testdata/script. Each script
// gets its own databases on the test server: $DB_URL (and $DB2_URL, $DB3_URL
// for promotion scenarios), with $DB_NAME etc.
func TestScripts(t *testing.T) {
	admin := testdb.Server(t)
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *updateScripts,
		Setup: func(env *testscript.Env) error {
			for _, v := range []string{"DB", "DB2", "DB3"} {
				name, err := createScriptDB(admin)
				if err != nil {
					return err
				}
				env.Setenv(v+"_NAME", name)
				env.Setenv(v+"_URL", testdb.URL(name))
				env.Defer(func() { admin.Exec("DROP DATABASE IF EXISTS `" + name + "`") })
			}
			env.Setenv("NO_COLOR", "1")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// sql DBNAME STATEMENTS runs SQL on a script database.
			"sql": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 2 {
					ts.Fatalf("usage: sql DBNAME STATEMENTS")
				}
				db, err := sql.Open("mysql", testdb.DSN(args[0]))
				ts.Check(err)
				defer db.Close()
				_, err = db.Exec(args[1])
				if neg {
					if err == nil {
						ts.Fatalf("sql succeeded unexpectedly")
					}
					return
				}
				ts.Check(err)
			},
			// mask FILE rewrites what differs from run to run in a plan
			// file, for golden comparisons: schema hashes (<hash>, short
			// ones <short>), revision versions (<version>), times
			// (<time>) and the OS user (<user>).
			"mask": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 1 {
					ts.Fatalf("usage: mask FILE")
				}
				path := ts.MkAbs(args[0])
				b, err := os.ReadFile(path)
				ts.Check(err)
				s := maskVolatile(string(b))
				ts.Check(os.WriteFile(path, []byte(s), 0o644))
			},
			// fleet N creates N databases $FLEET_t01 … on the server, $FLEET
			// a prefix of this script's, and drops them when it ends;
			// $FLEET_LIKE is a LIKE pattern of them alone written for HCL,
			// $FLEET_PATTERN the same as Strata shows it, $SERVER_URL the
			// server.
			"fleet": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 1 {
					ts.Fatalf("usage: fleet N")
				}
				n, err := strconv.Atoi(args[0])
				ts.Check(err)
				b := make([]byte, 4)
				_, _ = rand.Read(b)
				prefix := "st_fleet_" + hex.EncodeToString(b)
				db, err := sql.Open("mysql", testdb.DSN(""))
				ts.Check(err)
				for i := 1; i <= n; i++ {
					name := fmt.Sprintf("%s_t%02d", prefix, i)
					_, err := db.Exec("CREATE DATABASE `" + name + "`")
					ts.Check(err)
				}
				ts.Defer(func() {
					for i := 1; i <= n; i++ {
						_, _ = db.Exec(fmt.Sprintf("DROP DATABASE IF EXISTS `%s_t%02d`", prefix, i))
					}
					db.Close()
				})
				ts.Setenv("FLEET", prefix)
				ts.Setenv("FLEET_LIKE", strings.ReplaceAll(prefix, "_", `\\_`)+`\\_t%`)
				ts.Setenv("FLEET_PATTERN", strings.ReplaceAll(prefix, "_", `\_`)+`\_t%`)
				ts.Setenv("SERVER_URL", testdb.ServerURL())
			},
			// envfrom VAR FILE sets VAR to the first line of FILE.
			"envfrom": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 2 {
					ts.Fatalf("usage: envfrom VAR FILE")
				}
				b, err := os.ReadFile(ts.MkAbs(args[1]))
				ts.Check(err)
				line, _, _ := strings.Cut(string(b), "\n")
				ts.Setenv(args[0], strings.TrimSpace(line))
			},
			// expand SRC DST writes SRC with $VARIABLES replaced by their
			// values to DST.
			"expand": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 2 {
					ts.Fatalf("usage: expand SRC DST")
				}
				b, err := os.ReadFile(ts.MkAbs(args[0]))
				ts.Check(err)
				dst := ts.MkAbs(args[1])
				ts.Check(os.MkdirAll(filepath.Dir(dst), 0o755))
				ts.Check(os.WriteFile(dst, []byte(os.Expand(string(b), ts.Getenv)), 0o644))
			},
			// sqlquery DBNAME QUERY prints the rows of a query, tab-separated,
			// to stdout (check it with `stdout`).
			"sqlquery": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 2 {
					ts.Fatalf("usage: sqlquery DBNAME QUERY")
				}
				db, err := sql.Open("mysql", testdb.DSN(args[0]))
				ts.Check(err)
				defer db.Close()
				rows, err := db.Query(args[1])
				ts.Check(err)
				defer rows.Close()
				cols, _ := rows.Columns()
				var out strings.Builder
				for rows.Next() {
					vals := make([]sql.NullString, len(cols))
					ptrs := make([]any, len(cols))
					for i := range vals {
						ptrs[i] = &vals[i]
					}
					ts.Check(rows.Scan(ptrs...))
					for i, v := range vals {
						if i > 0 {
							out.WriteByte('\t')
						}
						if v.Valid {
							out.WriteString(v.String)
						} else {
							out.WriteString("NULL")
						}
					}
					out.WriteByte('\n')
				}
				ts.Check(rows.Err())
				_, _ = ts.Stdout().Write([]byte(out.String()))
			},
		},
	})
}

var (
	maskHash    = regexp.MustCompile(`\b[0-9a-f]{64}\b`)
	maskVersion = regexp.MustCompile(`\b[0-9]{14}([^0-9]|$)`)
	maskShort   = regexp.MustCompile(`\b[0-9a-f]{12}\b`)
	maskTime    = regexp.MustCompile(`\b[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}Z| [0-9]{2}:[0-9]{2} UTC)`)
	// How long a fleet's target took.
	maskTook = regexp.MustCompile(`(?m)^(  (?:ok  |FAILED)  .*) (in|after) [0-9.]+(?:[µm]?s)(:|$)`)
	maskSize = regexp.MustCompile(`~[0-9,]+ rows?, [0-9.]+ [KMG]?i?B`)
	// The server's estimates of a table's rows and bytes (size checks).
	maskSizeJSON = regexp.MustCompile(`("kind": "size",[^}]*\},\s*"rows": )[0-9]+(,\s*"bytes": )[0-9]+`)
)

// maskVolatile replaces what differs between runs of a script.
func maskVolatile(s string) string {
	s = maskHash.ReplaceAllString(s, "<hash>")
	s = maskVersion.ReplaceAllString(s, "<version>$1")
	s = maskShort.ReplaceAllString(s, "<short>")
	s = maskTime.ReplaceAllString(s, "<time>")
	s = maskSize.ReplaceAllString(s, "<estimate>")
	s = maskTook.ReplaceAllString(s, "$1 $2 <took>$3")
	s = maskSizeJSON.ReplaceAllString(s, "${1}0${2}0")
	if u := currentUser(); u != "" {
		s = regexp.MustCompile(`\b`+regexp.QuoteMeta(u)+`\b`).ReplaceAllString(s, "<user>")
	}
	return s
}

func createScriptDB(admin *sql.DB) (string, error) {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := "st_script_" + hex.EncodeToString(b)
	_, err := admin.Exec("CREATE DATABASE `" + name + "`")
	return name, err
}
