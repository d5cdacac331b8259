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

func TestUnquoteString(t *testing.T) {
	for _, s := range []string{"plain", "it's", `a\b`, "l1\nl2\r\tx\x00", "\xff", ""} {
		if got, ok := UnquoteString(QuoteString(s)); !ok || got != s {
			t.Errorf("UnquoteString(QuoteString(%q)) = %q, %v", s, got, ok)
		}
	}
	for text, want := range map[string]string{`'\Z\b\%'`: "\x1a\b%"} {
		if got, ok := UnquoteString(text); !ok || got != want {
			t.Errorf("UnquoteString(%q) = %q, %v; want %q", text, got, ok, want)
		}
	}
	for _, bad := range []string{"", "'", "plain", "'a'b'", "'a' || 'b'"} {
		if got, ok := UnquoteString(bad); ok {
			t.Errorf("UnquoteString(%q) = %q, true; want not a literal", bad, got)
		}
	}
}
