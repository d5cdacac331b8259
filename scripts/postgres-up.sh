#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 (user postgres,
# trust auth): starts the local cluster if it is down, installs PostgreSQL
# first if it is missing (as root, with apt-get). Fails loudly when no
# server can be had.
set -euo pipefail

host=${STRATA_TEST_POSTGRES_HOST:-127.0.0.1}
port=${STRATA_TEST_POSTGRES_PORT:-5432}

answers() {
  psql -X -h "$host" -p "$port" -U postgres -d postgres -Atc 'SELECT 1' >/dev/null 2>&1
}

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "postgres-up: installing PostgreSQL with apt-get" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-client >/dev/null
  fi
fi
if ! command -v psql >/dev/null 2>&1; then
  echo "postgres-up: no psql here; install postgresql and postgresql-client" >&2
  exit 1
fi

if answers; then
  exit 0
fi

if command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql/*/main >/dev/null 2>&1; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "postgres-up: starting PostgreSQL $version" >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
fi
for _ in $(seq 1 60); do
  if answers; then
    exit 0
  fi
  sleep 1
done
echo "postgres-up: no PostgreSQL answers on $host:$port as user postgres after 60 s." >&2
echo "  Start one (pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start)," >&2
echo "  allow trust auth for 127.0.0.1 in pg_hba.conf, or point STRATA_TEST_POSTGRES_URL at a server you can use." >&2
exit 1
