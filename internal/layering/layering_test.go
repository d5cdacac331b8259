// Package layering holds the test that keeps the project's imports pointing
// one way: cmd → (config, planner, revision, dialect) → schema.
package layering

import (
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/stratadb/strata/"

// allowed lists, for each package, the project packages it may import
// (directly or not). Packages not listed may import nothing of the project.
var allowed = map[string][]string{
	"schema":          {},
	"dialect":         {"schema"},
	"dialect/mysql":   {"dialect", "schema"},
	"dialect/sqlite":  {"dialect", "schema"},
	"config":          {"schema"},
	"planner":         {"dialect", "schema"},
	"planner/render":  {"planner", "dialect", "schema"},
	"revision":        {"planner", "dialect", "schema"},
	"lint":            {"planner", "planner/render", "dialect", "schema"},
	"internal/testdb": {},
	"osc":             {"dialect", "schema"},
}

func TestImportsPointOneWay(t *testing.T) {
	for pkg, ok := range allowed {
		t.Run(pkg, func(t *testing.T) {
			out, err := exec.Command("go", "list", "-deps", module+pkg).Output()
			if err != nil {
				t.Fatalf("go list %s: %v", pkg, err)
			}
			permitted := map[string]bool{pkg: true}
			for _, p := range ok {
				permitted[p] = true
			}
			for _, dep := range strings.Fields(string(out)) {
				rel, project := strings.CutPrefix(dep, module)
				if project && !permitted[rel] {
					t.Errorf("%s imports %s: imports must point down (cmd → config, planner, revision, dialect → schema)", pkg, rel)
				}
			}
		})
	}
}

// concreteFree are the directories whose code must not name a concrete
// dialect (a package under dialect/): it reaches a server only through
// package dialect's interfaces, so that a new dialect is its package and
// an entry in cmd/strata's dialect table. exempt names the one file of each
// that may.
var concreteFree = []struct {
	dir    string
	exempt string
}{
	{"planner", ""},
	{"planner/render", ""},
	{"revision", ""},
	{"lint", ""},
	{"config", ""},
	{"schema", ""},
	{"osc", ""},
	{"cmd/strata", "dialects.go"},
}

func TestNoConcreteDialects(t *testing.T) {
	for _, c := range concreteFree {
		t.Run(c.dir, func(t *testing.T) {
			files, err := filepath.Glob(filepath.Join("..", "..", c.dir, "*.go"))
			if err != nil || len(files) == 0 {
				t.Fatalf("no Go files in %s (%v)", c.dir, err)
			}
			fset := token.NewFileSet()
			for _, f := range files {
				base := filepath.Base(f)
				if strings.HasSuffix(base, "_test.go") || base == c.exempt {
					continue
				}
				parsed, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
				if err != nil {
					t.Fatal(err)
				}
				for _, imp := range parsed.Imports {
					path, _ := strconv.Unquote(imp.Path.Value)
					if strings.HasPrefix(path, module+"dialect/") {
						t.Errorf("%s/%s imports %s: only package dialect's interfaces may be used here; a dialect's own types and functions are reached through optional interfaces or the dialect table in cmd/strata/dialects.go",
							c.dir, base, path)
					}
				}
			}
		})
	}
}
