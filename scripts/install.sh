#!/usr/bin/env bash
# Installs what the project needs on a fresh machine: the locked npm dependencies, which include
# Node 24 itself (devDependency `node`), so the system Node only has to be able to run npm.
# Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1; then
  echo "error: npm not found; install Node.js (any version with npm) first" >&2
  exit 1
fi
if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
