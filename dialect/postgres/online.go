package postgres

import (
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// The online forms of an altered table's changes (GenOptions.Online), for
// a table that holds rows other sessions read and write while the plan
// runs. Each takes no lock that stops the table's reads or writes for
// longer than a moment:
//   - an index is built and dropped CONCURRENTLY (SHARE UPDATE EXCLUSIVE:
//     reads and writes go on), each as a statement of its own outside the
//     revision's transaction; a changed index is built under a temporary
//     name first and then swapped in, so the table is never without it.
//
// A table the plan creates, or a partitioned one, gets the plain forms:
// the first holds no rows, and PostgreSQL 15 builds no index CONCURRENTLY
// on the second ("cannot create index on partitioned table concurrently").

// tmpSuffix names the copy of a changed index built beside the old one.
const tmpSuffix = "_strata_new"

// online reports whether the changes of c get their online forms.
func online(c *schema.AlterTable, o dialect.GenOptions) bool {
	return o.Online && !o.NewTables[c.To.Name] && c.From.Partition == nil && c.To.Partition == nil
}

// onlineAlter returns the statements of c in their online forms: the
// indexes that go are dropped concurrently first, then everything else
// of the table runs as Generate would run it, then the new indexes are
// built concurrently and the changed ones swapped in.
func (d *Dialect) onlineAlter(c *schema.AlterTable) ([]dialect.Stmt, error) {
	table := c.To.Name
	adds, drops := map[string]bool{}, map[string]bool{}
	for _, tc := range c.Changes {
		switch tc := tc.(type) {
		case *schema.AddIndex:
			if !tc.I.Constraint {
				adds[tc.I.Name] = true
			}
		case *schema.DropIndex:
			if !tc.I.Constraint {
				drops[tc.I.Name] = true
			}
		}
	}
	var pre, builds, swaps, comments []dialect.Stmt
	rest := &schema.AlterTable{From: c.From, To: c.To}
	for _, tc := range c.Changes {
		switch tc := tc.(type) {
		case *schema.DropIndex:
			if tc.I.Constraint {
				rest.Changes = append(rest.Changes, tc)
			} else if !adds[tc.I.Name] {
				pre = append(pre, noTx("DROP INDEX CONCURRENTLY "+indexName(c.From.Name, tc.I.Name)))
			}
		case *schema.AddIndex:
			if tc.I.Constraint {
				rest.Changes = append(rest.Changes, tc)
				break
			}
			ix := tc.I
			if drops[ix.Name] {
				// Built beside the old index, which goes once it is
				// ready (IF EXISTS: a column this alter drops took it).
				tmp := *ix
				tmp.Name = tmpName(ix.Name)
				builds = append(builds, noTx(concurrently(createIndex(table, &tmp))))
				swaps = append(swaps,
					noTx("DROP INDEX CONCURRENTLY IF EXISTS "+indexName(c.From.Name, ix.Name)),
					tx("ALTER INDEX "+indexName(table, tmp.Name)+" RENAME TO "+quoteIdent(ix.Name)))
			} else {
				builds = append(builds, noTx(concurrently(createIndex(table, ix))))
			}
			if ix.Comment != "" {
				comments = append(comments, tx("COMMENT ON INDEX "+indexName(table, ix.Name)+" IS "+quoteString(ix.Comment)))
			}
		default:
			rest.Changes = append(rest.Changes, tc)
		}
	}
	out := pre
	if len(rest.Changes) > 0 {
		sqls, err := d.alterTable(rest)
		if err != nil {
			return nil, err
		}
		for _, s := range sqls {
			out = append(out, tx(s))
		}
	}
	out = append(out, builds...)
	out = append(out, swaps...)
	return append(out, comments...), nil
}

func tx(sql string) dialect.Stmt   { return dialect.Stmt{SQL: sql, Transactional: true} }
func noTx(sql string) dialect.Stmt { return dialect.Stmt{SQL: sql} }

// concurrently turns CREATE [UNIQUE] INDEX into CREATE [UNIQUE] INDEX
// CONCURRENTLY.
func concurrently(create string) string {
	return strings.Replace(create, "INDEX ", "INDEX CONCURRENTLY ", 1)
}

// tmpName is the name a changed index is built under: name with
// tmpSuffix, within PostgreSQL's maxIdent bytes of a name.
func tmpName(name string) string {
	const max = maxIdent - len(tmpSuffix)
	if len(name) > max {
		n := max
		for n > 0 && name[n]&0xC0 == 0x80 { // not inside a UTF-8 character
			n--
		}
		name = name[:n]
	}
	return name + tmpSuffix
}
