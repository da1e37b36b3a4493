#!/usr/bin/env bash
# Runs every test: unit tests, then integration tests against a local nknd (and containers).
# Installs what it needs first; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/devnet.sh build
exec mvn -B -ntp verify "$@"
