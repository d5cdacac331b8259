// Package layering holds the test that keeps the project's imports pointing
// one way: cmd → (config, planner, revision, dialect) → schema.
package layering

import (
	"os/exec"
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
