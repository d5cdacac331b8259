package config

import (
	"bytes"
	"path"

	"github.com/hashicorp/hcl/v2"
)

// exclude reads `exclude = ["glob", ...]`: patterns over the names of
// tables, views and triggers that Strata does not own (path.Match syntax:
// *, ?, [a-z], \ escapes). A malformed or empty pattern is a diagnostic at
// its element.
func (l *loader) exclude(a *hcl.Attribute) []string {
	pats, rngs := l.strList(a)
	var out []string
	for i, p := range pats {
		if p == "" {
			l.errorf(rngs[i], "Invalid exclude pattern", `An exclude pattern names objects Strata leaves alone, e.g. "alembic_version" or "legacy_*"; it cannot be empty.`)
			continue
		}
		if _, err := path.Match(p, ""); err != nil {
			l.errorf(rngs[i], "Invalid exclude pattern",
				`%q is not a valid glob pattern: use * for any run of characters, ? for one, [abc] or [a-z] for a set (closed with ]) and \ to escape one of them, e.g. "legacy_*".`, p)
			continue
		}
		out = append(out, p)
	}
	return out
}

func (f *Files) rememberExclude(path string, pats []string) {
	if f.excludes == nil {
		f.excludes = map[string][]string{}
	}
	f.excludes[path] = pats
}

// SchemaExclude returns the exclude patterns of the schema at path (a file
// or a directory of .hcl files): those LoadSchema read, or else read from
// the files' top-level exclude attributes alone. A missing schema excludes
// nothing.
func (f *Files) SchemaExclude(schemaPath string) ([]string, hcl.Diagnostics) {
	if pats, ok := f.excludes[schemaPath]; ok {
		return pats, nil
	}
	paths, err := schemaFiles(schemaPath)
	if err != nil {
		return nil, nil
	}
	l := &loader{f: f}
	var out []string
	for _, p := range paths {
		src, d := f.readSchemaFile(p)
		if d != nil {
			continue
		}
		if !bytes.Contains(src, []byte("exclude")) {
			continue
		}
		file, d := parseHCL(src, p)
		if f.parser.Files()[p] == nil && file != nil {
			f.parser.AddFile(p, file)
		}
		if file == nil || d.HasErrors() {
			l.add(d...)
			continue
		}
		c, _, d := file.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "exclude"}}})
		l.add(d...)
		out = append(out, l.exclude(c.Attributes["exclude"])...)
	}
	if !l.diags.HasErrors() {
		f.rememberExclude(schemaPath, out)
	}
	return out, l.diags
}

// Excluded reports whether name matches one of the patterns.
func Excluded(pats []string, name string) bool {
	for _, p := range pats {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	return false
}
