//go:build !unix

package sqlite

import "os"

// Without flock the lock is advisory only within SQLite's own write lock
// (see ApplyTx).
func tryLock(*os.File) (bool, error) { return true, nil }

func unlockFile(*os.File) error { return nil }
