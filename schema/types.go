package schema

import "sort"

// TypeSpec says what a column type name accepts in a schema file.
type TypeSpec struct {
	MinArgs, MaxArgs int
	// Values: the arguments are string members (enum, set), not numbers.
	Values bool
	// Numeric: unsigned and zerofill are allowed.
	Numeric bool
}

// Types is a dialect's catalogue of the column type names (and aliases)
// a schema may use. The dialect owns it; the schema loader checks types
// against the catalogue of the dialect in use.
type Types struct {
	// Dialect names the dialect in messages: "MySQL/MariaDB", "SQLite".
	Dialect string
	Specs   map[string]TypeSpec
	// Verbatim says that a type written as a string is the server's own
	// SQL, kept whole ("timestamp(3) with time zone", "app.status[]"), and
	// that names outside Specs are the database's own types (PostgreSQL's
	// enums, domains and extension types), not mistakes.
	Verbatim bool
	// IndexMethods are the index methods (using) the dialect accepts,
	// upper-case; nil for MySQL's BTREE, HASH and RTREE.
	IndexMethods []string
	// TableConstraintNames says that constraint names (foreign keys,
	// checks) are unique per table rather than per database, and that
	// foreign keys may join columns of different types the server can
	// compare (PostgreSQL).
	TableConstraintNames bool
}

// Lookup returns the spec of a lower-case type name.
func (t *Types) Lookup(name string) (TypeSpec, bool) {
	s, ok := t.Specs[name]
	return s, ok
}

// Names returns the catalogue's type names, sorted.
func (t *Types) Names() []string {
	names := make([]string, 0, len(t.Specs))
	for n := range t.Specs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
