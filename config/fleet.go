package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Fleet is an environment of many databases on one server: a SaaS with a
// database per tenant, or shards. Each target has its own lock and its own
// history tables; the migrations directory is shared.
type Fleet struct {
	// Databases are the targets named in `targets { databases = [...] }`;
	// nil when Matching is set.
	Databases []string
	// Matching is a LIKE pattern (`targets { matching = "tenant_%" }`)
	// the server's database names are read with at run time.
	Matching string
	// Parallel is how many targets run at once (at least 1).
	Parallel int
	// Canary are targets run first, one at a time, before the rest: any
	// failure among them stops the whole run.
	Canary []string
	// OnError is "stop" (start no new target after a failure) or
	// "continue".
	OnError string
	// MaxFailures, with OnError "continue", stops starting new targets
	// once that many have failed; 0 is no limit.
	MaxFailures int
}

// The fleet's placeholder in url: the target's database name replaces it.
const DatabasePlaceholder = "{database}"

// fleetAttributes are the environment attributes of a fleet, beside the
// targets block.
var fleetAttributes = []hcl.AttributeSchema{
	{Name: "parallel"}, {Name: "canary"}, {Name: "on_error"}, {Name: "max_failures"},
}

const fleetBlock = "targets"

var targetsSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "databases"}, {Name: "matching"}}}

// A target's name becomes part of a URL: keep to what a database name of
// a tenant or shard is made of, with nothing a URL would read otherwise.
var targetNameOK = regexp.MustCompile(`^[A-Za-z0-9_$-]{1,64}$`)

// fleet reads the targets block and the attributes that go with it.
func (l *loader) fleet(env *Environment, c *hcl.BodyContent) {
	a := c.Attributes
	var blocks []*hcl.Block
	for _, b := range c.Blocks {
		if b.Type == fleetBlock {
			blocks = append(blocks, b)
		}
	}
	if len(blocks) == 0 {
		for _, as := range fleetAttributes {
			if at := a[as.Name]; at != nil {
				l.errorf(at.NameRange, "Attribute without targets",
					"%s applies to an environment of many databases: add a targets block (targets { databases = [\"tenant_0001\"] } or targets { matching = \"tenant_%%\" }), or remove %s.", as.Name, as.Name)
			}
		}
		return
	}
	for _, b := range blocks[1:] {
		l.errorf(b.DefRange, "Duplicate targets block", "An environment has one targets block.")
	}
	b := blocks[0]
	f := &Fleet{Parallel: 1, OnError: "stop"}
	tc, d := b.Body.Content(targetsSchema)
	l.add(d...)
	names, rngs := l.strList(tc.Attributes["databases"])
	if m := tc.Attributes["matching"]; m != nil {
		f.Matching = l.str(m)
		if f.Matching == "" && !l.diags.HasErrors() {
			l.errorf(m.Expr.Range(), "Invalid matching", "matching is a LIKE pattern of database names, e.g. \"tenant_%%\"; it cannot be empty.")
		}
	}
	switch da := tc.Attributes["databases"]; {
	case da != nil && tc.Attributes["matching"] != nil:
		l.errorf(tc.Attributes["matching"].NameRange, "Conflicting attributes",
			"targets takes databases (a list) or matching (a pattern read from the server), not both.")
	case da == nil && tc.Attributes["matching"] == nil:
		l.errorf(b.DefRange, "Empty targets block",
			"targets needs databases = [\"tenant_0001\", ...] or matching = \"tenant_%%\".")
	case da != nil && len(names) == 0 && !l.diags.HasErrors():
		l.errorf(da.Expr.Range(), "No targets", "databases lists no database: name at least one.")
	}
	seen := map[string]bool{}
	for i, n := range names {
		switch {
		case !targetNameOK.MatchString(n):
			l.errorf(rngs[i], "Invalid database name",
				"%q cannot be a target: use up to 64 letters, digits, _, $ or -.", n)
		case seen[n]:
			l.errorf(rngs[i], "Duplicate target", "%q is listed twice.", n)
		default:
			seen[n] = true
			f.Databases = append(f.Databases, n)
		}
	}
	if pa := a["parallel"]; pa != nil {
		if n := l.integer(pa, 1, 256); n > 0 {
			f.Parallel = int(n)
		}
	}
	if ca := a["canary"]; ca != nil {
		cs, crngs := l.strList(ca)
		for i, c := range cs {
			switch {
			case slices.Contains(f.Canary, c):
				l.errorf(crngs[i], "Duplicate canary", "%q is listed twice.", c)
			case f.Databases != nil && !seen[c]:
				detail := fmt.Sprintf("A canary must be one of the targets; %q is not in databases.", c)
				if s := suggest(c, f.Databases); s != "" {
					detail += fmt.Sprintf(" Did you mean %q?", s)
				}
				l.errorf(crngs[i], "Unknown canary", "%s", detail)
			case !targetNameOK.MatchString(c):
				l.errorf(crngs[i], "Invalid database name", "%q cannot be a target: use up to 64 letters, digits, _, $ or -.", c)
			default:
				f.Canary = append(f.Canary, c)
			}
		}
	}
	if oa := a["on_error"]; oa != nil {
		switch v := l.str(oa); v {
		case "stop", "continue":
			f.OnError = v
		case "":
		default:
			l.errorf(oa.Expr.Range(), "Invalid on_error",
				"on_error must be \"stop\" (start no new target after a failure) or \"continue\"; got %q.", v)
		}
	}
	if ma := a["max_failures"]; ma != nil {
		n := l.integer(ma, 1, 1<<31-1)
		if f.OnError != "continue" && n > 0 {
			l.errorf(ma.NameRange, "max_failures without on_error = \"continue\"",
				"With on_error = %q the first failure stops the run; max_failures bounds on_error = \"continue\". Set on_error = \"continue\" or remove max_failures.", f.OnError)
		}
		f.MaxFailures = int(n)
	}
	env.Fleet = f
	l.checkTemplate(env, a["url"])
}

