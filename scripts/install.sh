#!/usr/bin/env bash
# Installs what the project needs on a fresh machine: Node 24 (from npm if the system one is older)
# and the locked npm dependencies. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/node-env.sh
. scripts/node-env.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
