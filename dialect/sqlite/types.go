package sqlite

import (
	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

var _ dialect.TypeCatalog = (*Dialect)(nil)

// Types returns the column type names Strata accepts in a schema for
// SQLite: SQLite's own spellings, and the MySQL names a schema shared with
// a MySQL environment uses, which SQLite stores by their affinity (int →
// INTEGER, varchar → TEXT, ...; enum becomes TEXT with a CHECK).
func Types() *schema.Types {
	return &schema.Types{Dialect: "SQLite", Specs: map[string]schema.TypeSpec{
		// SQLite's spellings.
		"integer": intSpec, "int": intSpec, "real": fixedSpec, "text": lenSpec, "blob": lenSpec,
		"any": {}, "numeric": fixedSpec, "clob": lenSpec, "big int": intSpec,
		"varying character": varSpec, "native character": lenSpec,
		// MySQL's, read by affinity.
		"tinyint": intSpec, "smallint": intSpec, "mediumint": intSpec, "bigint": intSpec,
		"int1": intSpec, "int2": intSpec, "int3": intSpec, "int4": intSpec, "int8": intSpec,
		"middleint": intSpec, "bool": {}, "boolean": {}, "serial": {},
		"decimal": fixedSpec, "dec": fixedSpec, "fixed": fixedSpec, "float": fixedSpec,
		"double": fixedSpec, "double precision": fixedSpec, "float4": fixedSpec, "float8": fixedSpec,
		"bit": lenSpec, "char": lenSpec, "character": lenSpec, "nchar": lenSpec,
		"national char": lenSpec, "national character": lenSpec,
		"varchar": varSpec, "nvarchar": varSpec, "national varchar": varSpec,
		"character varying": varSpec, "char varying": varSpec,
		"national character varying": varSpec, "nchar varchar": varSpec, "varchar2": varSpec,
		"binary": lenSpec, "varbinary": varSpec,
		"tinytext": {}, "mediumtext": {}, "longtext": {},
		"long": {}, "long varchar": {}, "long varbinary": {},
		"tinyblob": {}, "mediumblob": {}, "longblob": {},
		"enum": membersSpec, "set": membersSpec,
		"date": {}, "time": lenSpec, "datetime": lenSpec, "timestamp": lenSpec, "year": lenSpec,
		"json": {}, "geometry": {}, "point": {}, "linestring": {}, "polygon": {},
		"multipoint": {}, "multilinestring": {}, "multipolygon": {},
		"geometrycollection": {}, "geomcollection": {},
		"uuid": {}, "inet4": {}, "inet6": {}, "vector": varSpec,
	}}
}

// Types is the package's Types.
func (d *Dialect) Types() *schema.Types { return Types() }

var (
	intSpec     = schema.TypeSpec{MaxArgs: 1, Numeric: true}
	fixedSpec   = schema.TypeSpec{MaxArgs: 2, Numeric: true}
	lenSpec     = schema.TypeSpec{MaxArgs: 1}
	varSpec     = schema.TypeSpec{MinArgs: 1, MaxArgs: 1}
	membersSpec = schema.TypeSpec{Values: true}
)
