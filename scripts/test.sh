#!/usr/bin/env bash
# Runs every test of the project against the real MariaDB server.
#
# Starts the local MariaDB when it is down (and installs it with apt-get when
# it is missing and we are root), installs pt-online-schema-change the same
# way (scripts/percona-up.sh), then runs `go test ./...` with
# STRATA_TEST_REQUIRE_MYSQL=1 (and STRATA_TEST_REQUIRE_PTOSC=1) so that a missing server or tool fails the run instead
# of skipping tests. Extra arguments go to `go test`.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/mariadb-up.sh
scripts/percona-up.sh

export STRATA_TEST_REQUIRE_MYSQL=1
export STRATA_TEST_REQUIRE_PTOSC=1
if [ -z "${STRATA_CONFORMANCE_DIR:-}" ] && [ -d ../shared/conformance/sqldef ]; then
  STRATA_CONFORMANCE_DIR=$(cd ../shared/conformance/sqldef && pwd)
  export STRATA_CONFORMANCE_DIR
fi

go test -count=1 "$@" ./...
