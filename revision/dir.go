package revision

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// SumFile is the name of the sum file in the migrations directory.
const SumFile = "strata.sum"

// RehashCommand is the command that rewrites the sum file; error texts name it.
const RehashCommand = "strata rehash"

// Dir is a migrations directory: revision files and their sum file.
type Dir struct{ Path string }

// ChecksumError reports a revision file (or the sum file) that does not match
// strata.sum: edited, deleted, renamed, reordered or unknown.
type ChecksumError struct {
	File   string // path of the file concerned
	Reason string // what happened, e.g. "was edited after it was written"
	Fix    string // how to resolve it
}

func (e *ChecksumError) Error() string {
	what := "revision "
	if filepath.Base(e.File) == SumFile {
		what = "sum file "
	}
	msg := fmt.Sprintf("%s%s %s", what, e.File, e.Reason)
	if e.Fix != "" {
		msg += ": " + e.Fix
	}
	return msg
}

// ConflictError reports two revisions that follow the same parent, typically
// from two branches merged together.
type ConflictError struct {
	A, B   string // paths of the two revisions
	Parent string // their common parent version ("" for none)
}

func (e *ConflictError) Error() string {
	parent := "the start of the history"
	if e.Parent != "" {
		parent = "revision " + e.Parent
	}
	return fmt.Sprintf("revisions %s and %s both follow %s: history must be a single line; "+
		"keep one, roll the other back where it was applied (strata rollback), delete its file, "+
		"run %q, then apply again to make a new revision on top", e.A, e.B, parent, RehashCommand)
}

// ChainError reports a history whose parent links are broken: a parent that
// is missing, or a revision older than its parent.
type ChainError struct {
	File   string
	Reason string
}

func (e *ChainError) Error() string { return fmt.Sprintf("revision %s %s", e.File, e.Reason) }

const fixEdit = "revisions are immutable once written; restore the file (e.g. git checkout -- FILE). " +
	"Only if no database has applied it yet and the change is intended, run \"" + RehashCommand + "\"; " +
	"to change an applied revision's schema, make a new revision instead (edit the schema, then strata apply)"

// Load reads every revision of the directory, checks them against the sum
// file and returns them in history order (parent before child). A missing
// directory holds no revisions. Errors: *ConflictError, *ChecksumError,
// *ChainError, *ParseError.
func (d Dir) Load() ([]*Revision, error) {
	files, err := d.files()
	if err != nil {
		return nil, err
	}
	if files == nil {
		return nil, nil
	}
	revs := make([]*Revision, 0, len(files))
	sums := map[string]string{}
	var parseErrs []error
	for _, name := range files {
		b, err := os.ReadFile(filepath.Join(d.Path, name))
		if err != nil {
			return nil, fmt.Errorf("read revision: %w", err)
		}
		sums[name] = Checksum(b)
		r, err := Parse(filepath.Join(d.Path, name), b)
		if err != nil {
			parseErrs = append(parseErrs, err)
			continue
		}
		revs = append(revs, r)
	}
	// A conflict is the likeliest story behind most other errors after a
	// merge, so it is reported first.
	if err := conflicts(revs); err != nil {
		return nil, err
	}
	if err := d.verify(files, sums); err != nil {
		return nil, err
	}
	if len(parseErrs) > 0 {
		return nil, parseErrs[0]
	}
	return chain(revs)
}

// LoadWithout reads the directory as Load does, leaving out the revision
// files at the paths in skip (one side of a *ConflictError) and without
// checking them against strata.sum, which lists both sides of a conflict or
// neither. It is for undoing one side where it was applied: Compare still
// checks every applied revision against the checksum its record holds.
func (d Dir) LoadWithout(skip ...string) ([]*Revision, error) {
	files, err := d.files()
	if err != nil || files == nil {
		return nil, err
	}
	var revs []*Revision
	for _, name := range files {
		path := filepath.Join(d.Path, name)
		if slices.Contains(skip, path) {
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read revision: %w", err)
		}
		r, err := Parse(path, b)
		if err != nil {
			return nil, err
		}
		revs = append(revs, r)
	}
	if err := conflicts(revs); err != nil {
		return nil, err
	}
	return chain(revs)
}

