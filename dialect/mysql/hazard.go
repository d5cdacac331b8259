package mysql

import (
	"slices"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// QuoteName quotes a name for a hazard message, as SQL would.
func (d *Dialect) QuoteName(name string) string { return QuoteIdent(name) }

// Narrowing says what converting values of type a to type b may lose in
// MariaDB's strict mode (the statement fails) or outside it (values are
// cut); "" when every value of a fits b.
func (d *Dialect) Narrowing(a, b schema.Type) string { return TypeNarrowing(a, b) }

// Misfit says what MariaDB and MySQL do with values a change cannot keep:
// strict mode refuses the statement, otherwise they are cut.
func (d *Dialect) Misfit(lossyCharset bool) string {
	if lossyCharset {
		return "will fail (strict mode) or lose characters"
	}
	return "will fail (strict mode) or truncate"
}

// AlterHazards returns what an altered table's changes risk on MariaDB
// and MySQL: values narrowing and charset conversions cut, and the changes
// that copy or rebuild the table (see the notes' DDL table for which
// changes run in place).
func (d *Dialect) AlterHazards(at *schema.AlterTable, lt dialect.LiveTable) []dialect.Hazard {
	var hs []dialect.Hazard
	add := func(kind dialect.HazardKind, check *dialect.DataCheck, msg string) {
		hs = append(hs, dialect.Hazard{Kind: kind, Message: msg, Check: check})
	}
	t := QuoteIdent(at.To.Name)
	for _, tc := range at.Changes {
		switch c := tc.(type) {
		case *schema.AddColumn:
			if c.C.Generated != nil && c.C.Generated.Stored {
				add(dialect.Locking, nil, "adding stored generated column "+qc(at, c.C.Name)+" copies table "+t)
			}
			if c.C.AutoIncrement {
				add(dialect.Locking, nil, "adding auto-increment column "+qc(at, c.C.Name)+" rebuilds table "+t)
			}
			if fill, ok := implicitFill(c.C); ok {
				add(dialect.DataDependent, &dialect.DataCheck{Kind: dialect.CountRows, Table: lt.Name, Columns: []string{c.C.Name}, Fill: fill},
					"existing rows of "+t+" get "+fill+" in new NOT NULL column "+qc(at, c.C.Name)+", which has no default: declare a default, "+
						"or add it nullable, fill it with a hand-written revision (strata revision new) and then make it NOT NULL")
			}
		case *schema.ModifyColumn:
			hs = append(hs, modifyColumnHazards(at, c, lt)...)
		case *schema.DropPrimaryKey, *schema.AddPrimaryKey:
			add(dialect.Locking, nil, "changing the primary key rebuilds table "+t)
		case *schema.AddIndex:
			if c.I.Kind == schema.IndexFulltext && !hasFulltext(at.From) {
				add(dialect.Locking, nil, "the first FULLTEXT index rebuilds table "+t)
			}
		case *schema.AddForeignKey:
			add(dialect.Locking, nil, "adding foreign key "+QuoteIdent(c.F.Name)+" with foreign_key_checks=1 copies table "+t)
		case *schema.AddCheck:
			add(dialect.Locking, nil, "adding check "+QuoteIdent(c.C.Name)+" copies table "+t)
		case *schema.ModifyOptions:
			if c.From.Engine != c.To.Engine {
				add(dialect.Locking, nil, "changing the engine of "+t+" from "+c.From.Engine+" to "+c.To.Engine+" copies the table")
			}
			if c.From.RowFormat != c.To.RowFormat {
				add(dialect.Locking, nil, "changing the row format of "+t+" rebuilds the table")
			}
		case *schema.ModifyPartition:
			add(dialect.Locking, nil, "repartitioning "+t+" copies all its rows")
			if c.To != nil && (strings.HasPrefix(c.To.Method, "RANGE") || strings.HasPrefix(c.To.Method, "LIST")) {
				add(dialect.DataDependent, nil, "fails if rows of "+t+" fall outside the new partitions")
			}
		}
	}
	return hs
}

// qc quotes a column of the altered table for a message.
func qc(at *schema.AlterTable, col string) string {
	return QuoteIdent(at.To.Name) + "." + QuoteIdent(col)
}

func modifyColumnHazards(at *schema.AlterTable, c *schema.ModifyColumn, lt dialect.LiveTable) []dialect.Hazard {
	var hs []dialect.Hazard
	add := func(kind dialect.HazardKind, check *dialect.DataCheck, msg string) {
		hs = append(hs, dialect.Hazard{Kind: kind, Message: msg, Check: check})
	}
	t := QuoteIdent(at.To.Name)
	col := qc(at, c.To.Name)
	from, to := c.From, c.To
	live := []string{from.Name}
	ft, tt := ColumnTypeSQL(from.Type), ColumnTypeSQL(to.Type)
	if c.Kind.Is(schema.ChangeType) {
		if why := TypeNarrowing(from.Type, to.Type); why != "" {
			misfits := &dialect.DataCheck{Kind: dialect.CountMisfits, Table: lt.Name, Columns: live, From: &from.Type, To: &to.Type}
			add(dialect.Destructive, misfits, "may truncate values of "+col+": "+why+" ("+ft+" → "+tt+")")
			add(dialect.DataDependent, misfits, "fails (strict mode) or truncates if values of "+col+" do not fit "+tt)
			add(dialect.Irreversible, nil, "the undo cannot restore values of "+col+" truncated by "+ft+" → "+tt)
		}
		if !instantType(from, to, at) {
			add(dialect.Locking, nil, "changing the type of "+col+" ("+ft+" → "+tt+") copies table "+t)
		}
	}
	if c.Kind.Is(schema.ChangeCharset) && to.Type.HasCharset() {
		a, b := effCharset(from, at.From), effCharset(to, at.To)
		if a != b {
			add(dialect.Locking, nil, "converting "+col+" from "+a+" to "+b+" copies table "+t)
			if charsetLossy(a, b) {
				misfits := &dialect.DataCheck{Kind: dialect.CountMisfits, Table: lt.Name, Columns: live, From: &from.Type, To: &to.Type, Charset: b}
				add(dialect.Destructive, misfits, "characters of "+col+" that "+b+" cannot hold are lost ("+a+" → "+b+")")
				add(dialect.DataDependent, misfits, "fails (strict mode) or replaces characters of "+col+" that "+b+" cannot hold")
				add(dialect.Irreversible, nil, "the undo cannot restore characters of "+col+" lost converting to "+b)
			}
		}
	}
	if c.Kind.Is(schema.ChangeNull) {
		if from.Null && !to.Null {
			add(dialect.Locking, nil, "making "+col+" NOT NULL rebuilds table "+t)
		} else {
			add(dialect.Locking, nil, "making "+col+" nullable rebuilds table "+t)
		}
	}
	if c.Kind.Is(schema.ChangeAutoIncrement) && to.AutoIncrement {
		add(dialect.Locking, nil, "making "+col+" auto-increment rebuilds table "+t)
		add(dialect.DataDependent, nil, "fails if "+col+" holds duplicate or zero values (auto-increment)")
	}
	// A column that becomes generated is the planner's hazard (its values
	// are replaced); otherwise a stored side means a copy.
	if c.Kind.Is(schema.ChangeGenerated) && !(from.Generated == nil && to.Generated != nil) &&
		(to.Generated != nil && to.Generated.Stored || from.Generated != nil && from.Generated.Stored) {
		add(dialect.Locking, nil, "changing stored generated column "+col+" copies table "+t)
	}
	if c.Kind.Is(schema.ChangeCheck) && to.Check != "" {
		add(dialect.Locking, nil, "adding a check to "+col+" copies table "+t)
	}
	return hs
}

func hasFulltext(t *schema.Table) bool {
	if t == nil {
		return false
	}
	for _, i := range t.Indexes {
		if i.Kind == schema.IndexFulltext {
			return true
		}
	}
	return false
}

// effCharset is a column's character set, its table's when not explicit.
func effCharset(c *schema.Column, t *schema.Table) string {
	if c.Charset != "" {
		return c.Charset
	}
	if t != nil {
		return t.Options.Charset
	}
	return ""
}

// charsetLossy reports whether converting text from charset a to b may
// lose characters.
func charsetLossy(a, b string) bool {
	a, b = canonCharset(a), canonCharset(b)
	switch {
	case a == b, a == "", b == "":
		return false
	case a == "binary" || b == "binary":
		return true
	case b == "utf8mb4" || b == "utf16" || b == "utf16le" || b == "utf32":
		return false // Unicode holds every other character set
	case a == "ascii":
		return false
	case a == "latin1" && b == "utf8mb3":
		return false
	}
	return true
}

func canonCharset(c string) string {
	if c == "utf8" {
		return "utf8mb3"
	}
	return c
}

// maxBytes is the longest character of a character set, in bytes.
func maxBytes(charset string) int {
	switch canonCharset(charset) {
	case "latin1", "latin2", "latin5", "latin7", "ascii", "binary", "cp1250", "cp1251", "cp1256",
		"cp1257", "cp850", "cp852", "cp866", "dec8", "greek", "hebrew", "hp8", "keybcs2", "koi8r",
		"koi8u", "macce", "macroman", "swe7", "tis620", "armscii8", "geostd8":
		return 1
	case "ucs2", "big5", "gbk", "sjis", "euckr", "gb2312", "cp932":
		return 2
	case "utf8mb3", "ujis", "eucjpms":
		return 3
	}
	return 4
}

var intRank = map[string]int{"tinyint": 1, "smallint": 2, "mediumint": 3, "int": 4, "bigint": 5}

// intDigits is the number of decimal digits of the largest value.
var intDigits = map[string]int{"tinyint": 3, "smallint": 5, "mediumint": 8, "int": 10, "bigint": 20}

var textBytes = map[string]int64{
	"tinytext": 255, "text": 65535, "mediumtext": 16777215, "longtext": 4294967295,
	"tinyblob": 255, "blob": 65535, "mediumblob": 16777215, "longblob": 4294967295,
}

func arg(t schema.Type, i int) int {
	if i < len(t.Args) {
		return t.Args[i]
	}
	return 0
}

// TypeNarrowing says what converting values of type a to type b may lose,
// or "" when every value of a fits b.
func TypeNarrowing(a, b schema.Type) string {
	if a.Equal(b) {
		return ""
	}
	ra, aInt := intRank[a.Name]
	rb, bInt := intRank[b.Name]
	switch {
	case aInt && bInt:
		switch {
		case rb < ra:
			return "smaller integer type"
		case !a.Unsigned && b.Unsigned:
			return "negative values do not fit an unsigned type"
		case a.Unsigned && !b.Unsigned && rb == ra:
			return "large values do not fit a signed type"
		}
		return ""
	case aInt && b.Name == "decimal":
		if arg(b, 0)-arg(b, 1) >= intDigits[a.Name] {
			return ""
		}
		return "fewer integer digits"
	case aInt && b.Name == "double":
		if a.Name == "bigint" {
			return "double cannot hold every bigint exactly"
		}
		return ""
	case aInt && (b.Name == "varchar" || b.Name == "char"):
		if arg(b, 0) >= intDigits[a.Name]+1 {
			return ""
		}
		return "shorter than the longest number"
	case aInt && textBytes[b.Name] > 0:
		return ""
	case a.Name == "decimal" && b.Name == "decimal":
		if !a.Unsigned && b.Unsigned {
			return "negative values do not fit an unsigned type"
		}
		if arg(b, 1) >= arg(a, 1) && arg(b, 0)-arg(b, 1) >= arg(a, 0)-arg(a, 1) {
			return ""
		}
		return "decimal precision or scale down"
	case a.Name == "float" && b.Name == "double":
		return ""
	case (a.Name == "float" || a.Name == "double") && a.Name == b.Name:
		if len(b.Args) == 0 || len(a.Args) > 0 && arg(b, 1) >= arg(a, 1) && arg(b, 0)-arg(b, 1) >= arg(a, 0)-arg(a, 1) {
			return ""
		}
		return "fewer digits"
	case isChars(a.Name) && isChars(b.Name):
		if arg(b, 0) >= arg(a, 0) {
			return ""
		}
		return "shorter length"
	case isChars(a.Name) && textBytes[b.Name] > 0 && isText(b.Name):
		if int64(arg(a, 0))*4 <= textBytes[b.Name] {
			return ""
		}
		return "text type too small"
	case isText(a.Name) && isText(b.Name):
		if textBytes[b.Name] >= textBytes[a.Name] {
			return ""
		}
		return "smaller text type"
	case isText(a.Name) && isChars(b.Name):
		return "text to " + b.Name + " truncates long values"
	case isBytes(a.Name) && isBytes(b.Name):
		if arg(b, 0) >= arg(a, 0) {
			return ""
		}
		return "shorter length"
	case isBytes(a.Name) && isBlob(b.Name):
		if int64(arg(a, 0)) <= textBytes[b.Name] {
			return ""
		}
		return "blob type too small"
	case isBlob(a.Name) && isBlob(b.Name):
		if textBytes[b.Name] >= textBytes[a.Name] {
			return ""
		}
		return "smaller blob type"
	case (a.Name == "enum" || a.Name == "set") && a.Name == b.Name:
		var lost []string
		for _, v := range a.Values {
			if !slices.Contains(b.Values, v) {
				lost = append(lost, QuoteString(v))
			}
		}
		if len(lost) == 0 {
			return ""
		}
		return "values " + strings.Join(lost, ", ") + " no longer allowed"
	case (a.Name == "enum" || a.Name == "set") && isChars(b.Name):
		longest := 0
		for _, v := range a.Values {
			longest = max(longest, len([]rune(v)))
		}
		if a.Name == "set" {
			longest = len(strings.Join(a.Values, ","))
		}
		if arg(b, 0) >= longest {
			return ""
		}
		return "shorter than the longest member"
	case (a.Name == "enum" || a.Name == "set") && isText(b.Name):
		return ""
	case isTemporal(a.Name) && a.Name == b.Name:
		if arg(b, 0) >= arg(a, 0) {
			return ""
		}
		return "fractional seconds are cut"
	case a.Name == "date" && (b.Name == "datetime"):
		return ""
	case a.Name == "timestamp" && b.Name == "datetime":
		if arg(b, 0) >= arg(a, 0) {
			return ""
		}
		return "fractional seconds are cut"
	case a.Name == "datetime" && b.Name == "date", a.Name == "timestamp" && b.Name == "date":
		return "the time of day is cut"
	case a.Name == "datetime" && b.Name == "timestamp":
		return "dates outside 1970–2038 do not fit timestamp"
	case a.Name == "bit" && b.Name == "bit":
		if arg(b, 0) >= arg(a, 0) {
			return ""
		}
		return "fewer bits"
	case a.Name == "year" && bInt:
		if rb >= intRank["smallint"] {
			return ""
		}
	case a.Name == b.Name && a.Unsigned == b.Unsigned:
		// Same type, other arguments we do not know to be lossless: only
		// a display detail (e.g. spatial or json aliases) in practice.
		if len(a.Args) == 0 && len(b.Args) == 0 {
			return ""
		}
	}
	return "converting " + a.Name + " to " + b.Name + " may change or lose values"
}

func isChars(n string) bool    { return n == "char" || n == "varchar" }
func isBytes(n string) bool    { return n == "binary" || n == "varbinary" }
func isText(n string) bool     { return strings.HasSuffix(n, "text") }
func isBlob(n string) bool     { return strings.HasSuffix(n, "blob") }
func isTemporal(n string) bool { return n == "datetime" || n == "timestamp" || n == "time" }

// instantType reports whether MariaDB changes the type in place without a
// table copy (see the notes' DDL table): integer display widths, enum/set
// members appended, and varchar widening that keeps the length-byte layout.
func instantType(from, to *schema.Column, at *schema.AlterTable) bool {
	a, b := from.Type, to.Type
	if _, ok := intRank[a.Name]; ok && a.Name == b.Name && a.Unsigned == b.Unsigned && a.Zerofill == b.Zerofill {
		return true // display width only
	}
	if (a.Name == "enum" || a.Name == "set") && a.Name == b.Name &&
		len(b.Values) >= len(a.Values) && slices.Equal(a.Values, b.Values[:len(a.Values)]) {
		return true
	}
	if a.Name == "varchar" && b.Name == "varchar" && arg(b, 0) >= arg(a, 0) {
		ca, cb := effCharset(from, at.From), effCharset(to, at.To)
		if ca != cb {
			return false
		}
		// The length prefix grows from one to two bytes only when the old
		// maximum was 128–255 bytes and the new one is larger (verified on
		// MariaDB 10.11: utf8mb4 50→64 copies, 31→100 and 100→191 do not).
		ob, nb := arg(a, 0)*maxBytes(ca), arg(b, 0)*maxBytes(ca)
		return ob <= 127 || nb <= 255 || ob > 255
	}
	return false
}

// blocksWrites says why an ALTER TABLE of a's changes blocks writes for the
// whole of a table copy on this server ("" when it does not): the server
// can run none of it INSTANT or INPLACE with LOCK=NONE, so an online schema
// change engine is the way to run it on a big table. It reuses the rules
// above: what instant and inplaceNoLock accept runs online, as do the
// in-place rebuilds InnoDB runs with concurrent writes (NULL or NOT NULL,
// a new or replaced primary key, the row format, columns added or dropped
// that are not instant); what is left copies the table or takes a shared
// lock. TestDialect_Generate_alterFidelity checks each answer against the
// server (LOCK=NONE refused exactly when this says so).
func (d *Dialect) blocksWrites(a *schema.AlterTable) string {
	if a.From == nil || a.From.Partition != nil || a.To.Partition != nil || d.instant(a) || d.inplaceNoLock(a) {
		return ""
	}
	t := QuoteIdent(a.To.Name)
	addsPK := false
	for _, ch := range a.Changes {
		if _, ok := ch.(*schema.AddPrimaryKey); ok {
			addsPK = true
		}
	}
	fulltext := hasFulltext(a.From)
	virtual := 0
	for _, ch := range a.Changes {
		switch c := ch.(type) {
		case *schema.AddColumn:
			if isVirtual(c.C) {
				virtual++
			}
		case *schema.DropColumn:
			if isVirtual(c.C) {
				virtual++
			}
		}
	}
	if virtual > 0 && virtual < len(a.Changes) {
		// "INPLACE ADD or DROP of virtual columns cannot be combined with
		// other ALTER TABLE actions" (error 1846).
		return "adding or dropping virtual columns with other changes copies table " + t
	}
	for _, ch := range a.Changes {
		switch c := ch.(type) {
		case *schema.AddColumn:
			switch {
			case c.C.Generated != nil && c.C.Generated.Stored:
				return "adding stored generated column " + qc(a, c.C.Name) + " copies table " + t
			case c.C.AutoIncrement:
				return "adding auto-increment column " + qc(a, c.C.Name) + " blocks writes to " + t
			case c.C.Check != "":
				return "adding column " + qc(a, c.C.Name) + " with a check copies table " + t
			case c.C.Default != "" && !isLiteral(c.C.Default) && !timestampFun.MatchString(c.C.Default):
				return "adding column " + qc(a, c.C.Name) + " with an expression default copies table " + t
			}
		case *schema.ModifyColumn:
			if why := modifyBlocks(a, c); why != "" {
				return why
			}
		case *schema.DropPrimaryKey:
			if !addsPK {
				return "dropping the primary key of " + t + " copies the table"
			}
		case *schema.AddIndex:
			if c.I.Kind == schema.IndexFulltext || c.I.Kind == schema.IndexSpatial {
				return "building " + strings.ToLower(string(c.I.Kind)) + " index " + QuoteIdent(c.I.Name) + " blocks writes to " + t
			}
			for _, p := range c.I.Parts {
				col := a.To.Column(p.Column)
				if col != nil && c.I.Kind == schema.IndexUnique && normalizeIsLob(col.Type.Name) && p.Prefix == 0 {
					return "unique key " + QuoteIdent(c.I.Name) + " on a whole text or blob column copies table " + t
				}
			}
		case *schema.AddForeignKey:
			return "adding foreign key " + QuoteIdent(c.F.Name) + " with foreign_key_checks=1 copies table " + t
		case *schema.AddCheck:
			return "adding check " + QuoteIdent(c.C.Name) + " copies table " + t
		case *schema.ModifyOptions:
			if !strings.EqualFold(c.From.Engine, c.To.Engine) {
				return "changing the engine of " + t + " copies the table"
			}
			if c.From.Charset != c.To.Charset || c.From.Collate != c.To.Collate {
				return "converting the character set of " + t + " copies the table"
			}
		case *schema.DropColumn:
			if fulltext {
				return "dropping column " + qc(a, c.C.Name) + " of a table with a FULLTEXT index copies table " + t
			}
		}
	}
	return ""
}

// modifyBlocks is blocksWrites for one MODIFY/CHANGE COLUMN.
func modifyBlocks(a *schema.AlterTable, c *schema.ModifyColumn) string {
	t := QuoteIdent(a.To.Name)
	col := qc(a, c.To.Name)
	from, to := c.From, c.To
	if c.Kind.Is(schema.ChangeType) && !instantType(from, to, a) {
		return "changing the type of " + col + " (" + ColumnTypeSQL(from.Type) + " → " + ColumnTypeSQL(to.Type) + ") copies table " + t
	}
	if to.Type.HasCharset() && effCharset(from, a.From) != effCharset(to, a.To) {
		return "converting " + col + " from " + effCharset(from, a.From) + " to " + effCharset(to, a.To) + " copies table " + t
	}
	if c.Kind.Is(schema.ChangeAutoIncrement) && to.AutoIncrement {
		return "making " + col + " auto-increment copies table " + t
	}
	if c.Kind.Is(schema.ChangeGenerated) && (to.Generated != nil && to.Generated.Stored || from.Generated != nil && from.Generated.Stored) {
		return "changing stored generated column " + col + " copies table " + t
	}
	if c.Kind.Is(schema.ChangeCheck) && to.Check != "" {
		return "adding a check to " + col + " copies table " + t
	}
	if from.Check != "" || to.Check != "" {
		// MODIFY restates the column's CHECK (json's json_valid too), which
		// MariaDB 10.11 takes for a type change (error 1846).
		return "restating the check of " + col + " copies table " + t
	}
	return ""
}

// implicitFill is the value MariaDB and MySQL give existing rows when a
// NOT NULL column without a default is added (outside strict mode's reach:
// ALTER TABLE fills the type's implicit default without a warning), and
// whether the column is such a column. Generated and auto-increment
// columns compute their values.
func implicitFill(c *schema.Column) (string, bool) {
	if c.Null || c.Generated != nil || c.AutoIncrement || (c.Default != "" && c.Default != "NULL") {
		return "", false
	}
	switch c.Type.Name {
	case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "float", "double", "real", "decimal", "numeric", "bit", "bool", "boolean", "year":
		return "0", true
	case "date":
		return "'0000-00-00'", true
	case "datetime", "timestamp":
		return "'0000-00-00 00:00:00'", true
	case "time":
		return "'00:00:00'", true
	case "enum":
		if len(c.Type.Values) > 0 {
			return "'" + strings.ReplaceAll(c.Type.Values[0], "'", "''") + "'", true
		}
	case "binary":
		return "zero bytes", true
	}
	return "''", true
}
