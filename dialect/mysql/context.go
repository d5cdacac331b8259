package mysql

import (
	"strings"

	"github.com/stratadb/strata/schema"
)

// The creation context of views and triggers: MariaDB (and MySQL) keep
// the character_set_client, collation_connection and, for triggers, the
// sql_mode of the session that created the object, show them in SHOW
// CREATE and information_schema, and render and run the object with them
// (a view's definition is parsed under its client character set: `'x'
// COLLATE utf8mb3_bin` is valid only under a utf8mb3 client). The model
// keeps a context only where it differs from Strata's own session
// (Dialect.Context), and Strata creates each object under its context.

// normalizeContext puts c in the model's form: names lower case (utf8 is
// utf8mb3), a character set or collation alone completed with the other,
// the pair cleared when it is Strata's session's, the sql_mode upper case
// without spaces and cleared when it is the session's. Objects without a
// sql_mode of their own (views) have none.
func (d *Dialect) normalizeContext(c *schema.CreationContext, hasMode bool) {
	cs := strings.ToLower(strings.TrimSpace(c.CharsetClient))
	coll := strings.ToLower(strings.TrimSpace(c.CollationConnection))
	if cs == "utf8" {
		cs = "utf8mb3"
	}
	if strings.HasPrefix(coll, "utf8_") {
		coll = "utf8mb3_" + coll[len("utf8_"):]
	}
	switch {
	case cs != "" && coll == "":
		coll = d.normalizeDefaultCollation(cs)
	case cs == "" && coll != "":
		cs = inspectCharsetOf(coll)
	}
	if cs == d.Context.CharsetClient && coll == d.Context.CollationConnection {
		cs, coll = "", ""
	}
	c.CharsetClient, c.CollationConnection = cs, coll
	if !hasMode {
		c.SQLMode = ""
		return
	}
	if c.SQLMode != schema.SQLModeEmpty {
		c.SQLMode = normalizeSQLMode(c.SQLMode)
	}
	def := normalizeSQLMode(d.Context.SQLMode)
	if c.SQLMode == def || c.SQLMode == schema.SQLModeEmpty && def == "" {
		c.SQLMode = ""
	}
}

// normalizeSQLMode writes a sql_mode as the server lists it: upper case,
// comma-separated, no spaces. (Combination modes such as ANSI are listed
// by the server expanded: write them so.)
func normalizeSQLMode(m string) string {
	var parts []string
	for _, p := range strings.Split(m, ",") {
		if p = strings.ToUpper(strings.TrimSpace(p)); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ",")
}

// underContext returns the statements that run stmt under c: stmt alone
// for the default context. On MariaDB it is one statement, an anonymous
// block that sets the session's client character set, collation and
// sql_mode, runs stmt through EXECUTE IMMEDIATE (parsed under them, which
// is what the object keeps) and restores the session, also when stmt
// fails; so a revision step stays one statement, which a rerun after a
// crash repeats whole and --parallel runs on one connection. MySQL has no
// such block: the SET statements go before and after stmt.
func (d *Dialect) underContext(c schema.CreationContext, stmt string) []string {
	if c.IsZero() {
		return []string{stmt}
	}
	var set []string
	if c.CharsetClient != "" || c.CollationConnection != "" {
		set = append(set, "character_set_client = "+contextQuote(c.CharsetClient, false),
			"collation_connection = "+contextQuote(c.CollationConnection, false))
	}
	switch c.SQLMode {
	case "":
	case schema.SQLModeEmpty:
		set = append(set, "sql_mode = ''")
	default:
		set = append(set, "sql_mode = "+contextQuote(c.SQLMode, false))
	}
	if d.Flavor == MySQL {
		restore := "SET character_set_client = " + contextQuote(d.Context.CharsetClient, false) +
			", collation_connection = " + contextQuote(d.Context.CollationConnection, false) +
			", sql_mode = " + contextQuote(d.Context.SQLMode, false)
		return []string{"SET " + strings.Join(set, ", "), stmt, restore}
	}
	const restore = "SET character_set_client = strata_cs, collation_connection = strata_cc, sql_mode = strata_sm"
	noBackslash := strings.Contains(normalizeSQLMode(d.Context.SQLMode), "NO_BACKSLASH_ESCAPES")
	return []string{"BEGIN NOT ATOMIC\n" +
		"  DECLARE strata_cs VARCHAR(64) DEFAULT @@character_set_client;\n" +
		"  DECLARE strata_cc VARCHAR(64) DEFAULT @@collation_connection;\n" +
		"  DECLARE strata_sm VARCHAR(1024) DEFAULT @@sql_mode;\n" +
		"  DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN " + restore + "; RESIGNAL; END;\n" +
		"  SET " + strings.Join(set, ", ") + ";\n" +
		"  EXECUTE IMMEDIATE " + contextQuote(stmt, noBackslash) + ";\n" +
		"  " + restore + ";\n" +
		"END"}
}

// contextQuote quotes s as a string literal for a session whose sql_mode
// has NO_BACKSLASH_ESCAPES (noBackslash) or not.
func contextQuote(s string, noBackslash bool) string {
	if !noBackslash {
		s = strings.ReplaceAll(s, `\`, `\\`)
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
