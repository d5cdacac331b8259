package config

import (
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// DDL is an environment's `ddl` block: how its schema changes are planned
// and how long each waits for the locks it needs. Every field has a
// default (DefaultDDL), so an environment without the block gets plans that
// are safe on a busy database.
type DDL struct {
	// Online plans changes that keep the table usable where the server
	// can (PostgreSQL: indexes CONCURRENTLY, constraints NOT VALID then
	// VALIDATE; MySQL: ALGORITHM/LOCK clauses). false plans plain DDL.
	Online bool
	// LockTimeout is how long each DDL statement waits for its table's lock
	// before giving up (PostgreSQL lock_timeout), so that it never queues
	// every other query of that table behind it for longer. It is not the
	// environment's lock_timeout, which is how long a run waits for
	// Strata's own per-database lock.
	LockTimeout time.Duration
	// LockRetries is how many times a statement (or transaction of
	// statements) that gave up waiting is rolled back and tried again,
	// after a growing pause, before the run fails.
	LockRetries int
}

// The defaults of a ddl block.
const (
	DefaultDDLLockTimeout = 3 * time.Second
	DefaultDDLLockRetries = 5
)

// DefaultDDL is the ddl block of an environment that has none.
func DefaultDDL() DDL {
	return DDL{Online: true, LockTimeout: DefaultDDLLockTimeout, LockRetries: DefaultDDLLockRetries}
}

var ddlSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "online"}, {Name: "lock_timeout"}, {Name: "lock_retries"},
}}

// ddlBlock reads `ddl { online = …, lock_timeout = "3s", lock_retries = 5 }`.
func (l *loader) ddlBlock(env *Environment, b *hcl.Block, seen bool) {
	if seen {
		l.errorf(b.DefRange, "Duplicate ddl block", "An environment has one ddl block.")
		return
	}
	c, d := b.Body.Content(ddlSchema)
	l.add(d...)
	a := c.Attributes
	if oa := a["online"]; oa != nil {
		if v, ok := l.value(oa, cty.Bool); ok {
			env.DDL.Online = v.True()
		}
	}
	if ta := a["lock_timeout"]; ta != nil {
		if s := l.str(ta); s != "" {
			d, err := time.ParseDuration(s)
			switch {
			case err != nil || d < 0:
				l.errorf(ta.Expr.Range(), "Invalid ddl lock_timeout",
					"ddl lock_timeout is how long each schema change waits for its table's lock, a duration such as \"3s\" or \"500ms\"; got %q.", s)
			case d < time.Millisecond:
				// PostgreSQL reads lock_timeout = 0 as "wait for ever": the
				// opposite of what the block is for.
				l.errorf(ta.Expr.Range(), "Invalid ddl lock_timeout",
					"ddl lock_timeout must be at least 1ms (0 would let a schema change wait for ever, with every query of its table queued behind it); got %q.", s)
			default:
				env.DDL.LockTimeout = d
			}
		}
	}
	if ra := a["lock_retries"]; ra != nil {
		n := len(l.diags)
		if v := l.integer(ra, 0, 100); len(l.diags) == n {
			env.DDL.LockRetries = int(v)
		}
	}
}
