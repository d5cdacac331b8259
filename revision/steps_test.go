package revision

import (
	"errors"
	"testing"
)

// TestStretchFailed: an ad hoc run's failure names the statements that
// failed, whether they were rolled back, and what before them stands.
func TestStretchFailed(t *testing.T) {
	cause := errors.New("must be owner of table t")
	for _, tc := range []struct {
		i, j, n int
		noTx    bool
		want    string
	}{
		{0, 1, 4, false, "statement 1 of 4 failed and was rolled back (nothing before it changed): must be owner of table t"},
		{1, 2, 4, true, "statement 2 of 4 failed (the statement before it is done): must be owner of table t"},
		{2, 4, 4, false, "statements 3–4 of 4 failed and were rolled back (the 2 statements before them are done): must be owner of table t"},
	} {
		err := stretchFailed(tc.i, tc.j, tc.n, tc.noTx, cause)
		if err.Error() != tc.want || !errors.Is(err, cause) {
			t.Errorf("stretchFailed(%d, %d, %d, %v) = %q, want %q", tc.i, tc.j, tc.n, tc.noTx, err, tc.want)
		}
	}
}
