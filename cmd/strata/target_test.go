package main

import "testing"

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"mysql://app:secret@127.0.0.1:3306/app", "mysql://app:***@127.0.0.1:3306/app"},
		{"mariadb://app:p%40ss@db.example:3306/app?tls=true", "mariadb://app:***@db.example:3306/app?tls=true"},
		{"mysql://:secret@h/db", "mysql://:***@h/db"},
		{"mysql://we%20ird:secret@h/db", "mysql://we%20ird:***@h/db"},
		{"mysql://root@127.0.0.1:3306/app", "mysql://root@127.0.0.1:3306/app"},
		{"sqlite://app.db", "sqlite://app.db"},
		{"mysql://u:pw@local host/db", "(invalid URL)"},
	}
	for _, tt := range tests {
		if got := redactURL(tt.in); got != tt.want {
			t.Errorf("redactURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