// files lists the revision files (names only, sorted) and refuses .sql files
// that are not named like revisions. nil means the directory does not exist.
func (d Dir) files() ([]string, error) {
	entries, err := os.ReadDir(d.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read migrations directory: %w", err)
	}
	files := []string{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".sql") {
			continue
		}
		if !fileName.MatchString(name) {
			return nil, &ChecksumError{File: filepath.Join(d.Path, name),
				Reason: "is not named like a revision (<yyyymmddHHMMSS>_<slug>.sql)",
				Fix:    "remove it from the migrations directory; revisions are written by strata apply"}
		}
		files = append(files, name)
	}
	slices.Sort(files)
	return files, nil
}

func conflicts(revs []*Revision) error {
	byParent := map[string]*Revision{}
	for _, r := range revs {
		if o, ok := byParent[r.Parent]; ok {
			a, b := o.File, r.File
			if a > b {
				a, b = b, a
			}
			return &ConflictError{A: a, B: b, Parent: r.Parent}
		}
		byParent[r.Parent] = r
	}
	return nil
}

// sum is a parsed sum file: the total over the entries, the entries in order.
type sum struct {
	total   string
	names   []string
	entries map[string]string
}

func (d Dir) sumPath() string { return filepath.Join(d.Path, SumFile) }

func (d Dir) readSum() (*sum, error) {
	b, err := os.ReadFile(d.sumPath())
	if err != nil {
		return nil, err
	}
	s := &sum{entries: map[string]string{}}
	sc := bufio.NewScanner(bytes.NewReader(b))
	first := true
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if first {
			s.total, first = l, false
			continue
		}
		if l == "" {
			continue
		}
		name, h, ok := strings.Cut(l, " ")
		if !ok || !strings.HasPrefix(h, "h1:") || s.entries[name] != "" {
			return nil, &ChecksumError{File: d.sumPath(), Reason: fmt.Sprintf("has a malformed line %q", l),
				Fix: "if it holds merge conflict markers, see which revisions conflict; then run \"" + RehashCommand + "\""}
		}
		s.names = append(s.names, name)
		s.entries[name] = h
	}
	return s, nil
}

func sumBody(names []string, sums map[string]string) string {
	var b strings.Builder
	for _, n := range names {
		b.WriteString(n + " " + sums[n] + "\n")
	}
	return b.String()
}

func formatSum(names []string, sums map[string]string) []byte {
	body := sumBody(names, sums)
	return []byte(Checksum([]byte(body)) + "\n" + body)
}

// verify checks the revision files (sorted names, their checksums) against
// the sum file.
func (d Dir) verify(files []string, sums map[string]string) error {
	s, err := d.readSum()
	if errors.Is(err, fs.ErrNotExist) {
		if len(files) == 0 {
			return nil
		}
		return &ChecksumError{File: d.sumPath(), Reason: "is missing",
			Fix: "restore it (e.g. git checkout -- " + d.sumPath() + "), or run \"" + RehashCommand + "\" to trust the files as they are"}
	}
	if err != nil {
		var ce *ChecksumError
		if errors.As(err, &ce) {
			return err
		}
		return fmt.Errorf("read %s: %w", d.sumPath(), err)
	}
	if s.total != Checksum([]byte(sumBody(s.names, s.entries))) {
		return &ChecksumError{File: d.sumPath(), Reason: "was edited by hand (its total does not match its lines)",
			Fix: "restore it, or run \"" + RehashCommand + "\""}
	}
	present := map[string]bool{}
	for _, f := range files {
		present[f] = true
	}
	for _, name := range s.names {
		if present[name] {
			continue
		}
		path := filepath.Join(d.Path, name)
		// A listed file that is gone while an unlisted one with the same
		// slug appeared was renamed.
		for _, f := range files {
			if _, ok := s.entries[f]; !ok && slugOf(f) == slugOf(name) {
				return &ChecksumError{File: path, Reason: "was renamed to " + f,
					Fix: "rename it back; versions are fixed once written (run \"" + RehashCommand + "\" only if the new name is intended)"}
			}
		}
		return &ChecksumError{File: path, Reason: "was deleted",
			Fix: "restore it (e.g. git checkout -- " + path + "); if it was removed on purpose, run \"" + RehashCommand + "\""}
	}
	for _, f := range files {
		if _, ok := s.entries[f]; !ok {
			return &ChecksumError{File: filepath.Join(d.Path, f), Reason: "is not in " + SumFile + " (added by hand or copied in)",
				Fix: "remove it; revisions are written by strata apply (run \"" + RehashCommand + "\" only if it belongs)"}
		}
	}
	for _, f := range files {
		if s.entries[f] != sums[f] {
			return &ChecksumError{File: filepath.Join(d.Path, f), Reason: "was edited after it was written (its checksum differs from " + SumFile + ")",
				Fix: strings.ReplaceAll(fixEdit, "FILE", filepath.Join(d.Path, f))}
		}
	}
	if !slices.Equal(s.names, files) {
		for i := range files {
			if s.names[i] != files[i] {
				return &ChecksumError{File: filepath.Join(d.Path, files[i]), Reason: "is out of order (" + SumFile + " lists the revisions in another order)",
					Fix: "restore the order, or run \"" + RehashCommand + "\""}
			}
		}
	}
	return nil
}