// checkTemplate insists that a fleet's url leaves its database part to
// the targets. It never shows the URL, which may hold a password.
func (l *loader) checkTemplate(env *Environment, a *hcl.Attribute) {
	if a == nil || !strings.Contains(env.URL, "://") {
		// Not a URL at all: connecting says so, with the dialect's
		// examples (and commands that never connect read "offline").
		return
	}
	if _, err := templateURL(env.URL, "x"); err != nil {
		msg := err.Error()
		l.errorf(a.Expr.Range(), "Invalid url for targets", "%s.", strings.ToUpper(msg[:1])+msg[1:])
	}
}

// TargetURL is the URL of one target of a fleet: url with its database part
// (or {database} wherever it is written) set to name.
func (e *Environment) TargetURL(name string) (string, error) {
	return templateURL(e.URL, name)
}

// ServerURL is a fleet's url without a database: where matching reads the
// server's database names.
func (e *Environment) ServerURL() (string, error) {
	return templateURL(e.URL, "")
}

func templateURL(raw, name string) (string, error) {
	if strings.Contains(raw, DatabasePlaceholder) {
		return strings.ReplaceAll(raw, DatabasePlaceholder, name), nil
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return "", fmt.Errorf("url must be a URL such as mysql://user@host:3306/ (expected scheme://...)")
	}
	query := ""
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest, query = rest[:i], rest[i:]
	}
	host, path, _ := strings.Cut(rest, "/")
	if path != "" {
		return "", fmt.Errorf("with targets, url names the server and each target fills its database part: end it with / (mysql://user@host:3306/) or write %s where the database name goes; it names a database now", DatabasePlaceholder)
	}
	return scheme + "://" + host + "/" + name + query, nil
}
