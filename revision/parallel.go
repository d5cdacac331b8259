package revision

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/stratadb/strata/dialect"
)

// A parallel run (apply --parallel N) runs the statements of unrelated
// tables at once on separate connections. Statements are grouped in lanes:
// statements that touch the same table, tables linked by a foreign key in
// the live schema, or tables one statement names together (a RENAME, a new
// foreign key) share a lane and run in their order; lanes run concurrently.
// A statement whose tables cannot be told (views, triggers) is a barrier:
// it runs alone, after everything before it and before everything after.
//
// Because statements finish out of order, a parallel run records each
// statement: which are done, and for each started one the hash of its
// lane's tables just before it. A rerun after a crash compares that hash
// with the live one to learn whether the statement took effect, as a
// sequential run does with the whole schema's hash (Resume).

// schedule is the lane of every statement of a run.
type schedule struct {
	lane   []int      // per statement; barrier for statements run alone
	tables [][]string // per lane: the tables its statements touch, sorted
}

const barrier = -1

// makeSchedule groups stmts into lanes. tablesOf names the tables of one
// statement (dialect.TableTeller); linked are pairs of tables joined by a
// foreign key in the live schema.
func makeSchedule(stmts []string, tablesOf func(string) ([]string, bool), linked [][2]string) schedule {
	parent := map[string]string{}
	var find func(string) string
	find = func(t string) string {
		p, ok := parent[t]
		if !ok || p == t {
			parent[t] = t
			return t
		}
		root := find(p)
		parent[t] = root
		return root
	}
	union := func(a, b string) {
		if ra, rb := find(a), find(b); ra != rb {
			parent[ra] = rb
		}
	}
	for _, l := range linked {
		union(l[0], l[1])
	}
	touched := make([][]string, len(stmts))
	for i, s := range stmts {
		if tablesOf == nil {
			continue
		}
		ts, ok := tablesOf(s)
		if !ok || len(ts) == 0 {
			continue
		}
		touched[i] = ts
		for _, t := range ts[1:] {
			union(ts[0], t)
		}
	}
	sc := schedule{lane: make([]int, len(stmts))}
	laneOf := map[string]int{}
	for i, ts := range touched {
		if ts == nil {
			sc.lane[i] = barrier
			continue
		}
		root := find(ts[0])
		l, ok := laneOf[root]
		if !ok {
			l = len(sc.tables)
			laneOf[root] = l
			sc.tables = append(sc.tables, nil)
		}
		sc.lane[i] = l
		for _, t := range ts {
			if !slices.Contains(sc.tables[l], t) {
				sc.tables[l] = append(sc.tables[l], t)
			}
		}
	}
	for _, ts := range sc.tables {
		sort.Strings(ts)
	}
	return sc
}

// laneTables is the table list hashed before statement i: its lane's
// tables, or nil (the whole schema) for a barrier.
func (sc schedule) laneTables(i int) []string {
	if sc.lane[i] == barrier {
		return nil
	}
	return sc.tables[sc.lane[i]]
}

// next returns the first statement of pending that may start now, or -1:
// one whose lane is idle and has no earlier pending statement, with no
// barrier pending before it; a barrier only when nothing runs.
func (sc schedule) next(pending []int, busy map[int]bool, running int) int {
	if busy[barrier] {
		return -1
	}
	seen := map[int]bool{}
	for k, i := range pending {
		l := sc.lane[i]
		if l == barrier {
			if k == 0 && running == 0 {
				return i
			}
			return -1
		}
		if !seen[l] && !busy[l] {
			return i
		}
		seen[l] = true
	}
	return -1
}

