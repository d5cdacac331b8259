package planner

import (
	"slices"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// Diff compares two normalized schemas (see dialect.Dialect.Normalize) and
// returns the ordered changes that turn current into desired. Fields are
// compared exactly, except RenamedFrom hints (used to pair objects) and
// Options.AutoIncrement (the counter moves with data). Diff runs in time
// linear in the size of the schemas.
//
// The order follows DESIGN.md "Planner rules": dropped triggers and views
// first, then foreign keys that must go before anything else, table
// renames, new tables (referenced first), changed tables (referenced first),
// dropped tables (children first), foreign keys deferred because of cycles,
// and finally new and changed views and triggers.
//
// What the server decides (which columns must be replaced, what a table
// rename does to its foreign keys, whether column order matters, what a
// view reads) comes from d's dialect.DiffRules; a nil d, or one without
// them, gets the defaults DiffRules documents.
func Diff(current, desired *schema.Schema, d dialect.Dialect) []schema.Change {
	return diffWith(current, desired, diffRulesOf(d))
}

func diffWith(current, desired *schema.Schema, rules dialect.DiffRules) []schema.Change {
	d := newDiffer(current, desired, rules)
	d.matchTables()
	d.diffTables()
	return d.order()
}

// Reverse returns the changes that undo Diff(current, desired): they turn
// desired back into current, in the order that undo needs. Renames found on
// the way up become renames back (the hints are inverted), so data kept by
// the up side is kept by the down side too. Which undo steps cannot restore
// data is told by BuildReverse's hazards. d's rules apply as in Diff.
func Reverse(current, desired *schema.Schema, d dialect.Dialect) []schema.Change {
	if current == nil {
		current = &schema.Schema{}
	}
	if desired == nil {
		desired = &schema.Schema{}
	}
	rules := diffRulesOf(d)
	from, to := invertHints(current, desired, rules)
	return diffWith(from, to, rules)
}

// invertHints returns desired and current as new top-level values whose
// RenamedFrom hints point the other way: a current object that desired
// renames gets RenamedFrom = the desired name. Inputs are not modified;
// objects without a hint change are shared.
func invertHints(current, desired *schema.Schema, rules dialect.DiffRules) (from, to *schema.Schema) {
	d := newDiffer(current, desired, rules)
	d.matchTables()
	back := *current
	back.Tables = make([]*schema.Table, len(current.Tables))
	copy(back.Tables, current.Tables)
	fwd := *desired
	fwd.Tables = make([]*schema.Table, len(desired.Tables))
	for i, t := range desired.Tables {
		// Hints of desired are meaningless on the way back.
		if t.RenamedFrom != "" || hasColumnHints(t) {
			c := clearHints(t)
			fwd.Tables[i] = c
		} else {
			fwd.Tables[i] = t
		}
	}
	curPos := make(map[string]int, len(current.Tables))
	for i, t := range current.Tables {
		curPos[t.Name] = i
	}
	for _, p := range d.pairs {
		cols := matchColumnRenames(p.from, p.to)
		idx := matchIndexRenames(p.from, p.to, cols)
		if p.from.Name == p.to.Name && len(cols) == 0 && len(idx) == 0 {
			continue
		}
		t := *p.from
		if p.from.Name != p.to.Name {
			t.RenamedFrom = p.to.Name
		}
		if len(cols) > 0 {
			t.Columns = make([]*schema.Column, len(p.from.Columns))
			for i, c := range p.from.Columns {
				if nn, ok := cols[c.Name]; ok {
					cc := *c
					cc.RenamedFrom = nn
					t.Columns[i] = &cc
				} else {
					t.Columns[i] = c
				}
			}
		}
		if len(idx) > 0 {
			t.Indexes = make([]*schema.Index, len(p.from.Indexes))
			for i, x := range p.from.Indexes {
				if nn, ok := idx[x.Name]; ok {
					cx := *x
					cx.RenamedFrom = nn
					t.Indexes[i] = &cx
				} else {
					t.Indexes[i] = x
				}
			}
		}
		back.Tables[curPos[p.from.Name]] = &t
	}
	return &fwd, &back
}

func hasColumnHints(t *schema.Table) bool {
	for _, c := range t.Columns {
		if c.RenamedFrom != "" {
			return true
		}
	}
	for _, i := range t.Indexes {
		if i.RenamedFrom != "" {
			return true
		}
	}
	return false
}

func clearHints(t *schema.Table) *schema.Table {
	c := *t
	c.RenamedFrom = ""
	c.Columns = make([]*schema.Column, len(t.Columns))
	for i, col := range t.Columns {
		if col.RenamedFrom != "" {
			cc := *col
			cc.RenamedFrom = ""
			c.Columns[i] = &cc
		} else {
			c.Columns[i] = col
		}
	}
	c.Indexes = make([]*schema.Index, len(t.Indexes))
	for i, x := range t.Indexes {
		if x.RenamedFrom != "" {
			cx := *x
			cx.RenamedFrom = ""
			c.Indexes[i] = &cx
		} else {
			c.Indexes[i] = x
		}
	}
	return &c
}

// matchColumnRenames returns current column name → desired name for the
// columns the desired table renames.
func matchColumnRenames(from, to *schema.Table) map[string]string {
	m := matchColumns(from, to)
	return m.renames
}

// matchIndexRenames returns current index name → desired name for indexes
// renamed by Diff.
func matchIndexRenames(from, to *schema.Table, colRenames map[string]string) map[string]string {
	td := &tableDiff{from: from, to: to, colRenames: colRenames}
	td.diffIndexes()
	var m map[string]string
	for _, r := range td.renameIndexes {
		if m == nil {
			m = map[string]string{}
		}
		m[r.From] = r.To
	}
	return m
}

// tablePair is a current table and the desired table it becomes.
type tablePair struct {
	from, to *schema.Table
}

type differ struct {
	cur, des   *schema.Schema
	curTables  map[string]*schema.Table
	desTables  map[string]*schema.Table
	pairs      []tablePair // in desired order
	added      []*schema.Table
	dropped    []*schema.Table
	renameTo   map[string]string // current name → desired name, renamed only
	diffs      []*tableDiff      // non-empty diffs of pairs, in desired order
	diffByCur  map[string]*tableDiff
	droppedSet map[string]bool
	rules      dialect.DiffRules
}

func newDiffer(current, desired *schema.Schema, rules dialect.DiffRules) *differ {
	if current == nil {
		current = &schema.Schema{}
	}
	if desired == nil {
		desired = &schema.Schema{}
	}
	d := &differ{
		cur:       current,
		des:       desired,
		curTables: make(map[string]*schema.Table, len(current.Tables)),
		desTables: make(map[string]*schema.Table, len(desired.Tables)),
		renameTo:  map[string]string{},
		rules:     rules,
	}
	for _, t := range current.Tables {
		d.curTables[t.Name] = t
	}
	for _, t := range desired.Tables {
		d.desTables[t.Name] = t
	}
	return d
}

// matchTables pairs current and desired tables by name or RenamedFrom.
func (d *differ) matchTables() {
	matched := make(map[string]bool, len(d.cur.Tables))
	for _, t := range d.des.Tables {
		if c, ok := d.curTables[t.Name]; ok {
			d.pairs = append(d.pairs, tablePair{c, t})
			matched[c.Name] = true
			continue
		}
		if r := t.RenamedFrom; r != "" {
			if c, ok := d.curTables[r]; ok && d.desTables[r] == nil && !matched[r] {
				d.pairs = append(d.pairs, tablePair{c, t})
				matched[r] = true
				d.renameTo[r] = t.Name
				continue
			}
		}
		d.added = append(d.added, t)
	}
	d.droppedSet = map[string]bool{}
	for _, t := range d.cur.Tables {
		if !matched[t.Name] {
			d.dropped = append(d.dropped, t)
			d.droppedSet[t.Name] = true
		}
	}
}

// desName returns the desired name of current table name (itself unless renamed).
func (d *differ) desName(cur string) string {
	if n, ok := d.renameTo[cur]; ok {
		return n
	}
	return cur
}

func (d *differ) diffTables() {
	tds := make([]*tableDiff, len(d.pairs))
	d.diffByCur = make(map[string]*tableDiff, len(d.pairs))
	// Columns first: index and foreign key comparison maps column names
	// through renames, also those of referenced tables.
	for i, p := range d.pairs {
		td := &tableDiff{from: p.from, to: p.to, rules: d.rules}
		td.diffColumns()
		tds[i] = td
		d.diffByCur[p.from.Name] = td
	}
	for _, td := range tds {
		td.diffIndexes()
		td.diffPrimaryKey()
		td.diffForeignKeys(d)
		td.diffChecks()
		if !optionsEqual(td.from.Options, td.to.Options) {
			td.options = &schema.ModifyOptions{From: td.from.Options, To: td.to.Options}
		}
		if !partitionEqual(td.from.Partition, td.to.Partition) {
			td.partition = &schema.ModifyPartition{From: td.from.Partition, To: td.to.Partition}
		}
		if !td.empty() {
			d.diffs = append(d.diffs, td)
		}
	}
}

// tableDiff is every difference of one table pair, by clause kind.
type tableDiff struct {
	from, to *schema.Table
	rules    dialect.DiffRules

	colRenames    map[string]string // current → desired column name
	retyped       map[string]bool   // desired names of columns whose type or charset changes
	replaced      map[string]bool   // desired names of columns dropped and added again
	dropCols      []*schema.Column
	colChanges    []schema.TableChange // AddColumn, ModifyColumn, RenameColumn in desired order
	dropIndexes   []*schema.Index
	addIndexes    []*schema.Index
	renameIndexes []*schema.RenameIndex
	dropPK, addPK *schema.Index
	dropFKs       []*schema.ForeignKey
	addFKs        []*schema.ForeignKey
	reAddedFKs    map[string]bool
	dropChecks    []*schema.Check
	addChecks     []*schema.Check
	options       *schema.ModifyOptions
	partition     *schema.ModifyPartition
}

func (td *tableDiff) empty() bool {
	return len(td.dropCols) == 0 && len(td.colChanges) == 0 && len(td.dropIndexes) == 0 &&
		len(td.addIndexes) == 0 && len(td.renameIndexes) == 0 && td.dropPK == nil && td.addPK == nil &&
		len(td.dropFKs) == 0 && len(td.addFKs) == 0 && len(td.dropChecks) == 0 && len(td.addChecks) == 0 &&
		td.options == nil && td.partition == nil
}

// colName maps a current column name to its desired name.
func (td *tableDiff) colName(n string) string {
	if r, ok := td.colRenames[n]; ok {
		return r
	}
	return n
}

// columnMatch is the pairing of a table's columns.
type columnMatch struct {
	pairs   []columnPair // desired order; from nil for added columns
	dropped []*schema.Column
	renames map[string]string
}

type columnPair struct {
	from, to *schema.Column
	fromPos  int // position in current table
}

func matchColumns(from, to *schema.Table) columnMatch {
	var m columnMatch
	m.pairs = make([]columnPair, len(to.Columns))
	// Fast path: the same names in the same order (the common case).
	if len(from.Columns) == len(to.Columns) {
		same := true
		for i, c := range to.Columns {
			if from.Columns[i].Name != c.Name {
				same = false
				break
			}
		}
		if same {
			for i, c := range to.Columns {
				m.pairs[i] = columnPair{from.Columns[i], c, i}
			}
			return m
		}
	}
	curPos := make(map[string]int, len(from.Columns))
	for i, c := range from.Columns {
		curPos[c.Name] = i
	}
	desSet := make(map[string]bool, len(to.Columns))
	for _, c := range to.Columns {
		desSet[c.Name] = true
	}
	used := make([]bool, len(from.Columns))
	for i, c := range to.Columns {
		if p, ok := curPos[c.Name]; ok && !used[p] {
			m.pairs[i] = columnPair{from.Columns[p], c, p}
			used[p] = true
			continue
		}
		if r := c.RenamedFrom; r != "" && !desSet[r] {
			if p, ok := curPos[r]; ok && !used[p] {
				m.pairs[i] = columnPair{from.Columns[p], c, p}
				used[p] = true
				if m.renames == nil {
					m.renames = map[string]string{}
				}
				m.renames[r] = c.Name
				continue
			}
		}
		m.pairs[i] = columnPair{to: c, fromPos: -1}
	}
	for i, c := range from.Columns {
		if !used[i] {
			m.dropped = append(m.dropped, c)
		}
	}
	return m
}

func (td *tableDiff) diffColumns() {
	m := matchColumns(td.from, td.to)
	td.colRenames = m.renames
	td.dropCols = m.dropped
	// A column the server cannot change in place (MariaDB and MySQL: one
	// that turns from stored to virtual or between generated and regular)
	// is dropped and added again, and the indexes on it with it.
	for i := range m.pairs {
		p := &m.pairs[i]
		if p.from != nil && td.rules.ReplacesColumn(p.from, p.to) {
			td.dropCols = append(td.dropCols, p.from)
			if td.replaced == nil {
				td.replaced = map[string]bool{}
			}
			td.replaced[p.to.Name] = true
			p.from, p.fromPos = nil, -1
		}
	}
	// Columns that keep their relative order: the longest increasing run of
	// current positions taken in desired order. Only the others move; none
	// does on a server where column order is not part of a table.
	ordered := td.rules.ColumnOrder()
	var stable []bool
	if ordered {
		var seq []int
		for _, p := range m.pairs {
			if p.from != nil {
				seq = append(seq, p.fromPos)
			}
		}
		stable = stableSet(seq)
	}
	prev := ""
	k := 0
	for _, p := range m.pairs {
		var pos schema.ColumnPosition // the server's place: last
		if ordered {
			pos = schema.ColumnPosition{First: prev == "", After: prev}
		}
		prev = p.to.Name
		if p.from == nil {
			td.colChanges = append(td.colChanges, &schema.AddColumn{C: p.to, Position: pos})
			continue
		}
		moved := stable != nil && !stable[k]
		k++
		kind := columnKind(p.from, p.to, td.from, td.to)
		if kind&(schema.ChangeType|schema.ChangeCharset) != 0 {
			if td.retyped == nil {
				td.retyped = map[string]bool{}
			}
			td.retyped[p.to.Name] = true
		}
		if moved {
			kind |= schema.ChangePosition
		}
		renamed := p.from.Name != p.to.Name
		switch {
		case kind == 0 && renamed:
			td.colChanges = append(td.colChanges, &schema.RenameColumn{From: p.from.Name, To: p.to.Name})
		case kind != 0:
			mc := &schema.ModifyColumn{From: p.from, To: p.to, Kind: kind}
			if moved {
				mc.Position = pos
			}
			if kind.Is(schema.ChangeCharset) && p.to.Charset == "" && p.to.Type.HasCharset() {
				// The column follows the table's (new) default: say it
				// explicitly so the statement converts it.
				c := *p.to
				c.Charset, c.Collate = td.to.Options.Charset, td.to.Options.Collate
				mc.To = &c
			}
			td.colChanges = append(td.colChanges, mc)
		}
	}
}

// usesReplaced reports whether a desired index covers a column that is
// dropped and added again: the drop takes the column out of the index.
func (td *tableDiff) usesReplaced(i *schema.Index) bool {
	if td.replaced == nil {
		return false
	}
	for _, p := range i.Parts {
		if td.replaced[p.Column] {
			return true
		}
	}
	return false
}

// indexSame compares a current and a desired index of the table.
func (td *tableDiff) indexSame(a, b *schema.Index) bool {
	return indexEqual(a, b, td.colName) && !td.usesReplaced(b)
}

// stableSet returns, for a sequence of distinct positions, which elements
// belong to one longest increasing subsequence; nil when the whole sequence
// is increasing (nothing moves). O(n log n).
func stableSet(seq []int) []bool {
	increasing := true
	for i := 1; i < len(seq); i++ {
		if seq[i] < seq[i-1] {
			increasing = false
			break
		}
	}
	if increasing {
		return nil
	}
	// tails[l] is the index in seq of the smallest tail of an increasing
	// subsequence of length l+1; prevIdx links back for reconstruction.
	tails := make([]int, 0, len(seq))
	prevIdx := make([]int, len(seq))
	for i, v := range seq {
		lo, hi := 0, len(tails)
		for lo < hi {
			mid := (lo + hi) / 2
			if seq[tails[mid]] < v {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		if lo > 0 {
			prevIdx[i] = tails[lo-1]
		} else {
			prevIdx[i] = -1
		}
		if lo == len(tails) {
			tails = append(tails, i)
		} else {
			tails[lo] = i
		}
	}
	keep := make([]bool, len(seq))
	for i := tails[len(tails)-1]; i >= 0; i = prevIdx[i] {
		keep[i] = true
	}
	return keep
}

// columnKind compares two columns of tables ft and tt.
func columnKind(a, b *schema.Column, ft, tt *schema.Table) schema.ColumnChangeKind {
	var k schema.ColumnChangeKind
	if !a.Type.Equal(b.Type) {
		k |= schema.ChangeType
	}
	if a.Null != b.Null {
		k |= schema.ChangeNull
	}
	if a.Default != b.Default {
		k |= schema.ChangeDefault
	}
	if a.OnUpdate != b.OnUpdate {
		k |= schema.ChangeOnUpdate
	}
	if a.AutoIncrement != b.AutoIncrement || a.Identity != b.Identity || a.IdentityOptions != b.IdentityOptions {
		k |= schema.ChangeAutoIncrement // an identity is PostgreSQL's
	}
	if a.Type.HasCharset() || b.Type.HasCharset() {
		// Compare what the column holds: "" means the table's default,
		// which may itself change (the column keeps its old charset
		// unless converted).
		if orDefault(a.Charset, ft.Options.Charset) != orDefault(b.Charset, tt.Options.Charset) ||
			orDefault(a.Collate, ft.Options.Collate) != orDefault(b.Collate, tt.Options.Collate) {
			k |= schema.ChangeCharset
		}
	} else if a.Charset != b.Charset || a.Collate != b.Collate {
		k |= schema.ChangeCharset
	}
	if a.Comment != b.Comment {
		k |= schema.ChangeComment
	}
	if !generatedEqual(a.Generated, b.Generated) {
		k |= schema.ChangeGenerated
	}
	if a.Invisible != b.Invisible {
		k |= schema.ChangeInvisible
	}
	if a.Check != b.Check {
		k |= schema.ChangeCheck
	}
	return k
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func generatedEqual(a, b *schema.Generated) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// indexEqual compares index definitions (not names); the current index's
// column names are mapped through colName.
func indexEqual(a, b *schema.Index, colName func(string) string) bool {
	if a.Kind != b.Kind || a.Comment != b.Comment || a.Using != b.Using || a.Ignored != b.Ignored ||
		len(a.Parts) != len(b.Parts) || a.Where != b.Where || !slices.Equal(a.Include, b.Include) ||
		a.Constraint != b.Constraint || a.NullsNotDistinct != b.NullsNotDistinct || a.With != b.With || a.Deferrable != b.Deferrable || a.InitiallyDeferred != b.InitiallyDeferred {
		return false
	}
	for i, p := range a.Parts {
		q := b.Parts[i]
		if colName(p.Column) != q.Column || p.Prefix != q.Prefix || p.Desc != q.Desc || p.Expr != q.Expr {
			return false
		}
	}
	return true
}

// indexSignature is a key equal for indexes with equal definitions.
func indexSignature(i *schema.Index, colName func(string) string) string {
	var b strings.Builder
	b.WriteString(string(i.Kind))
	b.WriteByte(0)
	b.WriteString(i.Using)
	b.WriteByte(0)
	b.WriteString(i.Comment)
	if i.Ignored {
		b.WriteString("\x00I")
	}
	// PostgreSQL's: a partial index's predicate, included columns, a
	// constraint rather than an index, deferral.
	if i.Where != "" || len(i.Include) > 0 || i.Constraint || i.Deferrable || i.NullsNotDistinct || i.With != "" {
		b.WriteString("\x00W" + i.Where + "\x00" + strings.Join(i.Include, ","))
		if i.Constraint {
			b.WriteString("\x00C")
		}
		if i.Deferrable {
			b.WriteString("\x00D")
		}
		if i.NullsNotDistinct {
			b.WriteString("\x00N")
		}
		b.WriteString("\x00" + i.With)
		if i.InitiallyDeferred {
			b.WriteString("\x00d")
		}
	}
	for _, p := range i.Parts {
		b.WriteByte(1)
		b.WriteString(colName(p.Column))
		b.WriteByte(0)
		b.WriteString(p.Expr)
		b.WriteByte(0)
		b.WriteString(itoa(p.Prefix))
		if p.Desc {
			b.WriteString("D")
		}
	}
	return b.String()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}

func (td *tableDiff) diffIndexes() {
	from, to := td.from.Indexes, td.to.Indexes
	// Fast path: same names in the same order.
	if len(from) == len(to) {
		same := true
		for i, x := range to {
			if from[i].Name != x.Name {
				same = false
				break
			}
		}
		if same {
			for i, x := range to {
				if !td.indexSame(from[i], x) {
					td.dropIndexes = append(td.dropIndexes, from[i])
					td.addIndexes = append(td.addIndexes, x)
				}
			}
			return
		}
	}
	cur := make(map[string]*schema.Index, len(from))
	for _, x := range from {
		cur[x.Name] = x
	}
	des := make(map[string]bool, len(to))
	for _, x := range to {
		des[x.Name] = true
	}
	used := make(map[string]bool, len(from))
	var unmatched []*schema.Index // desired, in order
	for _, x := range to {
		if c, ok := cur[x.Name]; ok {
			used[x.Name] = true
			if !td.indexSame(c, x) {
				td.dropIndexes = append(td.dropIndexes, c)
				td.addIndexes = append(td.addIndexes, x)
			}
			continue
		}
		if r := x.RenamedFrom; r != "" && !des[r] {
			if c, ok := cur[r]; ok && !used[r] {
				used[r] = true
				if td.indexSame(c, x) {
					td.renameIndexes = append(td.renameIndexes, &schema.RenameIndex{From: r, To: x.Name})
				} else {
					td.dropIndexes = append(td.dropIndexes, c)
					td.addIndexes = append(td.addIndexes, x)
				}
				continue
			}
		}
		unmatched = append(unmatched, x)
	}
	// Same definition under another name: a rename, not drop + add.
	var bySig map[string][]*schema.Index
	for _, x := range from {
		if used[x.Name] || td.usesReplaced(&schema.Index{Parts: mapParts(x.Parts, td.colName)}) {
			continue
		}
		if bySig == nil {
			bySig = map[string][]*schema.Index{}
		}
		s := indexSignature(x, td.colName)
		bySig[s] = append(bySig[s], x)
	}
	for _, x := range unmatched {
		s := indexSignature(x, identity)
		if cs := bySig[s]; len(cs) > 0 {
			bySig[s] = cs[1:]
			used[cs[0].Name] = true
			td.renameIndexes = append(td.renameIndexes, &schema.RenameIndex{From: cs[0].Name, To: x.Name})
			continue
		}
		td.addIndexes = append(td.addIndexes, x)
	}
	var drops []*schema.Index
	for _, x := range from {
		if !used[x.Name] {
			drops = append(drops, x)
		}
	}
	td.dropIndexes = append(drops, td.dropIndexes...)
}

func identity(s string) string { return s }

func mapParts(ps []schema.IndexPart, colName func(string) string) []schema.IndexPart {
	out := make([]schema.IndexPart, len(ps))
	for i, p := range ps {
		p.Column = colName(p.Column)
		out[i] = p
	}
	return out
}

func (td *tableDiff) diffPrimaryKey() {
	a, b := td.from.PrimaryKey, td.to.PrimaryKey
	switch {
	case a == nil && b == nil:
	case a == nil:
		td.addPK = b
	case b == nil:
		td.dropPK = a
	case !td.indexSame(a, b):
		td.dropPK, td.addPK = a, b
	}
}

func (td *tableDiff) diffForeignKeys(d *differ) {
	from, to := td.from.ForeignKeys, td.to.ForeignKeys
	eq := func(a, b *schema.ForeignKey) bool {
		if a.OnUpdate != b.OnUpdate || a.OnDelete != b.OnDelete || d.desName(a.RefTable) != b.RefTable ||
			a.Deferrable != b.Deferrable || a.InitiallyDeferred != b.InitiallyDeferred || a.Match != b.Match ||
			len(a.Columns) != len(b.Columns) || len(a.RefColumns) != len(b.RefColumns) {
			return false
		}
		for i, c := range a.Columns {
			if td.colName(c) != b.Columns[i] {
				return false
			}
		}
		ref := d.diffByCur[a.RefTable]
		for i, c := range a.RefColumns {
			if ref != nil {
				c = ref.colName(c)
			}
			if c != b.RefColumns[i] {
				return false
			}
		}
		// A server may refuse to change the type of a column on either
		// side of a foreign key: such a key is dropped and re-added.
		if !td.rules.RetypeBreaksForeignKeys() {
			return true
		}
		for _, c := range b.Columns {
			if td.retyped[c] {
				return false
			}
		}
		if ref != nil {
			for _, c := range b.RefColumns {
				if ref.retyped[c] {
					return false
				}
			}
		}
		return true
	}
	// A server may rename a renamed table's keys with it: compare them
	// under the name they will have.
	name := func(f *schema.ForeignKey) string { return td.rules.RenamedForeignKey(f.Name, td.from.Name, td.to.Name) }
	changed := func(a, b *schema.ForeignKey) {
		td.dropFKs = append(td.dropFKs, a)
		td.addFKs = append(td.addFKs, b)
		if td.reAddedFKs == nil {
			td.reAddedFKs = map[string]bool{}
		}
		td.reAddedFKs[a.Name] = true
	}
	if len(from) == len(to) {
		same := true
		for i, f := range to {
			if name(from[i]) != f.Name {
				same = false
				break
			}
		}
		if same {
			for i, f := range to {
				if !eq(from[i], f) {
					changed(from[i], f)
				}
			}
			return
		}
	}
	cur := make(map[string]*schema.ForeignKey, len(from))
	for _, f := range from {
		cur[name(f)] = f
	}
	des := make(map[string]bool, len(to))
	for _, f := range to {
		des[f.Name] = true
	}
	// An online schema change tool may have re-created a key under another
	// name (pt-osc: fk → _fk): an otherwise equal key whose name the
	// dialect calls an alias is the same key.
	kept := map[*schema.ForeignKey]bool{}
	alias, _ := td.rules.(dialect.ForeignKeyAliases)
	for _, f := range to {
		if _, ok := cur[f.Name]; ok || alias == nil {
			continue
		}
		for _, c := range from {
			if !kept[c] && !des[name(c)] && alias.ForeignKeyAlias(name(c), f.Name) && eq(c, f) {
				kept[c] = true
				cur[f.Name] = c
				break
			}
		}
	}
	for _, f := range from {
		if !des[name(f)] && !kept[f] {
			td.dropFKs = append(td.dropFKs, f)
		}
	}
	for _, f := range to {
		c, ok := cur[f.Name]
		if ok && kept[c] {
			continue
		}
		switch {
		case !ok:
			td.addFKs = append(td.addFKs, f)
		case !eq(c, f):
			changed(c, f)
		}
	}
}

func (td *tableDiff) diffChecks() {
	from, to := td.from.Checks, td.to.Checks
	if len(from) == 0 && len(to) == 0 {
		return
	}
	cur := make(map[string]*schema.Check, len(from))
	for _, c := range from {
		cur[c.Name] = c
	}
	des := make(map[string]bool, len(to))
	for _, c := range to {
		des[c.Name] = true
	}
	for _, c := range from {
		if !des[c.Name] {
			td.dropChecks = append(td.dropChecks, c)
		}
	}
	for _, c := range to {
		o, ok := cur[c.Name]
		switch {
		case !ok:
			td.addChecks = append(td.addChecks, c)
		case o.Expr != c.Expr || o.NoInherit != c.NoInherit:
			td.dropChecks = append(td.dropChecks, o)
			td.addChecks = append(td.addChecks, c)
		}
	}
}

func optionsEqual(a, b schema.TableOptions) bool {
	return a.Engine == b.Engine && a.Charset == b.Charset && a.Collate == b.Collate &&
		a.Comment == b.Comment && a.RowFormat == b.RowFormat && a.Extra == b.Extra
}

func partitionEqual(a, b *schema.Partition) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Method == b.Method && a.Expr == b.Expr && a.Count == b.Count &&
		a.SubMethod == b.SubMethod && a.SubExpr == b.SubExpr && a.SubCount == b.SubCount &&
		slices.Equal(a.Definitions, b.Definitions)
}

func viewEqual(a, b *schema.View) bool {
	return a.Definition == b.Definition && a.Algorithm == b.Algorithm &&
		a.Security == b.Security && a.CheckOption == b.CheckOption && a.Context == b.Context
}

// triggerEqual compares triggers; a's table name is mapped through renames.
// An Order of 0 means unspecified and matches any order. Timing and event
// keep the spelling they were created with (the server shows it back), so
// they compare without regard to case.
func triggerEqual(a, b *schema.Trigger, tableName func(string) string) bool {
	return tableName(a.Table) == b.Table && strings.EqualFold(a.Timing, b.Timing) && strings.EqualFold(a.Event, b.Event) &&
		slices.Equal(a.Columns, b.Columns) && a.Body == b.Body && (a.Order == b.Order || a.Order == 0 || b.Order == 0) &&
		a.Header == b.Header && a.Context == b.Context
}

// renamedFK is f as it is after the server renames its table from → to.
func (td *tableDiff) renamedFK(f *schema.ForeignKey, from, to string) *schema.ForeignKey {
	if from == to {
		return f
	}
	n := td.rules.RenamedForeignKey(f.Name, from, to)
	if n == f.Name {
		return f
	}
	c := *f
	c.Name = n
	return &c
}
