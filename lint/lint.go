// Package lint checks a desired schema (and, with a database, the plan
// towards it) against rules of good practice: tables without a primary
// key, duplicate and redundant indexes, foreign keys without an index,
// reserved words, non-utf8mb4 text, money in floating point, zero dates,
// destructive and data-dependent changes. Each finding names its rule, a
// severity (error, warning; a rule can be turned off), the object and,
// when the caller knows it, where the object is declared.
package lint

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/planner/render"
	"github.com/stratadb/strata/schema"
)

// Severity is how much a finding matters.
type Severity string

// Severities. An error-level finding fails `strata lint`.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Off     Severity = "off"
)

// ParseSeverity reads "error", "warning" or "off".
func ParseSeverity(s string) (Severity, bool) {
	switch v := Severity(strings.ToLower(strings.TrimSpace(s))); v {
	case Error, Warning, Off:
		return v, true
	}
	return "", false
}

// Rule names.
const (
	NoPrimaryKey        = "no_primary_key"
	DuplicateIndex      = "duplicate_index"
	RedundantIndex      = "redundant_index"
	FKWithoutIndex      = "fk_without_index"
	ReservedWord        = "reserved_word"
	NonUTF8MB4          = "non_utf8mb4"
	FloatMoney          = "float_money"
	ZeroDateDefault     = "zero_date_default"
	DestructiveChange   = "destructive_change"
	DataDependentChange = "data_dependent_change"
)

// Rule describes one rule.
type Rule struct {
	Name    string
	Default Severity
	// Plan is true for rules that need a database (they read the plan).
	Plan    bool
	Summary string
}

// Rules returns every rule with its default severity, in a fixed order.
func Rules() []Rule {
	return []Rule{
		{NoPrimaryKey, Error, false, "tables without a primary key (replication, online schema changes and many tools need one)"},
		{DuplicateIndex, Warning, false, "indexes with the same parts as another index or the primary key"},
		{RedundantIndex, Warning, false, "plain indexes whose parts are the leftmost parts of another index"},
		{FKWithoutIndex, Warning, false, "foreign keys whose columns do not start an index of the table, or whose referenced columns have no unique or primary index"},
		{ReservedWord, Warning, false, "names that are reserved words of MySQL or MariaDB"},
		{NonUTF8MB4, Warning, false, "tables and columns whose character set is not utf8mb4"},
		{FloatMoney, Warning, false, "float or double columns named like money (price, amount, total, ...): use decimal"},
		{ZeroDateDefault, Error, false, "DEFAULT '0000-00-00...': refused by MySQL's default sql_mode (NO_ZERO_DATE), unreadable for most clients"},
		{DestructiveChange, Error, true, "planned changes that lose data (with a database)"},
		{DataDependentChange, Warning, true, "planned changes that may fail or truncate on the live rows (with a database); an error when the counted rows make it fail"},
	}
}

// RuleNames lists the rule names in Rules' order.
func RuleNames() []string {
	var names []string
	for _, r := range Rules() {
		names = append(names, r.Name)
	}
	return names
}

// Position is where an object is declared.
type Position struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

