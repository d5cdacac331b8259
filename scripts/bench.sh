#!/usr/bin/env bash
# Runs Strata's benchmark (issue 6) against the local MariaDB and prints its
# tables as markdown on stdout; progress goes to stderr. It creates and drops
# its own databases (strata_bench_*). The default run takes 3-4 minutes on
# 2 cores; not part of scripts/test.sh.
#
#   scripts/bench.sh                        # 100, 1,000 and 10,000 tables + ALTER on 1M rows + --parallel
#   scripts/bench.sh --sizes 100,1000       # fewer sizes
#   scripts/bench.sh --no-alter             # skip the 1M-row ALTER part (-parallel-rows 0 skips --parallel)
#   scripts/bench.sh --runs 5 --keep        # any flag of `go run ./bench -h`
#   scripts/bench.sh --sizes '' --no-alter -parallel-rows 0 --fleet 50,500
#                                           # fleets of tenants x 20 tables (issue 15)
#   scripts/bench.sh --sizes '' --no-alter -parallel-rows 0 --postgres 1000,10000
#                                           # no-op plans on PostgreSQL (issue 14)
set -euo pipefail
cd "$(dirname "$0")/.."

args=()
postgres=
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) [ $# -ge 2 ] || { echo "bench.sh: --sizes needs a value, e.g. --sizes 100,1000" >&2; exit 2; }
             args+=(-sizes "$2"); shift 2 ;;
    --sizes=*) args+=(-sizes "${1#*=}"); shift ;;
    --no-alter) args+=(-alter-rows 0); shift ;;
    --fleet) [ $# -ge 2 ] || { echo "bench.sh: --fleet needs tenant counts, e.g. --fleet 50,500" >&2; exit 2; }
             args+=(-fleet "$2"); shift 2 ;;
    --postgres) [ $# -ge 2 ] || { echo "bench.sh: --postgres needs table counts, e.g. --postgres 1000,10000" >&2; exit 2; }
             args+=(-pg-sizes "$2"); postgres=1; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; go run ./bench -h 2>&1 || true; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done

if [ -z "${STRATA_TEST_MYSQL_URL:-}" ]; then
  scripts/mariadb-up.sh
fi
if [ -n "$postgres" ] && [ -z "${STRATA_TEST_POSTGRES_URL:-}" ]; then
  scripts/postgres-up.sh
fi
# The figures belong to a revision: say which, and whether the tree differs.
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git diff --quiet HEAD -- . 2>/dev/null; then
  rev="$rev + uncommitted changes"
fi
servers=$(mariadb -uroot -h127.0.0.1 -N -e 'SELECT VERSION()' 2>/dev/null || echo 'server version unknown')
if [ -n "$postgres" ]; then
  servers="$servers, PostgreSQL $(psql -h 127.0.0.1 -U postgres -Atc 'SHOW server_version' 2>/dev/null || echo 'version unknown')"
fi
echo "Strata benchmark, $(date -u +%Y-%m-%d), revision $rev, $(go env GOVERSION), $servers"
exec go run ./bench "${args[@]}"
