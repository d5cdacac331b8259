// Package render draws a plan for people and programs: Terraform-style
// text, plain SQL, a versioned JSON document and a Markdown pull-request
// comment. It only formats; the plan's content comes from the planner.
package render

import (
	"strconv"
	"strings"

	"github.com/stratadb/strata/planner"
	"github.com/stratadb/strata/schema"
)

// Detail is one part of a change: a column, index, key, check or option
// added, dropped, modified or renamed. From and To are definitions (or old
// and new names for a rename); Summary is the short human form of a
// modification.
type Detail struct {
	Action     string `json:"action"` // add, drop, modify, rename
	ObjectType string `json:"object_type"`
	Name       string `json:"name,omitempty"`
	From       string `json:"from,omitempty"`
	To         string `json:"to,omitempty"`
	Summary    string `json:"-"`
}

// Detail actions.
const (
	detailAdd    = "add"
	detailDrop   = "drop"
	detailModify = "modify"
	detailRename = "rename"
)

// stepAction is the JSON action of one step: create, update, delete or
// rename.
func stepAction(c schema.Change) string {
	if _, ok := c.(*schema.RenameTable); ok {
		return "rename"
	}
	return string(planner.ActionOf(c))
}

// details lists what a change does, in the order of its clauses.
func details(c schema.Change) []Detail {
	switch c := c.(type) {
	case *schema.AddTable:
		return tableDetails(c.T, detailAdd)
	case *schema.DropTable:
		return nil
	case *schema.RenameTable:
		return []Detail{{Action: detailRename, ObjectType: "table", Name: c.To, From: c.From, To: c.To,
			Summary: quoteName(c.From) + " → " + quoteName(c.To)}}
	case *schema.AlterTable:
		var ds []Detail
		for _, tc := range c.Changes {
			ds = append(ds, clauseDetails(c, tc)...)
		}
		return ds
	case *schema.AddView:
		return viewDetails(c.V, detailAdd)
	case *schema.DropView:
		return nil
	case *schema.ModifyView:
		return viewChangeDetails(c.From, c.To)
	case *schema.AddTrigger:
		ds := []Detail{
			{Action: detailAdd, ObjectType: "timing", To: triggerTiming(c.T)},
			{Action: detailAdd, ObjectType: "body", To: c.T.Body},
		}
		if !c.T.Context.IsZero() {
			ds = append(ds, Detail{Action: detailAdd, ObjectType: "context", To: formatContext(c.T.Context)})
		}
		return ds
	case *schema.DropTrigger:
		return nil
	case *schema.AddRoutine:
		return routineDetails(&schema.Routine{DataAccess: "CONTAINS SQL", Security: "DEFINER"}, c.R)
	case *schema.ModifyRoutine:
		return routineDetails(c.From, c.To)
	case *schema.AddEvent:
		return eventDetails(&schema.Event{Status: schema.EventEnabled}, c.E)
	case *schema.ModifyEvent:
		return eventDetails(c.From, c.To)
	case *schema.AddObject:
		return []Detail{{Action: detailAdd, ObjectType: "definition", To: c.O.Definition}}
	case *schema.ModifyObject:
		return []Detail{{Action: detailModify, ObjectType: "definition", From: c.From.Definition, To: c.To.Definition,
			Summary: changedText(c.From.Definition, c.To.Definition)}}
	}
	return nil
}

// objectDetails lists what the plan does to one object across its steps.
// A destroyed object needs no details (its early foreign key drops
// included); a replaced view or trigger shows what differs.
func objectDetails(obj *planner.Object) []Detail {
	if obj.Action == planner.ActionDelete {
		return nil
	}
	var dropV, addV *schema.View
	var dropT, addT *schema.Trigger
	for _, s := range obj.Steps {
		switch c := s.Change.(type) {
		case *schema.DropView:
			dropV = c.V
		case *schema.AddView:
			addV = c.V
		case *schema.DropTrigger:
			dropT = c.T
		case *schema.AddTrigger:
			addT = c.T
		}
	}
	switch {
	case dropV != nil && addV != nil:
		return viewChangeDetails(dropV, addV)
	case dropT != nil && addT != nil:
		return triggerChangeDetails(dropT, addT)
	}
	var ds []Detail
	for _, s := range obj.Steps {
		for _, d := range details(s.Change) {
			if d.Action == detailRename && d.ObjectType == "table" {
				continue // the header tells
			}
			ds = append(ds, d)
		}
	}
	return ds
}

