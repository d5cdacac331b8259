package schema

import "strings"

// QuoteString renders s as a string literal in the form Column.Default
// holds before a dialect normalizes it: ' doubled; backslash, newline, CR,
// tab and NUL escaped. It works byte by byte, as a binary default need not
// be valid UTF-8.
func QuoteString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'':
			b.WriteString("''")
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case 0:
			b.WriteString(`\0`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// UnquoteString reads a string literal in that form back: doubled quotes
// and backslash escapes (\n \r \t \0 \b \Z, any other escaped byte stands
// for itself, as MySQL reads them). ok is false when text is not exactly
// one such literal.
func UnquoteString(text string) (string, bool) {
	if len(text) < 2 || text[0] != '\'' || text[len(text)-1] != '\'' {
		return "", false
	}
	var b strings.Builder
	for i := 1; i < len(text)-1; i++ {
		c := text[i]
		switch {
		case c == '\'':
			if i+1 < len(text)-1 && text[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			return "", false
		case c == '\\' && i+1 < len(text)-1:
			i++
			switch e := text[i]; e {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case '0':
				b.WriteByte(0)
			case 'b':
				b.WriteByte('\b')
			case 'Z':
				b.WriteByte(0x1a)
			default:
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}
