package config

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/stratadb/strata/schema"
)

// Stored procedures, functions and events: one block each, the body as a
// heredoc without DELIMITER lines.
//
//	procedure "archive" {
//	  parameters  = "IN days INT, OUT moved INT"
//	  data_access = "MODIFIES SQL DATA"
//	  body        = <<-SQL
//	    BEGIN
//	      ...;
//	    END
//	  SQL
//	}
//	event "cleanup" {
//	  every = "1 DAY"
//	  body  = "DELETE FROM sessions WHERE expires < NOW()"
//	}

var (
	routineAttrs = []hcl.AttributeSchema{
		{Name: "parameters"}, {Name: "deterministic"}, {Name: "data_access"},
		{Name: "security"}, {Name: "comment"}, {Name: "body", Required: true}, {Name: "depends_on"},
		{Name: "character_set_client"}, {Name: "collation_connection"}, {Name: "sql_mode"},
	}
	procedureSchema = &hcl.BodySchema{Attributes: routineAttrs}
	functionSchema  = &hcl.BodySchema{Attributes: append(append([]hcl.AttributeSchema(nil), routineAttrs...),
		hcl.AttributeSchema{Name: "returns", Required: true})}
	eventSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
		{Name: "every"}, {Name: "at"}, {Name: "starts"}, {Name: "ends"}, {Name: "preserve"},
		{Name: "status"}, {Name: "comment"}, {Name: "body", Required: true}, {Name: "depends_on"},
		{Name: "character_set_client"}, {Name: "collation_connection"}, {Name: "sql_mode"},
	}}
	dataAccess = []string{"CONTAINS SQL", "NO SQL", "READS SQL DATA", "MODIFIES SQL DATA"}
)

// objectSrc is where a routine or event is declared and what it names.
type objectSrc struct {
	label hcl.Range
	deps  []hcl.Range
}

func (l *loader) routine(b *hcl.Block) (*schema.Routine, *objectSrc) {
	r := &schema.Routine{Name: b.Labels[0], Kind: schema.RoutineProcedure}
	bs := procedureSchema
	if b.Type == "function" {
		r.Kind, bs = schema.RoutineFunction, functionSchema
	}
	src := &objectSrc{label: b.LabelRanges[0]}
	c, d := bodyContent(b.Body, bs)
	l.add(d...)
	a := c.Attributes
	r.Params = l.str(a["parameters"])
	r.Returns = l.str(a["returns"])
	r.Deterministic = l.boolean(a["deterministic"])
	r.DataAccess = l.enum(a["data_access"], dataAccess...)
	r.Security = l.enum(a["security"], "DEFINER", "INVOKER")
	r.Comment = l.str(a["comment"])
	r.Body = l.sqlText(a["body"])
	r.DependsOn, src.deps = l.strList(a["depends_on"])
	r.Context = l.creationContext(a)
	return r, src
}

// object reads an object block: object "KIND" "NAME" { definition = ... }.
func (l *loader) object(b *hcl.Block) (*schema.Object, *objectSrc) {
	o := &schema.Object{Kind: b.Labels[0], Name: b.Labels[1]}
	src := &objectSrc{label: b.LabelRanges[1]}
	c, d := bodyContent(b.Body, objectSchema)
	l.add(d...)
	a := c.Attributes
	o.Definition = l.sqlText(a["definition"])
	o.Comment = l.str(a["comment"])
	o.DependsOn, src.deps = l.strList(a["depends_on"])
	if schema.ObjectRank(o.Kind) == schema.ObjectRank("") {
		l.errorf(b.LabelRanges[0], "Unknown object kind", "%q is not a kind of object Strata manages; use one of %s.", o.Kind, quoteList(schema.ObjectKinds()))
	}
	return o, src
}

func (l *loader) event(b *hcl.Block) (*schema.Event, *objectSrc) {
	e := &schema.Event{Name: b.Labels[0]}
	src := &objectSrc{label: b.LabelRanges[0]}
	c, d := bodyContent(b.Body, eventSchema)
	l.add(d...)
	a := c.Attributes
	e.Every = l.str(a["every"])
	e.At = l.str(a["at"])
	e.Starts = l.str(a["starts"])
	e.Ends = l.str(a["ends"])
	switch {
	case a["every"] != nil && a["at"] != nil:
		l.errorf(a["at"].NameRange, "Conflicting schedule", "Event %q has both every and at; a recurring event takes every (with starts and ends), a one-time event takes at.", e.Name)
	case a["every"] == nil && a["at"] == nil:
		l.errorf(b.LabelRanges[0], "Missing schedule", "Event %q needs every = \"1 DAY\" (recurring) or at = \"2035-01-01 00:00:00\" (one time).", e.Name)
	case a["at"] != nil && (a["starts"] != nil || a["ends"] != nil):
		l.errorf(a["at"].NameRange, "Conflicting schedule", "Event %q runs once at a time: starts and ends belong to recurring events (every).", e.Name)
	}
	e.Preserve = l.boolean(a["preserve"])
	switch l.enum(a["status"], "ENABLE", "DISABLE", "DISABLE ON SLAVE") {
	case "DISABLE":
		e.Status = schema.EventDisabled
	case "DISABLE ON SLAVE":
		e.Status = schema.EventSlavesideDisabled
	default:
		e.Status = schema.EventEnabled
	}
	e.Comment = l.str(a["comment"])
	e.Body = l.sqlText(a["body"])
	e.DependsOn, src.deps = l.strList(a["depends_on"])
	e.Context = l.creationContext(a)
	return e, src
}

func writeRoutine(b *hclwrite.Body, r *schema.Routine) {
	setString(b, "parameters", r.Params)
	setString(b, "returns", r.Returns)
	setBool(b, "deterministic", r.Deterministic)
	if r.DataAccess != "CONTAINS SQL" {
		setString(b, "data_access", r.DataAccess)
	}
	if r.Security != "DEFINER" {
		setString(b, "security", r.Security)
	}
	setString(b, "comment", r.Comment)
	setSQL(b, "body", r.Body, 1)
	setList(b, "depends_on", r.DependsOn)
	writeContext(b, r.Context)
}

func writeObject(b *hclwrite.Body, o *schema.Object) {
	setSQL(b, "definition", o.Definition, 1)
	setString(b, "comment", o.Comment)
	setList(b, "depends_on", o.DependsOn)
}

func writeEvent(b *hclwrite.Body, e *schema.Event) {
	setString(b, "every", e.Every)
	setString(b, "at", e.At)
	setString(b, "starts", e.Starts)
	setString(b, "ends", e.Ends)
	setBool(b, "preserve", e.Preserve)
	switch e.Status {
	case schema.EventDisabled:
		setString(b, "status", "DISABLE")
	case schema.EventSlavesideDisabled:
		setString(b, "status", "DISABLE ON SLAVE")
	}
	setString(b, "comment", e.Comment)
	setSQL(b, "body", e.Body, 1)
	setList(b, "depends_on", e.DependsOn)
	writeContext(b, e.Context)
}
