package mysql

import (
	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

var _ dialect.TypeCatalog = (*Dialect)(nil)

// Types returns the MySQL/MariaDB column type names and aliases Strata
// accepts in a schema. Aliases are kept as written (lower-cased);
// normalization resolves them.
func Types() *schema.Types {
	return &schema.Types{Dialect: "MySQL/MariaDB", Specs: map[string]schema.TypeSpec{
		"tinyint": intSpec, "smallint": intSpec, "mediumint": intSpec, "int": intSpec,
		"integer": intSpec, "bigint": intSpec, "int1": intSpec, "int2": intSpec,
		"int3": intSpec, "int4": intSpec, "int8": intSpec, "middleint": intSpec,
		"bool": {}, "boolean": {}, "serial": {},
		"decimal": fixedSpec, "dec": fixedSpec, "numeric": fixedSpec, "fixed": fixedSpec,
		"float": fixedSpec, "double": fixedSpec, "real": fixedSpec, "double precision": fixedSpec,
		"float4": fixedSpec, "float8": fixedSpec,
		"bit":  lenSpec,
		"char": lenSpec, "character": lenSpec, "nchar": lenSpec, "national char": lenSpec,
		"national character": lenSpec,
		"varchar":            varSpec, "nvarchar": varSpec, "national varchar": varSpec,
		"character varying": varSpec, "char varying": varSpec,
		"national character varying": varSpec, "nchar varchar": varSpec, "varchar2": varSpec,
		"binary": lenSpec, "varbinary": varSpec,
		"tinytext": {}, "text": lenSpec, "mediumtext": {}, "longtext": {},
		"long": {}, "long varchar": {}, "long varbinary": {},
		"tinyblob": {}, "blob": lenSpec, "mediumblob": {}, "longblob": {},
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
	intSpec     = schema.TypeSpec{MaxArgs: 1, Numeric: true} // int(11)
	fixedSpec   = schema.TypeSpec{MaxArgs: 2, Numeric: true} // decimal(10,2)
	lenSpec     = schema.TypeSpec{MaxArgs: 1}                // char(10), datetime(3)
	varSpec     = schema.TypeSpec{MinArgs: 1, MaxArgs: 1}    // varchar(191)
	membersSpec = schema.TypeSpec{Values: true}              // enum("a", "b")
)
