package config

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// OnlineSchemaChange is an environment's `online_schema_change` block:
// statements the server can only run as a table copy, on tables of at
// least MinSize bytes (data and indexes), are handed to an online schema
// change engine instead of running as a blocking ALTER TABLE.
type OnlineSchemaChange struct {
	// Engine is "pt-osc", "gh-ost" or "command" (Command set).
	Engine string
	// Command is a custom engine's command line, run by /bin/sh, with
	// placeholders ({TABLE}, {CLAUSES}, ... see OSCPlaceholders) that Strata
	// replaces with shell-quoted values.
	Command string
	MinSize int64
	Args    []string
	// Pos is where the block starts (file:line:col), for messages.
	Pos Pos
}

// Pos is a place in a file.
type Pos struct {
	File         string
	Line, Column int
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column) }

// Engines an online_schema_change block may name.
const (
	EnginePTOSC   = "pt-osc"
	EngineGhost   = "gh-ost"
	EngineCommand = "command"
)

// OSCPlaceholders are the placeholders a custom command may use.
var OSCPlaceholders = []string{"HOST", "PORT", "USER", "SCHEMA", "TABLE", "CLAUSES", "DDL", "SIZE", "DEFAULTS_FILE"}

var oscSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "engine"}, {Name: "command"}, {Name: "min_size"}, {Name: "args"},
}}

var placeholder = regexp.MustCompile(`\{([A-Za-z_]+)\}`)

// oscBlock reads `online_schema_change { ... }`.
func (l *loader) oscBlock(env *Environment, b *hcl.Block) {
	if env.OnlineSchemaChange != nil {
		l.errorf(b.DefRange, "Duplicate online_schema_change block", "An environment has one online_schema_change block.")
		return
	}
	c, d := b.Body.Content(oscSchema)
	l.add(d...)
	o := &OnlineSchemaChange{Pos: Pos{File: b.DefRange.Filename, Line: b.DefRange.Start.Line, Column: b.DefRange.Start.Column}}
	a := c.Attributes
	engine, command := a["engine"], a["command"]
	ok := true
	switch {
	case engine != nil && command != nil:
		l.errorf(command.NameRange, "Both engine and command", "An online_schema_change block names an engine (pt-osc, gh-ost) or a command, not both.")
		return
	case engine == nil && command == nil:
		l.errorf(b.DefRange, "No online schema change engine",
			"Name the engine: engine = \"pt-osc\" (or \"gh-ost\" on MySQL), or a custom command = \"… {TABLE} … {CLAUSES} …\".")
		return
	case engine != nil:
		e := l.str(engine)
		switch e {
		case EnginePTOSC, EngineGhost:
			o.Engine = e
		case "":
			return // the type error is recorded
		default:
			detail := fmt.Sprintf("There is no engine %q; use \"pt-osc\" or \"gh-ost\", or a custom command = \"…\".", e)
			if s := suggest(e, []string{EnginePTOSC, EngineGhost}); s != "" {
				detail = fmt.Sprintf("There is no engine %q. Did you mean %q?", e, s)
			}
			l.errorf(engine.Expr.Range(), "Unknown online schema change engine", "%s", detail)
			return
		}
	default:
		o.Engine = EngineCommand
		o.Command = l.str(command)
		if strings.TrimSpace(o.Command) == "" {
			l.errorf(command.Expr.Range(), "Empty command", "The command runs the online schema change; it needs at least {TABLE} and {CLAUSES} (or {DDL}).")
			return
		}
		// The other attributes are still checked: every mistake in one run.
		ok = l.oscPlaceholders(command, o.Command)
	}
	if ma := a["min_size"]; ma != nil {
		s := l.str(ma)
		n, err := ParseSize(s)
		if err != nil {
			l.errorf(ma.Expr.Range(), "Invalid min_size", "min_size is a table size such as \"1GiB\", \"500MiB\" or \"0\": %v.", err)
			return
		}
		o.MinSize = n
	}
	o.Args, _ = l.strList(a["args"])
	if ok {
		env.OnlineSchemaChange = o
	}
}

