package mysql

import (
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	driver "github.com/go-sql-driver/mysql"
)

// ParseURL turns mysql://user:pass@host:port/db?param=value (or mariadb://)
// into a driver configuration. Errors never repeat the URL, which may hold a
// password.
func ParseURL(raw string) (*driver.Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error quotes the whole URL, and an escape error quotes the
		// bad part, which may be in the password: keep only the reason.
		var ee url.EscapeError
		if errors.As(err, &ee) {
			return nil, errors.New("invalid database URL: a bad %-escape; percent-encode special characters of the user and password (e.g. %25 for %, %40 for @)")
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("invalid database URL: %v", err)
	}
	if u.Scheme != "mysql" && u.Scheme != "mariadb" {
		return nil, fmt.Errorf("invalid database URL: scheme %q is not mysql:// or mariadb://", u.Scheme)
	}
	cfg := driver.NewConfig()
	cfg.Net = "tcp"
	cfg.Timeout = 10 * time.Second
	cfg.ParseTime = false
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
	}
	host, port := u.Hostname(), u.Port()
	if host == "" {
		host = "127.0.0.1"
	}
	if port == "" {
		port = "3306"
	}
	cfg.Addr = net.JoinHostPort(host, port)
	cfg.DBName = strings.TrimPrefix(u.Path, "/")
	if strings.Contains(cfg.DBName, "/") {
		return nil, fmt.Errorf("invalid database URL: path %q must be a single database name", cfg.DBName)
	}
	for key, values := range u.Query() {
		value := values[len(values)-1]
		switch key {
		case "socket":
			cfg.Net, cfg.Addr = "unix", value
		case "tls":
			cfg.TLSConfig = value
		case "timeout":
			d, err := time.ParseDuration(value)
			if err != nil {
				return nil, fmt.Errorf("invalid database URL: timeout=%q: %v", value, err)
			}
			cfg.Timeout = d
		case "charset", "collation", "allowCleartextPasswords", "allowNativePasswords", "readTimeout", "writeTimeout":
			// FormatDSN/ParseDSN understands these; route them through it.
			if err := setDriverParam(cfg, key, value); err != nil {
				return nil, err
			}
		default:
			// Anything else becomes a session variable, as the driver does.
			if cfg.Params == nil {
				cfg.Params = map[string]string{}
			}
			cfg.Params[key] = value
		}
	}
	return cfg, nil
}

func setDriverParam(cfg *driver.Config, key, value string) error {
	parsed, err := driver.ParseDSN("/?" + key + "=" + url.QueryEscape(value))
	if err != nil {
		return fmt.Errorf("invalid database URL: %s=%q: %v", key, value, err)
	}
	switch key {
	case "charset":
		if cfg.Params == nil {
			cfg.Params = map[string]string{}
		}
		cfg.Params["charset"] = value
	case "collation":
		cfg.Collation = parsed.Collation
	case "allowCleartextPasswords":
		cfg.AllowCleartextPasswords = parsed.AllowCleartextPasswords
	case "allowNativePasswords":
		cfg.AllowNativePasswords = parsed.AllowNativePasswords
	case "readTimeout":
		cfg.ReadTimeout = parsed.ReadTimeout
	case "writeTimeout":
		cfg.WriteTimeout = parsed.WriteTimeout
	}
	return nil
}

// OpenURL opens a connection pool for a mysql:// URL and checks that the
// server answers. The URL must name a database.
func OpenURL(ctx context.Context, raw string) (*sql.DB, error) {
	cfg, connector, err := newConnector(raw, false)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(connector)
	// cfg.Timeout bounds only the TCP connect; the deadline bounds the
	// handshake too, so a server that accepts and never answers cannot
	// hang a run.
	pingCtx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		if errors.Is(err, context.DeadlineExceeded) || pingCtx.Err() != nil && ctx.Err() == nil {
			return nil, fmt.Errorf("connect to %s: no answer within %s: check the host and port, or raise ?timeout=", cfg.Addr, cfg.Timeout)
		}
		return nil, ConnectError(cfg, err)
	}
	return db, nil
}

// newConnector parses a mysql:// URL that must name a database and makes
// the driver's connector for it; batches lets its connections take several
// statements per request (for a Reader only).
func newConnector(raw string, batches bool) (*driver.Config, sqldriver.Connector, error) {
	cfg, err := ParseURL(raw)
	if err != nil {
		return nil, nil, err
	}
	if cfg.DBName == "" {
		return nil, nil, errors.New("the database URL names no database: add it as the path, e.g. mysql://user@host:3306/app")
	}
	cfg.MultiStatements = batches
	connector, err := driver.NewConnector(cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("database URL: %v", err)
	}
	return cfg, connector, nil
}

// ConnectError explains a failed connection in one line with what to do,
// without the password.
func ConnectError(cfg *driver.Config, err error) error {
	where := cfg.Addr
	var me *driver.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1045, 1698:
			return fmt.Errorf("access denied for user %q at %s: check the user and password in the database URL", cfg.User, where)
		case 1049:
			return fmt.Errorf("database %q does not exist on %s: create it (CREATE DATABASE `%s`) or fix the URL", cfg.DBName, where, cfg.DBName)
		case 1044:
			return fmt.Errorf("user %q may not use database %q on %s: grant it privileges or use another user", cfg.User, cfg.DBName, where)
		}
		return fmt.Errorf("connect to %s: %s", where, me.Message)
	}
	if errors.Is(err, driver.ErrInvalidConn) {
		return fmt.Errorf("connect to %s: the server closed the connection during the handshake: is it a MySQL/MariaDB server, and does it accept this client?", where)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("connect to %s: no answer within %s: check the host and port, or raise ?timeout=", where, cfg.Timeout)
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return fmt.Errorf("connect to %s: %v: is the server running and reachable?", where, oe.Err)
	}
	return fmt.Errorf("connect to %s: %v", where, err)
}