func (p *Position) String() string {
	if p == nil {
		return ""
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Object types of findings.
const (
	ObjTable      = "table"
	ObjColumn     = "column"
	ObjIndex      = "index"
	ObjPrimaryKey = "primary_key"
	ObjForeignKey = "foreign_key"
	ObjCheck      = "check"
	ObjView       = "view"
	ObjTrigger    = "trigger"
)

// Object names what a finding is about: a table, or a part of Table.
type Object struct {
	Type  string `json:"type"`
	Table string `json:"table,omitempty"` // the table of a column, index, key or check
	Name  string `json:"name"`
}

// String names the object with names quoted as standard SQL does; a
// finding's text quotes them as its dialect does (see Finding).
func (o Object) String() string { return o.format(planner.QuoteStandard) }

func (o Object) format(q func(string) string) string {
	word := strings.ReplaceAll(o.Type, "_", " ")
	switch {
	case o.Type == ObjColumn:
		return "column " + q(o.Table) + "." + q(o.Name)
	case o.Table != "" && o.Type == ObjPrimaryKey:
		return "primary key of " + q(o.Table)
	case o.Table != "":
		return word + " " + q(o.Name) + " of " + q(o.Table)
	}
	return word + " " + q(o.Name)
}

// Finding is one thing a rule found.
type Finding struct {
	Rule     string    `json:"rule"`
	Severity Severity  `json:"severity"`
	Object   Object    `json:"object"`
	Message  string    `json:"message"`
	Pos      *Position `json:"position,omitempty"`
	// object is Object as the dialect quotes it, for text.
	object string
}

// ObjectText names the finding's object with names quoted as the
// schema's dialect does.
func (f Finding) ObjectText() string {
	if f.object != "" {
		return f.object
	}
	return f.Object.String()
}

// Input is what the rules look at.
type Input struct {
	// Schema is the desired schema as declared (before normalization: a
	// dialect adds the indexes foreign keys need, which would hide them).
	Schema *schema.Schema
	// Normalized is Schema normalized for the server (types, charsets and
	// defaults resolved); nil to use Schema.
	Normalized *schema.Schema
	// Plan is the plan from the live database to Schema, with its hazards
	// counted where possible; nil without a database.
	Plan *planner.Plan
	// Dialect is the server the schema is for: its dialect.LintFacts
	// decide the rules about the server (reserved words, character sets,
	// zero dates), its dialect.HazardRules quote names. nil runs the
	// rules every server shares, names quoted as standard SQL.
	Dialect dialect.Dialect
}

// Config tunes a run.
type Config struct {
	// Severity overrides rules' default severities by rule name.
	Severity map[string]Severity
	// Position returns where an object is declared; nil or a nil result
	// leaves findings without one.
	Position func(Object) *Position
}

// severity is the effective severity of a rule.
func (c Config) severity(r Rule) Severity {
	if s, ok := c.Severity[r.Name]; ok {
		return s
	}
	return r.Default
}

// Run applies every rule not turned off and returns the findings, errors
// and warnings alike, in the order of the schema (then the plan).
func Run(in Input, c Config) []Finding {
	if in.Schema == nil {
		return nil
	}
	norm := in.Normalized
	if norm == nil {
		norm = in.Schema
	}
	l := &linter{in: in, norm: norm, cfg: c, sev: map[string]Severity{}, q: planner.QuoteStandard}
	l.facts, _ = in.Dialect.(dialect.LintFacts)
	if r, ok := in.Dialect.(dialect.HazardRules); ok {
		l.q = r.QuoteName
	}
	for _, r := range Rules() {
		l.sev[r.Name] = c.severity(r)
	}
	l.run()
	return l.out
}

// HasErrors reports whether any finding is an error.
func HasErrors(fs []Finding) bool {
	return slices.ContainsFunc(fs, func(f Finding) bool { return f.Severity == Error })
}

// Counts returns the number of errors and warnings.
func Counts(fs []Finding) (errors, warnings int) {
	for _, f := range fs {
		switch f.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		}
	}
	return errors, warnings
}

type linter struct {
	in   Input
	norm *schema.Schema
	cfg  Config
	sev  map[string]Severity
	out  []Finding
	// facts are the server's, nil when its dialect states none.
	facts dialect.LintFacts
	q     func(string) string // quotes a name as the server's SQL does
}

func (l *linter) report(rule string, o Object, format string, args ...any) {
	sev := l.sev[rule]
	if sev == Off || sev == "" {
		return
	}
	f := Finding{Rule: rule, Severity: sev, Object: o, Message: fmt.Sprintf(format, args...), object: o.format(l.q)}
	if l.cfg.Position != nil {
		f.Pos = l.cfg.Position(o)
	}
	l.out = append(l.out, f)
}

func (l *linter) on(rule string) bool { s := l.sev[rule]; return s != Off && s != "" }

func (l *linter) run() {
	normTables := map[string]*schema.Table{}
	for _, t := range l.norm.Tables {
		normTables[t.Name] = t
	}
	declared := map[string]*schema.Table{}
	for _, t := range l.in.Schema.Tables {
		declared[t.Name] = t
	}
	for _, t := range l.in.Schema.Tables {
		nt := normTables[t.Name]
		if nt == nil {
			nt = t
		}
		l.table(t, nt, declared)
	}
	for _, v := range l.in.Schema.Views {
		l.checkReserved(Object{Type: ObjView, Name: v.Name})
	}
	for _, tr := range l.in.Schema.Triggers {
		l.checkReserved(Object{Type: ObjTrigger, Name: tr.Name})
	}
	l.plan()
}

func (l *linter) table(t, nt *schema.Table, declared map[string]*schema.Table) {
	tobj := Object{Type: ObjTable, Name: t.Name}
	if t.PrimaryKey == nil {
		l.report(NoPrimaryKey, tobj, "table %s has no primary key: declare primary_key = [...]", l.q(t.Name))
	}
	l.checkReserved(tobj)
	for _, c := range t.Columns {
		l.checkReserved(Object{Type: ObjColumn, Table: t.Name, Name: c.Name})
	}
	for _, i := range t.Indexes {
		l.checkReserved(Object{Type: ObjIndex, Table: t.Name, Name: i.Name})
	}
	for _, f := range t.ForeignKeys {
		l.checkReserved(Object{Type: ObjForeignKey, Table: t.Name, Name: f.Name})
	}
	for _, c := range t.Checks {
		l.checkReserved(Object{Type: ObjCheck, Table: t.Name, Name: c.Name})
	}
	l.indexes(t)
	l.foreignKeys(t, declared)
	l.charsets(t, nt)
	for _, c := range nt.Columns {
		col := Object{Type: ObjColumn, Table: t.Name, Name: c.Name}
		if (c.Type.Name == "float" || c.Type.Name == "double" || c.Type.Name == "real") && moneyName(c.Name) {
			l.report(FloatMoney, col, "column %s.%s holds money in %s, which cannot represent most decimal fractions exactly: use decimal (e.g. decimal(12,2)) or integer cents",
				l.q(t.Name), l.q(c.Name), c.Type.Name)
		}
		if zeroDate(c.Default) && l.on(ZeroDateDefault) && l.facts != nil && l.facts.ZeroDate() != "" {
			l.report(ZeroDateDefault, col, "column %s.%s defaults to the zero date %s: %s; make the column nullable with DEFAULT NULL or use a real date",
				l.q(t.Name), l.q(c.Name), c.Default, l.facts.ZeroDate())
		}
	}
}

func (l *linter) checkReserved(o Object) {
	if l.on(ReservedWord) && l.facts != nil && l.facts.ReservedWord(o.Name) {
		l.report(ReservedWord, o, "%s is named after the reserved word %s: it must be quoted in every statement; choose another name",
			o.format(l.q), strings.ToUpper(o.Name))
	}
}

// keys are the table's B-tree keys: primary key first, then indexes.
func keys(t *schema.Table) []*schema.Index {
	var ks []*schema.Index
	if t.PrimaryKey != nil {
		ks = append(ks, t.PrimaryKey)
	}
	return append(ks, t.Indexes...)
}

func keyObject(t *schema.Table, i *schema.Index) Object {
	if i == t.PrimaryKey {
		return Object{Type: ObjPrimaryKey, Table: t.Name, Name: "PRIMARY"}
	}
	return Object{Type: ObjIndex, Table: t.Name, Name: i.Name}
}

func (l *linter) keyName(t *schema.Table, i *schema.Index) string {
	if i == t.PrimaryKey {
		return "the primary key"
	}
	return "index " + l.q(i.Name)
}

func partsText(i *schema.Index) string {
	var ps []string
	for _, p := range i.Parts {
		s := p.Column
		if p.Expr != "" {
			s = "(" + p.Expr + ")"
		}
		if p.Prefix > 0 {
			s += fmt.Sprintf("(%d)", p.Prefix)
		}
		if p.Desc {
			s += " DESC"
		}
		ps = append(ps, s)
	}
	return "(" + strings.Join(ps, ", ") + ")"
}

func btree(i *schema.Index) bool {
	return (i.Kind == schema.IndexPlain || i.Kind == schema.IndexUnique) && !strings.EqualFold(i.Using, "HASH")
}

func (l *linter) indexes(t *schema.Table) {
	ks := keys(t)
	dup := map[*schema.Index]bool{}
	for j, b := range ks {
		for _, a := range ks[:j] {
			if a.Kind != b.Kind && !(btree(a) && btree(b)) || !slices.Equal(a.Parts, b.Parts) {
				continue
			}
			// Report the weaker of the two: a plain index beside a unique
			// one, else the later.
			weak, strong := b, a
			if b.Kind == schema.IndexUnique && a.Kind == schema.IndexPlain && a != t.PrimaryKey {
				weak, strong = a, b
			}
			if dup[weak] {
				continue
			}
			dup[weak] = true
			l.report(DuplicateIndex, keyObject(t, weak), "%s of %s has the same parts %s as %s: drop it",
				l.keyName(t, weak), l.q(t.Name), partsText(weak), l.keyName(t, strong))
		}
	}
	for _, a := range t.Indexes {
		if a.Kind != schema.IndexPlain || !btree(a) || dup[a] {
			continue
		}
		for _, b := range ks {
			if b == a || !btree(b) || len(b.Parts) <= len(a.Parts) || !slices.Equal(a.Parts, b.Parts[:len(a.Parts)]) {
				continue
			}
			l.report(RedundantIndex, keyObject(t, a), "index %s of %s %s is a leftmost prefix of %s %s, which serves the same lookups (and foreign keys): drop it",
				l.q(a.Name), l.q(t.Name), partsText(a), l.keyName(t, b), partsText(b))
			break
		}
	}
}

// startsWith reports whether the key's leading parts are whole columns
// equal to cols, in order.
func startsWith(i *schema.Index, cols []string) bool {
	if len(i.Parts) < len(cols) {
		return false
	}
	for n, c := range cols {
		p := i.Parts[n]
		if p.Column != c || p.Expr != "" || p.Prefix != 0 {
			return false
		}
	}
	return true
}

// sameSet reports whether a unique key's parts are whole columns forming
// exactly the set cols.
func sameSet(i *schema.Index, cols []string) bool {
	if len(i.Parts) != len(cols) {
		return false
	}
	for _, p := range i.Parts {
		if p.Expr != "" || p.Prefix != 0 || !slices.Contains(cols, p.Column) {
			return false
		}
	}
	return true
}

func (l *linter) foreignKeys(t *schema.Table, declared map[string]*schema.Table) {
	for _, f := range t.ForeignKeys {
		o := Object{Type: ObjForeignKey, Table: t.Name, Name: f.Name}
		if !slices.ContainsFunc(keys(t), func(i *schema.Index) bool { return btree(i) && startsWith(i, f.Columns) }) {
			why := ""
			if l.facts != nil {
				why = l.facts.UnindexedForeignKey(l.q(f.Name))
			}
			if why == "" {
				why = "deleting or updating a row of " + l.q(f.RefTable) + " then scans " + l.q(t.Name) + " for its references; declare one"
			}
			l.report(FKWithoutIndex, o, "no index of %s starts with the columns (%s) of foreign key %s: %s",
				l.q(t.Name), strings.Join(f.Columns, ", "), l.q(f.Name), why)
		}
		parent := declared[f.RefTable]
		if parent == nil {
			continue
		}
		unique := slices.ContainsFunc(keys(parent), func(i *schema.Index) bool {
			return (i == parent.PrimaryKey || i.Kind == schema.IndexUnique) && sameSet(i, f.RefColumns)
		})
		if !unique {
			l.report(FKWithoutIndex, o, "foreign key %s references %s (%s), which is neither the primary key nor a unique index of %s: a row could match several parents",
				l.q(f.Name), l.q(f.RefTable), strings.Join(f.RefColumns, ", "), l.q(f.RefTable))
		}
	}
}

// charsets reports text in a character set that cannot hold every
// character, on a server that has character sets.
func (l *linter) charsets(t, nt *schema.Table) {
	if l.facts == nil || l.facts.FullCharset() == "" {
		return
	}
	full := l.facts.FullCharset()
	whole := func(cs string) bool { return cs == "" || strings.EqualFold(cs, full) }
	if !whole(nt.Options.Charset) {
		l.report(NonUTF8MB4, Object{Type: ObjTable, Name: t.Name}, "table %s uses character set %s, which cannot hold every character (emoji, many CJK characters): use %s",
			l.q(t.Name), nt.Options.Charset, full)
	}
	for _, c := range nt.Columns {
		if c.Charset == "" || whole(c.Charset) || strings.EqualFold(c.Charset, "binary") || strings.EqualFold(c.Charset, nt.Options.Charset) {
			continue
		}
		l.report(NonUTF8MB4, Object{Type: ObjColumn, Table: t.Name, Name: c.Name}, "column %s.%s uses character set %s, which cannot hold every character: use %s",
			l.q(t.Name), l.q(c.Name), c.Charset, full)
	}
}

// moneyWords are name parts that mean an amount of money.
var moneyWords = []string{"price", "prices", "amount", "amounts", "cost", "costs", "total", "totals", "subtotal", "balance",
	"balances", "money", "fee", "fees", "cents", "salary", "wage", "wages", "tax", "taxes", "payment", "payments", "revenue",
	"discount", "refund", "charge", "charges", "credit", "debit", "paid", "usd", "eur", "gbp"}

// moneyName reports whether a column name, split at underscores and case
// changes, has a part that means money (unit_price, totalAmount, fee_cents).
func moneyName(name string) bool {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(name)
	for i, r := range rs {
		switch {
		case r == '_' || r == '-' || r == ' ':
			flush()
		case r >= 'A' && r <= 'Z' && i > 0 && rs[i-1] >= 'a' && rs[i-1] <= 'z':
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	for _, w := range words {
		if slices.Contains(moneyWords, w) {
			return true
		}
	}
	return false
}

// zeroDate reports whether a default is a zero date ('0000-00-00' with or
// without a time part).
func zeroDate(def string) bool {
	return strings.HasPrefix(def, "'0000-00-00")
}

// plan reports the plan's destructive and data-dependent hazards. A
// data-dependent change that the live rows make fail is an error even
// when the rule is a warning.
func (l *linter) plan() {
	if l.in.Plan == nil {
		return
	}
	for _, s := range l.in.Plan.Steps {
		kind, name := planner.ObjectOf(s.Change)
		o := Object{Type: string(kind), Name: name}
		for _, h := range s.Hazards {
			switch h.Kind {
			case planner.Destructive:
				l.report(DestructiveChange, o, "%s", render.HazardMessage(h, l.in.Plan.Rules))
			case planner.DataDependent:
				n := len(l.out)
				l.report(DataDependentChange, o, "%s", render.HazardMessage(h, l.in.Plan.Rules))
				if len(l.out) > n && h.Rows != nil && *h.Rows > 0 {
					l.out[n].Severity = Error
				}
			}
		}
	}
}

// Sort orders findings by file position (those without one last, in their
// order), for output.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i].Pos, fs[j].Pos
		switch {
		case a == nil || b == nil:
			return a != nil && b == nil
		case a.File != b.File:
			return a.File < b.File
		case a.Line != b.Line:
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}