// stepHash returns the hash recorded before a statement: of the named
// tables, or of the whole schema when tables is nil. A table that another
// lane drops or renames while the schema is read can fail one reading; a
// few tries ride over that.
func stepHash(ctx context.Context, o RunOptions, tables []string) (string, error) {
	var err error
	for try := 0; try < 3; try++ {
		var h string
		if tables == nil {
			h, err = o.Hash(ctx)
		} else {
			h, err = o.HashTables(ctx, tables)
		}
		if err == nil {
			return h, nil
		}
		if ctx.Err() != nil {
			break
		}
		time.Sleep(time.Duration(try+1) * 50 * time.Millisecond)
	}
	return "", err
}

// stepResult is what a worker reports of one statement: ran is false when
// its bookkeeping failed before it was sent, so it did not run.
type stepResult struct {
	i   int
	ran bool
	err error
}

// runSteps runs the statements of stmts not marked done, o.Parallel at a
// time on connections from o.Conn (one at a time on q without it),
// recording each in st (Steps). It returns like Run.
func runSteps(ctx context.Context, q dialect.Querier, st *Store, r *Revision, stmts []string, done []bool, o RunOptions) error {
	bg := context.WithoutCancel(ctx)
	dir := o.Direction
	if dir == "" {
		dir = Up
	}
	n := len(stmts)
	sc := makeSchedule(stmts, o.Tables, o.Linked)
	workers := max(o.Parallel, 1)
	if o.Conn == nil {
		workers = 1
	}
	state := &StepState{Running: map[int]RunningStep{}}
	count := 0
	var pending []int
	for i := range stmts {
		if done[i] {
			state.Done = append(state.Done, i)
			count++
		} else {
			pending = append(pending, i)
		}
	}
	var mu sync.Mutex // guards state and count, and orders the writes to st
	save := func() error {
		return st.SaveSteps(bg, r.Version, state, count)
	}

	// Connections: one per worker, taken when first needed.
	var (
		free    []dialect.Querier
		release []func()
	)
	defer func() {
		for _, rel := range release {
			rel()
		}
	}()
	conn := func() (dialect.Querier, error) {
		if o.Conn == nil {
			return q, nil
		}
		if len(free) > 0 {
			c := free[len(free)-1]
			free = free[:len(free)-1]
			return c, nil
		}
		c, rel, err := o.Conn(bg)
		if err != nil {
			return nil, fmt.Errorf("connection for a parallel statement: %w", err)
		}
		release = append(release, rel)
		return c, nil
	}

	results := make(chan stepResult)
	start := func(i int, c dialect.Querier) {
		go func() {
			res := stepResult{i: i}
			tables := sc.laneTables(i)
			canHash := o.HashTables != nil
			if tables == nil {
				canHash = o.Hash != nil
			}
			var h string
			if canHash {
				var err error
				if h, err = stepHash(ctx, o, tables); err != nil {
					res.err = fmt.Errorf("schema hash before statement %d: %w", i+1, err)
					results <- res
					return
				}
			}
			mu.Lock()
			state.Running[i] = RunningStep{Tables: tables, Hash: h}
			err := save()
			mu.Unlock()
			if err != nil {
				res.err = err
				results <- res
				return
			}
			res.ran = true
			if o.Progress != nil {
				o.Progress(i, n, stmts[i])
			}
			// As in Run: the statement runs to its end even when ctx is
			// cancelled.
			handed, err := o.handoff(ctx, i)
			if !handed {
				_, err = c.ExecContext(bg, stmts[i])
			}
			if !handed && err != nil && o.Fallback != nil && ctx.Err() == nil {
				if alt, ok := o.Fallback(stmts[i], err); ok {
					_, err = c.ExecContext(bg, alt)
				}
			}
			if err == nil && o.Finished != nil {
				o.Finished(i, n)
			}
			res.err = err
			results <- res
		}()
	}

	busy := map[int]bool{} // lanes with a running statement
	conns := map[int]dialect.Querier{}
	running := 0
	var failure *stepResult
	var bookErr error
	for len(pending) > 0 || running > 0 {
		for failure == nil && bookErr == nil && ctx.Err() == nil && running < workers {
			i := sc.next(pending, busy, running)
			if i < 0 {
				break
			}
			c, err := conn()
			if err != nil {
				bookErr = err
				break
			}
			pending = slices.DeleteFunc(pending, func(j int) bool { return j == i })
			busy[sc.lane[i]] = true
			conns[i] = c
			running++
			start(i, c)
		}
		if running == 0 {
			break
		}
		res := <-results
		running--
		busy[sc.lane[res.i]] = false
		free = append(free, conns[res.i])
		delete(conns, res.i)
		switch {
		case res.err == nil:
			mu.Lock()
			delete(state.Running, res.i)
			state.Done = append(state.Done, res.i)
			count++
			err := save()
			mu.Unlock()
			if err != nil && bookErr == nil {
				bookErr = err
			}
		case !res.ran:
			// Its bookkeeping failed before it was sent: it waits for the
			// rerun.
			mu.Lock()
			delete(state.Running, res.i)
			mu.Unlock()
			pending = append(pending, res.i)
			slices.Sort(pending)
			if bookErr == nil && ctx.Err() == nil {
				// (A hash cut short by Ctrl-C is an interruption.)
				bookErr = res.err
			}
		case ctx.Err() != nil:
			// Cancelled while it ran: the server may still have finished
			// it; the running mark stays for the rerun to settle.
			if failure == nil {
				res.err = fmt.Errorf("%w during the statement: %w", ErrInterrupted, res.err)
				failure = &res
			}
		default:
			mu.Lock()
			delete(state.Running, res.i)
			mu.Unlock()
			if failure == nil {
				failure = &res
			}
		}
	}
	var (
		err    error
		stmt   string
		number int
	)
	partial := func(stmt string, err error) error {
		return &PartialError{Version: r.Version, Direction: dir, Done: count, Total: n, Statement: stmt, Number: number, Err: err}
	}
	switch {
	case failure != nil:
		err, stmt, number = failure.err, stmts[failure.i], failure.i+1
	case bookErr != nil:
		err = bookErr
	case ctx.Err() != nil && len(pending) > 0:
		err = stopped(ctx)
	default:
		return nil
	}
	mu.Lock()
	defer mu.Unlock()
	if serr := save(); serr != nil {
		return errors.Join(partial(stmt, err), serr)
	}
	if ferr := st.Fail(bg, r.Version, count, stmt, err); ferr != nil {
		return errors.Join(partial(stmt, err), ferr)
	}
	return partial(stmt, err)
}

