#!/usr/bin/env bash
# Runs every test of the project against the real MariaDB and PostgreSQL
# servers.
#
# Starts the local MariaDB and PostgreSQL when they are down (and installs
# them with apt-get when they are missing and we are root), installs
# pt-online-schema-change the same way (scripts/percona-up.sh), then runs
# `go test ./...` with STRATA_TEST_REQUIRE_MYSQL=1, STRATA_TEST_REQUIRE_POSTGRES=1
# (and STRATA_TEST_REQUIRE_PTOSC=1) so that a missing server or tool fails
# the run instead of skipping tests. Extra arguments go to `go test`.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/mariadb-up.sh
scripts/percona-up.sh
scripts/postgres-up.sh

export STRATA_TEST_REQUIRE_MYSQL=1
export STRATA_TEST_REQUIRE_PTOSC=1
export STRATA_TEST_REQUIRE_POSTGRES=1
if [ -z "${STRATA_CONFORMANCE_DIR:-}" ] && [ -d ../shared/conformance/sqldef ]; then
  STRATA_CONFORMANCE_DIR=$(cd ../shared/conformance/sqldef && pwd)
  export STRATA_CONFORMANCE_DIR
fi

if [ -z "${STRATA_PG_CONFORMANCE_DIR:-}" ] && [ -d ../shared/conformance/psqldef ]; then
  STRATA_PG_CONFORMANCE_DIR=$(cd ../shared/conformance/psqldef && pwd)
  export STRATA_PG_CONFORMANCE_DIR
fi

# cmd/strata holds both conformance corpora (the PostgreSQL one alone takes
# about 7 minutes): more than go test's default 10 minutes a package. On a
# quiet 2-core machine the whole package takes about 8 minutes; the limit
# leaves room for a machine shared with other builds.
go test -count=1 -timeout 60m "$@" ./...