func slugOf(name string) string {
	m := fileName.FindStringSubmatch(name)
	if m == nil {
		return name
	}
	return m[2]
}

// chain orders revisions from the first to the head by their parent links.
// Conflicts were ruled out before.
func chain(revs []*Revision) ([]*Revision, error) {
	if len(revs) == 0 {
		return nil, nil
	}
	byVersion := map[string]*Revision{}
	byParent := map[string]*Revision{}
	for _, r := range revs {
		if o, ok := byVersion[r.Version]; ok {
			return nil, &ChainError{File: r.File, Reason: "has the same version as " + o.File}
		}
		byVersion[r.Version] = r
		byParent[r.Parent] = r
	}
	for _, r := range revs {
		if r.Parent == "" {
			continue
		}
		p, ok := byVersion[r.Parent]
		if !ok {
			return nil, &ChainError{File: r.File, Reason: "follows revision " + r.Parent + ", which is not in the directory; restore the missing revision file"}
		}
		if p.Version >= r.Version {
			return nil, &ChainError{File: r.File, Reason: "is older than its parent " + p.File + " (reordered)"}
		}
	}
	var out []*Revision
	for r := byParent[""]; r != nil; r = byParent[r.Version] {
		out = append(out, r)
	}
	if len(out) != len(revs) {
		return nil, &ChainError{File: revs[0].File, Reason: "history has no first revision (parent: none) reaching every revision"}
	}
	return out, nil
}

// Head returns the last revision of the directory's history, nil if none.
func (d Dir) Head() (*Revision, error) {
	revs, err := d.Load()
	if err != nil || len(revs) == 0 {
		return nil, err
	}
	return revs[len(revs)-1], nil
}

// Prepare gives r its place after the current head without writing
// anything: it sets r.Parent to the head's version, moves r.Version forward
// by seconds until it is later than the head and free, and sets r.File and
// r.Checksum to what Write will produce. Apply needs the checksum before the
// file exists: prepare, apply, then Write the prepared revision.
func (d Dir) Prepare(r *Revision) error {
	revs, err := d.Load()
	if err != nil {
		return fmt.Errorf("prepare revision: %w", err)
	}
	if err := place(r, revs); err != nil {
		return fmt.Errorf("prepare revision: %w", err)
	}
	r.File, r.Checksum = filepath.Join(d.Path, r.Name()), Checksum(Format(r))
	return nil
}

// place sets r's parent to the head of revs and its version to a free one
// after the head.
func place(r *Revision, revs []*Revision) error {
	if r.Version == "" {
		r.Version = r.Created.UTC().Format(VersionLayout)
	}
	r.Parent = ""
	taken := map[string]bool{}
	for _, o := range revs {
		taken[o.Version] = true
	}
	if len(revs) > 0 {
		head := revs[len(revs)-1]
		r.Parent = head.Version
		if r.Version <= head.Version {
			r.Version = head.Version
		}
	}
	for taken[r.Version] {
		var err error
		if r.Version, err = nextVersion(r.Version); err != nil {
			return err
		}
	}
	return nil
}

