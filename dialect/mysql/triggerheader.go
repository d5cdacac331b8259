package mysql

import (
	"fmt"
	"strings"

	"github.com/stratadb/strata/schema"
)

// A trigger's header is the text of its CREATE statement from TRIGGER up
// to the body. The server keeps the statement as written and SHOW CREATE
// TRIGGER shows it back (verified on MariaDB 10.11), with DEFINER=`u`@`h`
// put after CREATE, OR REPLACE, FOLLOWS/PRECEDES and comments taken out,
// and IF NOT EXISTS, the line breaks and the spelling of names and words
// kept:
//
//	CREATE TRIGGER t BEFORE DELETE ON x
//	FOR EACH ROW BEGIN … END
//
// shows as "CREATE DEFINER=`root`@`localhost` TRIGGER t BEFORE DELETE ON
// x\nFOR EACH ROW BEGIN … END". RENAME TABLE rewrites "ON x\n" as
// "ON `new` ". The model keeps a header only where it differs from the one
// Strata writes (triggerHeaderCanonical), so triggers Strata made stay plain.

// triggerHeaderCanonical is the header Strata writes for t: names quoted,
// timing and event as spelled, on one line.
func triggerHeaderCanonical(t *schema.Trigger) string {
	return "TRIGGER " + QuoteIdent(t.Name) + " " + t.Timing + " " + t.Event + " ON " + QuoteIdent(t.Table) + " FOR EACH ROW "
}

// triggerHeaderInspect returns the header of a trigger's original
// statement as SHOW CREATE TRIGGER shows it, without the qualifier of the
// trigger's own database db, or "" when it cannot tell it (the statement
// does not end with the body, or is not a CREATE TRIGGER).
func triggerHeaderInspect(stmt, body, db string) string {
	rest, ok := strings.CutPrefix(stmt, "CREATE ")
	if !ok || !strings.HasSuffix(rest, body) {
		return ""
	}
	rest = rest[:len(rest)-len(body)]
	if d, ok := strings.CutPrefix(rest, "DEFINER="); ok {
		toks := triggerHeaderTokens(d)
		// user@host, or a role alone; then a space.
		n := 0
		if len(toks) > 0 && toks[0].kind == 'i' {
			n = 1
			if len(toks) > 2 && toks[1].text == "@" && toks[2].kind == 'i' {
				n = 3
			}
		}
		if n == 0 || len(toks) <= n || toks[n].kind != ' ' {
			return ""
		}
		rest = d[toks[n].start+1:]
	}
	h := triggerHeaderUnqualify(rest, db)
	if _, err := triggerHeaderParse(h); err != nil {
		return ""
	}
	return h
}

// triggerHeaderUnqualify removes "`db`." (also "db . x") before names.
func triggerHeaderUnqualify(h, db string) string {
	toks := triggerHeaderTokens(h)
	var b strings.Builder
	for i := 0; i < len(toks); i++ {
		tk := toks[i]
		if tk.kind == 'i' && tk.val == db {
			j := i + 1
			for j < len(toks) && toks[j].kind == ' ' {
				j++
			}
			if j < len(toks) && toks[j].text == "." {
				j++
				for j < len(toks) && toks[j].kind == ' ' {
					j++
				}
				if j < len(toks) && toks[j].kind == 'i' {
					i = j - 1
					continue
				}
			}
		}
		b.WriteString(tk.text)
	}
	return b.String()
}

// triggerHeader is what a header says.
type triggerHeader struct {
	name, timing, event, table string
}

