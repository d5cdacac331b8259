package config

import (
	"regexp"
	"strings"
)

// A URL's password as source text shows it: "scheme://user:PASSWORD@", and
// a go-sql-driver DSN's "user:PASSWORD@tcp(" / "@unix(". The password runs
// to the last "@" before a space or a quote (a raw "@" in a password is a
// mistake users make; hiding too much is the safe side), and may hold HCL
// escapes such as \". ANSI colour codes may sit inside (a highlighted
// range): they match like any other character.
var (
	urlPassword = regexp.MustCompile(`(://[^:/@\s"'` + "`" + `]*):((?:\\.|[^\s"'\\` + "`" + `])*)@`)
	dsnPassword = regexp.MustCompile(`(^|[\s"'=(])([A-Za-z0-9_.$-]+):((?:\\.|[^\s"'\\` + "`" + `])*)@(tcp|unix)\(`)
)

// MaskSecrets replaces every URL password in text (rendered diagnostics,
// whose source lines may hold a literal URL) with ***, as user:***@host.
func MaskSecrets(text string) string {
	text = urlPassword.ReplaceAllString(text, "$1:***@")
	return dsnPassword.ReplaceAllString(text, "$1$2:***@$4(")
}

// sourceLine is a line of source as hcl's diagnostic writer quotes it:
// "%4d: text".
var sourceLine = regexp.MustCompile(`^ *[0-9]+: `)

// maskSourceLines masks URL passwords in the source lines of a rendered
// diagnostic. Summaries and details are Strata's or hcl's own words, which
// never quote a value (and may show an example URL such as
// mysql://user:pass@host, to be read as it is).
func maskSourceLines(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if sourceLine.MatchString(l) {
			lines[i] = MaskSecrets(l)
		}
	}
	return strings.Join(lines, "\n")
}
