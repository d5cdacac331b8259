package planner

import (
	"slices"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// objectChanges are the changes of dialect-specific objects (schema.Object)
// in their four places in a plan: drops of those that hang off tables go
// first, creates of those that tables use before the tables, drops of those
// after the tables that used them are gone, and creates of those that hang
// off tables and views last.
type objectChanges struct {
	dropsFirst, createsBefore, dropsAfter, createsLast []schema.Change
}

// diffObjects compares objects by kind and name. Creates go in kind order
// (schema.ObjectRank), then in the order the desired schema lists them
// (dependencies first, as dialects list them); drops in the reverse.
func (d *differ) diffObjects() objectChanges {
	var oc objectChanges
	if len(d.cur.Objects)+len(d.des.Objects) == 0 {
		return oc
	}
	des := make(map[string]*schema.Object, len(d.des.Objects))
	for _, o := range d.des.Objects {
		des[o.Key()] = o
	}
	cur := make(map[string]*schema.Object, len(d.cur.Objects))
	var drops []*schema.Object
	for _, o := range d.cur.Objects {
		cur[o.Key()] = o
		if _, ok := des[o.Key()]; !ok {
			drops = append(drops, o)
		}
	}
	var creates []schema.Change
	for _, o := range d.des.Objects {
		c, ok := cur[o.Key()]
		switch {
		case !ok:
			creates = append(creates, &schema.AddObject{O: o})
		case !d.sameObject(c, o):
			creates = append(creates, &schema.ModifyObject{From: c, To: o})
		}
	}
	rank := func(c schema.Change) int {
		switch c := c.(type) {
		case *schema.AddObject:
			return schema.ObjectRank(c.O.Kind)
		case *schema.ModifyObject:
			return schema.ObjectRank(c.To.Kind)
		}
		return 0
	}
	slices.SortStableFunc(creates, func(a, b schema.Change) int { return rank(a) - rank(b) })
	creates = dependenciesFirst(creates)
	for _, c := range creates {
		kind := ""
		switch c := c.(type) {
		case *schema.AddObject:
			kind = c.O.Kind
		case *schema.ModifyObject:
			kind = c.To.Kind
		}
		if schema.BeforeTables(kind) {
			oc.createsBefore = append(oc.createsBefore, c)
		} else {
			oc.createsLast = append(oc.createsLast, c)
		}
	}
	slices.SortStableFunc(drops, func(a, b *schema.Object) int {
		return schema.ObjectRank(b.Kind) - schema.ObjectRank(a.Kind)
	})
	for _, o := range reverseWithinKind(drops) {
		if schema.BeforeTables(o.Kind) {
			oc.dropsAfter = append(oc.dropsAfter, &schema.DropObject{O: o})
		} else {
			oc.dropsFirst = append(oc.dropsFirst, &schema.DropObject{O: o})
		}
	}
	return oc
}

// dependenciesFirst reorders object creates so that each comes after the
// created objects its DependsOn names ("kind name"), keeping the order
// otherwise; a cycle keeps its order.
func dependenciesFirst(cs []schema.Change) []schema.Change {
	obj := func(c schema.Change) *schema.Object {
		switch c := c.(type) {
		case *schema.AddObject:
			return c.O
		case *schema.ModifyObject:
			return c.To
		}
		return nil
	}
	pending := map[string]bool{}
	for _, c := range cs {
		pending[obj(c).Key()] = true
	}
	out := make([]schema.Change, 0, len(cs))
	done := make([]bool, len(cs))
	for len(out) < len(cs) {
		progress := false
		for i, c := range cs {
			if done[i] {
				continue
			}
			ready := true
			for _, dep := range obj(c).DependsOn {
				if pending[dep] && dep != obj(c).Key() {
					ready = false
					break
				}
			}
			if !ready {
				continue
			}
			out = append(out, c)
			done[i], progress = true, true
			delete(pending, obj(c).Key())
			break // take the earliest ready one each time
		}
		if !progress {
			for i, c := range cs {
				if !done[i] {
					out = append(out, c)
					done[i] = true
					delete(pending, obj(c).Key())
					break
				}
			}
		}
	}
	return out
}

// reverseWithinKind reverses the listing order of objects of the same kind
// (dependents are listed after what they depend on, so they go first),
// keeping the kinds' order.
func reverseWithinKind(os []*schema.Object) []*schema.Object {
	out := make([]*schema.Object, 0, len(os))
	for i := 0; i < len(os); {
		j := i
		for j < len(os) && os[j].Kind == os[i].Kind {
			j++
		}
		for k := j - 1; k >= i; k-- {
			out = append(out, os[k])
		}
		i = j
	}
	return out
}

// sameObject is the dialect's ObjectComparer, else ObjectEqual.
func (d *differ) sameObject(a, b *schema.Object) bool {
	if oc, ok := d.rules.(dialect.ObjectComparer); ok {
		return a.Kind == b.Kind && a.Name == b.Name && a.Comment == b.Comment && oc.SameObject(a, b)
	}
	return ObjectEqual(a, b)
}

// ObjectEqual compares two objects of the same kind and name, DependsOn
// aside.
func ObjectEqual(a, b *schema.Object) bool {
	return a.Kind == b.Kind && a.Name == b.Name && strings.TrimSpace(a.Definition) == strings.TrimSpace(b.Definition) && a.Comment == b.Comment
}