// changedText shows a changed text as "old → new", the new text on a line
// of its own when either spans lines.
func changedText(from, to string) string {
	if strings.Contains(from, "\n") || strings.Contains(to, "\n") {
		return from + "\n→ " + to
	}
	return from + " → " + to
}

// viewChangeDetails: a changed definition as the old and the new text,
// other attributes as modifications.
func viewChangeDetails(a, b *schema.View) []Detail {
	var ds []Detail
	if a.Definition != b.Definition {
		ds = append(ds,
			Detail{Action: detailDrop, ObjectType: "definition", From: a.Definition},
			Detail{Action: detailAdd, ObjectType: "definition", To: b.Definition})
	}
	mod := func(name, x, y string) {
		if x != y {
			ds = append(ds, Detail{Action: detailModify, ObjectType: name, From: x, To: y, Summary: x + " → " + y})
		}
	}
	mod("algorithm", a.Algorithm, b.Algorithm)
	mod("security", a.Security, b.Security)
	mod("check_option", a.CheckOption, b.CheckOption)
	mod("context", formatContext(a.Context), formatContext(b.Context))
	return ds
}

// formatContext shows a creation context: the fields that are not the
// server's default, or "default".
func formatContext(c schema.CreationContext) string {
	var parts []string
	for _, f := range []struct{ name, value string }{
		{"character_set_client", c.CharsetClient}, {"collation_connection", c.CollationConnection}, {"sql_mode", c.SQLMode},
	} {
		if f.value == schema.SQLModeEmpty {
			f.value = "''"
		}
		if f.value != "" {
			parts = append(parts, f.name+"="+f.value)
		}
	}
	if len(parts) == 0 {
		return "default"
	}
	return strings.Join(parts, " ")
}

func triggerChangeDetails(a, b *schema.Trigger) []Detail {
	var ds []Detail
	if x, y := triggerTiming(a), triggerTiming(b); x != y {
		ds = append(ds, Detail{Action: detailModify, ObjectType: "timing", From: x, To: y, Summary: x + " → " + y})
	}
	if a.Body != b.Body {
		ds = append(ds,
			Detail{Action: detailDrop, ObjectType: "body", From: a.Body},
			Detail{Action: detailAdd, ObjectType: "body", To: b.Body})
	}
	if a.Order != b.Order && a.Order != 0 && b.Order != 0 {
		ds = append(ds, Detail{Action: detailModify, ObjectType: "order", From: strconv.Itoa(a.Order), To: strconv.Itoa(b.Order),
			Summary: strconv.Itoa(a.Order) + " → " + strconv.Itoa(b.Order)})
	}
	if a.Header != b.Header {
		x, y := strconv.Quote(a.Header), strconv.Quote(b.Header)
		ds = append(ds, Detail{Action: detailModify, ObjectType: "header", From: x, To: y, Summary: x + " → " + y})
	}
	if x, y := formatContext(a.Context), formatContext(b.Context); x != y {
		ds = append(ds, Detail{Action: detailModify, ObjectType: "context", From: x, To: y, Summary: x + " → " + y})
	}
	return ds
}

func triggerTiming(t *schema.Trigger) string {
	ev := t.Event
	if len(t.Columns) > 0 {
		ev += " OF " + strings.Join(t.Columns, ", ")
	}
	return t.Timing + " " + ev + " ON " + t.Table
}

func viewDetails(v *schema.View, action string) []Detail {
	ds := []Detail{{Action: action, ObjectType: "definition", To: v.Definition}}
	if v.Algorithm != "" && v.Algorithm != "UNDEFINED" {
		ds = append(ds, Detail{Action: action, ObjectType: "algorithm", To: v.Algorithm})
	}
	if v.Security != "" && v.Security != "DEFINER" {
		ds = append(ds, Detail{Action: action, ObjectType: "security", To: v.Security})
	}
	if v.CheckOption != "" && v.CheckOption != "NONE" {
		ds = append(ds, Detail{Action: action, ObjectType: "check_option", To: v.CheckOption})
	}
	if !v.Context.IsZero() {
		ds = append(ds, Detail{Action: action, ObjectType: "context", To: formatContext(v.Context)})
	}
	return ds
}

