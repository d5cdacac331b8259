package render

import (
	"strconv"

	"github.com/stratadb/strata/schema"
)

// routineDetails lists what differs from a to b (a is a blank routine
// for a new one): attributes as modifications, a changed body as the old
// and the new text.
func routineDetails(a, b *schema.Routine) []Detail {
	var ds []Detail
	attr := attrDetails(&ds, a.Name == "")
	attr("parameters", a.Params, b.Params)
	attr("returns", a.Returns, b.Returns)
	attr("deterministic", boolText(a.Deterministic), boolText(b.Deterministic))
	attr("data_access", a.DataAccess, b.DataAccess)
	attr("security", a.Security, b.Security)
	attr("comment", a.Comment, b.Comment)
	ds = append(ds, bodyDetails(a.Body, b.Body)...)
	return ds
}

// eventDetails is routineDetails for events.
func eventDetails(a, b *schema.Event) []Detail {
	var ds []Detail
	attr := attrDetails(&ds, a.Name == "")
	attr("every", a.Every, b.Every)
	attr("at", a.At, b.At)
	if b.Starts != "" {
		attr("starts", a.Starts, b.Starts)
	}
	attr("ends", a.Ends, b.Ends)
	attr("preserve", boolText(a.Preserve), boolText(b.Preserve))
	attr("status", a.Status, b.Status)
	attr("comment", a.Comment, b.Comment)
	ds = append(ds, bodyDetails(a.Body, b.Body)...)
	return ds
}

// attrDetails returns a function that adds to ds what differs in one
// attribute: an addition on a new object (created is true), else a
// modification.
func attrDetails(ds *[]Detail, created bool) func(name, x, y string) {
	return func(name, x, y string) {
		switch {
		case x == y:
		case x == "" && created:
			*ds = append(*ds, Detail{Action: detailAdd, ObjectType: name, To: y})
		default:
			*ds = append(*ds, Detail{Action: detailModify, ObjectType: name, From: x, To: y, Summary: x + " → " + y})
		}
	}
}

func bodyDetails(a, b string) []Detail {
	switch {
	case a == b:
		return nil
	case a == "":
		return []Detail{{Action: detailAdd, ObjectType: "body", To: b}}
	}
	return []Detail{{Action: detailDrop, ObjectType: "body", From: a}, {Action: detailAdd, ObjectType: "body", To: b}}
}

func boolText(v bool) string {
	if !v {
		return ""
	}
	return strconv.FormatBool(v)
}
