package planner

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stratadb/strata/schema"
)

func permutations(n int) [][]int {
	var out [][]int
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	var gen func(k int)
	gen = func(k int) {
		if k == n {
			out = append(out, slices.Clone(p))
			return
		}
		for i := k; i < n; i++ {
			p[k], p[i] = p[i], p[k]
			gen(k + 1)
			p[k], p[i] = p[i], p[k]
		}
	}
	gen(0)
	return out
}

func lisLen(seq []int) int {
	var tails []int
	for _, v := range seq {
		i, _ := slices.BinarySearch(tails, v)
		if i == len(tails) {
			tails = append(tails, v)
		} else {
			tails[i] = v
		}
	}
	return len(tails)
}

// mysqlOrder applies the column clauses with MySQL's rule: positioned
// columns are taken out first, then inserted in clause order.
func mysqlOrder(cols []string, ch []schema.TableChange) ([]string, error) {
	var moved []schema.TableChange
	out := slices.Clone(cols)
	for _, c := range ch {
		switch c := c.(type) {
		case *schema.DropColumn:
			out = slices.DeleteFunc(out, func(s string) bool { return s == c.C.Name })
		case *schema.ModifyColumn:
			if c.Kind.Is(schema.ChangePosition) {
				out = slices.DeleteFunc(out, func(s string) bool { return s == c.From.Name })
				moved = append(moved, c)
			} else if i := slices.Index(out, c.From.Name); i >= 0 {
				out[i] = c.To.Name
			}
		case *schema.RenameColumn:
			if i := slices.Index(out, c.From); i >= 0 {
				out[i] = c.To
			}
		case *schema.AddColumn:
			moved = append(moved, c)
		}
	}
	for _, c := range moved {
		var name string
		var pos schema.ColumnPosition
		switch c := c.(type) {
		case *schema.ModifyColumn:
			name, pos = c.To.Name, c.Position
		case *schema.AddColumn:
			name, pos = c.C.Name, c.Position
		}
		switch {
		case pos.After != "":
			i := slices.Index(out, pos.After)
			if i < 0 {
				return nil, fmt.Errorf("%s AFTER unknown %s", name, pos.After)
			}
			out = slices.Insert(out, i+1, name)
		case pos.First:
			out = slices.Insert(out, 0, name)
		default:
			out = append(out, name)
		}
	}
	return out, nil
}

func colNames(t *schema.Table) []string {
	var n []string
	for _, c := range t.Columns {
		n = append(n, c.Name)
	}
	return n
}

func TestDiff_ColumnOrder(t *testing.T) {
	for n := 1; n <= 7; n++ {
		t.Run(fmt.Sprintf("all permutations of %d", n), func(t *testing.T) {
			cols := make([]*schema.Column, n)
			for i := range cols {
				cols[i] = col(fmt.Sprintf("c%d", i), "int", 11)
			}
			cur := sch(tbl("t", cols...))
			for _, p := range permutations(n) {
				des := clone(cur)
				dt := des.Tables[0]
				perm := make([]*schema.Column, n)
				for i, j := range p {
					perm[i] = dt.Columns[j]
				}
				dt.Columns = perm
				chs := Diff(cur, des, mysqlRules)
				moves := 0
				if len(chs) > 0 {
					for _, c := range chs[0].(*schema.AlterTable).Changes {
						if m, ok := c.(*schema.ModifyColumn); !ok || m.Kind != schema.ChangePosition {
							t.Fatalf("perm %v: unexpected clause %s", p, describeClause(c))
						}
						moves++
					}
				}
				if want := n - lisLen(p); moves != want {
					t.Fatalf("perm %v: %d moves, want %d: %q", p, moves, want, describe(chs))
				}
				res, err := apply(cur, chs)
				if err != nil {
					t.Fatalf("perm %v: %v", p, err)
				}
				if got, want := colNames(res.Tables[0]), colNames(dt); !slices.Equal(got, want) {
					t.Fatalf("perm %v: MariaDB order %v, want %v", p, got, want)
				}
				if len(chs) > 0 {
					got, err := mysqlOrder(colNames(cur.Tables[0]), chs[0].(*schema.AlterTable).Changes)
					if err != nil || !slices.Equal(got, colNames(dt)) {
						t.Fatalf("perm %v: MySQL order %v (%v), want %v", p, got, err, colNames(dt))
					}
				}
			}
		})
	}
}

// TestDiff_RandomTables mutates random tables (drops, adds, renames,
// reorders, type changes, indexes) and checks that applying the diff
// converges and the reverse restores the original, under both MariaDB's
// and MySQL's column placement.
func TestDiff_RandomTables(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for iter := range 400 {
		n := 1 + r.IntN(10)
		cols := make([]*schema.Column, n)
		for i := range cols {
			cols[i] = col(fmt.Sprintf("c%d", i), "int", 11)
		}
		cur := sch(tbl("t", cols...))
		if r.IntN(2) == 0 {
			idx(cur.Tables[0], "i0", schema.IndexPlain, "c0")
		}
		des := clone(cur)
		dt := des.Tables[0]
		var next []*schema.Column
		for _, c := range dt.Columns {
			switch r.IntN(6) {
			case 0:
				if c.Name == "c0" && len(dt.Indexes) > 0 {
					next = append(next, c)
				}
				continue // dropped
			case 1:
				c.RenamedFrom = c.Name
				c.Name = "r" + c.Name
				for i := range dt.Indexes {
					for k := range dt.Indexes[i].Parts {
						if dt.Indexes[i].Parts[k].Column == c.RenamedFrom {
							dt.Indexes[i].Parts[k].Column = c.Name
						}
					}
				}
			case 2:
				c.Type = schema.Type{Name: "bigint", Args: []int{20}}
			}
			next = append(next, c)
		}
		for i := range r.IntN(3) {
			next = append(next, nullable(col(fmt.Sprintf("n%d", i), "varchar", 10)))
		}
		r.Shuffle(len(next), func(i, j int) { next[i], next[j] = next[j], next[i] })
		dt.Columns = next
		name := fmt.Sprintf("%d: %v → %v", iter, colNames(cur.Tables[0]), colNames(dt))
		if len(next) == 0 {
			continue
		}
		t.Run(strings.ReplaceAll(name, " ", ""), func(t *testing.T) {
			checkConverges(t, cur, des)
			chs := Diff(cur, des, mysqlRules)
			if len(chs) == 0 {
				return
			}
			got, err := mysqlOrder(colNames(cur.Tables[0]), chs[0].(*schema.AlterTable).Changes)
			if err != nil {
				t.Fatal(err)
			}
			if want := colNames(dt); !slices.Equal(got, want) {
				t.Fatalf("MySQL order %v, want %v\n%q", got, colNames(dt), describe(chs))
			}
		})
	}
}
