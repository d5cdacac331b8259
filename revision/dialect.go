package revision

import "fmt"

// DialectError is a revision written for another dialect than the
// database it would run on.
type DialectError struct {
	File    string // the revision's file
	Version string
	Has     string // the dialect the file names
	Want    string // the dialect of the database
}

func (e *DialectError) Error() string {
	return fmt.Sprintf("%s is a %s revision (its header says dialect: %s), but this database is %s: the statements of one dialect do not run on another",
		e.File, e.Has, e.Has, e.Want)
}

// CheckDialect returns a *DialectError for the first revision that names a
// dialect other than want. A revision that names none (written before
// revisions named their dialect) is taken to be of want: it belongs to the
// directory of the environment that runs it.
func CheckDialect(revs []*Revision, want string) error {
	for _, r := range revs {
		if r.Dialect != "" && r.Dialect != want {
			return &DialectError{File: r.File, Version: r.Version, Has: r.Dialect, Want: want}
		}
	}
	return nil
}
