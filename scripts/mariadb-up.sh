#!/usr/bin/env bash
# Makes sure a MariaDB server answers on 127.0.0.1:3306 (root, no password):
# starts the local one if it is down, installs it first if it is missing.
# Fails loudly when no server can be had.
set -euo pipefail

host=${STRATA_TEST_MYSQL_HOST:-127.0.0.1}
port=${STRATA_TEST_MYSQL_PORT:-3306}

answers() {
  mariadb -uroot -h"$host" -P"$port" --protocol=tcp -e 'SELECT 1' >/dev/null 2>&1
}

# The suite opens many short-lived connections at once (parallel packages,
# concurrent-apply tests); the server's default of 151 is too few for that on
# a busy machine. Raising it is best effort: a server we cannot change still runs the tests.
roomy() {
  mariadb -uroot -h"$host" -P"$port" --protocol=tcp \
    -e 'SET GLOBAL max_connections = GREATEST(@@max_connections, 1000)' >/dev/null 2>&1 || true
}

if ! command -v mariadb >/dev/null 2>&1 || [ ! -x /usr/sbin/mariadbd ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "mariadb-up: installing MariaDB with apt-get" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server mariadb-client >/dev/null
  fi
fi
if ! command -v mariadb >/dev/null 2>&1; then
  echo "mariadb-up: no mariadb client here; install mariadb-server and mariadb-client" >&2
  exit 1
fi

if answers; then
  roomy
  exit 0
fi

if [ -x /usr/sbin/mariadbd ]; then
  echo "mariadb-up: starting MariaDB" >&2
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
fi
for _ in $(seq 1 60); do
  if answers; then
    roomy
    exit 0
  fi
  sleep 1
done
echo "mariadb-up: no MariaDB answers on $host:$port after 60 s." >&2
echo "  Start one (start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd)" >&2
echo "  or point STRATA_TEST_MYSQL_URL at a server you can use." >&2
exit 1
