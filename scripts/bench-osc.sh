#!/usr/bin/env bash
# Measures a big-table change (issue 15): ROWS rows (default 1,000,000, ~110
# bytes each) get MODIFY INT → BIGINT once as the plain ALTER TABLE and once
# through pt-online-schema-change, each while a writer inserts, updates and
# deletes rows; prints how long each took and the longest a write waited.
# Creates and drops its own databases. Not part of scripts/test.sh.
#
#   scripts/bench-osc.sh            # 1,000,000 rows
#   scripts/bench-osc.sh 200000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/mariadb-up.sh
scripts/percona-up.sh
STRATA_BENCH_OSC_ROWS=${1:-1000000} STRATA_TEST_REQUIRE_MYSQL=1 \
  go test -count=1 -timeout 30m -run 'TestOnlineSchemaChange_benchmark$' -v ./cmd/strata | grep 'BENCH |' | sed 's/^.*BENCH //'
