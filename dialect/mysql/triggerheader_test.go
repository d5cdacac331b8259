package mysql

import (
	"strings"
	"testing"

	"github.com/stratadb/strata/schema"
)

func TestTriggerHeaderInspect(t *testing.T) {
	tests := []struct {
		name, stmt, body, want string
	}{
		{"multi-line", "CREATE DEFINER=`root`@`localhost` TRIGGER t BEFORE DELETE ON x\nFOR EACH ROW BEGIN\n  SET @a = 1;\nEND", "BEGIN\n  SET @a = 1;\nEND",
			"TRIGGER t BEFORE DELETE ON x\nFOR EACH ROW "},
		{"ansi quotes definer", `CREATE DEFINER="ro""ot"@"%" trigger t2 after insert on "x" for each row set @b=1`, "set @b=1",
			`trigger t2 after insert on "x" for each row `},
		{"role definer", "CREATE DEFINER=`admin` TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET @a = 1", "SET @a = 1",
			"TRIGGER t BEFORE INSERT ON x FOR EACH ROW "},
		{"own database qualifier", "CREATE DEFINER=`root`@`localhost` TRIGGER `db`.`t` BEFORE INSERT ON db . x FOR EACH ROW SET @a = 1", "SET @a = 1",
			"TRIGGER `t` BEFORE INSERT ON x FOR EACH ROW "},
		{"if not exists", "CREATE DEFINER=`root`@`localhost` trigger if not exists u2  before update ON `x_renamed` for each row set @a=2", "set @a=2",
			"trigger if not exists u2  before update ON `x_renamed` for each row "},
		{"body not at the end", "CREATE DEFINER=`root`@`localhost` TRIGGER t BEFORE INSERT ON x FOR EACH ROW SET @a = 1", "SET @a = 2", ""},
		{"not a trigger", "CREATE DEFINER=`root`@`localhost` VIEW v AS SELECT 1", "SELECT 1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := triggerHeaderInspect(tt.stmt, tt.body, "db"); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNormalizeTriggerHeader(t *testing.T) {
	tr := func(header string) *schema.Trigger {
		return &schema.Trigger{Name: "t", Table: "x", Timing: "BEFORE", Event: "DELETE", Body: "SET @a = 1", Header: header}
	}
	ok := []struct{ header, want, timing string }{
		{"TRIGGER t BEFORE DELETE ON x\nFOR EACH ROW ", "TRIGGER t BEFORE DELETE ON x\nFOR EACH ROW ", "BEFORE"},
		{"trigger t before delete on x for each row\n", "trigger t before delete on x for each row\n", "before"},
		{"TRIGGER `t` BEFORE DELETE ON `x` FOR EACH ROW ", "", "BEFORE"}, // what Strata writes anyway
	}
	for _, c := range ok {
		got := tr(c.header)
		if err := normalizeTriggerHeader(got); err != nil {
			t.Errorf("%q: %v", c.header, err)
			continue
		}
		if got.Header != c.want || got.Timing != c.timing {
			t.Errorf("%q: header %q timing %q, want %q %q", c.header, got.Header, got.Timing, c.want, c.timing)
		}
	}
	bad := []struct{ header, says string }{
		{"TRIGGER u BEFORE DELETE ON x FOR EACH ROW ", `names trigger "u"`},
		{"TRIGGER t BEFORE DELETE ON y FOR EACH ROW ", `on table "y"`},
		{"TRIGGER t AFTER DELETE ON x FOR EACH ROW ", "says AFTER DELETE"},
		{"TRIGGER t BEFORE DELETE ON x FOR EACH ROW", "white space"},
		{"TRIGGER t BEFORE DELETE ON x /* c */ FOR EACH ROW ", "comment"},
		{"TRIGGER t BEFORE DELETE ON x FOR EACH ROW FOLLOWS u ", "FOLLOWS"},
		{"TRIGGER db.t BEFORE DELETE ON x FOR EACH ROW ", "qualified"},
		{"CREATE TRIGGER t BEFORE DELETE ON x FOR EACH ROW ", "start with TRIGGER"},
	}
	for _, c := range bad {
		err := normalizeTriggerHeader(tr(c.header))
		if err == nil || !strings.Contains(err.Error(), c.says) || !strings.Contains(err.Error(), "leave header out") {
			t.Errorf("%q: error %v, want one saying %q and what to do", c.header, err, c.says)
		}
	}
}
