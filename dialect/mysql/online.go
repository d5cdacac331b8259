package mysql

import (
	"fmt"
	"net"
	"strconv"

	"github.com/stratadb/strata/dialect"
)

// OnlineTarget tells how an online schema change engine reaches the
// database of a mysql:// URL on this server.
func (d *Dialect) OnlineTarget(url string) (dialect.OnlineTarget, error) {
	cfg, err := ParseURL(url)
	if err != nil {
		return dialect.OnlineTarget{}, err
	}
	t := dialect.OnlineTarget{User: cfg.User, Password: cfg.Passwd, Schema: cfg.DBName, MariaDB: d.Flavor == MariaDB}
	if cfg.Net == "unix" {
		t.Socket = cfg.Addr
		return t, nil
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		host, port = cfg.Addr, "3306"
	}
	t.Host = host
	if t.Port, err = strconv.Atoi(port); err != nil {
		return t, fmt.Errorf("port %q: %w", port, err)
	}
	return t, nil
}
