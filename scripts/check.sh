#!/usr/bin/env bash
# Static checks: gofmt, go vet and staticcheck (honnef.co/go/tools, fetched
# through the Go module proxy at a pinned version).
set -euo pipefail
cd "$(dirname "$0")/.."

unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:" $unformatted >&2
  exit 1
fi
go vet ./...
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