// Write appends r to the history: it places r as Prepare does, writes the
// file and adds it to the sum file. It refuses to write into a directory
// that does not Load cleanly, and a prepared revision (r.Checksum set) whose
// bytes would no longer match that checksum (the directory changed in
// between, or r did). It sets r.File and r.Checksum and returns the path.
func (d Dir) Write(r *Revision) (string, error) {
	revs, err := d.Load()
	if err != nil {
		return "", fmt.Errorf("write revision: %w", err)
	}
	if err := os.MkdirAll(d.Path, 0o755); err != nil {
		return "", fmt.Errorf("write revision: %w", err)
	}
	prepared := r.Checksum
	if err := place(r, revs); err != nil {
		return "", fmt.Errorf("write revision: %w", err)
	}
	b := Format(r)
	path := filepath.Join(d.Path, r.Name())
	if prepared != "" && prepared != Checksum(b) {
		return "", fmt.Errorf("write revision %s: it no longer matches its prepared checksum %s "+
			"(another revision was written in between?); the database recorded that checksum", path, prepared)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", fmt.Errorf("write revision: %w", err)
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return "", fmt.Errorf("write revision %s: %w", path, err)
	}
	r.File, r.Checksum = path, Checksum(b)
	names := make([]string, 0, len(revs)+1)
	sums := map[string]string{}
	for _, o := range revs {
		n := filepath.Base(o.File)
		names = append(names, n)
		sums[n] = o.Checksum
	}
	names = append(names, r.Name())
	sums[r.Name()] = r.Checksum
	slices.Sort(names)
	if err := d.writeSum(names, sums); err != nil {
		os.Remove(path)
		return "", err
	}
	return path, nil
}

// Rehash rewrites the sum file from the revision files as they are now. It
// is the user's explicit "I trust these files" after a deliberate edit,
// deletion or merge resolution.
func (d Dir) Rehash() error {
	files, err := d.files()
	if err != nil {
		return fmt.Errorf("rehash: %w", err)
	}
	if files == nil {
		return fmt.Errorf("rehash: migrations directory %s does not exist", d.Path)
	}
	sums := map[string]string{}
	for _, name := range files {
		b, err := os.ReadFile(filepath.Join(d.Path, name))
		if err != nil {
			return fmt.Errorf("rehash: %w", err)
		}
		sums[name] = Checksum(b)
	}
	return d.writeSum(files, sums)
}

// writeSum replaces the sum file atomically.
func (d Dir) writeSum(names []string, sums map[string]string) error {
	tmp, err := os.CreateTemp(d.Path, ".strata.sum.*")
	if err != nil {
		return fmt.Errorf("write %s: %w", SumFile, err)
	}
	_, err = tmp.Write(formatSum(names, sums))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), d.sumPath())
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", SumFile, err)
	}
	return nil
}

// Discard removes the head revision r from the directory and the sum file:
// for a revision written before its apply that then changed nothing. Only
// the head can go, so the history stays a line.
func (d Dir) Discard(r *Revision) error {
	revs, err := d.Load()
	if err != nil {
		return fmt.Errorf("discard revision: %w", err)
	}
	if len(revs) == 0 || revs[len(revs)-1].Version != r.Version {
		return fmt.Errorf("discard revision %s: it is not the last revision of %s", r.Version, d.Path)
	}
	head := revs[len(revs)-1]
	names := make([]string, 0, len(revs)-1)
	sums := map[string]string{}
	for _, o := range revs[:len(revs)-1] {
		n := filepath.Base(o.File)
		names = append(names, n)
		sums[n] = o.Checksum
	}
	slices.Sort(names)
	if err := os.Remove(head.File); err != nil {
		return fmt.Errorf("discard revision: %w", err)
	}
	return d.writeSum(names, sums)
}
