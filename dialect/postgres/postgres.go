// Package postgres is Strata's PostgreSQL dialect: it connects through pgx,
// inspects a database from pg_catalog in a constant number of queries
// (rendering with the server's own pg_get_indexdef, pg_get_constraintdef,
// pg_get_expr, pg_get_viewdef and format_type), normalizes desired models
// into that form, and writes DDL for planned changes.
//
// Names: objects of the connection's current schema (the first schema of
// search_path that exists, normally public) are named bare ("users");
// objects of other schemas are named schema.name ("billing.invoices").
// Column types are kept as format_type renders them ("character
// varying(20)", "timestamp(3) with time zone", "billing.status[]").
// Schemas, extensions, types, sequences, functions, triggers and the like
// are schema.Objects holding the statement that creates them.
package postgres

import (
	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// Dialect is the PostgreSQL dialect for one server and database.
type Dialect struct {
	// Version is the server_version_num (150004 for 15.4).
	Version int
	// Schema is the current schema, whose objects are named bare.
	Schema string
}

var (
	_ dialect.Dialect     = (*Dialect)(nil)
	_ dialect.TxApplier   = (*Dialect)(nil)
	_ dialect.Locker      = (*Dialect)(nil)
	_ dialect.TypeCatalog = (*Dialect)(nil)
	_ dialect.HazardRules = (*Dialect)(nil)
)

// Default returns the dialect of a stock PostgreSQL 15 with the public
// schema current, for work without a connection.
func Default() *Dialect { return &Dialect{Version: 150000, Schema: "public"} }

// Name returns "postgres".
func (d *Dialect) Name() string { return "postgres" }

// postgresTypes are format_type's names of PostgreSQL's own types.
var postgresTypes = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range []string{"smallint", "integer", "bigint", "real", "double precision", "numeric", "money", "text",
		"character varying", "character", "bytea", "boolean", "date", "time without time zone", "time with time zone",
		"timestamp without time zone", "timestamp with time zone", "interval", "json", "jsonb", "uuid", "inet", "cidr",
		"macaddr", "macaddr8", "xml", "tsvector", "tsquery", "point", "line", "lseg", "box", "path", "polygon", "circle",
		"bit", "bit varying", "pg_lsn", "int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange", "oid",
		"regclass", "name", `"char"`} {
		m[n] = true
	}
	return m
}()

// Types is the catalogue of PostgreSQL's built-in type names; a schema may
// also use the database's own types (enums, domains, extension types), so
// names outside it are taken as written.
func (d *Dialect) Types() *schema.Types {
	specs := map[string]schema.TypeSpec{}
	for _, n := range []string{"smallint", "integer", "bigint", "int", "int2", "int4", "int8", "serial", "bigserial",
		"smallserial", "serial2", "serial4", "serial8", "real", "float4", "float8", "double precision", "money",
		"text", "boolean", "bool", "date", "bytea", "json", "jsonb", "uuid", "inet", "cidr", "macaddr", "macaddr8",
		"xml", "tsvector", "tsquery", "point", "line", "lseg", "box", "path", "polygon", "circle", "pg_lsn",
		"int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange", "oid", "regclass", "name",
		"timestamptz", "timetz"} {
		specs[n] = schema.TypeSpec{}
	}
	for _, n := range []string{"varchar", "character varying", "char", "character", "bpchar", "bit", "bit varying",
		"varbit", "timestamp", "time", "interval", "float"} {
		specs[n] = schema.TypeSpec{MaxArgs: 1}
	}
	specs["numeric"] = schema.TypeSpec{MaxArgs: 2}
	specs["decimal"] = schema.TypeSpec{MaxArgs: 2}
	return &schema.Types{Dialect: "PostgreSQL", Specs: specs, Verbatim: true,
		IndexMethods:         []string{"BTREE", "HASH", "GIN", "GIST", "SPGIST", "BRIN"},
		TableConstraintNames: true}
}
