#!/usr/bin/env bash
# Makes sure Percona's pt-online-schema-change is here (Debian package
# percona-toolkit): installs it with apt-get when it is missing and we are
# root. Fails loudly when it cannot be had: the online schema change tests
# need the real tool and never skip without it.
set -euo pipefail

if command -v pt-online-schema-change >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "percona-up: installing percona-toolkit with apt-get" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq percona-toolkit >/dev/null
fi
if ! command -v pt-online-schema-change >/dev/null 2>&1; then
  echo "percona-up: pt-online-schema-change is missing; install Debian's percona-toolkit" >&2
  echo "  (apt-get install percona-toolkit, as root) or put the tool on PATH." >&2
  exit 1
fi
