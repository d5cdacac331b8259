package planner

import (
	"slices"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// edge is a dependency of node `from` on node `to`; tag identifies it for
// the caller (e.g. a foreign key index).
type edge struct {
	from, to, tag int
}

// toposort orders nodes 0..n-1 so that every node comes after the nodes it
// depends on, visiting nodes and edges in the given order (deterministic).
// Edges that close a cycle cannot be honoured and are returned as back.
func toposort(n int, adj [][]edge) (order []int, back []edge) {
	state := make([]uint8, n) // 0 new, 1 on stack, 2 placed
	order = make([]int, 0, n)
	var visit func(i int)
	visit = func(i int) {
		state[i] = 1
		for _, e := range adj[i] {
			switch state[e.to] {
			case 0:
				visit(e.to)
			case 1:
				back = append(back, e)
			}
		}
		state[i] = 2
		order = append(order, i)
	}
	for i := 0; i < n; i++ {
		if state[i] == 0 {
			visit(i)
		}
	}
	return order, back
}

// touchedCols is what an alter does to columns and indexes that a foreign
// key referencing the table could need.
type touchedCols struct {
	indexes bool
	cols    map[string]bool // current and desired names
}

func (td *tableDiff) touched() *touchedCols {
	t := &touchedCols{
		indexes: td.dropPK != nil || td.addPK != nil || len(td.dropIndexes) > 0 || len(td.addIndexes) > 0,
	}
	add := func(n string) {
		if t.cols == nil {
			t.cols = map[string]bool{}
		}
		t.cols[n] = true
	}
	for _, c := range td.dropCols {
		add(c.Name)
	}
	const significant = schema.ChangeType | schema.ChangeNull | schema.ChangeCharset | schema.ChangeGenerated
	for _, ch := range td.colChanges {
		switch ch := ch.(type) {
		case *schema.AddColumn:
			add(ch.C.Name)
		case *schema.ModifyColumn:
			if ch.Kind&significant != 0 {
				add(ch.From.Name)
				add(ch.To.Name)
			}
		}
	}
	return t
}

// touches reports whether the alter may break or be needed by a foreign
// key on the referenced columns cols.
func (t *touchedCols) touches(cols []string) bool {
	if t == nil {
		return false
	}
	if t.indexes {
		return true
	}
	for _, c := range cols {
		if t.cols[c] {
			return true
		}
	}
	return false
}

func (d *differ) order() []schema.Change {
	var out []schema.Change

	diffByDes := make(map[string]*tableDiff, len(d.diffs))
	touched := make(map[*tableDiff]*touchedCols, len(d.diffs))
	for _, td := range d.diffs {
		diffByDes[td.to.Name] = td
		touched[td] = td.touched()
	}
	parentTouches := func(td *tableDiff, cols []string) bool {
		if td == nil {
			return false
		}
		return touched[td].touches(cols)
	}

	// 1. Triggers and views that go or are recreated.
	vt := d.diffViewsTriggers()
	out = append(out, vt.drops...)
	rc := d.diffRoutines()
	out = append(out, rc.drops...)
	oc := d.diffObjects()
	out = append(out, oc.dropsFirst...)

	// 2. Foreign keys that must go before anything else.
	early := map[*schema.ForeignKey]bool{}
	var earlyAlters []schema.Change
	for _, td := range d.diffs {
		var fks []*schema.ForeignKey
		for _, f := range td.dropFKs {
			parent := d.diffByCur[f.RefTable]
			if td.reAddedFKs[f.Name] || d.droppedSet[f.RefTable] ||
				(parent != td && parentTouches(parent, f.RefColumns)) {
				fks = append(fks, f)
				early[f] = true
			}
		}
		if len(fks) > 0 {
			earlyAlters = append(earlyAlters, dropFKsAlter(td.from, fks))
		}
	}
	// Dropped tables: children go before parents; keys that close a cycle
	// among them, or that reference a table whose alter touches the
	// referenced columns, go first.
	dropIdx := make(map[string]int, len(d.dropped))
	for i, t := range d.dropped {
		dropIdx[t.Name] = i
	}
	dropAdj := make([][]edge, len(d.dropped))
	for i, t := range d.dropped {
		for k, f := range t.ForeignKeys {
			if j, ok := dropIdx[f.RefTable]; ok && j != i {
				dropAdj[i] = append(dropAdj[i], edge{i, j, k})
			}
		}
	}
	dropOrder, dropBack := toposort(len(d.dropped), dropAdj)
	earlyDrop := make([][]*schema.ForeignKey, len(d.dropped))
	for _, e := range dropBack {
		earlyDrop[e.from] = append(earlyDrop[e.from], d.dropped[e.from].ForeignKeys[e.tag])
	}
	for i, t := range d.dropped {
		for _, f := range t.ForeignKeys {
			if _, ok := dropIdx[f.RefTable]; !ok && parentTouches(d.diffByCur[f.RefTable], f.RefColumns) {
				earlyDrop[i] = append(earlyDrop[i], f)
			}
		}
		if len(earlyDrop[i]) > 0 {
			earlyAlters = append(earlyAlters, dropFKsAlter(t, earlyDrop[i]))
		}
	}
	out = append(out, earlyAlters...)

	// Objects that tables use (schemas, types, sequences, functions).
	out = append(out, oc.createsBefore...)

	// 3. Table renames.
	for _, p := range d.pairs {
		if p.from.Name != p.to.Name {
			out = append(out, &schema.RenameTable{From: p.from.Name, To: p.to.Name, T: p.from})
		}
	}

	// 4. New tables, referenced first. A key that closes a cycle, or whose
	// referenced table is still to be altered in a way the key needs, is
	// added at the end.
	type deferredFK struct {
		table *schema.Table // desired table
		fks   []*schema.ForeignKey
		from  *schema.Table // the table as it is before the deferred keys
	}
	var deferred []*deferredFK
	addIdx := make(map[string]int, len(d.added))
	for i, t := range d.added {
		addIdx[t.Name] = i
	}
	addAdj := make([][]edge, len(d.added))
	for i, t := range d.added {
		for k, f := range t.ForeignKeys {
			if j, ok := addIdx[f.RefTable]; ok && j != i {
				addAdj[i] = append(addAdj[i], edge{i, j, k})
			}
		}
	}
	addOrder, addBack := toposort(len(d.added), addAdj)
	deferAdd := make([]map[int]bool, len(d.added))
	for _, e := range addBack {
		if deferAdd[e.from] == nil {
			deferAdd[e.from] = map[int]bool{}
		}
		deferAdd[e.from][e.tag] = true
	}
	for i, t := range d.added {
		for k, f := range t.ForeignKeys {
			if parentTouches(diffByDes[f.RefTable], f.RefColumns) {
				if deferAdd[i] == nil {
					deferAdd[i] = map[int]bool{}
				}
				deferAdd[i][k] = true
			}
		}
	}
	for _, i := range addOrder {
		t := d.added[i]
		if len(deferAdd[i]) == 0 {
			out = append(out, &schema.AddTable{T: t})
			continue
		}
		c := *t
		c.ForeignKeys = nil
		df := &deferredFK{table: t}
		for k, f := range t.ForeignKeys {
			if deferAdd[i][k] {
				df.fks = append(df.fks, f)
			} else {
				c.ForeignKeys = append(c.ForeignKeys, f)
			}
		}
		df.from = &c
		deferred = append(deferred, df)
		out = append(out, &schema.AddTable{T: &c})
	}

	// 5. Changed tables, referenced first.
	altIdx := make(map[string]int, len(d.diffs))
	for i, td := range d.diffs {
		altIdx[td.to.Name] = i
	}
	altAdj := make([][]edge, len(d.diffs))
	for i, td := range d.diffs {
		for k, f := range td.to.ForeignKeys {
			if j, ok := altIdx[f.RefTable]; ok && j != i {
				altAdj[i] = append(altAdj[i], edge{i, j, k})
			}
		}
	}
	altOrder, altBack := toposort(len(d.diffs), altAdj)
	deferAlt := map[*schema.ForeignKey]bool{}
	for _, e := range altBack {
		f := d.diffs[e.from].to.ForeignKeys[e.tag]
		if parentTouches(d.diffs[e.to], f.RefColumns) {
			deferAlt[f] = true
		}
	}
	for _, i := range altOrder {
		td := d.diffs[i]
		from := td.from
		if len(early) > 0 || from.Name != td.to.Name {
			c := *from
			c.Name = td.to.Name
			c.ForeignKeys = nil
			for _, f := range from.ForeignKeys {
				if !early[f] {
					c.ForeignKeys = append(c.ForeignKeys, td.renamedFK(f, from.Name, td.to.Name))
				}
			}
			from = &c
		}
		to := td.to
		var df *deferredFK
		for _, f := range td.addFKs {
			if deferAlt[f] {
				if df == nil {
					df = &deferredFK{table: td.to}
				}
				df.fks = append(df.fks, f)
			}
		}
		if df != nil {
			c := *to
			c.ForeignKeys = nil
			for _, f := range to.ForeignKeys {
				if !deferAlt[f] {
					c.ForeignKeys = append(c.ForeignKeys, f)
				}
			}
			to = &c
			df.from = to
			deferred = append(deferred, df)
		}
		if ch := td.clauses(early, deferAlt); len(ch) > 0 {
			out = append(out, &schema.AlterTable{From: from, To: to, Changes: ch})
		}
	}

	// 6. Dropped tables, children first.
	for k := len(dropOrder) - 1; k >= 0; k-- {
		i := dropOrder[k]
		t := d.dropped[i]
		if len(earlyDrop[i]) > 0 {
			c := *t
			c.ForeignKeys = removeFKs(t.ForeignKeys, earlyDrop[i])
			t = &c
		}
		out = append(out, &schema.DropTable{T: t})
	}

	// Objects that dropped tables used.
	out = append(out, oc.dropsAfter...)

	// 7. Deferred foreign keys.
	for _, df := range deferred {
		ch := make([]schema.TableChange, len(df.fks))
		for i, f := range df.fks {
			ch[i] = &schema.AddForeignKey{F: f}
		}
		out = append(out, &schema.AlterTable{From: df.from, To: df.table, Changes: ch})
	}

	// 8. New and changed views, then triggers.
	out = append(out, vt.creates...)
	// 9. New and changed routines and events, after what they read.
	out = append(out, rc.creates...)
	// 10. Objects that hang off tables and views (triggers, policies).
	out = append(out, oc.createsLast...)
	return out
}

func dropFKsAlter(t *schema.Table, fks []*schema.ForeignKey) *schema.AlterTable {
	c := *t
	c.ForeignKeys = removeFKs(t.ForeignKeys, fks)
	ch := make([]schema.TableChange, len(fks))
	for i, f := range fks {
		ch[i] = &schema.DropForeignKey{F: f}
	}
	return &schema.AlterTable{From: t, To: &c, Changes: ch}
}

func removeFKs(all, remove []*schema.ForeignKey) []*schema.ForeignKey {
	var out []*schema.ForeignKey
	for _, f := range all {
		if !slices.Contains(remove, f) {
			out = append(out, f)
		}
	}
	return out
}

// clauses returns the ALTER TABLE clauses of a table diff, leaving out the
// foreign key drops done early and the adds deferred. Drops come before
// adds, so that a name can be reused within the statement; column clauses
// keep desired column order so that every AFTER names a column already in
// place.
func (td *tableDiff) clauses(early, deferred map[*schema.ForeignKey]bool) []schema.TableChange {
	var ch []schema.TableChange
	for _, f := range td.dropFKs {
		if !early[f] {
			// Runs after a rename of the table, under the key's new name.
			ch = append(ch, &schema.DropForeignKey{F: td.renamedFK(f, td.from.Name, td.to.Name)})
		}
	}
	for _, c := range td.dropChecks {
		ch = append(ch, &schema.DropCheck{C: c})
	}
	if td.dropPK != nil {
		ch = append(ch, &schema.DropPrimaryKey{I: td.dropPK})
	}
	for _, x := range td.dropIndexes {
		ch = append(ch, &schema.DropIndex{I: x})
	}
	for _, c := range td.dropCols {
		ch = append(ch, &schema.DropColumn{C: c})
	}
	ch = append(ch, td.colChanges...)
	for _, r := range td.renameIndexes {
		ch = append(ch, r)
	}
	if td.addPK != nil {
		ch = append(ch, &schema.AddPrimaryKey{I: td.addPK})
	}
	for _, x := range td.addIndexes {
		ch = append(ch, &schema.AddIndex{I: x})
	}
	for _, c := range td.addChecks {
		ch = append(ch, &schema.AddCheck{C: c})
	}
	for _, f := range td.addFKs {
		if !deferred[f] {
			ch = append(ch, &schema.AddForeignKey{F: f})
		}
	}
	if td.options != nil {
		ch = append(ch, td.options)
	}
	if td.partition != nil {
		ch = append(ch, td.partition)
	}
	return ch
}

// viewTriggerChanges are the view and trigger changes of the first and
// last phase.
type viewTriggerChanges struct {
	drops   []schema.Change // DropTrigger, then DropView (dependents first)
	creates []schema.Change // AddView/ModifyView (dependencies first), then AddTrigger
}

func (d *differ) diffViewsTriggers() viewTriggerChanges {
	var vt viewTriggerChanges
	// Triggers.
	curTrig := make(map[string]*schema.Trigger, len(d.cur.Triggers))
	for _, t := range d.cur.Triggers {
		curTrig[t.Name] = t
	}
	desTrig := make(map[string]*schema.Trigger, len(d.des.Triggers))
	for _, t := range d.des.Triggers {
		desTrig[t.Name] = t
	}
	var addTrig []schema.Change
	for _, t := range d.cur.Triggers {
		if n, ok := desTrig[t.Name]; !ok || !triggerEqual(t, n, d.desName) {
			vt.drops = append(vt.drops, &schema.DropTrigger{T: t})
		}
	}
	for _, t := range d.des.Triggers {
		if c, ok := curTrig[t.Name]; !ok || !triggerEqual(c, t, d.desName) {
			addTrig = append(addTrig, &schema.AddTrigger{T: t})
		}
	}
	if len(d.cur.Views) == 0 && len(d.des.Views) == 0 {
		vt.creates = addTrig
		return vt
	}

	// Views. Names a changed view may depend on, whose change can break it.
	touched := map[string]bool{}
	for _, t := range d.dropped {
		touched[t.Name] = true
	}
	for _, p := range d.pairs {
		if p.from.Name != p.to.Name {
			touched[p.from.Name] = true
			touched[p.to.Name] = true
		}
	}
	for _, td := range d.diffs {
		touched[td.from.Name] = true
		touched[td.to.Name] = true
	}
	curIdx := make(map[string]int, len(d.cur.Views))
	for i, v := range d.cur.Views {
		curIdx[v.Name] = i
	}
	desIdx := make(map[string]int, len(d.des.Views))
	for i, v := range d.des.Views {
		desIdx[v.Name] = i
	}
	curDeps := make([][]string, len(d.cur.Views))
	curAdj := make([][]edge, len(d.cur.Views))
	for i, v := range d.cur.Views {
		curDeps[i] = d.rules.ViewDependencies(v)
		for _, n := range curDeps[i] {
			if j, ok := curIdx[n]; ok && j != i {
				curAdj[i] = append(curAdj[i], edge{i, j, 0})
			}
		}
	}
	curOrder, _ := toposort(len(d.cur.Views), curAdj)
	gone := map[string]bool{} // views dropped in phase 1
	modified := map[string]bool{}
	for _, i := range curOrder {
		v := d.cur.Views[i]
		j, ok := desIdx[v.Name]
		if !ok {
			gone[v.Name] = true
			continue
		}
		n := d.des.Views[j]
		if viewEqual(v, n) {
			continue
		}
		recreate := false
		for _, deps := range [][]string{curDeps[i], d.rules.ViewDependencies(n)} {
			for _, dep := range deps {
				if touched[dep] || gone[dep] {
					recreate = true
					break
				}
			}
		}
		if recreate {
			gone[v.Name] = true
		} else {
			modified[v.Name] = true
			if vr, ok := d.rules.(dialect.ViewReplacer); ok && vr.ReplacesViews() {
				touched[v.Name] = true // its dependents are recreated with it
			}
		}
	}
	for k := len(curOrder) - 1; k >= 0; k-- {
		v := d.cur.Views[curOrder[k]]
		if gone[v.Name] {
			vt.drops = append(vt.drops, &schema.DropView{V: v})
		}
	}
	desAdj := make([][]edge, len(d.des.Views))
	for i, v := range d.des.Views {
		for _, n := range d.rules.ViewDependencies(v) {
			if j, ok := desIdx[n]; ok && j != i {
				desAdj[i] = append(desAdj[i], edge{i, j, 0})
			}
		}
	}
	desOrder, _ := toposort(len(d.des.Views), desAdj)
	for _, i := range desOrder {
		v := d.des.Views[i]
		c, exists := curIdx[v.Name]
		switch {
		case !exists || gone[v.Name]:
			vt.creates = append(vt.creates, &schema.AddView{V: v})
		case modified[v.Name]:
			vt.creates = append(vt.creates, &schema.ModifyView{From: d.cur.Views[c], To: v})
		}
	}
	vt.creates = append(vt.creates, addTrig...)
	return vt
}
