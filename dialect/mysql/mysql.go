// Package mysql is Strata's dialect for MySQL and MariaDB: inspection through
// bulk information_schema queries, normalization into the server's canonical
// form, and DDL generation.
package mysql

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/stratadb/strata/dialect"
	"github.com/stratadb/strata/schema"
)

// Flavor is the server family.
type Flavor string

// Flavors.
const (
	MariaDB Flavor = "mariadb"
	MySQL   Flavor = "mysql"
)

// Version is a server version as major, minor, patch.
type Version [3]int

// AtLeast reports whether v is at or above major.minor.patch.
func (v Version) AtLeast(major, minor, patch int) bool {
	w := Version{major, minor, patch}
	for i := range v {
		if v[i] != w[i] {
			return v[i] > w[i]
		}
	}
	return true
}

func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v[0], v[1], v[2]) }

// Dialect is the MySQL/MariaDB dialect for one server. Its fields are the
// server facts that normalization depends on.
type Dialect struct {
	Flavor  Flavor
	Version Version
	// Charset and Collate are the defaults of the database being managed.
	Charset string
	Collate string
	// Engine is the server's default storage engine.
	Engine string
	// DefaultCollations maps a character set to its default collation, as
	// information_schema.CHARACTER_SETS reports it.
	DefaultCollations map[string]string
	// Context is the creation context of Strata's own sessions (client
	// character set, connection collation, sql_mode), which views and
	// triggers get when created without one of their own: the model's
	// "" (see schema.CreationContext).
	Context schema.CreationContext
}

// Name returns "mysql".
func (d *Dialect) Name() string { return "mysql" }

// Default returns the dialect for a MariaDB 10.11 server with its stock
// settings, for work without a connection (validate, fmt, tests of pure code).
func Default() *Dialect {
	return &Dialect{
		Flavor:            MariaDB,
		Version:           Version{10, 11, 0},
		Charset:           "utf8mb4",
		Collate:           "utf8mb4_general_ci",
		Engine:            "InnoDB",
		DefaultCollations: builtinCollations(),
		Context: schema.CreationContext{
			CharsetClient:       "utf8mb4",
			CollationConnection: "utf8mb4_general_ci",
			SQLMode:             "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION",
		},
	}
}

// New reads the server facts of the database q is connected to.
func New(ctx context.Context, q dialect.Querier) (*Dialect, error) {
	d := &Dialect{DefaultCollations: map[string]string{}}
	var version string
	err := queryRow(ctx, q, "SELECT VERSION(), @@character_set_database, @@collation_database, @@default_storage_engine, "+
		"@@character_set_client, @@collation_connection, @@sql_mode",
		&version, &d.Charset, &d.Collate, &d.Engine, &d.Context.CharsetClient, &d.Context.CollationConnection, &d.Context.SQLMode)
	if err != nil {
		return nil, fmt.Errorf("read server version: %w", err)
	}
	d.Flavor, d.Version = parseVersion(version)
	rows, err := q.QueryContext(ctx, "SELECT CHARACTER_SET_NAME, DEFAULT_COLLATE_NAME FROM information_schema.CHARACTER_SETS")
	if err != nil {
		return nil, fmt.Errorf("read character sets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var cs, coll string
		if err := rows.Scan(&cs, &coll); err != nil {
			return nil, fmt.Errorf("read character sets: %w", err)
		}
		d.DefaultCollations[cs] = coll
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read character sets: %w", err)
	}
	return d, nil
}

func queryRow(ctx context.Context, q dialect.Querier, query string, dest ...any) error {
	return dialect.QueryRow(ctx, q, query, nil, dest...)
}

// parseVersion splits "10.11.19-MariaDB-0+deb12u1" or "8.0.36".
func parseVersion(s string) (Flavor, Version) {
	flavor := MySQL
	if strings.Contains(strings.ToLower(s), "mariadb") {
		flavor = MariaDB
	}
	var v Version
	num := s
	if i := strings.IndexFunc(s, func(r rune) bool { return r != '.' && (r < '0' || r > '9') }); i >= 0 {
		num = s[:i]
	}
	for i, part := range strings.SplitN(num, ".", 3) {
		v[i], _ = strconv.Atoi(part)
	}
	return flavor, v
}

func builtinCollations() map[string]string {
	return map[string]string{
		"armscii8": "armscii8_general_ci",
		"ascii":    "ascii_general_ci",
		"big5":     "big5_chinese_ci",
		"binary":   "binary",
		"cp1250":   "cp1250_general_ci",
		"cp1251":   "cp1251_general_ci",
		"cp1256":   "cp1256_general_ci",
		"cp1257":   "cp1257_general_ci",
		"cp850":    "cp850_general_ci",
		"cp852":    "cp852_general_ci",
		"cp866":    "cp866_general_ci",
		"cp932":    "cp932_japanese_ci",
		"dec8":     "dec8_swedish_ci",
		"eucjpms":  "eucjpms_japanese_ci",
		"euckr":    "euckr_korean_ci",
		"gb2312":   "gb2312_chinese_ci",
		"gbk":      "gbk_chinese_ci",
		"geostd8":  "geostd8_general_ci",
		"greek":    "greek_general_ci",
		"hebrew":   "hebrew_general_ci",
		"hp8":      "hp8_english_ci",
		"keybcs2":  "keybcs2_general_ci",
		"koi8r":    "koi8r_general_ci",
		"koi8u":    "koi8u_general_ci",
		"latin1":   "latin1_swedish_ci",
		"latin2":   "latin2_general_ci",
		"latin5":   "latin5_turkish_ci",
		"latin7":   "latin7_general_ci",
		"macce":    "macce_general_ci",
		"macroman": "macroman_general_ci",
		"sjis":     "sjis_japanese_ci",
		"swe7":     "swe7_swedish_ci",
		"tis620":   "tis620_thai_ci",
		"ucs2":     "ucs2_general_ci",
		"ujis":     "ujis_japanese_ci",
		"utf16":    "utf16_general_ci",
		"utf16le":  "utf16le_general_ci",
		"utf32":    "utf32_general_ci",
		"utf8mb3":  "utf8mb3_general_ci",
		"utf8mb4":  "utf8mb4_general_ci",
	}
}
