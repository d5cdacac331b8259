package schema

import "testing"

func TestQuoteString(t *testing.T) {
	for in, want := range map[string]string{
		"plain":           "'plain'",
		"it's":            "'it''s'",
		`a\b`:             `'a\\b'`,
		"l1\nl2\r\tx\x00": `'l1\nl2\r\tx\0'`,
		"\xff":            "'\xff'",
	} {
		if got := QuoteString(in); got != want {
			t.Errorf("QuoteString(%q) = %q, want %q", in, got, want)
		}
	}
}
