package mysql

import (
	"errors"
	"fmt"
	"regexp"

	driver "github.com/go-sql-driver/mysql"
)

var (
	// "ALTER command denied to user 'u'@'h' for table `db`.`t`"
	commandDenied = regexp.MustCompile(`^(\w+) command denied to user ('[^']*'@'[^']*') for table (.+)$`)
	// "Access denied for user 'u'@'h' to database 'db'"
	databaseDenied = regexp.MustCompile(`^Access denied for user ('[^']*'@'[^']*') to database '([^']*)'$`)
)

// Explain turns a server error that the user must fix outside Strata
// (missing privileges, a read-only server) into one line that says what to
// do; it reports false for any other error.
func Explain(err error) (string, bool) {
	var me *driver.MySQLError
	if !errors.As(err, &me) {
		return "", false
	}
	switch me.Number {
	case 1142, 1143:
		if m := commandDenied.FindStringSubmatch(me.Message); m != nil {
			return fmt.Sprintf("user %s lacks the %s privilege on %s: have an administrator GRANT %s on that database to it, or use a user that has it; nothing more was run",
				m[2], m[1], m[3], m[1]), true
		}
		return fmt.Sprintf("%s: have an administrator grant the privilege, or use a user that has it", me.Message), true
	case 1044:
		if m := databaseDenied.FindStringSubmatch(me.Message); m != nil {
			return fmt.Sprintf("user %s may not use database %q: have an administrator GRANT it privileges there, or use another user", m[1], m[2]), true
		}
	case 1227:
		return fmt.Sprintf("%s: have an administrator grant it, or use a user that has it", me.Message), true
	case 1290, 1836:
		return "the server is read-only (--read-only or super_read_only): run against the primary, or have an administrator make it writable", true
	}
	return "", false
}
