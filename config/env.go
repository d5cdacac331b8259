package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// DefaultLockTimeout is how long an apply waits for the database lock when
// the environment does not say.
const DefaultLockTimeout = 10 * time.Second

// Environment is one environments/NAME.hcl file.
type Environment struct {
	Name string
	File string // path of the .hcl file
	// URL is the resolved database URL. It may hold a password: never print
	// it (show a redacted form).
	URL string
	// URLVar is the variable url came from when it was env("..."), for
	// messages; "" for a literal.
	URLVar    string
	DevURL    string
	DevURLVar string
	Schema    string // schema path from the file, "" if not set
	// MigrationsDir is the environment's own revisions directory, "" for
	// the default. Environments of different dialects (a SQLite local
	// database beside MySQL servers) need apart histories: revisions hold
	// dialect-specific SQL.
	MigrationsDir string
	PromoteFrom   string
	Protected     bool
	LockTimeout   time.Duration
	// Exclude are glob patterns naming objects Strata does not own in this
	// environment's database (`exclude = ["alembic_version", "legacy_*"]`),
	// beside those of the schema.
	Exclude []string
	// Lint overrides the severity of lint rules for this environment, by
	// rule name: "error", "warning" or "off" (a `lint { ... }` block).
	Lint map[string]string
	// Fleet is set when the environment names many databases (a targets
	// block); URL is then the server's, its database part a template.
	Fleet *Fleet
	// OnlineSchemaChange is the `online_schema_change` block: nil when the
	// environment has none (every statement runs as planned).
	OnlineSchemaChange *OnlineSchemaChange
	// DDL is the `ddl` block, or DefaultDDL when there is none.
	DDL DDL
}

var envSchema = &hcl.BodySchema{
	Attributes: append([]hcl.AttributeSchema{
		{Name: "url", Required: true}, {Name: "dev_url"}, {Name: "schema"}, {Name: "migrations_dir"},
		{Name: "promote_from"}, {Name: "protected"}, {Name: "lock_timeout"}, {Name: "exclude"},
	}, fleetAttributes...),
	Blocks: []hcl.BlockHeaderSchema{{Type: "lint"}, {Type: fleetBlock}, {Type: "online_schema_change"}, {Type: "ddl"}},
}

// LintRuleNames are the rules a `lint` block may name; package lint
// defines them (a test in cmd/strata keeps the two lists equal).
func LintRuleNames() []string {
	return []string{
		"no_primary_key", "duplicate_index", "redundant_index", "fk_without_index", "reserved_word",
		"non_utf8mb4", "float_money", "zero_date_default", "destructive_change", "data_dependent_change",
	}
}

// lintBlock reads `lint { rule = "severity" ... }`.
func (l *loader) lintBlock(env *Environment, b *hcl.Block) {
	if env.Lint != nil {
		l.errorf(b.DefRange, "Duplicate lint block", "An environment has one lint block.")
		return
	}
	env.Lint = map[string]string{}
	attrs, d := b.Body.JustAttributes()
	l.add(d...)
	rules := LintRuleNames()
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		a := attrs[name]
		if !slices.Contains(rules, name) {
			detail := fmt.Sprintf("There is no lint rule %q.", name)
			if s := suggest(name, rules); s != "" {
				detail += fmt.Sprintf(" Did you mean %q?", s)
			} else {
				detail += " Rules: " + strings.Join(rules, ", ") + "."
			}
			l.errorf(a.NameRange, "Unknown lint rule", "%s", detail)
			continue
		}
		v := l.str(a)
		switch sv := strings.ToLower(v); sv {
		case "error", "warning", "off":
			env.Lint[name] = sv
		default:
			l.errorf(a.Expr.Range(), "Invalid lint severity", "The severity of %s must be \"error\", \"warning\" or \"off\"; got %q.", name, v)
		}
	}
}

// LoadEnvironment reads environments/NAME.hcl under dir (the project
// directory); when dir has no environments directory, dir is taken to be
// that directory itself and NAME.hcl is read from it. getenv looks up the
// variables that env("...") names; an unset one is an error naming it.
// No diagnostic ever holds a URL's value.
func (f *Files) LoadEnvironment(dir, name string, getenv func(string) (string, bool)) (*Environment, hcl.Diagnostics) {
	envDir := environmentsDir(dir)
	path := filepath.Join(envDir, name+".hcl")
	env := &Environment{Name: name, File: path, LockTimeout: DefaultLockTimeout, DDL: DefaultDDL()}
	l := &loader{f: f}
	if name == "" || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		l.add(&hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid environment name",
			Detail: fmt.Sprintf("%q is not an environment name; use the name of a file in %s without .hcl.", name, envDir)})
		return env, l.diags
	}
	if _, err := os.Stat(path); err != nil {
		detail := fmt.Sprintf("There is no file %s.", path)
		if names := EnvironmentNames(dir); len(names) > 0 {
			detail += " Environments: " + strings.Join(names, ", ") + "."
		} else {
			detail += " No environments exist yet; `strata init` creates dev, staging and prod."
		}
		l.add(&hcl.Diagnostic{Severity: hcl.DiagError, Summary: fmt.Sprintf("Unknown environment %q", name), Detail: detail})
		return env, l.diags
	}
	file, d := f.parser.ParseHCLFile(path)
	l.add(d...)
	if file == nil || d.HasErrors() {
		return env, l.diags
	}
	c, d := file.Body.Content(envSchema)
	l.add(d...)
	a := c.Attributes
	env.URL, env.URLVar = l.envString(a["url"], getenv)
	env.DevURL, env.DevURLVar = l.envString(a["dev_url"], getenv)
	env.Schema = l.str(a["schema"])
	env.MigrationsDir = l.str(a["migrations_dir"])
	env.PromoteFrom = l.str(a["promote_from"])
	env.Protected = l.boolean(a["protected"])
	env.Exclude = l.exclude(a["exclude"])
	if la := a["lock_timeout"]; la != nil {
		if s := l.str(la); s != "" {
			d, err := time.ParseDuration(s)
			if err != nil || d < 0 {
				l.errorf(la.Expr.Range(), "Invalid lock_timeout",
					"lock_timeout must be a duration such as \"30s\" or \"2m\"; got %q.", s)
			} else {
				env.LockTimeout = d
			}
		}
	}
	ddlSeen := false
	for _, b := range c.Blocks {
		switch b.Type {
		case "ddl":
			l.ddlBlock(env, b, ddlSeen)
			ddlSeen = true
		case "lint":
			l.lintBlock(env, b)
		case "online_schema_change":
			l.oscBlock(env, b)
		}
	}
	if env.PromoteFrom != "" {
		l.checkPromoteFrom(env, a["promote_from"], dir)
	}
	l.fleet(env, c)
	return env, l.diags
}

