// Package sqlite is Strata's SQLite dialect, the embedded default: a pure-Go
// driver (modernc.org/sqlite, driver name "sqlite"), inspection from
// sqlite_schema and the pragma table-valued functions in a constant number
// of bulk queries, normalization, DDL generation and transactional apply.
//
// # Canonical form
//
// Models are compared field by field after normalization (Normalize for a
// desired model, Inspect produces the same form). SQLite stores what it was
// given, so the canonical form stays close to the declared text; what
// SQLite cannot express is dropped rather than refused, so that a schema
// written for MySQL also runs on SQLite:
//
//   - Schema: Name "main"; Charset and Collate "".
//   - Table options: Engine, Charset, Collate, Comment, RowFormat are "";
//     Extra holds only "without rowid" and "strict", in that order, space
//     separated ("without rowid strict"). Partitioning is dropped.
//   - Column types: the declared type lower-cased with single spaces, its
//     numeric arguments in Args exactly as declared (no display widths are
//     added: int stays int, varchar(191) stays varchar(191)). unsigned and
//     zerofill are dropped (SQLite has no unsigned integers, and int(10)
//     unsigned is not valid SQLite). Aliases are not resolved (bool stays
//     bool): SQLite keeps the name and derives an affinity from it.
//     enum(...) becomes text with the column CHECK "col" IN ('a', 'b')
//     (combined with AND with a declared column check); set(...) becomes
//     text. In a STRICT table types map to int, integer, real, text, blob
//     or any by affinity (decimal and other numeric types → any).
//   - AUTOINCREMENT: only an INTEGER PRIMARY KEY can be one, so an
//     auto_increment column must be the whole primary key (else Normalize
//     fails) and its type becomes integer; it is written
//     "id integer NOT NULL PRIMARY KEY AUTOINCREMENT".
//     A column whose foreign key references an AUTOINCREMENT column takes
//     its type (integer) when its own type has integer affinity.
//   - Null: primary-key columns are NOT NULL (Strata always writes it).
//   - Default: "" when there is none or it is NULL. Otherwise the SQL text
//     with string literals in the model's (MariaDB's) form, as the HCL
//     loader writes them: 'it”s', backslash as \\, newline as \n; Generate
//     writes SQLite literals (” only) and Inspect converts back. Numbers as
//     written (a quoted number on a column of numeric affinity is
//     unquoted), TRUE/FALSE → 1/0, b'101' → 5, x'..' lower-case hex,
//     CURRENT_TIMESTAMP()/NOW()/CURRENT_TIMESTAMP(3)/LOCALTIMESTAMP →
//     CURRENT_TIMESTAMP (SQLite has seconds only; likewise CURRENT_DATE,
//     CURRENT_TIME), and any other expression in exactly one pair of
//     parentheses: (1 + 2), as SQLite requires.
//   - Column Charset, Comment, OnUpdate, Invisible: dropped (SQLite has no
//     such thing). Collate: NOCASE or RTRIM upper-case; BINARY (the
//     default) and every MySQL collation become "".
//   - Generated.Expr, Check.Expr, Column.Check: the text as written,
//     without outer parentheses and surrounding spaces. SQLite keeps it
//     verbatim (it accepts `backticks`), so no server round trip is needed.
//   - Checks without a name are named <table>_chk_<n> (n from 1, by
//     position); foreign keys without one <table>_<cols>_fkey.
//   - Foreign keys: OnUpdate/OnDelete upper-case, omitted → NO ACTION
//     (SQLite's default; RESTRICT is a different, immediate check). No
//     index is added for them.
//   - Indexes: UNIQUE or plain (FULLTEXT and SPATIAL become plain), no
//     prefix lengths, Comment/Using/Ignored dropped; expression parts keep
//     their text without outer parentheses. An inline UNIQUE constraint of
//     an existing table shows up as a UNIQUE index named
//     sqlite_autoindex_<table>_<columns joined by _> (SQLite's own numbered
//     names change when a rebuild leaves one out); indexes with that prefix
//     are written back inline and only change through a rebuild.
//     Partial indexes (WHERE) are not modeled: Inspect reports them
//     without their WHERE clause, and a rebuild recreates them without it.
//   - Views: Definition is the SELECT text as stored (after AS), trimmed,
//     without a trailing semicolon; Algorithm, Security, CheckOption "".
//   - Triggers: Timing BEFORE, AFTER or INSTEAD OF; Event INSERT, DELETE,
//     UPDATE or `UPDATE OF "a", "b"` (columns always quoted); Body is
//     everything after FOR EACH ROW: an optional WHEN clause and
//     BEGIN ... END, verbatim (a body without BEGIN is wrapped as
//     BEGIN body; END). Order 0.
//   - The strata_revisions table, sqlite_* tables and virtual tables are
//     never part of a model.
//
// Not modeled (the schema model has no place for them): partial index
// WHERE clauses, COLLATE on index parts, ON CONFLICT clauses, DEFERRABLE
// and MATCH on foreign keys, and the column list of a view. Inspect does
// not report them, and a rebuild of the table writes it without them.
//
// # DDL
//
// ALTER TABLE does what it can (ADD COLUMN at the end, DROP COLUMN of an
// unindexed, unconstrained column, RENAME COLUMN, RENAME TO, plus CREATE
// and DROP INDEX). Everything else, including column order, rebuilds the
// table the documented way: CREATE TABLE _strata_new_<t>, INSERT ... SELECT
// the kept columns (a column that becomes NOT NULL with a default takes
// the default where it was NULL), DROP TABLE, rename (with
// legacy_alter_table so that views reading the table do not block it),
// recreate its indexes and, with WithTarget, its triggers. Run the statements through ApplyTx: foreign
// keys are off during the transaction and PRAGMA foreign_key_check decides
// before commit, so a failing rebuild leaves schema and rows untouched.
// Run one by one outside a transaction, a rebuild still turns enforcement
// off around itself (it carries PRAGMA foreign_keys = OFF/ON, which are
// no-ops inside ApplyTx's transaction) so that its DROP TABLE does not
// cascade into child rows, but nothing is atomic and nothing checks the
// keys. A foreign key violation already in the database fails every apply
// until it is fixed.
//
// # Locking
//
// SQLite has no advisory locks. A database has one writer at a time, and
// ApplyTx's transaction (BEGIN IMMEDIATE on a connection from OpenURL)
// serializes the statements of an apply. Lock (dialect.Locker) covers a
// whole apply between Strata processes with an flock(2) on
// <database>-<name>.lock beside the database file, released by the kernel
// if the process dies; in-memory databases get a no-op lock.
package sqlite
