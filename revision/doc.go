// Package revision keeps Strata's history: the revision files in migrations/
// with their sum file, the strata_revisions table and its event log in each
// database, the per-database apply lock, and the runner that executes a
// revision's statements one by one so that an interrupted apply resumes
// where it stopped.
//
// A revision file is immutable once written; strata.sum holds a checksum
// per file and one over the list, so an edited, deleted, renamed or added
// file is refused (*ChecksumError) until the user restores it or runs
// "strata rehash" (Dir.Rehash). Two revisions with the same parent are a
// *ConflictError.
//
// Applying a new revision (dev), with conn a *sql.Conn:
//
//	st := &revision.Store{Q: conn, Dialect: "mysql"}
//	unlock, err := st.Lock(ctx, timeout)          // GET_LOCK; defer unlock()
//	r := revision.New(upPlan, downPlan, revision.Meta{Slug: name, Env: env})
//	path, err := revision.ApplyNew(ctx, dir, conn, st, r, revision.RunOptions{Hash: liveHash})
//
// ApplyNew writes the file first (a crash must leave a file to resume from)
// and removes it again when the run failed before anything took effect.
//
// liveHash inspects the database and returns schema.Schema.Hash: Apply
// refuses a database not at r.FromHash (*DriftError) and records the hash
// before each statement, so that after a crash Resume can tell whether the
// statement that was running took effect (MySQL DDL commits itself).
//
// Each run is also an event in strata_revision_events (Store.Events): apply,
// reapply, resume, rollback, rollback_resume, with its start, end, outcome
// and users; Store.RecordEvent adds an event that is not a run, e.g. a gate
// override with its reason:
//
//	err := st.RecordEvent(ctx, r.Version, revision.EventGateOverride, reason)
//
// Promoting (staging, prod): dir.Load, Store.Applied, Compare; then Apply
// each State.Pending revision in order (a State.Partial one first: Apply
// resumes it). Rolling back: Rollback with the newest applied revision.
// Dialects with transactional DDL (SQLite, PostgreSQL) use ApplyTx and
// RollbackTx instead: all or nothing, nothing to resume. A revision of such
// a dialect with statements that cannot run in a transaction (NoTx) runs
// through Apply and Rollback with RunOptions.Transactions: its steps are
// recorded and resumed as above (see steps.go), and RunOptions.Lock
// (TxOptions.Lock) bounds every statement's lock wait with retries.
package revision