func tableDetails(t *schema.Table, action string) []Detail {
	var ds []Detail
	for _, c := range t.Columns {
		ds = append(ds, Detail{Action: action, ObjectType: "column", Name: c.Name, To: planner.FormatColumn(c)})
	}
	if t.PrimaryKey != nil {
		ds = append(ds, Detail{Action: action, ObjectType: "primary_key", To: planner.FormatIndex(t.PrimaryKey)})
	}
	for _, i := range t.Indexes {
		ds = append(ds, Detail{Action: action, ObjectType: "index", Name: i.Name, To: planner.FormatIndex(i)})
	}
	for _, f := range t.ForeignKeys {
		ds = append(ds, Detail{Action: action, ObjectType: "foreign_key", Name: f.Name, To: planner.FormatForeignKey(f)})
	}
	for _, c := range t.Checks {
		ds = append(ds, Detail{Action: action, ObjectType: "check", Name: c.Name, To: "(" + c.Expr + ")"})
	}
	if t.Partition != nil {
		ds = append(ds, Detail{Action: action, ObjectType: "partitioning", To: planner.FormatPartition(t.Partition)})
	}
	// Engine and charset are always set; show the options people declare.
	for _, o := range []struct{ name, value string }{
		{"comment", quoteText(t.Options.Comment)}, {"row_format", t.Options.RowFormat}, {"options", t.Options.Extra},
	} {
		if o.value != "" {
			ds = append(ds, Detail{Action: action, ObjectType: "option", Name: o.name, To: o.value})
		}
	}
	return ds
}

func clauseDetails(at *schema.AlterTable, tc schema.TableChange) []Detail {
	switch c := tc.(type) {
	case *schema.AddColumn:
		return []Detail{{Action: detailAdd, ObjectType: "column", Name: c.C.Name, To: planner.FormatColumn(c.C)}}
	case *schema.DropColumn:
		return []Detail{{Action: detailDrop, ObjectType: "column", Name: c.C.Name, From: planner.FormatColumn(c.C)}}
	case *schema.ModifyColumn:
		return []Detail{{Action: detailModify, ObjectType: "column", Name: c.To.Name,
			From: planner.FormatColumn(c.From), To: planner.FormatColumn(c.To), Summary: columnSummary(at, c)}}
	case *schema.RenameColumn:
		return []Detail{{Action: detailRename, ObjectType: "column", Name: c.To, From: c.From, To: c.To,
			Summary: "renamed from " + quoteName(c.From)}}
	case *schema.AddIndex:
		return []Detail{{Action: detailAdd, ObjectType: "index", Name: c.I.Name, To: planner.FormatIndex(c.I)}}
	case *schema.DropIndex:
		return []Detail{{Action: detailDrop, ObjectType: "index", Name: c.I.Name, From: planner.FormatIndex(c.I)}}
	case *schema.RenameIndex:
		return []Detail{{Action: detailRename, ObjectType: "index", Name: c.To, From: c.From, To: c.To,
			Summary: "renamed from " + quoteName(c.From)}}
	case *schema.AddPrimaryKey:
		return []Detail{{Action: detailAdd, ObjectType: "primary_key", To: planner.FormatIndex(c.I)}}
	case *schema.DropPrimaryKey:
		return []Detail{{Action: detailDrop, ObjectType: "primary_key", From: planner.FormatIndex(c.I)}}
	case *schema.AddForeignKey:
		return []Detail{{Action: detailAdd, ObjectType: "foreign_key", Name: c.F.Name, To: planner.FormatForeignKey(c.F)}}
	case *schema.DropForeignKey:
		return []Detail{{Action: detailDrop, ObjectType: "foreign_key", Name: c.F.Name, From: planner.FormatForeignKey(c.F)}}
	case *schema.AddCheck:
		return []Detail{{Action: detailAdd, ObjectType: "check", Name: c.C.Name, To: "(" + c.C.Expr + ")"}}
	case *schema.DropCheck:
		return []Detail{{Action: detailDrop, ObjectType: "check", Name: c.C.Name, From: "(" + c.C.Expr + ")"}}
	case *schema.ModifyOptions:
		var ds []Detail
		for _, o := range planner.FormatOptions(c.From, c.To) {
			name, rest, _ := strings.Cut(o, " ")
			from, to, _ := strings.Cut(rest, " → ")
			ds = append(ds, Detail{Action: detailModify, ObjectType: "option", Name: name, From: from, To: to, Summary: rest})
		}
		return ds
	case *schema.ModifyPartition:
		a, b := planner.FormatPartition(c.From), planner.FormatPartition(c.To)
		return []Detail{{Action: detailModify, ObjectType: "partitioning", From: a, To: b, Summary: a + " → " + b}}
	}
	return nil
}