// checkPromoteFrom insists that promote_from names another environment of
// the same directory: the gate reads that environment's history.
func (l *loader) checkPromoteFrom(env *Environment, a *hcl.Attribute, dir string) {
	from := env.PromoteFrom
	if from == env.Name {
		l.errorf(a.Expr.Range(), "Invalid promote_from", "Environment %q cannot promote from itself.", env.Name)
		return
	}
	names := EnvironmentNames(dir)
	if slices.Contains(names, from) {
		return
	}
	others := slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == env.Name })
	detail := fmt.Sprintf("promote_from names the environment whose history gates this one, but there is no %s.",
		filepath.Join(environmentsDir(dir), from+".hcl"))
	switch s := suggest(from, others); {
	case s != "":
		detail += fmt.Sprintf(" Did you mean %q?", s)
	case len(others) > 0:
		detail += " Environments: " + strings.Join(others, ", ") + "."
	default:
		detail += " Create that environment's file, or remove promote_from."
	}
	l.errorf(a.Expr.Range(), "Unknown promote_from environment", "%s", detail)
}

// environmentsDir is dir/environments, or dir itself when that does not
// exist.
func environmentsDir(dir string) string {
	envDir := filepath.Join(dir, "environments")
	if fi, err := os.Stat(envDir); err != nil || !fi.IsDir() {
		return dir
	}
	return envDir
}

// EnvironmentNames lists the environments under dir (environments/*.hcl, or
// dir/*.hcl as LoadEnvironment reads them), sorted.
func EnvironmentNames(dir string) []string {
	matches, _ := filepath.Glob(filepath.Join(environmentsDir(dir), "*.hcl"))
	var names []string
	for _, m := range matches {
		names = append(names, strings.TrimSuffix(filepath.Base(m), ".hcl"))
	}
	sort.Strings(names)
	return names
}

// envString evaluates a string attribute whose only function is env(name).
// It returns the value and the name of the (first) variable used.
func (l *loader) envString(a *hcl.Attribute, getenv func(string) (string, bool)) (string, string) {
	if a == nil {
		return "", ""
	}
	var varName string
	missing := false
	// Find env() calls first so that an unset variable gets a diagnostic of
	// its own, naming the variable and never a value.
	node, ok := a.Expr.(hclsyntax.Node)
	if !ok {
		l.errorf(a.Expr.Range(), "Invalid value", "%q must be written in HCL native syntax.", a.Name)
		return "", ""
	}
	hclsyntax.VisitAll(node, func(n hclsyntax.Node) hcl.Diagnostics {
		call, ok := n.(*hclsyntax.FunctionCallExpr)
		if !ok || call.Name != "env" {
			return nil
		}
		if len(call.Args) != 1 {
			l.errorf(call.Range(), "Invalid env() call", `env() takes one argument: the variable's name, e.g. env("DEV_DATABASE_URL").`)
			missing = true
			return nil
		}
		v, d := call.Args[0].Value(nil)
		if d.HasErrors() || v.Type() != cty.String || v.IsNull() {
			l.errorf(call.Args[0].Range(), "Invalid env() call", `env() takes the variable's name as a string, e.g. env("DEV_DATABASE_URL").`)
			missing = true
			return nil
		}
		name := v.AsString()
		if varName == "" {
			varName = name
		}
		if val, ok := getenv(name); !ok {
			l.errorf(call.Range(), "Environment variable not set",
				"%s is not set; export it, e.g. export %s='mysql://user:pass@host:3306/db'", name, name)
			missing = true
		} else if val == "" {
			l.errorf(call.Range(), "Environment variable empty",
				"%s is set but empty; export it, e.g. export %s='mysql://user:pass@host:3306/db'", name, name)
			missing = true
		}
		return nil
	})
	if missing {
		return "", varName
	}
	ctx := &hcl.EvalContext{Functions: map[string]function.Function{
		"env": function.New(&function.Spec{
			Params: []function.Parameter{{Name: "name", Type: cty.String}},
			Type:   function.StaticReturnType(cty.String),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				val, _ := getenv(args[0].AsString())
				return cty.StringVal(val), nil
			},
		}),
	}}
	v, d := a.Expr.Value(ctx)
	if d.HasErrors() {
		// Keep only what cannot carry a value: summary and range.
		for _, diag := range d {
			l.add(&hcl.Diagnostic{Severity: diag.Severity, Summary: diag.Summary, Detail: diag.Detail, Subject: diag.Subject})
		}
		return "", varName
	}
	if v.IsNull() || v.Type() != cty.String {
		l.errorf(a.Expr.Range(), "Incorrect attribute value type", "%q must be a string or env(\"VARIABLE\").", a.Name)
		return "", varName
	}
	return v.AsString(), varName
}