// resumeSteps settles the statements a parallel run left running (see
// Resume) and returns which statements are done.
func resumeSteps(ctx context.Context, st *Store, rec *Record, state *StepState, stmts []string, o RunOptions) ([]bool, error) {
	done := make([]bool, len(stmts))
	for _, i := range state.Done {
		if i >= 0 && i < len(stmts) {
			done[i] = true
		}
	}
	changed := false
	for _, i := range slices.Sorted(maps.Keys(state.Running)) {
		step := state.Running[i]
		if i < 0 || i >= len(stmts) {
			continue
		}
		if step.Hash == "" || o.Hash == nil || (step.Tables != nil && o.HashTables == nil) {
			return nil, &UncertainError{Version: rec.Version, Index: i, Statement: stmts[i], Direction: rec.Direction}
		}
		if err := o.settle(ctx, i, stmts); err != nil {
			return nil, err
		}
		live, err := stepHash(ctx, o, step.Tables)
		if err != nil {
			return nil, fmt.Errorf("resume revision %s: schema hash: %w", rec.Version, err)
		}
		if live != step.Hash {
			done[i] = true
			state.Done = append(state.Done, i)
		}
		delete(state.Running, i)
		changed = true
	}
	if changed {
		n := 0
		for _, d := range done {
			if d {
				n++
			}
		}
		if err := st.SaveSteps(ctx, rec.Version, state, n); err != nil {
			return nil, err
		}
	}
	return done, nil
}