// oscPlaceholders checks a custom command's placeholders, each unknown one
// a diagnostic at its place in the file.
func (l *loader) oscPlaceholders(a *hcl.Attribute, cmd string) bool {
	ok := true
	src := l.source(a.Expr.Range())
	for _, m := range placeholder.FindAllStringSubmatchIndex(cmd, -1) {
		name := cmd[m[2]:m[3]]
		if isPlaceholder(name) {
			continue
		}
		ok = false
		rng := a.Expr.Range()
		// Point at the placeholder itself when the source has it as written.
		if i := strings.Index(src, cmd[m[0]:m[1]]); i >= 0 {
			before := src[:i]
			line := strings.Count(before, "\n")
			col := i - (strings.LastIndex(before, "\n") + 1)
			if line == 0 {
				col += rng.Start.Column - 1
			}
			rng.Start = hcl.Pos{Line: rng.Start.Line + line, Column: col + 1, Byte: rng.Start.Byte + i}
			rng.End = hcl.Pos{Line: rng.Start.Line, Column: rng.Start.Column + m[1] - m[0], Byte: rng.Start.Byte + m[1] - m[0]}
		}
		detail := fmt.Sprintf("The command has no placeholder {%s}; placeholders: {%s}.", name, strings.Join(OSCPlaceholders, "} {"))
		if s := suggest(strings.ToUpper(name), OSCPlaceholders); s != "" {
			detail = fmt.Sprintf("The command has no placeholder {%s}. Did you mean {%s}?", name, s)
		}
		l.errorf(rng, "Unknown placeholder", "%s", detail)
	}
	if ok && !strings.Contains(cmd, "{TABLE}") && !strings.Contains(cmd, "{DDL}") {
		l.errorf(a.Expr.Range(), "Command without its table",
			"The command must name what to change: {TABLE} with {CLAUSES}, or {DDL} (the whole ALTER TABLE).")
		return false
	}
	return ok
}

func isPlaceholder(name string) bool {
	for _, p := range OSCPlaceholders {
		if p == name {
			return true
		}
	}
	return false
}

var sizeRe = regexp.MustCompile(`^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*$`)

var sizeUnits = map[string]float64{
	"": 1, "b": 1,
	"k": 1 << 10, "kb": 1e3, "kib": 1 << 10,
	"m": 1 << 20, "mb": 1e6, "mib": 1 << 20,
	"g": 1 << 30, "gb": 1e9, "gib": 1 << 30,
	"t": 1 << 40, "tb": 1e12, "tib": 1 << 40,
}

// ParseSize reads a size in bytes: "1GiB", "500 MiB", "10MB", "0".
func ParseSize(s string) (int64, error) {
	m := sizeRe.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not a number followed by a unit (B, KiB, MiB, GiB, TiB, or KB, MB, GB, TB)", s)
	}
	unit, ok := sizeUnits[strings.ToLower(m[2])]
	if !ok {
		return 0, fmt.Errorf("%q has an unknown unit %q (B, KiB, MiB, GiB, TiB, or KB, MB, GB, TB)", s, m[2])
	}
	f, err := strconv.ParseFloat(m[1], 64)
	if err != nil || f*unit > math.MaxInt64 {
		return 0, fmt.Errorf("%q is out of range", s)
	}
	return int64(f * unit), nil
}

// FormatSize writes a size in bytes the way people read it: "1.5 GiB".
func FormatSize(n int64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	f := float64(n)
	i := 0
	for f >= 1024 && i < len(units)-1 {
		f /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%d B", n)
	}
	if f == math.Trunc(f) {
		return fmt.Sprintf("%.0f %s", f, units[i])
	}
	return fmt.Sprintf("%.1f %s", f, units[i])
}
