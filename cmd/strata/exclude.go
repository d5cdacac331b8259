package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/stratadb/strata/config"
	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// exclusion is what a target leaves out of every schema it inspects: the
// objects that exclude patterns (of the schema and of the environment)
// name, and the leftovers of online schema change tools. Left out, they
// are never planned, dropped or counted as drift, and inspect does not
// print them. strata_revisions is left out by the dialects themselves.
type exclusion struct {
	patterns []string
	leftover dialect.LeftoverTeller // nil when the dialect has no such tools
	warn     io.Writer
	warned   map[string]bool
}

// exclusions gathers the exclude patterns that apply to env: the schema's
// (read already by loadDesired, or else from the schema files' exclude
// attributes) and the environment's.
func (a *app) exclusions(env *config.Environment) ([]string, error) {
	path := a.schemaPath(env)
	files := a.schemaFiles
	if files == nil {
		files = config.NewFiles()
	}
	pats, diags := files.SchemaExclude(path)
	if len(diags) > 0 {
		files.WriteDiagnostics(a.io.Err, diags, a.io.Color())
	}
	if diags.HasErrors() {
		return nil, errSilent
	}
	if env != nil {
		for _, p := range env.Exclude {
			if !slices.Contains(pats, p) {
				pats = append(pats, p)
			}
		}
	}
	return pats, nil
}

// excluded reports whether an object is left out, and warns (once a run)
// of a leftover it leaves out.
func (x *exclusion) excluded(kind, name string) bool {
	if config.Excluded(x.patterns, name) {
		return true
	}
	if x.leftover == nil {
		return false
	}
	tool, ok := x.leftover.Leftover(kind, name)
	if !ok {
		return false
	}
	if x.warn != nil && !x.warned[kind+" "+name] {
		if x.warned == nil {
			x.warned = map[string]bool{}
		}
		x.warned[kind+" "+name] = true
		fmt.Fprintf(x.warn, "warning: %s %q looks like a leftover of %s; Strata never plans or drops it. Drop it by hand once no %s run is going on, or name it in exclude to silence this.\n",
			kind, name, tool, tool)
	}
	return true
}

// filter removes what x leaves out from s.
func (x *exclusion) filter(s *schema.Schema) {
	if x == nil || s == nil || (len(x.patterns) == 0 && x.leftover == nil) {
		return
	}
	s.Without(x.excluded)
}

// inspect reads t's live schema through q without what t leaves out.
func (t *target) inspect(ctx context.Context, q dialect.Querier) (*schema.Schema, error) {
	s, err := t.Dialect.Inspect(ctx, q)
	if err != nil {
		return nil, err
	}
	t.exclude.filter(s)
	t.noteHidden(s)
	return s, nil
}

// excludeDesired leaves out of a desired schema the objects its exclude
// patterns name, with a warning: Strata does not own them, so it neither
// creates nor changes them.
func (t *target) excludeDesired(s *schema.Schema) {
	if t.exclude == nil || len(t.exclude.patterns) == 0 {
		return
	}
	removed := s.Without(func(kind, name string) bool { return config.Excluded(t.exclude.patterns, name) })
	if len(removed) > 0 && t.exclude.warn != nil {
		fmt.Fprintf(t.exclude.warn, "warning: exclude matches %s declared in the schema; Strata leaves %s alone: remove %s from the schema or from exclude.\n",
			strings.Join(removed, ", "), pronoun(len(removed)), pronoun(len(removed)))
	}
}

func pronoun(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}