// triggerHeaderParse reads "TRIGGER [IF NOT EXISTS] name timing event ON
// table FOR EACH ROW ", names unqualified; the header must end in white
// space, which separates it from the body.
func triggerHeaderParse(h string) (triggerHeader, error) {
	var th triggerHeader
	toks := triggerHeaderTokens(h)
	var words []triggerHeaderToken
	for _, tk := range toks {
		switch tk.kind {
		case 'c':
			return th, fmt.Errorf("it holds a comment, which the server does not keep")
		case '?':
			return th, fmt.Errorf("unexpected %q", tk.text)
		case ' ':
		default:
			words = append(words, tk)
		}
	}
	if len(toks) == 0 || toks[len(toks)-1].kind != ' ' {
		return th, fmt.Errorf("it must end in white space before the body")
	}
	i := 0
	word := func(w string) bool {
		if i < len(words) && words[i].kind == 'i' && !words[i].quoted && strings.EqualFold(words[i].val, w) {
			i++
			return true
		}
		return false
	}
	name := func() (string, bool) {
		if i >= len(words) || words[i].kind != 'i' {
			return "", false
		}
		n := words[i].val
		i++
		if i < len(words) && words[i].text == "." {
			return "", false // qualified: only the trigger's own database could be meant
		}
		return n, true
	}
	if !word("TRIGGER") {
		return th, fmt.Errorf("it must start with TRIGGER")
	}
	if word("IF") && (!word("NOT") || !word("EXISTS")) {
		return th, fmt.Errorf("IF must be IF NOT EXISTS")
	}
	var ok bool
	if th.name, ok = name(); !ok {
		return th, fmt.Errorf("the trigger's name is missing or qualified")
	}
	if i+1 >= len(words) {
		return th, fmt.Errorf("the timing and event are missing")
	}
	th.timing, th.event = words[i].val, words[i+1].val
	i += 2
	if !word("ON") {
		return th, fmt.Errorf("ON must follow the event")
	}
	if th.table, ok = name(); !ok {
		return th, fmt.Errorf("the table's name is missing or qualified")
	}
	if !word("FOR") || !word("EACH") || !word("ROW") || i != len(words) {
		return th, fmt.Errorf("it must end with FOR EACH ROW (FOLLOWS and PRECEDES are written by Strata from order)")
	}
	return th, nil
}

type triggerHeaderToken struct {
	kind   byte // 'i' identifier or word, '.', '@', ' ' white space, 'c' comment, '?' anything else
	text   string
	val    string // an identifier unquoted
	quoted bool
	start  int
}

// triggerHeaderTokens splits a header into identifiers (bare, `quoted`
// or "quoted" under ANSI_QUOTES), dots, @, white space and comments.
func triggerHeaderTokens(s string) []triggerHeaderToken {
	var toks []triggerHeaderToken
	for i := 0; i < len(s); {
		start := i
		c := s[i]
		tk := triggerHeaderToken{start: i}
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
				i++
			}
			tk.kind = ' '
		case c == '/' && strings.HasPrefix(s[i:], "/*"):
			if j := strings.Index(s[i+2:], "*/"); j >= 0 {
				i += j + 4
			} else {
				i = len(s)
			}
			tk.kind = 'c'
		case c == '#' || strings.HasPrefix(s[i:], "-- "):
			for i < len(s) && s[i] != '\n' {
				i++
			}
			tk.kind = 'c'
		case c == '`' || c == '"':
			var b strings.Builder
			i++
			for i < len(s) {
				if s[i] == c {
					if i+1 < len(s) && s[i+1] == c {
						b.WriteByte(c)
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(s[i])
				i++
			}
			tk.kind, tk.val, tk.quoted = 'i', b.String(), true
		case c == '.' || c == '@':
			i++
			tk.kind = c
		case c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80:
			for i < len(s) && (s[i] == '_' || s[i] == '$' || s[i] >= '0' && s[i] <= '9' || s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 0x80) {
				i++
			}
			tk.kind, tk.val = 'i', s[start:i]
		default:
			i++
			tk.kind = '?'
		}
		tk.text = s[start:i]
		toks = append(toks, tk)
	}
	return toks
}

// normalizeTriggerHeader checks that a declared header says what the
// trigger block says, and clears it when it is the one Strata writes.
func normalizeTriggerHeader(t *schema.Trigger) error {
	if t.Header == "" {
		return nil
	}
	th, err := triggerHeaderParse(t.Header)
	if err == nil {
		switch {
		case th.name != t.Name:
			err = fmt.Errorf("it names trigger %q", th.name)
		case th.table != t.Table:
			err = fmt.Errorf("it is on table %q", th.table)
		case !strings.EqualFold(th.timing, t.Timing) || !strings.EqualFold(th.event, t.Event):
			err = fmt.Errorf("it says %s %s", th.timing, th.event)
		}
	}
	if err != nil {
		return fmt.Errorf("trigger %q: header %q does not fit the trigger (%s %s on %q): %v; write the text from TRIGGER to the body, ending in FOR EACH ROW and a space or line break, or leave header out",
			t.Name, t.Header, t.Timing, t.Event, t.Table, err)
	}
	// Timing and event take the header's spelling: it is what the server
	// will show.
	t.Timing, t.Event = th.timing, th.event
	if t.Header == triggerHeaderCanonical(t) {
		t.Header = ""
	}
	return nil
}
