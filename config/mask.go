package config

import "regexp"

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
