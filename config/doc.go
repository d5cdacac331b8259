// Package config reads Strata's HCL files: schema files into a schema model
// (LoadSchema), environment files into settings (LoadEnvironment), and writes
// models back as HCL (WriteSchema, Format). Every problem is an hcl.Diagnostic
// with the range of the offending text, collected in one pass.
//
// # Schema files
//
// A schema is one .hcl file or every .hcl file of a directory (by name).
// Top-level blocks: table "name", view "name", trigger "name".
//
// table attributes: comment, engine, charset, collate, row_format,
// auto_increment (first counter value), options (further CREATE options
// verbatim), renamed_from, primary_key = ["col", ...].
// table blocks: column "name", primary_key (block form for the extras:
// columns, prefix, desc, using, comment, part), index "name",
// foreign_key "name", check "name" { expr }, partition.
//
// column: type (required), null (default false), default, on_update,
// auto_increment, unsigned, zerofill, charset, collate, comment,
// as (generated expression) and stored, invisible, check (column-level
// CHECK), renamed_from.
//
// type is a keyword (bigint), a call (varchar(191), decimal(10,2),
// enum("a", "b")) or a string of SQL ("int(10) unsigned zerofill",
// "double precision"). Names are lower-cased and kept as written: aliases
// (integer, bool, dec, double precision, ...) are resolved by the dialect.
//
// default and on_update: a string is a SQL string literal (quotes doubled,
// backslashes and control characters escaped), a number its source text (1.50 stays "1.50"), a bool 1 or 0,
// sql("...") SQL text verbatim (sql("CURRENT_TIMESTAMP(3)")). A string that
// is plainly SQL ("CURRENT_TIMESTAMP", "now()", "NULL") is an error that
// points to sql().
//
// index: columns, unique | fulltext | spatial, prefix = { col = 10 },
// desc = ["col"], using (BTREE, HASH, RTREE), comment, ignored,
// renamed_from; or part { column | expr, prefix, desc } blocks instead of
// columns for functional key parts.
//
// foreign_key: columns, ref_table, ref_columns (all required), on_update,
// on_delete (RESTRICT, CASCADE, SET NULL, NO ACTION, SET DEFAULT; any case).
//
// partition: by (RANGE, LIST, HASH, KEY, LINEAR HASH, LINEAR KEY,
// RANGE COLUMNS, LIST COLUMNS), expr, partitions (HASH/KEY count), sub_by,
// sub_expr, subpartitions, and part "name" { values, comment, engine }.
//
// view: definition (required), algorithm, security, check_option,
// depends_on, character_set_client, collation_connection. trigger: on,
// timing, event, body (required), columns (of an UPDATE trigger: SQLite's
// UPDATE OF), order, header (the statement's text from
// TRIGGER to the body as written), character_set_client,
// collation_connection, sql_mode (the session a view or trigger is created
// under; left out, the server's default).
//
// SQL text (definitions, bodies, expressions) may be a heredoc; its final
// newline is not part of the SQL.
//
// # What the loader leaves to the dialect
//
// The model carries what the files say. Omitted foreign key actions, view
// options and a nullable column's NULL default stay empty; the dialect's
// Normalize fills them in, resolves type aliases and display widths, and
// adds the index a foreign key needs. WriteSchema leaves out exactly those
// implied values, so LoadSchema(WriteSchema(m)) equals m up to them.
//
// # Environment files
//
// environments/NAME.hcl: url (required), dev_url, schema, migrations_dir, promote_from,
// protected, lock_timeout ("30s": how long a run waits for Strata's own
// per-database lock), and a ddl block: online (default true; false plans
// plain DDL), lock_timeout (default "3s": how long each schema change
// waits for its table's lock, PostgreSQL's lock_timeout) and lock_retries
// (default 5: how often a statement that gave up waiting is rolled back and
// tried again). url and dev_url may use env("VAR"), the
// only function; an unset variable is an error that names it. No
// diagnostic ever contains a URL's value. dev_url names an empty scratch
// database on a server of the same kind and version as url's, where plan
// runs the DDL it asks the server's forms with (temporary tables, probe
// views) instead of in the target, so that planning creates nothing there.
package config