// columnSummary says what changes about a column, briefly:
// "varchar(100) → varchar(191), NULL → NOT NULL".
func columnSummary(at *schema.AlterTable, c *schema.ModifyColumn) string {
	a, b := c.From, c.To
	var parts []string
	if a.Name != b.Name {
		parts = append(parts, "renamed from "+quoteName(a.Name))
	}
	if c.Kind.Is(schema.ChangeType) {
		parts = append(parts, planner.FormatType(a.Type)+" → "+planner.FormatType(b.Type))
	}
	if c.Kind.Is(schema.ChangeNull) {
		parts = append(parts, nullWord(a.Null)+" → "+nullWord(b.Null))
	}
	if da, db := defaultText(a), defaultText(b); c.Kind.Is(schema.ChangeDefault) && da != db {
		// NULL → NOT NULL drops the implicit DEFAULT NULL: not worth a word.
		parts = append(parts, "default "+orNone(da)+" → "+orNone(db))
	}
	if c.Kind.Is(schema.ChangeOnUpdate) {
		parts = append(parts, "on update "+orNone(a.OnUpdate)+" → "+orNone(b.OnUpdate))
	}
	if c.Kind.Is(schema.ChangeAutoIncrement) {
		if b.AutoIncrement {
			parts = append(parts, "auto_increment added")
		} else {
			parts = append(parts, "auto_increment removed")
		}
	}
	if c.Kind.Is(schema.ChangeCharset) {
		// Compare what the column holds, its table's default when not
		// explicit.
		ca, cb := orDefault(a.Charset, at.From.Options.Charset), orDefault(b.Charset, at.To.Options.Charset)
		la, lb := orDefault(a.Collate, at.From.Options.Collate), orDefault(b.Collate, at.To.Options.Collate)
		if ca != cb {
			parts = append(parts, "charset "+orNone(ca)+" → "+orNone(cb))
		}
		if la != lb {
			parts = append(parts, "collation "+orNone(la)+" → "+orNone(lb))
		}
	}
	if c.Kind.Is(schema.ChangeComment) {
		parts = append(parts, "comment "+orNone(quoteText(a.Comment))+" → "+orNone(quoteText(b.Comment)))
	}
	if c.Kind.Is(schema.ChangeGenerated) {
		parts = append(parts, "generated "+generatedText(a.Generated)+" → "+generatedText(b.Generated))
	}
	if c.Kind.Is(schema.ChangeInvisible) {
		if b.Invisible {
			parts = append(parts, "now invisible")
		} else {
			parts = append(parts, "now visible")
		}
	}
	if c.Kind.Is(schema.ChangeCheck) {
		parts = append(parts, "check "+orNone(a.Check)+" → "+orNone(b.Check))
	}
	if c.Kind.Is(schema.ChangePosition) {
		switch {
		case c.Position.After != "":
			parts = append(parts, "moved after "+quoteName(c.Position.After))
		case c.Position.First:
			parts = append(parts, "moved first")
		default:
			parts = append(parts, "moved")
		}
	}
	return strings.Join(parts, ", ")
}

func nullWord(null bool) string {
	if null {
		return "NULL"
	}
	return "NOT NULL"
}

func defaultText(c *schema.Column) string {
	if c.Null && c.Default == "NULL" {
		return ""
	}
	return c.Default
}

func generatedText(g *schema.Generated) string {
	if g == nil {
		return "(none)"
	}
	if g.Stored {
		return "(" + g.Expr + ") STORED"
	}
	return "(" + g.Expr + ") VIRTUAL"
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func quoteText(s string) string {
	if s == "" {
		return ""
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func quoteName(s string) string { return `"` + s + `"` }

// objectWord is the label of a detail's object type in text.
func objectWord(t string) string {
	return strings.ReplaceAll(t, "_", " ")
}
